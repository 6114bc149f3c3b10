"""Route-days of a Duitama plan: territory and calendar methods, routed with the product.

A route-day is one vehicle on one day and costs the vehicle's fixed cost per day however full
it is. This benchmark counts the route-days a plan drives per week, and the visits its routes
cannot carry, for four plans of the Duitama customers with the scenario's four territories:

* ``k-means + round-robin``: plain k-means territories (scikit-learn), and each territory's
  customers given weekdays in turn in file order: the next allowed pattern of the customer's
  frequency, the next week of the cycle for visits every two or four weeks;
* ``k-means + calendar``: the same territories with the product's calendar, which balances
  each day's hours and keeps it within one shift and one vehicle load;
* ``design_districts + calendar``: the product's balanced territories and calendar;
* ``design_districts + packed calendar``: the same with ``plan.pack_days``, days off for a
  territory whose week fits in fewer days, and one more day where its routes overflow.

Every plan's whole cycle is routed with the product's router (PyVRP, the scenario's search
limits). Figures are per week.

Usage::

    .venv/bin/python -m benchmarks.calendars --runs 3 --out benchmarks/results/calendars.md
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.territories import (
    DUITAMA_SCENARIO,
    Instance,
    design_kmeans,
    design_project,
    load_duitama_instance,
    machine_description,
)

logger = logging.getLogger(__name__)

TERRITORIES = 4


def round_robin_calendar(customers: Any, labels: np.ndarray, territory_ids: tuple[str, ...],
                         *, working_days: int) -> Any:
    """Return a calendar that gives each territory's customers weekdays in turn, in file order."""
    from gtm_optimizer.calendar import VisitCalendar, cycle_visits, cycle_weeks_for
    from solvers.scheduling import visit_patterns

    frequency = customers["visits_per_week"].to_numpy(float)
    cycle = cycle_weeks_for(frequency)
    days: list[tuple[int, ...]] = [()] * len(customers)
    week = np.zeros(len(customers), dtype=int)
    for label in range(len(territory_ids)):
        for turn, row in enumerate(np.flatnonzero(labels == label)):
            patterns = visit_patterns(float(frequency[row]), working_days)
            days[row] = tuple(patterns[turn % len(patterns)])
            period = {0.5: 2, 0.25: 4}.get(float(frequency[row]))
            week[row] = 0 if period is None else turn % period + 1
    visits = tuple(
        cycle_visits(days[row], int(week[row]), float(frequency[row]), cycle)
        for row in range(len(customers))
    )
    workload = {tid: np.zeros(working_days) for tid in territory_ids}
    return VisitCalendar(cycle, tuple(days), week, visits, workload, 0.0)


def route_plan(instance: Instance, labels: np.ndarray, calendar_method: str) -> dict[str, float]:
    """Plan the calendar of ``labels`` with ``calendar_method`` and route the whole cycle."""
    from gtm_optimizer.costing.model import cost_routes
    from gtm_optimizer.design import plan_and_route
    from gtm_optimizer.routing import build_route_days, solve_route_days
    from gtm_optimizer.territories import territory_id

    inputs = instance.routing.inputs
    scenario = inputs.scenario
    ids = tuple(territory_id(index) for index in range(TERRITORIES))
    started = time.perf_counter()
    if calendar_method == "round-robin":
        calendar = round_robin_calendar(inputs.customers, labels, ids,
                                        working_days=scenario.plan.working_days)
        route_days = build_route_days(
            scenario, inputs.customers, calendar, labels, ids, inputs.full_duration_s,
            inputs.full_distance_m, inputs.customer_points, inputs.depot_points,
        )
        results = solve_route_days(
            route_days, backend=scenario.solver.backend, time_limit_s=scenario.solver.time_limit_s,
            seed=scenario.solver.seed, workers=scenario.solver.workers,
            no_improvement_iterations=scenario.solver.no_improvement_iterations,
        )
    else:
        calendar, route_days, results = plan_and_route(
            inputs, labels, ids, instance.routing.service_plus_travel_s,
            time_limit_s=scenario.solver.time_limit_s,
            pack_days=calendar_method == "packed calendar",
        )
    weeks = calendar.cycle_weeks
    routes = cost_routes(route_days, results, inputs.customers, scenario.costs,
                         cycle_weeks=weeks).routes
    extra, still_left = extra_route_days([day.problem for day in route_days], results, scenario)
    return {
        "route_days": len(routes) / weeks,
        "unserved_visits": sum(len(result.unserved) for result in results) / weeks,
        "extra_route_days": extra / weeks,
        "left_after_extra": still_left / weeks,
        "km": float(routes["distance_km"].sum()) / weeks,
        "hours": float(routes["duration_h"].sum()) / weeks,
        "route_cost": float(routes["cost_total"].sum()) / weeks,
        "runtime_s": time.perf_counter() - started,
    }


# Passes of extra route-days for the visits a plan's routes leave out.
MAX_EXTRA_PASSES = 3


