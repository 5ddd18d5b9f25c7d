"""Errors a report export reports to the person who asked for it."""

from caseworker_app.domain.errors import CaseworkerError


class ExportError(CaseworkerError):
    """A report could not be produced or written; the message is one line saying what to do."""


class ExportCancelled(ExportError):
    """The person cancelled the export; nothing was written."""
