"""The Python API: the lazy top-level names, and every stage called alone on a real extract.

The five customers stand on real outlet positions of the Aguascalientes extract, with
attributes chosen here so that counts, visits and costs can be worked out by hand. Money is
in pesos per week.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from itertools import pairwise
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import gtm_optimizer as gtm
from gtm_optimizer.calendar import plan_calendar
from gtm_optimizer.costing.model import cost_routes
from gtm_optimizer.inputs.customers import load_customers
from gtm_optimizer.inputs.geography import haversine_m
from gtm_optimizer.network import build_matrices, load_network, snap_points
from gtm_optimizer.routing import build_route_days, solve_route_days
from gtm_optimizer.territories import design_territories

REPO = Path(__file__).parent.parent

CUSTOMERS = """\
customer_id,lat,lon,revenue_per_week,volume_per_week,visits_per_week,service_min,tw_start,tw_end,credit_days
C1,21.8675743,-102.2771035,300000,8,1,10,,,0
C2,21.8670034,-102.2770845,400000,8,0.5,10,,,0
C3,21.86855,-102.2774926,6000000,120,2,30,07:00,12:00,30
C4,21.8693144,-102.2728533,500000,14,1,12,,,0
C5,21.8680912,-102.2767428,1000000,24,2,14,,,0
"""
VISITS_PER_WEEK = np.array([1.0, 0.5, 2.0, 1.0, 2.0])

SCENARIO = """
name: API stages
inputs: {{customers: customers.csv}}
network: {{path: {osm}, profile: van}}
depots: [{{id: DEP, lat: 21.8700, lon: -102.2750}}]
fleet:
  - {{name: van, count: 2, depot: DEP, capacity: 200, shift_start: "07:00", shift_end: "17:00",
     fixed_cost_per_day: 150000, cost_per_hour: 10000, cost_per_km: 800}}
