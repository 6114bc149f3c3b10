"""Rendering of the report templates in ``gtm_optimizer/reporting/templates``.

Templates are Jinja2 with autoescaping on, so every value from the data is escaped. Only the
chart fragments that plotly renders are passed through as markup.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from gtm_optimizer.i18n import _, get_language

TEMPLATE_DIR = Path(__file__).parent.parent / "templates"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def product_version() -> str:
    """Return the installed version of gtm-optimizer, or ``"unknown"`` from a source tree."""
    try:
        return metadata.version("gtm-optimizer")
    except metadata.PackageNotFoundError:
        return "unknown"


def render_page(template: str, **context: Any) -> str:
    """Render a page template with the language, version and OSM credit every page shows."""
    return (
        _environment()
        .get_template(template)
        .render(
            language=get_language(),
            version=product_version(),
            attribution=_("Map data © OpenStreetMap contributors, ODbL 1.0."),
            **context,
        )
    )


def write_page(path: Path, html: str) -> Path:
    """Write a page as UTF-8, creating its folder, and return ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
