"""The JSON form of the core's records, both ways, derived from their types: ISO 8601 times out
(epoch seconds in), tuples as lists, nested records as objects. A record's fields say where they
differ from that (models.INLINE, models.key, models.CLIENT_ONLY); types with a form of their own
(the centre policy) register it here. One codec for the hub's answers and the hub source's
reading of them, so the two can never drift."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from dissuade.domain import timeutil

EPOCH = "epoch"  # the marker models.Epoch carries

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]
_CUSTOM: dict[type, tuple[Encoder, Decoder]] = {}


def register(kind: type, encode: Encoder, decode: Decoder) -> None:
    """A type with a JSON form of its own."""
    _CUSTOM[kind] = (encode, decode)


def to_json(value: Any, kind: Any = None) -> Any:
    """`value` (of type `kind`, when known: it tells times from plain numbers) as JSON data."""
    if kind is not None:
        return _encoder(kind)(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _encoder(type(value))(value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def from_json(data: Any, kind: Any) -> Any:
    """JSON data read back as `kind`."""
    return _decoder(kind)(data)


# -- compiled per type ------------------------------------------------------------------------


def _optional(kind: Any) -> tuple[Any, bool]:
    """(the type inside `X | None`, whether None was allowed)."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(kind) if a is not type(None)]
        if len(args) == 1 and len(get_args(kind)) == 2:
            return args[0], True
    return kind, False


def _is_epoch(kind: Any) -> bool:
    return get_origin(kind) is typing.Annotated and EPOCH in kind.__metadata__


@cache
def _encoder(kind: Any) -> Encoder:
    inner, optional = _optional(kind)
    encode = _encoder_of(inner)
    if optional:
        return lambda v: None if v is None else encode(v)
    return encode


def _encoder_of(kind: Any) -> Encoder:
    if _is_epoch(kind):
        return timeutil.iso
    if get_origin(kind) is typing.Annotated:
        return _encoder(kind.__origin__)
    if isinstance(kind, type) and kind in _CUSTOM:
        return _CUSTOM[kind][0]
    supertype = getattr(kind, "__supertype__", None)  # a NewType id
    if supertype is not None:
        return _encoder(supertype)
    origin = get_origin(kind)
    if origin in (list, tuple):
        args = get_args(kind)
        item = _encoder(args[0]) if args and args[0] is not Ellipsis else to_json
        if origin is tuple and len(args) > 1 and args[1] is not Ellipsis:
            encoders = [_encoder(a) for a in args]
            return lambda v: [e(x) for e, x in zip(encoders, v, strict=True)]
        return lambda v: [item(x) for x in v]
    if origin is dict:
        return lambda v: dict(v)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _record_encoder(kind)
    return lambda v: v


def _record_encoder(kind: type) -> Encoder:
    fields = _fields(kind)
    extra = tuple(getattr(kind, "JSON_EXTRA", ()))

    def encode(record: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, key_, inline, enc, _dec, _default in fields:
            if key_ is None:
                continue
            value = enc(getattr(record, name))
            if inline:
                out.update(value)
            else:
                out[key_] = value
        for name in extra:
            out[name] = getattr(record, name)
        return out

    return encode


_NO_DEFAULT = object()


@cache
def _fields(kind: type) -> tuple[tuple[str, str | None, bool, Encoder, Decoder, Any], ...]:
    """Per field: (name, JSON key or None, inline, encoder, decoder, default)."""
    hints = get_type_hints(kind, include_extras=True)
    out = []
    for f in dataclasses.fields(kind):
        meta = f.metadata
        key_ = meta.get("json", f.name) if "json" in meta else f.name
        default: Any = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING
            else _NO_DEFAULT)
        out.append((f.name, key_, bool(meta.get("inline")), _encoder(hints[f.name]),
                    _decoder(hints[f.name]), default))
    return tuple(out)


@cache
def _decoder(kind: Any) -> Decoder:
    inner, optional = _optional(kind)
    decode = _decoder_of(inner)
    if optional:
        return lambda v: None if v is None else decode(v)
    return decode


def _decoder_of(kind: Any) -> Decoder:
    if _is_epoch(kind):
        return lambda v: None if v in (None, "") else timeutil.parse(v)
    if get_origin(kind) is typing.Annotated:
        return _decoder(kind.__origin__)
    if isinstance(kind, type) and kind in _CUSTOM:
        return _CUSTOM[kind][1]
    supertype = getattr(kind, "__supertype__", None)
    if supertype is not None:
        base = _decoder(supertype)
        return lambda v: kind(base(v))
    origin = get_origin(kind)
    if origin in (list, tuple):
        args = get_args(kind)
        if origin is tuple and len(args) > 1 and args[1] is not Ellipsis:
            decoders = [_decoder(a) for a in args]
            return lambda v: tuple(d(x) for d, x in zip(decoders, v, strict=True))
        item = _decoder(args[0]) if args else (lambda x: x)
        make = tuple if origin is tuple else list
        return lambda v: make(item(x) for x in (v or ()))
    if origin is dict:
        return lambda v: dict(v or {})
    if kind is float:
        return lambda v: None if v is None else float(v)
    if kind is int:
        return lambda v: None if v is None else int(v)
    if kind is bool:
        return lambda v: bool(v)
    if kind is str:
        return lambda v: "" if v is None else str(v)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _record_decoder(kind)
    return lambda v: v


def _record_decoder(kind: type) -> Decoder:
    fields = _fields(kind)

    def decode(data: dict[str, Any]) -> Any:
        values: dict[str, Any] = {}
        for name, key_, inline, _enc, dec, default in fields:
            if inline:
                values[name] = dec(data)
            elif key_ is not None and key_ in data:
                values[name] = dec(data[key_])
            elif default is not _NO_DEFAULT:
                values[name] = default
            else:
                values[name] = dec(None)
        return kind(**values)

    return decode


__all__ = ["from_json", "register", "to_json"]
