"""Demo families ask for letters in their own language the way real ones do: Spanish-named families
mostly in Spanish, some in a language with no translation yet; never a language their names do not fit."""

from __future__ import annotations

from caseworker_app import i18n
from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.demo.phrasebook import CULTURES
from caseworker_app.domain.vocabulary import PersonRole


def test_a_familys_written_language_fits_its_names_and_some_have_no_translation() -> None:
    load = generate_caseload("default", seed=7, worker="liaison")
    surnames = {c.language: {s.replace("/", " ") for s in c.surnames} for c in CULTURES if c.language}
    asked = [c for c in load.cases if c.preferred_language]
    assert any(c.preferred_language == "es" for c in asked)
    assert any(c.preferred_language not in i18n.available_languages() for c in asked)  # the "no translation" case
    for case in asked:
        assert any(case.family_name in s.split() or case.family_name == s for s in surnames[case.preferred_language])
        adults = [p for p in load.people if p.case_id == case.id and p.role is not PersonRole.CHILD]
        assert any(p.preferred_language == case.preferred_language for p in adults)
    children = [p for p in load.people if p.role is PersonRole.CHILD]
    assert all(not p.preferred_language for p in children)
