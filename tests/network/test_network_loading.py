"""Reading OSM and GraphML files into directed road graphs."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import osmnx as ox
import pytest
from network_helpers import CAMPO_GRANDE, DUITAMA, OSM, haversine_m, way_xml, write_osm

from gtm_optimizer.errors import NetworkError
from gtm_optimizer.network import RoadNetwork, load_network

VAN_FACTOR = 0.95


def test_b01_oneway_spur_in_only(b01: RoadNetwork) -> None:
    assert b01.graph.has_edge(3, 5)
    assert not b01.graph.has_edge(5, 3)


def test_b01_oneway_spur_out_only(b01: RoadNetwork) -> None:
    assert b01.graph.has_edge(6, 2)
    assert not b01.graph.has_edge(2, 6)


def test_b01_spur_length_by_hand(b01: RoadNetwork) -> None:
    expected_m = haversine_m(43.7380, 7.4215, 43.7390, 7.4226)
    assert b01.graph.edges[3, 5, 0]["length"] == pytest.approx(expected_m, rel=1e-9)


def test_b01_spur_travel_time(b01: RoadNetwork) -> None:
    # maxspeed=30 on the way, van drives at 95 % of it.
    length_m = haversine_m(43.7380, 7.4215, 43.7390, 7.4226)
    expected_s = length_m / (30 * VAN_FACTOR / 3.6)
    assert b01.graph.edges[3, 5, 0]["travel_time"] == pytest.approx(expected_s, rel=1e-9)


def test_b01_block_merged_length(b01: RoadNetwork) -> None:
    # Nodes 1 and 4 only bend the block, so 2 -> 1 -> 4 -> 3 becomes one edge 2 -> 3.
    expected_m = (
        haversine_m(43.7370, 7.4215, 43.7370, 7.4200)
        + haversine_m(43.7370, 7.4200, 43.7380, 7.4200)
        + haversine_m(43.7380, 7.4200, 43.7380, 7.4215)
    )
    lengths = sorted(data["length"] for data in b01.graph.get_edge_data(2, 3).values())
    assert lengths[1] == pytest.approx(expected_m, rel=1e-9)


def test_b01_main_component(b01: RoadNetwork) -> None:
    # The spur ends 5 (entered only) and 6 (left only) are strongly connected to nothing.
    assert b01.main_component == frozenset({2, 3})


def test_b01_bbox_covers_bend_nodes(b01: RoadNetwork) -> None:
    # Node 1 (7.4200, 43.7370) is merged away but still bounds the extract.
    assert b01.bbox_lonlat == pytest.approx((7.4200, 43.7361, 7.4228, 43.7390))


def test_b02_island_kept(b02: RoadNetwork) -> None:
    assert b02.graph.has_edge(7, 8)
    assert b02.graph.has_edge(8, 7)


def test_b02_island_outside_main(b02: RoadNetwork) -> None:
    assert 7 not in b02.main_component


def test_aguascalientes_formats_same_nodes(
    aguascalientes: RoadNetwork, aguascalientes_bz2: RoadNetwork
) -> None:
    assert set(aguascalientes.graph.nodes) == set(aguascalientes_bz2.graph.nodes)


def test_aguascalientes_formats_same_edges(
    aguascalientes: RoadNetwork, aguascalientes_bz2: RoadNetwork
) -> None:
    assert aguascalientes.graph.number_of_edges() == aguascalientes_bz2.graph.number_of_edges()


def test_aguascalientes_counts(aguascalientes: RoadNetwork) -> None:
    # Measured with this loader (van profile): 844 nodes, 1674 edges, 772 in the main part.
    assert (aguascalientes.graph.number_of_nodes(), aguascalientes.graph.number_of_edges()) == (
        844,
        1674,
    )
    assert len(aguascalientes.main_component) == 772


def test_aguascalientes_utm_zone(aguascalientes: RoadNetwork) -> None:
    # Longitude -102.27 lies in UTM zone 13 (-108 to -102 degrees), northern hemisphere.
    assert aguascalientes.projected_crs.to_epsg() == 32613


def test_graphml_round_trip(aguascalientes: RoadNetwork, tmp_path: Path) -> None:
    path = tmp_path / "aguascalientes.graphml"
    ox.save_graphml(aguascalientes.graph, path)
    reloaded = load_network(path)
    assert reloaded.graph.number_of_nodes() == aguascalientes.graph.number_of_nodes()
    assert reloaded.graph.number_of_edges() == aguascalientes.graph.number_of_edges()
    assert reloaded.main_component == aguascalientes.main_component


def test_graphml_round_trip_times(aguascalientes: RoadNetwork, tmp_path: Path) -> None:
    path = tmp_path / "aguascalientes.graphml"
    ox.save_graphml(aguascalientes.graph, path)
    reloaded = load_network(path)
    before_s = sum(t for _, _, t in aguascalientes.graph.edges(data="travel_time"))
    after_s = sum(t for _, _, t in reloaded.graph.edges(data="travel_time"))
    assert after_s == pytest.approx(before_s, rel=1e-9)


def test_b19_trimmed_way(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="gtm_optimizer.network"):
        network = load_network(OSM / "B19_clipped.osm")
    assert network.n_ways_trimmed == 1
    assert "1 drivable way references nodes missing" in caplog.text


def test_b19_trimmed_way_keeps_present_part() -> None:
    # Way 302 lists 22, 23, 99; node 99 is absent, so 22 -> 23 stays and joins way 301.
    network = load_network(OSM / "B19_clipped.osm")
    expected_m = haversine_m(4.6300, -74.0700, 4.6300, -74.0680) + haversine_m(
        4.6300, -74.0680, 4.6320, -74.0680
    )
    assert network.graph.edges[21, 23, 0]["length"] == pytest.approx(expected_m, rel=1e-9)


def test_unparsable_file_names_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.osm"
    path.write_text('<osm><node id="1" lat="x"', encoding="utf-8")
    with pytest.raises(NetworkError, match=r"broken\.osm.*complete ways"):
        load_network(path)


def test_unparsable_pbf(tmp_path: Path) -> None:
    path = tmp_path / "broken.osm.pbf"
    path.write_bytes(b"not a protocol buffer")
    with pytest.raises(NetworkError, match=r"broken\.osm\.pbf cannot be read"):
        load_network(path)


def test_unparsable_graphml(tmp_path: Path) -> None:
    path = tmp_path / "broken.graphml"
    path.write_text("<graphml><graph", encoding="utf-8")
    with pytest.raises(NetworkError, match=r"broken\.graphml cannot be read as GraphML"):
        load_network(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NetworkError, match="was not found"):
        load_network(tmp_path / "absent.osm.pbf")


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "roads.shp"
    path.write_bytes(b"")
    with pytest.raises(NetworkError, match="unknown format"):
        load_network(path)


def test_no_drivable_road(tmp_path: Path) -> None:
    path = write_osm(
        tmp_path / "paths.osm",
        {1: (4.60, -74.08), 2: (4.601, -74.08)},
        [way_xml(10, [1, 2], {"highway": "footway"})],
    )
    with pytest.raises(NetworkError, match="has no road a van may drive on"):
        load_network(path)


def test_unknown_profile() -> None:
    with pytest.raises(ValueError, match="unknown vehicle profile 'bus'"):
        load_network(OSM / "B01_oneway.osm", profile="bus")


def test_content_hash_depends_on_profile(b01: RoadNetwork) -> None:
    truck = load_network(OSM / "B01_oneway.osm", profile="truck")
    assert truck.content_hash != b01.content_hash


def test_content_hash_depends_on_bytes(b01: RoadNetwork, tmp_path: Path) -> None:
    copy = tmp_path / "B01_copy.osm"
    shutil.copyfile(OSM / "B01_oneway.osm", copy)
    with copy.open("a", encoding="utf-8") as stream:
        stream.write("\n")
    assert load_network(copy).content_hash != b01.content_hash


def test_duitama_graph_size() -> None:
    # Measured with this loader (van profile). Load time is not asserted: on a shared
    # machine it varies with other load (about 2 s measured on 2 cores).
    network = load_network(DUITAMA)
    assert network.graph.number_of_nodes() == 4232
    assert network.graph.number_of_edges() == 10208


class _Records(logging.Handler):
    """A log handler that keeps every record it receives."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def campo_grande() -> tuple[RoadNetwork, str]:
    """The bounding-box cut of Campo Grande, Brazil, and the log text of its loading."""
    handler = _Records()
    network_logger = logging.getLogger("gtm_optimizer.network")
    previous_level = network_logger.level
    network_logger.addHandler(handler)
    network_logger.setLevel(logging.INFO)
    try:
        network = load_network(CAMPO_GRANDE)
    finally:
        network_logger.removeHandler(handler)
        network_logger.setLevel(previous_level)
    return network, "\n".join(record.getMessage() for record in handler.records)


def test_campo_grande_trimmed_ways(campo_grande: tuple[RoadNetwork, str]) -> None:
    # The cut leaves 214 ways pointing at missing nodes: 189 of them are highways and 181 of
    # those are drivable by a van (tracks, footways and parking aisles are not).
    network, log = campo_grande
    assert network.n_ways_trimmed == 181
    assert "181 drivable ways reference nodes missing from the file" in log


def test_campo_grande_main_component(campo_grande: tuple[RoadNetwork, str]) -> None:
    # Measured with this loader (van profile): 7928 nodes and 23729 edges in all, of which
    # 7801 nodes and 23500 edges form the largest strongly connected component.
    network, _log = campo_grande
    compact = network.compact
    main = compact.main_mask
    assert len(network.main_component) == 7801
    assert int((main[compact.edge_u] & main[compact.edge_v]).sum()) == 23500


def test_campo_grande_log_counts(campo_grande: tuple[RoadNetwork, str]) -> None:
    _network, log = campo_grande
    assert "7928 nodes, 23729 edges, 181 ways trimmed, 7801 nodes in the main component" in log
