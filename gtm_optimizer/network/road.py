"""Loading of a road network file into a :class:`RoadNetwork`."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pyproj

from gtm_optimizer.errors import NetworkError
from gtm_optimizer.i18n import _, ngettext
from gtm_optimizer.network.compact import CompactGraph, compact_graph
from gtm_optimizer.network.geometry import utm_crs
from gtm_optimizer.network.graph import build_graph, graph_bbox_lonlat, read_graphml
from gtm_optimizer.network.osm import is_osm_file, read_road_ways
from gtm_optimizer.network.speeds import VehicleProfile, build_speed_table, resolve_profile

logger = logging.getLogger(__name__)

# Part of every content hash: raise it when a change of this package changes the graph built
# from the same file, so matrices cached by an older version are not reused.
GRAPH_FORMAT_VERSION = 1


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """A drivable, directed road network for one vehicle profile.

    Attributes
    ----------
    graph
        osmnx-style MultiDiGraph with every component of the file kept.
    source
        The file the network was read from.
    profile
        The vehicle profile that chose the roads and sets the travel times.
    speeds_kph
        Road speed table in force, by ``highway`` type.
    n_ways_trimmed
        Drivable ways that referenced nodes missing from the file and were cut.
    main_component
        OSM node ids of the largest strongly connected component.
    projected_crs
        UTM CRS of the extract centre, used for snapping in metres.
    content_hash
        sha256 of the file bytes, the profile and the speed table.
    bbox_lonlat
        ``(min_lon, min_lat, max_lon, max_lat)`` of the extract: the file's stated bounds
        joined with the extent of its roads.
    compact
        Array form of ``graph`` for the shortest-path routines.
    """

    graph: nx.MultiDiGraph
    source: Path
    profile: VehicleProfile
    speeds_kph: Mapping[str, float]
    n_ways_trimmed: int
    main_component: frozenset[int]
    projected_crs: pyproj.CRS
    content_hash: str
    bbox_lonlat: tuple[float, float, float, float]
    compact: CompactGraph = field(repr=False)


def load_network(
    path: Path,
    *,
    profile: str | VehicleProfile = "van",
    speeds_kph: Mapping[str, float] | None = None,
) -> RoadNetwork:
    """Read a road network file and build the directed drivable graph for a vehicle profile.

    Parameters
    ----------
    path
        ``.osm``, ``.osm.bz2``, ``.osm.gz``, ``.osm.pbf`` or ``.graphml`` file.
    profile
        Built-in profile name (``"car"``, ``"van"``, ``"truck"``, ``"motorcycle"``) or a
        custom :class:`VehicleProfile`.
    speeds_kph
        Road speeds by ``highway`` type overriding :data:`DEFAULT_SPEEDS_KPH`.

    Returns
    -------
    RoadNetwork
        The network with its graph, main component and projected CRS.

    Raises
    ------
    NetworkError
        If the file is missing, has an unknown format, cannot be parsed or has no drivable
        road for the profile.
    ValueError
        If ``profile`` is an unknown name or a speed override is not positive.
    """
    started = time.perf_counter()
    path = Path(path)
    vehicle = resolve_profile(profile)
    table = build_speed_table(speeds_kph)

    graph, n_trimmed, header_bbox = _read_graph(path, vehicle, table)
    if graph.number_of_edges() == 0:
        raise NetworkError(
            _(
                "Road network file {path} has no road a {profile} may drive on; check that the "
                "extract covers the service area and contains highway ways."
            ).format(path=path, profile=vehicle.name)
        )

    compact = compact_graph(graph)
    bbox = _join_bbox(header_bbox, graph_bbox_lonlat(graph))
    network = RoadNetwork(
        graph=graph,
        source=path,
        profile=vehicle,
        speeds_kph=table,
        n_ways_trimmed=n_trimmed,
        main_component=frozenset(int(node) for node in compact.node_ids[compact.main_mask]),
        projected_crs=utm_crs((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2),
        content_hash=_content_hash(path, vehicle, table),
        bbox_lonlat=bbox,
        compact=compact,
    )
    logger.info(
        _(
            "Loaded road network {name} for profile {profile}: {nodes} nodes, {edges} edges, "
            "{trimmed} ways trimmed, {main} nodes in the main component, {seconds:.2f} s"
        ).format(
            name=path.name,
            profile=vehicle.name,
            nodes=graph.number_of_nodes(),
            edges=graph.number_of_edges(),
            trimmed=n_trimmed,
            main=len(network.main_component),
            seconds=time.perf_counter() - started,
        )
    )
    return network


def _read_graph(
    path: Path, profile: VehicleProfile, table: Mapping[str, float]
) -> tuple[nx.MultiDiGraph, int, tuple[float, float, float, float] | None]:
    """Read the graph, the count of trimmed ways and the bounds the file states."""
    if path.name.lower().endswith(".graphml"):
        if not path.is_file():
            raise NetworkError(
                _(
                    "Road network file {path} was not found; check the path in the scenario."
                ).format(path=path)
            )
        return read_graphml(path, profile, table), 0, None

    if not is_osm_file(path):
        raise NetworkError(
            _(
                "Road network file {path} has an unknown format; use .osm, .osm.bz2, .osm.gz, "
                ".osm.pbf or .graphml."
            ).format(path=path)
        )
    extract = read_road_ways(path, profile)
    if extract.n_ways_trimmed:
        logger.warning(
            ngettext(
                "{name}: {count} drivable way references nodes missing from the file and was "
                "cut to its present parts; re-extract with complete ways to keep it whole",
                "{name}: {count} drivable ways reference nodes missing from the file and were "
                "cut to their present parts; re-extract with complete ways to keep them whole",
                extract.n_ways_trimmed,
            ).format(name=path.name, count=extract.n_ways_trimmed)
        )
    if not extract.ways:
        return nx.MultiDiGraph(crs="epsg:4326"), extract.n_ways_trimmed, None
    graph = build_graph(extract, profile, table)
    return graph, extract.n_ways_trimmed, extract.header_bbox_lonlat


def _join_bbox(
    first: tuple[float, float, float, float] | None, second: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    if first is None:
        return second
    return (
        min(first[0], second[0]),
        min(first[1], second[1]),
        max(first[2], second[2]),
        max(first[3], second[3]),
    )


def _content_hash(path: Path, profile: VehicleProfile, table: Mapping[str, float]) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    settings = {
        "graph_format_version": GRAPH_FORMAT_VERSION,
        "profile": {
            "name": profile.name,
            "highway_types": sorted(profile.highway_types),
            "speed_factor": profile.speed_factor,
            "max_speed_kph": profile.max_speed_kph,
            "access_keys": list(profile.access_keys),
        },
        "speeds_kph": dict(sorted(table.items())),
    }
    digest.update(json.dumps(settings, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()
