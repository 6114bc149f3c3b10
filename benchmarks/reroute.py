"""Nightly re-routing of 5,000 orders on 40 routes of the Duitama network, per executor.

Set-up (not timed): customers are the real outlets of ``scenarios/duitama/universe.csv`` plus
points drawn around them (Gaussian jitter of ``--jitter-m`` metres, seeded) and moved onto the
nearest road, keeping those within 60 m of one. The pipeline turns them into a plan with 40
territories and one working day, so every territory has one route: 40 territory-days. The
night's orders are most of the plan's customers plus some new customers with coordinates.

Timed: :func:`gtm_optimizer.batch.reroute.reroute` from reading the plan to the finished
tables, without the matrix cache, once per repeat and executor: local processes, and a Dask
``LocalCluster`` of 1 and of 2 workers (started inside the timed call). The median goes to
``benchmarks/results/reroute.md`` with the machine, the date and whether every executor gave
the same routes.

Usage::

    .venv/bin/python benchmarks/reroute.py --repeats 3
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import time
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from gtm_optimizer.batch.reroute import RerouteResult, RerouteSettings, reroute
from gtm_optimizer.execution import DaskCluster, Executor, LocalProcesses
from gtm_optimizer.network import load_network, snap_points
from gtm_optimizer.pipeline import run
from gtm_optimizer.reporting.writers import write_outputs
from gtm_optimizer.scenario import load_scenario

REPO = Path(__file__).resolve().parent.parent
DUITAMA = REPO / "scenarios" / "duitama"
RESULTS = REPO / "benchmarks" / "results" / "reroute.md"
N_TERRITORIES = 40
N_ORDERS = 5000
N_NEW = 150
EARTH_M_PER_DEG = 111_320.0
MONDAY = date(2024, 1, 1)

SCENARIO = """
name: Duitama night {n_orders}
language: en
inputs: {{customers: customers.csv}}
network: {{path: {osm}, profile: van, max_snap_m: 100}}
depots: [{{id: CD-DUITAMA, name: Duitama, lat: 5.8155, lon: -73.0455, open: "05:00",
          close: "22:00"}}]
fleet:
  - {{name: van, count: {n_territories}, depot: CD-DUITAMA, capacity: 3000,
     shift_start: "06:00", shift_end: "20:00", fixed_cost_per_day: 230000,
     cost_per_hour: 15000, cost_per_km: 1100}}
plan: {{territories: {n_territories}, working_days: 1, travel_share_per_visit_min: 2}}
solver: {{time_limit_s: {plan_time_limit_s}, seed: 7, territory_time_limit_s: 60}}
"""

logger = logging.getLogger("benchmarks.reroute")


@dataclass(frozen=True)
class Timing:
    """Wall times of one executor's runs, the load after each, and its first run's routes."""

    name: str
    seconds: list[float]
    load_averages: list[float]
    first: RerouteResult


def draw_customers(n_customers: int, *, jitter_m: float, seed: int) -> pd.DataFrame:
    """Return real outlets plus jittered points moved onto the road, ``n_customers`` in all."""
    universe = pd.read_csv(DUITAMA / "universe.csv")
    network = load_network(DUITAMA / "duitama.osm.pbf")
    rng = np.random.default_rng(seed)
    base = universe.sample(n=4 * n_customers, replace=True, random_state=seed)
    lat = base["lat"].to_numpy() + rng.normal(0, jitter_m, len(base)) / EARTH_M_PER_DEG
    lon = base["lon"].to_numpy() + rng.normal(0, jitter_m, len(base)) / (
        EARTH_M_PER_DEG * np.cos(np.radians(base["lat"].to_numpy()))
    )
    snapping = snap_points(network, lat, lon, max_snap_m=60)
    keep = np.flatnonzero(snapping.usable)[: n_customers - len(universe)]
    points = pd.DataFrame(
        {
            "lat": np.concatenate([universe["lat"], np.round(snapping.snap_lat[keep], 6)]),
            "lon": np.concatenate([universe["lon"], np.round(snapping.snap_lon[keep], 6)]),
        }
    )
    return points.assign(
        customer_id=[f"D{i:05d}" for i in range(len(points))],
        revenue_per_week=rng.integers(100, 2000, len(points)) * 1000.0,
        volume_per_week=rng.integers(1, 12, len(points)).astype(float),
        visits_per_week=1.0,
        service_min=2.0,
    )


def build_plan(work: Path, *, n_customers: int, seed: int, plan_time_limit_s: float) -> Path:
    """Run the pipeline on a generated scenario once; later calls reuse its output folder."""
    plan_dir = work / "plan"
    if (plan_dir / "summary.json").is_file():
        return plan_dir
    work.mkdir(parents=True, exist_ok=True)
    draw_customers(n_customers, jitter_m=250.0, seed=seed).to_csv(
        work / "customers.csv", index=False
    )
    (work / "scenario.yaml").write_text(
        SCENARIO.format(
            n_orders=N_ORDERS,
            osm=DUITAMA / "duitama.osm.pbf",
            n_territories=N_TERRITORIES,
            plan_time_limit_s=plan_time_limit_s,
        ),
        encoding="utf-8",
    )
    started = time.perf_counter()
    result = run(load_scenario(work / "scenario.yaml"), cache_dir=work / "cache")
    write_outputs(result, plan_dir, maps=False)
    logger.info("Built the plan in %.0f s", time.perf_counter() - started)
    return plan_dir


def write_orders(plan_dir: Path, work: Path, *, seed: int) -> Path:
    """Write the night's orders: plan customers and ``N_NEW`` new ones near them."""
    customers = pd.read_csv(plan_dir / "customers.csv")
    routed = customers[customers["territory_id"].notna()]
    rng = np.random.default_rng(seed + 1)
    known = routed.sample(n=N_ORDERS - N_NEW, random_state=seed)
    near = routed.sample(n=N_NEW, random_state=seed + 2)
    new = pd.DataFrame(
        {
            "customer_id": [f"NEW{i:04d}" for i in range(N_NEW)],
            "lat": np.round(
                near["lat"].to_numpy() + rng.normal(0, 30, N_NEW) / EARTH_M_PER_DEG, 6
            ),
            "lon": np.round(
                near["lon"].to_numpy() + rng.normal(0, 30, N_NEW) / EARTH_M_PER_DEG, 6
            ),
        }
    )
    orders = pd.concat([known[["customer_id"]], new], ignore_index=True)
    orders["volume"] = rng.integers(1, 10, len(orders)).astype(float)
    path = work / "orders.csv"
    orders[["customer_id", "volume", "lat", "lon"]].to_csv(path, index=False)
    return path


