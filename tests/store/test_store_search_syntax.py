"""Search takes whatever a person types: the query is cut into words as the index cuts the text
(issue 20, item 15: a word with `_` failed with "fts5: phrase queries are not supported")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from caseworker_app.domain import Case, Note
from caseworker_app.services.search import search
from caseworker_app.store.local_store import LocalStore

NARRATIVE = (
    "Reviewed the foster_care checklist with grand-mother; she is NEAR the school now. "
    'Mother said "fine" twice. Bus pass *approved* by transport_office.'
)


@pytest.fixture
def noted(store: LocalStore) -> Note:
    case = Case(reference="CW-2026-00042", family_name="Okafor")
    store.repo.save(case)
    note = Note(case_id=case.id, author="liaison", narrative=NARRATIVE, written_at=datetime.now(UTC))
    store.repo.save(note)
    store.repo.save(Case(reference="CW-2026-00043", family_name="Lindqvist"))
    return note


@pytest.mark.parametrize(
    "typed",
    [
        "foster_care",  # underscore: two words to the index
        "transport_office",
        "foster_",
        "_care",
        '"fine"',  # quotes
        '"foster care',  # an unbalanced quote
        "approv*",  # a star
        "*approved*",
        "NEAR",  # an FTS keyword, as a word
        "NEAR(foster care)",
        "school NEAR grand",
        "grand-mother",  # a dash
        "-school",
        "mother - fine",
        "foster_care grand-mother \"fine\" approv* NEAR",
    ],
)
def test_any_typed_text_finds_the_note_that_has_its_words(store: LocalStore, noted: Note, typed: str) -> None:
    found = search(store, typed)
    assert [h.row_id for h in found.hits] == [noted.id]
    assert found.total == 1
    assert "[" in found.hits[0].snippet  # the matching word is marked in the line shown


@pytest.mark.parametrize("typed", ["_", "__", '"', '""', "*", "-", "- * _ \"", "(", "^", ":"])
def test_punctuation_alone_finds_nothing_and_does_not_fail(store: LocalStore, noted: Note, typed: str) -> None:
    found = search(store, typed)
    assert found.hits == [] and found.total == 0


def test_a_word_that_is_not_there_still_narrows_the_search(store: LocalStore, noted: Note) -> None:
    assert search(store, "foster_carrot").hits == []
    assert search(store, "grand-father").hits == []
    assert search(store, "foster AND care").hits == []  # FTS operators are words like any other: no "and" here
