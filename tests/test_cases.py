"""Field-reported faults, each run through the product on a tiny made-up input.

Bogotá cases run on straight-line distances from the depot DEP_BOG (4.6533, -74.0836);
Monaco-like cases run on the synthetic networks in ``tests/data/osm`` with the depot at their
node 1 (43.7370, 7.4200). The fleet is vans of capacity 100 working 07:00-17:00.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from gtm_optimizer.cli import app
from gtm_optimizer.errors import InputError
from gtm_optimizer.pipeline import run
from gtm_optimizer.reporting.writers import write_outputs
from gtm_optimizer.results import RunResult
from gtm_optimizer.scenario import Scenario, load_scenario

DATA = Path(__file__).parent / "data"
CASES = DATA / "cases"
OSM = DATA / "osm"

SCENARIO = """
name: {name}
language: en
inputs:
  customers: {customers}
  columns: {{volume_per_visit: demand, revenue_per_week: revenue}}
network: {network}
depots: [{{id: {depot_id}, lat: {depot_lat}, lon: {depot_lon}}}]
fleet:
  - {{name: van, count: {vans}, depot: {depot_id}, capacity: {capacity}, shift_start: "07:00",
     shift_end: "17:00", cost_per_km: 1.2, cost_per_hour: 25}}
plan: {{territories: {territories}, working_days: {working_days}}}
solver: {{time_limit_s: 0.2, workers: 1}}
on_invalid_rows: {on_invalid_rows}
"""

BOGOTA = {
    "depot_id": "DEP_BOG",
    "depot_lat": 4.6533,
    "depot_lon": -74.0836,
    "network": "{straight_line: true, service_radius_km: 20}",
}
MONACO = {"depot_id": "DEP_MCO", "depot_lat": 43.7370, "depot_lon": 7.4200}

ScenarioFactory = Callable[..., Scenario]


@pytest.fixture(scope="module")
def scenario_of(tmp_path_factory: pytest.TempPathFactory) -> ScenarioFactory:
    """Return a factory: case name and settings → a scenario written to a fresh folder."""

    def make(
        case: str,
        *,
        place: dict[str, Any] = BOGOTA,
        customers: Path | None = None,
        **settings: Any,
    ) -> Scenario:
        values = {
            "name": case,
            "customers": customers or CASES / f"{case}.csv",
            "vans": 2,
            "capacity": 100,
            "territories": 2,
            "working_days": 5,
            "on_invalid_rows": "stop",
            **place,
            **settings,
        }
        folder = tmp_path_factory.mktemp(case)
        path = folder / "scenario.yaml"
        path.write_text(SCENARIO.format(**values), encoding="utf-8")
        return load_scenario(path)

    return make


def unserved_reasons(result: RunResult) -> dict[str, str]:
    return dict(zip(result.unserved["customer_id"], result.unserved["reason"], strict=True))


def served_ids(result: RunResult) -> list[str]:
    return sorted(set(result.stops["customer_id"]))


def problems_by_id(error: pytest.ExceptionInfo[InputError]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for problem in error.value.problems:
        found.setdefault(problem.customer_id, []).append(problem)
    return found


# One-way spurs: node 5 can be entered but not left (M03), node 6 left but not entered (M04).


@pytest.fixture(scope="module")
def one_way(scenario_of: ScenarioFactory) -> RunResult:
    place = {**MONACO, "network": f"{{path: {OSM / 'B01_oneway.osm'}}}"}
    return run(scenario_of("B26", place=place, vans=1, territories=1))


def test_one_way_customers_unserved(one_way: RunResult) -> None:
    assert unserved_reasons(one_way) == {
        "M03": "unreachable_one_way",
        "M04": "unreachable_one_way",
    }


def test_one_way_rest_routed(one_way: RunResult) -> None:
    assert served_ids(one_way) == ["M01", "M02"]


def test_one_way_matrix_marks_unreachable(one_way: RunResult) -> None:
    usable = np.asarray(one_way.matrices.usable)
    assert [bool(usable[one_way.point_of[c]]) for c in ("M01", "M02", "M03", "M04")] == [
        True,
        True,
        False,
        False,
    ]


def test_one_way_routes_stay_on_block(one_way: RunResult) -> None:
    # The block is 121 m by 111 m, so a trip from the depot around it is under 1 km. A route
    # that used a sentinel distance or time of an unreachable pair would be far longer.
    assert one_way.routes["distance_km"].max() < 1.0
    assert np.isfinite(one_way.routes["cost_total"]).all()


# Road island: M05 is 2 m from a two-node road touching nothing else, 401 m from the block.


@pytest.fixture(scope="module")
def island(scenario_of: ScenarioFactory) -> RunResult:
    place = {**MONACO, "network": f"{{path: {OSM / 'B02_island.osm'}}}"}
    return run(scenario_of("B02", place=place, vans=1, territories=1))


def test_island_customer_unserved(island: RunResult) -> None:
    assert unserved_reasons(island) == {"M05": "unreachable_island"}


def test_island_customer_not_moved(island: RunResult) -> None:
    customers = island.customers.set_index("customer_id")
    assert customers.loc["M05", "snap_m"] < 10.0


def test_island_detail_names_reachable_road(island: RunResult) -> None:
    # M05 is 0.0025° north and 0.0036° east of node 3, the block's nearest corner: 278 m and
    # 290 m, 401 m in all.
    detail = island.unserved.set_index("customer_id").loc["M05", "detail"]
    assert "401 m" in detail


def test_island_rest_routed(island: RunResult) -> None:
    assert served_ids(island) == ["M01", "M02"]


# Swapped coordinates: C02 and C04 have lat and lon exchanged; −74.06 passes a range check.


def test_swapped_stops_run(scenario_of: ScenarioFactory) -> None:
    with pytest.raises(InputError, match="would fall inside if lat and lon were swapped") as error:
        run(scenario_of("B04"))
    found = problems_by_id(error)
    assert sorted(found) == ["C02", "C04"]
    assert {p.code for p in found["C02"]} == {"swapped_lat_lon"}


def test_swapped_skipped_rest_routed(scenario_of: ScenarioFactory) -> None:
    result = run(scenario_of("B04", on_invalid_rows="skip"))
    assert served_ids(result) == ["C01", "C03", "C05"]
    assert sorted(result.rejects["customer_id"]) == ["C02", "C04"]


# Blank, NaN and decimal-comma coordinates.


def test_bad_coordinates_stop_before_snapping(scenario_of: ScenarioFactory) -> None:
    with pytest.raises(InputError, match="value is blank") as error:
        run(scenario_of("B06"))
    found = {(p.customer_id, p.line, p.column, p.value) for p in error.value.problems}
    assert found == {("C02", 3, "lat", ""), ("C04", 5, "lon", "NaN"), ("C05", 6, "lat", "4,6350")}


def test_decimal_comma_only_with_option(scenario_of: ScenarioFactory, tmp_path: Path) -> None:
    scenario = scenario_of("B06", on_invalid_rows="skip")
    scenario = scenario.model_copy(
        update={"inputs": scenario.inputs.model_copy(update={"decimal_comma": True})}
    )
    result = run(scenario)
    assert served_ids(result) == ["C01", "C03", "C05"]


# Outside the service area (30 km west) and at 0,0 (a failed geocode).


def test_outside_and_null_island_listed(scenario_of: ScenarioFactory) -> None:
    with pytest.raises(InputError, match="coordinates are 0,0") as error:
        run(scenario_of("B07"))
    found = problems_by_id(error)
    assert sorted(found) == ["C06", "C07"]
    # C06 is 17.8 km north and 30.0 km west of the depot: 34.9 km. 0,0 is 8,244 km from it,
    # 8,224 km from the edge of the 20 km service radius.
    assert "34.9 km from the nearest depot" in found["C06"][0].message
    assert "8,224 km from the service area" in found["C07"][0].message


def test_outside_skipped_rest_routed(scenario_of: ScenarioFactory) -> None:
    result = run(scenario_of("B07", on_invalid_rows="skip"))
    assert served_ids(result) == ["C01", "C02", "C03"]


# Fractional demand (0.4-0.9 m³) with vans of capacity 2.0: all five on one working day.


@pytest.fixture(scope="module")
def fractional(scenario_of: ScenarioFactory) -> RunResult:
    return run(scenario_of("B09", capacity=2.0, working_days=1))


def test_fractional_loads_recomputed(fractional: RunResult) -> None:
    demand = pd.read_csv(CASES / "B09.csv").set_index("customer_id")["demand"]
    recomputed = fractional.stops.groupby("route_id")["customer_id"].agg(
        lambda ids: float(demand[list(ids)].sum())
    )
    reported = fractional.routes.set_index("route_id")["load"]
    assert np.allclose(reported.loc[recomputed.index], recomputed)


def test_fractional_loads_within_capacity(fractional: RunResult) -> None:
    assert fractional.routes["load"].max() <= 2.0 + 1e-9


def test_fractional_demand_kept(fractional: RunResult) -> None:
    # Truncated to integers every demand would be 0 and every load 0.
    assert fractional.routes["load"].min() > 0


def test_fractional_every_customer_accounted(fractional: RunResult) -> None:
    listed = set(served_ids(fractional)) | set(fractional.unserved["customer_id"])
    assert listed == {"C01", "C02", "C03", "C04", "C05"}


# C02 orders 150 with vans of capacity 100.


@pytest.fixture(scope="module")
def oversized(scenario_of: ScenarioFactory) -> RunResult:
    return run(scenario_of("B10"))


def test_oversized_demand_named(oversized: RunResult) -> None:
    row = oversized.unserved.set_index("customer_id").loc["C02"]
    assert row["reason"] == "demand_exceeds_capacity"
    assert row["detail"] == "demand 150 > largest capacity 100"


def test_oversized_rest_routed(oversized: RunResult) -> None:
    assert served_ids(oversized) == ["C01", "C03", "C04", "C05"]


# Six customers, all 09:00-09:30 with 20 min of service, one van, one working day.


@pytest.fixture(scope="module")
def crowded(scenario_of: ScenarioFactory) -> RunResult:
    return run(scenario_of("B11", vans=1, territories=1, working_days=1))


def test_crowded_day_partial_plan(crowded: RunResult) -> None:
    # A second visit starts at 09:20 plus travel at the earliest and a third at 09:40, after
    # every window closes; C01 and C02 are 3.0 km apart by road (7 min at 25 km/h).
    assert len(served_ids(crowded)) == 2


def test_crowded_day_dropped_listed(crowded: RunResult) -> None:
    assert len(crowded.unserved) == 4
    assert set(crowded.unserved["reason"]) == {"not_routed"}


def test_crowded_day_reason_detail(crowded: RunResult) -> None:
    assert crowded.unserved["detail"].str.contains("time windows").all()


# Windows outside the 07:00-17:00 shift: C02 18:00-20:00, C03 05:00-06:30, C04 16:30-23:59.


@pytest.fixture(scope="module")
def late_windows(scenario_of: ScenarioFactory) -> RunResult:
    return run(scenario_of("B12"))


def test_windows_outside_shift_unserved(late_windows: RunResult) -> None:
    assert unserved_reasons(late_windows) == {
        "C02": "window_outside_shift",
        "C03": "window_outside_shift",
    }


def test_partly_outside_window_clipped(late_windows: RunResult) -> None:
    stop = late_windows.stops.set_index("customer_id").loc["C04"]
    assert 16.5 * 3600 <= stop["start_s"] <= 17 * 3600


# Service longer than its window (C02: 10:00-10:15, 45 min) and a zero-width window (C03).


@pytest.fixture(scope="module")
def narrow_windows(scenario_of: ScenarioFactory) -> RunResult:
    return run(scenario_of("B13"))


def test_service_starts_within_window(narrow_windows: RunResult) -> None:
    stop = narrow_windows.stops.set_index("customer_id").loc["C02"]
    assert 10 * 3600 <= stop["start_s"] <= 10.25 * 3600


def test_zero_width_window_exact_start(narrow_windows: RunResult) -> None:
    stop = narrow_windows.stops.set_index("customer_id").loc["C03"]
    assert stop["start_s"] == pytest.approx(14 * 3600)


# More territories than customers.


def test_too_many_territories_exit_2(
    monkeypatch: pytest.MonkeyPatch, scenario_of: ScenarioFactory, tmp_path: Path
) -> None:
    from gtm_optimizer import cli

    monkeypatch.setattr(cli.error_console, "width", 250)
    scenario = scenario_of("B16", territories=5)
    path = scenario.base_dir / "scenario.yaml"
    environment = {"XDG_STATE_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    result = CliRunner().invoke(
        app, ["run", str(path), "--out", str(tmp_path / "out")], env=environment
    )
    assert result.exit_code == 2
    assert "5 territories requested, only 3 customers" in " ".join(result.stderr.split())


@pytest.fixture(scope="module")
def one_per_customer(scenario_of: ScenarioFactory) -> RunResult:
    return run(scenario_of("B16", territories=3))


def test_one_territory_per_customer(one_per_customer: RunResult) -> None:
    assert len(one_per_customer.territories) == 3


def test_straight_line_flagged_in_summary(one_per_customer: RunResult, tmp_path: Path) -> None:
    folder = write_outputs(one_per_customer, tmp_path / "out", maps=False)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["distance_source"] == "straight_line"


# Clipped extract: way 302 lists node 99, which the file does not contain.


def test_clipped_extract_runs(
    scenario_of: ScenarioFactory, caplog: pytest.LogCaptureFixture
) -> None:
    place = {
        "depot_id": "DEP_BOG",
        "depot_lat": 4.6300,
        "depot_lon": -74.0700,
        "network": f"{{path: {OSM / 'B19_clipped.osm'}}}",
    }
    with caplog.at_level(logging.WARNING):
        result = run(scenario_of("B19", place=place, vans=1, territories=1))
    assert result.summary["network"]["ways_trimmed"] == 1
    assert served_ids(result) == ["C41", "C42"]
    assert "B19_clipped.osm" in caplog.text
    assert "complete ways" in caplog.text


# Two depots, one van each; the four customers are all near the northern depot D_N.


TWO_DEPOTS = """
name: two depots
inputs:
  customers: {customers}
  columns: {{volume_per_visit: demand, revenue_per_week: revenue}}
