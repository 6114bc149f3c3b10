"""The run report: one HTML page with the KPIs, territories, cost-to-serve charts and map.

The page lives in the run's output folder beside ``maps/``, whose index map it embeds.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from gtm_optimizer.code_labels import reason_label
from gtm_optimizer.i18n import _, ngettext
from gtm_optimizer.reporting.report.charts import (
    channel_mix,
    cts_histogram,
    cts_waterfall,
    figures_html,
)
from gtm_optimizer.reporting.report.columns import column_label
from gtm_optimizer.reporting.report.labels import (
    KPI_KINDS,
    Units,
    format_delta,
    format_kpi,
    format_number,
    is_number,
    kpi_label,
)
from gtm_optimizer.reporting.report.page import render_page, write_page
from gtm_optimizer.results import RunResult

logger = logging.getLogger(__name__)

MAP_HREF = "maps/index.html"
"""Address of the index map, relative to the report in the run folder."""

# Columns of the territory table and the number of decimals of each (None: text).
TERRITORY_COLUMNS: dict[str, int | None] = {
    "territory_id": None,
    "n_customers": 0,
    "revenue_per_week": 0,
    "workload_h_per_week": 1,
    "routes_per_week": 1,
    "km_per_week": 1,
    "travel_h_per_week": 1,
    "cts_per_week": 0,
    "cts_pct": 1,
    "balance_index": 2,
}
_MONEY_COLUMNS = ("revenue_per_week", "cts_per_week")


def write_report_html(
    result: RunResult,
    path: Path,
    *,
    offline: bool = True,
    map_href: str | None = MAP_HREF,
) -> Path:
    """Write the run report ``report.html``.

    Parameters
    ----------
    result
        A finished run.
    path
        The HTML file to write; its folder is created if missing.
    offline
        Inline plotly.js (about 5 MB) so that the report opens without internet; otherwise
        the charts load it from the plotly CDN.
    map_href
        Address of the index map, relative to ``path``, shown in a frame; ``None`` leaves the
        map out (for a run written without maps).

    Returns
    -------
    Path
        ``path``.
    """
    started_s = time.perf_counter()
    summary = result.summary
    units = Units(currency=summary["currency"], volume_unit=summary["volume_unit"])
    customers = pd.DataFrame(result.customers.drop(columns="geometry"))
    figures = [
        ("cts-histogram", cts_histogram(customers)),
        ("cts-waterfall", cts_waterfall(customers, currency=units.currency)),
        ("channel-mix", channel_mix(customers)),
    ]
    html = render_page(
        "report.html",
        page_title=_("Run report: {name}").format(name=summary["scenario"]),
        title=_("Run report: {name}").format(name=summary["scenario"]),
        description=result.scenario.description,
        distance_note=distance_note(summary["distance_source"]),
        headings=_headings(),
        cards=kpi_cards(summary["kpis"], units),
        territory_table=territory_table(result.territories, units),
        channel_table=channel_assignment_table(summary.get("channel_assignment"), units),
        charts=[Markup(chart) for chart in figures_html(figures, offline=offline)],
        unserved_rows=unserved_rows(summary.get("unserved_by_reason", {})),
        assumptions=summary.get("assumptions", ""),
        map_href=map_href,
    )
    write_page(path, html)
    logger.info(
        ngettext(
            "Wrote the run report {path}: {kpis} KPIs, {territories} territory in {seconds} s",
            "Wrote the run report {path}: {kpis} KPIs, {territories} territories in {seconds} s",
            len(result.territories),
        ).format(
            path=path,
            kpis=len(summary["kpis"]),
            territories=len(result.territories),
            seconds=f"{time.perf_counter() - started_s:.1f}",
        )
    )
    return Path(path)


def distance_note(source: str) -> str:
    """Return the sentence that names the distances the run used."""
    if source == "osm_road_network":
        return _("Distances and times along the OpenStreetMap road network.")
    if source == "straight_line":
        return _("Distances are straight lines times a circuity factor; no road data was used.")
    return _("Distance source: {source}").format(source=source)


def unserved_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """Return ``(label, reason code, count)`` per unserved reason, sorted by code.

    The code is the one in ``unserved.csv``, so that a reader can find the rows.
    """
    return [(reason_label(code), code, count) for code, count in sorted(counts.items())]


def kpi_cards(kpis: dict[str, Any], units: Units) -> list[dict[str, str]]:
    """Return one ``{key, label, value}`` card per KPI: known KPIs first, in report order."""
    keys = [key for key in KPI_KINDS if key in kpis]
    keys += [key for key in kpis if key not in KPI_KINDS]
    return [
        {"key": key, "label": kpi_label(key), "value": format_kpi(key, kpis[key], units)}
        for key in keys
    ]


def territory_table(territories: pd.DataFrame, units: Units) -> dict[str, list[Any]]:
    """Return the headers and formatted rows of the territory table, sorted by territory."""
    columns = [column for column in TERRITORY_COLUMNS if column in territories.columns]
    headers = []
    for column in columns:
        label = column_label(column)
        if column in _MONEY_COLUMNS:
            label = _("{label} ({unit})").format(label=label, unit=units.currency)
        headers.append(label)
    rows = []
    for _index, territory in territories.sort_values("territory_id").iterrows():
        cells = []
        for column in columns:
            decimals = TERRITORY_COLUMNS[column]
            value = territory[column]
            text = str(value) if decimals is None else format_number(value, decimals=decimals)
            cells.append(text)
        rows.append(cells)
    return {"headers": headers, "rows": rows}


def channel_assignment_table(view: dict[str, dict[str, float]] | None,
                             units: Units) -> dict[str, list[Any]] | None:
    """Return the before-and-after table of the channel assignment, or None without one.

    ``view`` is the summary's ``channel_assignment``: the plan with every customer on a
    direct route (``before``) and the plan after the channel loop (``after``), with the same
    measures. Each row is a measure with both values and the change.
    """
    if not view:
        return None
    before, after = view["before"], view["after"]
    rows = []
    for key in before:
        first, last = before[key], after.get(key, math.nan)
        delta: float | None = None
        delta_pct: float | None = None
        if is_number(first) and is_number(last):
            delta = last - first
            delta_pct = 100.0 * delta / abs(first) if first else None
        rows.append([kpi_label(key), format_kpi(key, first, units),
                     format_kpi(key, last, units), format_delta(key, delta, delta_pct, units)])
    headers = [_("Measure"), _("Every customer direct"), _("After channel assignment"),
               _("Change")]
    return {"headers": headers, "rows": rows}


def _headings() -> dict[str, str]:
    return {
        "kpis": _("Key figures"),
        "territories": _("Territories"),
        "cost_to_serve": _("Cost to serve"),
        "unserved": _("Unserved visits and customers, by reason"),
        "unserved_note": _(
            "A customer that no route can reach, or that no channel serves at a profit, counts "
            "once. A visit that a route-day left out counts once per visit, so a customer left "
            "out of two route-days counts twice."
        ),
        "channels": _("Channel assignment"),
        "channels_note": _(
            "The plan with every customer on a direct route, against the plan after customers "
            "moved to cheaper channels and the routes were planned again for those who stayed."
        ),
        "reason": _("Reason"),
        "reason_code": _("Code in unserved.csv"),
        "count": _("Count"),
        "assumptions": _("Assumptions"),
        "map": _("Map"),
        "open_map": _("Open the map in its own window"),
    }
