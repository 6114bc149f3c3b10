"""Tests of the folium maps: the index map of a run and one map per route.

The data is a small hand-made run around Duitama, Colombia (5.826 N, 73.034 W): three
territories side by side, twelve customers (one unserved), one depot and six routes over
Monday and Thursday.
"""

from __future__ import annotations

import gettext
import html
import json
import logging
import math
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from gtm_optimizer import i18n
from gtm_optimizer.reporting.maps import (
    MapAssetsNotFoundError,
    weekday_label,
    write_index_map,
    write_route_maps,
)
from gtm_optimizer.reporting.maps import offline as offline_module
from gtm_optimizer.reporting.maps.base import PALETTE, territory_colours
from gtm_optimizer.reporting.maps.customers import (
    CTS_BINS,
    NO_REVENUE_COLOUR,
    cts_colour,
)
from gtm_optimizer.reporting.maps.offline import asset_paths

DEPOT_LON, DEPOT_LAT = -73.034, 5.826

# Three territories side by side, each 0.02 degrees wide. Together they span longitude
# -73.06 to -73.00 and latitude 5.81 to 5.84, which contains every other point.
TERRITORY_BOXES = {
    "T01": (-73.06, 5.81, -73.04, 5.84),
    "T02": (-73.04, 5.81, -73.02, 5.84),
    "T03": (-73.02, 5.81, -73.00, 5.84),
}

# customer_id, territory_id, lon, lat, revenue per week (COP), CTS per week (COP), CTS %
CUSTOMER_ROWS = [
    ("C001", "T01", -73.055, 5.815, 2_500_000.0, 312_500.4, 12.5),
    ("C002", "T01", -73.050, 5.820, 1_000_000.0, 30_000.0, 3.0),
    ("C003", "T01", -73.045, 5.830, 800_000.0, 56_000.0, 7.0),
    ("C004", "T01", -73.042, 5.835, 400_000.0, 100_000.0, 25.0),
    ("C005", "T02", -73.038, 5.815, 900_000.0, 45_000.0, 5.0),
    ("C006", "T02", -73.032, 5.820, 700_000.0, 70_000.0, 10.0),
    ("C007", "T02", -73.028, 5.830, 0.0, 20_000.0, math.nan),
    ("C008", "T02", -73.024, 5.835, 600_000.0, 120_000.0, 20.0),
    ("C009", "T03", -73.018, 5.815, 500_000.0, 25_000.0, 5.0),
    ("C010", "T03", -73.012, 5.825, 450_000.0, 45_000.0, 10.0),
    ("C011", "T03", -73.006, 5.832, 300_000.0, 90_000.0, 30.0),
    ("C012", "", -73.010, 5.838, 200_000.0, 0.0, 0.0),
]

# Stops of route T01-Mon, deliberately not in sequence order:
# customer_id, sequence, arrival, departure.
T01_MON_STOPS = [
    ("C001", 2, "08:25", "08:35"),
    ("C003", 1, "08:10", "08:20"),
    ("C002", 4, "08:55", "09:05"),
    ("C004", 3, "08:40", "08:50"),
]

# Messages of a Spanish catalog, standing in for the compiled one.
SPANISH = {
    "Territory": "Territorio",
    "Territory {territory_id}": "Territorio {territory_id}",
    "Mon": "Lun",
    "Thu": "Jue",
    "Routes on {weekday}": "Rutas del {weekday}",
    "Visit days": "Días de visita",
}


class _SpanishCatalog(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return SPANISH.get(message, message)


def make_customers() -> gpd.GeoDataFrame:
    rows = pd.DataFrame(
        CUSTOMER_ROWS,
        columns=[
            "customer_id",
            "territory_id",
            "lon",
            "lat",
            "revenue_per_week",
            "cts_total",
            "cts_pct",
        ],
    )
    served = rows["territory_id"] != ""
    frame = rows.assign(
        name="Tienda " + rows["customer_id"],
        visit_days=["Mon+Thu" if is_served else "" for is_served in served],
        channel="direct",
        volume_per_week=1.0,
        visits_per_week=2.0,
        served=served,
        unserved_reason=[
            "" if is_served else "no road reaches the outlet" for is_served in served
        ],
    )
    geometry = gpd.points_from_xy(frame.pop("lon"), frame.pop("lat"))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def make_territories() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "territory_id": list(TERRITORY_BOXES),
            "n_customers": [4, 4, 3],
            "revenue_per_week": [4_700_000.0, 2_200_000.0, 1_250_000.0],
            "workload_h_per_week": [30.5, 28.0, 22.25],
        },
        geometry=[box(*bounds) for bounds in TERRITORY_BOXES.values()],
        crs="EPSG:4326",
    )


