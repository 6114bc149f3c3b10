"""The main job: inputs → network → territories → calendar → routes → cost to serve.

:func:`run` calls the stages in order and returns a :class:`RunResult`; the CLI, the nightly
batch and notebooks all go through it. Each stage takes plain inputs and returns a typed
result, and the time and peak memory of each stage are recorded for the summary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from gtm_optimizer.channels import plan_channels
from gtm_optimizer.design import (
    Design,
    DesignInputs,
    choose_territory_count,
    design_with_calibration,
    territory_candidates,
)
from gtm_optimizer.errors import InputError, ScenarioError
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.readers import read_table
from gtm_optimizer.inputs.validation import validate_inputs
from gtm_optimizer.network import (
    build_matrices,
    load_network,
    snap_points,
    straight_line_matrices,
)
from gtm_optimizer.prospects import rank_prospects
from gtm_optimizer.results import RunResult, apply_channels, assemble_result
from gtm_optimizer.scenario import WEEKDAYS, Scenario
from gtm_optimizer.territories import estimate_travel_share_s
from gtm_optimizer.timing import StageClock

logger = logging.getLogger(__name__)

__all__ = ["RunResult", "StageClock", "run"]


@dataclass(frozen=True)
class _Points:
    """Depots and customers as one list of points for snapping and matrices."""

    lat: np.ndarray
    lon: np.ndarray
    depot_index: dict[str, int]
    n_depots: int


def run(
    scenario: Scenario,
    *,
    customers_path: Path | None = None,
    cache_dir: Path | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> RunResult:
    """Run the whole job for a scenario and return every result in memory.

    Parameters
    ----------
    scenario
        A validated scenario (see :func:`gtm_optimizer.scenario.load_scenario`).
    customers_path
        Customer file to use instead of the scenario's.
    cache_dir
        Folder for the travel-matrix cache; no cache when omitted.
    on_stage
        Called with each stage's name as it starts (progress display).

    Raises
    ------
    InputError
        If the input has invalid rows and ``on_invalid_rows`` is ``stop``, or no usable
        customer remains.
    ScenarioError
        If a depot cannot be placed on the road network.
    """
    clock = StageClock(on_stage=on_stage)
    with clock.stage("network"):
        network = _load_network(scenario)
    with clock.stage("load_inputs"):
        report = validate_inputs(scenario, customers_path, network=network)
        report.log_warnings()
        report.raise_for(scenario.on_invalid_rows)
        table = report.table
    customers = table.customers
    points = _points(scenario, customers)
    with clock.stage("snap"):
        snapping = snap_points(network, points.lat, points.lon,
                               max_snap_m=scenario.network.max_snap_m) if network else None
    with clock.stage("matrices"):
        matrices = _matrices(scenario, network, snapping, points, cache_dir)
    usable = np.asarray(matrices.usable, dtype=bool)
    _check_depots(scenario, usable, snapping)
    served_rows = np.flatnonzero(usable[points.n_depots:])
    if served_rows.size == 0:
        raise InputError([], summary=_("No customer can be reached on the road network."))
    routed = customers.iloc[served_rows].reset_index(drop=True)
    customer_points = served_rows + points.n_depots
    sub_duration = matrices.duration_s[np.ix_(customer_points, customer_points)]

    coords_m, _crs = _projected(points, customer_points)
    inputs = DesignInputs(
        scenario=scenario, customers=routed, duration_s=sub_duration,
        full_duration_s=matrices.duration_s, full_distance_m=matrices.distance_m,
        customer_points=customer_points, depot_points=points.depot_index, coords_m=coords_m,
        clock=clock,
    )
    design, design_log = _design(inputs)
    universe_count = _universe_count(scenario, len(customers))
    with clock.stage("channels"):
        channel_plan = plan_channels(inputs, design, universe_count=universe_count,
                                     time_limit_s=scenario.solver.time_limit_s)
    design = channel_plan.design
    design_log["channel_rounds"] = channel_plan.rounds
    design_log["days_off"] = {
        tid: [WEEKDAYS[day] for day in days] for tid, days in design.calendar.days_off.items()
    }
    with clock.stage("assemble"):
        result = assemble_result(
            scenario=scenario, table=table, customers=customers,
            routed_rows=served_rows[channel_plan.direct], territories=design.territories,
            calendar=design.calendar, route_days=design.route_days, results=design.results,
            cts=design.cts, network=network, snapping=snapping, matrices=matrices,
            n_depots=points.n_depots, point_lonlat=np.column_stack([points.lon, points.lat]),
            clock=clock, design_log=design_log,
        )
        apply_channels(result, channel_plan.decision, universe_count=universe_count)
        if channel_plan.before:
            # Customers the road network cannot reach never enter the channel loop.
            unreachable = len(customers) - len(routed)
            result.summary["channel_assignment"] = {
                side: {**snapshot,
                       "customers_unserved": snapshot["customers_unserved"] + unreachable}
                for side, snapshot in (("before", channel_plan.before),
                                       ("after", channel_plan.after))
            }
    with clock.stage("prospects"):
        result.prospects = rank_prospects(
            scenario, set(customers["customer_id"].astype(str)), result.routes, result.stops,
            result.depots, network,
        )
    result.summary["kpis"]["prospects"] = len(result.prospects)
    return result


def _universe_count(scenario: Scenario, n_customers: int) -> int:
    """Count the outlets of the universe file, or the customers when there is none."""
    path = scenario.resolve(scenario.inputs.universe)
    if path is None or not path.is_file():
        return n_customers
    universe = read_table(path)
    return max(len(universe), n_customers)


def _load_network(scenario: Scenario) -> Any:
    if scenario.network.straight_line:
        return None
    path = scenario.resolve(scenario.network.path)
    assert path is not None
    return load_network(path, profile=scenario.network.profile,
                        speeds_kph=scenario.network.speeds_kph or None)


def _points(scenario: Scenario, customers: pd.DataFrame) -> _Points:
    depot_lat = [depot.lat for depot in scenario.depots]
    depot_lon = [depot.lon for depot in scenario.depots]
    return _Points(
        lat=np.concatenate([depot_lat, customers["lat"].to_numpy(float)]),
        lon=np.concatenate([depot_lon, customers["lon"].to_numpy(float)]),
        depot_index={depot.id: i for i, depot in enumerate(scenario.depots)},
        n_depots=len(scenario.depots),
    )


def _matrices(scenario: Scenario, network: Any, snapping: Any, points: _Points,
              cache_dir: Path | None) -> Any:
    if network is None:
        return straight_line_matrices(points.lat, points.lon,
                                      speed_kph=scenario.network.straight_line_speed_kph)
    return build_matrices(network, snapping, cache_dir=cache_dir)


def _check_depots(scenario: Scenario, usable: np.ndarray, snapping: Any) -> None:
    for index, depot in enumerate(scenario.depots):
        if usable[index]:
            continue
        reason = str(snapping.reason[index]) if snapping is not None else ""
        raise ScenarioError(
            _("Depot {depot} cannot be reached on the road network ({reason}); move it onto "
              "a road inside the network area.").format(depot=depot.id, reason=reason)
        )


def _projected(points: _Points, rows: np.ndarray) -> tuple[np.ndarray, str]:
    series = gpd.GeoSeries(gpd.points_from_xy(points.lon[rows], points.lat[rows]), crs=4326)
    crs = series.estimate_utm_crs()
    projected = series.to_crs(crs)
    return np.column_stack([projected.x, projected.y]), crs.to_string()


def _design(inputs: DesignInputs) -> tuple[Design, dict[str, Any]]:
    scenario = inputs.scenario
    plan = scenario.plan
    log: dict[str, Any] = {}
    if plan.territories == "auto":
        estimate = estimate_travel_share_s(inputs.duration_s)
        if plan.travel_share_per_visit_min is not None:
            estimate = np.full(len(inputs.customers), plan.travel_share_per_visit_min * 60.0)
        candidates = territory_candidates(inputs, estimate)
        k, trials, initial = choose_territory_count(inputs, candidates,
                                                    time_limit_s=plan.auto_time_limit_s)
        log["territory_count_trials"] = trials
    else:
        k, initial = int(plan.territories), None
    design, rounds = design_with_calibration(inputs, k, initial=initial,
                                             time_limit_s=scenario.solver.time_limit_s)
    log["rebalance_rounds"] = rounds
    return design, log
