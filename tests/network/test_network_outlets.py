"""Retail outlets read from OSM files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from network_helpers import DUITAMA, OSM, way_xml, write_osm

from gtm_optimizer.errors import NetworkError
from gtm_optimizer.network import extract_outlets


@pytest.fixture(scope="module")
def aguascalientes_outlets() -> pd.DataFrame:
    return extract_outlets(OSM / "aguascalientes.osm.pbf")


@pytest.fixture(scope="module")
def made_up_outlets(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    nodes = {
        1: (4.6000, -74.0800),
        2: (4.6000, -74.0790),
        3: (4.6010, -74.0790),
        4: (4.6010, -74.0800),
        5: (4.6050, -74.0750),
        6: (4.6060, -74.0760),
        7: (4.6070, -74.0770),
    }
    ways = [
        way_xml(20, [1, 2, 3, 4, 1], {"shop": "supermarket", "name": "Mercado Norte"}),
        way_xml(21, [5, 6], {"shop": "kiosk"}),
    ]
    path = write_osm(tmp_path_factory.mktemp("outlets") / "outlets.osm", nodes, ways)
    text = path.read_text(encoding="utf-8").replace(
        '<node id="5" lat="4.605" lon="-74.075"/>',
        '<node id="5" lat="4.605" lon="-74.075"><tag k="amenity" v="pharmacy"/>'
        '<tag k="opening_hours" v="Mo-Fr 08:00-18:00; Sa 09:00-13:00"/></node>',
    )
    text = text.replace(
        '<node id="6" lat="4.606" lon="-74.076"/>',
        '<node id="6" lat="4.606" lon="-74.076"><tag k="amenity" v="bank"/></node>',
    )
    text = text.replace(
        '<node id="7" lat="4.607" lon="-74.077"/>',
        '<node id="7" lat="4.607" lon="-74.077"><tag k="shop" v="vacant"/></node>',
    )
    path.write_text(text, encoding="utf-8")
    return extract_outlets(path)


def test_aguascalientes_count(aguascalientes_outlets: pd.DataFrame) -> None:
    # Measured: 6 shop nodes and 1 restaurant node in the extract.
    assert len(aguascalientes_outlets) == 7


def test_aguascalientes_known_outlet(aguascalientes_outlets: pd.DataFrame) -> None:
    oxxo = aguascalientes_outlets.set_index("name").loc["Oxxo"]
    assert oxxo["outlet_type"] == "convenience"
    assert oxxo["osm_tags"] == "brand=Oxxo"
    assert oxxo["outlet_id"] == "osm-n1911451180"


def test_aguascalientes_sorted(aguascalientes_outlets: pd.DataFrame) -> None:
    ids = aguascalientes_outlets["outlet_id"].tolist()
    assert ids == sorted(ids)


def test_aguascalientes_columns(aguascalientes_outlets: pd.DataFrame) -> None:
    assert list(aguascalientes_outlets.columns) == [
        "outlet_id",
        "name",
        "outlet_type",
        "osm_tags",
        "lat",
        "lon",
    ]


def test_formats_agree(aguascalientes_outlets: pd.DataFrame) -> None:
    from_bz2 = extract_outlets(OSM / "aguascalientes.osm.bz2")
    pd.testing.assert_frame_equal(from_bz2, aguascalientes_outlets)


def test_duitama_counts() -> None:
    outlets = extract_outlets(DUITAMA)
    # Measured: 489 shops (464 nodes, 25 closed ways) and 165 retail amenities.
    assert len(outlets) == 654
    assert outlets["outlet_id"].str.startswith("osm-w").sum() == 45


def test_closed_way_centroid(made_up_outlets: pd.DataFrame) -> None:
    market = made_up_outlets.set_index("outlet_id").loc["osm-w20"]
    assert market["lat"] == pytest.approx(4.6005)
    assert market["lon"] == pytest.approx(-74.0795)


def test_open_way_skipped(made_up_outlets: pd.DataFrame) -> None:
    assert "osm-w21" not in set(made_up_outlets["outlet_id"])


def test_amenity_outlet(made_up_outlets: pd.DataFrame) -> None:
    pharmacy = made_up_outlets.set_index("outlet_id").loc["osm-n5"]
    assert pharmacy["outlet_type"] == "pharmacy"
    assert pharmacy["name"] == ""


def test_semicolon_escaped(made_up_outlets: pd.DataFrame) -> None:
    pharmacy = made_up_outlets.set_index("outlet_id").loc["osm-n5"]
    assert pharmacy["osm_tags"] == r"opening_hours=Mo-Fr 08:00-18:00\; Sa 09:00-13:00"


def test_non_outlets_left_out(made_up_outlets: pd.DataFrame) -> None:
    # A bank is not a retail outlet and a vacant shop trades nothing.
    assert made_up_outlets["outlet_id"].tolist() == ["osm-n5", "osm-w20"]


def test_unparsable_outlet_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.osm"
    path.write_text("<osm><node", encoding="utf-8")
    with pytest.raises(NetworkError, match=r"broken\.osm cannot be read"):
        extract_outlets(path)
