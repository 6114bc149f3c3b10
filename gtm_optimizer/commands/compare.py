"""``gtm-optimizer compare``: run several scenarios and compare their KPIs side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from gtm_optimizer.cli import (
    LanguageOption,
    VerboseOption,
    app,
    console,
    error_console,
    guarded,
    matrix_cache_dir,
    start_command,
)
from gtm_optimizer.errors import ScenarioError
from gtm_optimizer.i18n import _, set_language

if TYPE_CHECKING:
    from gtm_optimizer.reporting.report.labels import Units


@app.command(
    help=_(
        "Run several scenarios (a baseline first, then what-ifs) and compare their KPIs in "
        "comparison.csv and comparison.html."
    )
)
@guarded
def compare(
    scenarios: Annotated[
        list[Path],
        typer.Argument(help=_("Scenario YAML files; the first is the reference.")),
    ],
    out: Annotated[
        Path, typer.Option(help=_("Folder of the comparison; each run gets a folder inside."))
    ] = Path("out") / "comparison",
    workers: Annotated[
        int,
        typer.Option(
            help=_(
                "Scenarios run at once; 0 picks the count expected to finish first. The "
                "cores are shared between the runs' route solves."
            )
        ),
    ] = 0,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help=_("Seconds per route-day problem."))
    ] = None,
    no_maps: Annotated[bool, typer.Option("--no-maps", help=_("Skip the HTML maps."))] = False,
    offline_maps: Annotated[
        bool, typer.Option("--offline-maps", help=_("Inline the maps' JavaScript and CSS."))
    ] = False,
    lang: LanguageOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Run several scenarios and compare their KPIs side by side."""
    from gtm_optimizer.comparison import load_cases, run_cases
    from gtm_optimizer.reporting.report.comparison import (
        comparison_table,
        write_comparison_csv,
        write_comparison_html,
    )
    from gtm_optimizer.reporting.report.labels import Units

    start_command(lang, verbose)
    overrides: dict[str, Any] = {}
    if time_limit is not None:
        overrides["solver"] = {"time_limit_s": time_limit}
    cases = load_cases(scenarios, **overrides)
    if lang is None:
        set_language(cases[0].scenario.language)
    outcomes = run_cases(
        cases,
        out,
        workers=workers,
        cache_dir=matrix_cache_dir(),
        maps=not no_maps,
        offline_maps=offline_maps,
    )
    failures = [(o.case.scenario.name, o.error) for o in outcomes if not o.ok]
    table = comparison_table(outcomes)
    if table.empty:
        raise ScenarioError(
            _("No scenario finished, so there is nothing to compare:\n{errors}").format(
                errors="\n".join(f"{name}: {message}" for name, message in failures)
            )
        )
    reference = next(outcome for outcome in outcomes if outcome.ok).summary
    units = Units(currency=reference["currency"], volume_unit=reference["volume_unit"])
    write_comparison_csv(table, out / "comparison.csv")
    write_comparison_html(table, out / "comparison.html", units=units, failures=failures)
    _print_comparison(table, units)
    console.print(_("Comparison: {path}").format(path=(out / "comparison.html").resolve()))
    for name, message in failures:
        error_console.print(_("Scenario {name} did not finish:").format(name=name), style="red")
        error_console.print(message, markup=False, highlight=False)
    if failures:
        raise typer.Exit(ScenarioError.exit_code)


def _print_comparison(table: pd.DataFrame, units: Units) -> None:
    from gtm_optimizer.reporting.report.labels import format_delta, format_kpi, kpi_label

    columns = ("cts_per_week", "cts_pct", "contribution_per_week", "customers_served",
               "visits_per_week", "km_per_week")
    keys = [key for key in columns if key in table.columns]
    summary = Table(title=_("Scenario comparison"))
    summary.add_column(_("Scenario"))
    for key in keys:
        summary.add_column(kpi_label(key), justify="right")
    for position, (_index, row) in enumerate(table.iterrows()):
        cells = []
        for key in keys:
            text = format_kpi(key, row[key], units)
            if position > 0:
                text += "\n" + format_delta(
                    key, row[f"{key}_delta"], row[f"{key}_delta_pct"], units
                )
            cells.append(text)
        summary.add_row(str(row["scenario"]), *cells)
    console.print(summary)
