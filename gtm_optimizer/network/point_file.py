"""Reading and validation of a point file (``customer_id``, ``lat``, ``lon``) for matrices.

Rules: every row needs a non-blank id and WGS84 coordinates written with a dot as decimal
mark, latitude within [-90, 90] and longitude within [-180, 180]. Ids are compared after
trimming spaces and case-folding, as in the customer master, so ``"c05 "`` duplicates
``"C05"``. Every defect is reported at once, with file, line, column, id, value and fix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from gtm_optimizer.errors import InputError, Problem
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.readers import read_table

POINT_COLUMNS = ("customer_id", "lat", "lon")

#: Largest absolute value of each coordinate column, in degrees.
COORDINATE_LIMITS_DEG = {"lat": 90.0, "lon": 180.0}


@dataclass(frozen=True, eq=False)
class PointFile:
    """The validated points of a file, in file order.

    Attributes
    ----------
    ids
        ``customer_id`` of each point, trimmed of surrounding spaces.
    lat, lon
        WGS84 coordinates in degrees.
    source
        The file the points were read from.
    """

    ids: tuple[str, ...]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    source: Path


def read_point_file(path: Path) -> PointFile:
    """Read a point file and check every row.

    Parameters
    ----------
    path
        CSV file with the columns ``customer_id``, ``lat`` and ``lon``; other columns are
        ignored. Excel, Parquet, GeoJSON and GeoPackage files are read the same way.

    Returns
    -------
    PointFile
        Ids and coordinates in file order.

    Raises
    ------
    InputError
        If the file is missing or unreadable, lacks a column, has no rows, or has a blank id,
        a blank, non-numeric or out-of-range coordinate, or a duplicated id.
    """
    path = Path(path)
    table = read_table(path)
    missing = [name for name in POINT_COLUMNS if name not in table.columns]
    if missing:
        found = ", ".join(str(column) for column in table.columns if column != "line")
        raise InputError(
            [
                Problem(
                    code="missing_column",
                    message=_("required column {column!r} is missing").format(column=name),
                    fix=_("Add the column. Columns found: {found}").format(found=found),
                    file=str(path),
                    column=name,
                )
                for name in missing
            ]
        )
    if table.empty:
        raise InputError(
            [
                Problem(
                    code="no_points",
                    message=_("the file has no points"),
                    fix=_("Add one row per point with customer_id, lat and lon."),
                    file=str(path),
                )
            ]
        )

    problems = _id_problems(table, path)
    coordinates = {}
    for column in COORDINATE_LIMITS_DEG:
        coordinates[column], column_problems = _coordinates(table, column, path)
        problems.extend(column_problems)
    problems.sort(key=lambda problem: (problem.line or 0, POINT_COLUMNS.index(problem.column)))
    if problems:
        raise InputError(
            problems,
            summary=_("The point file {file} has {count} problem(s):").format(
                file=path, count=len(problems)
            ),
        )
    ids = tuple(str(value).strip() for value in table["customer_id"])
    return PointFile(ids=ids, lat=coordinates["lat"], lon=coordinates["lon"], source=path)


def _problem(
    table: pd.DataFrame, row: int, path: Path, column: str, *, code: str, message: str, fix: str
) -> Problem:
    return Problem(
        code=code,
        message=message,
        fix=fix,
        file=str(path),
        line=int(table.at[row, "line"]),
        column=column,
        customer_id=str(table.at[row, "customer_id"]).strip(),
        value=str(table.at[row, column]),
    )


def _id_problems(table: pd.DataFrame, path: Path) -> list[Problem]:
    """Report blank ids and every line of an id that appears more than once."""
    keys = table["customer_id"].astype(str).str.strip().str.casefold()
    problems = [
        _problem(
            table,
            row,
            path,
            "customer_id",
            code="missing_id",
            message=_("customer_id is blank"),
            fix=_("Give every point a unique id."),
        )
        for row in table.index[keys == ""]
    ]
    for _key, rows in keys[keys != ""].groupby(keys[keys != ""]).groups.items():
        if len(rows) < 2:
            continue
        lines = ", ".join(str(int(table.at[row, "line"])) for row in rows)
        problems.extend(
            _problem(
                table,
                row,
                path,
                "customer_id",
                code="duplicate_id",
                message=_("customer id appears more than once (lines {lines})").format(
                    lines=lines
                ),
                fix=_("Keep one row per point; ids are compared ignoring case and spaces."),
            )
            for row in rows
        )
    return problems


def _coordinates(
    table: pd.DataFrame, column: str, path: Path
) -> tuple[NDArray[np.float64], list[Problem]]:
    """Parse one coordinate column; report blank, non-numeric and out-of-range cells."""
    values = np.full(len(table), np.nan)
    problems = []
    for position, (row, text) in enumerate(table[column].astype(str).str.strip().items()):
        value, defect = _parse_coordinate(text, column)
        if defect is None:
            values[position] = value
            continue
        code, message, fix = defect
        problems.append(_problem(table, row, path, column, code=code, message=message, fix=fix))
    return values, problems


def _parse_coordinate(text: str, column: str) -> tuple[float, tuple[str, str, str] | None]:
    """Return the value in degrees, or a defect as (code, message, fix)."""
    if text == "":
        return math.nan, (
            "missing_coordinate",
            _("{column} is blank").format(column=column),
            _("Fill in the coordinate in WGS84 degrees."),
        )
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return math.nan, (
            "invalid_coordinate",
            _("{column} is not a number").format(column=column),
            _("Write WGS84 degrees with a dot as decimal mark, such as 4.6097."),
        )
    limit_deg = COORDINATE_LIMITS_DEG[column]
    if abs(value) > limit_deg:
        return math.nan, (
            "coordinate_out_of_range",
            _("{column} is outside -{limit:g}..{limit:g} degrees").format(
                column=column, limit=limit_deg
            ),
            _("Check that lat and lon are not swapped or scaled."),
        )
    return value, None
