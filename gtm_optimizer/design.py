"""Plan design: territories, calendar and routes for a territory count, with calibration.

Territory design needs each customer's workload before any route exists, so it starts from an
estimate of the travel share of each visit (:func:`gtm_optimizer.territories.
estimate_travel_share_s`). After routing, each visit's real share of its route's time is known
(:mod:`gtm_optimizer.costing.allocation`). When the routed workloads break the workload
tolerance, the territories are realigned on these calibrated workloads. A realignment moves at
most ``plan.max_moved_share`` of the customers, then the calendar and routes are planned again.

With ``plan.territories: auto`` the territory count is the one with the lowest weekly route
cost, counting each visit left unserved at the cost of a full route-day, among the counts
around the one that fills the working days (total workload over the shift hours of a week).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gtm_optimizer.calendar import VisitCalendar, plan_calendar
from gtm_optimizer.costing.model import CostToServe, cost_routes
from gtm_optimizer.i18n import _, ngettext
from gtm_optimizer.routing import RouteDay, build_route_days, solve_route_days
from gtm_optimizer.scenario import Scenario
from gtm_optimizer.territories import TerritoryPlan, design_territories
from gtm_optimizer.timing import StageClock
from solvers.routing import RoutingResult
from solvers.routing.result import NOT_ROUTED

logger = logging.getLogger(__name__)

SHIFT_FILL = 0.85
"""Share of a shift a route-day is expected to use, when sizing the territory count and when
packing visits into fewer days."""


@dataclass(frozen=True)
class DesignInputs:
    """Inputs shared by every design trial: customers, matrices and projected coordinates.

    ``customer_points[i]`` is customer ``i``'s row in the full matrices; ``duration_s`` is the
    customer-to-customer block.
    """

    scenario: Scenario
    customers: pd.DataFrame
    duration_s: np.ndarray
    full_duration_s: np.ndarray
    full_distance_m: np.ndarray
    customer_points: np.ndarray
    depot_points: dict[str, int]
    coords_m: np.ndarray
    clock: StageClock = field(default_factory=StageClock)


@dataclass(frozen=True)
class Design:
    """One complete plan: territories, calendar, solved routes and their costs."""

    territories: TerritoryPlan
    calendar: VisitCalendar
    route_days: list[RouteDay]
    results: list[RoutingResult]
    cts: CostToServe

    @property
    def route_cost_per_week(self) -> float:
        """Total cost of the cycle's routes per week."""
        return float(self.cts.routes["cost_total"].sum()) / self.calendar.cycle_weeks

    @property
    def unserved_visits(self) -> int:
        """Visits of the cycle that no route serves."""
        return sum(len(result.unserved) for result in self.results)

    def routed_workload_h(self) -> np.ndarray:
        """Routed hours per week of each territory (route durations, waiting included)."""
        per_territory = self.cts.routes.groupby("territory_id")["duration_h"].sum()
        hours = per_territory.reindex(list(self.territories.territory_ids), fill_value=0.0)
        return hours.to_numpy(float) / self.calendar.cycle_weeks


def design_plan(
    inputs: DesignInputs,
    n_territories: int,
    *,
    time_limit_s: float,
    travel_share_s: np.ndarray | None = None,
    current: np.ndarray | None = None,
    max_moved_share: float | None = None,
) -> Design:
    """Design territories, plan the calendar, solve the routes and cost them."""
    scenario = inputs.scenario
    plan = scenario.plan
    clock = inputs.clock
    with clock.stage("territories"):
        territories = design_territories(
            inputs.customers, inputs.duration_s, inputs.coords_m, n_territories,
            workload_tolerance=plan.workload_tolerance,
            revenue_tolerance=plan.revenue_tolerance, travel_share_s=travel_share_s,
            current=current, max_moved_share=max_moved_share, seed=scenario.solver.seed,
            time_limit_s=scenario.solver.territory_time_limit_s,
        )
    workload_s = inputs.customers["service_s"].to_numpy(float) + territories.travel_share_s
    calendar, route_days, results = plan_and_route(
        inputs, territories.labels, territories.territory_ids, workload_s,
        time_limit_s=time_limit_s, pack_days=plan.packs_days,
    )
    with clock.stage("cost_to_serve"):
        cts = cost_routes(route_days, results, inputs.customers, scenario.costs,
                          cycle_weeks=calendar.cycle_weeks)
    return Design(territories, calendar, route_days, results, cts)


