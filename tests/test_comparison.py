"""Scenario comparisons: sweeps, settings inheritance, sharing cores and the compare command."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from gtm_optimizer.cli import app
from gtm_optimizer.comparison import (
    Sweep,
    load_cases,
    parse_sweep,
    read_settings,
    set_setting,
    share_workers,
)
from gtm_optimizer.comparison import runs as runs_module
from gtm_optimizer.errors import ScenarioError

REPO = Path(__file__).parent.parent
DUITAMA = REPO / "scenarios" / "duitama"

BASE = """
name: Tiny base
language: en
inputs: {customers: customers.csv}
network: {straight_line: true, straight_line_speed_kph: 30}
depots: [{id: D1, lat: 4.6500, lon: -74.0800}]
fleet:
  - {name: van, count: 2, depot: D1, capacity: 100, fixed_cost_per_day: 1000,
     cost_per_km: 10, cost_per_hour: 100}
plan: {territories: 2}
solver: {time_limit_s: 0.2, seed: 1, territory_time_limit_s: 5}
"""

# Six customers within about 2 km of the depot, visited once or twice a week.
CUSTOMERS = """customer_id,lat,lon,revenue_per_week,volume_per_week,visits_per_week,service_min
A,4.6550,-74.0800,100000,5,1,10
B,4.6600,-74.0750,200000,10,2,10
C,4.6450,-74.0850,150000,5,1,15
D,4.6400,-74.0900,300000,20,1,10
E,4.6520,-74.0700,120000,4,1,10
F,4.6480,-74.0950,90000,3,1,10
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A folder with the tiny base scenario and its customers."""
    write(tmp_path / "customers.csv", CUSTOMERS)
    write(tmp_path / "base.yaml", BASE)
    return tmp_path


# --- setting a dotted path -------------------------------------------------------------------


def test_set_setting_list_index() -> None:
    settings = {"fleet": [{"count": 4}, {"count": 1}]}
    changed = set_setting(settings, "fleet.1.count", 2)
    assert changed["fleet"][1]["count"] == 2


def test_set_setting_leaves_input() -> None:
    settings = {"fleet": [{"count": 4}]}
    set_setting(settings, "fleet.0.count", 3)
    assert settings["fleet"][0]["count"] == 4


def test_set_setting_creates_section() -> None:
    changed = set_setting({"name": "x"}, "solver.time_limit_s", 2)
    assert changed["solver"] == {"time_limit_s": 2}


def test_set_setting_replaces_list_item() -> None:
    changed = set_setting({"values": [1, 2, 3]}, "values.2", 9)
    assert changed["values"] == [1, 2, 9]


def test_set_setting_index_out_of_range() -> None:
    with pytest.raises(ScenarioError, match="index 3 is out of range; the list has 1 items"):
        set_setting({"fleet": [{"count": 4}]}, "fleet.3.count", 2)


def test_set_setting_index_not_number() -> None:
    with pytest.raises(ScenarioError, match="'first' is not a list index"):
        set_setting({"fleet": [{"count": 4}]}, "fleet.first.count", 2)


def test_set_setting_through_value() -> None:
    with pytest.raises(ScenarioError, match="name is a single value, not a section or a list"):
        set_setting({"name": "x"}, "name.first", 2)


# --- sweep sections --------------------------------------------------------------------------


def test_sweep_rejects_repeats() -> None:
    with pytest.raises(ValueError, match="sweep values repeat 3"):
        Sweep(parameter="fleet.0.count", values=(3, 4, 3))


def test_sweep_rejects_empty_part() -> None:
    with pytest.raises(ValueError, match=r"'fleet\.\.count' is not a dotted path"):
        Sweep(parameter="fleet..count", values=(3,))


def test_parse_sweep_reads_values() -> None:
    sweep = parse_sweep({"parameter": "fleet.0.count", "values": [3, 4]}, path=Path("s.yaml"))
    assert sweep == Sweep(parameter="fleet.0.count", values=(3, 4))


def test_parse_sweep_extra_key() -> None:
    section = {"parameter": "fleet.0.count", "values": [3], "step": 1}
    with pytest.raises(ScenarioError, match="must have exactly two keys"):
        parse_sweep(section, path=Path("s.yaml"))


def test_parse_sweep_empty_values() -> None:
    with pytest.raises(ScenarioError, match="must be a non-empty list"):
        parse_sweep({"parameter": "fleet.0.count", "values": []}, path=Path("s.yaml"))


def test_parse_sweep_repeated_values() -> None:
    section = {"parameter": "fleet.0.count", "values": [3, 3]}
    with pytest.raises(ScenarioError, match="sweep values repeat 3"):
        parse_sweep(section, path=Path("s.yaml"))


# --- reading settings with extends -----------------------------------------------------------


def test_read_settings_merges_parent(study: Path) -> None:
    child = write(study / "child.yaml", "extends: base.yaml\nsolver: {seed: 9}\n")
    settings = read_settings(child)
    assert settings["solver"] == {"time_limit_s": 0.2, "seed": 9, "territory_time_limit_s": 5}


def test_read_settings_parent_paths_absolute(study: Path) -> None:
    child = write(study / "whatif" / "child.yaml", "extends: ../base.yaml\n")
    settings = read_settings(child)
    assert settings["inputs"]["customers"] == str(study / "customers.csv")


def test_read_settings_drops_parent_sweep(study: Path) -> None:
    parent = write(
        study / "sweep.yaml",
        "extends: base.yaml\nsweep: {parameter: fleet.0.count, values: [1, 2]}\n",
    )
    child = write(study / "child.yaml", f"extends: {parent.name}\n")
    assert "sweep" not in read_settings(child)


def test_read_settings_cycle(study: Path) -> None:
    write(study / "a.yaml", "extends: b.yaml\n")
    write(study / "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match=r"in a cycle: a\.yaml -> b\.yaml -> a\.yaml"):
        read_settings(study / "a.yaml")


def test_read_settings_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="Scenario file not found"):
        read_settings(tmp_path / "absent.yaml")


# --- loading the cases of a comparison -------------------------------------------------------


def test_load_cases_expands_sweep(study: Path) -> None:
    write(
        study / "vans.yaml",
        "extends: base.yaml\nname: Vans\nsweep: {parameter: fleet.0.count, values: [1, 3]}\n",
    )
    cases = load_cases([study / "base.yaml", study / "vans.yaml"])
    assert [case.folder for case in cases] == ["base", "vans-1", "vans-3"]
    assert [case.scenario.name for case in cases] == ["Tiny base", "Vans 1", "Vans 3"]
    assert [case.scenario.n_vehicles for case in cases] == [2, 1, 3]
    assert [case.sweep_value for case in cases] == [None, 1, 3]
    assert cases[1].sweep_parameter == "fleet.0.count"


def test_load_cases_folder_safe_value(study: Path) -> None:
    write(
        study / "tol.yaml",
        "extends: base.yaml\nsweep: {parameter: plan.workload_tolerance, values: [0.05, 0.1]}\n",
    )
    cases = load_cases([study / "tol.yaml"])
    assert [case.folder for case in cases] == ["tol-0.05", "tol-0.1"]
    assert cases[1].scenario.plan.workload_tolerance == 0.1


def test_load_cases_overrides_before_sweep(study: Path) -> None:
    write(
        study / "limits.yaml",
        "extends: base.yaml\nsweep: {parameter: solver.time_limit_s, values: [1, 2]}\n",
    )
    cases = load_cases([study / "base.yaml", study / "limits.yaml"], solver={"time_limit_s": 0.5})
    assert [case.scenario.solver.time_limit_s for case in cases] == [0.5, 1.0, 2.0]


def test_load_cases_same_folder_twice(study: Path) -> None:
    with pytest.raises(ScenarioError, match="Two scenarios would write to the same folder base"):
        load_cases([study / "base.yaml", study / "base.yaml"])


def test_load_cases_invalid_variant(study: Path) -> None:
    write(
        study / "bad.yaml",
        "extends: base.yaml\nsweep: {parameter: fleet.0.count, values: [2, 0]}\n",
    )
    with pytest.raises(ScenarioError, match=r"fleet\.0\.count: Input should be greater"):
        load_cases([study / "bad.yaml"])


def test_load_cases_unknown_setting(study: Path) -> None:
    write(
        study / "bad.yaml", "extends: base.yaml\nsweep: {parameter: plan.territory, values: [2]}\n"
    )
    with pytest.raises(ScenarioError, match=r"plan\.territory: Extra inputs"):
        load_cases([study / "bad.yaml"])


# --- sharing the cores -----------------------------------------------------------------------


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs_module, "worker_count", lambda requested: requested or 2)


# On two cores, two or four scenarios run two at a time. One or three run one at a time
# with both cores for their routes, because a third run alone would leave a core idle.
@pytest.mark.usefixtures("two_cores")
@pytest.mark.parametrize(
    ("n_cases", "workers", "expected"),
    [
        (1, 0, (1, 2)),
        (2, 0, (2, 1)),
        (3, 0, (1, 2)),
        (4, 0, (2, 1)),
        (3, 1, (1, 2)),
        (3, 2, (2, 1)),
        (2, 4, (2, 1)),
        (5, 3, (3, 1)),
    ],
)
def test_share_workers(n_cases: int, workers: int, expected: tuple[int, int]) -> None:
    assert share_workers(n_cases, workers=workers) == expected


# --- the Duitama what-ifs --------------------------------------------------------------------


@pytest.fixture(scope="module")
def duitama_cases() -> dict[str, object]:
    names = ("baseline", "fewer_reps", "min_drop_telesales", "second_depot", "reps_sweep")
    cases = load_cases([DUITAMA / f"{name}.yaml" for name in names])
    return {case.folder: case for case in cases}


def test_duitama_folders(duitama_cases: dict[str, object]) -> None:
    assert list(duitama_cases) == [
        "baseline",
        "fewer_reps",
        "min_drop_telesales",
        "second_depot",
        "reps_sweep-3",
        "reps_sweep-4",
        "reps_sweep-5",
    ]


def test_duitama_fewer_reps(duitama_cases: dict) -> None:
    scenario = duitama_cases["fewer_reps"].scenario
    assert scenario.n_vehicles == 3
    assert scenario.plan.territories == 3


def test_duitama_fewer_reps_same_costs(duitama_cases: dict) -> None:
    fewer = duitama_cases["fewer_reps"].scenario.fleet[0]
    baseline = duitama_cases["baseline"].scenario.fleet[0]
    assert fewer.model_copy(update={"count": baseline.count}) == baseline


def test_duitama_second_depot_fleet(duitama_cases: dict) -> None:
    scenario = duitama_cases["second_depot"].scenario
    assert [(vehicle.depot, vehicle.count) for vehicle in scenario.fleet] == [
        ("CD-DUITAMA", 3),
        ("CD-ORIENTE", 1),
    ]


def test_duitama_min_drop_channels(duitama_cases: dict) -> None:
    channels = duitama_cases["min_drop_telesales"].scenario.channels
    assert channels.allowed == ("direct", "telesales")
    assert channels.min_drop_size == 8.0
    assert channels.max_rounds == 1


def test_duitama_min_drop_telesales_costs(duitama_cases: dict) -> None:
    costs = duitama_cases["min_drop_telesales"].scenario.costs
    assert (costs.telesales_cost_per_order, costs.partner_delivery_cost_per_drop) == (
        4000.0,
        22000.0,
    )


def test_duitama_min_drop_share() -> None:
    # The scenario file states that 77 of the 341 customers, 5.1 % of the weekly revenue,
    # order less than 8 cajas per visit.
    rows = _csv_rows(DUITAMA / "customers.csv")
    small = [row for row in rows if _volume_per_visit(row) < 8.0]
    revenue_pct = (
        100.0
        * sum(float(row["revenue_per_week"]) for row in small)
        / sum(float(row["revenue_per_week"]) for row in rows)
    )
    assert (len(small), len(rows)) == (77, 341)
    assert round(revenue_pct, 1) == 5.1


def test_duitama_sweep_territories(duitama_cases: dict) -> None:
    counts = [duitama_cases[f"reps_sweep-{n}"].scenario.plan.territories for n in (3, 4, 5)]
    assert counts == [3, 4, 5]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _volume_per_visit(row: dict[str, str]) -> float:
    return float(row["volume_per_week"]) / float(row["visits_per_week"])


# --- the compare command ---------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, Path]]:
    """The compare command run on the base and a sweep of one and two vans."""
    folder = tmp_path_factory.mktemp("compare")
    write(folder / "customers.csv", CUSTOMERS)
    write(folder / "base.yaml", BASE)
    write(
        folder / "vans.yaml",
        "extends: base.yaml\nname: Vans\nsweep: {parameter: fleet.0.count, values: [1, 2]}\n"
        "plan: {territories: 1}\n",
    )
    out = folder / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        patch.setenv("XDG_STATE_HOME", str(folder / "state"))
        outcome = CliRunner().invoke(
            app,
            [
                "compare",
                str(folder / "base.yaml"),
                str(folder / "vans.yaml"),
                "--out",
                str(out),
                "--workers",
                "2",
                "--no-maps",
                "--lang",
                "en",
            ],
        )
        yield outcome, out


def test_compare_exit_code(compared: tuple) -> None:
    outcome, _out = compared
    assert outcome.exit_code == 0, outcome.output


def test_compare_run_folders(compared: tuple) -> None:
    _outcome, out = compared
    for folder in ("base", "vans-1", "vans-2"):
        assert (out / folder / "summary.json").is_file(), folder


def test_compare_csv_rows(compared: tuple) -> None:
    _outcome, out = compared
    table = pd.read_csv(out / "comparison.csv")
    assert list(table["scenario"]) == ["Tiny base", "Vans 1", "Vans 2"]


def test_compare_csv_matches_summaries(compared: tuple) -> None:
    _outcome, out = compared
    table = pd.read_csv(out / "comparison.csv").set_index("folder")
    for folder in ("base", "vans-1", "vans-2"):
        kpis = json.loads((out / folder / "summary.json").read_text(encoding="utf-8"))["kpis"]
        assert table.loc[folder, "cts_per_week"] == pytest.approx(kpis["cts_per_week"]), folder


def test_compare_csv_deltas(compared: tuple) -> None:
    _outcome, out = compared
    table = pd.read_csv(out / "comparison.csv")
    expected = table["km_per_week"] - table["km_per_week"].iloc[0]
    assert table["km_per_week_delta"].tolist() == pytest.approx(expected.tolist())


def test_compare_territories_differ(compared: tuple) -> None:
    _outcome, out = compared
    table = pd.read_csv(out / "comparison.csv")
    assert table["territories"].tolist() == [2, 1, 1]


def test_compare_html_written(compared: tuple) -> None:
    _outcome, out = compared
    html = (out / "comparison.html").read_text(encoding="utf-8")
    assert html.count('<a href="vans-2/report.html">') == 1


def test_compare_failed_scenario(study: Path, cli_env: None) -> None:
    write(
        study / "broken.yaml",
        "extends: base.yaml\nname: Broken\ninputs: {customers: absent.csv}\n",
    )
    out = study / "out"
    outcome = CliRunner().invoke(
        app,
        [
            "compare",
            str(study / "base.yaml"),
            str(study / "broken.yaml"),
            "--out",
            str(out),
            "--workers",
            "1",
            "--no-maps",
            "--lang",
            "en",
        ],
    )
    assert outcome.exit_code == 2
    assert "Scenario Broken did not finish" in outcome.output
    assert "file not found" in outcome.output
    assert pd.read_csv(out / "comparison.csv")["folder"].tolist() == ["base"]


def test_compare_missing_file(tmp_path: Path, cli_env: None) -> None:
    outcome = CliRunner().invoke(app, ["compare", str(tmp_path / "absent.yaml"), "--lang", "en"])
    assert outcome.exit_code == 2
    assert "Scenario file not found" in outcome.output


def test_compare_shows_contribution(compared: tuple) -> None:
    # comparison.csv shows what a what-if gives up in margin beside what it saves in cost.
    _outcome, out = compared
    table = pd.read_csv(out / "comparison.csv").set_index("folder")
    for folder in ("base", "vans-1", "vans-2"):
        kpis = json.loads((out / folder / "summary.json").read_text(encoding="utf-8"))["kpis"]
        assert table.loc[folder, "contribution_per_week"] == pytest.approx(
            kpis["contribution_per_week"]), folder
