"""A small real plan on the Aguascalientes extract, shared by the batch tests.

The real pipeline makes the plan from 24 customers placed on the road network by a seeded
draw, with two territories and two working days. Four customers are visited every two weeks,
so the plan covers a two-week cycle and its routes are named like ``T01-W1-Mon``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gtm_optimizer.network import load_network, snap_points
from gtm_optimizer.pipeline import run
from gtm_optimizer.reporting.writers import write_outputs
from gtm_optimizer.scenario import load_scenario

SCENARIO = """
name: Aguascalientes batch
language: en
inputs: {{customers: customers.csv}}
network: {{path: {osm}, profile: van}}
depots: [{{id: DEP, name: Depot, lat: 21.8700, lon: -102.2750}}]
fleet:
  - {{name: van, count: 2, depot: DEP, capacity: 200, shift_start: "07:00",
     shift_end: "17:00", fixed_cost_per_day: 150000, cost_per_hour: 10000, cost_per_km: 800}}
plan: {{territories: 2, working_days: 2}}
solver: {{time_limit_s: 0.5, seed: 3, workers: 1}}
"""
N_CUSTOMERS = 24


def draw_customers(osm: Path, *, seed: int) -> pd.DataFrame:
    """Return customers at road positions of the extract, drawn with ``seed``."""
    network = load_network(osm)
    west, south, east, north = network.bbox_lonlat
    rng = np.random.default_rng(seed)
    lat = rng.uniform(south + 0.003, north - 0.003, 4 * N_CUSTOMERS)
    lon = rng.uniform(west + 0.003, east - 0.003, 4 * N_CUSTOMERS)
    snapping = snap_points(network, lat, lon, max_snap_m=100)
    usable = np.flatnonzero(snapping.usable)[:N_CUSTOMERS]
    frequency = np.where(np.arange(N_CUSTOMERS) < 4, 0.5, 1.0)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:02d}" for i in range(1, N_CUSTOMERS + 1)],
            "lat": np.round(snapping.snap_lat[usable], 6),
            "lon": np.round(snapping.snap_lon[usable], 6),
            "revenue_per_week": 100000.0,
            "volume_per_week": 5.0 * frequency,
            "visits_per_week": frequency,
            "service_min": 10.0,
        }
    )


@pytest.fixture(scope="session")
def plan_dir(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Output folder of a real run: the plan that the re-routing tests keep."""
    folder = tmp_path_factory.mktemp("plan")
    osm = data_dir / "osm" / "aguascalientes.osm.pbf"
    draw_customers(osm, seed=5).to_csv(folder / "customers.csv", index=False)
    (folder / "scenario.yaml").write_text(SCENARIO.format(osm=osm), encoding="utf-8")
    result = run(load_scenario(folder / "scenario.yaml"))
    return write_outputs(result, folder / "out", maps=False)