def plan_and_route(
    inputs: DesignInputs,
    labels: np.ndarray,
    territory_ids: tuple[str, ...],
    workload_s: np.ndarray,
    *,
    time_limit_s: float,
    pack_days: bool,
) -> tuple[VisitCalendar, list[RouteDay], list[RoutingResult]]:
    """Plan the visit calendar of a territory design and solve every route-day.

    With ``pack_days``, territories get days off (see :func:`plan_calendar`); a territory
    whose routes then leave visits out gets one more working day and is routed again, only
    its changed route-days being solved anew.
    """
    scenario = inputs.scenario
    plan = scenario.plan
    clock = inputs.clock
    min_working_days: dict[str, int] = {}
    solved: dict[tuple[str, int, int, tuple[int, ...]], RoutingResult] = {}
    for _attempt in range(plan.working_days):
        with clock.stage("calendar"):
            calendar = plan_calendar(
                inputs.customers, labels, territory_ids, workload_s, inputs.coords_m,
                working_days=plan.working_days, max_day_s=shift_s(scenario),
                max_day_volume=smallest_capacity(scenario),
                day_fill=SHIFT_FILL if pack_days else None,
                min_working_days=min_working_days, seed=scenario.solver.seed,
            )
        with clock.stage("routing"):
            route_days = build_route_days(
                scenario, inputs.customers, calendar, labels, territory_ids,
                inputs.full_duration_s, inputs.full_distance_m, inputs.customer_points,
                inputs.depot_points,
            )
            results = _solve_new_days(route_days, solved, scenario, time_limit_s)
        overflowing = overflowing_packed(calendar, route_days, results)
        if not overflowing:
            break
        logger.info(
            ngettext("Packed days left visits unrouted in {count} territory ({ids}); giving it "
                     "one more working day",
                     "Packed days left visits unrouted in {count} territories ({ids}); giving "
                     "them one more working day",
                     len(overflowing)).format(count=len(overflowing), ids=", ".join(overflowing))
        )
        for tid in overflowing:
            min_working_days[tid] = plan.working_days - len(calendar.days_off[tid]) + 1
    return calendar, route_days, results


def _solve_new_days(
    route_days: list[RouteDay],
    solved: dict[tuple[str, int, int, tuple[int, ...]], RoutingResult],
    scenario: Scenario,
    time_limit_s: float,
) -> list[RoutingResult]:
    """Solve the route-days not solved before, and reuse the results of the others.

    A route-day is the same as before when its territory, week, weekday and customers are;
    ``solved`` gains the new results.
    """
    keys = [(day.territory_id, day.week, day.weekday, tuple(day.customer_rows.tolist()))
            for day in route_days]
    new = [index for index, key in enumerate(keys) if key not in solved]
    fresh = solve_route_days(
        [route_days[index] for index in new], backend=scenario.solver.backend,
        time_limit_s=time_limit_s, seed=scenario.solver.seed, workers=scenario.solver.workers,
        no_improvement_iterations=scenario.solver.no_improvement_iterations,
    ) if new else []
    for index, result in zip(new, fresh, strict=True):
        solved[keys[index]] = result
    return [solved[key] for key in keys]


def overflowing_packed(calendar: VisitCalendar, route_days: list[RouteDay],
                        results: list[RoutingResult]) -> list[str]:
    """Return the territories with days off whose routes dropped visits for lack of time or room.

    Visits dropped before the search (a window outside the shift, a drop above capacity)
    would not fit on any day, so they do not count.
    """
    overflowing = set()
    for day, result in zip(route_days, results, strict=True):
        if not calendar.days_off.get(day.territory_id):
            continue
        if any(item.reason == NOT_ROUTED for item in result.unserved):
            overflowing.add(day.territory_id)
    return sorted(overflowing)


def smallest_capacity(scenario: Scenario) -> float:
    """Return the smallest vehicle capacity of the fleet, the load a territory-day can carry."""
    return min(vehicle.capacity for vehicle in scenario.fleet)


def shift_s(scenario: Scenario) -> float:
    """Return the shortest working day of the fleet in seconds, ``max_shift_h`` included."""
    lengths = []
    for vehicle in scenario.fleet:
        start, end = vehicle.shift_s
        length = end - start
        if vehicle.max_shift_h is not None:
            length = min(length, vehicle.max_shift_h * 3600.0)
        lengths.append(length)
    return min(lengths)


def calibrated_travel_share_s(design: Design, n_customers: int) -> np.ndarray:
    """Return each customer's routed travel (and waiting) seconds per visit.

    A customer without a routed visit keeps its estimated share.
    """
    stops = design.cts.stops
    charged = (stops["time_share_s"] - stops["service_s"]).to_numpy(float)
    rows = stops["row"].to_numpy(int)
    total = np.bincount(rows, weights=charged, minlength=n_customers)
    count = np.bincount(rows, minlength=n_customers)
    share = design.territories.travel_share_s.astype(float).copy()
    visited = count > 0
    share[visited] = total[visited] / count[visited]
    return share


def workload_deviation(design: Design) -> float:
    """Return the largest relative deviation of a territory's routed workload from the mean."""
    hours = design.routed_workload_h()
    mean = float(hours.mean())
    return float(np.abs(hours / mean - 1.0).max()) if mean > 0 else 0.0


