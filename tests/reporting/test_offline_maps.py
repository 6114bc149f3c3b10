"""Tests of offline maps built from the library copies shipped in the asset folder.

The maps have a realistic size: 1,500 customers in four territories around Duitama, Colombia
(5.826 N, 73.034 W), so the customers are clustered, and routes of 30 stops along lines of 600
vertices.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from gtm_optimizer.reporting.maps import offline as offline_module
from gtm_optimizer.reporting.maps import write_index_map, write_route_maps
from gtm_optimizer.reporting.maps.offline import ASSET_DIR, asset_paths

DEPOT_LON, DEPOT_LAT = -73.034, 5.826
N_CUSTOMERS = 1500
N_STOPS = 30
N_LINE_VERTICES = 600

# Four territories side by side, each 0.02 degrees wide.
TERRITORY_BOXES = {
    f"T{number:02d}": (-73.07 + 0.02 * number, 5.80, -73.05 + 0.02 * number, 5.85)
    for number in range(4)
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")

# Stylesheets that folium 0.20 links, that no npm package contains and that offline maps drop.
NOT_ON_NPM = {
    "netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
    "cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css",
}

# Each shipped copy and a text of its header comment that names the library and its version.
ASSET_VERSIONS = [
    ("cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js", "Leaflet 1.9.3,"),
    ("code.jquery.com/jquery-3.7.1.min.js", "jQuery v3.7.1 "),
    ("cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js", "Bootstrap v5.2.2 "),
    ("cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css", "Bootstrap  v5.2.2 "),
    (
        "cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
        "Font Awesome Free 6.2.0 ",
    ),
    (
        "cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js",
        "Leaflet.AwesomeMarkers, a plugin",
    ),
    (
        "cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js",
        "Leaflet.markercluster, Provides",
    ),
]

LICENCE_FILES = {
    "bootstrap-5.2.2.txt",
    "drmonty-leaflet-awesome-markers-2.0.2.txt",
    "fontawesome-free-6.2.0.txt",
    "jquery-3.7.1.txt",
    "leaflet-1.9.3.txt",
    "leaflet.markercluster-1.1.0.txt",
}

# With folium 0.20 and the data below, the offline index map measures 1.93 MB (1.26 MB online)
# and a route map 0.71 MB (0.08 MB online). The inlined libraries add 0.67 MB and 0.63 MB.
MAX_INDEX_MAP_BYTES = 2_500_000
MAX_ROUTE_MAP_BYTES = 1_000_000


def make_territories() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "territory_id": list(TERRITORY_BOXES),
            "n_customers": [N_CUSTOMERS // len(TERRITORY_BOXES)] * len(TERRITORY_BOXES),
            "revenue_per_week": [40_000_000.0] * len(TERRITORY_BOXES),
            "workload_h_per_week": [38.5] * len(TERRITORY_BOXES),
        },
        geometry=[box(*bounds) for bounds in TERRITORY_BOXES.values()],
        crs="EPSG:4326",
    )


def make_customers() -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    territory_ids = [list(TERRITORY_BOXES)[i % len(TERRITORY_BOXES)] for i in range(N_CUSTOMERS)]
    lons = []
    lats = []
    for territory_id in territory_ids:
        west, south, east, north = TERRITORY_BOXES[territory_id]
        lons.append(rng.uniform(west, east))
        lats.append(rng.uniform(south, north))
    revenue = rng.uniform(100_000.0, 3_000_000.0, N_CUSTOMERS)
    cts_pct = rng.uniform(1.0, 30.0, N_CUSTOMERS)
    served = np.arange(N_CUSTOMERS) % 50 != 0
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(N_CUSTOMERS)],
            "name": [f"Tienda {i}" for i in range(N_CUSTOMERS)],
            "territory_id": np.where(served, territory_ids, ""),
            "visit_days": np.where(served, "Mon+Thu", ""),
            "channel": "direct",
            "revenue_per_week": revenue,
            "cts_total": revenue * cts_pct / 100,
            "cts_pct": cts_pct,
            "served": served,
            "unserved_reason": np.where(served, "", "no road reaches the outlet"),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")


def route_line(territory_id: str) -> LineString:
    """Return a closed zigzag from the depot through the territory, like a road path."""
    west, south, east, north = TERRITORY_BOXES[territory_id]
    steps = np.linspace(0.0, 1.0, N_LINE_VERTICES - 2)
    lons = west + (east - west) * (0.5 + 0.4 * np.sin(steps * 12 * np.pi))
    lats = south + (north - south) * steps
    depot = (DEPOT_LON, DEPOT_LAT)
    return LineString([depot, *zip(lons, lats, strict=True), depot])


def make_routes() -> gpd.GeoDataFrame:
    rows = []
    geometries = []
    for weekday in WEEKDAYS:
        for territory_id in TERRITORY_BOXES:
            rows.append(
                {
                    "route_id": f"{territory_id}-{weekday}",
                    "territory_id": territory_id,
                    "weekday": weekday,
                    "n_stops": N_STOPS,
                    "distance_km": 41.7,
                    "duration_h": 8.5,
                    "start": "07:00",
                    "end": "15:30",
                    "load": 320.0,
                    "cost_total": 410_000.0,
                }
            )
            geometries.append(route_line(territory_id))
    return gpd.GeoDataFrame(rows, geometry=geometries, crs="EPSG:4326")


def make_stops(route_id: str) -> pd.DataFrame:
    territory_id = route_id.split("-")[0]
    line = route_line(territory_id)
    rows = []
    for sequence in range(1, N_STOPS + 1):
        point = line.interpolate(sequence / (N_STOPS + 1), normalized=True)
        minutes = 7 * 60 + 15 * sequence
        rows.append(
            {
                "route_id": route_id,
                "sequence": sequence,
                "customer_id": f"{territory_id}-S{sequence:02d}",
                "name": f"Tienda {sequence}",
                "lat": point.y,
                "lon": point.x,
                "arrival": f"{minutes // 60:02d}:{minutes % 60:02d}",
                "departure": f"{(minutes + 10) // 60:02d}:{(minutes + 10) % 60:02d}",
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


def write_index(path: Path, *, offline: bool) -> str:
    write_index_map(
        path,
        customers=make_customers(),
        routes=make_routes(),
        territories=make_territories(),
        depots=make_depots(),
        offline=offline,
        title="Duitama",
    )
    return path.read_text(encoding="utf-8")


def write_route(folder: Path, *, offline: bool) -> str:
    routes = make_routes()
    route = routes[routes["route_id"] == "T01-Mon"]
    (path,) = write_route_maps(
        folder, routes=route, stops=make_stops("T01-Mon"), depots=make_depots(), offline=offline
    )
    return path.read_text(encoding="utf-8")


def assets_bytes(page: str) -> int:
    """Return the total size of the shipped copies and stand-ins that ``page`` links."""
    return sum((offline_module.ASSET_DIR / path).stat().st_size for path in asset_paths(page))


@pytest.fixture(scope="module")
def asset_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copy of the shipped asset folder."""
    folder = tmp_path_factory.mktemp("assets") / "assets"
    shutil.copytree(ASSET_DIR, folder)
    return folder


