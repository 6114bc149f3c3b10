"""Checks that customer coordinates fall in the area the run covers.

A plain range check passes swapped coordinates (−74.06 is a legal latitude), so each point is
tested against the service area: the road network's bounding box, or a radius around the
depots when no network is used. A point outside that would fall inside with lat and lon
exchanged is reported as swapped; the run never swaps it on its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gtm_optimizer.errors import Problem
from gtm_optimizer.i18n import _

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray,
                lon2: np.ndarray) -> np.ndarray:
    """Return great-circle distances in metres between points given in degrees."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_to_bbox_m(lat: np.ndarray, lon: np.ndarray,
                       bbox: tuple[float, float, float, float]) -> np.ndarray:
    """Return each point's distance in metres to a (west, south, east, north) box; 0 inside."""
    west, south, east, north = bbox
    nearest_lat = np.clip(lat, south, north)
    nearest_lon = np.clip(lon, west, east)
    return haversine_m(lat, lon, nearest_lat, nearest_lon)


def check_service_area(
    customers: pd.DataFrame,
    bbox: tuple[float, float, float, float],
    *,
    file: str,
    margin_m: float = 500.0,
) -> list[Problem]:
    """Report customers outside the service area, naming the ones that look swapped.

    Parameters
    ----------
    customers
        Validated customers with ``customer_id``, ``line``, ``lat``, ``lon``.
    bbox
        Service area as (west, south, east, north) in degrees.
    file
        Customer file name, for the messages.
    margin_m
        Distance outside the box still accepted (a shop at the edge of the extract).
    """
    lat = customers["lat"].to_numpy(float)
    lon = customers["lon"].to_numpy(float)
    outside = distance_to_bbox_m(lat, lon, bbox)
    swapped = distance_to_bbox_m(lon, lat, bbox)
    problems = []
    for row in np.flatnonzero(outside > margin_m):
        if swapped[row] <= margin_m:
            code = "swapped_lat_lon"
            message = _("outside the service area; would fall inside if lat and lon were swapped")
            fix = _("Exchange the lat and lon values of this row.")
        else:
            code = "outside_network_area"
            message = _("outside the road network area, {km:.1f} km from its edge").format(
                km=outside[row] / 1000.0)
            fix = _("Correct the coordinates, or use a road network that covers them.")
        problems.append(Problem(
            code=code,
            message=message,
            fix=fix,
            file=file,
            line=int(customers["line"].iat[row]),
            column="lat",
            customer_id=str(customers["customer_id"].iat[row]),
            value=f"{lat[row]}, {lon[row]}",
        ))
    return problems
