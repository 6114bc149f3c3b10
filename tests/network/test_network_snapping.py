"""Snapping points to road edges and deciding which points can be served."""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd
import pytest
from network_helpers import EARTH_RADIUS_M, haversine_m

from gtm_optimizer.network import RoadNetwork, snap_points


def _segment_distance_m(
    point: tuple[float, float], start: tuple[float, float], end: tuple[float, float]
) -> float:
    """Distance from a (lat, lon) point to a short segment, on a local flat projection."""
    lat0 = math.radians(point[0])

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (
            EARTH_RADIUS_M * math.cos(lat0) * math.radians(lon - point[1]),
            EARTH_RADIUS_M * math.radians(lat - point[0]),
        )

    ax, ay = xy(*start)
    bx, by = xy(*end)
    t = -(ax * (bx - ax) + ay * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
    t = min(max(t, 0.0), 1.0)
    return math.hypot(ax + t * (bx - ax), ay + t * (by - ay))


def test_b01_usable(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    assert snapping.usable.tolist() == [True, True, False, False]


def test_b01_trap_spur_one_way(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    # M03 sits on spur 3 -> 5: it can be entered but never left.
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    assert snapping.reason[2] == "unreachable_one_way"


def test_b01_no_entry_spur_one_way(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    # M04 sits on spur 6 -> 2: it can be left but never entered.
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    assert snapping.reason[3] == "unreachable_one_way"


def test_b01_usable_reason_empty(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    assert snapping.reason[:2].tolist() == ["", ""]


def test_b01_trap_spur_edge(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    assert (snapping.edge_u[2], snapping.edge_v[2]) == (3, 5)


def test_b01_snap_distance(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    # M01 (43.7371, 7.4207) lies due north of street 1-2 at latitude 43.7370.
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    expected_m = haversine_m(43.7371, 7.4207, 43.7370, 7.4207)
    assert snapping.snap_m[0] == pytest.approx(expected_m, abs=1.0)


def test_b02_island(b02: RoadNetwork, b02_points: pd.DataFrame) -> None:
    snapping = snap_points(b02, b02_points.lat, b02_points.lon)
    assert snapping.reason.tolist() == ["", "", "unreachable_island"]


def test_b02_island_snap_distance(b02: RoadNetwork, b02_points: pd.DataFrame) -> None:
    # M05 snaps to the island road 7-8 (8 m from node 7), not to the block 401 m away.
    snapping = snap_points(b02, b02_points.lat, b02_points.lon)
    expected_m = _segment_distance_m((43.7405, 7.4251), (43.7405, 7.4250), (43.7407, 7.4262))
    assert snapping.snap_m[2] == pytest.approx(expected_m, abs=1.0)


def test_b02_island_edge(b02: RoadNetwork, b02_points: pd.DataFrame) -> None:
    snapping = snap_points(b02, b02_points.lat, b02_points.lon)
    assert {snapping.edge_u[2], snapping.edge_v[2]} == {7, 8}


def test_too_far_from_road(b02: RoadNetwork) -> None:
    snapping = snap_points(b02, [43.7405], [7.4251], max_snap_m=1.0)
    assert snapping.reason[0] == "too_far_from_road"


def test_too_far_keeps_distance(b02: RoadNetwork) -> None:
    snapping = snap_points(b02, [43.7405], [7.4251], max_snap_m=1.0)
    expected_m = _segment_distance_m((43.7405, 7.4251), (43.7405, 7.4250), (43.7407, 7.4262))
    assert snapping.snap_m[0] == pytest.approx(expected_m, abs=1.0)


def test_outside_network_area(b01: RoadNetwork) -> None:
    snapping = snap_points(b01, [43.7500], [7.4300])
    assert snapping.reason[0] == "outside_network_area"


def test_invalid_coordinates(b01: RoadNetwork) -> None:
    snapping = snap_points(b01, [np.nan], [7.4210])
    assert snapping.reason[0] == "invalid_coordinates"


def test_point_on_node(b01: RoadNetwork) -> None:
    # Node 2 is at (43.7370, 7.4215); a point placed on it snaps at distance 0.
    snapping = snap_points(b01, [43.7370], [7.4215])
    assert snapping.usable[0]
    assert snapping.snap_m[0] == pytest.approx(0.0, abs=1e-6)


def test_offset_along_edge(b01: RoadNetwork) -> None:
    # A point on spur 3 -> 5 halfway between its nodes is half the spur from node 3.
    snapping = snap_points(b01, [43.7385], [7.42205])
    spur_m = haversine_m(43.7380, 7.4215, 43.7390, 7.4226)
    assert snapping.offset_m[0] == pytest.approx(spur_m / 2, abs=0.5)


def test_snap_log_counts(
    b01: RoadNetwork, b01_points: pd.DataFrame, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.network"):
        snap_points(b01, b01_points.lat, b01_points.lon)
    assert (
        "2 usable, 2 unusable (on a one-way road that cannot be both entered and left: 2)"
        in caplog.text
    )


def test_shape_mismatch(b01: RoadNetwork) -> None:
    with pytest.raises(ValueError, match="equal length"):
        snap_points(b01, [43.7371, 43.7372], [7.4207])


def test_max_snap_must_be_positive(b01: RoadNetwork) -> None:
    with pytest.raises(ValueError, match="max_snap_m is 0"):
        snap_points(b01, [43.7371], [7.4207], max_snap_m=0)


def test_aguascalientes_nodes_usable(aguascalientes: RoadNetwork) -> None:
    # A point placed on any node of the main component is reachable both ways.
    nodes = sorted(aguascalientes.main_component)
    lat = [aguascalientes.graph.nodes[node]["y"] for node in nodes]
    lon = [aguascalientes.graph.nodes[node]["x"] for node in nodes]
    snapping = snap_points(aguascalientes, lat, lon)
    assert snapping.usable.all()
