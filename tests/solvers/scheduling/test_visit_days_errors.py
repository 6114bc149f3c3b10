"""Invalid visit calendar inputs: each raises ValueError naming the point and the value."""

import numpy as np
import pytest

from solvers.scheduling import ScheduleSettings, assign_visit_days


def schedule(visits_per_week, **options):
    frequencies = np.asarray(visits_per_week, dtype=float)
    return assign_visit_days(frequencies, np.full(frequencies.size, 1_800.0), **options)


@pytest.mark.parametrize(
    ("visits_per_week", "match"),
    [
        ([1, 1, 7], "point 2: 7 visits per week > 5 working days"),
        ([0, 1], "point 0: 0 visits per week; a visited customer needs at least 0.25"),
        ([1, 2.5], "point 1: 2.5 visits per week is not allowed; use 0.25"),
        ([-1], "point 0: -1 visits per week"),
        ([0.3], "point 0: 0.3 visits per week is not allowed"),
    ],
)
def test_invalid_frequency_rejected(visits_per_week, match):
    with pytest.raises(ValueError, match=match):
        schedule(visits_per_week)


def test_six_visits_need_saturday():
    with pytest.raises(ValueError, match="point 0: 6 visits per week > 5 working days"):
        schedule([6])


def test_closed_days_leave_no_pattern():
    closed = np.array([[False, False, False, False, False], [True, True, True, False, False]])

    with pytest.raises(
        ValueError,
        match=r"point 1: closed on Mon, Tue, Wed, which leaves no allowed pattern for 2 visits",
    ):
        schedule([1, 2], closed_days=closed)


@pytest.mark.parametrize(
    ("fixed_days", "match"),
    [
        ([(0,)], r"point 0: fixed days \(0,\) for 2 visits per week; give 2 distinct weekdays"),
        ([(0, 0)], r"point 0: fixed days \(0, 0\) for 2 visits per week"),
        ([(0, 5)], r"point 0: fixed days \(0, 5\) must be weekdays from 0 \(Mon\) to 4 \(Fri\)"),
    ],
)
def test_invalid_fixed_days_rejected(fixed_days, match):
    with pytest.raises(ValueError, match=match):
        schedule([2], fixed_days=fixed_days)


def test_fixed_day_closed_rejected():
    closed = np.array([[True, False, False, False, False]])

    with pytest.raises(ValueError, match=r"point 0: fixed days \(0,\) include Mon"):
        schedule([1], fixed_days=[(0,)], closed_days=closed)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"n_days": 0}, "n_days must be a whole number of working days from 1 to 7; got 0"),
        ({"closed_days": np.zeros((1, 6), dtype=bool)}, r"closed_days must have shape \(1, 5\)"),
        ({"fixed_days": [None, None]}, "fixed_days has 2 entries for 1 points"),
        ({"coords_m": np.zeros((2, 2))}, r"coords_m must have shape \(1, 2\)"),
        ({"max_day_s": 0.0}, "max_day_s must be a positive number of seconds; got 0.0"),
        ({"time_limit_s": -1.0}, "time_limit_s must be positive; got -1.0"),
    ],
)
def test_invalid_option_rejected(options, match):
    with pytest.raises(ValueError, match=match):
        schedule([1], **options)


def test_negative_workload_rejected():
    with pytest.raises(ValueError, match=r"point 1: workload -5\.0 s per visit"):
        assign_visit_days(np.array([1.0, 1.0]), np.array([60.0, -5.0]))


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("day_tolerance", 1.0, r"day_tolerance must be in \[0, 1\)"),
        ("n_rounds", 0, "n_rounds must be at least 1; got 0"),
        ("solver_effort", 0.0, "solver_effort must be positive; got 0.0"),
        ("max_cp_sat_points", -1, "max_cp_sat_points must be 0 or more; got -1"),
    ],
)
def test_invalid_settings_rejected(field, value, match):
    with pytest.raises(ValueError, match=match):
        ScheduleSettings(**{field: value})