def make_routes() -> gpd.GeoDataFrame:
    customers = make_customers()
    rows = []
    geometries = []
    for weekday in ("Mon", "Thu"):
        for territory_id in TERRITORY_BOXES:
            own = customers[customers["territory_id"] == territory_id]
            points = [(DEPOT_LON, DEPOT_LAT), *((p.x, p.y) for p in own.geometry)]
            geometries.append(LineString([*points, (DEPOT_LON, DEPOT_LAT)]))
            rows.append(
                {
                    "route_id": f"{territory_id}-{weekday}",
                    "territory_id": territory_id,
                    "weekday": weekday,
                    "n_stops": len(own),
                    "distance_km": 12.34,
                    "duration_h": 3.25,
                    "start": "08:00",
                    "end": "11:15",
                    "load": 40.0,
                    "cost_total": 150_000.0,
                }
            )
    return gpd.GeoDataFrame(rows, geometry=geometries, crs="EPSG:4326")


def make_stops() -> pd.DataFrame:
    customers = make_customers().set_index("customer_id")
    rows = []
    for customer_id, sequence, arrival, departure in T01_MON_STOPS:
        point = customers.loc[customer_id, "geometry"]
        rows.append(
            {
                "route_id": "T01-Mon",
                "sequence": sequence,
                "customer_id": customer_id,
                "name": f"Tienda {customer_id}",
                "lat": point.y,
                "lon": point.x,
                "arrival": arrival,
                "departure": departure,
                "load": 10.0,
            }
        )
    return pd.DataFrame(rows)


def make_depots() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"depot_id": ["D01"], "name": ["CEDI Duitama"]},
        geometry=[Point(DEPOT_LON, DEPOT_LAT)],
        crs="EPSG:4326",
    )


def write_index(path: Path, **overrides: object) -> str:
    layers: dict[str, object] = {
        "customers": make_customers(),
        "routes": make_routes(),
        "territories": make_territories(),
        "depots": make_depots(),
    }
    layers.update(overrides)
    write_index_map(path, **layers)  # type: ignore[arg-type]
    return path.read_text(encoding="utf-8")


def overlay_names(page: str) -> list[str]:
    """Return the layer names of the page's LayerControl, without their HTML."""
    block = re.search(r"overlays :\s*\{(.*?)\n\s*\},", page, re.S)
    assert block is not None
    keys = re.findall(r'^\s*("(?:[^"\\]|\\.)*")\s*:', block.group(1), re.M)
    names = [html.unescape(re.sub(r"<[^>]+>", "", json.loads(key))) for key in keys]
    return [name.strip("■ ") for name in names]


def fitted_bounds(page: str) -> list[list[float]]:
    match = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", page, re.S)
    assert match is not None
    return json.loads(match.group(1))


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch):
    previous = i18n.get_language()
    monkeypatch.setattr(i18n, "_catalog", lambda language: _SpanishCatalog())
    i18n.set_language("es")
    yield
    i18n.set_language(previous)


@pytest.fixture
def english():
    previous = i18n.get_language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)


# Index map


def test_index_map_written(tmp_path, english):
    path = tmp_path / "maps" / "index.html"

    returned = write_index_map(
        path,
        customers=make_customers(),
        routes=make_routes(),
        territories=make_territories(),
        depots=make_depots(),
        title="Duitama",
    )

    assert returned == path
    assert path.is_file()
    assert "<title>Duitama</title>" in path.read_text(encoding="utf-8")


