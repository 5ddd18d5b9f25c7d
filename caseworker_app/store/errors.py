"""Errors from opening and using the encrypted store, worded for the person at the keyboard."""

from caseworker_app.domain.errors import CaseworkerError


class ProfileError(CaseworkerError):
    """The profile folder is missing, damaged, or cannot be used."""


class ProfileMissing(ProfileError):
    pass


class ProfileExists(ProfileError):
    pass


class WrongPassphrase(ProfileError):
    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # this failure started a wait before the next attempt


class LockedOut(ProfileError):
    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class KeyringRequired(ProfileError):
    """IT policy forbids protecting the store with the passphrase alone."""


class StoreCorrupt(ProfileError):
    pass


class StoreMissing(ProfileError):
    """The key is here but the database file is gone or empty: never replaced by a new store."""


class KeyMissing(ProfileError):
    """The database is here but the file holding its wrapped key is gone."""


class ProfileBusy(ProfileError):
    """Another program is creating a profile in the same folder right now."""


class RecordNotFound(CaseworkerError):
    pass


class RecordChanged(CaseworkerError):
    """The record changed since the person loaded it, in a way that needs their eyes first."""


class StoreClosed(ProfileError):
    """The store was closed (locked or quit): its key is gone until the next unlock."""
