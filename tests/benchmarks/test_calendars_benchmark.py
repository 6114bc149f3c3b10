"""Calendar benchmark: the round-robin calendar that the product's calendar is compared with."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.calendars import round_robin_calendar


def test_round_robin_turns_weekdays() -> None:
    # Territory 0: six weekly customers take Mon to Fri, then Mon again, in file order.
    customers = pd.DataFrame({"visits_per_week": [1.0] * 6})
    labels = np.zeros(6, dtype=int)
    calendar = round_robin_calendar(customers, labels, ("T01",), working_days=5)
    assert calendar.days == ((0,), (1,), (2,), (3,), (4,), (0,))
    assert calendar.cycle_weeks == 1


def test_round_robin_per_territory() -> None:
    # Each territory starts its turn on Monday.
    customers = pd.DataFrame({"visits_per_week": [1.0, 1.0, 1.0]})
    labels = np.array([0, 1, 0])
    calendar = round_robin_calendar(customers, labels, ("T01", "T02"), working_days=5)
    assert calendar.days == ((0,), (0,), (1,))


def test_round_robin_alternates_weeks() -> None:
    # Every two weeks: weeks A and B in turn, so the cycle has two weeks.
    customers = pd.DataFrame({"visits_per_week": [0.5, 0.5, 2.0]})
    labels = np.zeros(3, dtype=int)
    calendar = round_robin_calendar(customers, labels, ("T01",), working_days=5)
    assert calendar.cycle_weeks == 2
    assert calendar.week.tolist() == [1, 2, 0]
    assert calendar.visits[0] == ((0, 0),)
    assert calendar.visits[1] == ((1, 1),)
    # The third customer's turn is 2: the third pattern of twice a week, Tue+Thu.
    assert calendar.visits[2] == ((0, 1), (0, 3), (1, 1), (1, 3))
