"""Parsers for the cells of an input column; every rejected cell becomes a problem.

Numbers are plain decimal numbers with a dot as decimal mark (``12``, ``-74.0628``, ``1e-5``);
a comma is accepted as decimal mark only when the scenario sets ``decimal_comma: true``.
Thousands separators, ``NaN``, ``inf`` and anything else are rejected, so no value is guessed.

Times of day (``time_format``):

* ``clock``: ``HH:MM``, ``H:MM``, ``HH:MM:SS`` and 12-hour ``7:30 PM`` / ``7 p. m.``;
  ``24:00`` is the end of the day (see :func:`gtm_optimizer.scenario.parse_clock`).
* ``seconds``: whole seconds after midnight, from 0 to 86400.

A time window is a start and an end; both blank means no window. Service must start within
the window (it may end after the window closes). A window cannot cross midnight, and a
window whose start equals its end means the service starts exactly then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd

from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.problems import ProblemCollector
from gtm_optimizer.scenario import WEEKDAYS, parse_clock

__all__ = [
    "TimeFormat",
    "parse_bool",
    "parse_coordinates",
    "parse_each",
    "parse_numbers",
    "parse_weekdays",
    "parse_windows",
]

TimeFormat = Literal["clock", "seconds"]

DAY_S = 86_400
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_COMMA_NUMBER = r"[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?"
_SECONDS = r"\+?\d+(?:\.0*)?"


def parse_numbers(
    values: pd.Series | None,
    column: str,
    collector: ProblemCollector,
    *,
    decimal_comma: bool = False,
    low: float | None = None,
    high: float | None = None,
    required: bool = True,
) -> pd.Series:
    """Parse a column of numbers; blank and rejected cells become NaN.

    Parameters
    ----------
    values
        The column as stripped text, or None when the file has no such column.
    column
        The column's name, for the problems.
    collector
        Receives one problem per rejected cell.
    decimal_comma
        Accept a comma as decimal mark.
    low, high
        Inclusive range of accepted values.
    required
        Whether a blank cell is an error.
    """
    if values is None:
        return pd.Series(np.nan, index=collector.frame.index, dtype=float)
    plain = values.str.fullmatch(_NUMBER)
    comma = values.str.fullmatch(_COMMA_NUMBER) & values.str.contains(",", regex=False)
    accepted = plain | (comma & decimal_comma)
    cleaned = values.where(accepted, "").str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(cleaned.where(accepted), errors="coerce").astype(float)
    numbers = numbers.where(np.isfinite(numbers))

    for row in np.flatnonzero(~accepted.to_numpy(bool) | numbers.isna().to_numpy()):
        _reject_number(
            collector, int(row), column, values.iat[row], bool(comma.iat[row]), required=required
        )
    in_range = pd.Series(True, index=numbers.index)
    if low is not None:
        in_range &= ~(numbers < low)
    if high is not None:
        in_range &= ~(numbers > high)
    for row in np.flatnonzero(~in_range.to_numpy(bool)):
        collector.add(
            int(row),
            column,
            "out_of_range",
            _("value is out of range [{low}, {high}]").format(
                low="-inf" if low is None else low, high="inf" if high is None else high
            ),
            _("Correct the value."),
            values.iat[row],
        )
    return numbers.where(in_range)


def _reject_number(
    collector: ProblemCollector,
    row: int,
    column: str,
    raw_value: str,
    has_comma: bool,
    *,
    required: bool,
) -> None:
    if raw_value == "":
        if required:
            collector.add(
                row, column, "blank_value", _("value is blank"), _("Fill in the value."), raw_value
            )
        return
    if has_comma:
        collector.add(
            row,
            column,
            "decimal_comma",
            _("value is not a number"),
            _(
                "Use a dot as decimal mark, or set inputs.decimal_comma: true if the file uses "
                "commas as decimal marks; remove commas that separate thousands."
            ),
            raw_value,
        )
        return
    collector.add(
        row,
        column,
        "not_a_number",
        _("value is not a number"),
        _("Write a plain number such as 12.5."),
        raw_value,
    )


def parse_coordinates(
    lat: pd.Series | None,
    lon: pd.Series | None,
    collector: ProblemCollector,
    *,
    decimal_comma: bool = False,
    required: bool = True,
) -> tuple[pd.Series, pd.Series]:
    """Parse WGS84 ``lat``/``lon`` columns in degrees; rejected cells become NaN.

    Out-of-range values and ``0,0`` (what a failed geocode leaves) are rejected. When the
    coordinates are optional, a row must give both or neither.
    """
    options = {"decimal_comma": decimal_comma, "required": required}
    lat_deg = parse_numbers(lat, "lat", collector, low=-90, high=90, **options)
    lon_deg = parse_numbers(lon, "lon", collector, low=-180, high=180, **options)
    blank = pd.Series("", index=collector.frame.index)
    lat_text = blank if lat is None else lat
    lon_text = blank if lon is None else lon
    for row in np.flatnonzero((lat_deg.eq(0) & lon_deg.eq(0)).to_numpy()):
        collector.add(
            int(row),
            "lat",
            "null_island",
            _("coordinates are 0,0 (a failed geocode)"),
            _("Geocode the address again or enter the real coordinates."),
            f"{lat_text.iat[row]},{lon_text.iat[row]}",
        )
    if not required:
        half = lat_text.eq("") != lon_text.eq("")
        for row in np.flatnonzero(half.to_numpy()):
            collector.add(
                int(row),
                "lat" if lat_text.iat[row] == "" else "lon",
                "half_coordinates",
                _("only one of lat and lon is given"),
                _("Fill in both lat and lon, or leave both blank."),
                f"{lat_text.iat[row]},{lon_text.iat[row]}",
            )
    return lat_deg, lon_deg


def parse_windows(
    starts: pd.Series | None,
    ends: pd.Series | None,
    collector: ProblemCollector,
    *,
    time_format: TimeFormat = "clock",
    columns: tuple[str, str] = ("tw_start", "tw_end"),
) -> tuple[np.ndarray, np.ndarray]:
    """Parse time windows into seconds after midnight; NaN where there is no window.

    Half-filled, unreadable and reversed windows are reported and left out.
    """
    n = len(collector.frame)
    start_s = np.full(n, np.nan)
    end_s = np.full(n, np.nan)
    blank = pd.Series("", index=collector.frame.index)
    starts = blank if starts is None else starts
    ends = blank if ends is None else ends
    for row, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if not start and not end:
            continue
        if not start or not end:
            collector.add(
                row,
                columns[0] if not start else columns[1],
                "half_window",
                _("time window has only one end"),
                _("Fill in both {start} and {end}, or leave both blank.").format(
                    start=columns[0], end=columns[1]
                ),
                f"{start}-{end}",
            )
            continue
        parsed = [
            _time(value, column, row, collector, time_format)
            for value, column in ((start, columns[0]), (end, columns[1]))
        ]
        if parsed[0] is None or parsed[1] is None:
            continue
        if parsed[1] < parsed[0]:
            collector.add(
                row,
                columns[1],
                "reversed_window",
                _("time window ends before it starts"),
                _("Swap {start} and {end}; a window cannot cross midnight.").format(
                    start=columns[0], end=columns[1]
                ),
                f"{start}-{end}",
            )
            continue
        start_s[row], end_s[row] = parsed
    return start_s, end_s


def _time(
    value: str, column: str, row: int, collector: ProblemCollector, time_format: TimeFormat
) -> float | None:
    if time_format == "seconds":
        return _seconds(value, column, row, collector)
    try:
        return parse_clock(value)
    except ValueError:
        fix = _("Write the time as 24-hour HH:MM, for example 07:30.")
        if pd.Series([value]).str.fullmatch(_SECONDS).iat[0]:
            fix = _(
                "Write the time as HH:MM, for example 07:30, or set inputs.time_format: "
                "seconds if the column holds seconds after midnight."
            )
        collector.add(row, column, "invalid_time", _("time is not HH:MM"), fix, value)
        return None


def _seconds(value: str, column: str, row: int, collector: ProblemCollector) -> float | None:
    if not pd.Series([value]).str.fullmatch(_SECONDS).iat[0]:
        collector.add(
            row,
            column,
            "invalid_time",
            _("time is not a whole number of seconds after midnight"),
            _(
                "Write whole seconds from 0 to 86400 (28800 is 08:00), or set "
                "inputs.time_format: clock for HH:MM times."
            ),
            value,
        )
        return None
    seconds = float(value)
    if seconds > DAY_S:
        collector.add(
            row,
            column,
            "invalid_time",
            _("seconds after midnight above 86400 (24:00)"),
            _("Write whole seconds from 0 to 86400 (28800 is 08:00)."),
            value,
        )
        return None
    return seconds


def parse_each(
    values: pd.Series | None,
    column: str,
    collector: ProblemCollector,
    parser: Callable[[str], object],
    default: object,
) -> list[object]:
    """Parse each non-blank cell with ``parser``; blank cells and rejected cells get ``default``.

    ``parser`` raises ValueError with a translated message for a value it rejects.
    """
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


def parse_bool(value: str) -> bool:
    """Parse a yes/no cell (``true``, ``yes``, ``sí``, ``x``, ``1`` / ``false``, ``no``, ``0``)."""
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "si", "sí", "x"):
        return True
    if lowered in ("0", "false", "no", ""):
        return False
    raise ValueError(_("not a yes/no value; use true or false"))


_WEEKDAY_ALIASES = {
    **{day.lower(): index for index, day in enumerate(WEEKDAYS)},
    **{day: index for index, day in enumerate(("lun", "mar", "mie", "jue", "vie", "sab", "dom"))},
    "mié": 2,
    "sáb": 5,
}


def parse_weekdays(value: str) -> tuple[int, ...]:
    """Parse weekdays such as ``Sat+Sun`` or ``sáb;dom`` into sorted indexes (0 = Monday)."""
    days = []
    for part in value.replace(";", "+").replace(",", "+").split("+"):
        key = part.strip().lower()
        if key not in _WEEKDAY_ALIASES:
            key = key[:3]
        if key not in _WEEKDAY_ALIASES:
            raise ValueError(
                _("unknown weekday {day!r}; write days like Mon+Thu").format(day=part.strip())
            )
        days.append(_WEEKDAY_ALIASES[key])
    return tuple(sorted(set(days)))