@pytest.fixture
def offline_assets(asset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(offline_module, "ASSET_DIR", asset_copy)
    return asset_copy


# The asset folder


def test_linked_assets_shipped(tmp_path):
    pages = [
        write_index(tmp_path / "index.html", offline=False),
        write_route(tmp_path / "routes", offline=False),
    ]
    linked = {path for page in pages for path in asset_paths(page)}

    missing = {path for path in linked if not (ASSET_DIR / path).is_file()}

    # A missing file is a library that folium links and the asset folder lacks.
    assert missing == set()
    assert linked.isdisjoint(NOT_ON_NPM)


def test_unused_stylesheets_dropped(tmp_path):
    page = write_index(tmp_path / "index.html", offline=True)

    assert "bootstrap-glyphicons" not in page
    assert "awesome.rotate" not in page


@pytest.mark.parametrize(("relative", "header"), ASSET_VERSIONS)
def test_asset_header_version(relative, header):
    text = (ASSET_DIR / relative).read_text(encoding="utf-8")

    assert header in text[:400]


def test_asset_licences_present():
    licences = {path.name for path in (ASSET_DIR / "LICENSES").iterdir()}

    assert licences == LICENCE_FILES


# Offline maps


def test_offline_index_map_self_contained(tmp_path, offline_assets):
    page = write_index(tmp_path / "index.html", offline=True)

    assert '<script src="http' not in page
    assert '<link rel="stylesheet" href="http' not in page
    assert "Leaflet 1.9.3," in page
    assert "jQuery v3.7.1 " in page
    assert "L.MarkerClusterGroup=" in page
    assert "markerClusterGroup" in page
    assert '"C01499"' in page


def test_offline_route_map_self_contained(tmp_path, offline_assets):
    page = write_route(tmp_path / "routes", offline=True)

    assert '<script src="http' not in page
    assert '<link rel="stylesheet" href="http' not in page
    assert "Leaflet 1.9.3," in page
    assert "T01-S30" in page


def test_offline_index_map_size(tmp_path, offline_assets):
    online = write_index(tmp_path / "online.html", offline=False)
    inlined_bytes = assets_bytes(online)

    offline = write_index(tmp_path / "offline.html", offline=True)

    # Each library is inlined once: the page grows by the size of the copies, give or take
    # the tags that replace the links.
    growth = len(offline.encode()) - len(online.encode())
    assert abs(growth - inlined_bytes) < 5_000
    assert (tmp_path / "offline.html").stat().st_size < MAX_INDEX_MAP_BYTES


def test_offline_route_map_size(tmp_path, offline_assets):
    online = write_route(tmp_path / "online", offline=False)
    inlined_bytes = assets_bytes(online)

    offline = write_route(tmp_path / "offline", offline=True)

    growth = len(offline.encode()) - len(online.encode())
    assert abs(growth - inlined_bytes) < 5_000
    assert (tmp_path / "offline" / "T01-Mon.html").stat().st_size < MAX_ROUTE_MAP_BYTES
