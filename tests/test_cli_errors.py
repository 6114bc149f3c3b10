"""Input mistakes reach the user as a message and exit code 2, never as a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gtm_optimizer.cli import app

DATA = Path(__file__).parent / "data"
EXECUTABLE = Path(sys.executable).parent / "gtm-optimizer"

SCENARIO = """
name: cli errors
language: en
inputs:
  customers: {customers}
  columns: {{volume_per_visit: demand, revenue_per_week: revenue}}
network: {network}
depots: [{{id: DEP_BOG, lat: 4.6533, lon: -74.0836}}]
fleet: [{{name: van, count: 2, depot: DEP_BOG, capacity: 100}}]
plan: {plan}
solver: {{time_limit_s: 1, workers: 1}}
"""


@pytest.fixture(autouse=True)
def _wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Print messages on one line: the CLI's consoles otherwise wrap at 80 columns."""
    from gtm_optimizer import cli

    for console in (cli.console, cli.error_console):
        monkeypatch.setattr(console, "width", 250)


def environment(tmp_path: Path) -> dict[str, str]:
    """Keep the run log and the matrix cache in the test folder, and lines unwrapped."""
    return {
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "COLUMNS": "200",
        "GTM_OPTIMIZER_LANG": "en",
    }


def scenario_file(
    tmp_path: Path,
    *,
    customers: Path | None = None,
    network: str = "{straight_line: true}",
    plan: str = "{territories: 2}",
) -> Path:
    path = tmp_path / "scenario.yaml"
    customers = customers or DATA / "cases" / "B16.csv"
    text = SCENARIO.format(customers=customers, network=network, plan=plan)
    path.write_text(text, encoding="utf-8")
    return path


def broken_osm(tmp_path: Path) -> Path:
    path = tmp_path / "broken.osm"
    path.write_text('<osm version="0.6"><node id="1" lat="4.6" lon=', encoding="utf-8")
    return path


def mistakes(tmp_path: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:
    """Each input mistake: the scenario file to run and pieces of the expected message."""
    invalid_yaml = tmp_path / "invalid.yaml"
    invalid_yaml.write_text("name: [unclosed\n", encoding="utf-8")
    folder = {name: tmp_path / name for name in ("setting", "customers", "rows", "osm")}
    for path in folder.values():
        path.mkdir()
    return {
        "missing scenario": (tmp_path / "absent.yaml", ("Scenario file not found", "absent.yaml")),
        "invalid yaml": (invalid_yaml, ("invalid.yaml is not valid YAML",)),
        "unknown setting": (
            scenario_file(folder["setting"], plan="{territory: 3}"),
            ("plan.territory: unknown setting 'territory'",),
        ),
        "missing customer file": (
            scenario_file(folder["customers"], customers=tmp_path / "absent.csv"),
            ("absent.csv", "file not found"),
        ),
        "bad rows": (
            scenario_file(folder["rows"], customers=DATA / "cases" / "B06.csv"),
            ("C02", "value is blank"),
        ),
        "corrupt osm": (
            scenario_file(folder["osm"], network=f"{{path: {broken_osm(tmp_path)}}}"),
            ("broken.osm cannot be read",),
        ),
    }


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(
    "mistake",
    [
        "missing scenario",
        "invalid yaml",
        "unknown setting",
        "missing customer file",
        "bad rows",
        "corrupt osm",
    ],
)
def test_mistake_exits_2(tmp_path: Path, command: str, mistake: str) -> None:
    scenario, pieces = mistakes(tmp_path)[mistake]
    arguments = [command, str(scenario)]
    if command == "run":
        arguments += ["--out", str(tmp_path / "out"), "--no-maps"]
    result = CliRunner().invoke(app, arguments, env=environment(tmp_path))

    output = flat(result.stdout + result.stderr)
    assert result.exit_code == 2, output
    for piece in pieces:
        assert piece in output
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()


def test_validate_lists_every_bad_row(tmp_path: Path) -> None:
    scenario, _pieces = mistakes(tmp_path)["bad rows"]
    result = CliRunner().invoke(app, ["validate", str(scenario)], env=environment(tmp_path))
    output = flat(result.stdout)
    for piece in ("│ 3 │ lat │ C02 │", "│ 5 │ lon │ C04 │ NaN │", "│ 6 │ lat │ C05 │ 4,6350 │"):
        assert piece in output


def test_run_lists_every_bad_row(tmp_path: Path) -> None:
    scenario, _pieces = mistakes(tmp_path)["bad rows"]
    arguments = ["run", str(scenario), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, arguments, env=environment(tmp_path))
    output = flat(result.stderr)
    assert "B06.csv, line 3, column lat, customer C02: value is blank" in output
    assert "line 5, column lon, customer C04: value is not a number (value: 'NaN')" in output
    assert "line 6, column lat, customer C05: value is not a number (value: '4,6350')" in output


def test_validate_clean_exits_0(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["validate", str(scenario_file(tmp_path))], env=environment(tmp_path)
    )
    assert result.exit_code == 0, result.output
    assert "3 customers, no problems found" in flat(result.stdout)


def test_validate_customers_option(tmp_path: Path) -> None:
    arguments = [
        "validate",
        str(scenario_file(tmp_path)),
        "--customers",
        str(DATA / "cases" / "B23.csv"),
    ]
    result = CliRunner().invoke(app, arguments, env=environment(tmp_path))
    assert result.exit_code == 2
    assert "customer id appears more than once (lines 4, 5)" in flat(result.stdout)


def test_run_customers_option_missing(tmp_path: Path) -> None:
    arguments = [
        "run",
        str(scenario_file(tmp_path)),
        "--customers",
        str(tmp_path / "no.csv"),
        "--out",
        str(tmp_path / "out"),
    ]
    result = CliRunner().invoke(app, arguments, env=environment(tmp_path))
    assert result.exit_code == 2
    assert "no.csv: file not found" in flat(result.stderr)


def test_too_many_territories_exits_2(tmp_path: Path) -> None:
    scenario = scenario_file(tmp_path, plan="{territories: 5}")
    result = CliRunner().invoke(
        app, ["run", str(scenario), "--out", str(tmp_path / "out")], env=environment(tmp_path)
    )
    assert result.exit_code == 2
    assert "5 territories requested, only 3 customers" in flat(result.stderr)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["universe", "{tmp}/absent.osm.pbf", "--out", "{tmp}/u.csv"], "absent.osm.pbf"),
        (
            ["matrix", "{tmp}/absent.osm", "{tmp}/points.csv", "--out", "{tmp}/m.npz"],
            "points.csv: file not found",
        ),
        (["compare", "{tmp}/absent.yaml", "--out", "{tmp}/compare"], "absent.yaml"),
        (
            [
                "reroute",
                "--plan",
                "{tmp}/plan",
                "--orders",
                "{tmp}/orders.csv",
                "--date",
                "2025-01-06",
                "--out",
                "{tmp}/reroute",
            ],
            "plan",
        ),
    ],
)
def test_other_commands_missing_file(tmp_path: Path, arguments: list[str], message: str) -> None:
    filled = [argument.format(tmp=tmp_path) for argument in arguments]
    result = CliRunner().invoke(app, filled, env=environment(tmp_path))
    output = result.stdout + result.stderr
    assert result.exit_code == 2, output
    assert message in flat(output)
    assert "Traceback" not in output


