"""Records to and from their plain form: JSON-ready values, as stored and sent on the wire.

Dates and times become ISO 8601 strings (they sort as text), enums their value,
nested records dicts. One codec serves the store, the outbox and the protocol.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")

Plain = None | bool | int | float | str | list[Any] | dict[str, Any]


def encode_value(value: object) -> Plain:
    if value is None or isinstance(value, bool | int | float | str):
        if isinstance(value, Enum):
            return typing.cast(Plain, value.value)
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return typing.cast(Plain, value.value)
    if isinstance(value, list | tuple):
        return [encode_value(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot encode {type(value).__name__}")


def encode(record: object) -> dict[str, Plain]:
    """All fields of a dataclass record in plain form."""
    result = encode_value(record)
    assert isinstance(result, dict)
    return result


@cache
def field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode_value(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return decode_value(args[0], value)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [decode_value(item, v) for v in value]
    if isinstance(tp, type):
        if issubclass(tp, Enum):
            return tp(value)
        if issubclass(tp, datetime):
            return value if isinstance(value, datetime) else datetime.fromisoformat(value)
        if issubclass(tp, date):
            return value if isinstance(value, date) else date.fromisoformat(value)
        if dataclasses.is_dataclass(tp):
            return decode(tp, value)
    return value


def decode(cls: type[T], plain: dict[str, Any]) -> T:
    """Build a record from its plain form; unknown keys are ignored."""
    hints = field_types(cls)  # type: ignore[arg-type]
    kwargs = {
        f.name: decode_value(hints[f.name], plain[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in plain
    }
    return cls(**kwargs)


def same_plain(a: Any, b: Any) -> bool:
    """Plain values compare by value; True and 1 are different values, 1 and 1.0 the same."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_plain(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_plain(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return False
    return bool(a == b)


def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))
