"""Load and validate one day's orders, with the same problem reporting as the customer master.

An order file (CSV, Excel, Parquet, GeoJSON or GeoPackage) has one row per customer:

==============  ==============================================================================
column          meaning
==============  ==============================================================================
customer_id     the customer's id; compared with the plan's ids by the id rule of
                :mod:`.problems` (trimmed, case-folded)
volume          quantity to deliver in the scenario's volume unit, 0 or more
tw_start/end    optional receiving window for the day (``inputs.time_format``), or
                ``tw_start_s``/``tw_end_s`` in whole seconds after midnight; both blank: none
lat, lon        optional WGS84 degrees; required for a customer the plan does not know
service_min     optional minutes on site
==============  ==============================================================================

A customer listed twice is an error on every line it appears on, as in the customer master:
the product never adds or picks between two orders on its own. Every rejected cell becomes a
:class:`~gtm_optimizer.errors.Problem` with file, line, column, customer id, value and fix.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gtm_optimizer.errors import Problem
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.cells import (
    TimeFormat,
    parse_coordinates,
    parse_numbers,
    parse_windows,
)
from gtm_optimizer.inputs.problems import (
    ProblemCollector,
    id_key,
    list_columns,
    rejects_frame,
    report_duplicates,
)
from gtm_optimizer.inputs.readers import read_rows

__all__ = ["ORDER_COLUMNS", "OrderTable", "load_orders"]

REQUIRED = ("customer_id", "volume")
OPTIONAL = ("tw_start", "tw_end", "tw_start_s", "tw_end_s", "lat", "lon", "service_min")
ORDER_COLUMNS = (
    "line",
    "customer_id",
    "key",
    "volume",
    "tw_start_s",
    "tw_end_s",
    "lat",
    "lon",
    "service_s",
    "is_new",
)


@dataclass
class OrderTable:
    """Valid orders, every problem found, and the rows rejected.

    ``orders`` has the columns of :data:`ORDER_COLUMNS`. ``key`` is the id compared with the
    plan's ids (:func:`~gtm_optimizer.inputs.problems.id_key`). ``tw_start_s``, ``tw_end_s``,
    ``lat``, ``lon`` and ``service_s`` are NaN when not given. ``is_new`` marks customers
    missing from the plan.
    """

    orders: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    source: str = ""


def load_orders(
    path: Path,
    *,
    known_ids: Collection[str] | None = None,
    columns: dict[str, str] | None = None,
    decimal_comma: bool = False,
    time_format: TimeFormat = "clock",
) -> OrderTable:
    """Read an order file and validate every row.

    Parameters
    ----------
    path
        The order file.
    known_ids
        Ids of the customers in the plan, as written in the customer master. An order of any
        other customer needs ``lat`` and ``lon``. None skips that check.
    columns
        Map from the product's column name to the file's, e.g. ``{"volume": "cajas"}``.
    decimal_comma
        Accept ``4,5`` as ``4.5`` in numeric columns.
    time_format
        How ``tw_start`` and ``tw_end`` are written: ``"clock"`` or ``"seconds"``.

    Returns
    -------
    OrderTable
        Usable orders, problems and rejected rows. A missing required column, or a file
        without rows, leaves no usable order and one problem without a line.

    Raises
    ------
    InputError
        If the file is missing, empty or unreadable, or repeats a column name.
    """
    columns = columns or {}
    raw_table = read_rows(path, id_column=columns.get("customer_id", "customer_id"))
    raw = raw_table.frame.rename(columns={name: key for key, name in columns.items()})
    file_problems = _file_problems(raw, Path(path))
    if file_problems:
        problems = [*file_problems, *raw_table.problems]
        empty = pd.DataFrame(columns=list(ORDER_COLUMNS))
        return OrderTable(empty, problems, rejects_frame(problems), str(path))

    collector = ProblemCollector(str(path), raw)
    orders = _parse_columns(raw, collector, decimal_comma=decimal_comma, time_format=time_format)
    _check_new_customers(orders, known_ids, collector)
    report_duplicates(
        collector,
        message=_("customer appears in more than one order (lines {lines})"),
        fix=_(
            "Put one row per customer with the total volume; ids are compared ignoring case "
            "and spaces."
        ),
    )
    problems = sorted(
        [*raw_table.problems, *collector.problems], key=lambda problem: problem.line or 0
    )
    good = orders.drop(index=sorted(collector.bad_rows)).reset_index(drop=True)
    return OrderTable(good[list(ORDER_COLUMNS)], problems, rejects_frame(problems), str(path))


def _file_problems(raw: pd.DataFrame, path: Path) -> list[Problem]:
    found = list_columns(str(column) for column in raw.columns if column != "line")
    problems = [
        Problem(
            code="missing_column",
            message=_("required column {column!r} is missing").format(column=name),
            fix=_(
                "Add the column, or map it under inputs.columns in the scenario. "
                "Columns found: {available}"
            ).format(available=found),
            file=str(path),
            column=name,
        )
        for name in REQUIRED
        if name not in raw.columns
    ]
    if not problems and raw.empty:
        problems.append(
            Problem(
                code="no_rows",
                message=_("the file has no order rows"),
                fix=_("Add one row per order below the header line."),
                file=str(path),
            )
        )
    return problems


def _parse_columns(
    raw: pd.DataFrame, collector: ProblemCollector, *, decimal_comma: bool, time_format: TimeFormat
) -> pd.DataFrame:
    text = {
        name: raw[name].astype(str).str.strip() if name in raw else None
        for name in (*REQUIRED, *OPTIONAL)
    }
    orders = pd.DataFrame({"line": raw["line"], "customer_id": text["customer_id"]})
    orders["key"] = [id_key(value) for value in orders["customer_id"]]
    for row in np.flatnonzero(orders["customer_id"].eq("").to_numpy()):
        collector.add(
            int(row),
            "customer_id",
            "missing_id",
            _("customer id is blank"),
            _("Give the order the id of its customer."),
            "",
        )

    orders["volume"] = parse_numbers(
        text["volume"], "volume", collector, decimal_comma=decimal_comma, low=0
    )
    orders["service_s"] = 60.0 * parse_numbers(
        text["service_min"],
        "service_min",
        collector,
        decimal_comma=decimal_comma,
        low=0,
        required=False,
    )
    orders["lat"], orders["lon"] = parse_coordinates(
        text["lat"], text["lon"], collector, decimal_comma=decimal_comma, required=False
    )
    if text["tw_start_s"] is not None or text["tw_end_s"] is not None:
        windows = (text["tw_start_s"], text["tw_end_s"])
        names, time_format = ("tw_start_s", "tw_end_s"), "seconds"
    else:
        windows = (text["tw_start"], text["tw_end"])
        names = ("tw_start", "tw_end")
    orders["tw_start_s"], orders["tw_end_s"] = parse_windows(
        *windows, collector, time_format=time_format, columns=names
    )
    return orders


def _check_new_customers(
    orders: pd.DataFrame, known_ids: Collection[str] | None, collector: ProblemCollector
) -> None:
    if known_ids is None:
        orders["is_new"] = False
        return
    known = {id_key(value) for value in known_ids}
    orders["is_new"] = ~orders["key"].isin(known) & orders["key"].ne("")
    located = orders["lat"].notna() & orders["lon"].notna()
    for row in np.flatnonzero((orders["is_new"] & ~located).to_numpy()):
        if int(row) in collector.bad_rows:
            continue
        collector.add(
            int(row),
            "lat",
            "unknown_customer",
            _("the customer is not in the plan and the order has no coordinates"),
            _("Check the id, or give lat and lon for a new customer."),
            str(orders["customer_id"].iat[row]),
        )
