"""What an operation of the Source interface is: how it is declared, and how the core runs it.

Every operation is one method of `dissuade.sources.table.Operations`, declared once with the
`op(...)` decorator: its HTTP method and path, the roles that may call it, how each argument
travels (the path, the query, the JSON body) and what the answer looks like. From that one
declaration come the hub's routes (dissuade/hub/routes.py), the hub source's requests
(dissuade/sources/http.py), the local source's role check and call (dissuade/sources/local.py),
and the contract tests over every operation and role. `execute` is the one place where an
operation meets the store: the role check, the call, the masking of what leaves the core.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, get_type_hints

from dissuade.domain import privacy
from dissuade.domain.errors import Forbidden

F = TypeVar("F", bound=Callable[..., Any])


# -- how an argument travels ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Arg:
    """Annotated metadata of an operation's argument: its name on the wire (`as_`), bounds for
    the hub's check (`ge`, `le`, `max_length`, `max_items`), whether it is a moment (epoch
    seconds in Python, ISO 8601 on the wire), or the whole JSON body (`whole`)."""

    as_: str | None = None
    ge: float | None = None
    le: float | None = None
    max_length: int | None = None
    min_length: int | None = None
    max_items: int | None = None
    time: bool = False
    whole: bool = False
    required: bool = False  # required on the wire though optional in Python (a client_id)
    choices: tuple[str, ...] | None = None  # the values the hub takes (the core checks too)
    schema: dict[str, Any] | None = None  # the OpenAPI schema of a value the core checks itself
    check: Callable[..., Any] | None = None  # the hub's check before the core's (same function)
    spread: dict[str, Arg] | None = None  # a dict argument whose keys travel one by one


def arg(**kwargs: Any) -> Arg:
    return Arg(**kwargs)


TIME = Arg(time=True)
WHOLE = Arg(whole=True)
ID = Arg(ge=1, le=2**62)


@dataclass(frozen=True, slots=True)
class Param:
    name: str  # in Python
    wire: str  # on the wire
    where: str  # path, query or body
    kind: Any  # the Python type, without Annotated
    arg: Arg
    default: Any  # inspect.Parameter.empty when required


# -- the operation --------------------------------------------------------------------------------


Runner = Callable[..., Any]  # (store, caller, env, **args) -> result


@dataclass(frozen=True)
class Op:
    """One operation. `run` says how the core does it (default: the store method of the same
    name with the caller's name as `user`); `repeat` finds a request already done (a client_id
    seen before: the hub then answers 200 instead of 201); `out` names the JSON object's keys
    when the answer is a value or a tuple rather than a record; `masked`: the answer goes
    through dissuade.domain.privacy; `reader`: a long read, run on a connection of its own."""

    name: str
    method: str
    path: str
    roles: frozenset[str]
    params: tuple[Param, ...]
    result: Any  # the return annotation
    run: Runner | None = None
    created: bool = False  # answers 201 when it made something (200 for a repeat)
    repeat: Callable[..., Any] | None = None
    out: str | tuple[str, ...] | None = None
    masked: bool = True
    reader: bool = False
    offline: str | None = None  # kept in the hub source's outbox as this kind when offline
    local_only: bool = False  # no route: the hub does it itself (chase calls)
    media_type: str | None = None  # the answer is bytes of this type
    filename: str | None = None  # its file name, from the arguments ("card-lock-{escalation_id}.pdf")
    timeout: float | None = None  # seconds the hub source waits (a long delivery, a long read)
    user: str | None = "user"  # the store method's keyword for the caller's name (None: none)
    echo: tuple[str, ...] = ()  # arguments repeated in the JSON answer beside `out`
    io: bool = False  # reaches a gateway: the local source's lock is taken per store call only
    grouped: bool = False  # a short write reaching no gateway: the hub commits it with others
    summary: str = ""

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def wire_args(self, where: str) -> Iterator[Param]:
        return (p for p in self.params if p.where == where)


OPERATIONS: dict[str, Op] = {}


def op(method: str, path: str, roles: frozenset[str], **options: Any) -> Callable[[F], F]:
    """Declare the decorated method an operation of the Source interface (see the module's
    docstring); the method's body is never run: a call goes to the source's `_invoke`."""

    def declare(func: F) -> F:
        hints = get_type_hints(func, include_extras=True)
        signature = inspect.signature(func)
        names_in_path = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        params = []
        for name, p in signature.parameters.items():
            if name == "self":
                continue
            kind, meta = _split(hints[name])
            if name in names_in_path:
                where = "path"
            elif method in ("GET", "DELETE"):
                where = "query"
            else:
                where = "body"
            params.append(Param(name, meta.as_ or name, where, kind, meta, p.default))
        operation = Op(func.__name__, method, path, frozenset(roles), tuple(params),
                       hints.get("return"),
                       summary=" ".join((func.__doc__ or "").strip().split("\n\n")[0].split()),
                       **options)
        OPERATIONS[operation.name] = operation

        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(self, *args, **kwargs)
            bound.apply_defaults()
            values = dict(bound.arguments)
            values.pop("self")
            return self._invoke(operation, values)

        call.__name__ = func.__name__
        call.__qualname__ = func.__qualname__
        call.__doc__ = func.__doc__
        call.__signature__ = signature  # type: ignore[attr-defined]
        call.operation = operation  # type: ignore[attr-defined]
        return typing.cast(F, call)

    return declare


def _split(hint: Any) -> tuple[Any, Arg]:
    """(the type, its Arg) of an annotation that may be Annotated[type, Arg]."""
    if typing.get_origin(hint) is typing.Annotated:
        metas = [m for m in hint.__metadata__ if isinstance(m, Arg)]
        return hint.__origin__, metas[0] if metas else Arg()
    return hint, Arg()


# -- running an operation in the core ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asks: their name and role (a token's on the hub, the file's user locally)."""

    name: str
    role: str


@dataclass
class Env:
    """What the core needs beside the store for some operations: the bank gateway, the dialer
    (for the local source's chase calls) and where the voice warnings are made."""

    bank: Any = None
    dialer: Any = None
    extras: dict[str, Any] = field(default_factory=dict)


def check_role(operation: Op, caller: Caller) -> None:
    if caller.role not in operation.roles:
        needs = " or ".join(sorted(operation.roles))
        raise Forbidden(f"角色 {caller.role} 无权执行此操作 / role {caller.role} may not do this "
                        f"(needs {needs})")


def execute(operation: Op, store: Any, caller: Caller, env: Env, args: dict[str, Any]) -> Any:
    """The operation in the core: the caller's role checked, the store called, the answer masked
    (cards, ID numbers and numbers in free text) on its way out."""
    check_role(operation, caller)
    if operation.run is not None:
        result = operation.run(store, caller, env, **args)
    elif operation.user is not None:
        result = getattr(store, operation.name)(**args, **{operation.user: caller.name})
    else:
        result = getattr(store, operation.name)(**args)
    return privacy.mask(result) if operation.masked else result


__all__ = ["Arg", "Caller", "Env", "ID", "OPERATIONS", "Op", "Param", "TIME", "WHOLE", "arg",
           "execute", "op"]
