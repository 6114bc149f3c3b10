"""Checks that customer coordinates fall in the area the run covers.

A plain range check passes swapped coordinates (−74.06 is a legal latitude), so each point is
tested against the service area: the road network's bounding box, or, when the run uses
straight-line distances, circles of ``network.service_radius_km`` around the depots. A point
outside that would fall inside with lat and lon exchanged is reported as swapped; the run never
swaps it on its own. The service area is never widened to reach a stray point.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gtm_optimizer.errors import Problem
from gtm_optimizer.i18n import _

EARTH_RADIUS_M = 6_371_008.8
DEFAULT_MARGIN_M = 500.0

BBox = tuple[float, float, float, float]


def haversine_m(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Return great-circle distances in metres between points given in degrees."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_to_bbox_m(lat: np.ndarray, lon: np.ndarray, bbox: BBox) -> np.ndarray:
    """Return each point's distance in metres to a (west, south, east, north) box; 0 inside."""
    west, south, east, north = bbox
    nearest_lat = np.clip(lat, south, north)
    nearest_lon = np.clip(lon, west, east)
    return haversine_m(lat, lon, nearest_lat, nearest_lon)


@dataclass(frozen=True, eq=False)
class ServiceArea:
    """The area customers must lie in: a road network's box, or circles around the depots.

    Attributes
    ----------
    bbox_lonlat
        (west, south, east, north) of the road network, or None.
    centres
        (n, 2) depot (lat, lon) in degrees when there is no road network, else empty.
    radius_m
        Radius of the circles around ``centres``.
    margin_m
        Distance outside the area still accepted (a shop at the edge of the extract).
    """

    bbox_lonlat: BBox | None = None
    centres: np.ndarray = dataclasses.field(default_factory=lambda: np.empty((0, 2)))
    radius_m: float = 0.0
    margin_m: float = DEFAULT_MARGIN_M

    def __post_init__(self) -> None:
        if self.bbox_lonlat is None and len(self.centres) == 0:
            raise ValueError("ServiceArea needs bbox_lonlat or at least one centre; give one")
        if self.margin_m < 0:
            raise ValueError(f"margin_m is {self.margin_m}; use 0 or more metres")

    @classmethod
    def around(cls, centres: Sequence[tuple[float, float]], radius_m: float) -> ServiceArea:
        """Return the area within ``radius_m`` of any of the (lat, lon) ``centres``."""
        if radius_m <= 0:
            raise ValueError(f"radius_m is {radius_m}; use a positive radius in metres")
        return cls(
            centres=np.asarray(centres, dtype=float).reshape(-1, 2),
            radius_m=radius_m,
            margin_m=0.0,
        )

    def distance_m(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Return each point's distance in metres to the area; 0 inside."""
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        if self.bbox_lonlat is not None:
            return distance_to_bbox_m(lat, lon, self.bbox_lonlat)
        return np.maximum(self.nearest_centre_m(lat, lon) - self.radius_m, 0.0)

    def nearest_centre_m(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Return each point's distance in metres to the nearest centre."""
        distances = haversine_m(
            lat[:, None], lon[:, None], self.centres[None, :, 0], self.centres[None, :, 1]
        )
        return distances.min(axis=1)


def check_service_area(
    customers: pd.DataFrame,
    area: ServiceArea | BBox,
    *,
    file: str,
    margin_m: float = DEFAULT_MARGIN_M,
) -> list[Problem]:
    """Report customers outside the service area, naming the ones that look swapped.

    Parameters
    ----------
    customers
        Validated customers with ``customer_id``, ``line``, ``lat``, ``lon``.
    area
        The service area, or a road network's (west, south, east, north) box in degrees.
    file
        Customer file name, for the messages.
    margin_m
        Distance outside a box still accepted, when ``area`` is a box.
    """
    if not isinstance(area, ServiceArea):
        area = ServiceArea(bbox_lonlat=area, margin_m=margin_m)
    lat = customers["lat"].to_numpy(float)
    lon = customers["lon"].to_numpy(float)
    outside = area.distance_m(lat, lon)
    swapped = area.distance_m(lon, lat)
    problems = []
    for row in np.flatnonzero(outside > area.margin_m):
        if swapped[row] <= area.margin_m:
            code = "swapped_lat_lon"
            message = _("outside the service area; would fall inside if lat and lon were swapped")
            fix = _("Exchange the lat and lon values of this row.")
        else:
            code, message, fix = _outside(area, float(outside[row]))
        problems.append(
            Problem(
                code=code,
                message=message,
                fix=fix,
                file=file,
                line=int(customers["line"].iat[row]),
                column="lat",
                customer_id=str(customers["customer_id"].iat[row]),
                value=f"{lat[row]}, {lon[row]}",
            )
        )
    return problems


def _outside(area: ServiceArea, distance_m: float) -> tuple[str, str, str]:
    if area.bbox_lonlat is not None:
        return (
            "outside_network_area",
            _("outside the road network area, {km:.1f} km from its edge").format(
                km=distance_m / 1000.0
            ),
            _("Correct the coordinates, or use a road network that covers them."),
        )
    return (
        "outside_service_area",
        _("{km:.1f} km from the nearest depot, beyond the service radius of {radius:g} km").format(
            km=(distance_m + area.radius_m) / 1000.0, radius=area.radius_m / 1000.0
        ),
        _(
            "Correct the coordinates, or raise network.service_radius_km if the customer is "
            "really that far."
        ),
    )


def locate_null_island(problems: list[Problem], area: ServiceArea) -> list[Problem]:
    """Add the distance to the service area to every ``0,0`` coordinate problem."""
    distance_km = float(area.distance_m(np.zeros(1), np.zeros(1))[0]) / 1000.0
    located = []
    for problem in problems:
        if problem.code == "null_island":
            problem = dataclasses.replace(
                problem,
                message=_(
                    "coordinates are 0,0 (a failed geocode), {km:,.0f} km from the service area"
                ).format(km=distance_km),
            )
        located.append(problem)
    return located
