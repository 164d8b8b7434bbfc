"""Scripted bots: a delegation's move chosen from its personality, with a one-line reason.

A personality (decks/bots.toml) is data: weights over tracks and meters,
thresholds for accepting proposals and for playing cards, a risk tolerance
for tension, its own red lines, and how it answers violations. `choose`
turns that data into one of the actions `legal_actions` offers, so a bot
acts through exactly the same door as a human team.

Bots never draw from the game's generator: every choice is a deterministic
function of the state, with ties broken by card or option id. That keeps a
seeded game identical however often it is replayed, and lets each choice be
explained in one line that a facilitator can read out ("Russia rejects
“Reconstruction fund”: worth −2 to it, below its threshold of 0").

How a choice is valued: the bot projects the choice's effects onto the
current values exactly as the engine would (conditions read before the
batch, bounds clamped), then weighs each change with the personality's
weights; its own political capital counts one point per point, and capital
that the next refill would waste anyway is free to spend. Two guards come
before any value: a bot never crosses one of its red lines, and never pushes
tension above its risk tolerance, whenever another legal choice avoids it.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

import attrs

from .engine import legal_actions
from .engine.effects import holds
from .engine.errors import IllegalAction
from .model import (
    CAPITAL,
    MONITORING,
    MONITORING_MAX,
    VALUE_MAX,
    Action,
    Choice,
    Condition,
    Effect,
    GameState,
    Personality,
    Proposal,
    ViolationPending,
)

__all__ = ["choose", "personality_of"]

# Utility of one point of a delegation's own political capital.
CAPITAL_VALUE = 1
TENSION = "tension"


def personality_of(state: GameState, delegation: str) -> Personality:
    """The personality a delegation's bot plays with (its default one for a human seat)."""
    scenario = state.scenario
    pid = state.setup.bots.get(delegation) or scenario.delegation(delegation).default_bot
    p = scenario.personality(delegation, pid)
    if p is None:
        raise IllegalAction(f"no bot personality {pid!r} for {scenario.delegation(delegation).name}")
    return p


class _Look:
    """What one choice would do, as this personality sees it."""

    __slots__ = ("deltas", "capital", "value", "tension", "tension_before", "crossed", "risky")

    def __init__(self, deltas, capital, value, tension, tension_before, crossed, risky) -> None:
        self.deltas: dict[str, int] = deltas
        self.capital: int = capital
        self.value: int = value
        self.tension: int = tension
        self.tension_before: int = tension_before
        self.crossed: list[tuple[Condition, int]] = crossed
        self.risky: bool = risky

    @property
    def flagged(self) -> bool:
        return bool(self.crossed) or self.risky


def _look(
    state: GameState,
    p: Personality,
    me: str,
    effects: Iterable[Effect],
    *,
    spend: int = 0,
    roles: Optional[dict[str, str]] = None,
) -> _Look:
    """Project `effects` (after paying `spend` capital) the way `apply_effects` would, and weigh them."""
    scenario = state.scenario
    tracks, meters = state.tracks, state.meters
    new: dict[str, int] = {}
    dl = scenario.delegation(me)
    cap_before = state.capital.get(me, 0)
    cap = cap_before - spend
    for e in effects:
        if e.when is not None and not holds(state, e.when):
            continue
        t = e.target
        if t == CAPITAL:
            who = roles.get(e.delegation, e.delegation) if roles else e.delegation
            if who == me:
                cap = max(0, min(dl.capital_max, cap + e.delta))
            continue
        if t == MONITORING:
            cur = new.get(t, state.monitoring)
            new[t] = max(0, min(MONITORING_MAX, cur + e.delta))
        else:
            cur = new[t] if t in new else (tracks[t] if t in tracks else meters[t])
            new[t] = max(0, min(VALUE_MAX, cur + e.delta))
    deltas: dict[str, int] = {}
    for t, v in new.items():
        d = v - state.value(t)
        if d:
            deltas[t] = d
    weights = p.weights
    # Capital that next round's refill would waste anyway costs nothing to spend.
    overflow = max(0, cap_before + dl.income - dl.capital_max)
    capital_change = (cap - cap_before) + min(spend, overflow)
    value = sum(weights.get(t, 0) * d for t, d in deltas.items()) + CAPITAL_VALUE * capital_change
    crossed = []
    for cond in p.red_lines:
        before = state.value(cond.target)
        after = before + deltas.get(cond.target, 0)
        if _distance(cond, after) > _distance(cond, before):
            crossed.append((cond, after))
    t_before = meters.get(TENSION, 0)
    t_after = t_before + deltas.get(TENSION, 0)
    risky = t_after > t_before and t_after > p.risk_tolerance
    return _Look(deltas, capital_change, value, t_after, t_before, crossed, risky)