costs: {{cost_per_drop: 2000, handling_cost_per_unit: 500, annual_cost_of_capital: 0.12}}
plan: {{territories: 2, working_days: 5, revenue_tolerance: null}}
solver: {{time_limit_s: 0.2, seed: 3, workers: 1}}
"""


@pytest.fixture(scope="module")
def scenario_path(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("api")
    (folder / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    osm = data_dir / "osm" / "aguascalientes.osm.pbf"
    path = folder / "scenario.yaml"
    path.write_text(SCENARIO.format(osm=osm), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scenario(scenario_path: Path) -> gtm.Scenario:
    return gtm.load_scenario(scenario_path)


@pytest.fixture(scope="module")
def customers(scenario: gtm.Scenario) -> pd.DataFrame:
    path = scenario.resolve(scenario.inputs.customers)
    assert path is not None
    return load_customers(path).customers


@pytest.fixture(scope="module")
def network(scenario: gtm.Scenario):
    path = scenario.resolve(scenario.network.path)
    assert path is not None
    return load_network(path, profile=scenario.network.profile)


@pytest.fixture(scope="module")
def points(scenario: gtm.Scenario, customers: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    depot = scenario.depots[0]
    lat = np.concatenate([[depot.lat], customers["lat"].to_numpy(float)])
    lon = np.concatenate([[depot.lon], customers["lon"].to_numpy(float)])
    return lat, lon


@pytest.fixture(scope="module")
def snapping(network, points):
    return snap_points(network, *points)


@pytest.fixture(scope="module")
def matrices(network, snapping):
    return build_matrices(network, snapping)


@pytest.fixture(scope="module")
def coords_m(points) -> np.ndarray:
    lat, lon = points
    series = gpd.GeoSeries(gpd.points_from_xy(lon[1:], lat[1:]), crs=4326)
    projected = series.to_crs(series.estimate_utm_crs())
    return np.column_stack([projected.x, projected.y])


@pytest.fixture(scope="module")
def territories(customers, matrices, coords_m):
    duration_s = matrices.duration_s[1:, 1:].astype(float)
    return design_territories(
        customers,
        duration_s,
        coords_m,
        2,
        workload_tolerance=0.5,
        revenue_tolerance=None,
        seed=3,
        time_limit_s=5,
    )


@pytest.fixture(scope="module")
def calendar(customers, territories, coords_m):
    workload_s = customers["service_s"].to_numpy(float) + territories.travel_share_s
    return plan_calendar(
        customers,
        territories.labels,
        territories.territory_ids,
        workload_s,
        coords_m,
        working_days=5,
        max_day_s=10 * 3600.0,
        seed=3,
        time_limit_s=5,
    )


@pytest.fixture(scope="module")
def route_days(scenario, customers, calendar, territories, matrices):
    return build_route_days(
        scenario,
        customers,
        calendar,
        territories.labels,
        territories.territory_ids,
        matrices.duration_s,
        matrices.distance_m,
        customer_points=np.arange(1, 6),
        depot_points={"DEP": 0},
    )


@pytest.fixture(scope="module")
def solved(route_days):
    return solve_route_days(route_days, backend="pyvrp", time_limit_s=0.2, seed=3, workers=1)


@pytest.fixture(scope="module")
def cts(route_days, solved, customers, scenario, calendar):
    return cost_routes(
        route_days, solved, customers, scenario.costs, cycle_weeks=calendar.cycle_weeks
    )


@pytest.fixture(scope="module")
def result(scenario: gtm.Scenario):
    return gtm.run(scenario)


# Top-level names ----------------------------------------------------------------------------


def test_import_skips_pandas() -> None:
    code = "import sys, gtm_optimizer; print('pandas' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert completed.stdout.strip() == "False"


def test_version_matches_pyproject() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert gtm.__version__ == project["project"]["version"]


def test_exports_resolve() -> None:
    missing = [name for name in gtm.__all__ if not hasattr(gtm, name)]
    assert missing == []


def test_run_is_pipeline_run() -> None:
    from gtm_optimizer.pipeline import run

    assert gtm.run is run


def test_unknown_name_raises() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'solve_everything'"):
        _ = gtm.solve_everything  # type: ignore[attr-defined]


def test_dir_lists_exports() -> None:
    assert set(gtm.__all__) <= set(dir(gtm))


# Stages alone -------------------------------------------------------------------------------


def test_customers_loaded(customers) -> None:
    assert customers["customer_id"].tolist() == ["C1", "C2", "C3", "C4", "C5"]


def test_customer_revenue_sum(customers) -> None:
    assert customers["revenue_per_week"].sum() == 8_200_000


def test_service_in_seconds(customers) -> None:
    assert customers["service_s"].tolist() == [600.0, 600.0, 1800.0, 720.0, 840.0]


def test_every_point_snapped(snapping) -> None:
    assert np.asarray(snapping.usable).tolist() == [True] * 6


def test_matrix_shape(matrices) -> None:
    assert matrices.duration_s.shape == (6, 6)


def test_matrix_diagonal_zero(matrices) -> None:
    assert np.diag(matrices.duration_s).tolist() == [0.0] * 6


def test_road_not_shorter_than_line(matrices, points, snapping) -> None:
    # A road trip is at least the straight line between the two road positions, and each
    # road position is at most its snap distance from its point.
    lat, lon = points
    line_m = haversine_m(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    snap_m = np.asarray(snapping.snap_m, dtype=float)
    lower_m = line_m - snap_m[:, None] - snap_m[None, :] - 1.0
    off_diagonal = ~np.eye(6, dtype=bool)
    assert bool((matrices.distance_m[off_diagonal] >= lower_m[off_diagonal]).all())


def test_two_territories(territories) -> None:
    assert sorted(set(territories.labels.tolist())) == [0, 1]


def test_territory_workload_by_hand(territories, customers) -> None:
    service_s = customers["service_s"].to_numpy(float)
    expected_h = VISITS_PER_WEEK * (service_s + territories.travel_share_s) / 3600.0
    assert np.allclose(territories.workload_h_per_week, expected_h)


def test_two_week_cycle(calendar) -> None:
    # A customer visited every two weeks makes the calendar repeat after two weeks.
    assert calendar.cycle_weeks == 2


def test_visit_days_match_frequency(calendar) -> None:
    assert [len(days) for days in calendar.days] == [1, 1, 2, 1, 2]


def test_biweekly_visited_once(calendar) -> None:
    assert len(calendar.visits[1]) == 1


def test_route_days_hold_every_visit(route_days) -> None:
    # 6.5 visits a week over a two-week cycle.
    assert sum(len(day.customer_rows) for day in route_days) == 13


def test_route_ids_carry_week(route_days) -> None:
    assert all(day.route_id.split("-")[1] in ("W1", "W2") for day in route_days)


def test_every_visit_routed(solved) -> None:
    assert sum(len(result.unserved) for result in solved) == 0


def test_route_distance_from_matrix(cts, matrices) -> None:
    # Each route's length is the sum of the matrix legs depot → stops → depot.
    for route in cts.routes.itertuples():
        stops = cts.stops[cts.stops["route_id"] == route.route_id].sort_values("sequence")
        path = [0, *stops["point"].tolist(), 0]
        legs_m = sum(float(matrices.distance_m[a, b]) for a, b in pairwise(path))
        assert route.distance_km == pytest.approx(legs_m / 1000.0, rel=1e-4)


def test_route_cost_by_hand(cts) -> None:
    routes = cts.routes
    expected = 150_000 + 800 * routes["distance_km"] + 10_000 * routes["duration_h"]
    assert np.allclose(routes["cost_total"], expected)


def test_allocation_adds_up(cts) -> None:
    allocated = cts.stops.groupby("route_id")["allocated_cost"].sum()
    totals = cts.routes.set_index("route_id")["cost_total"]
    assert np.allclose(allocated.reindex(totals.index), totals)


def test_drop_cost_by_hand(cts) -> None:
    assert cts.customer_costs["cts_drop"].tolist() == pytest.approx(2000 * VISITS_PER_WEEK)


def test_handling_cost_by_hand(cts) -> None:
    expected = 500 * np.array([8, 8, 120, 14, 24])
    assert cts.customer_costs["cts_handling"].tolist() == pytest.approx(expected)


def test_receivables_by_hand(cts) -> None:
    # Only C3 buys on credit: 6,000,000 × 30 / 365 × 0.12 per week.
    assert cts.customer_costs["cts_receivables"].iloc[2] == pytest.approx(59_178.08, abs=0.01)


# The whole job through the top-level names -------------------------------------------------


def test_run_returns_geodataframes(result) -> None:
    frames = (result.customers, result.routes, result.territories)
    assert all(isinstance(frame, gpd.GeoDataFrame) for frame in frames)


def test_run_serves_every_customer(result) -> None:
    assert result.summary["kpis"]["customers_served"] == 5


def test_run_revenue_total(result) -> None:
    assert result.summary["kpis"]["revenue_per_week"] == 8_200_000


def test_write_outputs_rows(result, tmp_path: Path) -> None:
    folder = gtm.write_outputs(result, tmp_path / "out", maps=False)
    written = pd.read_csv(folder / "customers.csv")
    assert written["customer_id"].tolist() == ["C1", "C2", "C3", "C4", "C5"]
