"""Read a table file of any supported format into text columns, keeping file line numbers.

Every cell is read as text so that no value is coerced silently (pandas would turn a whole
column into text when one cell holds ``4,6350``); the validators parse each column
explicitly and report the cells they reject.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gtm_optimizer.errors import InputError, Problem
from gtm_optimizer.i18n import _

TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls", ".parquet", ".geojson", ".json", ".gpkg")


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV, Excel, Parquet, GeoJSON or GeoPackage file as text columns.

    Point geometries become ``lat`` and ``lon`` columns (WGS84). The returned frame has a
    ``line`` column: the line (CSV) or row (Excel) number a person sees, counting the header as
    line 1, or the feature number plus one for the other formats.

    Raises
    ------
    InputError
        If the file is missing, empty, or not a readable table.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            [
                Problem(
                    code="file_not_found",
                    message=_("file not found"),
                    fix=_("Check the path in the scenario's inputs section."),
                    file=str(path),
                )
            ]
        )
    suffix = path.suffix.lower()
    try:
        frame = _read_by_suffix(path, suffix)
    except InputError:
        raise
    except (ValueError, OSError, UnicodeDecodeError, ImportError) as error:
        raise InputError(
            [
                Problem(
                    code="unreadable_file",
                    message=_("the file cannot be read as a table: {error}").format(error=error),
                    fix=_("Save it as UTF-8 CSV, Excel, Parquet, GeoJSON or GeoPackage."),
                    file=str(path),
                )
            ]
        ) from error
    frame.columns = [str(column).strip() for column in frame.columns]
    frame.insert(0, "line", range(2, len(frame) + 2))
    return frame.reset_index(drop=True)


def _read_by_suffix(path: Path, suffix: str) -> pd.DataFrame:
    if suffix in (".csv", ".txt"):
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, skipinitialspace=False, encoding="utf-8-sig"
        )
    if suffix in (".xlsx", ".xls"):
        frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        return frame.fillna("")
    if suffix == ".parquet":
        return _as_text(pd.read_parquet(path))
    if suffix in (".geojson", ".json", ".gpkg"):
        return _read_geofile(path)
    allowed = ", ".join(TABLE_SUFFIXES)
    raise InputError(
        [
            Problem(
                code="unsupported_format",
                message=_("unsupported file type {suffix!r}").format(suffix=suffix),
                fix=_("Use one of: {allowed}.").format(allowed=allowed),
                file=str(path),
            )
        ]
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
