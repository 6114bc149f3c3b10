"""Routing backends against best-known solutions on the X (CVRP) and Solomon (VRPTW) sets.

Reads each instance with ``vrplib``, converts it to a :class:`solvers.routing.RoutingProblem`,
solves it with each requested backend under a wall-clock limit, and then recomputes the cost
and checks feasibility from the instance data alone, without trusting the solver's figures.
Each solution is written as a VRPLIB ``.sol`` file and each run as a row of ``routing.csv``.
A rerun replaces the row with the same instance, backend, time limit and iteration budget.
The mean gap to the best-known cost per set and backend is printed as a Markdown table.

Scoring conventions, the ones the best-known costs use:

* X (Uchoa et al. 2017): an arc's length is the Euclidean distance rounded to the nearest
  integer, and the objective is total length.
* Solomon (1987): an arc's length, equal to its travel time, is the Euclidean distance
  truncated to one decimal, and the objective is total length (the DIMACS convention, not the
  classic objective that minimizes vehicles first).

Both objectives have no cost per vehicle and a free fleet: every instance gets as many
vehicles as it has clients, or the vehicle count of the Solomon file (25, more than the 20
routes of any distance-only best-known solution). Solomon coordinates, times and lengths are
multiplied by 10 so that every value is a whole number of tenths, because the routing package
rounds each arc up to a whole unit.

Usage::

    .venv/bin/python benchmarks/routing.py --instances core20 --time-limit 10 --backend both
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import logging
import math
import os
import platform
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from importlib.metadata import version
from pathlib import Path

import numpy as np
import vrplib

from solvers.routing import (
    BACKENDS,
    Client,
    Depot,
    OrToolsSearch,
    RoutingProblem,
    RoutingResult,
    VehicleType,
    solve,
)

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BENCH_DIR = REPO.parent / "shared" / "bench"
DEFAULT_OUT = REPO / "benchmarks" / "results"
BENCH_MAX_ITERATIONS = 10**12
"""Iteration budget so large that every backend searches until the time limit."""
SOLOMON_SCALE = 10
"""Solomon values in the routing problem are tenths of the file's units."""
SETS = ("X", "Solomon")


@dataclass(frozen=True)
class BestKnown:
    """An instance's row in the best-known tables."""

    set_name: str
    cost: float
    core20: bool


@dataclass(frozen=True, eq=False)
class Instance:
    """One benchmark instance in the file's units; index 0 is the depot.

    ``time_windows`` and ``service_time`` are ``None`` for CVRP instances. ``bks`` is the
    best-known cost, or NaN when unknown (an instance cut to its first clients).
    """

    name: str
    set_name: str
    coords: np.ndarray
    demand: np.ndarray
    capacity: int
    n_vehicles: int
    time_windows: np.ndarray | None
    service_time: np.ndarray | None
    bks: float

    @property
    def n_clients(self) -> int:
        """Number of clients, the depot excluded."""
        return len(self.coords) - 1


@dataclass(frozen=True)
class Row:
    """One solve: a line of ``routing.csv``.

    Parameters
    ----------
    cost
        Total length in the set's units, recomputed from the routes. NaN when the solve
        returned no plan.
    bks
        Best-known cost, NaN when unknown.
    gap_pct
        Excess of ``cost`` over ``bks``, in percent.
    feasible
        Whether the independent check found no violation and the solver served every client.
    n_iterations
        The backend's own count of iterations or solutions, -1 when unknown.
    cpu_s
        Processor time of the solve. Below ``runtime_s`` when other work shares the machine;
        NaN in rows written before it was recorded.
    """

    instance: str
    backend: str
    time_limit_s: float
    cost: float
    bks: float
    gap_pct: float
    feasible: bool
    n_routes: int
    runtime_s: float
    max_iterations: int
    n_iterations: int
    cpu_s: float


