"""Construction of the directed road graph in the osmnx layout.

The graph is a :class:`networkx.MultiDiGraph` whose nodes carry ``x`` (longitude) and ``y``
(latitude) and whose edges carry ``osmid``, ``highway``, ``oneway``, ``reversed``, ``length``
(metres), ``speed_kph`` (road speed), ``travel_time`` (seconds for the vehicle profile) and,
once simplified, ``geometry`` (a lon/lat LineString). osmnx functions accept it as their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import osmnx as ox
import shapely

from gtm_optimizer.errors import NetworkError
from gtm_optimizer.i18n import _
from gtm_optimizer.network.geometry import haversine_m
from gtm_optimizer.network.osm import RoadExtract, iter_node_pairs
from gtm_optimizer.network.speeds import VehicleProfile, road_speed_kph

#: ``oneway`` values meaning "only in the way's direction" and "only against it".
ONEWAY_FORWARD_VALUES = frozenset(["yes", "true", "1"])
ONEWAY_REVERSE_VALUES = frozenset(["-1", "reverse"])
#: ``oneway`` values that cancel an implied one-way (roundabout or motorway).
ONEWAY_NONE_VALUES = frozenset(["no", "false", "0", "reversible", "alternating"])
#: ``junction`` values that imply a one-way road.
ONEWAY_JUNCTION_VALUES = frozenset(["roundabout", "circular"])

# A merged edge keeps one road type and one speed, so a GraphML copy of the graph gives back
# the same travel times when the speeds are derived again from the tags.
_SIMPLIFY_EDGE_ATTRS_DIFFER = ("highway", "speed_kph")


def way_direction(tags: Mapping[str, str]) -> int:
    """Return +1 (one-way along the way), -1 (one-way against it) or 0 (both directions).

    ``oneway=yes/true/1`` and ``oneway=-1`` are explicit. A roundabout and a motorway are
    one-way unless tagged ``oneway=no``. Unknown values keep the road two-way.
    """
    oneway = tags.get("oneway", "").strip().lower()
    if oneway in ONEWAY_FORWARD_VALUES:
        return 1
    if oneway in ONEWAY_REVERSE_VALUES:
        return -1
    if oneway in ONEWAY_NONE_VALUES:
        return 0
    if tags.get("junction") in ONEWAY_JUNCTION_VALUES or tags.get("highway") == "motorway":
        return 1
    return 0


def build_graph(
    extract: RoadExtract, profile: VehicleProfile, speed_table: Mapping[str, float]
) -> nx.MultiDiGraph:
    """Build the simplified directed road graph of the drivable ways of an extract.

    Every way becomes one edge per node pair and direction of travel; osmnx then merges the
    chains of edges between intersections, summing ``length`` and ``travel_time``. All
    components are kept, including rings and islands.
    """
    graph = nx.MultiDiGraph(crs="epsg:4326")
    for way in extract.ways:
        for node_id in way.node_ids:
            lon, lat = extract.node_lonlat[node_id]
            graph.add_node(node_id, x=lon, y=lat)

    for way in extract.ways:
        direction = way_direction(way.tags)
        speed_kph = road_speed_kph(way.tags.get("highway"), way.tags.get("maxspeed"), speed_table)
        if speed_kph is None:
            raise _missing_speed_error(way.tags.get("highway"))
        attributes = {
            "osmid": way.way_id,
            "highway": way.tags["highway"],
            "oneway": direction != 0,
            "speed_kph": speed_kph,
            **{key: way.tags[key] for key in ("name", "maxspeed") if key in way.tags},
        }
        for first, second in iter_node_pairs(way.node_ids):
            length_m = _node_distance_m(extract, first, second)
            time_s = length_m / (profile.vehicle_speed_kph(speed_kph) / 3.6)
            edge = {**attributes, "length": length_m, "travel_time": time_s}
            if direction >= 0:
                graph.add_edge(first, second, **edge, reversed=False)
            if direction <= 0:
                graph.add_edge(second, first, **edge, reversed=True)

    graph = ox.simplify_graph(
        graph, edge_attrs_differ=list(_SIMPLIFY_EDGE_ATTRS_DIFFER), remove_rings=False
    )
    _add_street_counts(graph)
    return graph


def read_graphml(
    path: Path, profile: VehicleProfile, speed_table: Mapping[str, float]
) -> nx.MultiDiGraph:
    """Read a GraphML road graph saved by osmnx and set speeds for the vehicle profile.

    Edges whose ``highway`` type the profile does not allow are removed. ``speed_kph`` and
    ``travel_time`` are derived again from ``maxspeed`` and ``highway`` with the speed table,
    so a graph saved with osmnx's imputed speeds gets this product's speeds.

    Raises
    ------
    NetworkError
        If the file cannot be parsed or its edges lack ``length`` or ``highway``.
    """
    try:
        graph = ox.load_graphml(path)
    except (OSError, ValueError, SyntaxError, KeyError, nx.NetworkXError) as error:
        raise NetworkError(
            _(
                "Road network file {path} cannot be read as GraphML: {cause}. Save the graph "
                "again with osmnx.save_graphml, or use the OSM extract it came from."
            ).format(path=path, cause=error)
        ) from error
    if not isinstance(graph, nx.MultiDiGraph):
        raise NetworkError(
            _("Road network file {path} is not a directed road graph.").format(path=path)
        )

    removed = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        if "length" not in data or "highway" not in data:
            raise NetworkError(
                _(
                    "Road network file {path}: edge {u}->{v} has no 'length' or 'highway' "
                    "attribute; save the graph with osmnx.save_graphml from an OSM graph."
                ).format(path=path, u=u, v=v)
            )
        if not _highway_allowed(data["highway"], profile):
            removed.append((u, v, key))
            continue
        _set_edge_speed(data, profile, speed_table)
    graph.remove_edges_from(removed)
    graph.remove_nodes_from([node for node in list(graph.nodes) if graph.degree(node) == 0])
    return graph


def _highway_allowed(highway: Any, profile: VehicleProfile) -> bool:
    # NOTE: an edge merged from several road types (a list) is kept when any of them is
    # allowed. Graphs built by this package never merge different road types.
    types = highway if isinstance(highway, list) else [highway]
    return any(str(kind) in profile.highway_types for kind in types)


def _set_edge_speed(
    data: dict[str, Any], profile: VehicleProfile, speed_table: Mapping[str, float]
) -> None:
    speed_kph = road_speed_kph(data["highway"], data.get("maxspeed"), speed_table)
    if speed_kph is None:
        raise _missing_speed_error(data["highway"])
    data["speed_kph"] = speed_kph
    data["travel_time"] = float(data["length"]) / (profile.vehicle_speed_kph(speed_kph) / 3.6)


def _missing_speed_error(highway: object) -> NetworkError:
    return NetworkError(
        _(
            "Roads of type highway={highway} have no default speed; add it to the speeds_kph "
            "setting in km/h."
        ).format(highway=highway)
    )


def _node_distance_m(extract: RoadExtract, first: int, second: int) -> float:
    lon1, lat1 = extract.node_lonlat[first]
    lon2, lat2 = extract.node_lonlat[second]
    return float(haversine_m(lat1, lon1, lat2, lon2))


def _add_street_counts(graph: nx.MultiDiGraph) -> None:
    """Add osmnx's ``street_count`` node attribute (undirected streets at each node)."""
    counts = ox.stats.count_streets_per_node(graph)
    nx.set_node_attributes(graph, counts, name="street_count")


def graph_bbox_lonlat(graph: nx.MultiDiGraph) -> tuple[float, float, float, float]:
    """Return ``(min_lon, min_lat, max_lon, max_lat)`` of the graph's nodes and edge shapes."""
    xs = np.array([float(x) for _, x in graph.nodes(data="x")], dtype=np.float64)
    ys = np.array([float(y) for _, y in graph.nodes(data="y")], dtype=np.float64)
    shapes = [shape for _, _, shape in graph.edges(data="geometry") if shape is not None]
    if shapes:
        coords = shapely.get_coordinates(shapes)
        xs = np.concatenate([xs, coords[:, 0]])
        ys = np.concatenate([ys, coords[:, 1]])
    if len(xs) == 0 or not (np.isfinite(xs).all() and np.isfinite(ys).all()):
        raise ValueError("graph has no nodes, or nodes without finite coordinates")
    return (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
