"""The one cattrs converter for decks and saves: strict about keys and types.

TOML already gives us real ints, strings and lists, so anything else is the
author's mistake; cattrs' defaults would quietly turn "3" into 3 or the string
"rus" into ('r', 'u', 's'). These hooks refuse instead, and
`transform_error` turns the refusals into lines naming the field.
"""

from __future__ import annotations

import math
import typing
from typing import Any

from cattrs import Converter
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, make_mapping_structure_fn, override
from cattrs.v import format_exception, transform_error

from .model import (
    Action, Agreed, Choice, CounterOffer, EventWaiting, GameState, Payload, PlayCard, Proposal, Proposed, Setup, ViolationPending,
)

# Bargaining's fields (packages, side-payments, counters) are left out while at their defaults, so
# a game without them writes its actions, log and pending proposal exactly as before they existed.
BARGAIN_FIELDS = {
    PlayCard: ("partner", "side_payment"),
    Proposed: ("partner", "side_payment"),
    Agreed: ("partner", "countered_by", "drop", "ask", "side_payment"),
    Proposal: ("partner", "side_payment", "countered_by", "drop", "ask"),
}

# A setup's fields left out at their defaults (see `make_converter`).
SETUP_OMITTED = ("event_preview", "exercise")

_NAMES = {int: "an integer", float: "a number", str: "a string", bool: "true or false", list: "a list", dict: "a table"}


def _type_name(value: Any) -> str:
    for t, name in (
        (bool, "true/false"),
        (int, "an integer"),
        (float, "a number"),
        (str, "a string"),
        (list, "a list"),
        (dict, "a table"),
    ):
        if isinstance(value, t):
            return name
    return type(value).__name__


class WrongType(TypeError):
    def __init__(self, expected: str, value: Any):
        super().__init__(f"expected {expected}, got {_type_name(value)} {value!r}"[:160])


def _strict_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WrongType("an integer", value)
    return value


def _strict_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise WrongType("a number", value)
    try:
        value = float(value)
    except OverflowError:  # an integer beyond any float
        raise WrongType("a finite number", value) from None
    if not math.isfinite(value):  # nan and inf compare false with every bound and cannot be saved
        raise WrongType("a finite number", value)
    return value


def _strict_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise WrongType("a string", value)
    return value


def _strict_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise WrongType("true or false", value)
    return value


def _is_homogeneous_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_list(t: Any) -> bool:
    return typing.get_origin(t) is list


def _is_dict(t: Any) -> bool:
    return typing.get_origin(t) is dict


def make_converter(*, eager: bool = False) -> Converter:
    """The strict converter. `eager`: build the game's hooks (actions, log payloads, the game
    state) now, not at their first use: the wire's converter, whose first move would otherwise
    pay for them (40-90 ms) while the host and the seats wait."""
    conv = Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(float, _strict_float)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook(bool, _strict_bool)

    def tuple_factory(t: Any) -> Any:
        inner = homogenous_tuple_structure_factory(t, conv)

        def structure(value: Any, _: type) -> tuple:
            if not isinstance(value, (list, tuple)):
                raise WrongType("a list", value)
            return inner(value, t)

        return structure

    def list_factory(t: Any) -> Any:
        (elem,) = typing.get_args(t)
        handler = conv.get_structure_hook(elem)

        def structure(value: Any, _: type) -> list:
            if not isinstance(value, (list, tuple)):
                raise WrongType("a list", value)
            out, errors = [], []
            for i, item in enumerate(value):
                try:
                    out.append(handler(item, elem))
                except Exception as exc:  # noqa: BLE001 - gathered into a group below
                    exc.__notes__ = [*getattr(exc, "__notes__", []), f"Structuring {t} @ index {i}"]
                    errors.append(exc)
            if errors:
                raise IterableValidationError("While structuring a list", errors, t)
            return out

        return structure

    def dict_factory(t: Any) -> Any:
        inner = make_mapping_structure_fn(t, conv)

        def structure(value: Any, _: type) -> dict:
            if not isinstance(value, dict):
                raise WrongType("a table", value)
            return inner(value, t)

        return structure

    conv.register_structure_hook_factory(_is_homogeneous_tuple, tuple_factory)
    conv.register_structure_hook_factory(_is_list, list_factory)
    conv.register_structure_hook_factory(_is_dict, dict_factory)
    # Actions in a save are tables tagged with their kind (`kind = "play"`), as written since
    # the first format; log entries' payloads are tagged with their class name.
    # A setup without the facilitator's event preview is written as setups were before it
    # existed, in the [setup] table and in the log's first entry alike, so older saves'
    # setups and log digests still match their replay.
    # So is a setup whose exercise the facilitator left as the scenario gives it.
    conv.register_unstructure_hook(Setup, make_dict_unstructure_fn(Setup, conv, **{name: override(omit_if_default=True) for name in SETUP_OMITTED}))

    # Only saves and the wire need the game's hooks, and generating them is most of the
    # converter's cost: each is generated at its first use (or now, `eager`). They are all
    # registered now, though: registering a hook empties cattrs' cache of the hooks it has
    # generated, so a registration at the first save made the load after it generate the
    # scenario's hooks (from the decks' classes up) a second time.
    for cls, names in BARGAIN_FIELDS.items():
        omit = {name: override(omit_if_default=True) for name in names}
        conv.register_unstructure_hook(cls, _made_now_or_at_first_use(
            lambda cls=cls, omit=omit: make_dict_unstructure_fn(cls, conv, **omit), eager=eager))
    _tagged_union(Action, conv, tag=lambda cls: cls.kind, tag_name="kind", eager=eager)
    _tagged_union(Payload, conv, tag=lambda cls: cls.__name__, tag_name="type", eager=eager)
    _register_game_state(conv, eager=eager)
    return conv