def test_index_map_osm_attribution(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    assert "OpenStreetMap contributors" in page


def test_index_map_customer_popups(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    for customer_id, *_rest in CUSTOMER_ROWS:
        assert f"<td>{customer_id}</td>" in page


def test_index_map_layers(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    assert overlay_names(page) == [
        "Territory T01",
        "Territory T02",
        "Territory T03",
        "Routes on Mon",
        "Routes on Thu",
        "Unserved customers",
        "Depots",
    ]


def test_index_map_weekday_layers_hidden(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    # The 3 territory layers and the unserved and depot layers show when the map opens.
    # The 2 weekday layers show only once ticked in the layer control.
    assert len(re.findall(r"feature_group_\w+\.addTo\(map_\w+\)", page)) == 5


def test_index_map_popup_numbers(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    # C001: revenue 2,500,000 COP, CTS 312,500.4 COP rounded to pesos, CTS % 12.5.
    assert "<td>2,500,000 COP</td>" in page
    assert "<td>312,500 COP</td>" in page
    assert "<td>12.5 %</td>" in page


def test_index_map_no_revenue_pct(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    # C007 has no revenue, so its CTS % is NaN and shows as a dash.
    assert "<td>–</td>" in page


def test_index_map_unserved_reason(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    assert "<td>no road reaches the outlet</td>" in page


def test_index_map_legend(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    for label in ("up to 5 %", "5 to 10 %", "10 to 20 %", "over 20 %", "no revenue"):
        assert label in page


def test_index_map_route_tooltip(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    tooltip = re.search(r"bindTooltip\(\s*`(<div>[^`]*?T01-Mon[^`]*)`", page)
    assert tooltip is not None
    assert "<td>12.3 km</td>" in tooltip.group(1)
    assert "<td>3.2 h</td>" in tooltip.group(1)
    assert "<td>150,000 COP</td>" in tooltip.group(1)


def test_index_map_fits_data(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    # The territory boxes span every other point: latitude 5.81-5.84, longitude -73.06-73.00.
    assert fitted_bounds(page) == [[5.81, -73.06], [5.84, -73.0]]


def test_index_map_reprojects(tmp_path, english):
    territories = make_territories().to_crs("EPSG:3857")

    page = write_index(tmp_path / "index.html", territories=territories)

    south_west, north_east = fitted_bounds(page)
    assert south_west == pytest.approx([5.81, -73.06], abs=1e-9)
    assert north_east == pytest.approx([5.84, -73.0], abs=1e-9)


def test_index_map_plain_markers(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    assert "markerClusterGroup" not in page
    assert page.count("L.circleMarker(") == 12


def test_index_map_clusters_large(tmp_path, english):
    base = make_customers()
    customers = base.iloc[[i % 12 for i in range(1200)]].reset_index(drop=True)
    customers["customer_id"] = [f"K{i:04d}" for i in range(1200)]

    page = write_index(tmp_path / "index.html", customers=customers)

    assert "markerClusterGroup" in page
    assert '"K0000"' in page
    assert '"K1199"' in page


def test_index_map_escapes_names(tmp_path, english):
    customers = make_customers()
    customers.loc[0, "name"] = "Tienda `La 14` ${x} <b>"

    page = write_index(tmp_path / "index.html", customers=customers)

    assert "Tienda &#96;La 14&#96; &#36;{x} &lt;b&gt;" in page
    assert "`La 14`" not in page


def test_index_map_logs_counts(tmp_path, english, caplog):
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.reporting.maps"):
        write_index(tmp_path / "index.html")

    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 1
    assert "3 territories, 12 customers, 6 routes" in messages[0]


def test_index_map_missing_column(tmp_path, english):
    customers = make_customers().drop(columns="cts_pct")

    with pytest.raises(ValueError, match="customers is missing the column"):
        write_index(tmp_path / "index.html", customers=customers)


def test_index_map_without_crs(tmp_path, english):
    depots = make_depots().set_crs(None, allow_override=True)

    with pytest.raises(ValueError, match="depots has no CRS"):
        write_index(tmp_path / "index.html", depots=depots)


def test_index_map_unknown_weekday(tmp_path, english):
    routes = make_routes()
    routes.loc[0, "weekday"] = "Monday"

    with pytest.raises(ValueError, match="weekday 'Monday' is not a known abbreviation"):
        write_index(tmp_path / "index.html", routes=routes)


# Spanish labels


def test_weekday_label_spanish(spanish):
    assert weekday_label("Mon") == "Lun"


def test_weekday_label_english(english):
    assert weekday_label("Sat") == "Sat"


def test_weekday_label_unknown(english):
    with pytest.raises(ValueError, match="Use one of: Mon Tue Wed Thu Fri Sat Sun"):
        weekday_label("Lun")


def test_index_map_spanish(tmp_path, spanish):
    page = write_index(tmp_path / "index.html")

    assert "<th>Territorio</th>" in page
    assert "<th>Días de visita</th>" in page
    assert "<td>Lun+Jue</td>" in page
    assert overlay_names(page)[:5] == [
        "Territorio T01",
        "Territorio T02",
        "Territorio T03",
        "Rutas del Lun",
        "Rutas del Jue",
    ]


def test_index_map_lang_spanish(tmp_path, spanish):
    page = write_index(tmp_path / "index.html")

    assert '<html lang="es">' in page


def test_index_map_lang_english(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    assert '<html lang="en">' in page


def test_route_map_lang_spanish(tmp_path, spanish):
    write_route_maps(tmp_path, routes=make_routes(), stops=make_stops(), depots=make_depots())
    page = (tmp_path / "T01-Mon.html").read_text(encoding="utf-8")

    assert '<html lang="es">' in page


def test_index_map_spanish_numbers(tmp_path, spanish):
    page = write_index(tmp_path / "index.html")

    # Colombian Spanish groups thousands with "." and writes the decimal comma.
    assert "<td>2.500.000 COP</td>" in page
    assert "<td>12,5 %</td>" in page


# Colours


def test_cts_colour_bins():
    assert cts_colour(5.0) == CTS_BINS[0][1]
    assert cts_colour(5.01) == CTS_BINS[1][1]
    assert cts_colour(20.0) == CTS_BINS[2][1]
    assert cts_colour(20.01) == CTS_BINS[3][1]
    assert cts_colour(math.nan) == NO_REVENUE_COLOUR


def test_territory_colours_wrap():
    ids = [f"T{number:02d}" for number in range(len(PALETTE) + 1, 0, -1)]

    colours = territory_colours(ids)

    assert colours["T01"] == PALETTE[0]
    assert colours["T02"] == PALETTE[1]
    assert colours[f"T{len(PALETTE) + 1:02d}"] == PALETTE[0]


# Route maps


def test_route_maps_one_per_route(tmp_path, english):
    paths = write_route_maps(
        tmp_path / "maps", routes=make_routes(), stops=make_stops(), depots=make_depots()
    )

    names = ["T01-Mon", "T02-Mon", "T03-Mon", "T01-Thu", "T02-Thu", "T03-Thu"]
    assert paths == [tmp_path / "maps" / f"{name}.html" for name in names]
    assert all(path.is_file() for path in paths)


def test_route_map_stop_order(tmp_path, english):
    write_route_maps(tmp_path, routes=make_routes(), stops=make_stops(), depots=make_depots())
    page = (tmp_path / "T01-Mon.html").read_text(encoding="utf-8")

    positions = [page.index(f"<td>{customer_id}</td>") for customer_id in ("C003", "C001")]
    positions += [page.index(f"<td>{customer_id}</td>") for customer_id in ("C004", "C002")]
    assert positions == sorted(positions)


def test_route_map_arrival_times(tmp_path, english):
    write_route_maps(tmp_path, routes=make_routes(), stops=make_stops(), depots=make_depots())
    page = (tmp_path / "T01-Mon.html").read_text(encoding="utf-8")

    for _customer_id, _sequence, arrival, departure in T01_MON_STOPS:
        assert f"<td>{arrival}</td>" in page
        assert f"<td>{departure}</td>" in page


def test_route_map_numbered_icons(tmp_path, english):
    write_route_maps(tmp_path, routes=make_routes(), stops=make_stops(), depots=make_depots())
    page = (tmp_path / "T01-Mon.html").read_text(encoding="utf-8")

    icons = [json.loads(text) for text in re.findall(r'"html": ("(?:[^"\\]|\\.)*")', page)]
    numbers = [match.group(1) for icon in icons if (match := re.search(r">(\d+)</div>", icon))]
    assert numbers == ["1", "2", "3", "4"]


def test_route_map_title_box(tmp_path, english):
    write_route_maps(tmp_path, routes=make_routes(), stops=make_stops(), depots=make_depots())
    page = (tmp_path / "T01-Mon.html").read_text(encoding="utf-8")

    box_html = re.search(r'<div class="gtm-map-box"[^>]*>(.*?)</div>', page, re.S)
    assert box_html is not None
    for cell in ("T01-Mon", "Mon", "4", "12.3 km", "3.2 h", "08:00 – 11:15", "150,000 COP"):
        assert f"<td>{cell}</td>" in box_html.group(1)


def test_route_map_nearest_depot(tmp_path, english):
    depots = pd.concat(
        [
            make_depots(),
            gpd.GeoDataFrame(
                {"depot_id": ["D02"], "name": ["CEDI Sogamoso"]},
                geometry=[Point(-72.934, 5.715)],
                crs="EPSG:4326",
            ),
        ],
        ignore_index=True,
    )

    write_route_maps(tmp_path, routes=make_routes(), stops=make_stops(), depots=depots)
    page = (tmp_path / "T01-Mon.html").read_text(encoding="utf-8")

    assert "CEDI Duitama" in page
    assert "CEDI Sogamoso" not in page


def test_route_maps_duplicate_ids(tmp_path, english):
    routes = make_routes()
    routes.loc[1, "route_id"] = "T01-Mon"

    with pytest.raises(ValueError, match="these repeat: T01-Mon"):
        write_route_maps(tmp_path, routes=routes, stops=make_stops(), depots=make_depots())


def test_route_maps_path_in_id(tmp_path, english):
    routes = make_routes()
    routes.loc[0, "route_id"] = "../T01-Mon"

    with pytest.raises(ValueError, match="cannot name a map file"):
        write_route_maps(tmp_path, routes=routes, stops=make_stops(), depots=make_depots())


def test_route_maps_missing_stop_column(tmp_path, english):
    stops = make_stops().drop(columns="arrival")

    with pytest.raises(ValueError, match="stops is missing the column"):
        write_route_maps(tmp_path, routes=make_routes(), stops=stops, depots=make_depots())


# Writing and offline mode


def test_write_replaces_atomically(tmp_path, english):
    path = tmp_path / "index.html"
    path.write_text("old map", encoding="utf-8")

    write_index(path)

    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(tmp_path.iterdir()) == [path]


def test_offline_inlines_assets(tmp_path, english, monkeypatch):
    online = write_index(tmp_path / "online.html")
    asset_dir = tmp_path / "assets"
    for number, relative in enumerate(asset_paths(online)):
        asset = asset_dir / relative
        asset.parent.mkdir(parents=True, exist_ok=True)
        asset.write_text(f"/* local copy {number} */", encoding="utf-8")
    monkeypatch.setattr(offline_module, "ASSET_DIR", asset_dir)

    write_index_map(
        tmp_path / "offline.html",
        customers=make_customers(),
        routes=make_routes(),
        territories=make_territories(),
        depots=make_depots(),
        offline=True,
    )
    page = (tmp_path / "offline.html").read_text(encoding="utf-8")

    assert "https://cdn" not in page
    assert "<script src=" not in page
    assert '<link rel="stylesheet" href="http' not in page
    assert "/* local copy 0 */" in page


def test_offline_lists_assets(tmp_path, english):
    page = write_index(tmp_path / "index.html")

    assert "cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in asset_paths(page)


def test_offline_missing_assets(tmp_path, english, monkeypatch):
    monkeypatch.setattr(offline_module, "ASSET_DIR", tmp_path / "no-assets")
    path = tmp_path / "maps" / "index.html"

    with pytest.raises(MapAssetsNotFoundError, match=r"dist/leaflet\.js"):
        write_index(path, offline=True)

    assert list((tmp_path / "maps").iterdir()) == []
