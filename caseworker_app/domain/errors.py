"""Typed errors whose message a caseworker can act on."""


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
