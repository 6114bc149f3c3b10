"""Checks that need the road network: where each customer and depot meets the roads.

Points are snapped exactly as a run snaps them (:func:`gtm_optimizer.network.snap_points`).
A customer the run cannot reach gets a warning with its id, the reason, its distance to the
road it snapped to, and its distance to the nearest road connected both ways to the main road
network. So a customer next to a road island is reported, never moved silently to a road
400 m away, and the run lists it as unserved. A depot that cannot be reached stops the run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gtm_optimizer.code_labels import reason_label
from gtm_optimizer.errors import WARNING, Problem
from gtm_optimizer.i18n import _, ngettext
from gtm_optimizer.network import RoadNetwork, Snapping, snap_points
from gtm_optimizer.network.lines import road_lines
from gtm_optimizer.scenario import Scenario

__all__ = ["UNREACHABLE_CODES", "check_reachability", "check_trimmed_ways", "reachable_road_m"]

UNREACHABLE_CODES = (
    "unreachable_island",
    "unreachable_one_way",
    "too_far_from_road",
    "outside_network_area",
)


def reachable_road_m(network: RoadNetwork, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Return each point's distance in metres to the nearest road drivable to and from the
    main component (both ends of one of its edges in the largest strongly connected part).

    NaN for points with missing coordinates.
    """
    lines = road_lines(network)
    compact = network.compact
    in_main = np.zeros(len(lines.geometry), dtype=bool)
    for edges in (lines.forward_edge, lines.backward_edge):
        valid = edges >= 0
        safe = np.where(valid, edges, 0)
        both = compact.main_mask[compact.edge_u[safe]] & compact.main_mask[compact.edge_v[safe]]
        in_main |= valid & both
    distance_m = np.full(len(lat), np.nan)
    finite = np.isfinite(lat) & np.isfinite(lon)
    if not finite.any() or not in_main.any():
        return distance_m
    x, y = lines.to_projected.transform(lon[finite], lat[finite])
    points = shapely.points(x, y)
    main_lines = lines.geometry[in_main]
    tree = shapely.STRtree(main_lines)
    point_index, nearest = tree.query_nearest(points, all_matches=False)
    distance_m[np.flatnonzero(finite)[point_index]] = shapely.distance(
        points[point_index], main_lines[nearest]
    )
    return distance_m


def check_reachability(
    network: RoadNetwork,
    scenario: Scenario,
    customers: pd.DataFrame,
    *,
    file: str,
) -> tuple[list[Problem], list[Problem]]:
    """Snap depots and customers as a run does and report those the run cannot reach.

    Returns
    -------
    tuple of lists of Problem
        Errors for depots (the run cannot start without them), and warnings for customers
        (the run lists them as unserved) and for customers whose road is farther than
        ``network.snap_warning_m`` (they are still served).
    """
    depots = scenario.depots
    lat = np.concatenate([[d.lat for d in depots], customers["lat"].to_numpy(float)])
    lon = np.concatenate([[d.lon for d in depots], customers["lon"].to_numpy(float)])
    snapping = snap_points(network, lat, lon, max_snap_m=scenario.network.max_snap_m)
    reachable_m = reachable_road_m(network, lat, lon)

    errors = [
        _depot_problem(index, snapping, reachable_m[index], scenario)
        for index in range(len(depots))
        if not snapping.usable[index]
    ]
    warnings = []
    for row in range(len(customers)):
        point = len(depots) + row
        problem = _customer_problem(snapping, point, float(reachable_m[point]), scenario)
        if problem is None:
            continue
        warnings.append(
            Problem(
                code=problem[0],
                message=problem[1],
                fix=problem[2],
                file=file,
                line=int(customers["line"].iat[row]),
                column="lat",
                customer_id=str(customers["customer_id"].iat[row]),
                value=f"{lat[point]}, {lon[point]}",
                severity=WARNING,
            )
        )
    return errors, warnings


def _customer_problem(
    snapping: Snapping, point: int, reachable_m: float, scenario: Scenario
) -> tuple[str, str, str] | None:
    reason = str(snapping.reason[point])
    snap_m = float(snapping.snap_m[point])
    fix = _("Check the coordinates; until they are corrected the customer is listed as unserved.")
    if reason == "unreachable_island":
        return (
            reason,
            _(
                "snaps to a road {snap_m:.0f} m away that is not connected to the "
                "depots' road network; nearest connected road {reachable_m:.0f} "
                "m"
            ).format(snap_m=snap_m, reachable_m=reachable_m),
            fix,
        )
    if reason == "unreachable_one_way":
        return (
            reason,
            _(
                "snaps to a one-way road {snap_m:.0f} m away that cannot be both "
                "entered and left (unreachable, one-way); nearest road drivable both "
                "ways {reachable_m:.0f} m"
            ).format(snap_m=snap_m, reachable_m=reachable_m),
            fix,
        )
    if reason == "too_far_from_road":
        return (
            reason,
            _(
                "nearest road is {snap_m:.0f} m away, beyond network.max_snap_m of {max_m:.0f} m"
            ).format(snap_m=snap_m, max_m=scenario.network.max_snap_m),
            fix,
        )
    if reason:
        return (
            reason,
            _("outside the road network's bounding box; it cannot be placed on a road"),
            fix,
        )
    if snap_m > scenario.network.snap_warning_m:
        message = _(
            "nearest road is {snap_m:.0f} m away, more than network.snap_warning_m "
            "of {warn_m:.0f} m; the customer is served from that road"
        ).format(snap_m=snap_m, warn_m=scenario.network.snap_warning_m)
        return "far_from_road", message, _("Check the coordinates.")
    return None


def _depot_problem(
    index: int, snapping: Snapping, reachable_m: float, scenario: Scenario
) -> Problem:
    depot = scenario.depots[index]
    return Problem(
        code="depot_unreachable",
        message=_(
            "depot {depot} cannot be reached on the road network ({reason}, nearest "
            "connected road {reachable_m:.0f} m)"
        ).format(
            depot=depot.id,
            reason=reason_label(str(snapping.reason[index])),
            reachable_m=reachable_m,
        ),
        fix=_(
            "Move depots[{index}] onto a road inside the network area, or use a network "
            "file that covers it."
        ).format(index=index),
        value=f"{depot.lat}, {depot.lon}",
    )


def check_trimmed_ways(network: RoadNetwork) -> list[Problem]:
    """Warn when the network file had ways that reference nodes missing from it."""
    if not network.n_ways_trimmed:
        return []
    return [
        Problem(
            code="ways_trimmed",
            message=ngettext(
                "{count} drivable way references nodes missing from the file and was cut to its "
                "present parts",
                "{count} drivable ways reference nodes missing from the file and were cut to "
                "their present parts",
                network.n_ways_trimmed,
            ).format(count=network.n_ways_trimmed),
            fix=_(
                "Re-extract the area with complete ways, for example with 'osmium extract "
                "--strategy complete_ways'."
            ),
            file=str(network.source),
            severity=WARNING,
        )
    ]
