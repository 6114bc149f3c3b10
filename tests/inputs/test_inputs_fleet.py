"""Fit of the customers to the fleet: capacity, service time, windows and territory count."""

from __future__ import annotations

from pathlib import Path

from input_helpers import BOGOTA_SCENARIO, case_file, load_case

from gtm_optimizer.inputs.fleet import check_fleet_fit, check_territory_count, working_day
from gtm_optimizer.scenario import Scenario, load_scenario


def bogota(tmp_path: Path, customers: Path, **overrides: object) -> Scenario:
    path = tmp_path / "scenario.yaml"
    path.write_text(BOGOTA_SCENARIO.format(customers=customers), encoding="utf-8")
    return load_scenario(path, **overrides)


def fit(tmp_path: Path, customers: Path, **overrides: object) -> list:
    scenario = bogota(tmp_path, customers, **overrides)
    return check_fleet_fit(load_case(customers).customers, scenario, file=customers.name)


def edited_case(tmp_path: Path, case: str, old: str, new: str) -> Path:
    path = tmp_path / f"{case}_edited.csv"
    text = case_file(case).read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_demand_above_every_capacity_named(tmp_path: Path) -> None:
    problems = fit(tmp_path, case_file("B10"))
    assert [(p.customer_id, p.code, p.severity) for p in problems] == [
        ("C02", "demand_exceeds_capacity", "warning")
    ]
    assert "demand 150 > largest capacity 100" in problems[0].message
    assert problems[0].line == 3


def test_larger_vehicle_type_fits(tmp_path: Path) -> None:
    fleet = [
        {"name": "van", "count": 2, "depot": "DEP_BOG", "capacity": 100},
        {"name": "truck", "count": 1, "depot": "DEP_BOG", "capacity": 200},
    ]
    assert fit(tmp_path, case_file("B10"), fleet=fleet) == []


def test_windows_outside_and_clipped(tmp_path: Path) -> None:
    problems = fit(tmp_path, case_file("B12"))
    assert [(p.customer_id, p.code) for p in problems] == [
        ("C02", "window_outside_shift"),
        ("C03", "window_outside_shift"),
        ("C04", "window_clipped"),
    ]
    assert "the run uses 16:30-17:00" in problems[2].message
    assert {p.severity for p in problems} == {"warning"}


def test_service_longer_than_window_accepted(tmp_path: Path) -> None:
    # Service starts within the window and may end after it closes (10:00-10:15, 45 min).
    assert fit(tmp_path, case_file("B13")) == []


def test_window_covering_day_not_reported(tmp_path: Path) -> None:
    customers = edited_case(tmp_path, "B16", "08:00,17:00", "00:00,24:00")
    assert fit(tmp_path, customers) == []


def test_late_window_service_past_shift(tmp_path: Path) -> None:
    customers = edited_case(tmp_path, "B16", "1,15,08:00,17:00", "1,15,16:50,17:00")
    problems = fit(tmp_path, customers)
    assert [(p.customer_id, p.code) for p in problems] == [("C01", "service_after_shift")]
    assert "service of 15 min starting when the window opens at 16:50" in problems[0].message


def test_service_above_longest_day_is_error(tmp_path: Path) -> None:
    customers = edited_case(tmp_path, "B16", "1,15,08:00", "1,900,08:00")
    problems = fit(tmp_path, customers)
    assert [(p.customer_id, p.code, p.severity) for p in problems] == [
        ("C01", "service_longer_than_shift", "error")
    ]
    assert "service of 900 min is longer than the longest working day of 600 min" in (
        problems[0].message
    )


def test_max_shift_shortens_day(tmp_path: Path) -> None:
    fleet = [{"name": "van", "count": 2, "depot": "DEP_BOG", "capacity": 100, "max_shift_h": 4}]
    day = working_day(bogota(tmp_path, case_file("B16"), fleet=fleet))
    assert day.longest_s == 4 * 3600.0


def test_depot_hours_cut_working_day(tmp_path: Path) -> None:
    depots = [{"id": "DEP_BOG", "lat": 4.6533, "lon": -74.0836, "open": "08:00", "close": "16:00"}]
    day = working_day(bogota(tmp_path, case_file("B16"), depots=depots))
    assert (day.start_s, day.end_s, day.longest_s) == (8 * 3600.0, 16 * 3600.0, 8 * 3600.0)


def test_too_many_territories(tmp_path: Path) -> None:
    scenario = bogota(tmp_path, case_file("B16"), plan={"territories": 5})
    problems = check_territory_count(scenario, 3)
    assert [p.message for p in problems] == ["5 territories requested, only 3 customers"]
    assert problems[0].line is None


def test_one_territory_per_customer_allowed(tmp_path: Path) -> None:
    scenario = bogota(tmp_path, case_file("B16"), plan={"territories": 3})
    assert check_territory_count(scenario, 3) == []


def test_auto_territories_not_checked(tmp_path: Path) -> None:
    scenario = bogota(tmp_path, case_file("B16"), plan={"territories": "auto"})
    assert check_territory_count(scenario, 0) == []


def test_slightly_trimmed_window_not_reported(tmp_path: Path) -> None:
    customers = edited_case(tmp_path, "B16", "08:00,17:00", "06:30,12:00")
    assert fit(tmp_path, customers) == []