def read_best_known(bench_dir: Path) -> dict[str, BestKnown]:
    """Return the best-known table rows of every instance, by name.

    The Solomon cost is the distance-only one (``dist_bks_cost_dimacs``), not the
    vehicles-first one.
    """
    best: dict[str, BestKnown] = {}
    with (bench_dir / "bks" / "cvrp_x_bks.csv").open(encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            core20 = line["subset"] == "core20"
            best[line["instance"]] = BestKnown("X", float(line["bks_cost"]), core20)
    with (bench_dir / "bks" / "solomon_bks.csv").open(encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            cost = float(line["dist_bks_cost_dimacs"])
            best[line["instance"]] = BestKnown("Solomon", cost, False)
    return best


def select_instances(spec: str, best: dict[str, BestKnown]) -> list[str]:
    """Return instance names for ``core20``, ``solomon``, ``all`` or a comma-separated list."""
    if spec == "core20":
        return [name for name, known in best.items() if known.core20]
    if spec == "solomon":
        return [name for name, known in best.items() if known.set_name == "Solomon"]
    if spec == "all":
        return list(best)
    names = [name.strip() for name in spec.split(",") if name.strip()]
    unknown = [name for name in names if name not in best]
    if unknown:
        raise ValueError(
            f"instances {unknown} are not in the best-known tables; use core20, solomon, all "
            "or names such as X-n101-k25,C101"
        )
    return names


def load_instance(
    bench_dir: Path, name: str, best: dict[str, BestKnown], first_clients: int = 0
) -> Instance:
    """Read one instance; with ``first_clients`` > 0, keep only that many first clients.

    Cutting drops the best-known cost. The classic 25- and 50-client Solomon instances are the
    first clients of the 100-client ones, cut the same way.
    """
    set_name, bks = best[name].set_name, best[name].cost
    if set_name == "X":
        data = vrplib.read_instance(bench_dir / "cvrp_x" / f"{name}.vrp")
        windows = service = None
        n_vehicles = len(data["node_coord"]) - 1
    else:
        data = vrplib.read_instance(
            bench_dir / "solomon" / f"{name}.txt", instance_format="solomon"
        )
        windows = np.asarray(data["time_window"], dtype=np.int64)
        service = np.asarray(data["service_time"], dtype=np.int64)
        n_vehicles = int(data["vehicles"])
    size = len(data["node_coord"])
    if 0 < first_clients < size - 1:
        size, name, bks = first_clients + 1, f"{name}-first{first_clients}", math.nan
    return Instance(
        name=name,
        set_name=set_name,
        coords=np.asarray(data["node_coord"], dtype=np.int64)[:size],
        demand=np.asarray(data["demand"], dtype=np.int64)[:size],
        capacity=int(data["capacity"]),
        n_vehicles=min(n_vehicles, size - 1),
        time_windows=None if windows is None else windows[:size],
        service_time=None if service is None else service[:size],
        bks=bks,
    )


def arc_lengths(instance: Instance) -> np.ndarray:
    """Return the integer arc lengths of the set's convention: X units, or Solomon tenths.

    The coordinates are integers below 1000, so a square root here is either an exact integer
    or more than 5e-5 away from any integer or half, far beyond the float error of about
    1e-13. Rounding and truncating in floats is therefore exact.
    """
    delta = instance.coords[:, None, :] - instance.coords[None, :, :]
    squared = (delta**2).sum(axis=2).astype(np.float64)
    if instance.set_name == "X":
        return np.rint(np.sqrt(squared)).astype(np.int64)
    return np.floor(np.sqrt(squared * SOLOMON_SCALE**2)).astype(np.int64)


def to_problem(instance: Instance) -> RoutingProblem:
    """Convert an instance to a routing problem; client ``i`` is node ``i + 1``."""
    lengths = arc_lengths(instance).astype(np.float64)
    vehicle = VehicleType(instance.n_vehicles, (float(instance.capacity),))
    if instance.time_windows is None or instance.service_time is None:
        clients = tuple(
            Client(node, (float(instance.demand[node]),))
            for node in range(1, instance.n_clients + 1)
        )
        return RoutingProblem(lengths, lengths, (Depot(0),), clients, (vehicle,))

    windows = instance.time_windows * SOLOMON_SCALE
    service = instance.service_time * SOLOMON_SCALE
    clients = tuple(
        Client(
            node,
            (float(instance.demand[node]),),
            service_s=float(service[node]),
            time_windows=((float(windows[node, 0]), float(windows[node, 1])),),
        )
        for node in range(1, instance.n_clients + 1)
    )
    depot = Depot(0, tw_early_s=float(windows[0, 0]), tw_late_s=float(windows[0, 1]))
    return RoutingProblem(lengths, lengths, (depot,), clients, (vehicle,))


def plan_routes(result: RoutingResult) -> list[list[int]]:
    """Return the result's routes as VRPLIB node numbers (client ``i`` is node ``i + 1``)."""
    return [[client + 1 for client in route.clients] for route in result.routes if route.clients]


def route_cost(instance: Instance, routes: Sequence[Sequence[int]]) -> float:
    """Return the total length of ``routes`` under the instance's scoring convention."""
    lengths = arc_lengths(instance)
    total = sum(int(lengths[a, b]) for route in routes for a, b in _arcs(route))
    return float(total) if instance.set_name == "X" else total / SOLOMON_SCALE


def _arcs(route: Sequence[int]) -> Iterable[tuple[int, int]]:
    return itertools.pairwise([0, *route, 0])


def check_routes(instance: Instance, routes: Sequence[Sequence[int]]) -> list[str]:
    """Return every violation of coverage, capacity and time windows; empty means feasible.

    Times are replayed in whole tenths for Solomon: a vehicle leaves the depot when it opens,
    waits for a window to open, must start service by its end and return before the depot
    closes.
    """
    visited = [node for route in routes for node in route]
    violations = []
    missing = sorted(set(range(1, instance.n_clients + 1)) - set(visited))
    if missing:
        listed = ", ".join(str(node) for node in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        violations.append(f"nodes not visited: {listed}{more}")
    if len(visited) != len(set(visited)):
        violations.append("some node is visited more than once")
    if any(not 1 <= node <= instance.n_clients for node in visited):
        violations.append(f"a route visits a node outside 1..{instance.n_clients}")
        return violations

    lengths = arc_lengths(instance)
    for r, route in enumerate(routes, start=1):
        load = int(instance.demand[list(route)].sum())
        if load > instance.capacity:
            violations.append(f"route {r} carries {load} > capacity {instance.capacity}")
        if instance.time_windows is not None:
            violations += _check_times(instance, lengths, r, route)
    return violations


def _check_times(
    instance: Instance, lengths: np.ndarray, r: int, route: Sequence[int]
) -> list[str]:
    assert instance.time_windows is not None and instance.service_time is not None
    windows = instance.time_windows * SOLOMON_SCALE
    service = instance.service_time * SOLOMON_SCALE
    violations = []
    clock = int(windows[0, 0])
    for a, b in _arcs(route):
        clock = max(clock + int(lengths[a, b]), int(windows[b, 0]))
        if clock > windows[b, 1]:
            where = "the depot" if b == 0 else f"node {b}"
            violations.append(
                f"route {r} reaches {where} at {clock / SOLOMON_SCALE:g}, after "
                f"its window closes at {windows[b, 1] / SOLOMON_SCALE:g}"
            )
        clock += int(service[b])
    return violations


def format_cost(set_name: str, cost: float) -> str:
    """Return ``cost`` with the precision of its set: whole units for X, tenths for Solomon."""
    return f"{cost:.0f}" if set_name == "X" else f"{cost:.1f}"


def write_solution(path: Path, instance: Instance, routes: Sequence[Sequence[int]]) -> None:
    """Write ``routes`` and their cost in the VRPLIB solution format."""
    lines = [
        f"Route #{r}: " + " ".join(str(node) for node in route)
        for r, route in enumerate(routes, start=1)
    ]
    lines.append(f"Cost {format_cost(instance.set_name, route_cost(instance, routes))}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def solve_instance(
    instance: Instance,
    backend: str,
    *,
    time_limit_s: float,
    seed: int,
    max_iterations: int = BENCH_MAX_ITERATIONS,
    ortools_search: OrToolsSearch | None = None,
) -> tuple[Row, list[list[int]]]:
    """Solve one instance and score the plan independently of the solver.

    Returns
    -------
    tuple of Row and list of list of int
        The scored run, and the routes as VRPLIB node numbers. A failed solve or a plan that
        leaves a client out is scored as infeasible.
    """
    problem = to_problem(instance)
    options = {} if ortools_search is None else {"ortools_search": ortools_search}
    started = time.perf_counter()
    started_cpu = time.process_time()
    try:
        result = solve(
            problem,
            backend=backend,
            time_limit_s=time_limit_s,
            seed=seed,
            max_iterations=max_iterations,
            **options,
        )
    except RuntimeError as error:
        logger.warning("%s with %s failed: %s", instance.name, backend, error)
        result = None
    runtime_s = time.perf_counter() - started
    cpu_s = time.process_time() - started_cpu

    routes = [] if result is None else plan_routes(result)
    violations = check_routes(instance, routes)
    for violation in violations:
        logger.warning("%s with %s: %s", instance.name, backend, violation)
    cost = route_cost(instance, routes) if routes else math.nan
    if result is not None:
        _compare_with_solver(instance, result, cost)
    if result is not None and result.unserved:
        logger.warning(
            "%s with %s: %d clients unserved, solver status %s",
            instance.name,
            backend,
            len(result.unserved),
            result.status,
        )
    row = Row(
        instance=instance.name,
        backend=backend,
        time_limit_s=time_limit_s,
        cost=cost,
        bks=instance.bks,
        gap_pct=100.0 * (cost - instance.bks) / instance.bks,
        feasible=result is not None and not violations,
        n_routes=len(routes),
        runtime_s=runtime_s,
        max_iterations=max_iterations,
        n_iterations=-1 if result is None or result.n_iterations is None else result.n_iterations,
        cpu_s=cpu_s,
    )
    return row, routes


def _compare_with_solver(instance: Instance, result: RoutingResult, cost: float) -> None:
    """Warn when the solver's own route lengths disagree with the independent cost."""
    scale = 1 if instance.set_name == "X" else SOLOMON_SCALE
    reported = sum(route.distance_m for route in result.routes) / scale
    if not math.isclose(reported, cost, rel_tol=1e-9, abs_tol=1e-6):
        logger.warning(
            "%s with %s: the solver reports length %.1f but the routes measure %.1f",
            instance.name,
            result.backend,
            reported,
            cost,
        )


def merge_rows(path: Path, rows: Sequence[Row]) -> list[Row]:
    """Add ``rows`` to the CSV at ``path``, replacing rows of the same run, and return all rows.

    A run is identified by instance, backend, time limit and iteration budget.
    """
    by_run: dict[tuple[str, str, float, int], Row] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            for line in csv.DictReader(handle):
                row = _row_from_csv(line)
                by_run[_run_key(row)] = row
    for row in rows:
        by_run[_run_key(row)] = row
    merged = sorted(by_run.values(), key=_sort_key)

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(field.name for field in fields(Row))
        for row in merged:
            writer.writerow(_row_to_csv(row))
    return merged


def _run_key(row: Row) -> tuple[str, str, float, int]:
    return row.instance, row.backend, row.time_limit_s, row.max_iterations


def _sort_key(row: Row) -> tuple[int, int, str, str, float, int]:
    set_index = 0 if row.instance.startswith("X-") else 1
    size = int(row.instance.split("-")[1][1:]) if set_index == 0 else 0
    return set_index, size, row.instance, row.backend, row.time_limit_s, row.max_iterations


def _row_to_csv(row: Row) -> list[str]:
    set_name = "X" if row.instance.startswith("X-") else "Solomon"
    return [
        row.instance,
        row.backend,
        f"{row.time_limit_s:g}",
        "" if math.isnan(row.cost) else format_cost(set_name, row.cost),
        "" if math.isnan(row.bks) else format_cost(set_name, row.bks),
        "" if math.isnan(row.gap_pct) else f"{row.gap_pct:.3f}",
        "yes" if row.feasible else "no",
        str(row.n_routes),
        f"{row.runtime_s:.2f}",
        str(row.max_iterations),
        str(row.n_iterations),
        "" if math.isnan(row.cpu_s) else f"{row.cpu_s:.2f}",
    ]


def _row_from_csv(line: dict[str, str]) -> Row:
    def number(text: str) -> float:
        return float(text) if text else math.nan

    return Row(
        instance=line["instance"],
        backend=line["backend"],
        time_limit_s=float(line["time_limit_s"]),
        cost=number(line["cost"]),
        bks=number(line["bks"]),
        gap_pct=number(line["gap_pct"]),
        feasible=line["feasible"] == "yes",
        n_routes=int(line["n_routes"]),
        runtime_s=float(line["runtime_s"]),
        max_iterations=int(line["max_iterations"]),
        n_iterations=int(line["n_iterations"]),
        cpu_s=number(line.get("cpu_s") or ""),
    )


def mean_gap_table(rows: Sequence[Row]) -> str:
    """Return a Markdown table of the mean gap per set, backend, time limit and budget."""
    groups: dict[tuple[str, str, float, int], list[Row]] = {}
    for row in rows:
        if not math.isnan(row.bks):
            groups.setdefault((_set_of(row), *_run_key(row)[1:]), []).append(row)
    lines = [
        "| set | backend | time limit (s) | instances | feasible | mean gap (%) "
        "| max gap (%) | mean runtime (s) | mean processor time (s) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (set_name, backend, time_limit_s, budget), group in sorted(
        groups.items(), key=lambda item: (SETS.index(item[0][0]), *item[0][1:])
    ):
        gaps = [row.gap_pct for row in group if row.feasible]
        mean_gap = f"{statistics.fmean(gaps):.2f}" if gaps else "-"
        max_gap = f"{max(gaps):.2f}" if gaps else "-"
        lines.append(
            f"| {set_name} | {_backend_label(backend, budget)} | {time_limit_s:g} | {len(group)} "
            f"| {len(gaps)} | {mean_gap} | {max_gap} "
            f"| {statistics.fmean(row.runtime_s for row in group):.1f} "
            f"| {_mean_cpu_s(group)} |"
        )
    return "\n".join(lines)


def _mean_cpu_s(rows: Sequence[Row]) -> str:
    known = [row.cpu_s for row in rows if not math.isnan(row.cpu_s)]
    return f"{statistics.fmean(known):.2f}" if len(known) == len(rows) else "-"


def budget_table(rows: Sequence[Row]) -> str:
    """Return a Markdown table of each run setting's mean gap to the best plan of ``rows``.

    Meant for instances without a best-known cost: each instance's reference is the cheapest
    feasible plan that any of ``rows`` found for it.
    """
    reference: dict[str, float] = {}
    for row in rows:
        if row.feasible:
            reference[row.instance] = min(row.cost, reference.get(row.instance, math.inf))
    groups: dict[tuple[str, float, int], list[Row]] = {}
    for row in rows:
        groups.setdefault(_run_key(row)[1:], []).append(row)
    lines = [
        "| backend | time limit (s) | iteration budget | instances | feasible "
        "| mean gap to best found (%) | max gap to best found (%) | mean runtime (s) "
        "| mean processor time (s) | mean iterations |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (backend, time_limit_s, budget), group in sorted(groups.items()):
        feasible = [row for row in group if row.feasible]
        gaps = [100.0 * (row.cost / reference[row.instance] - 1.0) for row in feasible]
        mean_gap = f"{statistics.fmean(gaps):.3f}" if gaps else "-"
        max_gap = f"{max(gaps):.3f}" if gaps else "-"
        lines.append(
            f"| {backend} | {time_limit_s:g} | {budget} | {len(group)} | {len(feasible)} "
            f"| {mean_gap} | {max_gap} | {statistics.fmean(row.runtime_s for row in group):.2f} "
            f"| {_mean_cpu_s(group)} "
            f"| {statistics.fmean(row.n_iterations for row in group):.0f} |"
        )
    return "\n".join(lines)


def instance_table(rows: Sequence[Row]) -> str:
    """Return a Markdown table of each instance's cost and gap, one column per run setting."""
    settings = sorted({_run_key(row)[1:] for row in rows})
    by_instance: dict[str, dict[tuple[str, float, int], Row]] = {}
    for row in sorted(rows, key=_sort_key):
        by_instance.setdefault(row.instance, {})[_run_key(row)[1:]] = row
    header = " | ".join(
        f"{_backend_label(backend, budget)} {time_limit_s:g} s"
        for backend, time_limit_s, budget in settings
    )
    lines = [
        f"| instance | best known | {header} |",
        "| --- | ---: |" + " ---: |" * len(settings),
    ]
    for name, runs in by_instance.items():
        first = next(iter(runs.values()))
        bks = "-" if math.isnan(first.bks) else format_cost(_set_of(first), first.bks)
        cells = [_cell(runs.get(setting)) for setting in settings]
        lines.append(f"| {name} | {bks} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(row: Row | None) -> str:
    if row is None:
        return ""
    if math.isnan(row.cost):
        return "failed"
    text = format_cost(_set_of(row), row.cost)
    if not math.isnan(row.gap_pct):
        text += f" ({row.gap_pct:.2f} %)"
    return text if row.feasible else f"{text} infeasible"


def _set_of(row: Row) -> str:
    return "X" if row.instance.startswith("X-") else "Solomon"


def _backend_label(backend: str, budget: int) -> str:
    return backend if budget == BENCH_MAX_ITERATIONS else f"{backend}, {budget} iterations"


def describe_machine() -> str:
    """Return the processor model, core count, load and library versions of this run."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    packages = ", ".join(f"{name} {version(name)}" for name in ("pyvrp", "ortools", "vrplib"))
    return (
        f"{date.today()}, {cpu}, {os.cpu_count()} cores, load average {load:.2f} at start, "
        f"Python {platform.python_version()}, {packages}"
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--instances",
        default="core20",
        help="core20 (20 X instances that span the sizes), solomon (all 56), all, or "
        "comma-separated names such as X-n101-k25,C101 (default: core20)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=60.0, help="seconds per instance (default: 60)"
    )
    parser.add_argument(
        "--backend", choices=[*BACKENDS, "both"], default="both", help="(default: both)"
    )
    parser.add_argument(
        "--bench-dir",
        type=Path,
        default=DEFAULT_BENCH_DIR,
        help="folder with cvrp_x/, solomon/ and bks/ (default: ../shared/bench from the "
        "repository root)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="folder for routing.csv and routing_solutions/ (default: benchmarks/results)",
    )
    parser.add_argument("--seed", type=int, default=0, help="PyVRP seed (default: 0)")

    parser.add_argument(
        "--max-iterations",
        type=int,
        default=BENCH_MAX_ITERATIONS,
        help="iteration budget; the default is so large that the time limit ends every search",
    )
    parser.add_argument(
        "--first-clients",
        type=int,
        default=0,
        help="keep only this many first clients of each instance; no best-known cost then",
    )

    parser.add_argument("--ortools-first-solution", help="OR-Tools first solution strategy")
    parser.add_argument("--ortools-metaheuristic", help="OR-Tools local search metaheuristic")
    parser.add_argument(
        "--report", action="store_true", help="print the tables of the CSV in --out and exit"
    )

    return parser.parse_args(argv)


def parse_ortools_search(args: argparse.Namespace) -> OrToolsSearch | None:
    """Return the OR-Tools search the command line names, or None to use the default."""
    if args.ortools_first_solution is None and args.ortools_metaheuristic is None:
        return None
    default = OrToolsSearch()
    return OrToolsSearch(
        args.ortools_first_solution or default.first_solution_strategy,
        args.ortools_metaheuristic or default.metaheuristic,
    )


def run(args: argparse.Namespace) -> list[Row]:
    """Solve every requested instance with every requested backend; return this run's rows."""
    best = read_best_known(args.bench_dir)
    names = select_instances(args.instances, best)
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    search = parse_ortools_search(args)
    solutions = args.out / "routing_solutions"
    solutions.mkdir(parents=True, exist_ok=True)
    logger.info("Machine: %s", describe_machine())

    rows = []
    for name in names:
        instance = load_instance(args.bench_dir, name, best, args.first_clients)
        for backend in backends:
            row, routes = solve_instance(
                instance,
                backend,
                time_limit_s=args.time_limit,
                seed=args.seed,
                max_iterations=args.max_iterations,
                ortools_search=search if backend == "ortools" else None,
            )
            if backend == "ortools" and search is not None:
                label = f"ortools[{search.first_solution_strategy}+{search.metaheuristic}]"
                row = dataclasses.replace(row, backend=label)
            if routes:
                write_solution(solutions / f"{_solution_stem(row)}.sol", instance, routes)
            merge_rows(args.out / "routing.csv", [row])
            rows.append(row)
            _log_row(instance, row)
    return rows


def _solution_stem(row: Row) -> str:
    stem = f"{row.instance}.{row.backend}.{row.time_limit_s:g}s"
    if row.max_iterations != BENCH_MAX_ITERATIONS:
        stem += f".{row.max_iterations}it"
    return stem


def _log_row(instance: Instance, row: Row) -> None:
    gap = "no best-known cost" if math.isnan(row.gap_pct) else f"gap {row.gap_pct:.2f} %"
    logger.info(
        "%s (%d clients) with %s: cost %s, %s, %s, %d routes, %.1f s (%.1f s processor time)",
        instance.name,
        instance.n_clients,
        row.backend,
        format_cost(instance.set_name, row.cost),
        gap,
        "feasible" if row.feasible else "INFEASIBLE",
        row.n_routes,
        row.runtime_s,
        row.cpu_s,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark, or print the report of earlier runs, as the command line asks."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    if args.report:
        rows = merge_rows(args.out / "routing.csv", [])
        unscored = [row for row in rows if math.isnan(row.bks)]
        tables = [mean_gap_table(rows), instance_table(rows)]
        if unscored:
            tables.append(budget_table(unscored))
        print(*tables, sep="\n\n")
        return
    rows = run(args)
    print(mean_gap_table(rows))


if __name__ == "__main__":
    main()
