"""Nightly re-routing: tomorrow's orders on the plan's territories, within a deadline.

:func:`reroute` reads the plan (a ``run`` output folder) and the order file. It routes each
territory's orders with the territory's vehicle, starting from the plan's route of the same
weekday. It returns stops, routes, unserved orders, rejected rows and the changes against the
plan. :func:`write_reroute` writes them as one folder, all at once.

Time budget. The deadline counts from ``started_at`` (the start of the command). A tenth of it
is kept for writing the outputs. The route problems share what remains after reading and the
matrices. Each gets ``time_limit_s``, or less when its share of the remaining time is shorter,
given how many problems run at once. Routes not solved at the deadline are reported as
unserved (``deadline_exceeded``), never silently dropped.

Reproducibility. Every problem is solved with the same seed and an iteration budget, so the
same inputs give the same routes on any executor, as long as no solve stops on its time limit
first; ``summary["kpis"]["routes_on_time_limit"]`` counts those that did.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from gtm_optimizer.batch.changes import compare_with_plan, plan_reference
from gtm_optimizer.batch.day_orders import join_plan
from gtm_optimizer.batch.plan import DEFAULT_CYCLE_START, Plan, cycle_week_of, read_plan
from gtm_optimizer.batch.problems import RerouteDay, build_reroute_days, solve_day
from gtm_optimizer.batch.roads import road_path, split_routable, travel_matrices
from gtm_optimizer.batch.tables import DayTables, route_geometries, tabulate_days
from gtm_optimizer.code_labels import change_label
from gtm_optimizer.errors import InputError
from gtm_optimizer.execution import Executor, TaskOutcome, open_executor
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.orders import OrderTable, load_orders
from gtm_optimizer.pipeline import StageClock
from gtm_optimizer.reporting.maps.text import weekday_label
from gtm_optimizer.scenario import WEEKDAYS
from solvers.routing import BACKENDS, RoutingResult

logger = logging.getLogger(__name__)

WRITE_RESERVE_SHARE = 0.1


@dataclass(frozen=True)
class RerouteSettings:
    """Search budget and calendar settings of a re-routing run.

    Parameters
    ----------
    time_limit_s
        Cap on each territory's solve.
    deadline_s
        Cap on the whole run, outputs included, counted from ``started_at`` of :func:`reroute`.
    seed
        Seed of every solve; None uses the plan scenario's.
    max_iterations
        Iteration budget of every solve; a solve that ends on it is reproducible.
    backend
        ``"pyvrp"`` or ``"ortools"``; None uses the plan scenario's.
    cycle_start
        A date in cycle week 1 (see :func:`~gtm_optimizer.batch.plan.cycle_week_of`).
    """

    time_limit_s: float = 10.0
    deadline_s: float = 1800.0
    seed: int | None = None
    max_iterations: int = 3000
    backend: str | None = None
    cycle_start: date = DEFAULT_CYCLE_START

    def __post_init__(self) -> None:
        for name in ("time_limit_s", "deadline_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} = {value} must be a finite number of seconds > 0")
        if self.seed is not None and self.seed < 0:
            raise ValueError(f"seed = {self.seed} must be >= 0")
        if self.max_iterations < 1:
            raise ValueError(f"max_iterations = {self.max_iterations} must be >= 1")
        if self.backend is not None and self.backend not in BACKENDS:
            raise ValueError(f"backend = {self.backend!r} is not one of {BACKENDS}")


@dataclass(frozen=True)
class RerouteResult:
    """Everything a re-routing run produced, in memory; :func:`write_reroute` writes it."""

    day: date
    stops: pd.DataFrame
    routes: gpd.GeoDataFrame
    unserved: pd.DataFrame
    rejects: pd.DataFrame
    changes: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 when every order row was routed, 3 when some were rejected or unserved."""
        return 3 if len(self.rejects) or len(self.unserved) else 0


