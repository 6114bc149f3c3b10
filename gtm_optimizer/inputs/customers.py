"""Load and validate the customer master.

Each column is parsed on its own and every rejected cell becomes a :class:`Problem` with the
file, line, column, customer id, raw value and a fix, so one pass reports every defect.

Rules stated here once:

* Customer ids are compared after trimming spaces and case-folding, so ``"c05 "`` duplicates
  ``"C05"``. Every line of a duplicated id is rejected: the product never guesses which copy is
  right and never serves a customer twice.
* Coordinates are WGS84 degrees with a dot as decimal mark; a comma is accepted only when the
  scenario sets ``decimal_comma: true``. Blank, ``NaN``, out-of-range and ``0,0`` coordinates
  are rejected.
* Visits per week: an integer from 1 to the working days, or 0.5 (every two weeks) or 0.25
  (every four weeks).
* A time window is ``HH:MM``/``H:MM`` start and end; both blank means no window; service must
  start within the window.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gtm_optimizer.errors import Problem
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.readers import read_table
from gtm_optimizer.scenario import WEEKDAYS, parse_clock

REQUIRED = ("customer_id", "lat", "lon", "revenue_per_week", "visits_per_week", "service_min")
OPTIONAL = (
    "name",
    "volume_per_week",
    "volume_per_visit",
    "tw_start",
    "tw_end",
    "segment",
    "channel",
    "territory_id",
    "locked",
    "credit_days",
    "closed_days",
    "outlet_type",
)
BIWEEKLY_FREQUENCIES = (0.25, 0.5)


@dataclass
class CustomerTable:
    """Validated customers plus every problem found and the rows rejected.

    ``customers`` has one row per usable customer with typed columns: ``customer_id``,
    ``name``, ``lat``, ``lon``, ``revenue_per_week``, ``volume_per_visit``,
    ``volume_per_week``, ``visits_per_week``, ``service_s``, ``tw_start_s``, ``tw_end_s``
    (NaN when no window), ``segment``, ``channel``, ``territory_id``, ``locked``,
    ``credit_days``, ``closed_days`` (tuple of weekday indexes), ``outlet_type`` and ``line``.
    """

    customers: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    source: str = ""


class _Collector:
    def __init__(self, file: str, frame: pd.DataFrame) -> None:
        self.file = file
        self.frame = frame
        self.problems: list[Problem] = []
        self.bad_rows: set[int] = set()

    def add(self, row: int, column: str, code: str, message: str, fix: str, value: str) -> None:
        self.problems.append(
            Problem(
                code=code,
                message=message,
                fix=fix,
                file=self.file,
                line=int(self.frame.at[row, "line"]),
                column=column,
                customer_id=str(self.frame.at[row, "customer_id"]).strip(),
                value=value,
            )
        )
        self.bad_rows.add(row)


def load_customers(
    path: Path,
    *,
    columns: dict[str, str] | None = None,
    decimal_comma: bool = False,
    working_days: int = 5,
) -> CustomerTable:
    """Read the customer file and validate every row.

    Parameters
    ----------
    path
        CSV, Excel, Parquet, GeoJSON or GeoPackage file.
    columns
        Map from the product's column name to the file's, e.g. ``{"customer_id": "code"}``.
    decimal_comma
        Accept ``4,6350`` as ``4.6350`` in numeric columns.
    working_days
        Working weekdays per week; visits per week above it are rejected.

    Returns
    -------
    CustomerTable
        Usable rows, problems and rejected rows. Missing required columns leave no usable row
        and one problem per missing column.
    """
    raw = read_table(path)
    renames = {file_name: name for name, file_name in (columns or {}).items()}
    raw = raw.rename(columns=renames)
    collector = _Collector(str(path), raw)

    missing = [name for name in REQUIRED if name not in raw.columns]
    if "volume_per_week" not in raw.columns and "volume_per_visit" not in raw.columns:
        missing.append("volume_per_week")
    if missing:
        available = ", ".join(c for c in raw.columns if c != "line")
        problems = [
            Problem(
                code="missing_column",
                message=_("required column {column!r} is missing").format(column=name),
                fix=_("Add the column, or map it under inputs.columns in the scenario. "
                      "Columns found: {available}").format(available=available),
                file=str(path),
                column=name,
            )
            for name in missing
        ]
        return CustomerTable(pd.DataFrame(), problems, rejects_frame(problems), str(path))

    table = _parse_columns(raw, collector, decimal_comma=decimal_comma, working_days=working_days)
    _check_duplicates(raw, collector)
    good = table.drop(index=sorted(collector.bad_rows)).reset_index(drop=True)
    rejects = rejects_frame(collector.problems)
    return CustomerTable(good, collector.problems, rejects, str(path))


def _parse_columns(
    raw: pd.DataFrame, collector: _Collector, *, decimal_comma: bool, working_days: int
) -> pd.DataFrame:
    text = {name: raw[name].astype(str).str.strip() if name in raw else None
            for name in (*REQUIRED, *OPTIONAL)}
    table = pd.DataFrame({"line": raw["line"], "customer_id": text["customer_id"]})
    table["name"] = text["name"] if text["name"] is not None else ""

    for row in np.flatnonzero(table["customer_id"].eq("").to_numpy()):
        collector.add(int(row), "customer_id", "missing_id", _("customer id is blank"),
                      _("Give every customer a unique id."), "")

    table["lat"] = _numbers(text["lat"], "lat", collector, decimal_comma, low=-90, high=90)
    table["lon"] = _numbers(text["lon"], "lon", collector, decimal_comma, low=-180, high=180)
    _check_null_island(table, collector)
    table["revenue_per_week"] = _numbers(
        text["revenue_per_week"], "revenue_per_week", collector, decimal_comma, low=0
    )
    table["visits_per_week"] = _frequencies(text["visits_per_week"], collector, decimal_comma,
                                            working_days)
    table["service_s"] = 60.0 * _numbers(
        text["service_min"], "service_min", collector, decimal_comma, low=0
    )
    _volumes(table, text, collector, decimal_comma)
    _windows(table, text, collector)
    _optional_columns(table, text, collector, decimal_comma)
    return table


def _numbers(
    values: pd.Series | None,
    column: str,
    collector: _Collector,
    decimal_comma: bool,
    *,
    low: float | None = None,
    high: float | None = None,
    required: bool = True,
) -> pd.Series:
    if values is None:
        return pd.Series(np.nan, index=collector.frame.index)
    cleaned = values.str.replace(",", ".", regex=False) if decimal_comma else values
    numbers = pd.to_numeric(cleaned, errors="coerce")
    has_comma = values.str.fullmatch(r"-?\d+,\d+")
    for row in range(len(values)):
        raw_value = values.iat[row]
        number = numbers.iat[row]
        if raw_value == "":
            if required:
                collector.add(row, column, "blank_value", _("value is blank"),
                              _("Fill in the value."), raw_value)
            continue
        if math.isnan(number) or math.isinf(number):
            if has_comma.iat[row] and not decimal_comma:
                fix = _("Use a dot as decimal mark, or set inputs.decimal_comma: true.")
                code = "decimal_comma"
            else:
                fix = _("Write a plain number such as 12.5.")
                code = "not_a_number"
            collector.add(row, column, code, _("value is not a number"), fix, raw_value)
            continue
        if (low is not None and number < low) or (high is not None and number > high):
            collector.add(
                row, column, "out_of_range",
                _("value is out of range [{low}, {high}]").format(
                    low="-inf" if low is None else low, high="inf" if high is None else high),
                _("Correct the value."), raw_value,
            )
    return numbers.astype(float)


def _check_null_island(table: pd.DataFrame, collector: _Collector) -> None:
    at_origin = table["lat"].eq(0) & table["lon"].eq(0)
    for row in np.flatnonzero(at_origin.to_numpy()):
        collector.add(int(row), "lat", "null_island", _("coordinates are 0,0 (a failed geocode)"),
                      _("Geocode the address again or enter the real coordinates."), "0,0")


def _frequencies(
    values: pd.Series | None, collector: _Collector, decimal_comma: bool, working_days: int
) -> pd.Series:
    numbers = _numbers(values, "visits_per_week", collector, decimal_comma, low=0)
    allowed = (*BIWEEKLY_FREQUENCIES, *range(1, working_days + 1))
    for row, number in enumerate(numbers):
        if math.isnan(number) or number in allowed:
            continue
        raw_value = values.iat[row] if values is not None else ""
        if number == 0:
            message = _("0 visits per week: the customer would never be visited")
            fix = _("Set a visit frequency, or remove the customer from the file.")
        elif number > working_days and number == int(number):
            message = _("{visits} visits per week > {days} working days").format(
                visits=int(number), days=working_days)
            fix = _("Use at most one visit per working day.")
        else:
            message = _("visits per week must be a whole number or 0.5 / 0.25")
            fix = _("Use 1 to {days}, 0.5 (every two weeks) or 0.25 (every four weeks).").format(
                days=working_days)
        collector.add(row, "visits_per_week", "invalid_frequency", message, fix, raw_value)
    return numbers


def _volumes(table: pd.DataFrame, text: dict[str, pd.Series | None], collector: _Collector,
             decimal_comma: bool) -> None:
    frequency = table["visits_per_week"]
    if text["volume_per_week"] is not None:
        weekly = _numbers(text["volume_per_week"], "volume_per_week", collector, decimal_comma,
                          low=0)
        table["volume_per_week"] = weekly
        table["volume_per_visit"] = weekly / frequency.where(frequency > 0)
    else:
        per_visit = _numbers(text["volume_per_visit"], "volume_per_visit", collector,
                             decimal_comma, low=0)
        table["volume_per_visit"] = per_visit
        table["volume_per_week"] = per_visit * frequency


def _windows(table: pd.DataFrame, text: dict[str, pd.Series | None],
             collector: _Collector) -> None:
    starts = text["tw_start"]
    ends = text["tw_end"]
    n = len(table)
    start_s = np.full(n, np.nan)
    end_s = np.full(n, np.nan)
    if starts is None and ends is None:
        table["tw_start_s"], table["tw_end_s"] = start_s, end_s
        return
    for row in range(n):
        start = starts.iat[row] if starts is not None else ""
        end = ends.iat[row] if ends is not None else ""
        if not start and not end:
            continue
        if not start or not end:
            column = "tw_start" if not start else "tw_end"
            collector.add(row, column, "half_window",
                          _("time window has only one end"),
                          _("Fill in both tw_start and tw_end, or leave both blank."),
                          f"{start}-{end}")
            continue
        parsed = [_clock(value, column, row, collector)
                  for value, column in ((start, "tw_start"), (end, "tw_end"))]
        if None in parsed:
            continue
        if parsed[1] < parsed[0]:  # type: ignore[operator]
            collector.add(row, "tw_end", "reversed_window",
                          _("time window ends before it starts"),
                          _("Swap tw_start and tw_end."), f"{start}-{end}")
            continue
        start_s[row], end_s[row] = parsed
    table["tw_start_s"], table["tw_end_s"] = start_s, end_s


def _clock(value: str, column: str, row: int, collector: _Collector) -> float | None:
    try:
        return parse_clock(value)
    except ValueError:
        collector.add(row, column, "invalid_time", _("time is not HH:MM"),
                      _("Write the time as 24-hour HH:MM, for example 07:30."), value)
        return None


def _optional_columns(table: pd.DataFrame, text: dict[str, pd.Series | None],
                      collector: _Collector, decimal_comma: bool) -> None:
    for name in ("segment", "channel", "territory_id", "outlet_type"):
        table[name] = text[name] if text[name] is not None else ""
    table["credit_days"] = _numbers(text["credit_days"], "credit_days", collector, decimal_comma,
                                    low=0, required=False).fillna(0.0)
    table["locked"] = _parse_each(text["locked"], "locked", collector, _parse_bool, False)
    table["closed_days"] = _parse_each(text["closed_days"], "closed_days", collector,
                                       _parse_weekdays, ())


def _parse_each(values: pd.Series | None, column: str, collector: _Collector,
                parser: Callable[[str], object], default: object) -> list[object]:
    if values is None:
        return [default] * len(collector.frame)
    parsed: list[object] = []
    for row, value in enumerate(values):
        try:
            parsed.append(parser(value) if value else default)
        except ValueError as error:
            collector.add(row, column, f"invalid_{column}", str(error), "", value)
            parsed.append(default)
    return parsed


def _parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "si", "sí", "x"):
        return True
    if lowered in ("0", "false", "no", ""):
        return False
    raise ValueError(_("not a yes/no value; use true or false"))


_WEEKDAY_ALIASES = {
    **{day.lower(): index for index, day in enumerate(WEEKDAYS)},
    **{day: index for index, day in enumerate(("lun", "mar", "mie", "jue", "vie", "sab", "dom"))},
    "mié": 2, "sáb": 5,
}


def _parse_weekdays(value: str) -> tuple[int, ...]:
    days = []
    for part in value.replace(";", "+").replace(",", "+").split("+"):
        key = part.strip().lower()
        if key not in _WEEKDAY_ALIASES:
            key = key[:3]
        if key not in _WEEKDAY_ALIASES:
            raise ValueError(
                _("unknown weekday {day!r}; write days like Mon+Thu").format(day=part.strip()))
        days.append(_WEEKDAY_ALIASES[key])
    return tuple(sorted(set(days)))


def _check_duplicates(raw: pd.DataFrame, collector: _Collector) -> None:
    keys = raw["customer_id"].astype(str).str.strip().str.casefold()
    keys = keys.where(keys != "")
    for _key, rows in keys.groupby(keys, dropna=True).groups.items():
        if len(rows) < 2:
            continue
        lines = ", ".join(str(int(raw.at[row, "line"])) for row in rows)
        for row in rows:
            collector.add(
                int(row), "customer_id", "duplicate_id",
                _("customer id appears more than once (lines {lines})").format(lines=lines),
                _("Keep one row per customer; ids are compared ignoring case and spaces."),
                str(raw.at[row, "customer_id"]),
            )


def rejects_frame(problems: list[Problem]) -> pd.DataFrame:
    """Return one row per problem: line, customer id, column, value, reason, message, fix."""
    records = [
        {
            "line": problem.line,
            "customer_id": problem.customer_id,
            "column": problem.column,
            "value": problem.value,
            "reason": problem.code,
            "message": problem.message,
            "fix": problem.fix,
        }
        for problem in problems
    ]
    return pd.DataFrame(
        records, columns=["line", "customer_id", "column", "value", "reason", "message", "fix"]
    )
