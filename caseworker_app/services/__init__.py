"""Use cases the desktop window, the terminal and the server share; every write a person makes is one function here.

Writes: visits (start, update_draft, finalize_visit, record_attempted_contact, add_addendum),
notes, tasks, safety (assessments, plans), referrals, attendance, members, cases (stage,
risk, permanency goals). Edits take (store, record_id, changes, seen) and write only the
fields changed since `seen`, the record as the form loaded it; they return the stored
record (the next `seen`) with any conflicts, see caseworker_app.store.unit_of_work.Saved.
"""