def reroute(
    plan_dir: Path,
    orders_path: Path,
    day: date,
    *,
    settings: RerouteSettings | None = None,
    executor: Executor | None = None,
    cache_dir: Path | None = None,
    started_at: float | None = None,
) -> RerouteResult:
    """Re-route one day's orders on a plan.

    Parameters
    ----------
    plan_dir
        Output folder of a ``run``.
    orders_path
        The day's order file (see :mod:`gtm_optimizer.inputs.orders`).
    day
        The date the routes are for; its weekday and cycle week pick the plan routes.
    settings
        Budgets and seed; the defaults of :class:`RerouteSettings` when omitted.
    executor
        Where the route problems run; local processes on every core when omitted.
    cache_dir
        Folder of the travel-matrix cache; no cache when omitted.
    started_at
        ``time.monotonic()`` at the start of the command; the deadline counts from it.

    Raises
    ------
    InputError
        If the plan or the order file cannot be read.
    ScenarioError
        If the plan's settings are invalid or a depot is off the road network.
    """
    settings = settings or RerouteSettings()
    started_at = time.monotonic() if started_at is None else started_at
    clock = StageClock()
    with clock.stage("read_plan"):
        plan = read_plan(plan_dir)
    week = cycle_week_of(day, plan.cycle_weeks, cycle_start=settings.cycle_start)
    weekday = day.weekday()
    with clock.stage("load_orders"):
        table = _load_orders(orders_path, plan)
        orders = join_plan(plan, table.orders)
    logger.info(
        _(
            "Read {rows} order rows for {day} ({weekday}, cycle week {week} of {weeks}): "
            "{orders} orders, {problems} problems"
        ).format(
            rows=_order_rows(table),
            day=day.isoformat(),
            weekday=weekday_label(WEEKDAYS[weekday]),
            week=week,
            weeks=plan.cycle_weeks,
            orders=len(orders),
            problems=len(table.problems),
        )
    )
    with clock.stage("matrices"):
        roads = travel_matrices(plan, orders, cache_dir)
    routable, unroutable = split_routable(plan, orders, roads)
    days = build_reroute_days(
        plan,
        routable,
        roads.duration_s,
        roads.distance_m,
        {d.id: i for i, d in enumerate(plan.scenario.depots)},
        week=week,
        weekday=weekday,
    )
    with clock.stage("routing"):
        outcomes, time_limit_s = _solve(days, plan, settings, executor, started_at)
    with clock.stage("assemble"):
        tables = tabulate_days(routable, days, outcomes, settings.deadline_s)
        unserved = pd.concat([tables.unserved, unroutable], ignore_index=True)
        routes = route_geometries(
            tables.routes, tables.route_points, lambda points: road_path(roads, points)
        )
        changes = compare_with_plan(
            plan_reference(plan, week=week, weekday=weekday),
            tables.stops,
            orders,
            set(orders["key"]),
        )
    logger.info(
        _(
            "Re-routed {orders} orders on {routes} routes ({unserved} unserved, {rejected} rows "
            "rejected), changes against the plan: {changes}, {seconds:.1f} s since start"
        ).format(
            orders=len(tables.stops),
            routes=len(routes),
            unserved=len(unserved),
            rejected=len(table.rejects),
            changes=_change_counts(changes) or _("none"),
            seconds=time.monotonic() - started_at,
        )
    )
    summary = _summary(
        plan,
        table,
        orders,
        tables,
        unserved,
        changes,
        day,
        week,
        settings,
        time_limit_s,
        roads.source,
        clock,
        executor,
    )
    return RerouteResult(
        day, tables.stops.drop(columns="key"), routes, unserved, table.rejects, changes, summary
    )


def _change_counts(changes: pd.DataFrame) -> str:
    """Count the customers per change against the plan, e.g. ``12 kept, 3 moved``."""
    counts = changes["change"].value_counts().items()
    return ", ".join(f"{count} {change_label(str(change))}" for change, count in counts)


def _load_orders(path: Path, plan: Plan) -> OrderTable:
    """Return the valid orders and rejected rows; a file-level problem stops the run.

    Raises
    ------
    InputError
        If the file lacks a required column or has no order row.
    """
    table = load_orders(
        path,
        known_ids=plan.customers["customer_id"].tolist(),
        decimal_comma=plan.scenario.inputs.decimal_comma,
    )
    file_problems = [problem for problem in table.problems if problem.line is None]
    if file_problems:
        raise InputError(file_problems)
    return table


