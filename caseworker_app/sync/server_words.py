"""The fixed sentences the sync server sends for a person to read, shared by the server and the laptop.

The server is not translated (it serves laptops in many languages): it sends these
in English. Each is marked with `N_` so it is in the catalog, and the laptop shows
what the server sent through `_()`, which finds the sentence in the laptop's language
(a sentence a newer server added is not in the catalog and shows as sent).
Sentences with values in them are built where they are sent and stay English.
"""

from __future__ import annotations

from caseworker_app.i18n import N_

# Why one change of a push was refused (MutationResult.reason).
NO_ACCESS = N_("You do not have access to this case, or it does not exist.")
REASSIGNED = N_(
    "This case is no longer assigned to you; changes made after it was reassigned cannot be sent."
    " Ask the case's new worker or your supervisor to record them."
)
# A former holder's late edit: never applied, never told whether the new worker changed the same field.
PASSED_ON = N_(
    "You no longer have access to this case, so this change was not applied."
    " It was passed to the case's new worker, who decides whether to keep it."
)
LATE_NEW_RECORD = N_(
    "You no longer have access to this case, so this new record was not added to it."
    " Give what it says to the case's new worker or your supervisor."
)
FINAL_NOTE = N_("This note is finalized and cannot be changed. Add an addendum to correct it.")
BUSY = N_("The server was busy with the same record; sync again.")
AUTHOR_FIXED = N_("Who wrote a record is set by the server and cannot be changed.")
ASSIGNMENT_FIXED = N_("Who holds a case is changed only by a supervisor or IT reassigning it, not by an edit.")
ID_TAKEN = N_("This change has an id already used by another change; it was not applied.")
EMPTY_CHANGE = N_("The change is empty.")
IDENTITY_FIXED = N_("The id, case and version of a record cannot be changed.")
CASE_OWN_ID = N_("A case belongs to itself: its case id must be its own id.")
RECORD_NOT_ON_SERVER = N_("The record this change was made to is not on the server.")
ADDENDUM_ELSEWHERE = N_("The note this addendum corrects is not in this case.")
CONFLICT_NOT_FOUND = N_("The conflict this change resolves was not found for this record.")
NOTHING_NEW = N_(
    "This laptop was ordered wiped: only changes to records already on the server were accepted, no new records."
)

# Why a request was refused (the `detail` of an HTTP answer).
BAD_LOGIN = N_("Wrong username or password.")
DISABLED = N_("This account is disabled. Contact your administrator.")
REVOKED = N_("This device has been revoked. Contact your administrator.")
WIPE = N_("This device must be wiped: its case data is being removed.")
EXPIRED = N_("Your session has expired. Sign in again.")
REPLAYED = N_("This sign-in was used from two places; it has been ended for safety. Sign in again.")
SIGN_IN_FIRST = N_("Sign in first.")
TOO_MANY_SIGN_INS = N_("Too many failed sign-in attempts. Wait a few minutes and try again.")
BATCH_TOO_LARGE = N_("The batch is too large; send fewer changes at a time.")
REQUEST_TOO_LARGE = N_("The request is too large; send fewer changes at a time.")
CUT_OFF = N_("The request was cut off before it arrived whole; send it again.")
BAD_GZIP = N_("The request body is not valid gzip.")
PLAIN_OR_GZIP = N_("Send the request body plain or gzip-compressed.")
DIGEST_OR_LIST = N_("Send a digest or the list of records you hold.")
REFUSED = N_("The request was refused.")
INTERNAL_ERROR = N_("The server hit an internal error; try again later.")
