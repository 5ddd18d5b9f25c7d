"""Child process for the crash test: writes notes forever, printing each id once its commit returned."""

import sys
from datetime import UTC, datetime
from pathlib import Path

from caseworker_app.domain import Case, Note
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile

home, passphrase = Path(sys.argv[1]), sys.argv[2]
if Profile(home).exists:
    store = LocalStore.open(home, passphrase)
    case = store.repo.all(Case)[0]
else:
    store = LocalStore.create(
        home, passphrase, worker="liaison", kdf=KdfParams.fresh(time_cost=1, memory_kib=8192)
    )
    case = store.repo.save(Case(reference="CW-CRASH", family_name="Crash"))
print("ready", flush=True)
n = 0
while True:
    n += 1
    note = Note(
        case_id=case.id,
        author="liaison",
        narrative=f"note {n} " + "words " * 200,
        written_at=datetime.now(UTC),
    )
    store.repo.save(note)
    if n % 3 == 0:  # edits too, not only inserts
        note.narrative += " edited"
        store.repo.save(note)
    print(note.id, flush=True)
