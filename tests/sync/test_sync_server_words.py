"""The server's words (English on the wire) are shown in the laptop's language."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import FAST_KDF, PASSPHRASE

from caseworker_app import cli, i18n
from caseworker_app.domain import Note
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync import server_words
from caseworker_app.sync.enroll import enroll
from caseworker_app.sync.refused import list_refused
from caseworker_app.ui.models.sync_lists import refused_rows

NOWHERE = "00000000-0000-4000-8000-000000000000"
ADDENDUM_ES = "La nota que corrige esta adenda no está en este caso."


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.use_language("es")
    try:
        yield
    finally:
        i18n.use_language("en")


def _refused_addendum(agency, laptop):  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    device.store.repo.save(
        Note(
            case_id=agency.case_id,
            author="liaison",
            narrative="Correction: the visit was on Tuesday.",
            written_at=datetime(2026, 11, 2, 15, 0, tzinfo=UTC),
            addendum_to=NOWHERE,  # a note not in the case: the server refuses it
        )
    )
    assert device.sync().results == {"rejected": 1}
    return device


def test_the_sync_page_shows_the_servers_reason_in_the_apps_language(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = _refused_addendum(agency, laptop)
    (item,) = list_refused(device.store)
    assert item.reason == server_words.ADDENDUM_ELSEWHERE  # kept as the server sent it

    (row,) = refused_rows([item])
    assert row.cells[-1] == "The note this addendum corrects is not in this case."
    i18n.use_language("es")
    try:
        (row,) = refused_rows(list_refused(device.store))
    finally:
        i18n.use_language("en")
    assert row.cells[-1] == ADDENDUM_ES


def test_the_terminal_lists_the_servers_reason_in_the_systems_language(agency, laptop, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    device = _refused_addendum(agency, laptop)

    def rejected(lang: str) -> str:
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LANG", lang)
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
        try:
            assert cli.main(["rejected", "--home", str(device.home), "--passphrase-stdin"]) == 0
        finally:
            i18n.use_language("en")
        return str(capsys.readouterr().out)

    spanish_out = rejected("es_MX.UTF-8")
    assert ADDENDUM_ES in spanish_out and "not in this case" not in spanish_out
    assert "The note this addendum corrects is not in this case." in rejected("C.UTF-8")


def test_a_sign_in_refusal_reads_in_the_apps_language(agency, tmp_path: Path, spanish: None) -> None:  # type: ignore[no-untyped-def]
    store = LocalStore.create(tmp_path / "new", PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    try:
        with pytest.raises(Exception) as refused:
            enroll(store, agency.server.url, "liaison", "not the password")
    finally:
        store.close()
    assert "Nombre de usuario o contraseña incorrectos." in str(refused.value)


def test_a_sentence_the_catalog_does_not_know_shows_as_the_server_sent_it(spanish: None) -> None:
    assert i18n._("A sentence a newer server added.") == "A sentence a newer server added."


def test_every_server_sentence_is_in_the_spanish_catalog() -> None:
    spanish = i18n.translations("es")
    sentences = {name: value for name, value in vars(server_words).items() if isinstance(value, str) and name.isupper()}
    assert len(sentences) > 30
    untranslated = [text for text in sentences.values() if spanish.gettext(text) == text]
    assert untranslated == []
