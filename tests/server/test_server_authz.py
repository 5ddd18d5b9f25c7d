"""Authorization matrix: every sync endpoint x every role x own / team / foreign case.

Cases are named from the team's point of view: `own` is liaison's, `team` is
liaison2's (same supervisor), `foreign` is other's (no team). Admins manage
accounts and devices from the command line and see no case data.
"""

from __future__ import annotations

import pytest
from serverkit import World, edit, new_id, new_row

ALLOWED: dict[str, set[str]] = {
    "liaison": {"own"},
    "liaison2": {"team"},
    "supervisor": {"own", "team"},
    "other": {"foreign"},
    "admin": set(),
}
MATRIX = [(viewer, case) for viewer in ALLOWED for case in ("own", "team", "foreign")]


@pytest.mark.parametrize(("viewer", "case_name"), MATRIX)
def test_access_matrix(world: World, viewer: str, case_name: str) -> None:
    allowed = case_name in ALLOWED[viewer]
    case_id = world.cases[case_name]
    child_id = world.child[case_name]
    device = world.login(viewer)

    # pull: the case bundle arrives exactly when allowed, and nothing of other cases ever does
    device.sync()
    assert device.case_ids() == {world.cases[name] for name in ALLOWED[viewer]}
    assert (("person", child_id) in device.held) == allowed

    # push: a new row in the case
    (created,) = device.push(new_row("task", case_id, title="Follow up", due_on="2026-12-01"))
    assert created["status"] == ("applied" if allowed else "rejected")
    if not allowed:
        assert created["fields"] is None and "access" in created["reason"]

    # push: an edit of an existing row, sent with the right or a wrong case id
    (edited,) = device.push(edit("person", child_id, case_id, 1, grade=("4", "5")))
    assert edited["status"] == ("applied" if allowed else "rejected")
    own_case = next((world.cases[name] for name in ALLOWED[viewer]), None)
    if own_case and own_case != case_id:
        # Claiming the row is in a case the caller may see does not open it.
        (smuggled,) = device.push(edit("person", child_id, own_case, 1, grade=("4", "6")))
        assert smuggled["status"] == "rejected"

    # reconcile: holding a row of the case is "extra" unless allowed; never "missing"
    response = world.client.post(
        "/v1/sync/reconcile",
        json={"records": [{"entity": "person", "row_id": child_id, "version": 1}]},
        headers=device.headers,
    )
    assert response.status_code == 200
    body = response.json()
    extra = {(r["entity"], r["row_id"]) for r in body["extra"]}
    assert (("person", child_id) in extra) == (not allowed)
    shown = {c["case_id"] for c in body["missing"] + body["stale"] if c["case_id"]}
    assert shown <= {world.cases[name] for name in ALLOWED[viewer]}


@pytest.mark.parametrize("viewer", ["liaison", "supervisor", "admin", "other"])
def test_conflicts_of_other_cases_cannot_be_resolved(world: World, viewer: str) -> None:
    # Make a conflict on liaison2's case.
    case = world.cases["team"]
    holder, supervisor = world.login("liaison2"), world.login("supervisor")
    task = new_row("task", case, title="Call", due_on="2026-12-01")
    holder.push(task)
    supervisor.push(edit("task", task["row_id"], case, 1, title=("Call", "A")))
    (result,) = holder.push(edit("task", task["row_id"], case, 1, title=("Call", "B")))
    conflict_id = result["conflicts"][0]["conflict_id"]
    device = world.login(viewer)
    target = world.cases["own"] if viewer in ("liaison", "supervisor") else world.cases["foreign"]
    mine = new_row("task", target, title="Mine", due_on="2026-12-01")
    device.push(mine)
    (attempt,) = device.push(edit("task", mine["row_id"], target, 1, resolves=conflict_id, title=("Mine", "Mine too")))
    assert attempt["status"] == "rejected"


def test_unknown_case_ids_are_refused_like_foreign_ones(world: World) -> None:
    liaison = world.login("liaison")
    (result,) = liaison.push(new_row("task", new_id(), title="x", due_on="2026-12-01"))
    (foreign,) = liaison.push(new_row("task", world.cases["foreign"], title="x", due_on="2026-12-01"))
    assert result["reason"] == foreign["reason"]  # no way to probe which cases exist
