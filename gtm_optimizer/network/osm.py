"""Reading of drivable roads from OpenStreetMap files with pyosmium.

pyosmium reads ``.osm``, ``.osm.bz2``, ``.osm.gz`` and ``.osm.pbf`` through the same code
path, keeps node locations in memory and hands every way over with its node coordinates, so
one streaming pass is enough. Only ways a vehicle profile may drive on are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import osmium

from gtm_optimizer.errors import NetworkError
from gtm_optimizer.i18n import _
from gtm_optimizer.network.speeds import VehicleProfile

logger = logging.getLogger(__name__)

#: File name endings read with pyosmium.
OSM_SUFFIXES = (".osm", ".osm.bz2", ".osm.gz", ".osm.pbf", ".pbf", ".osm.xml")

#: Way tags copied onto the graph edges.
KEPT_WAY_TAGS = ("highway", "oneway", "junction", "maxspeed", "name", "service", "access")

#: ``service=*`` values that are not through roads for deliveries.
EXCLUDED_SERVICE_VALUES = frozenset(
    ["parking_aisle", "parking", "driveway", "private", "emergency_access", "drive-through"]
)

#: Access values that forbid a vehicle to enter.
FORBIDDEN_ACCESS_VALUES = frozenset(["no", "private"])


@dataclass(frozen=True)
class RoadWay:
    """A drivable way, or a run of it whose nodes are all in the file.

    Attributes
    ----------
    way_id
        OSM way id.
    node_ids
        OSM node ids in way order, at least two.
    tags
        The way tags listed in :data:`KEPT_WAY_TAGS` that are present.
    """

    way_id: int
    node_ids: tuple[int, ...]
    tags: Mapping[str, str]


@dataclass(frozen=True)
class RoadExtract:
    """The drivable ways of an OSM file with the coordinates of their nodes.

    Attributes
    ----------
    ways
        Drivable ways, split into runs where nodes are missing from the file.
    node_lonlat
        Longitude and latitude of every node used by ``ways``.
    n_ways_trimmed
        Number of drivable ways that reference nodes missing from the file.
    header_bbox_lonlat
        ``(min_lon, min_lat, max_lon, max_lat)`` from the file header, or None when the file
        does not state its bounds.
    """

    ways: list[RoadWay]
    node_lonlat: dict[int, tuple[float, float]]
    n_ways_trimmed: int
    header_bbox_lonlat: tuple[float, float, float, float] | None


def is_osm_file(path: Path) -> bool:
    """Return whether the file name ends like an OSM file pyosmium can read."""
    name = path.name.lower()
    return any(name.endswith(suffix) for suffix in OSM_SUFFIXES)


def is_drivable(tags: Mapping[str, str], profile: VehicleProfile) -> bool:
    """Return whether a way with these tags is a road the profile may drive on.

    A way is drivable when the profile allows its ``highway`` type and it is not an area
    (``area=yes``). No access key of the profile may be ``no`` or ``private``. A ``service``
    road must not be a parking aisle, driveway or similar (:data:`EXCLUDED_SERVICE_VALUES`).
    """
    if tags.get("highway") not in profile.highway_types:
        return False
    if tags.get("area") == "yes":
        return False
    if any(tags.get(key) in FORBIDDEN_ACCESS_VALUES for key in profile.access_keys):
        return False
    return not (
        tags.get("highway") == "service" and tags.get("service") in EXCLUDED_SERVICE_VALUES
    )


def read_road_ways(path: Path, profile: VehicleProfile) -> RoadExtract:
    """Read the drivable ways of an OSM file.

    A way that references nodes missing from the file (an extract clipped by a bounding box)
    is cut into its runs of consecutive present nodes. Runs shorter than two nodes are dropped.

    Raises
    ------
    NetworkError
        If the file is missing or cannot be parsed.
    """
    if not path.is_file():
        raise NetworkError(
            _("Road network file {path} was not found; check the path in the scenario.").format(
                path=path
            )
        )

    ways: list[RoadWay] = []
    node_lonlat: dict[int, tuple[float, float]] = {}
    n_ways_trimmed = 0
    try:
        processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        header_box = processor.header.box()
        processor.with_locations()
        processor.with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        processor.with_filter(osmium.filter.KeyFilter("highway"))
        for way in processor:
            if not isinstance(way, osmium.osm.Way):
                continue
            tags = {tag.k: tag.v for tag in way.tags}
            if not is_drivable(tags, profile):
                continue
            runs, trimmed = _present_runs(way, node_lonlat)
            n_ways_trimmed += trimmed
            kept_tags = {key: tags[key] for key in KEPT_WAY_TAGS if key in tags}
            ways.extend(RoadWay(way.id, run, kept_tags) for run in runs)
    except RuntimeError as error:
        raise NetworkError(
            _(
                "Road network file {path} cannot be read: {cause}. Re-extract it as a complete "
                "OSM file (.osm.pbf or .osm) with complete ways, for example with "
                "'osmium extract --strategy complete_ways'."
            ).format(path=path, cause=error)
        ) from error

    return RoadExtract(ways, node_lonlat, n_ways_trimmed, _box_to_tuple(header_box))


def _present_runs(
    way: osmium.osm.Way, node_lonlat: dict[int, tuple[float, float]]
) -> tuple[list[tuple[int, ...]], int]:
    """Split a way's nodes into runs of nodes present in the file; count 1 if any is missing."""
    runs: list[tuple[int, ...]] = []
    current: list[int] = []
    missing = False
    for node in way.nodes:
        location = node.location
        if not location.valid():
            missing = True
            if len(current) >= 2:
                runs.append(tuple(current))
            current = []
            continue
        node_lonlat[node.ref] = (location.lon, location.lat)
        current.append(node.ref)
    if len(current) >= 2:
        runs.append(tuple(current))
    return runs, int(missing)


def _box_to_tuple(box: osmium.osm.Box) -> tuple[float, float, float, float] | None:
    if not box.valid():
        return None
    return (box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat)


def iter_node_pairs(node_ids: tuple[int, ...]) -> Iterator[tuple[int, int]]:
    """Yield consecutive node pairs of a way, skipping repeated nodes (zero-length steps)."""
    for first, second in pairwise(node_ids):
        if first != second:
            yield first, second
