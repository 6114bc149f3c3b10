"""Days off that pack a territory's visits into fewer working days."""

import numpy as np
import pytest

from solvers.scheduling.packing import choose_days_off

HOUR_S = 3600.0
SHIFT_S = 8 * HOUR_S


def test_light_week_gets_three_days():
    # 20 weekly visits of 1 h fill 20 h: three 8-hour shifts at 85 % hold 20.4 h.
    days_off = choose_days_off(
        np.ones(20), np.full(20, HOUR_S), n_days=5, max_day_s=SHIFT_S, fill=0.85
    )
    assert days_off == (1, 3)


def test_full_week_keeps_every_day():
    # 40 h of visits need five 8-hour shifts at 100 %.
    days_off = choose_days_off(
        np.ones(40), np.full(40, HOUR_S), n_days=5, max_day_s=SHIFT_S, fill=1.0
    )
    assert days_off == ()


def test_two_days_are_monday_and_thursday():
    # 10 h of visits in two shifts, spread as evenly as the week allows.
    days_off = choose_days_off(
        np.ones(10), np.full(10, HOUR_S), n_days=5, max_day_s=SHIFT_S, fill=1.0
    )
    assert days_off == (1, 2, 4)


def test_frequency_sets_the_minimum():
    # One customer three times a week: Mon, Wed and Fri, however light the workload.
    days_off = choose_days_off(
        np.array([3.0]), np.array([HOUR_S]), n_days=5, max_day_s=SHIFT_S, fill=0.85
    )
    assert days_off == (1, 3)


def test_closed_day_moves_the_days():
    # 10 h of visits need two days. Mon+Thu would be chosen, but the third customer is closed
    # on both, so the next pair as evenly spread is taken: Mon+Fri.
    closed = np.zeros((3, 5), dtype=bool)
    closed[2, [0, 3]] = True
    workload_s = np.full(3, 10 * HOUR_S / 3)
    days_off = choose_days_off(
        np.ones(3), workload_s, n_days=5, max_day_s=SHIFT_S, fill=1.0, closed_days=closed
    )
    assert days_off == (1, 2, 3)


def test_fixed_days_constrain_nothing():
    # A customer fixed on Tuesday keeps its day; the others pack as if it were absent.
    days_off = choose_days_off(
        np.ones(2),
        np.full(2, HOUR_S),
        n_days=5,
        max_day_s=SHIFT_S,
        fill=1.0,
        fixed_days=[(1,), None],
    )
    assert days_off == (1, 2, 3, 4)


def test_no_points_no_days_off():
    assert choose_days_off(np.zeros(0), np.zeros(0), n_days=5, max_day_s=SHIFT_S, fill=0.85) == ()


@pytest.mark.parametrize("fill", [0.0, 1.5])
def test_fill_out_of_range(fill):
    with pytest.raises(ValueError, match=rf"fill = {fill} must be in \(0, 1\]"):
        choose_days_off(np.ones(1), np.ones(1), n_days=5, max_day_s=SHIFT_S, fill=fill)


def test_volume_needs_more_days():
    # 10 weekly drops of 100 cases fill 4 h, one shift, but 1,000 cases need three loads of
    # 500 at 85 %.
    days_off = choose_days_off(np.ones(10), np.full(10, 0.4 * HOUR_S), n_days=5,
                               max_day_s=SHIFT_S, fill=0.85,
                               demand_per_visit=np.full(10, 100.0), max_day_demand=500.0)
    assert days_off == (1, 3)
