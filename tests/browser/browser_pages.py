"""Shared pieces of the browser tests: the run's scenario, Chromium's settings, page logs."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from gtm_optimizer.results import RunResult

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # No host name resolves, so nothing can leave the machine even if a request slips past
    # the routing below.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
SETUP_HINT = "run `bash tests/browser/setup.sh` to install Chromium and Playwright"
VIEWPORT = {"width": 1280, "height": 900}

SCENARIO = """
name: Aguascalientes browser test
language: en
inputs: {{customers: customers.csv}}
network: {{path: {osm}, profile: van}}
depots: [{{id: DEP, name: Depot, lat: 21.8700, lon: -102.2750}}]
fleet:
  - {{name: van, count: 2, depot: DEP, capacity: 60, shift_start: "07:00",
     shift_end: "17:00", fixed_cost_per_day: 150000, cost_per_hour: 10000, cost_per_km: 800}}
costs: {{cost_per_drop: 2000, handling_cost_per_unit: 500, annual_cost_of_capital: 0.12}}
plan: {{territories: 2, working_days: 5}}
solver: {{time_limit_s: 1, seed: 3, workers: 1}}
"""


@dataclass(frozen=True)
class WrittenRun:
    """A finished run and the folder its outputs and report were written to."""

    result: RunResult
    folder: Path


@dataclass
class PageLog:
    """A browser page and what went wrong while it loaded."""

    page: Any
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    tiles: int = 0


def grey_tile_png() -> bytes:
    image = Image.new("RGB", (256, 256), (224, 224, 224))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
