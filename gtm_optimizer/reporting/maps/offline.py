"""Inlining of the map's scripts and stylesheets so that a map opens without internet.

Folium links Leaflet, jQuery, Bootstrap, Leaflet.markercluster and others from CDNs. An offline
map carries their text instead, read from local copies under :data:`ASSET_DIR` laid out like the
URLs: ``https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js`` is read from
``ASSET_DIR / "cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"``, so a copy of another
version never replaces the one folium links. The map tiles still come from the tile
server.

NOTE: the package ships no copies yet, so offline maps raise MapAssetsNotFoundError until the
files are placed there. Stylesheets that load fonts through relative ``url()`` references
(Font Awesome, Bootstrap glyphicons) lose those fonts when inlined; the maps draw no icon fonts.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from gtm_optimizer.errors import GtmError
from gtm_optimizer.i18n import _

ASSET_DIR = Path(__file__).parent / "assets"

_SCRIPT_TAG = re.compile(r'<script\s+src="(https?://[^"]+)"\s*>\s*</script>')
_STYLESHEET_TAG = re.compile(r'<link\s+rel="stylesheet"\s+href="(https?://[^"]+)"\s*/?>')


class MapAssetsNotFoundError(GtmError):
    """Local copies of the map's scripts or stylesheets that an offline map needs are missing."""


def asset_paths(html: str) -> list[str]:
    """List the local paths, relative to the asset folder, of the scripts and styles in ``html``.

    Parameters
    ----------
    html
        A page written by folium.

    Returns
    -------
    list[str]
        One ``host/path`` entry per external ``<script src>`` and stylesheet ``<link>``, in
        page order.
    """
    urls = [match.group(1) for match in _SCRIPT_TAG.finditer(html)]
    urls += [match.group(1) for match in _STYLESHEET_TAG.finditer(html)]
    return [_local_path(url) for url in urls]


def inline_assets(html: str, *, asset_dir: Path | None = None) -> str:
    """Replace every external script and stylesheet in ``html`` with its local copy's text.

    Parameters
    ----------
    html
        A page written by folium.
    asset_dir
        Folder of the local copies; :data:`ASSET_DIR` when ``None``.

    Raises
    ------
    MapAssetsNotFoundError
        If any local copy is missing; the message lists all of them.
    """
    folder = ASSET_DIR if asset_dir is None else asset_dir
    missing = [path for path in asset_paths(html) if not (folder / path).is_file()]
    if missing:
        raise MapAssetsNotFoundError(
            _(
                "An offline map needs local copies of these files in {folder}: {files}. "
                "Copy them there, or write the maps without the offline option."
            ).format(folder=folder, files=", ".join(missing))
        )

    def script(match: re.Match[str]) -> str:
        text = _read(folder, match.group(1)).replace("</script", "<\\/script")
        return f"<script>\n{text}\n</script>"

    def stylesheet(match: re.Match[str]) -> str:
        text = _read(folder, match.group(1)).replace("</style", "<\\/style")
        return f"<style>\n{text}\n</style>"

    html = _SCRIPT_TAG.sub(script, html)
    return _STYLESHEET_TAG.sub(stylesheet, html)


def _local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc + parts.path


def _read(folder: Path, url: str) -> str:
    return (folder / _local_path(url)).read_text(encoding="utf-8")
