"""Straight-line matrices and the circuity measured on road networks."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from network_helpers import way_xml, write_osm

from gtm_optimizer.network import (
    RoadNetwork,
    load_network,
    measure_circuity,
    straight_line_matrices,
)

# Two points in Bogota 0.1 degrees of latitude apart: R * 0.1 * pi / 180 = 11,119.5 m.
BOGOTA_LAT = [4.60, 4.70]
BOGOTA_LON = [-74.08, -74.08]
HAND_DISTANCE_M = 6_371_009.0 * math.radians(0.1)


def test_straight_line_distance() -> None:
    matrices = straight_line_matrices(BOGOTA_LAT, BOGOTA_LON, circuity=1.3)
    assert matrices.distance_m[0, 1] == pytest.approx(HAND_DISTANCE_M * 1.3, rel=0.005)


def test_straight_line_duration() -> None:
    matrices = straight_line_matrices(BOGOTA_LAT, BOGOTA_LON, speed_kph=30.0, circuity=1.3)
    expected_s = HAND_DISTANCE_M * 1.3 / (30 / 3.6)
    assert matrices.duration_s[1, 0] == pytest.approx(expected_s, rel=0.005)


def test_straight_line_marked() -> None:
    matrices = straight_line_matrices(BOGOTA_LAT, BOGOTA_LON, circuity=1.4)
    assert matrices.source == "straight_line"
    assert matrices.circuity == 1.4


def test_straight_line_diagonal() -> None:
    matrices = straight_line_matrices(BOGOTA_LAT, BOGOTA_LON)
    assert matrices.duration_s.diagonal().tolist() == [0.0, 0.0]


def test_straight_line_bad_point_inf() -> None:
    matrices = straight_line_matrices([4.60, np.nan, 4.70], [-74.08, -74.08, -74.08])
    assert matrices.usable.tolist() == [True, False, True]
    assert np.isinf(matrices.duration_s[1, :]).all()
    assert np.isinf(matrices.distance_m[:, 1]).all()


def test_straight_line_out_of_range_latitude() -> None:
    matrices = straight_line_matrices([4.60, 95.0], [-74.08, -74.08])
    assert matrices.usable.tolist() == [True, False]


def test_straight_line_rejects_low_circuity() -> None:
    with pytest.raises(ValueError, match=r"circuity is 0\.9"):
        straight_line_matrices(BOGOTA_LAT, BOGOTA_LON, circuity=0.9)


def test_straight_line_rejects_zero_speed() -> None:
    with pytest.raises(ValueError, match="speed_kph is 0"):
        straight_line_matrices(BOGOTA_LAT, BOGOTA_LON, speed_kph=0.0)


def test_circuity_straight_street(b01: RoadNetwork) -> None:
    # The main component of B01 is nodes 2 and 3 joined by a straight street, so every
    # sampled pair of distinct nodes has a road distance equal to its straight distance.
    assert measure_circuity(b01, sample=20, seed=3) == pytest.approx(1.0, abs=1e-6)


def test_circuity_aguascalientes_range(aguascalientes: RoadNetwork) -> None:
    circuity = measure_circuity(aguascalientes, sample=200, seed=0)
    # Urban road networks are typically 1.1 to 1.8 times longer than the straight line.
    assert 1.1 < circuity < 1.8


def test_circuity_aguascalientes_value(aguascalientes: RoadNetwork) -> None:
    circuity = measure_circuity(aguascalientes, sample=200, seed=0)
    # Measured: 1.547 on this extract of a one-way grid centre.
    assert circuity == pytest.approx(1.547, abs=0.001)


def test_straight_line_with_measured_circuity(aguascalientes: RoadNetwork) -> None:
    # The documented way to ask for straight lines when a road network exists.
    circuity = measure_circuity(aguascalientes)
    matrices = straight_line_matrices(BOGOTA_LAT, BOGOTA_LON, circuity=circuity)
    assert matrices.distance_m[0, 1] == pytest.approx(HAND_DISTANCE_M * 1.547, rel=0.001)
    assert matrices.circuity == circuity


def test_circuity_seeded(aguascalientes: RoadNetwork) -> None:
    first = measure_circuity(aguascalientes, sample=50, seed=5)
    assert measure_circuity(aguascalientes, sample=50, seed=5) == first


def test_circuity_tiny_network(tmp_path: Path) -> None:
    # A single 22 m street has no node pair 50 m apart.
    path = write_osm(
        tmp_path / "short.osm",
        {1: (4.6000, -74.08), 2: (4.6002, -74.08)},
        [way_xml(1, [1, 2], {"highway": "residential"})],
    )
    with pytest.raises(ValueError, match="too small to measure circuity"):
        measure_circuity(load_network(path))


def test_circuity_sample_zero(b01: RoadNetwork) -> None:
    with pytest.raises(ValueError, match="sample is 0"):
        measure_circuity(b01, sample=0)
