"""A real small run and a headless Chromium to open its pages in.

The run is the Aguascalientes extract with two territories, written with offline maps and an
offline report, so the pages need no network. Chromium is Debian's ``/usr/bin/chromium``,
driven by Playwright; ``tests/browser/setup.sh`` installs both. The browser gets no network:
map tile requests get a plain grey tile in return, and every other request that leaves
the machine is aborted and recorded, so a test can assert that the pages made none.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCENARIO,
    SETUP_HINT,
    VIEWPORT,
    PageLog,
    WrittenRun,
    grey_tile_png,
)

from gtm_optimizer.inputs.assumed import assume_attributes
from gtm_optimizer.network import extract_outlets
from gtm_optimizer.pipeline import run
from gtm_optimizer.reporting.report.report_html import write_report_html
from gtm_optimizer.reporting.writers import write_outputs
from gtm_optimizer.scenario import load_scenario


@pytest.fixture(scope="session")
def written_run(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> WrittenRun:
    folder = tmp_path_factory.mktemp("browser_run")
    osm = data_dir / "osm" / "aguascalientes.osm.pbf"
    assume_attributes(extract_outlets(osm), seed=1).to_csv(folder / "customers.csv", index=False)
    (folder / "scenario.yaml").write_text(SCENARIO.format(osm=osm), encoding="utf-8")
    result = run(load_scenario(folder / "scenario.yaml"), cache_dir=folder / "cache")
    out = write_outputs(result, folder / "out", offline_maps=True)
    write_report_html(result, out / "report.html", offline=True)
    return WrittenRun(result=result, folder=out)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing; {SETUP_HINT}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"the Python package playwright is missing; {SETUP_HINT}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[PageLog]:
    context = browser.new_context(viewport=VIEWPORT)
    log = PageLog(page=context.new_page())
    tile = grey_tile_png()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:", "about:", "blob:")):
            request_route.continue_()
        elif "tile.openstreetmap.org/" in url and url.endswith(".png"):
            log.tiles += 1
            request_route.fulfill(status=200, content_type="image/png", body=tile)
        else:
            log.blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    log.page.on("pageerror", lambda error: log.errors.append(f"page error: {error}"))
    log.page.on(
        "console",
        lambda message: (
            log.errors.append(f"console {message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    yield log
    context.close()
