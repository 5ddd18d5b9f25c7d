"""The pseudo language: every screen of the screenshot tour, with every text accented and 40% longer,
shows no clipped text and no word left in English.

A failure lists, per screen, each offending widget with its class, its text and why (clipped, or the
English words left). Screens whose text comes from other packages show English until those packages
mark their text; the list says which text that is.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from layout_check import still_english

from caseworker_app import i18n
from caseworker_app.pseudo_locale import pseudo

HERE = Path(__file__).resolve().parent
SCREENS = ("first-run", "unlock", "cases", "search", "case", "safety", "export", "visit", "visit-child-not-seen",
           "visit-not-saved", "today", "sync", "conflict", "settings", "locked")


# -- the pseudo language itself ------------------------------------------------------------------

def test_pseudo_text_is_accented_longer_and_keeps_what_code_and_qt_read() -> None:
    text = pseudo("Sync &now: {n} of %(total)s <b>left</b> &amp; done")
    assert "{n}" in text and "%(total)s" in text and "<b>" in text and "</b>" in text and "&amp;" in text
    assert "&n" in text  # the mnemonic letter, so Alt+N still works
    assert still_english(text, [], frozenset()) == []
    assert len(text) >= len("Sync &now: {n} of %(total)s <b>left</b> &amp; done") * 1.35
    assert pseudo("") == "" and pseudo("  Saved\n").startswith("  ") and pseudo("  Saved\n").endswith("\n")


def test_the_pseudo_language_is_never_offered_and_writes_dates_as_in_the_us() -> None:
    from caseworker_app.local_format import day_text

    assert i18n.PSEUDO not in i18n.available_languages()
    try:
        i18n.use_language(i18n.PSEUDO)
        assert i18n._("Sync now") == pseudo("Sync now")
        assert i18n.ngettext("{n} case", "{n} cases", 2) == pseudo("{n} cases")
        assert day_text(date(2026, 11, 3)) == "Nov 3, 2026"
    finally:
        i18n.use_language("en")


# -- every screen of the tour --------------------------------------------------------------------

@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, object]]]:
    """The screenshot tour run once in the pseudo language, each screen read as it was pictured."""
    folder = tmp_path_factory.mktemp("pseudo-tour")
    report = folder / "report.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(folder / "config"),
           "PYTHONPATH": os.pathsep.join([str(HERE), *filter(None, [os.environ.get("PYTHONPATH")])])}
    result = subprocess.run(
        [sys.executable, str(HERE / "pseudo_tour_app.py"), str(folder / "demo"), str(folder / "shots"), str(report)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    screens: dict[str, list[dict[str, object]]] = json.loads(report.read_text(encoding="utf-8"))["screens"]
    return screens


@cache
def caseload_data() -> tuple[str, ...]:
    """Names, references, schools and staff of the demo caseloads the tour shows: data, not text to translate."""
    from caseworker_app.demo.caseload import generate_caseload
    from caseworker_app.demo.profile import DEMO_WORKER_NAME, DEMO_WORKER_TITLE
    from caseworker_app.ui.app import DEMO_PASSPHRASE

    values = {DEMO_WORKER_NAME, DEMO_WORKER_TITLE, DEMO_PASSPHRASE, "liaison"}
    loads = [generate_caseload("default", today=date.today(), worker="liaison")]
    try:
        from caseworker_server.demo import DEMO_USERS
    except ImportError:  # the sync pictures need the server package; without it they are not taken
        DEMO_USERS = ()
    for username, _role, _supervisor, display, load in DEMO_USERS:
        values |= {username, display}
        if load is not None:
            loads.append(generate_caseload(load[0], seed=load[1], worker=username))
    from caseworker_app.demo import phrasebook  # the demo's own sentences (a plan's rationale), data too

    for name in dir(phrasebook):
        if name.isupper():
            values |= set(_free_text(getattr(phrasebook, name)))
    for caseload in loads:
        values |= {s.name for s in caseload.schools}
        for person in caseload.people:
            values.add(person.full_name)
        for record in caseload.records():
            values |= set(_free_text(record))
    return tuple(sorted((v for v in values if v), key=len, reverse=True))


def _free_text(value: object) -> Iterator[str]:
    """Every string a record holds that a person wrote or named (names, references, narratives, plan
    actions), found through nested records and lists; single lowercase words are codes, shown translated."""
    if isinstance(value, str):
        if len(value) >= 3 and (" " in value or value[:1].isupper() or any(c.isdigit() for c in value)):
            yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _free_text(getattr(value, field.name))
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _free_text(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _free_text(item)


def allowed_words() -> frozenset[str]:
    """The product's name, and day and month names: the pseudo language writes dates as in the US."""
    from babel import Locale

    us = Locale.parse("en_US")
    words = {"Caseworker", "AM", "PM"}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            words |= set(us.days[context][width].values()) | set(us.months[context][width].values())
    return frozenset(words)


@pytest.mark.parametrize("screen", SCREENS)
def test_no_text_is_clipped_or_left_in_english(tour: dict[str, list[dict[str, object]]], screen: str) -> None:
    if screen in ("sync", "conflict") and screen not in tour:
        pytest.fail("the sync pictures were not taken: is the server package installed?")
    assert screen in tour, f"the tour took no picture named {screen}.png"
    data, allowed = caseload_data(), allowed_words()
    problems = []
    for seen in tour[screen]:
        text = str(seen["text"])
        if seen["clipped"]:
            problems.append(f"  {seen['kind']} {text!r}: clipped, {seen['clipped']}  [{seen['where']}]")
        english = [] if seen.get("qt_standard") else still_english(text, data, allowed)
        if english:
            problems.append(f"  {seen['kind']} {text!r}: still English {english}  [{seen['where']}]")
    assert not problems, f"{screen}.png in the pseudo language:\n" + "\n".join(problems)
