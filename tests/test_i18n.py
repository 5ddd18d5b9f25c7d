"""The translation catalogs: every marked string reaches every shipped catalog, compiled as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from caseworker_app import i18n

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
CATALOGS = sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/caseworker.po"))


def marked_strings() -> set[str]:
    found: set[str] = set()
    method_map = [("**.py", "python")]
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "caseworker_app", method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_a_spanish_catalog_is_shipped() -> None:
    assert [p.parent.parent.name for p in CATALOGS] == ["es"]


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_marked_string_is_in_the_catalog_and_none_is_fuzzy(po: Path) -> None:
    with po.open("rb") as f:
        catalog = read_po(f)
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
    missing = sorted(marked_strings() - ids)
    assert not missing, f"run resources/locale/update-catalogs and translate: {missing[:10]}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy entries in {po.name}: {fuzzy[:10]}"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_entry_is_translated_in_every_plural_form(po: Path) -> None:
    """A shipped language is complete: an empty entry would show English in the middle of it."""
    with po.open("rb") as f:
        catalog = read_po(f)
    empty = [m.id for m in catalog if m.id and not all(_forms(m.string))]
    assert not empty, f"untranslated entries in {po}: {empty[:10]}"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_the_compiled_catalog_is_the_one_written(po: Path) -> None:
    with po.open("rb") as f:
        # a translation that is the English word itself ("Error") reads alike on both sides: compared out
        source = {_key(m.id): _key(m.string) for m in read_po(f) if m.id and _translated(m.id, m.string)}
    with po.with_suffix(".mo").open("rb") as f:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id and _translated(m.id, m.string)}
    assert compiled == source, "run resources/locale/update-catalogs to compile the catalog"


def _translated(msgid: object, string: object) -> bool:
    """An entry the .mo carries with its own words (an untranslated plural comes back as the English)."""
    ids, strings = _forms(msgid), _forms(string)
    return any(strings) and not set(strings) <= set(ids)


def _forms(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list | tuple) else (str(value),)


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_language_follows_the_environment_unless_one_is_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    assert i18n.system_language() == "es_MX"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert i18n.system_language() == "en"
    try:
        assert i18n.start("es") == "es"
        assert i18n.start("") == "en"
    finally:
        i18n.use_language("en")
