"""Distances on the sphere, the projected CRS of an extract, and edge geometries."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pyproj
import shapely
from numpy.typing import ArrayLike, NDArray

#: Mean Earth radius in metres (IUGG), the radius osmnx uses for great-circle distances.
EARTH_RADIUS_M = 6_371_009.0


def haversine_m(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> NDArray:
    """Return the great-circle distance in metres between points given in degrees.

    The inputs broadcast against each other like numpy arrays.
    """
    phi1 = np.radians(np.asarray(lat1, dtype=np.float64))
    phi2 = np.radians(np.asarray(lat2, dtype=np.float64))
    d_phi = phi2 - phi1
    d_lambda = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    h = np.sin(d_phi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def polyline_length_m(lonlat: list[tuple[float, float]]) -> float:
    """Return the great-circle length in metres of a polyline of (lon, lat) pairs."""
    if len(lonlat) < 2:
        return 0.0
    coords = np.asarray(lonlat, dtype=np.float64)
    steps = haversine_m(coords[:-1, 1], coords[:-1, 0], coords[1:, 1], coords[1:, 0])
    return float(steps.sum())


def utm_crs(lon: float, lat: float) -> pyproj.CRS:
    """Return the WGS84 UTM zone CRS that contains a point.

    NOTE: the special zones of Norway and Svalbard are not applied. The standard 6-degree
    zone is used everywhere, which is still accurate enough for snapping there.
    """
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError(f"cannot choose a UTM zone for lon={lon!r}, lat={lat!r}")
    zone = min(int((lon + 180.0) // 6.0) + 1, 60)
    epsg = (32600 if lat >= 0 else 32700) + zone
    return pyproj.CRS.from_epsg(epsg)


def lonlat_transformers(crs: pyproj.CRS) -> tuple[pyproj.Transformer, pyproj.Transformer]:
    """Return transformers from lon/lat to ``crs`` and back, both in (x, y) axis order."""
    forward = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inverse = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return forward, inverse


def edge_lonlat_coords(graph: nx.MultiDiGraph, u: int, v: int, key: int) -> NDArray:
    """Return an edge's (lon, lat) vertices from ``u`` to ``v``, as an (m, 2) array.

    A simplified edge carries its shape in ``geometry``; an edge without one is straight.
    """
    data = graph.edges[u, v, key]
    geometry = data.get("geometry")
    if geometry is not None:
        return np.asarray(shapely.get_coordinates(geometry), dtype=np.float64)
    start, end = graph.nodes[u], graph.nodes[v]
    return np.array([[start["x"], start["y"]], [end["x"], end["y"]]], dtype=np.float64)