def test_installed_command_no_traceback(tmp_path: Path) -> None:
    scenario, _pieces = mistakes(tmp_path)["bad rows"]
    completed = subprocess.run(
        [str(EXECUTABLE), "run", str(scenario), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **environment(tmp_path)},
    )
    assert completed.returncode == 2
    assert "B06.csv, line 3, column lat, customer C02: value is blank" in flat(completed.stderr)
    assert "Traceback" not in completed.stdout + completed.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        ["validate", "{scenario}"],
        ["run", "{scenario}", "--out", "{tmp}/out"],
        ["universe", "{tmp}/area.osm", "--out", "{tmp}/u.csv"],
        ["matrix", "{tmp}/area.osm", "{tmp}/points.csv", "--out", "{tmp}/m.npz"],
        ["compare", "{scenario}", "--out", "{tmp}/compare"],
        [
            "reroute",
            "--plan",
            "{tmp}/plan",
            "--orders",
            "{tmp}/orders.csv",
            "--date",
            "2025-01-06",
            "--out",
            "{tmp}/reroute",
        ],
        ["history"],
    ],
)
def test_unknown_lang_exits_2(tmp_path: Path, arguments: list[str]) -> None:
    scenario = scenario_file(tmp_path)
    filled = [argument.format(tmp=tmp_path, scenario=scenario) for argument in arguments]
    result = CliRunner().invoke(app, [*filled, "--lang", "fr"], env=environment(tmp_path))
    output = flat(result.stdout + result.stderr)
    assert result.exit_code == 2, output
    assert "--lang must be es or en; got 'fr'" in output
    assert "Internal error" not in output


def test_validate_title_scenario_problem(tmp_path: Path) -> None:
    # B16.csv has 3 customers, so 5 territories is a setting of the scenario that the data
    # cannot meet; the customer file itself has no problem.
    scenario = scenario_file(tmp_path, plan="{territories: 5}")
    result = CliRunner().invoke(app, ["validate", str(scenario)], env=environment(tmp_path))
    output = flat(result.stdout)
    assert f"Problems in {scenario}" in output
    assert "│ error │ scenario.yaml │" in output


def test_validate_title_several_files(tmp_path: Path) -> None:
    # B06.csv has 3 rows with bad coordinates and 2 good ones; 5 territories is more than
    # those 2 customers.
    customers = DATA / "cases" / "B06.csv"
    scenario = scenario_file(tmp_path, customers=customers, plan="{territories: 5}")
    result = CliRunner().invoke(app, ["validate", str(scenario)], env=environment(tmp_path))
    output = flat(result.stdout)
    assert "Problems found" in output
    assert "Problems in" not in output
    assert "│ error │ scenario.yaml │" in output
    assert "│ error │ B06.csv │ 3 │" in output


def test_validate_counts_plural(tmp_path: Path) -> None:
    scenario = scenario_file(tmp_path, plan="{territories: 5}")
    result = CliRunner().invoke(app, ["validate", str(scenario)], env=environment(tmp_path))
    assert "1 error and 0 warnings found." in flat(result.stderr)


def test_time_unquoted_hint(tmp_path: Path) -> None:
    scenario = scenario_file(tmp_path)
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("100}", "100, shift_end: 17:00}"), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(scenario)], env=environment(tmp_path))
    output = flat(result.stderr)
    assert result.exit_code == 2, output
    assert (
        "fleet[0].shift_end: must be a time of day in quotes; got the number 1020. YAML reads "
        'an unquoted 17:00 as the number 1020: write "17:00" in quotes'
    ) in output
