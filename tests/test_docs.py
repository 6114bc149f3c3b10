"""The user documentation in docs/: generated references current, every column and term covered.

The guides are checked against the code's own lists (input columns, output columns, reasons,
commands), so a column added to the product without a line in both guides fails here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pytest
import typer

from gtm_optimizer import reference
from gtm_optimizer.inputs.customers import OPTIONAL, REQUIRED
from gtm_optimizer.inputs.problems import REJECT_COLUMNS
from gtm_optimizer.network.snapping import (
    REASON_INVALID_COORDINATES,
    REASON_ISLAND,
    REASON_ONE_WAY,
    REASON_OUTSIDE,
    REASON_TOO_FAR,
)
from gtm_optimizer.reporting.writers import CUSTOMER_COLUMNS, STOP_COLUMNS
from solvers.routing import UNSERVED_REASONS

REPO = Path(__file__).parent.parent
DOCS = REPO / "docs"
GUIDES = ("guide.md", "guia.md")
SNAP_REASONS = (
    REASON_INVALID_COORDINATES,
    REASON_OUTSIDE,
    REASON_TOO_FAR,
    REASON_ONE_WAY,
    REASON_ISLAND,
)
GLOSSARY_TERMS = (
    "rutero",
    "drop size",
    "cartera",
    "numeric distribution",
    "cost to serve",
    "territory",
    "visit frequency",
    "visit pattern",
    "route",
    "depot",
    "service time",
    "time window",
    "shift",
    "workload",
    "CTS %",
    "channel",
    "universe",
    "customer",
)


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _undocumented(names: tuple[str, ...] | list[str], guide: str) -> list[str]:
    text = _text(guide)
    return [name for name in names if f"`{name}`" not in text]


# Generated references ----------------------------------------------------------------------


def test_references_current() -> None:
    stale = reference.stale_references(DOCS)
    assert stale == [], (
        f"docs/{', docs/'.join(stale)} out of date; regenerate with "
        f"`.venv/bin/python -m {reference.__name__}` from the repository root"
    )


def test_every_setting_described() -> None:
    assert reference.settings_without_description() == []


def test_check_reports_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference, "render_references", lambda: {"a.md": "# A\n"})
    assert reference.main(["--out", str(tmp_path), "--check"]) == 1


def test_check_passes_after_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference, "render_references", lambda: {"a.md": "# A\n"})
    reference.main(["--out", str(tmp_path)])
    assert reference.main(["--out", str(tmp_path), "--check"]) == 0


def test_check_reports_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference, "render_references", lambda: {"a.md": "# A\n"})
    (tmp_path / "a.md").write_text("# B\n", encoding="utf-8")
    assert reference.main(["--out", str(tmp_path), "--check"]) == 1


def test_unknown_cli_language() -> None:
    with pytest.raises(ValueError, match="language 'fr' has no CLI reference"):
        reference.cli_reference_in("fr")


def test_scenario_reference_rows() -> None:
    text = reference.scenario_reference()
    row = "| `fleet.capacity` | number, > 0 | required | In the unit of the customers' volume. |"
    assert row in text


def test_scenario_reference_sections() -> None:
    headings = re.findall(r"^## (.+)$", reference.scenario_reference(), flags=re.MULTILINE)
    expected = [
        "Top level",
        "`inputs`",
        "`network`",
        "`depots`",
        "`fleet`",
        "`costs`",
        "`channels`",
        "`plan`",
        "`solver`",
    ]
    assert headings == expected


@pytest.mark.parametrize(
    ("prop", "expected"),
    [
        ({"type": "number", "exclusiveMinimum": 0}, "number, > 0"),
        ({"type": "integer", "minimum": 1, "maximum": 50}, "integer, ≥ 1, ≤ 50"),
        ({"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}]}, "number, ≥ 0, or empty"),
        ({"enum": ["time", "marginal"], "type": "string"}, 'one of `"time"`, `"marginal"`'),
        (
            {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "list of text, at least 1",
        ),
        ({"type": "object", "additionalProperties": {"type": "number"}}, "map of text to number"),
        ({"type": "string", "format": "path"}, "path"),
        ({"anyOf": [{"type": "integer"}, {"const": "auto"}]}, 'integer or `"auto"`'),
    ],
)
def test_type_text(prop: dict, expected: str) -> None:
    assert reference._type_text(prop) == expected


@pytest.mark.parametrize(
    ("prop", "expected"),
    [
        ({"default": "07:00"}, '`"07:00"`'),
        ({"default": None}, "empty"),
        ({"default": 0.05}, "`0.05`"),
        ({"type": "object"}, "`{}`"),
        ({"type": "array"}, "`[]`"),
    ],
)
def test_default_text(prop: dict, expected: str) -> None:
    assert reference._default_text(prop) == expected


def _sample(
    points: Annotated[Path, typer.Argument(help="Points file.")],
    out: Annotated[Path, typer.Option(help="Output | file.")],
    profile: Annotated[str, typer.Option(help="Vehicle profile.")] = "van",
    fast: Annotated[bool, typer.Option(help="Go fast.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="More.")] = False,
) -> None:
    """Sample command."""


def test_command_section_rows() -> None:
    lines = reference._command_section(
        "sample", "Sample command.", _sample, reference.CLI_LABELS["en"]
    )
    expected = [
        "## `gtm-optimizer sample`",
        "",
        "Sample command.",
        "",
        "```",
        "gtm-optimizer sample [OPTIONS] POINTS",
        "```",
        "",
        "| argument | type | description |",
        "| --- | --- | --- |",
        "| `POINTS` | PATH | Points file. |",
        "",
        "| option | type | default | description |",
        "| --- | --- | --- | --- |",
        "| `--out` | PATH | required | Output \\| file. |",
        "| `--profile` | TEXT | `van` | Vehicle profile. |",
        "| `--fast/--no-fast` | flag |  | Go fast. |",
        "| `--verbose` `-v` | flag |  | More. |",
        "",
    ]
    assert lines == expected


# Guides ------------------------------------------------------------------------------------


@pytest.mark.parametrize("guide", GUIDES)
def test_input_columns_documented(guide: str) -> None:
    assert _undocumented([*REQUIRED, *OPTIONAL], guide) == []


@pytest.mark.parametrize("guide", GUIDES)
def test_customer_columns_documented(guide: str) -> None:
    assert _undocumented(CUSTOMER_COLUMNS, guide) == []


@pytest.mark.parametrize("guide", GUIDES)
def test_stop_columns_documented(guide: str) -> None:
    assert _undocumented(STOP_COLUMNS, guide) == []


@pytest.mark.parametrize("guide", GUIDES)
def test_reject_columns_documented(guide: str) -> None:
    assert _undocumented(REJECT_COLUMNS, guide) == []


@pytest.mark.parametrize("guide", GUIDES)
def test_unserved_reasons_documented(guide: str) -> None:
    assert _undocumented([*SNAP_REASONS, *UNSERVED_REASONS], guide) == []


@pytest.mark.parametrize("guide", GUIDES)
def test_commands_documented(guide: str) -> None:
    names = reference.command_names()
    text = _text(guide)
    assert [name for name in names if f"`gtm-optimizer {name}" not in text] == []


def test_glossary_terms() -> None:
    headings = re.findall(r"^## (.+)$", _text("glossary.md"), flags=re.MULTILINE)
    missing = [
        term
        for term in GLOSSARY_TERMS
        if not any(term.casefold() in heading.casefold() for heading in headings)
    ]
    assert missing == []


@pytest.mark.parametrize("name", ["guide.md", "guia.md", "glossary.md"])
def test_links_resolve(name: str) -> None:
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", _text(name))
    local = [target for target in targets if "://" not in target]
    assert [target for target in local if not (DOCS / target).is_file()] == []


@pytest.mark.parametrize(
    ("readme", "guide"), [("README.md", "docs/guide.md"), ("README.es.md", "docs/guia.md")]
)
def test_readme_links_guide(readme: str, guide: str) -> None:
    assert f"]({guide})" in (REPO / readme).read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["README.md", "README.es.md", "docs/guide.md", "docs/guia.md"])
@pytest.mark.parametrize("variable", ["GTM_OPTIMIZER_LANG", "LANG"])
def test_help_language_variables_documented(page: str, variable: str) -> None:
    # The help is built before --lang is read, so these variables are the only way to get it
    # in Spanish.
    assert f"`{variable}`" in (REPO / page).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("guide", "phrase"),
    [
        ("guide.md", "whose `route_id` is the route-day the visit was planned on"),
        ("guia.md", "`route_id` es la ruta del día en que estaba planeada"),
    ],
)
def test_unserved_route_id_documented(guide: str, phrase: str) -> None:
    section = _text(guide).split("### unserved.csv", 1)[1].split("\n### ", 1)[0]
    assert phrase in " ".join(section.split())
