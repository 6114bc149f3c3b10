"""The Duitama demo end to end: real roads, real solvers, real files, checked independently.

Routes are recomputed here from the travel matrices and the customer file, not taken from the
solver: arrival, service start inside the window, load against capacity, and shift.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from gtm_optimizer.pipeline import run
from gtm_optimizer.reporting.writers import write_outputs
from gtm_optimizer.scenario import load_scenario, parse_clock

REPO = Path(__file__).parent.parent
BASELINE = REPO / "scenarios" / "duitama" / "baseline.yaml"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory):
    scenario = load_scenario(BASELINE, solver={"time_limit_s": 2, "workers": 2})
    return run(scenario, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def out_dir(result, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_outputs(result, tmp_path_factory.mktemp("run") / "duitama")


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return pd.read_csv(BASELINE.parent / "customers.csv", dtype={"customer_id": str})


def test_road_distances_used(out_dir: Path) -> None:
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["distance_source"] == "osm_road_network"


def test_assumptions_stated(out_dir: Path) -> None:
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert "supuestos" in summary["assumptions"]


def test_visits_match_frequency_or_listed(out_dir: Path, customers: pd.DataFrame) -> None:
    stops = pd.read_csv(out_dir / "stops.csv", dtype={"customer_id": str})
    unserved = pd.read_csv(out_dir / "unserved.csv", dtype={"customer_id": str})
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    weeks = summary["cycle_weeks"]
    visits = stops.groupby("customer_id").size().reindex(customers["customer_id"], fill_value=0)
    expected = (customers.set_index("customer_id")["visits_per_week"] * weeks).round()
    short = visits[visits < expected].index
    assert set(short) <= set(unserved["customer_id"])


def test_unserved_have_reasons(out_dir: Path) -> None:
    unserved = pd.read_csv(out_dir / "unserved.csv", keep_default_na=False)
    assert (unserved["reason"] != "").all()


def test_nearly_everyone_served(result) -> None:
    assert result.summary["kpis"]["customers_served"] >= 0.95 * result.summary["kpis"]["customers"]


def test_no_customer_twice_a_day(result) -> None:
    per_route = result.stops.groupby(["route_id", "customer_id"]).size()
    assert per_route.max() == 1


def test_routes_recomputed_from_matrices(result, customers: pd.DataFrame) -> None:
    duration = result.matrices.duration_s
    fleet = {vehicle.name: vehicle for vehicle in result.scenario.fleet}
    by_id = customers.set_index("customer_id")
    weeks = result.summary["cycle_weeks"]
    for route in result.routes.itertuples():
        vehicle = fleet[route.vehicle_type]
        stops = result.stops[result.stops["route_id"] == route.route_id].sort_values("sequence")
        depot = result.point_of[route.depot_id]
        clock = route.start_s
        here = depot
        load = 0.0
        for stop in stops.itertuples():
            row = by_id.loc[stop.customer_id]
            point = result.point_of[stop.customer_id]
            clock += float(duration[here, point])
            window_start = parse_clock(row["tw_start"])
            window_end = parse_clock(row["tw_end"])
            start = max(clock, window_start)
            assert start <= window_end + 1, f"{route.route_id}: {stop.customer_id} starts late"
            clock = start + row["service_min"] * 60
            load += row["volume_per_week"] / row["visits_per_week"]
            here = point
        clock += float(duration[here, depot])
        shift_start, shift_end = vehicle.shift_s
        assert load <= vehicle.capacity + 1e-6, route.route_id
        assert clock == pytest.approx(route.end_s, abs=1.0), route.route_id
        assert clock <= shift_end + 1, f"{route.route_id} ends after the shift"
        assert clock - route.start_s <= vehicle.max_shift_h * 3600 + 1
        assert route.start_s >= shift_start - 1
    assert len(result.routes) == result.summary["kpis"]["routes_per_week"] * weeks


def test_routes_start_and_end_at_depot(result) -> None:
    depot = result.depots.geometry.iloc[0]
    for line in result.routes.geometry:
        start, end = line.coords[0], line.coords[-1]
        # Depot within about 500 m of both ends of the road-following line.
        assert math.dist(start, (depot.x, depot.y)) < 0.005
        assert math.dist(end, (depot.x, depot.y)) < 0.005


def test_allocations_add_up(out_dir: Path) -> None:
    stops = pd.read_csv(out_dir / "stops.csv")
    routes = json.loads((out_dir / "routes.geojson").read_text(encoding="utf-8"))
    totals = {f["properties"]["route_id"]: f["properties"]["cost_total"]
              for f in routes["features"]}
    allocated = stops.groupby("route_id")["allocated_cost"].sum()
    for route_id, total in totals.items():
        assert allocated[route_id] == pytest.approx(total, rel=1e-9)


def test_customer_costs_match_summary(out_dir: Path) -> None:
    customers = pd.read_csv(out_dir / "customers.csv")
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert customers["cts_total"].sum() == pytest.approx(summary["kpis"]["cts_per_week"])
    route_share = customers["cts_route"].sum()
    assert route_share == pytest.approx(summary["kpis"]["route_cost_per_week"])


def test_route_maps_list_their_stops(out_dir: Path) -> None:
    stops = pd.read_csv(out_dir / "stops.csv", dtype={"customer_id": str})
    maps = sorted((out_dir / "maps" / "routes").glob("*.html"))
    assert len(maps) == stops["route_id"].nunique()
    for path in maps:
        html = path.read_text(encoding="utf-8")
        assert html.lstrip().lower().startswith("<!doctype html>")
        for customer_id in stops.loc[stops["route_id"] == path.stem, "customer_id"]:
            assert customer_id in html, f"{customer_id} missing from {path.name}"


def test_index_map_credits_osm(out_dir: Path) -> None:
    html = (out_dir / "maps" / "index.html").read_text(encoding="utf-8")
    assert "OpenStreetMap contributors" in html


def test_territory_workloads_written(out_dir: Path) -> None:
    territories = json.loads((out_dir / "territories.geojson").read_text(encoding="utf-8"))
    workloads = [f["properties"]["workload_h_per_week"] for f in territories["features"]]
    assert len(workloads) == 4
    assert min(workloads) > 0


def test_prospects_ranked(out_dir: Path, customers: pd.DataFrame) -> None:
    prospects = pd.read_csv(out_dir / "prospects.csv", dtype={"prospect_id": str})
    universe = pd.read_csv(BASELINE.parent / "universe.csv", dtype={"outlet_id": str})
    assert len(prospects) == len(universe) - len(customers)
    assert set(prospects["prospect_id"]).isdisjoint(customers["customer_id"])
    assert prospects["marginal_cost"].is_monotonic_increasing
    assert (prospects["marginal_cost"] > 0).all()


def test_numeric_distribution_against_universe(result) -> None:
    kpis = result.summary["kpis"]
    assert kpis["universe"] == 654
    assert kpis["numeric_distribution_pct"] == pytest.approx(
        100 * kpis["customers_served"] / 654)
