"""Typed errors whose message a caseworker can act on."""

from caseworker_app.i18n import _


class CaseworkerError(Exception):
    """Base for every error the app reports to a person; str(err) is the message to show."""


class ValidationError(CaseworkerError):
    """A record breaks a rule; names the field and what to do about it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class FinalizedNoteError(CaseworkerError):
    """A finalized note was about to change; corrections go in an addendum."""


class IncompleteRecord(CaseworkerError):
    """A record cannot be finalized yet; `missing` lists each field and what to fill in."""

    def __init__(self, missing: list[ValidationError], lead: str | None = None) -> None:
        self.missing = missing
        # `lead` names the step the person took: an attempted contact is recorded, not finalized.
        lead = lead or _("Before finalizing:")
        super().__init__(f"{lead} " + " ".join(m.message for m in missing))

    @property
    def fields(self) -> list[str]:
        return [m.field for m in self.missing]
