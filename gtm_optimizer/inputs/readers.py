"""Read a table file of any supported format into text columns, keeping file line numbers.

Every cell is read as text so that no value is coerced silently (pandas would turn a whole
column into text when one cell holds ``4,6350``); the validators parse each column
explicitly and report the cells they reject.

CSV rules:

* Encoding: UTF-8 (with or without a byte-order mark); a file that is not valid UTF-8 is
  read as Windows-1252, the encoding of Spanish-locale Excel exports, with a logged warning.
* Separator: the one of ``,``, ``;`` and tab that appears most often in the header line, so
  Spanish-locale exports separated by ``;`` read as they are.
* ``line`` is the line a text editor shows for the first line of the record, counting the
  header as line 1, so a record after a blank line or a quoted line break keeps its number.
* Blank lines and rows whose every cell is blank carry no data and are skipped.
* A row with more values than the header has columns is rejected with a problem (usually an
  unquoted decimal comma); extra separators at the end of a row with nothing after them are
  ignored. A row with fewer values leaves the missing cells blank.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gtm_optimizer.errors import InputError, Problem
from gtm_optimizer.i18n import _

logger = logging.getLogger(__name__)

TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls", ".parquet", ".geojson", ".json", ".gpkg")
CSV_SEPARATORS = (",", ";", "\t")
FALLBACK_ENCODING = "cp1252"


@dataclass(frozen=True)
class RawTable:
    """A table as text, with the problems of rows that could not be split into its columns.

    ``frame`` has one text column per header name plus ``line``; ``problems`` are errors of
    rows left out of ``frame``.
    """

    frame: pd.DataFrame
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class _Read:
    frame: pd.DataFrame
    lines: list[int] | None = None
    problems: tuple[Problem, ...] = ()


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV, Excel, Parquet, GeoJSON or GeoPackage file as text columns.

    Point geometries become ``lat`` and ``lon`` columns (WGS84). The returned frame has a
    ``line`` column: the line (CSV) or row (Excel) number a person sees, counting the header as
    line 1, or the feature number plus one for the other formats.

    Raises
    ------
    InputError
        If the file is missing, empty, or not a readable table, or a CSV row has more values
        than the header has columns.
    """
    raw = read_rows(path)
    if raw.problems:
        raise InputError(raw.problems)
    return raw.frame


