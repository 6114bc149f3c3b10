"""Message catalogs: every user-facing string has a Spanish translation that formats safely."""

from __future__ import annotations

import ast
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
from gtm_optimizer.batch.changes import CHANGES
from gtm_optimizer.batch.tables import DEADLINE_EXCEEDED, NO_TERRITORY, SOLVER_ERROR
from gtm_optimizer.code_labels import (
    action_label,
    change_label,
    channel_label,
    channel_reason_label,
    count_list,
    reason_label,
    reasons_label,
    segment_label,
)
from gtm_optimizer.costing.channels import REASONS as CHANNEL_REASONS
from gtm_optimizer.costing.segments import NOT_SERVED, SEGMENT_ACTIONS
from gtm_optimizer.network.snapping import (
    REASON_INVALID_COORDINATES,
    REASON_ISLAND,
    REASON_ONE_WAY,
    REASON_OUTSIDE,
    REASON_TOO_FAR,
)
from solvers.routing import UNSERVED_REASONS

PACKAGE = Path(i18n.__file__).parent
LOCALE = PACKAGE / "locale"

# The keywords of `make catalogs`: pybabel's defaults plus `-k _ -k ngettext:1,2`.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "ngettext": (1, 2)}

MessageId = str | tuple[str, ...]

SNAPPING_REASONS = (
    REASON_INVALID_COORDINATES,
    REASON_OUTSIDE,
    REASON_TOO_FAR,
    REASON_ONE_WAY,
    REASON_ISLAND,
)


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


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"GTM_OPTIMIZER_LANG": "es", "LANG": "en_US.UTF-8"}, "es"),
        ({"GTM_OPTIMIZER_LANG": "", "LANG": "es_CO.UTF-8"}, "es"),
        ({"GTM_OPTIMIZER_LANG": "", "LANG": "C.UTF-8"}, "en"),
    ],
)
def test_default_language_environment(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], language: str
) -> None:
    # The guides name these variables as the way to get the help in Spanish.
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setitem(i18n._current, "language", "")
    assert i18n.get_language() == language


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


# Log messages ------------------------------------------------------------------------------

LOG_LEVELS = {"info", "warning", "error", "critical", "exception"}


def _is_translated_call(node: ast.expr) -> bool:
    """Return whether ``node`` is ``_(...)`` or ``ngettext(...)``, maybe with ``.format(...)``."""
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    if isinstance(function, ast.Name):
        return function.id in {"_", "ngettext"}
    if isinstance(function, ast.Attribute) and function.attr == "format":
        return _is_translated_call(function.value)
    # Problem.describe() assembles its line from translated parts (gtm_optimizer/errors.py).
    return isinstance(function, ast.Attribute) and function.attr == "describe"


def _is_log_call(node: ast.AST) -> bool:
    """Return whether ``node`` calls ``logging.<level>`` or ``<name>logger.<level>``."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    receiver = node.func.value
    return (
        node.func.attr in LOG_LEVELS
        and isinstance(receiver, ast.Name)
        and (receiver.id == "logging" or receiver.id.endswith("logger"))
    )


def test_log_messages_translated() -> None:
    untranslated = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if _is_log_call(node) and not (node.args and _is_translated_call(node.args[0])):
                untranslated.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")

    assert untranslated == [], (
        "log calls whose message does not go through _() or ngettext(); write them as "
        f'logger.info(_("... {{name}} ...").format(name=...)): {sorted(untranslated)}'
    )


def test_log_scan_finds_untranslated() -> None:
    # Guards the scan above against a pattern that silently matches nothing.
    tree = ast.parse('logger.warning("Skipped %s", path)')
    calls = [node for node in ast.walk(tree) if _is_log_call(node)]
    assert len(calls) == 1
    assert not _is_translated_call(calls[0].args[0])


def test_log_scan_accepts_format() -> None:
    tree = ast.parse('crash_logger.error(_("Skipped {path}").format(path=path))')
    calls = [node for node in ast.walk(tree) if _is_log_call(node)]
    assert _is_translated_call(calls[0].args[0])


# Labels of machine codes -------------------------------------------------------------------

UNSERVED_CODES = (
    *SNAPPING_REASONS,
    *UNSERVED_REASONS,
    "unreachable",
    "no_profitable_channel",
    DEADLINE_EXCEEDED,
    SOLVER_ERROR,
    NO_TERRITORY,
)


@pytest.mark.parametrize("code", UNSERVED_CODES)
def test_reason_has_label(code: str) -> None:
    assert reason_label(code) != code


@pytest.mark.parametrize("code", CHANGES)
def test_change_has_label(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    assert change_label(code) != code


@pytest.mark.parametrize("code", CHANNEL_REASONS)
def test_channel_reason_has_label(code: str) -> None:
    assert channel_reason_label(code) != code


@pytest.mark.parametrize("code", [*SEGMENT_ACTIONS, NOT_SERVED])
def test_segment_has_label(code: str) -> None:
    assert segment_label(code) != code


@pytest.mark.parametrize("code", [*SEGMENT_ACTIONS.values(), NOT_SERVED])
def test_action_has_label(code: str) -> None:
    assert action_label(code) != code


def test_joined_reasons_labelled() -> None:
    joined = reasons_label("too_far_from_road;not_routed")
    assert joined == "too far from a road; no room left on the route"


def test_spanish_plural_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    assert i18n.ngettext("{count} territory", "{count} territories", 1) == "{count} territorio"


def test_spanish_plural_many(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    assert i18n.ngettext("{count} territory", "{count} territories", 4) == "{count} territorios"


def test_unknown_reason_kept() -> None:
    assert reason_label("closed_for_holidays") == "closed_for_holidays"


def test_spanish_reason_label(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    assert reason_label("too_far_from_road") == "demasiado lejos de una vía"


def test_spanish_count_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    counts = [("telesales", 118), ("unserved", 0)]
    assert count_list(counts, channel_label) == "Televenta: 118, No atendidos: 0"
