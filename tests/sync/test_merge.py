"""The field-level three-way merge, on its own (design rule 4)."""

from caseworker_app.sync.merge import Outcome, merge_fields, same_value


def test_server_still_at_base_applies_the_new_value() -> None:
    result = merge_fields({"title": "a"}, {"title": "a", "due_on": "2024-01-01"}, {"title": "b"})
    assert result.applied == {"title": "b"}
    assert result.conflicts == ()
    assert result.merged({"title": "a", "due_on": "2024-01-01"}) == {"title": "b", "due_on": "2024-01-01"}


def test_disjoint_field_edits_merge() -> None:
    server = {"title": "a", "status": "done"}  # someone else closed the task
    result = merge_fields({"title": "a", "status": "open"}, server, {"title": "b"})
    assert result.merged(server) == {"title": "b", "status": "done"}


def test_server_already_holding_the_new_value_is_nothing_to_do() -> None:
    result = merge_fields({"status": "open"}, {"status": "done"}, {"status": "done"})
    assert result.decisions[0].outcome is Outcome.ALREADY_EQUAL
    assert not result.changes_anything


def test_same_field_different_values_is_a_conflict_that_keeps_the_server_value() -> None:
    server = {"status": "done"}
    result = merge_fields({"status": "open"}, server, {"status": "cancelled"})
    (conflict,) = result.conflicts
    assert (conflict.field, conflict.server, conflict.new, conflict.base) == ("status", "done", "cancelled", "open")
    assert result.merged(server) == {"status": "done"}


def test_new_row_fields_merge_against_missing_values() -> None:
    result = merge_fields({"title": None}, {}, {"title": "call school"})
    assert result.applied == {"title": "call school"}


def test_nested_values_compare_by_value() -> None:
    base = {"children": [{"person_id": "p", "seen": False}]}
    server = {"children": [{"person_id": "p", "seen": False}]}
    result = merge_fields(base, server, {"children": [{"person_id": "p", "seen": True}]})
    assert result.applied == {"children": [{"person_id": "p", "seen": True}]}


def test_booleans_are_not_numbers() -> None:
    assert not same_value(True, 1)
    assert same_value(1, 1.0)
    assert not same_value([1], {"a": 1})
    assert not same_value(None, "")
