"""Wire schemas of the sync protocol, shared by the client and the central server.

Records travel in their plain form (see `caseworker_app.domain.codec`); these
models describe the envelopes around them. Bump PROTOCOL_VERSION on any change
an older peer could misread.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from caseworker_app.domain.entities import ENTITY_TYPES, Synced
from caseworker_app.i18n import N_

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-Caseworker-Protocol"
# The server says it in English; the app shows it in its own language.
UPDATE_APP_MESSAGE = N_("This version of Caseworker is too old for the server; update the app.")

# Record kinds the server makes, beside the domain's synced records.
CONFLICT_ENTITY = "conflict"
SCHOOL_ENTITY = "school"
SERVICE_ENTITY = "service"
TEAM_MEMBER_ENTITY = "team_member"
REFERENCE_ENTITIES = (SCHOOL_ENTITY, SERVICE_ENTITY, TEAM_MEMBER_ENTITY)

# Fields a mutation never carries: the row's identity and the server's version.
IDENTITY_FIELDS = frozenset({"id", "case_id", "version"})

MAX_MUTATIONS_PER_PUSH = 500
MAX_PUSH_BYTES = 8 * 1024 * 1024
DEFAULT_PULL_LIMIT = 2000
MAX_PULL_LIMIT = 10000

MutationStatus = Literal["applied", "merged", "conflict", "rejected"]

__all__ = [
    "CONFLICT_ENTITY",
    "ENTITY_TYPES",
    "PROTOCOL_HEADER",
    "PROTOCOL_VERSION",
    "Change",
    "FieldChange",
    "Mutation",
    "MutationResult",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "ReconcileRequest",
    "ReconcileResponse",
    "Synced",
    "records_digest",
]

_UUID = r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
_UUID_TEXT = re.compile(_UUID)
# The spelling canonical_id gives; nearly every id on the wire already has it (a pull carries ~100,000).
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Fields of a record that hold the id of a row (a student id is the school's, not ours).
REFERENCE_FIELDS = frozenset(
    {
        "id",
        "case_id",
        "row_id",
        "mutation_id",
        "school_id",
        "visit_id",
        "assessment_id",
        "child_id",
        "person_id",
        "addendum_to",
    }
)


def canonical_id(value: str) -> str:
    """One spelling per id: a UUID in any case, with or without dashes, becomes lowercase and dashed.

    Anything else (a username as a team row's id) is left as it is. Every id crossing the
    protocol, in either direction, goes through here, so one row never gets two ids.
    """
    if len(value) == 36 and _CANONICAL_UUID.fullmatch(value):
        return value  # already canonical: parsing it again would give the same text
    if _UUID_TEXT.match(value):
        return str(uuid.UUID(value))
    return value


def canonical_ids(value: Any, name: str | None = None) -> Any:
    """A record's field value with every id it holds in canonical form (nested rows included)."""
    if isinstance(value, str):
        return canonical_id(value) if name in REFERENCE_FIELDS else value
    if isinstance(value, list):
        return [canonical_ids(item) if isinstance(item, (dict, list)) else item for item in value]
    if isinstance(value, dict):
        return canonical_fields(dict(value))
    return value


def canonical_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """`canonical_ids` of a record's fields, done in place on a dict the caller owns.

    The hot path of a pull (about 15 fields a record, 20,000 records a first sync): plain
    values and ids already canonical are left where they are, without a call or a copy.
    """
    for key, item in fields.items():
        if isinstance(item, str):
            if key in REFERENCE_FIELDS and not (len(item) == 36 and _CANONICAL_UUID.fullmatch(item)):
                fields[key] = canonical_id(item)  # same keys: safe while iterating
        elif isinstance(item, (dict, list)):
            fields[key] = canonical_ids(item, key)
    return fields


def _canonical(value: Any) -> Any:
    return canonical_id(value) if isinstance(value, str) else value


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # Databases refuse NUL in text; say so instead of failing later.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("text cannot contain NUL characters")
        return value


class FieldChange(BaseModel):
    """One field of a mutation: the value the edit started from and the value it sets (any plain value)."""

    model_config = ConfigDict(extra="forbid")

    base: Any = None
    new: Any = None


class Mutation(_Wire):
    """One outbox entry: a change to one row, relative to the version it was made on."""

    mutation_id: str = Field(pattern=_UUID)
    entity: str = Field(min_length=1, max_length=64)
    row_id: str = Field(pattern=_UUID)
    case_id: str = Field(pattern=_UUID)
    base_version: int = Field(ge=0, le=2**62)
    changes: dict[str, FieldChange] = Field(max_length=200)
    resolves_conflict: str | None = Field(default=None, pattern=_UUID)

    @field_validator("mutation_id", "row_id", "case_id", "resolves_conflict")
    @classmethod
    def _canonical_id(cls, value: str | None) -> str | None:
        return _canonical(value)  # type: ignore[no-any-return]

    @field_validator("changes")
    @classmethod
    def _canonical_references(cls, value: dict[str, FieldChange]) -> dict[str, FieldChange]:
        return {
            name: FieldChange(base=canonical_ids(change.base, name), new=canonical_ids(change.new, name))
            for name, change in value.items()
        }


class PushRequest(_Wire):
    mutations: list[Mutation] = Field(max_length=MAX_MUTATIONS_PER_PUSH)


class ConflictInfo(_Wire):
    conflict_id: str
    field: str
    local: Any = None
    server: Any = None

    @field_validator("conflict_id")
    @classmethod
    def _canonical_id(cls, value: str) -> str:
        return canonical_id(value)


class MutationResult(_Wire):
    """What became of one mutation. `fields` is the row as the server now holds it."""

    mutation_id: str
    status: MutationStatus
    version: int | None = None
    reason: str | None = None
    conflicts: list[ConflictInfo] = Field(default_factory=list)
    fields: dict[str, Any] | None = None

    @field_validator("mutation_id")
    @classmethod
    def _canonical_id(cls, value: str) -> str:
        return canonical_id(value)

    @field_validator("fields")
    @classmethod
    def _canonical_references(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return dict(canonical_ids(value)) if value is not None else None


class PushResponse(_Wire):
    results: list[MutationResult]


class Change(BaseModel):
    """A row as it stands after the change numbered `seq`."""

    # A pull carries tens of thousands of these: one check after the fields are read does what
    # _Wire's per-field validators would (no NUL in text, ids in canonical form), at a fraction of the cost.
    model_config = ConfigDict(extra="forbid")

    seq: int
    entity: str
    row_id: str
    case_id: str | None
    version: int
    fields: dict[str, Any]

    @model_validator(mode="after")
    def _checked(self) -> Change:
        values = self.__dict__  # assigning through the model would validate again, for nothing
        for name in ("entity", "row_id", "case_id"):
            text = values[name]
            if text is not None and "\x00" in text:
                raise ValueError(f"{name}: text cannot contain NUL characters")
        values["row_id"] = canonical_id(self.row_id)
        if self.case_id is not None:
            values["case_id"] = canonical_id(self.case_id)
        canonical_fields(self.fields)  # pydantic made this dict from the wire: it is ours to change
        return self


class Grant(_Wire):
    """A case that became visible: its whole bundle of records."""

    case_id: str
    records: list[Change]

    @field_validator("case_id")
    @classmethod
    def _canonical_id(cls, value: str) -> str:
        return canonical_id(value)


class PullResponse(_Wire):
    changes: list[Change]
    grants: list[Grant] = Field(default_factory=list)
    revocations: list[str] = Field(default_factory=list)
    has_more: bool
    next_cursor: int

    @field_validator("revocations")
    @classmethod
    def _canonical_ids(cls, value: list[str]) -> list[str]:
        return [canonical_id(case_id) for case_id in value]


class HeldRecord(_Wire):
    entity: str = Field(min_length=1, max_length=64)
    row_id: str = Field(min_length=1, max_length=64)
    version: int = Field(ge=0, le=2**62)

    @field_validator("row_id")
    @classmethod
    def _canonical_id(cls, value: str) -> str:
        return canonical_id(value)


class ReconcileRequest(_Wire):
    """What the client holds: a digest alone, or the list of rows with versions."""

    digest: str | None = Field(default=None, max_length=128)
    records: list[HeldRecord] | None = Field(default=None, max_length=200_000)


class RowRef(_Wire):
    entity: str
    row_id: str

    @field_validator("row_id")
    @classmethod
    def _canonical_id(cls, value: str) -> str:
        return canonical_id(value)


class ReconcileResponse(_Wire):
    match: bool
    digest: str
    missing: list[Change] = Field(default_factory=list)
    stale: list[Change] = Field(default_factory=list)
    extra: list[RowRef] = Field(default_factory=list)


class TokenRequest(_Wire):
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)
    device_id: str = Field(pattern=_UUID)
    device_name: str = Field(default="", max_length=200)

    @field_validator("device_id")
    @classmethod
    def _canonical_id(cls, value: str) -> str:
        return canonical_id(value)


class RefreshRequest(_Wire):
    refresh_token: str = Field(min_length=1, max_length=256)
    device_id: str = Field(pattern=_UUID)

    @field_validator("device_id")
    @classmethod
    def _canonical_id(cls, value: str) -> str:
        return canonical_id(value)


class WipeConfirmation(_Wire):
    refresh_token: str = Field(min_length=1, max_length=256)
    device_id: str = Field(pattern=_UUID)

    @field_validator("device_id")
    @classmethod
    def _canonical_id(cls, value: str) -> str:
        return canonical_id(value)


class UserInfo(_Wire):
    username: str
    display_name: str
    role: str


class TokenResponse(_Wire):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_expires_in: int
    device_id: str
    user: UserInfo
    # The server's wipe-order public key (Ed25519, base64): the laptop obeys only orders it signed.
    wipe_key: str | None = None


class WipeOrder(_Wire):
    """A wipe order, signed by the server's wipe key, naming the one account and device it applies to
    (device ids are unique per account only)."""

    username: str
    device_id: str
    issued_at: str
    signature: str


def wipe_order_message(username: str, device_id: str, issued_at: str) -> bytes:
    """The exact bytes a wipe order signs."""
    return f"caseworker-wipe-order:2:{username}:{device_id.lower()}:{issued_at}".encode()


class ErrorBody(BaseModel):
    """Every refusal: a sentence a person can read, and for device states a code."""

    detail: Any
    code: str | None = None
    wipe: bool = False


def records_digest(rows: Iterable[tuple[str, str, int]]) -> str:
    """Digest of (entity, row_id, version) triples, independent of their order."""
    lines = sorted(f"{entity}:{row_id.lower()}:{version}" for entity, row_id, version in rows)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()
