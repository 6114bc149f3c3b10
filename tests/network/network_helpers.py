"""Helpers of the network tests: an independent haversine and small OSM file writers."""

from __future__ import annotations

import math
from pathlib import Path

DATA = Path(__file__).parents[1] / "data"
OSM = DATA / "osm"
CASES = DATA / "cases"
DUITAMA = Path(__file__).parents[2] / "scenarios" / "duitama" / "duitama.osm.pbf"
CAMPO_GRANDE = Path(__file__).parents[2] / "benchmarks" / "data" / "campo-grande.osm.gz"

EARTH_RADIUS_M = 6_371_009.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres, written out independently of the package."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def write_osm(path: Path, nodes: dict[int, tuple[float, float]], ways: list[str]) -> Path:
    """Write a small OSM XML file; ``nodes`` maps id to (lat, lon), ``ways`` are XML lines."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    lines += [f'  <node id="{i}" lat="{lat}" lon="{lon}"/>' for i, (lat, lon) in nodes.items()]
    lines += [f"  {way}" for way in ways]
    lines.append("</osm>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def way_xml(way_id: int, node_ids: list[int], tags: dict[str, str]) -> str:
    """Return one ``<way>`` element with its node references and tags."""
    refs = "".join(f'<nd ref="{node}"/>' for node in node_ids)
    tag_xml = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
    return f'<way id="{way_id}">{refs}{tag_xml}</way>'
