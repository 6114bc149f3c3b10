"""Scenario loading: schema checks, inheritance and times of day."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtm_optimizer.errors import ScenarioError
from gtm_optimizer.scenario import format_clock, load_scenario, parse_clock

REPO = Path(__file__).parent.parent
BASELINE = REPO / "scenarios" / "duitama" / "baseline.yaml"

MINIMAL = """
name: tiny
inputs: {customers: customers.csv}
network: {straight_line: true}
depots: [{id: D1, lat: 4.65, lon: -74.08}]
fleet: [{name: van, count: 2, depot: D1, capacity: 100}]
"""


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("07:30", 27000.0), ("7:30", 27000.0), ("08:00:30", 28830.0), ("7:30 PM", 70200.0),
     ("12:00 am", 0.0), ("24:00", 86400.0)],
)
def test_parse_clock_forms(text: str, seconds: float) -> None:
    assert parse_clock(text) == seconds


@pytest.mark.parametrize("text", ["25:00", "7h30", "13:00 PM", "07:60", ""])
def test_parse_clock_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="time"):
        parse_clock(text)


def test_format_clock_rounds_to_minute() -> None:
    assert format_clock(27029.0) == "07:30"


def test_baseline_loads() -> None:
    scenario = load_scenario(BASELINE)
    assert scenario.language == "es"
    assert scenario.n_vehicles == 4
    assert scenario.resolve(scenario.network.path) == BASELINE.parent / "duitama.osm.pbf"


def test_unknown_key_named(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(MINIMAL + "plan: {territory: 3}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"plan\.territory: unknown setting 'territory'"):
        load_scenario(path)


def test_undefined_depot_named(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(MINIMAL.replace("depot: D1", "depot: D9"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="uses depot 'D9', which is not defined"):
        load_scenario(path)


def test_reversed_shift_rejected(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(MINIMAL.replace("capacity: 100", "capacity: 100, shift_start: '17:00', "
                                    "shift_end: '07:00'"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="shift_end 07:00 is not after shift_start 17:00"):
        load_scenario(path)


def test_extends_merges_and_rebases(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "base.yaml").write_text(MINIMAL, encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base/base.yaml\nname: fewer vans\n"
                     "solver: {time_limit_s: 2}\n", encoding="utf-8")
    scenario = load_scenario(child)
    assert scenario.name == "fewer vans"
    assert scenario.solver.time_limit_s == 2
    assert scenario.fleet[0].count == 2
    assert scenario.resolve(scenario.inputs.customers) == tmp_path / "base" / "customers.csv"


def test_extends_cycle_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.yaml")


def test_missing_file_reported(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="Scenario file not found"):
        load_scenario(tmp_path / "absent.yaml")


def test_resolved_dict_loads_elsewhere(tmp_path: Path) -> None:
    from gtm_optimizer.scenario import Scenario

    data = load_scenario(BASELINE).to_resolved_dict()
    again = Scenario.model_validate({**data, "base_dir": tmp_path})
    assert again.resolve(again.network.path) == BASELINE.parent / "duitama.osm.pbf"
    assert again.resolve(again.inputs.customers) == BASELINE.parent / "customers.csv"