def read_rows(path: Path, *, id_column: str = "customer_id") -> RawTable:
    """Read a table file like :func:`read_table`, returning bad rows as problems.

    Parameters
    ----------
    path
        The file.
    id_column
        Header name of the column that names a row, shown in the problems of bad rows.

    Raises
    ------
    InputError
        If the file is missing, empty, not a readable table, or has a repeated column name.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            [
                _file_problem(
                    path,
                    "file_not_found",
                    _("file not found"),
                    _("Check the file name and folder."),
                )
            ]
        )
    suffix = path.suffix.lower()
    try:
        raw = _read_by_suffix(path, suffix, id_column)
    except InputError:
        raise
    except (ValueError, OSError, UnicodeDecodeError, ImportError, csv.Error) as error:
        raise InputError(
            [
                _file_problem(
                    path,
                    "unreadable_file",
                    _("the file cannot be read as a table: {error}").format(error=error),
                    _("Save it as UTF-8 CSV, Excel, Parquet, GeoJSON or GeoPackage."),
                )
            ]
        ) from error
    frame = raw.frame
    _check_header(path, [str(column) for column in frame.columns])
    frame.columns = [str(column).strip() for column in frame.columns]
    has_data = frame.apply(lambda column: column.str.strip() != "").any(axis=1)
    frame.insert(0, "line", raw.lines if raw.lines is not None else range(2, len(frame) + 2))
    return RawTable(frame[has_data.to_numpy(bool)].reset_index(drop=True), raw.problems)


def _file_problem(path: Path, code: str, message: str, fix: str) -> Problem:
    return Problem(code=code, message=message, fix=fix, file=str(path))


def _check_header(path: Path, names: list[str]) -> None:
    stripped = [name.strip() for name in names]
    problems = []
    for name in dict.fromkeys(stripped):
        positions = [index + 1 for index, other in enumerate(stripped) if other == name]
        if len(positions) > 1 and name != "line":
            problems.append(
                Problem(
                    code="duplicate_column",
                    message=_(
                        "column {column!r} appears {count} times in the header (columns "
                        "{positions})"
                    ).format(
                        column=name, count=len(positions), positions=", ".join(map(str, positions))
                    ),
                    fix=_("Keep one column of each name."),
                    file=str(path),
                    column=name,
                )
            )
    if "line" in stripped:
        problems.append(
            Problem(
                code="reserved_column",
                message=_("column name 'line' is reserved for the file's line numbers"),
                fix=_("Rename the column."),
                file=str(path),
                column="line",
            )
        )
    if problems:
        raise InputError(problems)


def _read_by_suffix(path: Path, suffix: str, id_column: str) -> _Read:
    if suffix in (".csv", ".txt"):
        return _read_csv(path, id_column)
    if suffix in (".xlsx", ".xls"):
        frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        return _Read(frame.fillna(""))
    if suffix == ".parquet":
        return _Read(_as_text(pd.read_parquet(path)))
    if suffix in (".geojson", ".json", ".gpkg"):
        return _Read(_read_geofile(path))
    allowed = ", ".join(TABLE_SUFFIXES)
    raise InputError(
        [
            _file_problem(
                path,
                "unsupported_format",
                _("unsupported file type {suffix!r}").format(suffix=suffix),
                _("Use one of: {allowed}.").format(allowed=allowed),
            )
        ]
    )


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode(FALLBACK_ENCODING)
        logger.warning(
            _(
                "{path} is not UTF-8; it was read as Windows-1252 (cp1252). Save it as UTF-8 if "
                "accented letters look wrong."
            ).format(path=path)
        )
        return text


def _separator(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {separator: header.count(separator) for separator in CSV_SEPARATORS}
    return max(CSV_SEPARATORS, key=lambda separator: counts[separator])


def _read_csv(path: Path, id_column: str) -> _Read:
    text = _decode(path)
    if not text.strip():
        raise InputError(
            [
                _file_problem(
                    path,
                    "empty_file",
                    _("the file is empty"),
                    _("Export the table again with its header line."),
                )
            ]
        )
    separator = _separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: list[str] | None = None
    records: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    last_line = 0

    for fields in reader:
        first_line, last_line = last_line + 1, reader.line_num
        if not any(field.strip() for field in fields):
            continue
        if header is None:
            header = fields
            continue
        row = _fit_row(fields, header, path, first_line, separator, id_column)
        if isinstance(row, Problem):
            problems.append(row)
            continue
        records.append(row)
        lines.append(first_line)

    frame = pd.DataFrame(records, columns=header or [], dtype=object)
    return _Read(frame, lines, tuple(problems))


def _fit_row(
    fields: list[str], header: list[str], path: Path, line: int, separator: str, id_column: str
) -> list[str] | Problem:
    width = len(header)
    if len(fields) <= width:
        return fields + [""] * (width - len(fields))
    if not any(field.strip() for field in fields[width:]):
        return fields[:width]
    names = [name.strip() for name in header]
    identifier = fields[names.index(id_column)].strip() if id_column in names else ""
    shown = "tab" if separator == "\t" else separator
    return Problem(
        code="too_many_values",
        message=_("the row has {count} values but the header has {width} columns").format(
            count=len(fields), width=width
        ),
        fix=_(
            "Put quotes around values that contain {separator!r}, or use a dot as decimal mark."
        ).format(separator=shown),
        file=str(path),
        line=line,
        customer_id=identifier,
        value=separator.join(fields),
    )


def _read_geofile(path: Path) -> pd.DataFrame:
    import geopandas as gpd

    frame = gpd.read_file(path)
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    geometry = frame.geometry
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if "lat" not in table.columns and "lon" not in table.columns:
        is_point = geometry.geom_type == "Point"
        table["lat"] = [g.y if ok else "" for g, ok in zip(geometry, is_point, strict=True)]
        table["lon"] = [g.x if ok else "" for g, ok in zip(geometry, is_point, strict=True)]
    return _as_text(table)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    text = frame.astype(object).where(frame.notna(), "")
    return text.map(str)