def _order_rows(table: OrderTable) -> int:
    """Return the number of data rows of the order file: valid plus rejected."""
    rejected = int(table.rejects["line"].nunique()) if len(table.rejects) else 0
    return len(table.orders) + rejected


def _solve(
    days: list[RerouteDay],
    plan: Plan,
    settings: RerouteSettings,
    executor: Executor | None,
    started_at: float,
) -> tuple[list[TaskOutcome[RoutingResult]], float]:
    """Solve every territory's problem within the deadline; return outcomes and the limit used."""
    backend = settings.backend or plan.scenario.solver.backend
    if not days:
        return [], settings.time_limit_s
    with open_executor(executor, n_tasks=len(days)) as pool:
        reserve_s = WRITE_RESERVE_SHARE * settings.deadline_s
        budget_s = settings.deadline_s - reserve_s - (time.monotonic() - started_at)
        waves = math.ceil(len(days) / pool.slots)
        time_limit_s = min(settings.time_limit_s, budget_s / waves)
        if time_limit_s <= 0:
            logger.error(
                _(
                    "No time left before the deadline of {deadline_s:.0f} s; {routes} routes "
                    "not solved"
                ).format(deadline_s=settings.deadline_s, routes=len(days))
            )
            return [TaskOutcome(timed_out=True) for _day in days], 0.0
        logger.info(
            _(
                "Solving {routes} routes with {backend} on {workers} workers, {limit_s:.1f} s "
                "each (budget {budget_s:.1f} s)"
            ).format(
                routes=len(days),
                backend=backend,
                workers=pool.slots,
                limit_s=time_limit_s,
                budget_s=budget_s,
            )
        )
        seed = plan.scenario.solver.seed if settings.seed is None else settings.seed
        tasks = [
            (day.problem, backend, time_limit_s, seed, settings.max_iterations) for day in days
        ]
        outcomes = pool.run(solve_day, tasks, timeout_s=budget_s + reserve_s / 2)
    n_failed = sum(not outcome.ok for outcome in outcomes)
    if n_failed:
        logger.error(
            _("{failed} of {routes} routes were not solved (deadline or solver error)").format(
                failed=n_failed, routes=len(days)
            )
        )
    return outcomes, time_limit_s


def _summary(
    plan: Plan,
    table: OrderTable,
    orders: pd.DataFrame,
    tables: DayTables,
    unserved: pd.DataFrame,
    changes: pd.DataFrame,
    day: date,
    week: int,
    settings: RerouteSettings,
    time_limit_s: float,
    source: str,
    clock: StageClock,
    executor: Executor | None,
) -> dict[str, Any]:
    routes = tables.routes
    kpis = {
        "order_rows": _order_rows(table),
        "rows_rejected": int(table.rejects["line"].nunique()) if len(table.rejects) else 0,
        "orders": len(orders),
        "orders_routed": len(tables.stops),
        "orders_unserved": len(unserved),
        "routes": len(routes),
        "volume": float(tables.stops["volume"].sum()),
        "km": float(routes["distance_km"].sum()),
        "hours": float(routes["duration_h"].sum()),
        "route_cost": float(routes["cost_total"].sum()),
        "routes_on_time_limit": int((~routes["reproducible"].astype(bool)).sum()),
    }
    seed = plan.scenario.solver.seed if settings.seed is None else settings.seed
    settings_data = asdict(settings) | {
        "seed": seed,
        "backend": settings.backend or plan.scenario.solver.backend,
        "cycle_start": settings.cycle_start.isoformat(),
        "time_limit_used_s": time_limit_s,
        "executor": repr(executor) if executor else "local",
    }
    return {
        "command": "reroute",
        "scenario": plan.scenario.name,
        "currency": plan.scenario.currency,
        "date": day.isoformat(),
        "weekday": WEEKDAYS[day.weekday()],
        "cycle_week": week,
        "cycle_weeks": plan.cycle_weeks,
        "plan": str(plan.folder.resolve()),
        "orders_file": table.source,
        "distance_source": source,
        "kpis": kpis,
        "changes": changes["change"].value_counts().to_dict(),
        "unserved_by_reason": unserved["reason"].value_counts().to_dict(),
        "settings": settings_data,
        "runtime_s": dict(clock.seconds),
        "peak_rss_mb": dict(clock.peak_rss_mb),
    }
