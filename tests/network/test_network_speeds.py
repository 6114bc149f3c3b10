"""Road filtering, one-way rules, speeds and vehicle profiles on small hand-made OSM files."""

from __future__ import annotations

from pathlib import Path

import pytest
from network_helpers import haversine_m, way_xml, write_osm

from gtm_optimizer.network import PROFILES, RoadNetwork, VehicleProfile, load_network
from gtm_optimizer.network.speeds import build_speed_table, parse_maxspeed_kph

# Each test way is a single 2-node segment of its own, 0.001 degrees of latitude long
# (about 110.6 m at 4.6 N), so no two ways share a node and simplification merges nothing.
LAT0 = 4.60
LON0 = -74.08


def _segment_nodes(index: int) -> dict[int, tuple[float, float]]:
    lon = LON0 + 0.01 * index
    return {100 * index + 1: (LAT0, lon), 100 * index + 2: (LAT0 + 0.001, lon)}


SEGMENT_M = haversine_m(LAT0, LON0, LAT0 + 0.001, LON0)

ONEWAY_CASES = {
    "yes": ({"highway": "residential", "oneway": "yes"}, (True, False)),
    "true": ({"highway": "residential", "oneway": "true"}, (True, False)),
    "one": ({"highway": "residential", "oneway": "1"}, (True, False)),
    "reverse": ({"highway": "residential", "oneway": "-1"}, (False, True)),
    "roundabout": ({"highway": "residential", "junction": "roundabout"}, (True, False)),
    "roundabout_no": (
        {"highway": "residential", "junction": "roundabout", "oneway": "no"},
        (True, True),
    ),
    "motorway": ({"highway": "motorway"}, (True, False)),
    "two_way": ({"highway": "residential"}, (True, True)),
}

FILTER_CASES = {
    "footway": ({"highway": "footway"}, False),
    "path": ({"highway": "path"}, False),
    "cycleway": ({"highway": "cycleway"}, False),
    "steps": ({"highway": "steps"}, False),
    "pedestrian": ({"highway": "pedestrian"}, False),
    "track": ({"highway": "track"}, False),
    "private": ({"highway": "residential", "access": "private"}, False),
    "access_no": ({"highway": "residential", "access": "no"}, False),
    "area": ({"highway": "service", "area": "yes"}, False),
    "parking_aisle": ({"highway": "service", "service": "parking_aisle"}, False),
    "driveway": ({"highway": "service", "service": "driveway"}, False),
    "service": ({"highway": "service"}, True),
    "living_street": ({"highway": "living_street"}, True),
}

SPEED_CASES = {
    "residential_default": ({"highway": "residential"}, 25.0),
    "primary_link_default": ({"highway": "primary_link"}, 40.0),
    "maxspeed_number": ({"highway": "residential", "maxspeed": "40"}, 40.0),
    "maxspeed_mph": ({"highway": "residential", "maxspeed": "30 mph"}, 30 * 1.609344),
    "maxspeed_zone": ({"highway": "residential", "maxspeed": "CO:urban"}, 50.0),
    "maxspeed_unreadable": ({"highway": "tertiary", "maxspeed": "signals"}, 35.0),
}


def _network_of(
    tmp: Path,
    cases: dict[str, tuple[dict[str, str], object]],
    *,
    profile: str = "van",
    speeds_kph: dict[str, float] | None = None,
) -> RoadNetwork:
    nodes: dict[int, tuple[float, float]] = {}
    ways = []
    for index, (tags, _expected) in enumerate(cases.values(), start=1):
        nodes.update(_segment_nodes(index))
        ways.append(way_xml(index, [100 * index + 1, 100 * index + 2], tags))
    path = write_osm(tmp / "cases.osm", nodes, ways)
    return load_network(path, profile=profile, speeds_kph=speeds_kph)


@pytest.fixture(scope="module")
def oneway_network(tmp_path_factory: pytest.TempPathFactory) -> RoadNetwork:
    return _network_of(tmp_path_factory.mktemp("oneway"), ONEWAY_CASES)


@pytest.fixture(scope="module")
def filter_network(tmp_path_factory: pytest.TempPathFactory) -> RoadNetwork:
    return _network_of(tmp_path_factory.mktemp("filter"), FILTER_CASES)