network: {{straight_line: true}}
depots: [{depots}]
fleet:
  - {{name: van_n, count: 1, depot: D_N, capacity: 100, cost_per_km: 1.2, cost_per_hour: 25}}
  - {{name: van_s, count: 1, depot: D_S, capacity: 100, cost_per_km: 1.2, cost_per_hour: 25}}
plan: {{territories: 1}}
solver: {{time_limit_s: 0.2, workers: 1}}
"""


@pytest.fixture(scope="module")
def two_depots(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunResult, pd.DataFrame]:
    # The file lists depots as rows with role "depot"; the scenario defines them instead.
    folder = tmp_path_factory.mktemp("two_depots")
    table = pd.read_csv(CASES / "B21.csv", dtype=str)
    customers = table[table["role"] == "customer"].drop(columns="role")
    customers.to_csv(folder / "customers.csv", index=False)
    depots = ", ".join(
        f"{{id: {row.customer_id}, lat: {row.lat}, lon: {row.lon}}}"
        for row in table[table["role"] == "depot"].itertuples()
    )
    path = folder / "scenario.yaml"
    path.write_text(
        TWO_DEPOTS.format(customers=folder / "customers.csv", depots=depots), encoding="utf-8"
    )
    return run(load_scenario(path)), customers


def test_routes_start_at_own_depot(two_depots: tuple[RunResult, pd.DataFrame]) -> None:
    result, _table = two_depots
    depot_of = {"van_n": "D_N", "van_s": "D_S"}
    routes = result.routes
    assert (routes["depot_id"] == routes["vehicle_type"].map(depot_of)).all()


def test_depot_never_a_stop(two_depots: tuple[RunResult, pd.DataFrame]) -> None:
    result, _table = two_depots
    assert not set(result.stops["customer_id"]) & {"D_N", "D_S"}


def test_depots_add_no_revenue(two_depots: tuple[RunResult, pd.DataFrame]) -> None:
    result, table = two_depots
    revenue = table["revenue"].astype(float).sum()
    assert result.summary["kpis"]["revenue_per_week"] == revenue


def test_depots_add_no_service(two_depots: tuple[RunResult, pd.DataFrame]) -> None:
    result, table = two_depots
    service_h = table["service_min"].astype(float).sum() / 60
    assert result.routes["service_h"].sum() == pytest.approx(service_h)


def test_unused_depot_reported(two_depots: tuple[RunResult, pd.DataFrame]) -> None:
    result, _table = two_depots
    assert result.summary["unused_depots"] == ["D_S"]


# Duplicate ids: C03 twice with different coordinates; "c05 " repeats "C05".


def test_duplicates_stop_with_lines(scenario_of: ScenarioFactory) -> None:
    with pytest.raises(InputError, match="customer id appears more than once") as error:
        run(scenario_of("B23"))
    found = sorted((p.customer_id, p.line) for p in error.value.problems)
    assert found == [("C03", 4), ("C03", 5), ("C05", 6), ("c05", 7)]
    assert "(lines 4, 5)" in error.value.problems[0].message


def test_duplicates_never_served(scenario_of: ScenarioFactory) -> None:
    result = run(scenario_of("B23", on_invalid_rows="skip"))
    assert served_ids(result) == ["C01", "C02"]


# Visit frequencies on a 5-day week: C01=3, C03=7, C04=0, C05=2.5.


@pytest.fixture(scope="module")
def frequencies(scenario_of: ScenarioFactory) -> RunResult:
    return run(scenario_of("B24", territories=1, on_invalid_rows="skip"))


def test_impossible_frequencies_rejected(frequencies: RunResult) -> None:
    rejects = frequencies.rejects.set_index("customer_id")["message"]
    assert rejects["C03"] == "7 visits per week > 5 working days"
    assert rejects["C04"].startswith("0 visits per week")
    assert rejects["C05"] == "visits per week must be a whole number or 0.5 / 0.25"


def test_three_visits_spread(frequencies: RunResult) -> None:
    days = frequencies.customers.set_index("customer_id").loc["C01", "visit_days"]
    assert days == "Mon+Wed+Fri"


def test_three_visits_never_same_day(frequencies: RunResult) -> None:
    visits = frequencies.stops[frequencies.stops["customer_id"] == "C01"]
    assert visits["route_id"].nunique() == 3


def test_workload_counts_every_visit(frequencies: RunResult) -> None:
    workload_h = frequencies.customers.set_index("customer_id").loc["C01", "workload_h_per_week"]
    assert workload_h >= 3 * 15 / 60
