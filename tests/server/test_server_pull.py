"""Pull: grants with whole case bundles, reference data, pagination, reassignment and revocation."""

from __future__ import annotations

from collections import Counter

from serverkit import World, edit, new_row

from caseworker_server import admin


def test_first_pull_grants_the_own_case_bundle_and_reference_data(world: World) -> None:
    liaison = world.login("liaison")
    arrived = liaison.sync()
    assert arrived["grants"] == [world.cases["own"]]
    assert liaison.case_ids() == {world.cases["own"]}
    assert liaison.row("person", world.child["own"])["first_name"] == "Kid1"
    assert liaison.row("case", world.cases["own"])["assigned_worker"] == "liaison"
    kinds = Counter(entity for entity, _ in liaison.held)
    assert kinds["school"] == 1
    assert kinds["service"] == 9
    assert liaison.row("team_member", "supervisor")["display_name"] == "Supervisor"
    assert arrived["revocations"] == []


def test_incremental_pull_with_no_changes_is_empty_and_keeps_the_cursor(world: World) -> None:
    liaison = world.login("liaison")
    liaison.sync()
    page = liaison.pull_raw().json()
    assert page == {"changes": [], "grants": [], "revocations": [], "has_more": False, "next_cursor": liaison.cursor}


def test_changes_arrive_once_in_commit_order_across_pages(world: World) -> None:
    case = world.cases["own"]
    liaison, supervisor = world.login("liaison"), world.login("supervisor")
    supervisor.sync()
    tasks = [new_row("task", case, title=f"Task {n}", due_on="2026-12-01") for n in range(25)]
    liaison.push(*tasks)
    liaison.push(edit("task", tasks[0]["row_id"], case, 1, title=("Task 0", "Task zero")))
    seen: list[int] = []
    rows: list[str] = []
    while True:
        page = supervisor.pull_raw(limit=4).json()
        assert len(page["changes"]) <= 4
        seen += [c["seq"] for c in page["changes"]]
        rows += [c["row_id"] for c in page["changes"]]
        supervisor.cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == sorted(seen)
    assert len(rows) == len(set(rows)) == 25  # the edited task once, at its newest version
    assert supervisor.pull_raw().json()["changes"] == []


def test_initial_pull_paginates_grants_without_splitting_or_repeating(world: World) -> None:
    supervisor = world.login("supervisor")
    liaison = world.login("liaison")
    liaison.push(*[new_row("task", world.cases["own"], title=f"T{n}", due_on="2026-12-01") for n in range(10)])
    pages = 0
    got: list[tuple[str, str]] = []
    while True:
        page = supervisor.pull_raw(limit=3).json()
        pages += 1
        for grant in page["grants"]:
            got += [(c["entity"], c["row_id"]) for c in grant["records"]]
        got += [(c["entity"], c["row_id"]) for c in page["changes"]]
        supervisor.cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert pages > 1
    assert len(got) == len(set(got))
    cases = {row_id for entity, row_id in got if entity == "case"}
    assert cases == {world.cases["own"], world.cases["team"]}
    assert sum(1 for entity, _ in got if entity == "task") == 10


def test_reassignment_revokes_from_the_old_holder_and_grants_to_the_new(world: World) -> None:
    case = world.cases["own"]
    liaison, other, supervisor = world.login("liaison"), world.login("other"), world.login("supervisor")
    for device in (liaison, other, supervisor):
        device.sync()
    with world.db.write() as session:
        admin.assign(session, case, "other")
    assert liaison.sync()["revocations"] == [case]
    assert case not in liaison.case_ids()
    arrived = other.sync()
    assert arrived["grants"] == [case]
    assert other.row("case", case)["assigned_worker"] == "other"
    assert other.row("person", world.child["own"])["first_name"] == "Kid1"
    # The supervisor's team lost the case too.
    assert supervisor.sync()["revocations"] == [case]
    # Once its laptop has acknowledged the revocation (its next pull), the old holder cannot write to it.
    liaison.pull_raw()
    (result,) = liaison.push(new_row("task", case, title="Late", due_on="2026-12-01"))
    assert result["status"] == "rejected"


