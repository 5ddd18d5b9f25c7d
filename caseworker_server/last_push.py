"""The last push of a laptop ordered wiped: edits of records the server holds, nothing new.

Whoever holds a lost laptop must not add to the agency's records through it: a new
record (a note, a case) is refused with a reason, while edits of existing records that
the laptop's sync under way was sending go through the normal merge.
"""

from __future__ import annotations

from caseworker_app.sync.protocol import Mutation, MutationResult
from caseworker_app.sync.server_words import NOTHING_NEW
from caseworker_server.sync_push import Pusher


def last_push(pusher: Pusher, mutations: list[Mutation]) -> list[MutationResult]:
    edits = [m for m in mutations if m.base_version > 0]
    applied = iter(pusher.push(edits))
    return [
        next(applied)
        if m.base_version > 0
        else MutationResult(mutation_id=m.mutation_id, status="rejected", reason=NOTHING_NEW)
        for m in mutations
    ]
