"""The comparison of several runs: ``comparison.csv`` and ``comparison.html``.

Every KPI of the runs' ``summary["kpis"]`` is compared with the first scenario that finished,
the reference: ``<kpi>_delta`` is the difference and ``<kpi>_delta_pct`` that difference as a
percentage of the reference's value (empty when the reference is zero or missing).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from gtm_optimizer.comparison import CaseOutcome
from gtm_optimizer.i18n import _
from gtm_optimizer.reporting.report.charts import cost_service_chart, figures_html
from gtm_optimizer.reporting.report.labels import (
    KPI_KINDS,
    Units,
    format_delta,
    format_kpi,
    is_number,
    kpi_label,
)
from gtm_optimizer.reporting.report.page import render_page, write_page

logger = logging.getLogger(__name__)

CASE_COLUMNS = ("scenario", "folder", "sweep_parameter", "sweep_value")
"""The columns of ``comparison.csv`` that name each scenario, before its KPIs."""

# Service KPIs drawn against weekly cost to serve in comparison.html.
SERVICE_KPIS = ("numeric_distribution_pct", "visits_per_week", "customers_served")


def comparison_table(outcomes: Sequence[CaseOutcome]) -> pd.DataFrame:
    """Return one row per finished run: its KPIs and their change against the first one.

    Runs that failed are left out. The KPI columns come in report order, each followed by
    its ``_delta`` and ``_delta_pct`` columns.
    """
    finished = [outcome for outcome in outcomes if outcome.ok]
    rows = [dict(outcome.summary["kpis"]) for outcome in finished]
    seen = {key for row in rows for key in row}
    keys = [key for key in KPI_KINDS if key in seen]
    keys += sorted(seen - set(keys))
    columns: dict[str, list[Any]] = {
        "scenario": [outcome.case.scenario.name for outcome in finished],
        "folder": [outcome.case.folder for outcome in finished],
        "sweep_parameter": [outcome.case.sweep_parameter for outcome in finished],
        "sweep_value": pd.Series([outcome.case.sweep_value for outcome in finished], dtype=object),
    }
    for key in keys:
        values = [_number(row.get(key)) for row in rows]
        reference = values[0] if values else math.nan
        columns[key] = values
        columns[f"{key}_delta"] = [value - reference for value in values]
        columns[f"{key}_delta_pct"] = [
            100.0 * (value - reference) / abs(reference)
            if math.isfinite(reference) and reference != 0.0
            else math.nan
            for value in values
        ]
    return _whole_counts(pd.DataFrame(columns))


def _whole_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Store count KPIs and their differences as nullable integers, so the CSV shows ``5``."""
    for key, kind in KPI_KINDS.items():
        if kind != "count" or key not in table.columns:
            continue
        for column in (key, f"{key}_delta"):
            values = table[column]
            if values.dropna().apply(float.is_integer).all():
                table[column] = values.round().astype("Int64")
    return table


def _number(value: Any) -> float:
    return float(value) if is_number(value) else math.nan


def kpi_keys(table: pd.DataFrame) -> list[str]:
    """Return the KPI columns of a comparison table, without the delta columns."""
    return [
        column
        for column in table.columns
        if column not in CASE_COLUMNS and not column.endswith(("_delta", "_delta_pct"))
    ]


def write_comparison_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write the comparison table as CSV, with machine column names, and return ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False)
    return path


def write_comparison_html(
    table: pd.DataFrame,
    path: Path,
    *,
    units: Units,
    failures: Sequence[tuple[str, str]] = (),
    offline: bool = True,
) -> Path:
    """Write ``comparison.html``: the KPIs side by side with their changes, and charts.

    Parameters
    ----------
    table
        The comparison table of :func:`comparison_table`.
    path
        The HTML file to write; each scenario's run folder is expected beside it, under the
        name in the table's ``folder`` column, and is linked.
    units
        Currency and volume unit of the reference scenario.
    failures
        ``(scenario, error message)`` of the runs that did not finish, listed on the page.
    offline
        Inline plotly.js so that the page works without internet.
    """
    figures = [
        (f"cost-vs-{service}", cost_service_chart(table, service=service, currency=units.currency))
        for service in SERVICE_KPIS
        if service in table.columns and table[service].notna().any()
    ]
    charts = figures_html(figures, offline=offline) if len(table) else []
    html = render_page(
        "comparison.html",
        page_title=_("Scenario comparison"),
        title=_("Scenario comparison"),
        headings=_headings(),
        scenarios=_scenario_headers(table),
        rows=kpi_rows(table, units),
        charts=[Markup(chart) for chart in charts],
        failures=list(failures),
    )
    write_page(path, html)
    logger.info(
        _("Wrote the comparison {path}: {scenarios} scenarios, {charts} charts").format(
            path=path, scenarios=len(table), charts=len(charts)
        )
    )
    return Path(path)


def kpi_rows(table: pd.DataFrame, units: Units) -> list[dict[str, Any]]:
    """Return one row per KPI: its label, and each scenario's value and change, formatted.

    A KPI that no scenario has a value for is left out.
    """
    rows = []
    for key in kpi_keys(table):
        if not table[key].notna().any():
            continue
        cells = []
        for position, (_index, scenario) in enumerate(table.iterrows()):
            cells.append(
                {
                    "value": format_kpi(key, scenario[key], units),
                    "delta": ""
                    if position == 0
                    else format_delta(
                        key, scenario[f"{key}_delta"], scenario[f"{key}_delta_pct"], units
                    ),
                }
            )
        rows.append({"key": key, "label": kpi_label(key), "cells": cells})
    return rows


def _scenario_headers(table: pd.DataFrame) -> list[dict[str, str]]:
    return [
        {
            "name": str(row["scenario"]),
            "href": f"{row['folder']}/report.html",
            "folder": str(row["folder"]),
        }
        for _index, row in table.iterrows()
    ]


def _headings() -> dict[str, str]:
    return {
        "kpis": _("Key figures side by side"),
        "indicator": _("Indicator"),
        "reference": _("reference"),
        "delta_note": _("Changes are against the first scenario, the reference."),
        "charts": _("Cost and service"),
        "failures": _("Scenarios that did not finish"),
        "run_report": _("run report"),
    }
