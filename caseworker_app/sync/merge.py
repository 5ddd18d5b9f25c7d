"""Field-level three-way merge (design rule 4), as pure functions over plain values.

The server uses `merge_fields` to apply a mutation against the row it holds; the
client's rebase of pulled rows under its unsynced edits is in sync/apply.py, since
settling an edit needs versions and the outbox, not values alone.
No I/O here, and no knowledge of entities: values are the codec's plain form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    APPLY = "apply"  # the server still holds the base value: take the new one
    ALREADY_EQUAL = "already_equal"  # the server already holds the new value
    CONFLICT = "conflict"  # both sides changed the field differently: keep the server's, record the other


@dataclass(frozen=True)
class FieldDecision:
    field: str
    outcome: Outcome
    base: Any
    server: Any
    new: Any


@dataclass(frozen=True)
class MergeResult:
    decisions: tuple[FieldDecision, ...]

    @property
    def applied(self) -> dict[str, Any]:
        """The fields to write, with their new values."""
        return {d.field: d.new for d in self.decisions if d.outcome is Outcome.APPLY}

    @property
    def conflicts(self) -> tuple[FieldDecision, ...]:
        return tuple(d for d in self.decisions if d.outcome is Outcome.CONFLICT)

    @property
    def changes_anything(self) -> bool:
        return any(d.outcome is Outcome.APPLY for d in self.decisions)

    def merged(self, server: Mapping[str, Any]) -> dict[str, Any]:
        """The server row with the applied fields written; conflicting fields keep the server value."""
        result = dict(server)
        result.update(self.applied)
        return result


def same_value(a: Any, b: Any) -> bool:
    """Plain values compare by value; an int and a float of the same number are equal, True and 1 are not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return False
    return bool(a == b)


def decide(name: str, base: Any, server: Any, new: Any) -> FieldDecision:
    if same_value(server, new):
        outcome = Outcome.ALREADY_EQUAL
    elif same_value(server, base):
        outcome = Outcome.APPLY
    else:
        outcome = Outcome.CONFLICT
    return FieldDecision(name, outcome, base, server, new)


def merge_fields(base: Mapping[str, Any], server: Mapping[str, Any], new: Mapping[str, Any]) -> MergeResult:
    """Decide each field the mutation changes (the keys of `new`).

    `base` holds the values the edit started from, `server` the row as the
    server holds it now (a missing field reads as None, as for a new row).
    """
    return MergeResult(tuple(decide(name, base.get(name), server.get(name), value) for name, value in new.items()))
