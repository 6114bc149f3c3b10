"""The index map and the run report of a real run, opened in headless Chromium.

Each page must load without a JavaScript error and without any request leaving the machine,
and show what the run holds: one line per route, the weekday route layers, the charts.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
from browser_pages import VIEWPORT, PageLog, WrittenRun
from PIL import Image

ROUTE_LINES = 'path.leaflet-interactive[fill="none"]'
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def routes_drawn(run: WrittenRun) -> int:
    """Routes with a line on the map: every route whose geometry is not empty."""
    return int((~run.result.routes.geometry.is_empty).sum())


def open_page(log: PageLog, path: Path) -> None:
    log.page.goto(path.as_uri(), wait_until="load")


def check_screenshot(path: Path) -> None:
    """Assert that ``path`` is a PNG of the viewport's width with real content on it."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])
    assert width == VIEWPORT["width"]
    assert height >= VIEWPORT["height"]
    pixels = np.asarray(Image.open(path).convert("RGB")).reshape(-1, 3)
    colours = np.unique(pixels, axis=0)
    assert len(colours) > 50, f"only {len(colours)} colours: the page looks blank"


def test_map_renders(written_run: WrittenRun, page: PageLog, tmp_path: Path) -> None:
    routes = written_run.result.routes
    open_page(page, written_run.folder / "maps" / "index.html")
    page.page.wait_for_selector(ROUTE_LINES)
    lines = page.page.locator(ROUTE_LINES)
    labels = page.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    page.page.screenshot(path=tmp_path / "map.png")

    # Territory layers are shown at first, each with its routes; weekday layers are hidden.
    assert lines.count() == routes_drawn(written_run)
    assert len([text for text in labels if "Routes on" in text]) == routes["weekday"].nunique()
    assert page.errors == []
    assert page.blocked == []
    check_screenshot(tmp_path / "map.png")

    # Showing Monday's layer draws Monday's routes a second time.
    before = lines.count()
    page.page.get_by_label("Routes on Mon").check()
    monday = int((~routes[routes["weekday"] == "Mon"].geometry.is_empty).sum())
    assert lines.count() == before + monday


def test_report_renders(written_run: WrittenRun, page: PageLog, tmp_path: Path) -> None:
    customers = written_run.result.customers
    served = customers[customers["served"]]
    with_cts_pct = int(np.isfinite(served["cts_pct"].to_numpy(dtype=float)).sum())
    open_page(page, written_run.folder / "report.html")
    frame = page.page.frame_locator("iframe.map")
    frame.locator(ROUTE_LINES).first.wait_for()
    # Plotly keeps each drawn bar in calcdata; `s` is the number of customers in the bar.
    bars_total = page.page.evaluate(
        "document.getElementById('cts-histogram').calcdata[0].reduce((n, bar) => n + bar.s, 0)"
    )
    page.page.screenshot(path=tmp_path / "report.png", full_page=True)

    for chart in ("cts-histogram", "cts-waterfall", "channel-mix"):
        assert page.page.locator(f"#{chart} .main-svg").count() > 0, chart
    assert bars_total == with_cts_pct
    assert frame.locator(ROUTE_LINES).count() == routes_drawn(written_run)
    assert page.errors == []
    assert page.blocked == []
    check_screenshot(tmp_path / "report.png")
