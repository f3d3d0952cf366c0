"""An operation on the wire, both ways: the hub source turns a call into a request and an answer
back into a result; the hub turns a request into the call's arguments and a result into its
answer. Both from the operation's declaration (dissuade/sources/table.py), with the one JSON
codec, so the two sides cannot drift."""

from __future__ import annotations

import inspect
from dataclasses import fields, is_dataclass, replace
from typing import Any

from dissuade.domain import timeutil
from dissuade.domain.errors import InvalidInput
from dissuade.domain.policy import Policy
from dissuade.sources import codec
from dissuade.sources.ops import Arg, Op, Param

# -- the centre policy's JSON form (GET /api/v1/policy) ----------------------------------------


def policy_out(p: Policy) -> dict[str, Any]:
    return {**p.settings_dict(), "levels": [lv.as_dict() for lv in p.levels.values()]}


def policy_in(data: dict[str, Any]) -> Policy:
    """The hub's policy JSON read through the settings' declarations: a setting an older hub
    does not send takes its default; one this version does not know is ignored."""
    return Policy.from_json(data)


codec.register(Policy, policy_out, policy_in)


# -- a call as a request, and its answer back (the hub source's side) -------------------------


def _value_out(p: Param | None, arg: Arg, value: Any) -> Any:
    if arg.time:
        return timeutil.iso(value)
    return value


def request(operation: Op, args: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    """(path, query parameters, JSON body or None) for calling `operation` with `args`."""
    path = operation.path.format(**{p.name: args[p.name] for p in operation.wire_args("path")})
    query: dict[str, Any] = {}
    body: dict[str, Any] | None = None
    for p in operation.params:
        value = args.get(p.name)
        if p.where == "path":
            continue
        if p.arg.spread is not None:
            for key, arg in p.arg.spread.items():
                item = (value or {}).get(key)
                if item not in (None, ""):
                    query[arg.as_ or key] = _value_out(None, arg, item)
            continue
        if p.where == "query":
            if value is not None:
                query[p.wire] = _value_out(p, p.arg, value)
            continue
        if p.arg.whole:
            body = dict(value or {})
            continue
        if value is None:
            continue
        body = body if body is not None else {}
        body[p.wire] = _value_out(p, p.arg, value)
    if body is None and operation.method in ("POST", "PUT") and any(
            p.where == "body" for p in operation.params):
        body = {}
    return path, query, body


def result(operation: Op, status: int, content: bytes, data: Any) -> Any:
    """The result of `operation` from the hub's answer (`data`: its JSON, when not bytes)."""
    if status == 204:
        return None
    if operation.media_type is not None:
        return content
    if isinstance(operation.out, tuple):
        data = tuple(data[key] for key in operation.out)
    elif isinstance(operation.out, str):
        data = data[operation.out]
    value = codec.from_json(data, operation.result)
    if operation.created and is_dataclass(value) and \
            any(f.name == "created" for f in fields(value)):
        value = replace(value, created=status == 201)  # type: ignore[type-var]
    return value


# -- a request as a call, and its result as an answer (the hub's side) -------------------------


def _value_in(arg: Arg, wire: str, value: Any, tz: str) -> Any:
    if arg.time:
        return None if value in (None, "") else timeutil.parse(value, tz=tz, field=wire)
    return value


def arguments(operation: Op, path: dict[str, Any], query: dict[str, Any],
              body: dict[str, Any] | None, *, tz: str) -> dict[str, Any]:
    """The call's arguments from a request's parts (each already checked by the hub's route)."""
    args: dict[str, Any] = {}
    fields = [p for p in operation.params if p.where == "body" and not p.arg.whole]
    if body is not None and fields and len(fields) == len(
            [p for p in operation.params if p.where == "body"]):
        # What is missing first (the shape), then what no one asked for.
        for p in fields:
            if p.wire not in body and p.default is inspect.Parameter.empty:
                raise InvalidInput(f"缺少字段 / missing field: {p.wire}", field=p.wire)
        unknown = sorted(set(body) - {p.wire for p in fields})
        if unknown:
            raise InvalidInput(f"未知字段 / unknown field: {unknown[0][:64]}",
                               field=unknown[0][:64])
    for p in operation.params:
        if p.where == "path":
            args[p.name] = path[p.wire]
        elif p.arg.spread is not None:
            args[p.name] = {key: _value_in(arg, arg.as_ or key, query.get(arg.as_ or key), tz)
                            for key, arg in p.arg.spread.items()}
        elif p.where == "query":
            args[p.name] = _value_in(p.arg, p.wire, query.get(p.wire, p.default), tz)
        elif p.arg.whole:
            args[p.name] = body if body is not None else {}
        else:
            given = (body or {}).get(p.wire, p.default)
            args[p.name] = _value_in(p.arg, p.wire, given, tz)
    return args


def answer(operation: Op, value: Any, args: dict[str, Any]) -> Any:
    """The JSON answer of `operation` that gave `value` (called with `args`)."""
    if isinstance(operation.out, tuple):
        out = {key: codec.to_json(item) for key, item in zip(operation.out, value, strict=True)}
    elif isinstance(operation.out, str):
        out = {operation.out: codec.to_json(value)}
    else:
        return codec.to_json(value, operation.result)
    for name in operation.echo:
        out[name] = args[name]
    return out


__all__ = ["answer", "arguments", "policy_in", "policy_out", "request", "result"]