@pytest.fixture(scope="module")
def speed_network(tmp_path_factory: pytest.TempPathFactory) -> RoadNetwork:
    return _network_of(tmp_path_factory.mktemp("speed"), SPEED_CASES)


@pytest.mark.parametrize("case", list(ONEWAY_CASES))
def test_oneway_directions(oneway_network: RoadNetwork, case: str) -> None:
    index = list(ONEWAY_CASES).index(case) + 1
    start, end = 100 * index + 1, 100 * index + 2
    forward, backward = ONEWAY_CASES[case][1]
    assert oneway_network.graph.has_edge(start, end) == forward
    assert oneway_network.graph.has_edge(end, start) == backward


@pytest.mark.parametrize("case", list(FILTER_CASES))
def test_drivable_filter(filter_network: RoadNetwork, case: str) -> None:
    index = list(FILTER_CASES).index(case) + 1
    assert filter_network.graph.has_node(100 * index + 1) == FILTER_CASES[case][1]


@pytest.mark.parametrize("case", list(SPEED_CASES))
def test_road_speed(speed_network: RoadNetwork, case: str) -> None:
    index = list(SPEED_CASES).index(case) + 1
    edge = speed_network.graph.edges[100 * index + 1, 100 * index + 2, 0]
    assert edge["speed_kph"] == pytest.approx(SPEED_CASES[case][1])


def test_van_travel_time(speed_network: RoadNetwork) -> None:
    edge = speed_network.graph.edges[101, 102, 0]
    assert edge["travel_time"] == pytest.approx(SEGMENT_M / (25 * 0.95 / 3.6), rel=1e-9)


def test_truck_avoids_living_street(tmp_path: Path) -> None:
    network = _network_of(tmp_path, FILTER_CASES, profile="truck")
    index = list(FILTER_CASES).index("living_street") + 1
    assert not network.graph.has_node(100 * index + 1)


def test_truck_speed_capped(tmp_path: Path) -> None:
    cases = {"fast_trunk": ({"highway": "trunk", "maxspeed": "100"}, None)}
    network = _network_of(tmp_path, cases, profile="truck")
    # 100 km/h * 0.85 = 85 km/h, above the truck's 80 km/h cap.
    expected_s = SEGMENT_M / (80 / 3.6)
    assert network.graph.edges[101, 102, 0]["travel_time"] == pytest.approx(expected_s)


def test_speed_override(tmp_path: Path) -> None:
    cases = {"residential": ({"highway": "residential"}, None)}
    network = _network_of(tmp_path, cases, speeds_kph={"residential": 20.0})
    assert network.graph.edges[101, 102, 0]["speed_kph"] == 20.0


def test_link_follows_overridden_parent() -> None:
    assert build_speed_table({"primary": 50.0})["primary_link"] == 45.0


def test_speed_override_rejects_zero() -> None:
    with pytest.raises(ValueError, match=r"speeds_kph\['residential'\] is 0"):
        build_speed_table({"residential": 0})


@pytest.mark.parametrize(
    ("value", "expected_kph"),
    [
        ("50", 50.0),
        ("30 mph", 48.28032),
        ("40 km/h", 40.0),
        ("CO:urban", 50.0),
        ("RU:urban", 60.0),
        ("DE:zone30", 30.0),
        ("DE:zone:30", 30.0),
        ("50;30", 30.0),
        (["40", "30"], 30.0),
        ("none", None),
        ("signals", None),
        ("DE:rural", None),
        ("fast", None),
        (None, None),
    ],
)
def test_parse_maxspeed(value: object, expected_kph: float | None) -> None:
    assert parse_maxspeed_kph(value) == pytest.approx(expected_kph)


def test_profiles_factors() -> None:
    factors = {name: profile.speed_factor for name, profile in PROFILES.items()}
    assert factors == {"car": 1.0, "van": 0.95, "truck": 0.85, "motorcycle": 1.1}


def test_profile_rejects_zero_factor() -> None:
    with pytest.raises(ValueError, match="speed_factor=0"):
        VehicleProfile("cart", frozenset({"residential"}), speed_factor=0, max_speed_kph=20)


def test_profile_rejects_no_roads() -> None:
    with pytest.raises(ValueError, match="allows no highway type"):
        VehicleProfile("cart", frozenset(), speed_factor=1.0, max_speed_kph=20)
