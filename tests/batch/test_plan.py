"""Cycle weeks of dates, and reading a plan folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from gtm_optimizer.batch.plan import cycle_week_of, read_plan
from gtm_optimizer.errors import InputError


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2024, 1, 1), 1),  # the default cycle start, a Monday
        (date(2024, 1, 7), 1),  # the Sunday of the same week
        (date(2024, 1, 8), 2),
        (date(2024, 1, 15), 1),
        (date(2023, 12, 31), 2),  # the week before the start
    ],
)
def test_cycle_week_two_weeks(day: date, week: int) -> None:
    assert cycle_week_of(day, 2) == week


def test_cycle_week_across_53_week_year() -> None:
    # ISO 2026 has 53 weeks: ISO weeks 53 (from 2026-12-28) and 1 of 2027 are both odd, but
    # they are consecutive weeks and must alternate.
    assert cycle_week_of(date(2026, 12, 28), 2) != cycle_week_of(date(2027, 1, 4), 2)


def test_cycle_week_four_weeks() -> None:
    assert cycle_week_of(date(2024, 1, 29), 4) == 1


def test_cycle_week_custom_start() -> None:
    assert cycle_week_of(date(2024, 1, 8), 2, cycle_start=date(2024, 1, 10)) == 1


def test_cycle_week_weekly_plan() -> None:
    assert cycle_week_of(date(2025, 6, 3), 1) == 1


def test_cycle_week_invalid_length() -> None:
    with pytest.raises(ValueError, match="cycle_weeks = 3 must be 1, 2 or 4"):
        cycle_week_of(date(2024, 1, 1), 3)


def test_plan_cycle_weeks(plan_dir: Path) -> None:
    assert read_plan(plan_dir).cycle_weeks == 2


def test_plan_territories(plan_dir: Path) -> None:
    assert read_plan(plan_dir).territory_ids == ("T01", "T02")


def test_plan_route_sequence(plan_dir: Path) -> None:
    stops = pd.read_csv(plan_dir / "stops.csv")
    expected = stops[stops["route_id"] == "T01-W2-Mon"].sort_values("sequence")
    sequence = read_plan(plan_dir).route_sequence("T01", 2, 0)
    assert sequence == expected["customer_id"].str.casefold().tolist()


def test_plan_folder_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="plan file not found"):
        read_plan(tmp_path)
