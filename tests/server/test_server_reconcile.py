"""Reconcile: a digest that matches, and on mismatch the rows missing, stale or extra."""

from __future__ import annotations

from serverkit import World, edit, new_id, new_row

from caseworker_app.sync.protocol import records_digest


def _held(device: object) -> list[dict[str, object]]:
    return [
        {"entity": v["entity"], "row_id": v["row_id"], "version": v["version"]}
        for v in device.held.values()  # type: ignore[attr-defined]
    ]


def test_a_client_in_step_matches_by_digest(world: World) -> None:
    liaison = world.login("liaison")
    liaison.sync()
    digest = records_digest((v["entity"], v["row_id"], v["version"]) for v in liaison.held.values())
    body = world.client.post("/v1/sync/reconcile", json={"digest": digest}, headers=liaison.headers).json()
    assert body["match"] is True and body["digest"] == digest
    wrong = world.client.post("/v1/sync/reconcile", json={"digest": "0" * 64}, headers=liaison.headers).json()
    assert wrong["match"] is False


def test_missing_stale_and_extra_rows_are_named(world: World) -> None:
    case = world.cases["own"]
    liaison = world.login("liaison")
    task = new_row("task", case, title="Call", due_on="2026-12-01")
    liaison.push(task)
    liaison.sync()
    liaison.push(edit("task", task["row_id"], case, 1, title=("Call", "Call again")))
    held = [h for h in _held(liaison) if h["entity"] != "school"]
    held.append({"entity": "note", "row_id": new_id(), "version": 3})
    body = world.client.post("/v1/sync/reconcile", json={"records": held}, headers=liaison.headers).json()
    assert body["match"] is False
    assert [c["entity"] for c in body["missing"]] == ["school"]
    assert [(c["row_id"], c["version"]) for c in body["stale"]] == [(task["row_id"], 2)]
    assert body["stale"][0]["fields"]["title"] == "Call again"
    assert [r["entity"] for r in body["extra"]] == ["note"]


def test_reconcile_needs_a_digest_or_a_list(world: World) -> None:
    liaison = world.login("liaison")
    response = world.client.post("/v1/sync/reconcile", json={}, headers=liaison.headers)
    assert response.status_code == 422
    assert "digest" in response.json()["detail"]