def _distance(cond: Condition, value: int) -> int:
    """How far `value` lies outside the red line (0 while it holds)."""
    if cond.at_least is not None and value < cond.at_least:
        return cond.at_least - value
    if cond.at_most is not None and value > cond.at_most:
        return value - cond.at_most
    return 0


# --- wording of reasons -----------------------------------------------------


def _signed(n: int) -> str:
    return f"{n:+d}".replace("-", "−")


def _drivers(state: GameState, p: Personality, look: _Look, limit: int = 3) -> str:
    """The changes that matter to this personality, biggest first: "Ceasefire +2, Tension −1"."""
    name = state.scenario.name_of
    items = sorted(
        ((t, d) for t, d in look.deltas.items() if p.weights.get(t, 0)),
        key=lambda td: (-abs(p.weights[td[0]] * td[1]), td[0]),
    )
    parts = [f"{name(t)} {_signed(d)}" for t, d in items[:limit]]
    if look.capital:
        parts.append(f"capital {_signed(look.capital)}")
    return ", ".join(parts) if parts else "nothing it cares about"


def _worth(state: GameState, p: Personality, look: _Look) -> str:
    return f"worth {_signed(look.value)} to it ({_drivers(state, p, look)})"


def _red_line_text(state: GameState, cond: Condition, after: int) -> str:
    name = state.scenario.name_of(cond.target)
    if cond.at_least is not None and after < cond.at_least:
        return f"{name} would fall to {after}, below its red line of {cond.at_least}"
    return f"{name} would rise to {after}, above its red line of {cond.at_most}"


def _risk_text(p: Personality, look: _Look, what: str = "tension") -> str:
    return f"{what} would rise to {look.tension}, above its risk tolerance of {p.risk_tolerance}"


def _flag_text(state: GameState, p: Personality, look: _Look) -> str:
    if look.crossed:
        return _red_line_text(state, *look.crossed[0])
    return _risk_text(p, look)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- choices ----------------------------------------------------------------


def choose(state: GameState, delegation: str) -> Action:
    """The bot's move for `delegation` now: always one of `legal_actions(state, delegation)`.

    The move's one-line reason is in `action.text`.
    """
    legal = legal_actions(state, delegation)
    if not legal:
        raise IllegalAction(f"{delegation!r} has nothing to do now")
    p = personality_of(state, delegation)
    pending = state.pending
    if isinstance(pending, Proposal):
        action = _answer(state, p, delegation, pending, legal)
    elif isinstance(pending, Choice):
        action = _choose_option(state, p, delegation, pending, legal)
    elif isinstance(pending, ViolationPending):
        action = _respond(state, p, delegation, pending, legal)
    else:
        action = _play_or_pass(state, p, delegation, legal)
    return action


def _with_text(action: Action, text: str) -> Action:
    return attrs.evolve(action, text=_one_line(text))


def _answer(state: GameState, p: Personality, me: str, proposal: Proposal, legal: Sequence[Action]) -> Action:
    scenario = state.scenario
    card = scenario.concession(proposal.card)
    who = scenario.delegation(me).name
    on_reject = card.on_reject if card.on_reject is not None else scenario.rules.rejection_effects
    acc = _look(state, p, me, card.effects)
    rej = _look(state, p, me, on_reject)
    title = f"“{card.title}”"
    if acc.crossed and not rej.crossed:
        accept, why = False, _red_line_text(state, *acc.crossed[0])
    elif rej.crossed and not acc.crossed:
        accept, why = True, "rejecting it means " + _red_line_text(state, *rej.crossed[0])
    elif acc.risky and not rej.risky:
        accept, why = False, _risk_text(p, acc)
    elif rej.risky and not acc.risky:
        accept, why = True, "rejecting it, " + _risk_text(p, rej)
    else:
        margin = acc.value - rej.value
        accept = margin >= p.accept_threshold
        against = f", against {_signed(rej.value)} for a rejection" if rej.value else ""
        if accept:
            why = f"{_worth(state, p, acc)}{against}; its threshold is {p.accept_threshold}"
        else:
            why = f"only {_worth(state, p, acc)}{against}, below its threshold of {p.accept_threshold}"
    verb = "accepts" if accept else "rejects"
    action = next(a for a in legal if a.accept is accept)
    return _with_text(action, f"{who} {verb} {title}: {why}")


