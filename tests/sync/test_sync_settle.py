"""Pending edits are settled only on proof the server holds them; an old copy never moves a row back."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import select, update

from caseworker_app.domain import Case
from caseworker_app.domain.codec import encode
from caseworker_app.domain.vocabulary import CaseStage, CaseType, Placement, RiskLevel
from caseworker_app.store import models, queries
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.repository import import_snapshot
from caseworker_app.sync import apply
from caseworker_app.sync.conflicts import list_conflicts
from caseworker_app.sync.engine import SyncReport
from caseworker_app.sync.protocol import MutationResult, PushRequest, PushResponse
from caseworker_app.sync.received import Record
from caseworker_app.sync.state import SyncState

CASE_ID = "00000000-0000-4000-8000-000000000042"


def _case() -> Case:
    return Case(
        id=CASE_ID,
        reference="CW-2026-00042",
        family_name="Nguyễn",
        stage=CaseStage.ONGOING,
        case_type=CaseType.PROTECTIVE,
        placement=Placement.IN_HOME,
        risk_level=RiskLevel.MODERATE,
        opened_on=date(2026, 1, 5),
        assigned_worker="liaison",
    )


def _server_copy(version: int, risk: str) -> Record:
    fields = encode(_case())
    fields.update(risk_level=risk, version=version)
    return Record(seq=version, entity="case", row_id=CASE_ID, case_id=CASE_ID, version=version, fields=fields)


def _set_risk(store: LocalStore, risk: RiskLevel, case_id: str = CASE_ID) -> None:
    case = store.repo.get(Case, case_id)
    case.risk_level = risk
    store.repo.save(case)


def _mark_sent(store: LocalStore) -> None:
    """As the engine does when a batch goes out; here its answer is lost."""
    with store.db.transaction(remote=True) as session:
        session.execute(update(models.OutboxEntry).values(sent_at="2026-11-02T10:00:00+00:00"))


def _pull(store: LocalStore, *changes: Record) -> None:
    with store.db.transaction(remote=True) as session:
        apply.apply_changes(session, list(changes))


def _outbox(store: LocalStore) -> list[dict[str, object]]:
    with store.db.reading() as session:
        return [e.changes for e in session.scalars(select(models.OutboxEntry).order_by(models.OutboxEntry.seq))]


def test_a_revert_is_not_settled_by_the_copy_it_was_made_on(store: LocalStore) -> None:
    import_snapshot(store.db, [_case()], version=1)  # risk moderate at version 1
    _set_risk(store, RiskLevel.HIGH)
    _mark_sent(store)  # sent; the answer never came back
    _set_risk(store, RiskLevel.MODERATE)  # the person changes their mind: a new entry
    assert len(_outbox(store)) == 2

    _pull(store, _server_copy(1, "moderate"))  # the copy both edits were made on

    # The server may hold `high` from the sent entry: the revert must still go up.
    assert _outbox(store) == [
        {"risk_level": {"base": "moderate", "new": "high"}},
        {"risk_level": {"base": "high", "new": "moderate"}},
    ]
    assert store.repo.get(Case, CASE_ID).risk_level is RiskLevel.MODERATE


def test_a_newer_copy_carrying_the_sent_value_settles_only_that_entry(store: LocalStore) -> None:
    import_snapshot(store.db, [_case()], version=1)
    _set_risk(store, RiskLevel.HIGH)
    _mark_sent(store)
    _set_risk(store, RiskLevel.MODERATE)

    _pull(store, _server_copy(2, "high"))  # proof the server took the sent entry

    assert _outbox(store) == [{"risk_level": {"base": "high", "new": "moderate"}}]
    assert store.repo.get(Case, CASE_ID).risk_level is RiskLevel.MODERATE


def test_a_newer_copy_equal_to_the_last_value_does_not_settle_behind_an_unanswered_send(store: LocalStore) -> None:
    import_snapshot(store.db, [_case()], version=1)
    _set_risk(store, RiskLevel.HIGH)
    _mark_sent(store)
    _set_risk(store, RiskLevel.MODERATE)

    # Someone else's version 2 happens to say moderate; the sent `high` may still land after it.
    _pull(store, _server_copy(2, "moderate"))

    assert len(_outbox(store)) == 2


def test_an_older_copy_never_moves_a_row_back(store: LocalStore) -> None:
    import_snapshot(store.db, [_case()], version=1)
    _pull(store, _server_copy(3, "high"))
    _pull(store, _server_copy(2, "low"))  # a late answer or a replayed page
    case = store.repo.get(Case, CASE_ID)
    assert (case.version, case.risk_level) == (3, RiskLevel.HIGH)


def test_a_replayed_push_answer_never_moves_a_row_back(store: LocalStore) -> None:
    import_snapshot(store.db, [_case()], version=1)
    _set_risk(store, RiskLevel.HIGH)
    with store.db.reading() as session:
        mutation_id = session.scalars(select(models.OutboxEntry.mutation_id)).one()
    newer = _server_copy(4, "low")
    newer.fields["reference"] = "CW-2026-00042-D"
    _pull(store, newer)  # the server moved on
    old_answer = {**_server_copy(2, "high").fields, "reference": "CW-2026-00042"}
    answer = MutationResult(mutation_id=mutation_id, status="applied", version=2, fields=old_answer)
    with store.db.transaction(remote=True) as session:
        apply.apply_push_result(session, answer)
    case = store.repo.get(Case, CASE_ID)
    assert case.reference == "CW-2026-00042-D"  # nothing of the old answer was written
    assert SyncState.load(store).repair_next_run  # the next run fetches the server's copy of the row


def test_a_late_conflict_answer_leaves_the_row_showing_the_servers_value(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    theirs = boss.store.repo.get(Case, agency.case_id)
    theirs.risk_level = RiskLevel.LOW
    boss.store.repo.save(theirs)
    boss.sync()  # the server: low, version 2

    _set_risk(mine.store, RiskLevel.HIGH, agency.case_id)  # made on moderate, version 1
    engine = mine.engine()
    try:
        engine._sign_in()
        engine._call("/v1/sync/push", PushResponse, PushRequest(mutations=engine._next_batch()))  # answer lost
        later = boss.store.repo.get(Case, agency.case_id)
        later.reference = "CW-2026-00042-B"
        boss.store.repo.save(later)
        boss.sync()  # version 3, still low
        engine._pull(SyncReport(), lambda _f, _m: None, threading.Event())  # high stays on top: unsettled
        engine.run()  # the resend is answered from the record: conflict, as of version 2
    finally:
        engine.transport.close()

    assert queries.outbox_size(mine.store.db) == 0
    case = mine.store.repo.get(Case, agency.case_id)
    assert (case.risk_level, case.reference) == (RiskLevel.LOW, "CW-2026-00042-B")  # as on the server
    (conflict,) = list_conflicts(mine.store)
    assert (conflict.mine, conflict.theirs) == ("high", "low")
