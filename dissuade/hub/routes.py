"""The hub's routes, one per operation of the table (dissuade/sources/table.py).

Each route checks the caller's token and role, the request's shape (a pydantic model built from
the operation's declared arguments and bounds), turns it into the call's arguments, runs the
operation in the core (`ops.execute`, as a local source does) and answers with the one codec.
Nothing here is written per operation: a new operation in the table is a new route.
"""

# No `from __future__ import annotations`: FastAPI reads the built signatures' annotations.

import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, Optional

from fastapi import Body, Depends, FastAPI, Query, Response
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema, create_model

from dissuade.domain.errors import InvalidInput
from dissuade.hub import schemas
from dissuade.hub.writer import GroupCommit
from dissuade.sources import wire
from dissuade.sources.ops import OPERATIONS, Arg, Caller, Env, Op, Param, execute

TIME_TEXT = 100  # an ISO 8601 time, as text on the wire
# Bodies with a model of their own: the feeds' (checked by the core itself: a bad secondary value
# is a problem noted, not a 422 that repeats the value; the models only document them) and the
# centre settings'.
DOCUMENTED = {"add_warning": schemas.WarningIn, "add_warnings": schemas.WarningBatchIn,
              "update_settings": schemas.SettingsIn}


def add_routes(app: FastAPI, *, store: Callable[[], Any], env: Env,
               allow: Callable[[frozenset[str]], Callable[..., Any]],
               writer: GroupCommit) -> None:
    """A route for every operation but those a hub does itself; paths with fixed segments
    first, so that /escalations/holds is never read as /escalations/{escalation_id}. A grouped
    operation runs on the writer, committed with the others waiting (writer.py)."""
    for operation in sorted(OPERATIONS.values(), key=_order):
        if operation.local_only:
            continue
        endpoint = _endpoint(operation, store, env, allow(operation.roles),
                             writer if operation.grouped else None)
        app.add_api_route(
            operation.path, endpoint, methods=[operation.method], name=operation.name,
            summary=operation.summary, response_class=JSONResponse, response_model=None,
            status_code=201 if operation.created else 200)


def _order(operation: Op) -> tuple[int, str]:
    parts = operation.path.split("/")
    return (sum(p.startswith("{") for p in parts), operation.path)


def _endpoint(operation: Op, store: Callable[[], Any], env: Env, who: Callable[..., Any],
              writer: GroupCommit | None) -> Callable[..., Any]:
    # The caller first (a dependency: the token, the role, text that cannot be stored), then
    # the request's shape: 401, 403, then 422. FastAPI runs the endpoint on a worker thread;
    # a grouped operation's answer is made on the writer's thread, inside its group.
    params = [inspect.Parameter("who", inspect.Parameter.KEYWORD_ONLY,
                                annotation=Annotated[Caller, Depends(who)])]
    query_names: list[tuple[str, str]] = []  # (python keyword, wire name)
    for p in operation.params:
        if p.where == "path":
            params.append(inspect.Parameter(
                p.wire, inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[p.kind, PathParam(**_bounds(p.arg))]))
        elif p.where == "query":
            for keyword, wire_name, arg, kind, default in _query_args(p):
                query_names.append((keyword, wire_name))
                params.append(inspect.Parameter(
                    keyword, inspect.Parameter.KEYWORD_ONLY, default=default,
                    annotation=Annotated[kind, Query(alias=wire_name, **_bounds(arg))]))
    body = _body_model(operation)
    if body is not None:
        # A body whose every field may be left out may be left out whole (claim-next).
        optional = all(p.default is not inspect.Parameter.empty and not p.arg.required
                       for p in operation.params if p.where == "body")
        params.append(inspect.Parameter(
            "body", inspect.Parameter.KEYWORD_ONLY, default=None if optional else
            inspect.Parameter.empty,
            annotation=Annotated[Optional[body] if optional else body, Body()]))  # noqa: UP045

    def answer(current: Any, kwargs: dict[str, Any]) -> Response:
        caller: Caller = kwargs["who"]
        path = {p.wire: kwargs[p.wire] for p in operation.params if p.where == "path"}
        query = {wire_name: kwargs[keyword] for keyword, wire_name in query_names}
        data = kwargs.get("body")
        if data is not None and not isinstance(data, dict):
            data = data.model_dump(exclude_unset=True)
        args = wire.arguments(operation, path, query, data, tz=current.policy().timezone)
        if operation.repeat is not None:
            seen = operation.repeat(current, args)
            if seen is not None:
                return JSONResponse(wire.answer(operation, _masked(operation, seen), args))
        value = execute(operation, current, caller, env, args)
        if value is None:
            return Response(status_code=204)
        if operation.media_type is not None:
            name = (operation.filename or "").format(**args)
            return Response(value, media_type=operation.media_type,
                            headers={"Content-Disposition": f'inline; filename="{name}"'})
        status = 201 if operation.created and getattr(value, "created", True) else 200
        return JSONResponse(wire.answer(operation, value, args), status_code=status)

    def on_worker(**kwargs: Any) -> Response:
        return answer(store(), kwargs)

    async def in_group(**kwargs: Any) -> Response:
        assert writer is not None
        return typing.cast(Response, await writer.run(lambda current: answer(current, kwargs)))

    endpoint: Any = on_worker if writer is None else in_group
    endpoint.__name__ = operation.name
    endpoint.__doc__ = operation.summary
    endpoint.__signature__ = inspect.Signature(params)
    return typing.cast(Callable[..., Any], endpoint)


