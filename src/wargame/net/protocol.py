"""The messages between host and seats: JSON objects over WebSocket, tagged by `type`.

Every message a client sends is read through the project's strict cattrs
converter (unknown keys, wrong types and unknown tags are refused, each naming
the field), after a size check; what fails gets an `Error` reply, never a
crash. Actions travel as the engine's own action classes, tagged by `kind`.
"""

from __future__ import annotations

import json
import typing
from typing import Any, Optional, Union

import attrs
from cattrs.strategies import configure_tagged_union

from ..convert import error_lines, make_converter
from ..model import Action

MAX_MESSAGE = 16 * 1024  # bytes a client may send in one message; a move is under 1 KiB
MAX_FRAME = 1024 * 1024  # beyond this the WebSocket layer drops the connection itself


# --- from a seat to the host -----------------------------------------------------------------


@attrs.frozen
class Hello:
    """The first message: a seat's join code, or `observer` for the public view."""

    code: str = ""
    observer: bool = False


@attrs.frozen
class Act:
    """A move, and the state version it was based on (a stale one is refused with a `Resync`)."""

    version: int
    action: Action


@attrs.frozen
class Ping:
    """Asks for a `Pong` (a connection test, and the bench's round trip without a move)."""

    n: int = 0


ClientMessage = Union[Hello, Act, Ping]

# --- from the host to a seat ----------------------------------------------------------------


@attrs.frozen
class Welcome:
    """The code was right: `seat` (None for an observer) and the game as it stands."""

    seat: Optional[str]
    version: int
    view: dict[str, Any]
    clock_end: Optional[float] = None


@attrs.frozen
class Update:
    """The game moved on: the seat's new view, the room's new lines of the log, the round clock's end."""

    version: int
    view: dict[str, Any]
    news: tuple[str, ...] = ()
    clock_end: Optional[float] = None  # the round's end as a Unix time: each client counts down itself


@attrs.frozen
class Resync:
    """An action based on an old version: refused, and here is the game as it stands now."""

    version: int
    view: dict[str, Any]
    reason: str = ""
    clock_end: Optional[float] = None


@attrs.frozen
class Refused:
    """The move may not be made now (the turn flow's or the engine's reason); nothing changed."""

    reason: str
    version: int


@attrs.frozen
class Error:
    """The message could not be read (malformed, oversized, unknown code); the connection stays up unless `fatal`."""

    message: str
    fatal: bool = False


@attrs.frozen
class Pong:
    n: int = 0


ServerMessage = Union[Welcome, Update, Resync, Refused, Error, Pong]

_TAGS = {cls: cls.__name__.lower() for cls in (Hello, Act, Ping, Welcome, Update, Resync, Refused, Error, Pong)}

wire = make_converter(eager=True)  # the first move must not wait for the hooks
configure_tagged_union(ClientMessage, wire, tag_generator=lambda cls: _TAGS[cls], tag_name="type")
configure_tagged_union(ServerMessage, wire, tag_generator=lambda cls: _TAGS[cls], tag_name="type")


class BadMessage(ValueError):
    """A message that cannot be read: the reason, for the `Error` reply."""


def encode(message: Any) -> str:
    union = ClientMessage if isinstance(message, (Hello, Act, Ping)) else ServerMessage
    return json.dumps(wire.unstructure(message, union), ensure_ascii=False, separators=(",", ":"))


def encode_view(message: Union[Welcome, Update, Resync], view_json: str) -> str:
    """`encode(message)` with its view already in JSON (`view_json`, made once for every connection of a seat)."""
    table = wire.unstructure(attrs.evolve(message, view={}), ServerMessage)
    del table["view"]
    head = json.dumps(table, ensure_ascii=False, separators=(",", ":"))
    return f'{head[:-1]},"view":{view_json}}}'


def _decode(text: Union[str, bytes], union: Any, limit: Optional[int]) -> Any:
    if limit is not None and len(text) > limit:
        raise BadMessage(f"message too large: {len(text)} bytes, at most {limit}")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadMessage(f"not JSON: {str(exc)[:120]}") from None
    if not isinstance(data, dict):
        raise BadMessage("expected a JSON object with a type")
    known = [tag for cls, tag in _TAGS.items() if cls in typing.get_args(union)]
    if data.get("type") not in known:
        raise BadMessage(f"unknown message type {str(data.get('type'))[:40]!r}: expected one of {', '.join(known)}")
    try:
        return wire.structure(data, union)
    except Exception as exc:  # noqa: BLE001 - cattrs raises many kinds; each becomes one reply
        lines = error_lines(exc)
        raise BadMessage("; ".join(lines)[:300]) from None


def decode_client(text: Union[str, bytes]) -> Union[Hello, Act, Ping]:
    """A seat's message, validated; raises `BadMessage` saying why not."""
    return _decode(text, ClientMessage, MAX_MESSAGE)


def decode_server(text: Union[str, bytes]) -> Union[Welcome, Update, Resync, Refused, Error, Pong]:
    """The host's message, validated (the client trusts the host no more than the host trusts it)."""
    return _decode(text, ServerMessage, None)