def test_reassignment_within_the_team_keeps_the_supervisor_unchanged(world: World) -> None:
    case = world.cases["own"]
    supervisor, liaison2 = world.login("supervisor"), world.login("liaison2")
    supervisor.sync()
    liaison2.sync()
    with world.db.write() as session:
        admin.assign(session, case, "liaison2")
    arrived = supervisor.sync()
    assert arrived["revocations"] == [] and arrived["grants"] == []
    assert [c["row_id"] for c in arrived["changes"]] == [case]  # assigned_worker changed
    assert liaison2.sync()["grants"] == [case]


def test_unassign_revokes_and_reassign_grants_again(world: World) -> None:
    case = world.cases["own"]
    liaison = world.login("liaison")
    liaison.sync()
    with world.db.write() as session:
        admin.unassign(session, case)
    assert liaison.sync()["revocations"] == [case]
    with world.db.write() as session:
        admin.assign(session, case, "liaison")
    assert liaison.sync()["grants"] == [case]
    assert case in liaison.case_ids()


def test_pull_parameters_are_checked(world: World) -> None:
    liaison = world.login("liaison")
    for params in ({"cursor": -1}, {"cursor": "abc"}, {"limit": 0}, {"limit": 10**6}):
        response = world.client.get("/v1/sync/pull", params=params, headers=liaison.headers)
        assert response.status_code == 422
        assert isinstance(response.json()["detail"], str)


def test_a_laptop_pushes_pending_edits_of_a_case_taken_from_it_until_it_pulls_the_revocation(
    world: World,
) -> None:
    case = world.cases["own"]
    liaison = world.login("liaison")
    task = new_row("task", case, title="Call school", due_on="2026-12-01")
    liaison.push(task)
    liaison.sync()
    with world.db.write() as session:
        admin.assign(session, case, "other")
    # Design rule 7, bounded by issue 20: push before pull, but access ended at the reassignment.
    # An edit made offline before the move goes up as an offer to the new worker, not applied;
    # a new record is refused (the laptop keeps it); nothing of the case comes back.
    (offered,) = liaison.push(edit("task", task["row_id"], case, 1, status=("open", "done")))
    assert offered["status"] == "rejected" and "new worker" in offered["reason"] and offered["fields"] is None
    (written,) = liaison.push(new_row("task", case, title="Written before the move", due_on="2026-12-01"))
    assert written["status"] == "rejected" and written["fields"] is None
    # A laptop enrolled after the move never held the case.
    (fresh,) = world.login("liaison").push(new_row("task", case, title="x", due_on="2026-12-01"))
    assert fresh["status"] == "rejected"
    assert liaison.sync()["revocations"] == [case]
    liaison.pull_raw()  # the next pull acknowledges the revocation
    (late,) = liaison.push(edit("task", task["row_id"], case, 1, title=("Call school", "Called")))
    assert late["status"] == "rejected" and "do not have access" in late["reason"]
    other = world.login("other")
    other.sync()
    assert other.row("task", task["row_id"])["status"] == "open"
    offers = [v["fields"] for (entity, _), v in other.held.items() if entity == "conflict"]
    assert [(o["field"], o["local"], o["local_author"]) for o in offers] == [("status", "done", "liaison")]


def test_team_rows_name_only_colleagues(world: World) -> None:
    """A liaison learns the names of their team and of the people on their cases, never everyone's."""
    names = {}
    for viewer in ("liaison", "other", "supervisor"):
        device = world.login(viewer)
        device.sync()
        names[viewer] = {row_id for (entity, row_id) in device.held if entity == "team_member"}
    assert names["liaison"] == {"liaison", "liaison2", "supervisor"}
    assert names["other"] == {"other"}  # no team, one case of their own; no admin, no strangers
    assert names["supervisor"] == {"supervisor", "liaison", "liaison2"}