def _made_now_or_at_first_use(make: Any, *, eager: bool) -> Any:
    """The hook `make()` builds: built now (`eager`), or a stand-in that builds it at its first
    call and hands every call on to it (an unstructure hook's `value`, a structure hook's `value, cl`)."""
    if eager:
        return make()
    built: list[Any] = []

    def hook(*args: Any) -> Any:
        if not built:
            built.append(make())
        return built[0](*args)

    return hook


def _tagged_union(union: Any, conv: Converter, *, tag: Any, tag_name: str, eager: bool) -> None:
    """cattrs' `configure_tagged_union(union, conv, tag_generator=tag, tag_name=tag_name)`, the
    same hooks doing the same steps (and raising the same errors), except that a member's own
    hooks are generated when a value of it is first met, not for every member at once: a save
    of a bot game meets a third of the actions and no payload (`document.log_json` reads the
    log), and generating the rest was most of a first save's time. `eager`: all at once."""
    members = typing.get_args(union)
    tag_to_cls = {tag(cls): cls for cls in members}
    cls_to_tag = {cls: t for t, cls in tag_to_cls.items()}
    structures: dict[type, Any] = {}
    unstructures: dict[type, Any] = {}

    def structure_tagged_union(val: dict, _: Any) -> Any:
        val = val.copy()  # as cattrs does: a value that is not a table fails here
        cls = tag_to_cls[val.pop(tag_name)]  # KeyError for a missing or unknown tag, as in cattrs
        hook = structures.get(cls)
        if hook is None:
            hook = structures[cls] = conv.get_structure_hook(cls)
        return hook(val, cls)

    def unstructure_tagged_union(val: Any) -> dict:
        cls = val.__class__
        tagged = cls_to_tag[cls]
        hook = unstructures.get(cls)
        if hook is None:
            hook = unstructures[cls] = conv.get_unstructure_hook(cls)
        res = hook(val)
        res[tag_name] = tagged
        return res

    conv.register_unstructure_hook(union, unstructure_tagged_union)
    conv.register_structure_hook(union, structure_tagged_union)
    if eager:
        for cls in members:
            structures[cls] = conv.get_structure_hook(cls)
            unstructures[cls] = conv.get_unstructure_hook(cls)


# A GameState travels without its scenario (a save holds it once, in its own section), and
# its pending decision, a union, as a table tagged "kind" so it reads back unambiguously.
PENDING_KINDS: dict[str, type] = {
    "proposal": Proposal, "counter": CounterOffer, "choice": Choice, "violation": ViolationPending, "event_waiting": EventWaiting,
}
_PENDING_TAGS = {cls: kind for kind, cls in PENDING_KINDS.items()}


def _register_game_state(conv: Converter, *, eager: bool = False) -> None:
    def unstructure_pending(pending: Any) -> Any:
        if pending is None:
            return None
        return {"kind": _PENDING_TAGS[type(pending)], **conv.unstructure(pending)}

    def structure_pending(value: Any, _: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise WrongType("a table", value)
        kind = value.get("kind")
        cls = PENDING_KINDS.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise ValueError(f"pending needs kind = one of {', '.join(PENDING_KINDS)}, got {kind!r}"[:160])
        return conv.structure({k: v for k, v in value.items() if k != "kind"}, cls)

    conv.register_unstructure_hook(GameState, _made_now_or_at_first_use(lambda: make_dict_unstructure_fn(
        GameState, conv, scenario=override(omit=True), pending=override(unstruct_hook=unstructure_pending)), eager=eager))
    # A save or a load never structures a whole GameState (a load replays the game): the wire's views do.
    conv.register_structure_hook(GameState, _made_now_or_at_first_use(lambda: make_dict_structure_fn(
        GameState, conv, _cattrs_forbid_extra_keys=True, scenario=override(omit=True), pending=override(struct_hook=structure_pending)), eager=eager))


converter = make_converter()


def _format(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = ", ".join(sorted(exc.extra_fields))
        return f"unknown key {keys}" if len(exc.extra_fields) == 1 else f"unknown keys {keys}"
    if isinstance(exc, WrongType):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required key is missing"
    return format_exception(exc, type_)


def error_lines(exc: BaseException, path: str = "$") -> list[str]:
    """Readable lines for a structuring failure, each naming the field."""
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        return transform_error(exc, path=path, format_exception=_format)
    return [f"{_format(exc, None)} @ {path}"]