def time_executor(
    name: str,
    executor: Executor,
    plan_dir: Path,
    orders: Path,
    settings: RerouteSettings,
    repeats: int,
) -> Timing:
    """Re-route ``repeats`` times on ``executor`` and return the wall times."""
    seconds = []
    load_averages = []
    first = None
    for repeat in range(repeats):
        started = time.perf_counter()
        result = reroute(plan_dir, orders, MONDAY, settings=settings, executor=executor)
        seconds.append(time.perf_counter() - started)
        load_averages.append(os.getloadavg()[0])
        logger.info("%s run %d: %.1f s", name, repeat + 1, seconds[-1])
        first = first or result
    assert first is not None
    return Timing(name, seconds, load_averages, first)


def report(timings: list[Timing], settings: RerouteSettings, plan_dir: Path, command: str) -> str:
    """Return the Markdown page of the results."""
    reference = timings[0].first
    kpis = reference.summary["kpis"]
    same = all(t.first.stops.equals(reference.stops) for t in timings[1:])
    cpu = _cpu_model()
    lines = [
        "# Nightly re-routing benchmark",
        "",
        f"Script: `{command}` (benchmarks/reroute.py), run on {date.today().isoformat()}.",
        f"Machine: {cpu}, {len(os.sched_getaffinity(0))} cores available, "
        f"{_memory_gib():.0f} GiB memory, Python {platform.python_version()}, "
        f"PyVRP {version('pyvrp')}, Dask {version('dask')}.",
        "",
        f"Instance: {kpis['orders']:,} orders ({N_NEW} new customers) on "
        f"{kpis['routes']} routes of the Duitama network; plan in `{plan_dir}`. "
        f"Settings: time limit {settings.time_limit_s:g} s and "
        f"{settings.max_iterations:,} iterations per route, seed {settings.seed}, "
        "no matrix cache.",
        "",
        "| executor | runs | median s | min s | max s | 1-min load average after runs |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for timing in timings:
        lines.append(
            f"| {timing.name} | {len(timing.seconds)} | "
            f"{statistics.median(timing.seconds):.1f} | {min(timing.seconds):.1f} | "
            f"{max(timing.seconds):.1f} | "
            + ", ".join(f"{load:.1f}" for load in timing.load_averages)
            + " |"
        )
    stages = ", ".join(
        f"{stage} {seconds:.1f} s" for stage, seconds in reference.summary["runtime_s"].items()
    )
    lines += [
        "",
        f"Orders routed: {kpis['orders_routed']:,}; unserved: {kpis['orders_unserved']:,} "
        f"({reference.summary['unserved_by_reason']}); routes that stopped on the time "
        f"limit: {kpis['routes_on_time_limit']}.",
        f"Stages of the first local-process run: {stages}.",
        f"Same routes on every executor: {'yes' if same else 'no'}.",
        "",
    ]
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def main() -> None:
    """Build the plan and orders if needed, time every executor and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("/tmp/gtm-reroute-benchmark"),
        help="folder for the generated scenario, plan and orders",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs per executor")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per route")
    parser.add_argument("--max-iterations", type=int, default=2000, help="per route")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--customers", type=int, default=5300, help="customers in the generated plan"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")

    plan_dir = build_plan(
        args.work, n_customers=args.customers, seed=args.seed, plan_time_limit_s=args.time_limit
    )
    orders = write_orders(plan_dir, args.work, seed=args.seed)
    settings = RerouteSettings(
        time_limit_s=args.time_limit,
        deadline_s=3600,
        max_iterations=args.max_iterations,
        seed=args.seed,
    )
    executors: list[tuple[str, Executor]] = [
        ("local processes (2)", LocalProcesses(2)),
        ("Dask LocalCluster, 1 worker", DaskCluster(workers=1)),
        ("Dask LocalCluster, 2 workers", DaskCluster(workers=2)),
    ]
    timings = [
        time_executor(name, executor, plan_dir, orders, settings, args.repeats)
        for name, executor in executors
    ]
    command = (
        f"benchmarks/reroute.py --repeats {args.repeats} --time-limit "
        f"{args.time_limit:g} --max-iterations {args.max_iterations}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report(timings, settings, plan_dir, command), encoding="utf-8")
    logger.info("Wrote %s", RESULTS)


if __name__ == "__main__":
    main()
