"""Sync failures, each with a message a caseworker can act on."""

from caseworker_app.domain.errors import CaseworkerError


class SyncError(CaseworkerError):
    """The sync run stopped; the outbox is intact and the next run picks up from here."""


class Offline(SyncError):
    """The server could not be reached. Normal for a laptop in the field."""


class NoServer(Offline):
    """The network answers, but not the sync server: a captive portal (hotel, guest Wi-Fi) or a proxy."""


class UpdateRequired(SyncError):
    """The server speaks a protocol this app does not (HTTP 426)."""


class SignInRequired(SyncError):
    """The device's sign-in was refused; local data is untouched. `code` is the server's reason
    (device_revoked, account_disabled, invalid_token) when it gave one."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class WipeOrdered(SyncError):
    """The server says IT ordered this device wiped; `order` is the signed order, if it sent one."""

    def __init__(self, message: str, order: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.order = order


class UnverifiedWipe(SyncError):
    """A wipe order that is not signed by this profile's server for this device: ignored."""


class InsecureServer(SyncError):
    """The server address would send passwords and case data unencrypted."""


class UntrustedCertificate(SyncError):
    """The server's TLS certificate failed verification: someone may be in the middle. Never "offline"."""


class Redirected(SyncError):
    """The server answered with a redirect; it is never followed (it could lead the password elsewhere)."""


class ServerRefused(SyncError):
    """The server refused a request with a reason (4xx)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class ServerFault(SyncError):
    """The server failed (5xx after retries) or answered something that is not the protocol."""


class ServerBusy(ServerFault):
    """The server kept answering "busy, come back later" (503 with Retry-After) past the patience
    of one run; nothing was lost, the next run sends the rest."""


class Cancelled(SyncError):
    pass


class NotEnrolled(SyncError):
    pass


class SyncRunning(SyncError):
    """Another run holds this profile's sync lock."""
