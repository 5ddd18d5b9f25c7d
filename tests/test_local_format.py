"""Dates, times and numbers read as each language writes them, with the zone abbreviation kept."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from caseworker_app import i18n
from caseworker_app.local_format import day_text, moment_text, month_text, number_text, time_text


@pytest.fixture(autouse=True)
def chicago(monkeypatch: pytest.MonkeyPatch):
    import time

    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_days_and_months_in_english_and_spanish() -> None:
    day = date(2026, 11, 3)
    assert day_text(day, "en") == "Nov 3, 2026"
    assert day_text(day, "es") == "3 nov 2026"
    assert day_text(day, "es", width="long") == "3 de noviembre de 2026"
    assert month_text(2025, 3, "en") == "Mar 2025"
    assert month_text(2025, 3, "es") == "mar 2025"
    assert day_text(None) == ""


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("en", "Mar 8, 2026 1:30\xa0AM CST", "Mar 8, 2026 3:30\xa0AM CDT"),
        ("es", "8 mar 2026 1:30 CST", "8 mar 2026 3:30 CDT"),
    ],
)
def test_an_hour_apart_across_the_spring_change_keeps_each_zone(language: str, before: str, after: str) -> None:
    # 07:30 UTC is 1:30 CST; one hour later the clocks have jumped to 3:30 CDT.
    assert moment_text(datetime(2026, 3, 8, 7, 30, tzinfo=UTC), language) == before
    assert moment_text(datetime(2026, 3, 8, 8, 30, tzinfo=UTC), language) == after


@pytest.mark.parametrize(
    ("language", "first", "second"), [("en", "1:30\xa0AM CDT", "1:30\xa0AM CST"), ("es", "1:30 CDT", "1:30 CST")]
)
def test_the_autumn_hour_that_happens_twice_reads_with_its_zone(language: str, first: str, second: str) -> None:
    assert time_text(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), language) == first
    assert time_text(datetime(2026, 11, 1, 7, 30, tzinfo=UTC), language) == second


def test_numbers_and_the_language_in_use() -> None:
    assert number_text(12000, "en") == "12,000"
    assert number_text(12000, "es") == "12.000"
    try:
        i18n.use_language("es")
        assert day_text(date(2026, 1, 5)) == "5 ene 2026"
    finally:
        i18n.use_language("en")
    assert day_text(date(2026, 1, 5)) == "Jan 5, 2026"
