"""Translation of user-facing text through standard gettext catalogs.

Every message a user reads goes through :func:`_` (or :func:`ngettext`). The catalogs live in
``gtm_optimizer/locale/<lang>/LC_MESSAGES/gtm_optimizer.po`` and are compiled to ``.mo`` files
with Babel (``make catalogs``). The source strings are English, so English needs no catalog
entries; Spanish is the first translation.

The language is process-wide: the CLI sets it from ``--lang`` or the scenario's ``language``;
otherwise it follows ``GTM_OPTIMIZER_LANG`` and then ``LANG``.
"""

from __future__ import annotations

import gettext as _gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "gtm_optimizer"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "es")

_current = {"language": ""}


def _default_language() -> str:
    for variable in ("GTM_OPTIMIZER_LANG", "LANG"):
        value = os.environ.get(variable, "")
        if value[:2] in LANGUAGES:
            return value[:2]
    return "en"


@cache
def _catalog(language: str) -> _gettext.NullTranslations:
    return _gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    )


def set_language(language: str) -> None:
    """Set the language of every message that follows.

    Parameters
    ----------
    language
        ``"es"`` or ``"en"``.

    Raises
    ------
    ValueError
        If the language has no catalog.
    """
    if language not in LANGUAGES:
        allowed = ", ".join(LANGUAGES)
        raise ValueError(f"language {language!r} is not supported; use one of: {allowed}")
    _current["language"] = language


def get_language() -> str:
    """Return the language in force (``"es"`` or ``"en"``)."""
    if not _current["language"]:
        _current["language"] = _default_language()
    return _current["language"]


def _(message: str) -> str:
    """Translate ``message`` into the language in force."""
    return _catalog(get_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose wording depends on the count ``n``."""
    return _catalog(get_language()).ngettext(singular, plural, n)
