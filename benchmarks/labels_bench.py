"""Dates and times on list rows (ui/labels.py through local_format): 20,000 rows, as in the large
caseload's timelines and sync lists, first read (caches empty) and refreshed (caches warm).

Baseline, measured in the same run: the fixed English f-string the lists used before the dates
followed the language ('3 Nov 2026 15:30 EST').
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from benchmarks.common import Figure, measure, print_figures
from caseworker_app import i18n, local_format
from caseworker_app.domain.clock import to_local
from caseworker_app.ui import labels

ROWS = 20_000
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def moments() -> list[datetime]:
    """Two school years of visits and notes, at the hours liaisons work (a few hundred distinct days)."""
    rng = random.Random(7)
    start = datetime(2025, 8, 15, tzinfo=UTC)
    return [start + timedelta(days=rng.randint(0, 640), minutes=rng.randint(12 * 60, 24 * 60)) for _ in range(ROWS)]


def fixed_english(moment: datetime) -> str:
    local = to_local(moment)
    return f"{local.day} {local:%b %Y %H:%M %Z}"


def fixed_english_day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _cold() -> None:
    labels._time_of_day.cache_clear()
    local_format._day.cache_clear()


def main() -> None:
    when = moments()
    days = [m.date() for m in when]
    baseline = measure(lambda: [fixed_english(m) for m in when], repeat=7)
    day_baseline = measure(lambda: [fixed_english_day(d) for d in days], repeat=7)
    figures: list[Figure] = []
    for language in ("en", "es"):
        i18n.use_language(language)

        def first_read() -> None:
            _cold()
            [labels.local_time(m) for m in when]

        figures.append(Figure(f"{ROWS:,} moments, first read ({language})", measure(first_read, repeat=5),
                              "f-string", min(baseline), "ratio <= 3"))
        figures.append(Figure(f"{ROWS:,} moments, refreshed ({language})",
                              measure(lambda: [labels.local_time(m) for m in when], repeat=7),
                              "f-string", min(baseline), "ratio <= 2"))
        figures.append(Figure(f"{ROWS:,} days, refreshed ({language})",
                              measure(lambda: [labels.short_date(d) for d in days], repeat=7),
                              "f-string", min(day_baseline), "ratio <= 3"))
    i18n.use_language("en")
    print_figures("Dates and times on list rows (ui/labels.py)", figures)


if __name__ == "__main__":
    main()
