"""The change announcements views rely on: who is told, and what a change touches."""

from caseworker_app.services import changes
from caseworker_app.services.changes import Changes


def test_a_change_touches_only_its_cases_and_kinds() -> None:
    change = Changes.of(["Visit"], ["case-a"])
    assert change.touches(case_id="case-a", kinds=["Visit", "Note"])
    assert not change.touches(case_id="case-b", kinds=["Visit"])
    assert not change.touches(case_id="case-a", kinds=["Task"])
    assert change.touches(kinds=["Visit"])  # a list of every case
    assert Changes(everything=True).touches(case_id="case-b", kinds=["Task"])
    assert (change | Changes.of(["Task"], ["case-b"])).touches(case_id="case-b", kinds=["Task"])


def test_listeners_hear_every_announcement_until_they_stop() -> None:
    heard: list[Changes] = []
    stop = changes.listen(heard.append)

    def broken(_c: Changes) -> None:
        raise RuntimeError("a view that fails")

    stop_broken = changes.listen(broken)
    changes.announce(Changes.of(["Visit"], ["case-a"]))
    stop()
    stop_broken()
    changes.announce(Changes.of(["Task"], ["case-a"]))
    assert [c.kinds for c in heard] == [frozenset({"Visit"})]
