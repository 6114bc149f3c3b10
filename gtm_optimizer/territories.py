"""Territory design for customers: adapts the customer table to the districting solver.

A customer's weekly workload is ``visits_per_week × (service time + travel share)``. Before any
route exists, the travel share of a visit is estimated from the road network as the mean travel
time to the customer's two nearest other customers (in and out) times a detour factor of 1.3.
The estimate rests on a route through a compact territory driving from each stop to a near
neighbour.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import MultiPoint, voronoi_polygons
from shapely.geometry import Polygon

from gtm_optimizer.code_labels import balance_label
from gtm_optimizer.errors import InputError, Problem
from gtm_optimizer.i18n import _, ngettext
from solvers.districting import DistrictingResult, design_districts

logger = logging.getLogger(__name__)

DETOUR_FACTOR = 1.3
NEIGHBOURS_FOR_TRAVEL = 2

# Relative deviation beyond a tolerance that counts as a breach. The districting solver uses
# the same slack, so float rounding is never reported as a breach.
_SLACK = 1e-9


@dataclass(frozen=True)
class TerritoryPlan:
    """Territories of the customers: one id per customer, with the solver's figures."""

    territory_ids: tuple[str, ...]
    labels: np.ndarray
    workload_h_per_week: np.ndarray
    travel_share_s: np.ndarray
    result: DistrictingResult
    runtime_s: float


def territory_id(index: int) -> str:
    """Return the display id of territory ``index`` (0 → ``"T01"``)."""
    return f"T{index + 1:02d}"


def estimate_travel_share_s(duration_s: np.ndarray) -> np.ndarray:
    """Estimate each customer's travel seconds per visit from the customer-to-customer matrix.

    Parameters
    ----------
    duration_s
        (n, n) travel times between customers, finite.

    Returns
    -------
    numpy.ndarray
        (n,) seconds: the mean of the out and in legs to the nearest other customers, times
        :data:`DETOUR_FACTOR`. A lone customer gets 0.
    """
    n = duration_s.shape[0]
    if n < 2:
        return np.zeros(n)
    legs = (duration_s + duration_s.T) / 2.0
    np.fill_diagonal(legs, np.inf)
    k = min(NEIGHBOURS_FOR_TRAVEL, n - 1)
    nearest = np.partition(legs, k - 1, axis=1)[:, :k]
    return DETOUR_FACTOR * nearest.mean(axis=1)


def design_territories(
    customers: pd.DataFrame,
    duration_s: np.ndarray,
    coords_m: np.ndarray,
    n_territories: int,
    *,
    workload_tolerance: float,
    revenue_tolerance: float | None,
    travel_share_s: np.ndarray | None = None,
    current: np.ndarray | None = None,
    max_moved_share: float | None = None,
    seed: int = 0,
    time_limit_s: float = 30.0,
) -> TerritoryPlan:
    """Carve customers into balanced, compact territories.

    Parameters
    ----------
    customers
        Validated customers (``visits_per_week``, ``service_s``, ``revenue_per_week``,
        ``customer_id``, optional ``territory_id`` and ``locked``).
    duration_s
        (n, n) customer-to-customer travel times in seconds, finite.
    coords_m
        (n, 2) projected coordinates in metres.
    n_territories
        Number of territories.
    workload_tolerance, revenue_tolerance
        Two-sided tolerances around the mean territory total.
    travel_share_s
        Travel seconds per visit; estimated with :func:`estimate_travel_share_s` when omitted.
    current, max_moved_share
        Current territory index of each customer (-1 for none) and the largest share of them
        that may move: a realignment instead of a design from scratch.

    Raises
    ------
    InputError
        If more territories are requested than there are customers.
    """
    started = time.perf_counter()
    n = len(customers)
    if n_territories > n:
        raise InputError(
            [
                Problem(
                    code="too_many_territories",
                    message=_("{k} territories requested, only {n} customers").format(
                        k=n_territories, n=n),
                    fix=_("Lower plan.territories to at most the number of customers."),
                    value=str(n_territories),
                )
            ]
        )
    if travel_share_s is None:
        travel_share_s = estimate_travel_share_s(duration_s)
    visits = customers["visits_per_week"].to_numpy(float)
    workload_h = visits * (customers["service_s"].to_numpy(float) + travel_share_s) / 3600.0
    measures = np.column_stack(
        [workload_h, customers["revenue_per_week"].to_numpy(float), np.ones(n)]
    )
    locked = _locked_labels(customers, n_territories)
    result = design_districts(
        measures,
        n_territories,
        coords_m=coords_m,
        cost_s=duration_s,
        tolerances=(workload_tolerance, revenue_tolerance, None),
        locked=locked,
        current=current,
        max_moved_share=max_moved_share if current is not None else None,
        measure_names=("workload", "revenue", "customers"),
        measure_units=("h", "", ""),
        seed=seed,
        time_limit_s=time_limit_s,
    )
    runtime = time.perf_counter() - started
    logger.info(
        ngettext(
            "Designed {territories} territory for {customers}: workload deviation "
            "{workload_pct:.1f} %, revenue deviation {revenue_pct:.1f} %, status {status}, "
            "{seconds:.1f} s",
            "Designed {territories} territories for {customers}: workload deviation "
            "{workload_pct:.1f} %, revenue deviation {revenue_pct:.1f} %, status {status}, "
            "{seconds:.1f} s",
            n_territories,
        ).format(
            territories=n_territories,
            customers=ngettext("{count} customer", "{count} customers", n).format(count=n),
            workload_pct=100 * result.max_deviation[0],
            revenue_pct=100 * result.max_deviation[1], status=balance_label(result.status),
            seconds=runtime,
        )
    )
    if not result.balanced:
        _log_imbalance(result, (workload_tolerance, revenue_tolerance))
    ids = tuple(territory_id(i) for i in range(n_territories))
    return TerritoryPlan(ids, np.asarray(result.labels), workload_h, travel_share_s, result,
                         runtime)


