"""Visit calendars: patterns, closed and fixed days, week parity and balanced days."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from solvers.scheduling import ScheduleResult, ScheduleSettings, assign_visit_days, visit_patterns

HOUR_S = 3600.0


def make_territory(seed: int, n_points: int = 60) -> dict[str, np.ndarray]:
    """Return frequencies, workloads in seconds and coordinates of a random territory."""
    rng = np.random.default_rng(seed)
    return {
        "visits_per_week": rng.choice([0.5, 1, 1, 1, 2, 3], n_points),
        "workload_s": rng.uniform(600, 2_400, n_points),
        "coords_m": rng.uniform(0, 10_000, (n_points, 2)),
    }


@pytest.fixture(scope="module")
def territory() -> dict[str, np.ndarray]:
    return make_territory(3)


@pytest.fixture(scope="module")
def calendar(territory) -> ScheduleResult:
    return assign_visit_days(**territory, seed=0)


def test_days_balanced(calendar):
    assert calendar.day_workload_s.max() <= 1.15 * calendar.day_workload_s.mean()
    assert calendar.status == "balanced"


def test_days_follow_patterns(territory, calendar):
    for frequency, days in zip(territory["visits_per_week"], calendar.days, strict=True):
        assert days in visit_patterns(frequency)


def test_weeks_match_frequencies(territory, calendar):
    biweekly = territory["visits_per_week"] == 0.5
    assert set(calendar.week[biweekly].tolist()) <= {1, 2}
    assert set(calendar.week[~biweekly].tolist()) == {0}


def test_workload_adds_up(territory, calendar):
    # Weekly workload: frequency times workload per visit, biweekly visits counting half.
    expected_s = float(territory["visits_per_week"] @ territory["workload_s"])
    assert calendar.day_workload_s.sum() == pytest.approx(expected_s)


def test_same_seed_same_days(territory, calendar):
    again = assign_visit_days(**territory, seed=0)

    assert again.days == calendar.days
    assert np.array_equal(again.week, calendar.week)


def test_days_compact(territory, calendar):
    # Compact days keep each day's points closer to their centroid than days balanced
    # without coordinates.
    def spread_m(result: ScheduleResult) -> float:
        total = 0.0
        for day in range(5):
            members = territory["coords_m"][[day in days for days in result.days]]
            total += np.linalg.norm(members - members.mean(axis=0), axis=1).sum()
        return total

    blind = assign_visit_days(territory["visits_per_week"], territory["workload_s"], seed=0)

    assert spread_m(calendar) < 0.9 * spread_m(blind)


def test_travel_time_matrix(territory):
    cost_s = cdist(territory["coords_m"], territory["coords_m"]) / 8.0

    result = assign_visit_days(
        territory["visits_per_week"], territory["workload_s"], cost_s=cost_s, seed=0
    )

    assert result.status == "balanced"


def test_three_visits_well_spread():
    result = assign_visit_days(np.array([3.0]), np.array([HOUR_S]))

    assert result.days == ((0, 2, 4),)


def test_two_visits_share_the_week():
    # Two customers visited twice a week, one hour each: their patterns cover four
    # different days, so no day carries two hours.
    result = assign_visit_days(np.array([2.0, 2.0]), np.array([HOUR_S, HOUR_S]))

    assert len(set(result.days[0]) | set(result.days[1])) == 4


def test_closed_days_respected(territory):
    # Weekly and biweekly customers are closed on random days but open on Wednesday.
    # Customers visited twice a week are closed on Monday, three times a week never.
    rng = np.random.default_rng(11)
    frequencies = territory["visits_per_week"]
    closed = np.zeros((60, 5), dtype=bool)
    weekly = frequencies <= 1
    closed[weekly] = rng.random((int(weekly.sum()), 5)) < 0.3
    closed[weekly, 2] = False
    closed[frequencies == 2, 0] = True

    result = assign_visit_days(**territory, closed_days=closed, seed=0)

    for point, days in enumerate(result.days):
        assert not closed[point, list(days)].any()
    assert result.status == "balanced"


def test_closed_days_leave_open_days():
    # Closed Monday to Wednesday: a weekly visit goes to Thursday or Friday.
    closed = np.array([[True, True, True, False, False]])

    result = assign_visit_days(np.array([1.0]), np.array([HOUR_S]), closed_days=closed)

    assert result.days[0] in ((3,), (4,))


def test_fixed_days_respected():
    fixed = [(1, 2), None, (4,)]

    result = assign_visit_days(np.array([2.0, 1.0, 1.0]), np.full(3, HOUR_S), fixed_days=fixed)

    assert result.days[0] == (1, 2)
    assert result.days[2] == (4,)


def test_biweekly_alternate_weeks():
    # Two customers every two weeks, both fixed on Monday: alternating weeks A and B gives
    # one hour every Monday instead of two hours every other Monday.
    result = assign_visit_days(
        np.array([0.5, 0.5]), np.array([HOUR_S, HOUR_S]), fixed_days=[(0,), (0,)]
    )

    assert sorted(result.week.tolist()) == [1, 2]
    assert result.week_day_workload_s[:, 0].tolist() == [HOUR_S, HOUR_S]


def test_biweekly_counts_half():
    result = assign_visit_days(np.array([0.5]), np.array([HOUR_S]), fixed_days=[(0,)])

    assert result.day_workload_s.tolist() == [HOUR_S / 2, 0.0, 0.0, 0.0, 0.0]


def test_four_weekly_spread_over_cycle():
    # Four customers every four weeks on Tuesday: one per week of the cycle.
    result = assign_visit_days(np.full(4, 0.25), np.full(4, HOUR_S), fixed_days=[(1,)] * 4)

    assert sorted(result.week.tolist()) == [1, 2, 3, 4]
    assert result.day_workload_s[1] == pytest.approx(HOUR_S)


def test_long_message_counts_rest():
    # Every one of the 20 days of a four-week cycle is outside the band around the mean of
    # 12 min: each Tuesday carries 1 h and the other days nothing. Five are listed.
    result = assign_visit_days(np.full(4, 0.25), np.full(4, HOUR_S), fixed_days=[(1,)] * 4)

    assert result.status == "unbalanced"
    assert "Mon of week 1 0 min is 100 % below" in result.message
    assert "; 15 more days" in result.message


def test_saturday_added():
    result = assign_visit_days(np.full(6, 1.0), np.full(6, HOUR_S), n_days=6)

    assert sorted(days[0] for days in result.days) == [0, 1, 2, 3, 4, 5]
    assert result.status == "balanced"


def test_unbalanced_reported_with_numbers():
    # One customer three times a week: Mon, Wed and Fri carry 1 h, the mean day is 36 min.
    result = assign_visit_days(np.array([3.0]), np.array([HOUR_S]))

    assert result.status == "unbalanced"
    assert "Days outside ±5 % of the mean day 36 min" in result.message
    assert "Mon 1.0 h is 66.7 % above" in result.message
    assert "Tue 0 min is 100 % below" in result.message


def test_over_capacity_reported():
    # Three customers visited daily for 3 h each: every day carries 9 h, above an 8 h shift.
    result = assign_visit_days(np.full(3, 5.0), np.full(3, 3 * HOUR_S), max_day_s=8 * HOUR_S)

    assert result.status == "over_capacity"
    assert "Days above the shift of 8.0 h: Mon 9.0 h" in result.message


def test_greedy_fallback_balanced(territory):
    settings = ScheduleSettings(max_cp_sat_points=0)

    result = assign_visit_days(**territory, settings=settings, seed=0)

    assert result.solver_status == "greedy and local search"
    assert result.day_workload_s.max() <= 1.15 * result.day_workload_s.mean()


# --- days off ----------------------------------------------------------------------------------


def test_days_off_pack_visits():
    # Six weekly customers of 1 h with Tuesday and Thursday off: two on each of Mon, Wed, Fri.
    result = assign_visit_days(np.ones(6), np.full(6, HOUR_S), days_off=(1, 3))

    assert result.day_workload_s.tolist() == [2 * HOUR_S, 0.0, 2 * HOUR_S, 0.0, 2 * HOUR_S]
    assert result.status == "balanced"


def test_days_off_keep_pattern_rules():
    # Twice a week is never on consecutive days. With Tue and Wed off, Mon+Thu and Mon+Fri
    # remain, because Thu+Fri are consecutive.
    result = assign_visit_days(np.array([2.0]), np.array([HOUR_S]), days_off=(1, 2))

    assert result.days[0] in ((0, 3), (0, 4))


def test_days_off_spare_fixed_days():
    # A fixed Tuesday visit stays on Tuesday even when Tuesday is a day off for the others.
    result = assign_visit_days(
        np.ones(2), np.full(2, HOUR_S), fixed_days=[(1,), None], days_off=(1, 3)
    )

    assert result.days[0] == (1,)
    assert result.days[1] in ((0,), (2,), (4,))


def test_days_off_leave_no_pattern():
    # Three visits a week are only allowed on Mon, Wed and Fri.
    with pytest.raises(ValueError, match=r"point 0: closed on Wed"):
        assign_visit_days(np.array([3.0]), np.array([HOUR_S]), days_off=(2,))


@pytest.mark.parametrize("days_off", [(5,), (0, 1, 2, 3, 4)])
def test_days_off_invalid(days_off):
    with pytest.raises(ValueError, match=r"days_off = .* must be distinct weekdays from 0 to 4"):
        assign_visit_days(np.ones(1), np.array([HOUR_S]), days_off=days_off)


# --- volume per day --------------------------------------------------------------------------


def test_volume_limit_separates_heavy_drops():
    # Mon, Wed and Fri work. Two drops of 400 cases cannot share a 500-case route, whatever
    # the hours: each takes a different day.
    volume = np.array([400.0, 400.0, 0.0, 0.0, 0.0, 0.0])
    workload = np.array([0.5, 0.5, 1.0, 1.0, 1.0, 1.0]) * HOUR_S
    result = assign_visit_days(np.ones(6), workload, days_off=(1, 3), demand_per_visit=volume,
                               max_day_demand=500.0)

    assert result.days[0] != result.days[1]
    assert "volume" not in result.message


def test_volume_above_limit_reported():
    # Both drops are fixed on Monday: 800 cases on a 500-case route.
    result = assign_visit_days(np.ones(2), np.full(2, HOUR_S), fixed_days=[(0,), (0,)],
                               demand_per_visit=np.full(2, 400.0), max_day_demand=500.0)

    assert result.status == "over_capacity"
    assert "Days above the volume of 500 per route: Mon 800" in result.message


def test_volume_must_be_finite():
    with pytest.raises(ValueError, match=r"point 1: demand nan per visit"):
        assign_visit_days(np.ones(2), np.full(2, HOUR_S), demand_per_visit=np.array([1, np.nan]),
                          max_day_demand=500.0)
