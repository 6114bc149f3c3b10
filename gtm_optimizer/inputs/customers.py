"""Load and validate the customer master.

Each column is parsed on its own and every rejected cell becomes a :class:`Problem` with the
file, line, column, customer id, raw value and a fix, so one pass reports every defect.

Rules stated here once (number, time and window formats are in :mod:`.cells`):

* Customer ids are compared after trimming spaces and case-folding (see :mod:`.problems`), so
  ``"c05 "`` duplicates ``"C05"``. Every line of a duplicated id is rejected: the product
  never guesses which copy is right and never serves a customer twice.
* Coordinates are WGS84 degrees. Blank, ``NaN``, out-of-range and ``0,0`` coordinates are
  rejected. Whether a point lies in the service area is checked later, against the road
  network or the depots (:mod:`.geography`).
* Visits per week: an integer from 1 to the working days, or 0.5 (every two weeks) or 0.25
  (every four weeks).
* Time windows: ``tw_start``/``tw_end`` in the scenario's ``inputs.time_format``, or
  ``tw_start_s``/``tw_end_s`` in whole seconds after midnight whatever that setting says.
* A ``role`` column, when present, must say ``customer``; depots belong in the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gtm_optimizer.errors import Problem
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.cells import (
    TimeFormat,
    parse_bool,
    parse_coordinates,
    parse_each,
    parse_numbers,
    parse_weekdays,
    parse_windows,
)
from gtm_optimizer.inputs.problems import (
    ProblemCollector,
    list_columns,
    rejects_frame,
    report_duplicates,
)
from gtm_optimizer.inputs.readers import read_rows

__all__ = ["CustomerTable", "load_customers", "rejects_frame"]

REQUIRED = ("customer_id", "lat", "lon", "revenue_per_week", "visits_per_week", "service_min")
OPTIONAL = (
    "name",
    "volume_per_week",
    "volume_per_visit",
    "tw_start",
    "tw_end",
    "tw_start_s",
    "tw_end_s",
    "segment",
    "channel",
    "territory_id",
    "locked",
    "credit_days",
    "closed_days",
    "outlet_type",
    "role",
)
BIWEEKLY_FREQUENCIES = (0.25, 0.5)
CUSTOMER_ROLES = ("customer", "cliente")
DEPOT_ROLES = ("depot", "depósito", "deposito", "bodega")


@dataclass
class CustomerTable:
    """Validated customers plus every problem found and the rows rejected.

    ``customers`` has one row per usable customer with typed columns: ``customer_id``,
    ``name``, ``lat``, ``lon``, ``revenue_per_week``, ``volume_per_visit``,
    ``volume_per_week``, ``visits_per_week``, ``service_s``, ``tw_start_s``, ``tw_end_s``
    (NaN when no window), ``segment``, ``channel``, ``territory_id``, ``locked``,
    ``credit_days``, ``closed_days`` (tuple of weekday indexes), ``outlet_type`` and ``line``.
    ``rejects`` has one row per error (see :func:`rejects_frame`). ``rows_read`` counts the
    file's data rows, rejected ones included; it is None when the file could not be read.
    """

    customers: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    source: str = ""
    rows_read: int | None = None


def load_customers(
    path: Path,
    *,
    columns: dict[str, str] | None = None,
    decimal_comma: bool = False,
    working_days: int = 5,
    time_format: TimeFormat = "clock",
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
    time_format
        How ``tw_start`` and ``tw_end`` are written: ``"clock"`` or ``"seconds"``.

    Returns
    -------
    CustomerTable
        Usable rows, problems and rejected rows. A missing required column, or a file without
        data rows, leaves no usable row and one problem without a line.

    Raises
    ------
    InputError
        If the file is missing, empty or unreadable, or repeats a column name.
    """
    columns = columns or {}
    raw_table = read_rows(path, id_column=columns.get("customer_id", "customer_id"))
    raw = raw_table.frame.rename(columns={name: key for key, name in columns.items()})
    # Each problem of the raw table is a row left out of the frame (too many values).
    rows_read = len(raw) + len(raw_table.problems)
    file_problems = _file_problems(raw, Path(path))
    if file_problems:
        problems = [*file_problems, *raw_table.problems]
        return CustomerTable(
            pd.DataFrame(), problems, rejects_frame(problems), str(path), rows_read
        )

    collector = ProblemCollector(str(path), raw)
    table = _parse_columns(
        raw,
        collector,
        decimal_comma=decimal_comma,
        working_days=working_days,
        time_format=time_format,
    )
    report_duplicates(
        collector,
        message=_("customer id appears more than once (lines {lines})"),
        fix=_("Keep one row per customer; ids are compared ignoring case and spaces."),
    )
    _keep_only_role_problems(collector, table)
    problems = sorted(
        [*raw_table.problems, *collector.problems], key=lambda problem: problem.line or 0
    )
    good = table.drop(index=sorted(collector.bad_rows)).reset_index(drop=True)
    return CustomerTable(good, problems, rejects_frame(problems), str(path), rows_read)


