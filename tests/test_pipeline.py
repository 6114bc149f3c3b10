"""The whole job on the Aguascalientes extract: every stage real, small enough to be quick."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gtm_optimizer.inputs.assumed import assume_attributes
from gtm_optimizer.network import extract_outlets
from gtm_optimizer.pipeline import run
from gtm_optimizer.reporting.writers import write_outputs
from gtm_optimizer.scenario import load_scenario

SCENARIO = """
name: Aguascalientes test
language: en
inputs: {{customers: customers.csv}}
network: {{path: {osm}, profile: van}}
depots: [{{id: DEP, name: Depot, lat: 21.8700, lon: -102.2750}}]
fleet:
  - {{name: van, count: 2, depot: DEP, capacity: 60, shift_start: "07:00",
     shift_end: "17:00", fixed_cost_per_day: 150000, cost_per_hour: 10000, cost_per_km: 800}}
costs: {{cost_per_drop: 2000, handling_cost_per_unit: 500, annual_cost_of_capital: 0.12}}
plan: {{territories: 2, working_days: 5}}
solver: {{time_limit_s: 1, seed: 3, workers: 1}}
"""


@pytest.fixture(scope="module")
def run_dir(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("aguascalientes")
    osm = data_dir / "osm" / "aguascalientes.osm.pbf"
    outlets = extract_outlets(osm)
    customers = assume_attributes(outlets, seed=1)
    customers.to_csv(folder / "customers.csv", index=False)
    (folder / "scenario.yaml").write_text(SCENARIO.format(osm=osm), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def result(run_dir: Path):
    scenario = load_scenario(run_dir / "scenario.yaml")
    return run(scenario, cache_dir=run_dir / "cache")


@pytest.fixture(scope="module")
def out_dir(result, run_dir: Path) -> Path:
    return write_outputs(result, run_dir / "out")


def test_uses_road_distances(result) -> None:
    assert result.summary["distance_source"] == "osm_road_network"


def test_every_customer_routed_or_listed(result) -> None:
    customers = pd.DataFrame(result.customers)
    full = customers["visits_routed_per_week"] >= customers["visits_per_week"] - 1e-9
    listed = customers["customer_id"].isin(result.unserved["customer_id"])
    assert bool((full | listed).all())


def test_two_territories(result) -> None:
    assert sorted(result.territories["territory_id"]) == ["T01", "T02"]


def test_allocated_costs_add_up(result) -> None:
    allocated = result.stops.groupby("route_id")["allocated_cost"].sum()
    totals = result.routes.set_index("route_id")["cost_total"]
    assert np.allclose(allocated.reindex(totals.index), totals)


def test_output_files_written(out_dir: Path) -> None:
    expected = {"summary.json", "customers.csv", "stops.csv", "territories.geojson",
                "routes.geojson", "unserved.csv", "rejects.csv", "maps/index.html"}
    written = {str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if p.is_file()}
    assert expected <= written


def test_summary_lists_runtime_per_stage(out_dir: Path) -> None:
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["runtime_s"]) >= {"load_inputs", "network", "snap", "matrices",
                                         "territories", "calendar", "routing", "cost_to_serve"}


def test_stage_times_add_up_over_rounds(result) -> None:
    rounds = result.summary["design"]["rebalance_rounds"]
    assert rounds[0]["round"] == 0
    assert result.summary["runtime_s"]["routing"] > 0


def test_auto_count_picks_cheapest(run_dir: Path) -> None:
    scenario = load_scenario(run_dir / "scenario.yaml",
                             plan={"territories": "auto", "rebalance_rounds": 0})
    auto = run(scenario, cache_dir=run_dir / "cache")
    trials = auto.summary["design"]["territory_count_trials"]
    best = min(trials, key=lambda t: (t["score_per_week"], t["territories"]))
    assert len(trials) >= 2
    assert auto.summary["kpis"]["territories"] == best["territories"]
    # The winning trial's searches converged, so the run keeps that design.
    first_round = auto.summary["design"]["rebalance_rounds"][0]
    assert first_round["route_cost_per_week"] == best["route_cost_per_week"]


def test_realignment_moves_few(run_dir: Path) -> None:
    scenario = load_scenario(run_dir / "scenario.yaml",
                             plan={"workload_tolerance": 0.001, "rebalance_rounds": 1,
                                   "max_moved_share": 0.1})
    realigned = run(scenario, cache_dir=run_dir / "cache")
    rounds = realigned.summary["design"]["rebalance_rounds"]
    n = realigned.summary["kpis"]["customers"]
    assert len(rounds) == 2
    assert rounds[1]["customers_moved"] <= 0.1 * n + 1


def test_small_drops_go_to_telesales(run_dir: Path) -> None:
    customers = pd.read_csv(run_dir / "customers.csv")
    drop = customers["volume_per_week"] / customers["visits_per_week"]
    scenario = load_scenario(
        run_dir / "scenario.yaml",
        costs={"telesales_cost_per_order": 1_000_000},
        channels={"allowed": ["direct", "telesales"], "max_rounds": 2,
                  "min_drop_size": float(drop.median())},
    )
    result = run(scenario, cache_dir=run_dir / "cache")
    customers = pd.DataFrame(result.customers)
    telesales = customers[customers["channel"] == "telesales"]
    assert len(telesales) > 0
    assert set(telesales["customer_id"]).isdisjoint(result.stops["customer_id"])
    assert bool(telesales["served"].all())
    assert result.summary["channel_mix"]["telesales"] == len(telesales)
    assert len(telesales) < len(customers)

    # The before and after view: every customer direct at first, the final plan afterwards.
    view = result.summary["channel_assignment"]
    kpis = result.summary["kpis"]
    assert view["before"]["customers_telesales"] == 0
    assert view["before"]["customers_direct"] + view["before"]["customers_unserved"] == len(
        customers)
    assert view["after"]["customers_telesales"] == len(telesales)
    assert view["after"]["routes_per_week"] == pytest.approx(kpis["routes_per_week"])
    assert view["after"]["km_per_week"] == pytest.approx(kpis["km_per_week"])
    assert view["after"]["cts_per_week"] == pytest.approx(kpis["cts_per_week"])
    assert view["after"]["contribution_per_week"] == pytest.approx(
        customers["contribution_after_cts"].sum())
    assert view["after"]["numeric_distribution_pct"] == pytest.approx(
        kpis["numeric_distribution_pct"])
    for snapshot in view.values():
        counts = [value for key, value in snapshot.items() if key.startswith("customers_")]
        assert sum(counts) == len(customers)
    assert view["after"]["customers_unserved"] == kpis["customers_unserved"]
    assert kpis["contribution_per_week"] == pytest.approx(
        customers["contribution_after_cts"].sum())


def test_numeric_distribution_reported(result) -> None:
    kpis = result.summary["kpis"]
    assert kpis["numeric_distribution_pct"] == pytest.approx(
        100.0 * kpis["customers_served"] / kpis["universe"])


def test_packed_days_use_fewer_routes(run_dir: Path, result) -> None:
    # Two vans for a handful of customers: a few days a week carry every visit.
    scenario = load_scenario(run_dir / "scenario.yaml", plan={"pack_days": True})
    packed = run(scenario, cache_dir=run_dir / "cache")
    days_off = packed.summary["design"]["days_off"]
    assert any(days_off.values())
    assert packed.summary["kpis"]["routes_per_week"] < result.summary["kpis"]["routes_per_week"]
    assert packed.summary["kpis"]["customers_served"] == result.summary["kpis"]["customers_served"]
    for territory_id, weekday in zip(packed.routes["territory_id"], packed.routes["weekday"],
                                     strict=True):
        assert weekday not in days_off[territory_id]