def _log_imbalance(result: DistrictingResult, tolerances: tuple[float | None, ...]) -> None:
    """Warn about each territory whose workload or revenue is outside its tolerance.

    The solver's English message, which also names inputs that make a tolerance impossible
    to meet, goes to the debug log.
    """
    breaches = []
    for column, tolerance in enumerate(tolerances):
        if tolerance is None:
            continue
        mean = float(result.totals[:, column].mean())
        for label in np.flatnonzero(np.abs(result.deviation[:, column]) > tolerance + _SLACK):
            breaches.append(_breach_text(
                territory_id(int(label)), column, float(result.totals[label, column]), mean,
                float(result.deviation[label, column]), tolerance))
    logger.warning(
        _(
            "Territories outside the balance tolerance: {breaches}. Check "
            "plan.workload_tolerance, plan.revenue_tolerance, locked customers and customers "
            "with a very large workload. A longer solver.territory_time_limit_s may balance "
            "the territories."
        ).format(breaches="; ".join(breaches))
    )
    logger.debug("Territory design solver message: %s", result.message)


def _breach_text(territory: str, column: int, total: float, mean: float, deviation: float,
                 tolerance: float) -> str:
    """Describe one territory measure outside its tolerance, e.g. ``T02 workload 41.2 h ...``."""
    if column == 0:
        measure, amount, average = _("workload"), f"{total:.1f} h", f"{mean:.1f} h"
    else:
        measure, amount, average = _("revenue"), f"{total:,.0f}", f"{mean:,.0f}"
    if deviation > 0:
        template = _("{territory} {measure} {total} is {share:.1f} % above the mean {mean}; "
                     "tolerance {tolerance:.1f} %")
    else:
        template = _("{territory} {measure} {total} is {share:.1f} % below the mean {mean}; "
                     "tolerance {tolerance:.1f} %")
    return template.format(territory=territory, measure=measure, total=amount,
                           share=100 * abs(deviation), mean=average, tolerance=100 * tolerance)


def _locked_labels(customers: pd.DataFrame, k: int) -> np.ndarray | None:
    if "locked" not in customers or not customers["locked"].any():
        return None
    index = {territory_id(i): i for i in range(k)}
    labels = np.full(len(customers), -1)
    for row, (locked, current) in enumerate(
        zip(customers["locked"], customers["territory_id"], strict=True)
    ):
        if locked and current in index:
            labels[row] = index[current]
    return labels


def territory_polygons(
    lon: np.ndarray, lat: np.ndarray, labels: np.ndarray, ids: tuple[str, ...], crs_m: str
) -> gpd.GeoDataFrame:
    """Build non-overlapping territory polygons from the customers' Voronoi cells.

    Cells are computed in the projected CRS ``crs_m``, dissolved per territory and clipped to
    the served area (the customers' convex hull buffered by 500 m), then returned in WGS84.
    """
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=4326).to_crs(crs_m)
    hull = points.union_all().convex_hull.buffer(500.0)
    cells = voronoi_polygons(MultiPoint(list(points)), extend_to=hull)
    cell_series = gpd.GeoSeries(list(cells.geoms), crs=crs_m)
    # voronoi_polygons does not keep input order; match each cell to the point it contains.
    matched = gpd.sjoin(
        gpd.GeoDataFrame(geometry=points), gpd.GeoDataFrame(geometry=cell_series),
        predicate="within",
    )
    matched = matched[~matched.index.duplicated()]
    frame = gpd.GeoDataFrame(
        {"territory_id": [ids[label] for label in labels[matched.index]]},
        geometry=cell_series.iloc[matched["index_right"].to_numpy()].to_numpy(),
        crs=crs_m,
    )
    dissolved = frame.dissolve(by="territory_id").reset_index()
    dissolved["geometry"] = dissolved.geometry.intersection(hull)
    missing = [tid for tid in ids if tid not in set(dissolved["territory_id"])]
    if missing:
        empty = gpd.GeoDataFrame({"territory_id": missing}, geometry=[Polygon()] * len(missing),
                                 crs=crs_m)
        dissolved = pd.concat([dissolved, empty], ignore_index=True)
    return dissolved.to_crs(4326)
