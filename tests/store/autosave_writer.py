"""Child process for the durability test: a few autosaves of one draft note, each id printed after its commit."""

import sys
from datetime import UTC, datetime
from pathlib import Path

from caseworker_app.domain import Case, Note
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore

home, passphrase = Path(sys.argv[1]), sys.argv[2]
store = LocalStore.create(home, passphrase, worker="liaison", kdf=KdfParams.fresh(time_cost=1, memory_kib=8192))
case = store.repo.save(Case(reference="CW-DURABLE", family_name="Durable"))
note = Note(case_id=case.id, author="liaison", narrative="", written_at=datetime.now(UTC))
for n in range(5):
    note.narrative += f"autosave {n}. "
    store.repo.save(note)
    sys.stdout.write(f"SAVED {n}\n")
    sys.stdout.flush()
sys.stdout.write("DONE\n")
sys.stdout.flush()
sys.stdin.readline()  # wait here to be killed
