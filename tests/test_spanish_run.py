"""A run in Spanish writes its unserved details and reason labels in Spanish, codes unchanged.

The island case runs on ``tests/data/osm/B02_island.osm`` with the depot at its node 1. The
oversized case runs on straight lines around Bogotá. The fleet is one van of capacity 100
working 07:00-17:00.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gtm_optimizer import i18n
from gtm_optimizer.pipeline import run
from gtm_optimizer.reporting.report.report_html import write_report_html
from gtm_optimizer.results import RunResult
from gtm_optimizer.scenario import load_scenario

DATA = Path(__file__).parent / "data"

SCENARIO = """
name: {name}
language: es
inputs:
  customers: {customers}
  columns: {{volume_per_visit: demand, revenue_per_week: revenue}}
network: {network}
depots: [{{id: DEP, lat: {depot_lat}, lon: {depot_lon}}}]
fleet:
  - {{name: van, count: 1, depot: DEP, capacity: 100, shift_start: "07:00",
     shift_end: "17:00", cost_per_km: 1.2, cost_per_hour: 25}}
plan: {{territories: 1, working_days: 5}}
solver: {{time_limit_s: 0.2, workers: 1}}
"""


def spanish_run(folder: Path, case: str, **place: str) -> RunResult:
    path = folder / "scenario.yaml"
    text = SCENARIO.format(name=case, customers=DATA / "cases" / f"{case}.csv", **place)
    path.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(i18n._current, "language", "es")
        return run(load_scenario(path))


@pytest.fixture(scope="module")
def island(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    # M05 is 2 m from a two-node road touching nothing else, 401 m from the block.
    network = f"{{path: {DATA / 'osm' / 'B02_island.osm'}}}"
    folder = tmp_path_factory.mktemp("island")
    return spanish_run(folder, "B02", network=network, depot_lat="43.7370", depot_lon="7.4200")


@pytest.fixture(scope="module")
def oversized(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    # C02 orders 150 cases per visit.
    network = "{straight_line: true, service_radius_km: 20}"
    folder = tmp_path_factory.mktemp("oversized")
    return spanish_run(folder, "B10", network=network, depot_lat="4.6533", depot_lon="-74.0836")


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")


def unserved_row(result: RunResult, customer_id: str) -> dict[str, str]:
    return result.unserved.set_index("customer_id").loc[customer_id].to_dict()


def test_island_reason_code_kept(island: RunResult) -> None:
    assert unserved_row(island, "M05")["reason"] == "unreachable_island"


def test_island_detail_spanish(island: RunResult) -> None:
    detail = unserved_row(island, "M05")["detail"]
    assert re.fullmatch(r"vía a \d+ m, vía conectada más cercana a 401 m", detail)


def test_solver_detail_spanish(oversized: RunResult) -> None:
    row = unserved_row(oversized, "C02")
    assert row["detail"] == "demanda 150 > capacidad máxima 100"


def test_solver_reason_code_kept(oversized: RunResult) -> None:
    assert unserved_row(oversized, "C02")["reason"] == "demand_exceeds_capacity"


def test_report_reason_label_spanish(island: RunResult, tmp_path: Path, spanish: None) -> None:
    page = write_report_html(island, tmp_path / "report.html", offline=False, map_href=None)
    html = page.read_text(encoding="utf-8")
    section = html.split('<section id="unserved">', 1)[1].split("</section>", 1)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", section)
    expected = [
        "en una vía desconectada de la red vial de los centros de distribución",
        "unreachable_island",
        "1",
    ]
    assert cells == expected