def _file_problems(raw: pd.DataFrame, path: Path) -> list[Problem]:
    found = [str(c) for c in raw.columns if c != "line"]
    problems = [_missing_column(name, found, path) for name in REQUIRED if name not in raw.columns]
    if "volume_per_week" not in raw.columns and "volume_per_visit" not in raw.columns:
        problems.append(
            _missing_column("volume_per_week", found, path, alternative="volume_per_visit")
        )
    for start, end in (("tw_start", "tw_start_s"), ("tw_end", "tw_end_s")):
        if start in raw.columns and end in raw.columns:
            problems.append(
                Problem(
                    code="ambiguous_column",
                    message=_("both {clock} and {seconds} are given").format(
                        clock=start, seconds=end
                    ),
                    fix=_(
                        "Keep one: {clock} holds times of day, {seconds} seconds after midnight."
                    ).format(clock=start, seconds=end),
                    file=str(path),
                    column=end,
                )
            )
    if not problems and raw.empty:
        problems.append(
            Problem(
                code="no_rows",
                message=_("the file has no customer rows"),
                fix=_("Add one row per customer below the header line."),
                file=str(path),
            )
        )
    return problems


def _missing_column(
    name: str, found: list[str], path: Path, *, alternative: str | None = None
) -> Problem:
    """Report a missing column. ``alternative`` is a column accepted in its place."""
    accepted = [name] if alternative is None else [name, alternative]
    similar = [
        (column, accepted_name)
        for accepted_name in accepted
        for column in found
        if column.strip().casefold() == accepted_name.casefold()
    ]
    if similar:
        fix = _(
            "Column {found!r} looks like it; rename it to {name!r} or map it under inputs.columns."
        ).format(found=similar[0][0], name=similar[0][1])
    else:
        fix = _(
            "Add the column, or map it under inputs.columns in the scenario. "
            "Columns found: {available}"
        ).format(available=list_columns(found))
    if alternative is None:
        message = _("required column {column!r} is missing").format(column=name)
    else:
        message = _("required column {column!r} (or {alternative!r}) is missing").format(
            column=name, alternative=alternative
        )
    return Problem(
        code="missing_column",
        message=message,
        fix=fix,
        file=str(path),
        column=name,
    )


def _parse_columns(
    raw: pd.DataFrame,
    collector: ProblemCollector,
    *,
    decimal_comma: bool,
    working_days: int,
    time_format: TimeFormat,
) -> pd.DataFrame:
    text = {
        name: raw[name].astype(str).str.strip() if name in raw else None
        for name in (*REQUIRED, *OPTIONAL)
    }
    table = pd.DataFrame({"line": raw["line"], "customer_id": text["customer_id"]})
    table["name"] = text["name"] if text["name"] is not None else ""
    _roles(table, text["role"], collector)

    for row in np.flatnonzero(table["customer_id"].eq("").to_numpy()):
        collector.add(
            int(row),
            "customer_id",
            "missing_id",
            _("customer id is blank"),
            _("Give every customer a unique id."),
            "",
        )

    table["lat"], table["lon"] = parse_coordinates(
        text["lat"], text["lon"], collector, decimal_comma=decimal_comma
    )
    table["revenue_per_week"] = parse_numbers(
        text["revenue_per_week"], "revenue_per_week", collector, decimal_comma=decimal_comma, low=0
    )
    table["visits_per_week"] = _frequencies(
        text["visits_per_week"], collector, decimal_comma, working_days
    )
    table["service_s"] = 60.0 * parse_numbers(
        text["service_min"], "service_min", collector, decimal_comma=decimal_comma, low=0
    )
    _volumes(table, text, collector, decimal_comma)
    _windows(table, text, collector, time_format)
    _optional_columns(table, text, collector, decimal_comma)
    return table


