"""Turning the choices made before a game into a checked `Setup`."""

from __future__ import annotations

from typing import Optional

from ..model import Scenario, Setup
from .errors import SetupError


def make_setup(
    scenario: Scenario,
    seed: int,
    rounds: Optional[int] = None,
    humans: Optional[dict[str, str]] = None,
    bots: Optional[dict[str, str]] = None,
    leave_out: tuple[str, ...] = (),
    facilitated: bool = False,
    event_preview: bool = False,
) -> Setup:
    """Check the choices and fill the gaps: every delegation not human is a bot with its default personality.

    `bots` may use the key "all" for every delegation not named otherwise.
    """
    humans = dict(humans or {})
    bots = dict(bots or {})
    ids = [d.id for d in scenario.delegations]
    everyone = bots.pop("all", None)
    for d in leave_out:
        if d not in ids:
            raise SetupError(f"unknown delegation {d!r}; known: {', '.join(ids)}")
        if not scenario.delegation(d).optional:
            raise SetupError(f"{scenario.delegation(d).name} cannot be left out of this scenario")
    for d in [*humans, *bots]:
        if d not in ids:
            raise SetupError(f"unknown delegation {d!r}; known: {', '.join(ids)}")
        if d in leave_out:
            raise SetupError(f"{d!r} is left out of the game and cannot also play")
    both = set(humans) & set(bots)
    if both:
        raise SetupError(f"{', '.join(sorted(both))} cannot be both human and bot")
    playing = tuple(d for d in ids if d not in leave_out)
    chosen: dict[str, str] = {}
    for d in playing:
        if d in humans:
            continue
        pid = bots.get(d) or everyone or scenario.delegation(d).default_bot
        if scenario.personality(d, pid) is None:
            known = ", ".join(p.id for p in scenario.personalities_for(d)) or "none"
            raise SetupError(f"no bot personality {pid!r} for {scenario.delegation(d).name}; known: {known}")
        chosen[d] = pid
    if rounds is None:
        rounds = scenario.rounds
    if not 1 <= rounds <= 99:
        raise SetupError("rounds must be between 1 and 99")
    if seed < 0:
        raise SetupError("the seed must be zero or a positive whole number")
    if event_preview and not facilitated:
        raise SetupError("only a facilitated game can preview the round's event")
    return Setup(scenario.id, seed, rounds, playing, {d: (humans[d] or scenario.delegation(d).name) for d in humans},
                 chosen, facilitated, event_preview)
