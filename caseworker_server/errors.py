"""Refusals the API gives, each with a sentence a person can read."""

from __future__ import annotations


class CaseworkerServerError(Exception):
    """A refusal or failure whose message can be shown as is (CLI and API)."""


class Refusal(CaseworkerServerError):
    """An HTTP refusal: status, a readable detail, and for device states a machine code."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str | None = None,
        wipe: bool = False,
        headers: dict[str, str] | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(detail)
        self.extra = extra or {}
        self.status = status
        self.detail = detail
        self.code = code
        self.wipe = wipe
        self.headers = headers or {}

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {"detail": self.detail}
        if self.code:
            body["code"] = self.code
        if self.wipe:
            body["wipe"] = True
        body.update(self.extra)
        return body


class NotFound(CaseworkerServerError):
    pass


class Invalid(CaseworkerServerError):
    pass
