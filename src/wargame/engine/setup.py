"""Turning the choices made before a game into a checked `Setup`."""

from __future__ import annotations

from typing import Optional

from ..model import Exercise, Scenario, Setup
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
    exercise: Optional[Exercise] = None,
) -> Setup:
    """Check the choices and fill the gaps: every delegation not human is a bot with its default personality.

    `bots` may use the key "all" for every delegation not named otherwise. `exercise`: the
    facilitator's edit of the scenario's exercise (kept only where it differs from the scenario's).
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
    if exercise is not None:
        check_exercise(exercise)
        if exercise == scenario.exercise:
            exercise = None
    return Setup(scenario.id, seed, rounds, playing, {d: (humans[d] or scenario.delegation(d).name) for d in humans},
                 chosen, facilitated, event_preview, exercise)


MAX_EXERCISE_TEXT = 2000  # characters in a name, scope, objective or capability


def check_exercise(exercise: Exercise) -> None:
    """An exercise the report can print: a name, objectives each with an id of its own and a text."""
    if not exercise.name.strip():
        raise SetupError("the exercise needs a name")
    seen: set[str] = set()
    for i, o in enumerate(exercise.objectives, 1):
        if not o.id.strip():
            raise SetupError(f"objective {i} needs an id")
        if o.id in seen:
            raise SetupError(f"two objectives have the id {o.id!r}")
        seen.add(o.id)
        if not o.text.strip():
            raise SetupError(f"objective {o.id} needs a text")
    for text in (exercise.name, exercise.scope, *(t for o in exercise.objectives for t in (o.id, o.text, o.capability))):
        if len(text) > MAX_EXERCISE_TEXT:
            raise SetupError(f"the exercise's texts are at most {MAX_EXERCISE_TEXT} characters")
