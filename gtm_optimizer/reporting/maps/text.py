"""Labels, number formats and HTML escaping shared by the map layers.

Folium places popup and tooltip HTML inside JavaScript template literals, so every value taken
from the data goes through :func:`escape_text`, which also neutralises backticks, ``$`` and
backslashes.
"""

from __future__ import annotations

import html
import math

from babel.numbers import format_decimal as _babel_format_decimal

from gtm_optimizer.i18n import _, get_language

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Colombian Spanish groups thousands with "." and separates decimals with ",".
_BABEL_LOCALES = {"es": "es_CO", "en": "en_US"}

_NO_VALUE = "–"

# Popups, tooltips and title boxes share one stylesheet rule instead of inline styles, which
# keeps a map of 20,000 customer popups small.
FIELD_TABLE_CLASS = "gtm-fields"
FIELD_TABLE_CSS = (
    f".{FIELD_TABLE_CLASS} {{font:12px sans-serif;border-collapse:collapse}}"
    f".{FIELD_TABLE_CLASS} th {{text-align:left;padding:0 8px 0 0;font-weight:bold}}"
)


def weekday_label(abbrev: str) -> str:
    """Translate an English weekday abbreviation (``"Mon"``) into the language in force.

    Parameters
    ----------
    abbrev
        One of ``Mon Tue Wed Thu Fri Sat Sun``.

    Returns
    -------
    str
        The abbreviation in the language in force, for example ``"Lun"`` in Spanish.

    Raises
    ------
    ValueError
        If ``abbrev`` is not one of the abbreviations above.
    """
    # Literal calls so that Babel extracts every weekday into the catalog.
    labels = {
        "Mon": _("Mon"),
        "Tue": _("Tue"),
        "Wed": _("Wed"),
        "Thu": _("Thu"),
        "Fri": _("Fri"),
        "Sat": _("Sat"),
        "Sun": _("Sun"),
    }
    if abbrev not in labels:
        allowed = " ".join(WEEKDAYS)
        raise ValueError(f"weekday {abbrev!r} is not a known abbreviation. Use one of: {allowed}")
    return labels[abbrev]


def visit_days_label(visit_days: str) -> str:
    """Translate a visit pattern such as ``"Mon+Thu"`` day by day, keeping ``""`` empty."""
    if not visit_days:
        return ""
    return "+".join(weekday_label(day) for day in visit_days.split("+"))


def format_decimal(value: float | None, *, decimals: int = 1) -> str:
    """Format a number with the thousands separator of the language in force, NaN as ``–``."""
    if value is None or math.isnan(value):
        return _NO_VALUE
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    locale = _BABEL_LOCALES.get(get_language(), "en_US")
    return str(_babel_format_decimal(value, format=pattern, locale=locale))


def format_cop(value_cop: float | None) -> str:
    """Format an amount of Colombian pesos without decimals, e.g. ``1,234,568 COP``."""
    if value_cop is None or math.isnan(value_cop):
        return _NO_VALUE
    return f"{format_decimal(round(value_cop), decimals=0)} COP"


def format_percent(value_pct: float | None) -> str:
    """Format a percentage with one decimal, e.g. ``12.3 %``, and NaN as ``–``."""
    if value_pct is None or math.isnan(value_pct):
        return _NO_VALUE
    return f"{format_decimal(value_pct, decimals=1)} %"


def escape_text(value: object) -> str:
    """Escape a value for HTML that folium embeds in a JavaScript template literal."""
    text = html.escape(str(value))
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def field_table(fields: list[tuple[str, str]]) -> str:
    """Render label and value pairs as a two-column HTML table, escaping both."""
    rows = "".join(
        f"<tr><th>{escape_text(label)}</th><td>{escape_text(value)}</td></tr>"
        for label, value in fields
    )
    return f'<table class="{FIELD_TABLE_CLASS}">{rows}</table>'