def _choose_option(state: GameState, p: Personality, me: str, pending: Choice, legal: Sequence[Action]) -> Action:
    scenario = state.scenario
    card = scenario.event(pending.event)
    who = scenario.delegation(me).name
    options = {o.id: o for o in card.options}
    looks = []
    for a in legal:
        o = options[a.option]
        looks.append((a, o, _look(state, p, me, o.effects)))
    looks.sort(key=lambda x: (bool(x[2].crossed), x[2].risky, -x[2].value, x[1].id))
    best_a, best_o, best = looks[0]
    text = f"{who} chooses “{best_o.label}”: {_worth(state, p, best)}"
    if len(looks) > 1:
        _, other_o, other = looks[1]
        if other.flagged and not best.flagged:
            text += f"; “{other_o.label}” would mean {_flag_text(state, p, other)}"
        else:
            text += f", more than “{other_o.label}” ({_signed(other.value)})"
    return _with_text(best_a, text)


def _respond(state: GameState, p: Personality, me: str, pending: ViolationPending, legal: Sequence[Action]) -> Action:
    scenario = state.scenario
    rules = scenario.violations
    who = scenario.delegation(me).name
    roles = {"violator": pending.violator, "injured": pending.injured}
    tension = state.meters.get(TENSION, 0)
    tense = tension >= p.tense_at
    preferred = p.response_when_tense if tense else p.response
    other = p.response if tense else p.response_when_tense
    by_id = {a.response: a for a in legal}
    looks = {rid: _look(state, p, me, rules.response(rid).effects, spend=rules.response(rid).cost, roles=roles) for rid in by_id}
    order = [preferred] + ([other] if other != preferred else [])
    order += sorted((r for r in by_id if r not in order), key=lambda r: (-looks[r].value, r))
    usable = [r for r in order if r in by_id]
    chosen = next((r for r in usable if not looks[r].flagged), None)
    if chosen is None:
        chosen = min(usable, key=lambda r: (bool(looks[r].crossed), looks[r].tension, usable.index(r)))
    label = rules.response(chosen).label
    when = f"once tension reaches {p.tense_at}" if tense else f"while tension is below {p.tense_at}"
    if chosen == preferred:
        why = f"its answer to a violation {when}"
    else:
        pref = rules.response(preferred)
        if preferred not in by_id:
            cause = f"it cannot afford “{pref.label}” ({pref.cost} capital, it has {state.capital[me]})"
        else:
            cause = f"“{pref.label}” would mean {_flag_text(state, p, looks[preferred])}"
        why = f"it would answer {when} with “{pref.label}”, but {cause}"
    return _with_text(by_id[chosen], f"{who} responds with “{label}”: {why}")


def _play_or_pass(state: GameState, p: Personality, me: str, legal: Sequence[Action]) -> Action:
    scenario = state.scenario
    who = scenario.delegation(me).name
    plays = sorted((a for a in legal if a.kind == "play"), key=lambda a: a.card)
    pass_action = next(a for a in legal if a.kind == "pass")
    if not plays:
        if state.hands.get(me):
            return _with_text(pass_action, f"{who} passes: it cannot afford any card in its hand (capital {state.capital[me]})")
        return _with_text(pass_action, f"{who} passes: it holds no cards")
    rated = []
    for a in plays:
        card = scenario.concession(a.card)
        rated.append((a, card, _look(state, p, me, card.effects, spend=card.cost)))
    ok = [r for r in rated if not r[2].flagged and r[2].value >= p.play_threshold]
    if ok:
        a, card, look = max(ok, key=lambda r: r[2].value)  # max keeps the first (lowest id) of equals
        consent = [d for d in card.consent if d in state.capital and d != me]
        verb = "proposes" if consent else "plays"
        cost = f" for {card.cost} capital" if card.cost else ""
        return _with_text(a, f"{who} {verb} “{card.title}”{cost}: {_worth(state, p, look)}")
    # Explain the pass by the card that came closest.
    a, card, look = max(rated, key=lambda r: (not r[2].flagged, r[2].value))
    if look.flagged:
        why = f"“{card.title}” would be its best card, but {_flag_text(state, p, look)}"
    else:
        why = f"its best card, “{card.title}”, is only {_worth(state, p, look)}, below its threshold of {p.play_threshold}"
    return _with_text(pass_action, f"{who} passes: {why}")