def _masked(operation: Op, value: Any) -> Any:
    from dissuade.domain import privacy

    return privacy.mask(value) if operation.masked else value


def _bounds(arg: Arg) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("ge", "le", "max_length", "min_length"):
        value = getattr(arg, name)
        if value is not None:
            out[name] = value
    if arg.time:
        out["max_length"] = TIME_TEXT
    if arg.max_items is not None:
        out["max_length"] = arg.max_items
    return out


def _wire_type(kind: Any, arg: Arg) -> Any:
    """What the request carries for an argument of type `kind`."""
    optional = kind is not None and type(None) in getattr(kind, "__args__", ())
    if arg.time:
        return Optional[str]  # noqa: UP045 - a runtime type for pydantic
    if arg.choices is not None:
        choice: Any = Literal.__getitem__(arg.choices)
        return Optional[choice] if optional else choice  # noqa: UP045
    if kind is object:
        return Annotated[Any, WithJsonSchema(arg.schema or {})]
    return kind


def _query_args(p: Param) -> list[tuple[str, str, Arg, Any, Any]]:
    """(keyword, wire name, bounds, type, default) of the query parameters of `p`."""
    if p.arg.spread is not None:
        return [(f"{p.name}_{key}", arg.as_ or key, arg, Optional[str] if arg.time  # noqa: UP045
                 else Optional[_wire_type(str, arg)], None)  # noqa: UP045
                for key, arg in p.arg.spread.items()]
    default = None if p.default is inspect.Parameter.empty else p.default
    kind = _wire_type(p.kind, p.arg)
    if p.default is inspect.Parameter.empty:
        return [(f"q_{p.name}", p.wire, p.arg, kind, inspect.Parameter.empty)]
    return [(f"q_{p.name}", p.wire, p.arg, kind, default)]


def _body_model(operation: Op) -> Any:
    """The request body's model: the operation's body arguments with their bounds (unknown
    fields refused), a documenting model for the feeds' bodies, a plain object for a whole-body
    argument; None when the operation takes no body."""
    body = [p for p in operation.params if p.where == "body"]
    if not body:
        return None
    if operation.name in DOCUMENTED:
        return DOCUMENTED[operation.name]
    if len(body) == 1 and body[0].arg.whole:
        return dict[str, Any]
    fields: dict[str, Any] = {}
    for p in body:
        kind = _wire_type(p.kind, p.arg)
        if p.arg.check is not None:
            kind = Annotated[kind, AfterValidator(_validator(p.arg.check, p.wire))]
        required = p.arg.required or p.default is inspect.Parameter.empty
        default = ... if required else (None if p.default is inspect.Parameter.empty
                                         else p.default)
        fields[p.wire] = (kind, Field(default, **_bounds(p.arg)))
    name = "".join(part.title() for part in operation.name.split("_")) + "In"
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def _validator(check: Callable[..., Any], field: str) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        if value is None:
            return value
        try:
            return check(value, field=field)
        except InvalidInput as exc:
            raise ValueError(exc.message) from None

    return validate


__all__ = ["add_routes"]
