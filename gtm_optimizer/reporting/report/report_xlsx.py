"""The run workbook ``report.xlsx``: KPIs and the run's tables, with translated headers.

Sheets: KPIs, Territories, Customers, Routes, Stops and Unserved customers, in that order.
Sheet names, headers, weekdays, channels, and the Customers sheet's segments, actions and
reasons are in the language in force. Identifiers, and the reason codes of the Unserved
customers sheet, stay as in the CSV outputs, so that rows can be matched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gtm_optimizer.code_labels import (
    action_label,
    channel_label,
    channel_reason_label,
    reasons_label,
    segment_label,
)
from gtm_optimizer.i18n import _
from gtm_optimizer.reporting.report.columns import NUMBER_FORMATS, column_label
from gtm_optimizer.reporting.report.labels import (
    KPI_KINDS,
    Units,
    is_number,
    kpi_label,
    kpi_number_format,
    kpi_unit,
    visit_days_text,
)
from gtm_optimizer.reporting.writers import CUSTOMER_COLUMNS, STOP_COLUMNS
from gtm_optimizer.results import RunResult

logger = logging.getLogger(__name__)

# Excel rejects sheet names longer than this.
MAX_SHEET_NAME = 31
MIN_WIDTH_CHARS = 8
MAX_WIDTH_CHARS = 50
# Column widths are fitted to the header and the first rows only, to stay fast on big runs.
WIDTH_SAMPLE_ROWS = 500
_ROUTE_DROPPED = ("geometry",)
# Customer columns whose codes the Customers sheet shows as translated labels.
_CUSTOMER_LABELS: dict[str, Callable[[str], str]] = {
    "visit_days": visit_days_text,
    "channel": channel_label,
    "cts_segment": segment_label,
    "recommended_action": action_label,
    "channel_reason": channel_reason_label,
    "unserved_reason": reasons_label,
}
_TERRITORY_DROPPED = ("geometry",)


def write_report_xlsx(result: RunResult, path: Path) -> Path:
    """Write the run's KPIs and tables to an Excel workbook.

    Parameters
    ----------
    result
        A finished run.
    path
        The ``.xlsx`` file to write; its folder is created if missing.

    Returns
    -------
    Path
        ``path``.
    """
    started_s = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheets = report_sheets(result)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = name[:MAX_SHEET_NAME]
            _translated(frame).to_excel(writer, sheet_name=sheet_name, index=False)
            _format_sheet(writer.sheets[sheet_name], frame)
    logger.info(
        _("Wrote the workbook {path}: {rows} in {seconds} s").format(
            path=path,
            rows=", ".join(f"{len(frame)} {name}" for name, frame in sheets.items()),
            seconds=f"{time.perf_counter() - started_s:.1f}",
        )
    )
    return path


def report_sheets(result: RunResult) -> dict[str, pd.DataFrame]:
    """Return the workbook's sheets by translated name, with machine column names."""
    customers = pd.DataFrame(result.customers.drop(columns="geometry"))
    customers = customers[[c for c in CUSTOMER_COLUMNS if c in customers.columns]].copy()
    for column, label in _CUSTOMER_LABELS.items():
        if column in customers.columns:
            customers[column] = customers[column].fillna("").astype(str).map(label)
    routes = pd.DataFrame(result.routes.drop(columns=list(_ROUTE_DROPPED), errors="ignore"))
    if "weekday" in routes.columns:
        routes["weekday"] = routes["weekday"].astype(str).map(visit_days_text)
    territories = pd.DataFrame(
        result.territories.drop(columns=list(_TERRITORY_DROPPED), errors="ignore")
    ).sort_values("territory_id")
    stops = result.stops[[c for c in STOP_COLUMNS if c in result.stops.columns]]
    sheets = {_("KPIs"): kpi_sheet(result.summary)}
    channels = channel_assignment_sheet(result.summary)
    if channels is not None:
        sheets[_("Channel assignment")] = channels
    sheets.update({
        _("Territories"): territories,
        _("Customers"): customers,
        _("Routes"): routes,
        _("Stops"): stops,
        _("Unserved customers"): result.unserved,
    })
    return sheets


def kpi_sheet(summary: dict[str, object]) -> pd.DataFrame:
    """Return the KPI sheet: one row per KPI with its label, value, unit and summary key."""
    kpis = summary["kpis"]
    assert isinstance(kpis, dict)
    units = Units(currency=str(summary["currency"]), volume_unit=str(summary["volume_unit"]))
    keys = [key for key in KPI_KINDS if key in kpis] + [k for k in kpis if k not in KPI_KINDS]
    return pd.DataFrame(
        {
            "indicator": [kpi_label(key) for key in keys],
            "value": [float(kpis[key]) if is_number(kpis[key]) else None for key in keys],
            "unit": [kpi_unit(key, units) for key in keys],
            "key": keys,
        }
    )


def channel_assignment_sheet(summary: dict[str, object]) -> pd.DataFrame | None:
    """Return the channel loop's before-and-after sheet, or None when the run had no loop.

    One row per measure: its label, the value with every customer on a direct route, the
    value after the channel assignment, the change, the unit and the summary key.
    """
    view = summary.get("channel_assignment")
    if not isinstance(view, dict):
        return None
    units = Units(currency=str(summary["currency"]), volume_unit=str(summary["volume_unit"]))
    before, after = view["before"], view["after"]
    keys = list(before)
    first = [float(before[key]) if is_number(before[key]) else None for key in keys]
    last = [float(after[key]) if is_number(after.get(key)) else None for key in keys]
    return pd.DataFrame(
        {
            "indicator": [kpi_label(key) for key in keys],
            "before": first,
            "after": last,
            "change": [end - start if start is not None and end is not None else None
                       for start, end in zip(first, last, strict=True)],
            "unit": [kpi_unit(key, units) for key in keys],
            "key": keys,
        }
    )


def _translated(frame: pd.DataFrame) -> pd.DataFrame:
    headers = {
        "indicator": _("Indicator"),
        "before": _("Every customer direct"),
        "after": _("After channel assignment"),
        "change": _("Change"),
        "value": _("Value"),
        "unit": _("Unit"),
        "key": _("Key in summary.json"),
    }
    return frame.rename(columns=lambda column: headers.get(column) or column_label(column))


def _format_sheet(sheet: Worksheet, frame: pd.DataFrame) -> None:
    """Set number formats and column widths, freeze the header row and add filters."""
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        if column in ("value", "before", "after", "change") and "key" in frame.columns:
            formats = [kpi_number_format(str(key)) for key in frame["key"]]
        else:
            formats = [NUMBER_FORMATS.get(str(column), "General")] * len(frame)
        for (cell,), number_format in zip(
            sheet.iter_rows(min_row=2, min_col=index, max_col=index), formats, strict=True
        ):
            cell.number_format = number_format
        sheet.column_dimensions[letter].width = _width_chars(sheet, index)


def _width_chars(sheet: Worksheet, index: int) -> float:
    """Return a column width that fits its header and its longest value, within limits."""
    longest = 0
    last_row = min(sheet.max_row, WIDTH_SAMPLE_ROWS)
    for (cell,) in sheet.iter_rows(min_col=index, max_col=index, max_row=last_row):
        value = cell.value
        if value is None:
            continue
        text = f"{value:,.1f}" if isinstance(value, float) else str(value)
        longest = max(longest, len(text))
    return float(min(MAX_WIDTH_CHARS, max(MIN_WIDTH_CHARS, longest + 2)))