def design_with_calibration(inputs: DesignInputs, n_territories: int, *,
                            time_limit_s: float,
                            initial: Design | None = None) -> tuple[Design, list[dict[str, Any]]]:
    """Design a plan, then realign it on routed workloads while they break the tolerance.

    ``initial`` is a design of ``n_territories`` already made, to start from instead of
    designing one. Returns the final design and one record per round (workload deviation,
    route cost, unserved visits, customers moved) for the summary.
    """
    plan = inputs.scenario.plan
    design = initial if initial is not None else design_plan(inputs, n_territories,
                                                             time_limit_s=time_limit_s)
    rounds = [_round_record(design, 0, moved=0)]
    for round_number in range(1, plan.rebalance_rounds + 1):
        deviation = workload_deviation(design)
        if deviation <= plan.workload_tolerance:
            break
        logger.info(
            _("Routed workloads deviate from the mean by {deviation_pct:.1f} % (tolerance "
              "{tolerance_pct:.1f} %); realigning territories on the routed workloads").format(
                deviation_pct=100 * deviation, tolerance_pct=100 * plan.workload_tolerance)
        )
        share = calibrated_travel_share_s(design, len(inputs.customers))
        realigned = design_plan(
            inputs, n_territories, time_limit_s=time_limit_s, travel_share_s=share,
            current=design.territories.labels, max_moved_share=plan.max_moved_share,
        )
        moved = int((realigned.territories.labels != design.territories.labels).sum())
        rounds.append(_round_record(realigned, round_number, moved=moved))
        if workload_deviation(realigned) >= deviation and \
                realigned.unserved_visits >= design.unserved_visits:
            break
        design = realigned
    return design, rounds


def _round_record(design: Design, round_number: int, *, moved: int) -> dict[str, Any]:
    return {
        "round": round_number,
        "routed_workload_deviation_pct": 100 * workload_deviation(design),
        "route_cost_per_week": design.route_cost_per_week,
        "unserved_visits": design.unserved_visits,
        "customers_moved": moved,
    }


def territory_candidates(inputs: DesignInputs, travel_share_s: np.ndarray) -> list[int]:
    """Return the territory counts worth trying: the one that fills the weeks, and its neighbours.

    The central count is the larger of ``ceil(weekly workload / (working days × shift ×
    SHIFT_FILL))`` and ``ceil(weekly volume / (working days × capacity × SHIFT_FILL))``, the
    capacity being the smallest of the fleet: a territory's vehicle carries one load a day.
    """
    customers = inputs.customers
    scenario = inputs.scenario
    weekly_s = float((customers["visits_per_week"] * (customers["service_s"]
                                                      + travel_share_s)).sum())
    capacity_s = scenario.plan.working_days * shift_s(scenario) * SHIFT_FILL
    weekly_volume = float(customers["volume_per_week"].sum())
    capacity = scenario.plan.working_days * SHIFT_FILL * smallest_capacity(scenario)
    central = max(1, math.ceil(weekly_s / capacity_s), math.ceil(weekly_volume / capacity))
    n = len(customers)
    return [k for k in (central - 1, central, central + 1) if 1 <= k <= n]


def choose_territory_count(
    inputs: DesignInputs, candidates: list[int], *, time_limit_s: float
) -> tuple[int, list[dict[str, Any]], Design | None]:
    """Try each candidate count with a short search and return the cheapest.

    A visit left unserved is charged the cost of a full route-day, the price of serving it
    some other way, so a count that saves a rep but drops customers does not win. Returns the
    count, one record per trial, and the winning trial's design when every one of its route
    searches ended before the time limit (the same design a longer limit would give), else
    None.
    """
    trials = []
    designs: dict[int, Design] = {}
    for k in candidates:
        design = design_plan(inputs, k, time_limit_s=time_limit_s)
        designs[k] = design
        routes = design.cts.routes
        day_cost = float(routes["cost_total"].max()) if len(routes) else 0.0
        penalty = day_cost * design.unserved_visits / design.calendar.cycle_weeks
        trials.append({
            "territories": k,
            "route_cost_per_week": design.route_cost_per_week,
            "unserved_visits": design.unserved_visits,
            "score_per_week": design.route_cost_per_week + penalty,
        })
        logger.info(
            ngettext("Territory count {territories}: route cost {cost:.0f} per week, {unserved} "
                     "visit unserved",
                     "Territory count {territories}: route cost {cost:.0f} per week, {unserved} "
                     "visits unserved",
                     design.unserved_visits).format(territories=k, cost=design.route_cost_per_week,
                                                    unserved=design.unserved_visits)
        )
    best = min(trials, key=lambda trial: (trial["score_per_week"], trial["territories"]))
    chosen = int(best["territories"])
    design = designs[chosen]
    converged = all(result.reproducible for result in design.results)
    return chosen, trials, design if converged else None
