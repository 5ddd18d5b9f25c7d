"""When the window syncs by itself: every interval, never two runs at once, a capped backoff with
jitter after failures, and at once when the server answers again."""

from __future__ import annotations

import random

from caseworker_app.services.sync_schedule import JITTER, SyncSchedule


def test_runs_every_interval_and_never_two_at_once() -> None:
    schedule = SyncSchedule(interval_s=900, rng=random.Random(1))
    schedule.start(now=0)
    assert schedule.due(0) and schedule.try_start()
    assert not schedule.try_start() and not schedule.due(1)  # one run at a time, asked or automatic
    schedule.succeeded(now=10)
    assert not schedule.due(909) and schedule.due(910)


def test_failures_back_off_exponentially_with_jitter_up_to_a_cap() -> None:
    schedule = SyncSchedule(interval_s=900, rng=random.Random(7), first_retry_s=5, max_retry_s=300)
    waits = []
    for _ in range(10):
        assert schedule.try_start()
        waits.append(schedule.failed(now=0, unreachable=False))
    nominal = [min(300, 5 * 2**n) for n in range(10)]
    for wait, base in zip(waits, nominal, strict=True):
        assert base * (1 - JITTER) <= wait <= min(300, base * (1 + JITTER))
    assert max(waits) <= 300 and waits[-1] > 200  # capped, and it got there
    assert len({round(w, 3) for w in waits[:5]}) == 5  # jittered: laptops do not retry in step


def test_jitter_differs_between_laptops() -> None:
    first = [SyncSchedule(interval_s=900, rng=random.Random(seed)) for seed in range(20)]
    waits = set()
    for schedule in first:
        schedule.try_start()
        waits.add(round(schedule.failed(now=0, unreachable=True), 3))
    assert len(waits) > 10


def test_the_server_answering_again_makes_the_next_run_due_at_once() -> None:
    schedule = SyncSchedule(interval_s=900, rng=random.Random(3))
    for _ in range(6):
        schedule.try_start()
        schedule.failed(now=100, unreachable=True)
    assert schedule.should_probe() and not schedule.due(101)
    schedule.server_back(now=101)
    assert schedule.due(101) and not schedule.should_probe()
    schedule.try_start()
    assert schedule.failed(now=102, unreachable=True) <= 5 * (1 + JITTER)  # the backoff starts again


def test_a_success_resets_the_backoff() -> None:
    schedule = SyncSchedule(interval_s=60, rng=random.Random(5))
    for _ in range(5):
        schedule.try_start()
        schedule.failed(now=0, unreachable=False)
    schedule.try_start()
    schedule.succeeded(now=0)
    schedule.try_start()
    assert schedule.failed(now=0, unreachable=False) <= 5 * (1 + JITTER)
