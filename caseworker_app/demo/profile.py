"""The demo profile: a synthetic caseload loaded as if it came from the server."""

from __future__ import annotations

from datetime import date

from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.demo.generated import Caseload
from caseworker_app.domain.entities import AttendanceRecord
from caseworker_app.domain.rules import is_chronically_absent
from caseworker_app.services import casework
from caseworker_app.services.profiles import DEMO_KEY as DEMO_KEY  # one name for the mark, kept here too
from caseworker_app.services.staff import set_worker_identity
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.repository import import_snapshot

# The demo worker signs visit summaries with a full name and title, as a real profile would.
DEMO_WORKER_NAME = "Jordan Rivera"
DEMO_WORKER_TITLE = "Family liaison"


def load_demo(store: LocalStore, *, large: bool = False, today: date | None = None) -> Caseload:
    caseload = generate_caseload(
        "large" if large else "default", today=today or date.today(), worker=store.worker
    )
    set_worker_identity(store, DEMO_WORKER_NAME, DEMO_WORKER_TITLE)
    store.repo.save_schools(caseload.schools)
    count = import_snapshot(store.db, caseload.records())
    store.set_setting(DEMO_KEY, {"profile": "large" if large else "default", "records": count})
    store.repo.audit("import", detail={"records": count, "source": "demo"})
    return caseload


def demo_summary(store: LocalStore, today: date) -> list[str]:
    status = casework.status_summary(store, today)
    attendance = store.repo.all(AttendanceRecord)
    by_child: dict[str, list[AttendanceRecord]] = {}
    for record in attendance:
        by_child.setdefault(record.child_id, []).append(record)
    chronic = sum(1 for records in by_child.values() if is_chronically_absent(records))
    return [
        f"Demo caseload for {store.worker} in {store.profile.home}",
        f"  {status.cases} families, {status.children} children",
        f"  {status.children_due_this_month} children due a face-to-face visit this month",
        f"  {chronic} children chronically absent (10% or more of school days missed)",
        f"  {status.open_tasks} open tasks, {status.overdue_tasks} overdue",
        "Try: caseworker cases --demo, caseworker search <name> --demo, caseworker status --demo",
    ]