def _roles(table: pd.DataFrame, roles: pd.Series | None, collector: ProblemCollector) -> None:
    table["is_depot_row"] = False
    if roles is None:
        return
    for row, value in enumerate(roles):
        role = value.casefold()
        if role in ("", *CUSTOMER_ROLES):
            continue
        if role in DEPOT_ROLES:
            table.loc[row, "is_depot_row"] = True
            collector.add(
                row,
                "role",
                "depot_row",
                _("the row is a depot, not a customer"),
                _(
                    "Define the depot under depots in the scenario and delete the row "
                    "from the customer file."
                ),
                value,
            )
        else:
            collector.add(
                row,
                "role",
                "invalid_role",
                _("unknown role"),
                _("Write customer, or move depots to the scenario."),
                value,
            )


def _keep_only_role_problems(collector: ProblemCollector, table: pd.DataFrame) -> None:
    """Drop the other problems of depot rows: their cells describe a depot, not a customer."""
    depot_lines = set(table.loc[table["is_depot_row"], "line"].astype(int))
    collector.problems = [
        problem
        for problem in collector.problems
        if problem.line not in depot_lines or problem.code == "depot_row"
    ]
    del table["is_depot_row"]


def _frequencies(
    values: pd.Series | None, collector: ProblemCollector, decimal_comma: bool, working_days: int
) -> pd.Series:
    numbers = parse_numbers(
        values, "visits_per_week", collector, decimal_comma=decimal_comma, low=0
    )
    allowed = (*BIWEEKLY_FREQUENCIES, *range(1, working_days + 1))
    for row, number in enumerate(numbers):
        if np.isnan(number) or number in allowed:
            continue
        raw_value = values.iat[row] if values is not None else ""
        if number == 0:
            message = _("0 visits per week: the customer would never be visited")
            fix = _("Set a visit frequency, or remove the customer from the file.")
        elif number > working_days and number == int(number):
            message = _("{visits} visits per week > {days} working days").format(
                visits=int(number), days=working_days
            )
            fix = _("Use at most one visit per working day.")
        else:
            message = _("visits per week must be a whole number or 0.5 / 0.25")
            fix = _("Use 1 to {days}, 0.5 (every two weeks) or 0.25 (every four weeks).").format(
                days=working_days
            )
        collector.add(row, "visits_per_week", "invalid_frequency", message, fix, raw_value)
    return numbers.where(numbers.isin(allowed))


def _volumes(
    table: pd.DataFrame,
    text: dict[str, pd.Series | None],
    collector: ProblemCollector,
    decimal_comma: bool,
) -> None:
    frequency = table["visits_per_week"]
    if text["volume_per_week"] is not None:
        weekly = parse_numbers(
            text["volume_per_week"],
            "volume_per_week",
            collector,
            decimal_comma=decimal_comma,
            low=0,
        )
        table["volume_per_week"] = weekly
        table["volume_per_visit"] = weekly / frequency.where(frequency > 0)
    else:
        per_visit = parse_numbers(
            text["volume_per_visit"],
            "volume_per_visit",
            collector,
            decimal_comma=decimal_comma,
            low=0,
        )
        table["volume_per_visit"] = per_visit
        table["volume_per_week"] = per_visit * frequency


def _windows(
    table: pd.DataFrame,
    text: dict[str, pd.Series | None],
    collector: ProblemCollector,
    time_format: TimeFormat,
) -> None:
    if text["tw_start_s"] is not None or text["tw_end_s"] is not None:
        starts, ends = text["tw_start_s"], text["tw_end_s"]
        names, time_format = ("tw_start_s", "tw_end_s"), "seconds"
    else:
        starts, ends = text["tw_start"], text["tw_end"]
        names = ("tw_start", "tw_end")
    start_s, end_s = parse_windows(starts, ends, collector, time_format=time_format, columns=names)
    table["tw_start_s"], table["tw_end_s"] = start_s, end_s


def _optional_columns(
    table: pd.DataFrame,
    text: dict[str, pd.Series | None],
    collector: ProblemCollector,
    decimal_comma: bool,
) -> None:
    for name in ("segment", "channel", "territory_id", "outlet_type"):
        table[name] = text[name] if text[name] is not None else ""
    table["credit_days"] = parse_numbers(
        text["credit_days"],
        "credit_days",
        collector,
        decimal_comma=decimal_comma,
        low=0,
        required=False,
    ).fillna(0.0)
    table["locked"] = parse_each(text["locked"], "locked", collector, parse_bool, False)
    table["closed_days"] = parse_each(
        text["closed_days"], "closed_days", collector, parse_weekdays, ()
    )
