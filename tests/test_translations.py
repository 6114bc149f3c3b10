"""Message catalogs: every user-facing string has a Spanish translation that formats safely."""

from __future__ import annotations

import io
import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from gtm_optimizer import i18n

PACKAGE = Path(i18n.__file__).parent
LOCALE = PACKAGE / "locale"

# The keywords of `make catalogs`: pybabel's defaults plus `-k _ -k ngettext:1,2`.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "ngettext": (1, 2)}

MessageId = str | tuple[str, ...]


def _catalog_path(language: str, suffix: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{i18n.DOMAIN}{suffix}"


def _read_catalog(language: str) -> Catalog:
    with _catalog_path(language, ".po").open("rb") as po_file:
        return read_po(po_file, locale=language)


def _placeholders(text: str) -> Counter[tuple[str, str, str]]:
    """Count the ``{name!conversion:spec}`` fields of a format string."""
    return Counter(
        (name, conversion or "", spec or "")
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


def _forms(text: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """Return a message's id or msgstr as a tuple: one item, or one per plural form."""
    if text is None:
        return ()
    return (text,) if isinstance(text, str) else tuple(text)


def _is_translated(entry: Message | None, msgid: MessageId) -> bool:
    if entry is None or _forms(entry.id) != _forms(msgid) or entry.fuzzy:
        return False
    forms = _forms(entry.string)
    return bool(forms) and all(forms)


def _mo_contents(data: bytes) -> dict[MessageId, MessageId]:
    """Read a compiled catalog into msgid → msgstr, plus its Plural-Forms header.

    The other header fields are left out because they name the Babel version that compiled
    the file, which differs between machines with the same catalogs.
    """
    catalog = read_mo(io.BytesIO(data))
    contents: dict[MessageId, MessageId] = {
        _forms(entry.id): _forms(entry.string) for entry in catalog if entry.id
    }
    contents["Plural-Forms"] = catalog.plural_forms
    return contents


@pytest.fixture(scope="module")
def source_msgids() -> list[MessageId]:
    """Message ids extracted from the package source, as `make catalogs` extracts them."""
    found: dict[MessageId, None] = {}
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), keywords=KEYWORDS
    ):
        found[message] = None
    return list(found)


@pytest.fixture(scope="module")
def spanish() -> Catalog:
    """The Spanish catalog as written in its .po file."""
    return _read_catalog("es")


def test_extraction_finds_messages(source_msgids: list[MessageId]) -> None:
    # Guards the completeness check against an extraction that silently finds nothing.
    assert "Territory" in source_msgids


def test_spanish_covers_source(source_msgids: list[MessageId], spanish: Catalog) -> None:
    missing = []
    for msgid in source_msgids:
        if not _is_translated(spanish.get(_forms(msgid)[0]), msgid):
            missing.append(msgid)

    assert missing == [], (
        f"{len(missing)} message(s) have no Spanish translation, or only a fuzzy one; run "
        "`make catalogs` and translate them in "
        f"gtm_optimizer/locale/es/LC_MESSAGES/gtm_optimizer.po: {missing}"
    )


def test_spanish_catalog_not_fuzzy(spanish: Catalog) -> None:
    # pybabel compile skips a catalog whose header is marked fuzzy and leaves the old .mo.
    assert not spanish.fuzzy


def test_spanish_keeps_placeholders(spanish: Catalog) -> None:
    wrong: list[tuple[str, str]] = []
    for entry in spanish:
        if not entry.id:
            continue
        # Form 0 is the Spanish singular, and every other form translates the plural msgid.
        sources = _forms(entry.id)
        pairs = [
            (sources[min(index, len(sources) - 1)], form)
            for index, form in enumerate(_forms(entry.string))
            if form
        ]
        wrong.extend(
            (source, translation)
            for source, translation in pairs
            if _placeholders(translation) != _placeholders(source)
        )

    assert wrong == [], f"translations whose {{placeholders}} differ from the msgid: {wrong}"


@pytest.mark.parametrize("language", ["es", "en"])
def test_mo_matches_po(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _read_catalog(language))

    stored = _catalog_path(language, ".mo").read_bytes()
    assert _mo_contents(stored) == _mo_contents(compiled.getvalue()), (
        f"the {language} .mo file is older than its .po file; run `make catalogs`"
    )


def test_english_msgstrs_empty() -> None:
    # English falls back to the source strings, so a msgstr there could only drift from them.
    filled = [entry.id for entry in _read_catalog("en") if entry.id and any(_forms(entry.string))]
    assert filled == []


def test_spanish_territory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "en")
    i18n.set_language("es")
    assert i18n._("Territory") == "Territorio"


def test_spanish_weekday_accent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "en")
    i18n.set_language("es")
    assert i18n._("Wed") == "Mié"


def test_spanish_format_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "en")
    i18n.set_language("es")
    message = i18n._("outside the road network area, {km:.1f} km from its edge")
    assert message.format(km=1.26) == "fuera del área de la red vial, a 1.3 km de su borde"