def extra_route_days(problems: list[Any], results: list[Any], scenario: Any) -> tuple[int, int]:
    """Route the visits each route-day left out on extra vehicles of the same kind.

    Each pass puts the visits a route-day dropped for lack of time or room into a new problem
    with the same depot, vehicle and matrices, and solves it. Returns the extra route-days and
    the visits still left after :data:`MAX_EXTRA_PASSES` passes.
    """
    from gtm_optimizer.routing import solve_route_days
    from solvers.routing.result import NOT_ROUTED

    extra = 0
    left = [(problem, [item.client for item in result.unserved if item.reason == NOT_ROUTED])
            for problem, result in zip(problems, results, strict=True)]
    for _pass in range(MAX_EXTRA_PASSES):
        subproblems = [_subproblem(problem, clients) for problem, clients in left if clients]
        if not subproblems:
            break
        solved = solve_route_days(
            [_Day(problem) for problem in subproblems], backend=scenario.solver.backend,
            time_limit_s=scenario.solver.time_limit_s, seed=scenario.solver.seed,
            workers=scenario.solver.workers,
            no_improvement_iterations=scenario.solver.no_improvement_iterations,
        )
        extra += sum(1 for result in solved if result.routes)
        left = [(problem, [item.client for item in result.unserved
                           if item.reason == NOT_ROUTED])
                for problem, result in zip(subproblems, solved, strict=True)]
    return extra, sum(len(clients) for _, clients in left)


class _Day:
    """The one attribute of a route-day that :func:`solve_route_days` reads."""

    def __init__(self, problem: Any) -> None:
        self.problem = problem


def _subproblem(problem: Any, clients: list[int]) -> Any:
    """Return ``problem`` reduced to ``clients``, with the matrices cut to their locations."""
    locations = [0] + [problem.clients[client].location for client in clients]
    kept = tuple(
        replace(problem.clients[client], location=index + 1)
        for index, client in enumerate(clients)
    )
    return replace(
        problem,
        duration_s=problem.duration_s[np.ix_(locations, locations)],
        distance_m=problem.distance_m[np.ix_(locations, locations)],
        clients=kept,
        initial_routes=None,
    )


PLANS: tuple[tuple[str, Callable[..., Any], str], ...] = (
    ("k-means + round-robin", design_kmeans, "round-robin"),
    ("k-means + calendar", design_kmeans, "calendar"),
    ("design_districts + calendar", design_project, "calendar"),
    ("design_districts + packed calendar", design_project, "packed calendar"),
)


def write_report(rows: dict[str, list[dict[str, float]]], runs: int, out: Path,
                 started: str) -> None:
    """Write the Markdown page of median figures per plan."""
    median = {plan: {key: statistics.median(run[key] for run in values) for key in values[0]}
              for plan, values in rows.items()}
    reference = median["k-means + round-robin"]
    needed_reference = reference["route_days"] + reference["extra_route_days"]
    lines = [
        "# Route-days of a Duitama plan",
        "",
        f"Written by `benchmarks/calendars.py --runs {runs}` on {started}.",
        f"Machine: {machine_description()}.",
        f"Scenario: `scenarios/duitama/{DUITAMA_SCENARIO.name}` with {TERRITORIES} "
        f"territories; medians of {runs} runs.",
        "",
        "| plan | route-days per week | visits left out per week | extra route-days for them "
        "| still left | route-days needed | vs k-means + round-robin | km per week | "
        "hours per week | route cost per week | runtime s |",
        "| --- |" + " ---: |" * 10,
    ]
    for plan, row in median.items():
        needed = row["route_days"] + row["extra_route_days"]
        lines.append(
            f"| {plan} | {row['route_days']:.1f} | {row['unserved_visits']:.1f} | "
            f"{row['extra_route_days']:.1f} | {row['left_after_extra']:.1f} | {needed:.1f} | "
            f"{100 * (needed / needed_reference - 1):+.1f} % | {row['km']:,.1f} | "
            f"{row['hours']:.1f} | {row['route_cost']:,.0f} | {row['runtime_s']:.1f} |"
        )
    lines += [
        "",
        "A visit a plan's routes cannot carry is left out. To compare plans that serve the "
        "same visits, the visits each route-day left out are routed on extra route-days of the "
        f"same vehicle and depot, in up to {MAX_EXTRA_PASSES} passes; route-days needed is the "
        "plan's route-days plus those (the sum of the two medians). Km, hours and route cost "
        "are those of the plan's own "
        "routes, without the extra route-days. Visits still left after the passes cannot be "
        "routed on any day (for example a window outside the shift).",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Run every plan ``--runs`` times and write the results page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per plan (default: 3)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/calendars.md"),
                        help="Markdown file to write")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    started = date.today().isoformat()
    load_before = os.getloadavg()[0]
    instance = load_duitama_instance()
    rows: dict[str, list[dict[str, float]]] = {}
    for run in range(args.runs):
        for plan, design, calendar_method in PLANS:
            labels = design(instance, TERRITORIES, seed=run, time_limit_s=10.0).labels
            row = route_plan(instance, labels, calendar_method)
            rows.setdefault(plan, []).append(row)
            logger.info("run %d %s: %.1f route-days, %.1f unserved visits per week", run + 1,
                        plan, row["route_days"], row["unserved_visits"])
    write_report(rows, args.runs, args.out, started)
    logger.info("load average %.2f before, %.2f after; wrote %s", load_before,
                os.getloadavg()[0], args.out)


if __name__ == "__main__":
    main()
