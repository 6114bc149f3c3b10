"""Inlining of the map's scripts and stylesheets so that a map opens without internet.

Folium links Leaflet, jQuery, Bootstrap, Leaflet.markercluster and others from CDNs. An offline
map carries their text instead, read from local copies under :data:`ASSET_DIR` laid out like the
URLs: ``https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js`` is read from
``ASSET_DIR / "cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"``, so a copy of another
version never replaces the one folium links. The map tiles still come from the tile
server.

Two stylesheets that folium 0.20 links are dropped from offline maps instead of inlined
(:data:`UNUSED_STYLESHEETS`): Bootstrap 3.0.0's glyphicons and folium's rotated awesome-marker
style. The maps draw neither glyph icons nor awesome markers, and npm publishes neither file.
``assets/README.md`` lists the source and licence of each shipped copy.
Stylesheets that load fonts or images through relative ``url()`` references lose them when
inlined. The maps draw no icon fonts, but the collapsed layer control (more than 12 layers)
shows an empty button because Leaflet's ``images/layers.png`` is missing.
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

UNUSED_STYLESHEETS = frozenset({
    "netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
    "cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css",
})
"""Stylesheets folium links by default that no map of this package uses."""


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
    return [_local_path(url) for url in urls if _local_path(url) not in UNUSED_STYLESHEETS]


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
        if _local_path(match.group(1)) in UNUSED_STYLESHEETS:
            return ""
        text = _read(folder, match.group(1)).replace("</style", "<\\/style")
        return f"<style>\n{text}\n</style>"

    html = _SCRIPT_TAG.sub(script, html)
    return _STYLESHEET_TAG.sub(stylesheet, html)


def _local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc + parts.path


def _read(folder: Path, url: str) -> str:
    return (folder / _local_path(url)).read_text(encoding="utf-8")
