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

How a choice is valued: the engine's `preview` says what the choice would
change (the rules run on a scratch copy; a proposal is valued as if
agreed), then the bot weighs each change with the personality's weights; its own political capital counts one point per point, and capital
that the next refill would waste anyway is free to spend. Two guards come
before any value: a bot never crosses one of its red lines, and never pushes
tension above its risk tolerance, whenever another legal choice avoids it.
"""

from __future__ import annotations

from typing import Sequence

from .engine import current_actor, preview
from .engine.ceasefire import responses_open
from .engine.errors import IllegalAction
from .engine.proposals import playable
from .model import (
    MONITORING,
    Action,
    Answer,
    Choice,
    Choose,
    Condition,
    GameState,
    Pass,
    Personality,
    PlayCard,
    Proposal,
    Respond,
    Scenario,
    ViolationPending,
)

__all__ = ["choose", "personality_of"]

# Utility of one point of a delegation's own political capital.
CAPITAL_VALUE = 1
TENSION = "tension"


# (id of scenario, delegation, personality id) -> (scenario, personality, its watched values);
# the scenario is kept so an id is never reused.
_PERSONALITIES: dict[tuple[int, str, str], tuple[object, Personality, tuple]] = {}


def personality_of(state: GameState, delegation: str) -> Personality:
    """The personality a delegation's bot plays with (its default one for a human seat)."""
    return _bot_of(state, delegation)[1]


def _bot_of(state: GameState, delegation: str) -> tuple[object, Personality, tuple]:
    scenario = state.scenario
    pid = state.setup.bots.get(delegation) or scenario.delegation(delegation).default_bot
    key = (id(scenario), delegation, pid)
    hit = _PERSONALITIES.get(key)
    if hit is not None and hit[0] is scenario:
        return hit
    p = scenario.personality(delegation, pid)
    if p is None:
        raise IllegalAction(f"no bot personality {pid!r} for {scenario.delegation(delegation).name}")
    if len(_PERSONALITIES) > 1000:
        _PERSONALITIES.clear()
    hit = _PERSONALITIES[key] = (scenario, p, _watched(scenario, p))
    return hit


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


class _Ctx:
    """One decision's view of the state, read once and shared by every look at it."""

    __slots__ = ("state", "p", "me", "vals", "cap", "cap_max", "income", "weights", "red_lines", "tension", "risk", "watched")

    def __init__(self, state: GameState, me: str) -> None:
        _, p, self.watched = _bot_of(state, me)
        self.state = state
        self.p = p
        self.me = me
        vals = dict(state.tracks)
        vals.update(state.meters)
        vals[MONITORING] = state.monitoring
        self.vals = vals
        dl = state.scenario.delegation(me)
        self.cap = state.capital.get(me, 0)
        self.cap_max = dl.capital_max
        self.income = dl.income
        self.weights = p.weights
        self.red_lines = p.red_lines
        self.tension = vals.get(TENSION, 0)
        self.risk = p.risk_tolerance


# Where a watched value lives in a state.
_TRACK, _METER, _MONITORING = 0, 1, 2


def _watched(scenario: Scenario, p: Personality) -> tuple[tuple[str, int, int], ...]:
    """(target, where, weight) for every value that can move this personality's choice.

    Those are the values it weighs, those its red lines guard, and tension (its risk
    tolerance): a move of any other value changes neither the value of a choice nor its
    guards nor its reason, so a look need not read it.
    """
    wanted = [t for t, w in p.weights.items() if w]
    wanted += [c.target for c in p.red_lines]
    wanted.append(TENSION)
    tracks = {t.id for t in scenario.tracks}
    meters = {m.id for m in scenario.meters}
    out = []
    for t in dict.fromkeys(wanted):
        if t in tracks:
            out.append((t, _TRACK, p.weights.get(t, 0)))
        elif t in meters:
            out.append((t, _METER, p.weights.get(t, 0)))
        elif t == MONITORING:
            out.append((t, _MONITORING, p.weights.get(t, 0)))
    return tuple(out)


def _look(ctx: _Ctx, action: Action, spend: int = 0) -> _Look:
    """What `action` would do, from the engine's own `preview`, weighed by this personality.

    A card that needs consent is valued as if agreed. `spend` is the capital the action
    pays, which may cost nothing when the next refill would waste it anyway.
    """
    result = preview(ctx.state, action).result
    vals = ctx.vals
    cap_before = ctx.cap
    cap = result.capital.get(ctx.me, cap_before)
    deltas: dict[str, int] = {}
    value = 0
    tracks, meters = result.tracks, result.meters
    for t, where, weight in ctx.watched:
        after = tracks[t] if where == _TRACK else meters[t] if where == _METER else result.monitoring
        d = after - vals[t]
        if d:
            deltas[t] = d
            value += weight * d
    # Capital that next round's refill would waste anyway costs nothing to spend.
    overflow = cap_before + ctx.income - ctx.cap_max
    capital_change = cap - cap_before + (min(spend, overflow) if overflow > 0 else 0)
    value += CAPITAL_VALUE * capital_change
    crossed = []
    for cond in ctx.red_lines:
        ct = cond.target
        if ct in deltas:
            before = vals[ct]
            after = before + deltas[ct]
            if _distance(cond, after) > _distance(cond, before):
                crossed.append((cond, after))
    t_before = ctx.tension
    t_after = t_before + deltas.get(TENSION, 0)
    risky = t_after > t_before and t_after > ctx.risk
    return _Look(deltas, capital_change, value, t_after, t_before, crossed, risky)


def _distance(cond: Condition, value: int) -> int:
    """How far `value` lies outside the red line (0 while it holds)."""
    if cond.at_least is not None and value < cond.at_least:
        return cond.at_least - value
    if cond.at_most is not None and value > cond.at_most:
        return value - cond.at_most
    return 0


# --- wording of reasons -----------------------------------------------------


_SIGNED = {n: f"{n:+d}".replace("-", "−") for n in range(-60, 61)}


def _signed(n: int) -> str:
    """+2, −1 (a real minus sign, as the log is read out)."""
    s = _SIGNED.get(n)
    return s if s is not None else f"{n:+d}".replace("-", "−")


class _Words:
    """A delegation's name with its pronouns and verbs: "Russia rejects … its", "European leaders reject … their"."""

    __slots__ = ("dl", "name", "it", "its")

    def __init__(self, dl) -> None:
        self.dl = dl
        self.name = dl.name
        self.it = "they" if dl.plural else "it"
        self.its = "their" if dl.plural else "its"

    def says(self, singular: str) -> str:
        return self.dl.says(singular)

    def it_(self, singular: str) -> str:
        """The pronoun and the agreed verb: "it cannot", "they hold"."""
        return f"{self.it} {self.dl.verb(singular)}"

    @property
    def to_it(self) -> str:
        return "to them" if self.dl.plural else "to it"


def _drivers(ctx: "_Ctx", w: _Words, look: _Look, limit: int = 3) -> str:
    """The changes that matter to this personality, biggest first: "Ceasefire +2, Tension −1"."""
    name = ctx.state.scenario.name_of
    weights = ctx.weights
    deltas = look.deltas
    items = [(t, d) for t, d in deltas.items() if weights.get(t, 0)]
    if len(items) > 1:
        items.sort(key=lambda td: (-abs(weights[td[0]] * td[1]), td[0]))
    parts = [f"{name(t)} {_signed(d)}" for t, d in items[:limit]]
    if look.capital:
        parts.append(f"capital {_signed(look.capital)}")
    return ", ".join(parts) if parts else f"nothing {w.it_('cares')} about"


def _worth(ctx: "_Ctx", w: _Words, look: _Look) -> str:
    return f"worth {_signed(look.value)} {w.to_it} ({_drivers(ctx, w, look)})"


def _red_line_text(ctx: "_Ctx", w: _Words, cond: Condition, after: int) -> str:
    name = ctx.state.scenario.name_of(cond.target)
    if cond.at_least is not None and after < cond.at_least:
        return f"{name} would fall to {after}, below {w.its} red line of {cond.at_least}"
    return f"{name} would rise to {after}, above {w.its} red line of {cond.at_most}"


def _risk_text(ctx: "_Ctx", w: _Words, look: _Look) -> str:
    return f"tension would rise to {look.tension}, above {w.its} risk tolerance of {ctx.risk}"


def _flag_text(ctx: "_Ctx", w: _Words, look: _Look) -> str:
    if look.crossed:
        return _red_line_text(ctx, w, *look.crossed[0])
    return _risk_text(ctx, w, look)


def _one_line(text: str) -> str:
    return text if "\n" not in text else " ".join(text.split())


# --- choices ----------------------------------------------------------------


def choose(state: GameState, delegation: str) -> Action:
    """The bot's move for `delegation` now: always one of `legal_actions(state, delegation)`.

    The move's one-line reason is in `action.text`. The candidates are read
    from the same engine helpers that `legal_actions` uses (cards the
    delegation can pay for, responses it can afford, the event's options),
    without building every candidate as an Action: a bot game is thousands
    of these calls, and the tests hold the two to the same list.
    """
    if delegation != current_actor(state):
        raise IllegalAction(f"it is not {delegation}'s turn; {delegation!r} has nothing to do now")
    ctx = _Ctx(state, delegation)
    w = _Words(state.scenario.delegation(delegation))
    pending = state.pending
    if isinstance(pending, Proposal):
        return _answer(ctx, w, pending)
    if isinstance(pending, Choice):
        return _choose_option(ctx, w, pending)
    if isinstance(pending, ViolationPending):
        return _respond(ctx, w, pending, [r.id for r in responses_open(state)])
    return _play_or_pass(ctx, w, playable(state, delegation))


def _answer(ctx: _Ctx, w: _Words, proposal: Proposal) -> Action:
    scenario = ctx.state.scenario
    p = ctx.p
    card = scenario.concession(proposal.card)
    acc = _look(ctx, Answer(ctx.me, proposal.card, True))
    rej = _look(ctx, Answer(ctx.me, proposal.card, False))
    if acc.crossed and not rej.crossed:
        accept, why = False, _red_line_text(ctx, w, *acc.crossed[0])
    elif rej.crossed and not acc.crossed:
        accept, why = True, "rejecting it, " + _red_line_text(ctx, w, *rej.crossed[0])
    elif acc.risky and not rej.risky:
        accept, why = False, _risk_text(ctx, w, acc)
    elif rej.risky and not acc.risky:
        accept, why = True, "rejecting it, " + _risk_text(ctx, w, rej)
    else:
        margin = acc.value - rej.value
        accept = margin >= p.accept_threshold
        against = f", against {_signed(rej.value)} for a rejection" if rej.value else ""
        if accept:
            why = f"{_worth(ctx, w, acc)}{against}; {w.its} threshold is {p.accept_threshold}"
        else:
            why = f"only {_worth(ctx, w, acc)}{against}, below {w.its} threshold of {p.accept_threshold}"
    verb = w.says("accepts" if accept else "rejects")
    return Answer(ctx.me, proposal.card, accept, _one_line(f"{verb} “{card.title}”: {why}"))


def _choose_option(ctx: _Ctx, w: _Words, pending: Choice) -> Action:
    card = ctx.state.scenario.event(pending.event)
    looks = [(o, _look(ctx, Choose(ctx.me, card.id, o.id))) for o in card.options]
    looks.sort(key=lambda x: (bool(x[1].crossed), x[1].risky, -x[1].value, x[0].id))
    best_o, best = looks[0]
    text = f"{w.says('chooses')} “{best_o.label}”: {_worth(ctx, w, best)}"
    if len(looks) > 1:
        other_o, other = looks[1]
        if other.flagged and not best.flagged:
            text += f"; “{other_o.label}” would mean {_flag_text(ctx, w, other)}"
        elif other.value == best.value:
            text += f", as much as “{other_o.label}” (a tie, settled by option id: “{best_o.id}” before “{other_o.id}”)"
        else:
            text += f", more than “{other_o.label}” ({_signed(other.value)})"
    return Choose(ctx.me, pending.event, best_o.id, _one_line(text))


def _respond(ctx: _Ctx, w: _Words, pending: ViolationPending, open_ids: Sequence[str]) -> Action:
    p = ctx.p
    rules = ctx.state.scenario.violations
    tense = ctx.tension >= p.tense_at
    preferred = p.response_when_tense if tense else p.response
    other = p.response if tense else p.response_when_tense
    by_id = set(open_ids)
    if not by_id:
        raise IllegalAction(f"{w.name} cannot afford any response")
    looks = {}
    for rid in by_id:
        r = rules.response(rid)
        looks[rid] = _look(ctx, Respond(ctx.me, rid), r.cost)
    order = [preferred] + ([other] if other != preferred else [])
    order += sorted((r for r in by_id if r not in order), key=lambda r: (-looks[r].value, r))
    usable = [r for r in order if r in by_id]
    chosen = next((r for r in usable if not looks[r].flagged), None)
    if chosen is None:
        chosen = min(usable, key=lambda r: (bool(looks[r].crossed), looks[r].tension, usable.index(r)))
    label = rules.response(chosen).label
    when = f"once tension reaches {p.tense_at}" if tense else f"while tension is below {p.tense_at}"
    if chosen == preferred:
        why = f"{w.its} answer to a violation {when}"
    else:
        pref = rules.response(preferred)
        if preferred not in by_id:
            cause = f"{w.it_('cannot')} afford “{pref.label}” ({pref.cost} capital, {w.it_('has')} {ctx.cap})"
        else:
            cause = f"“{pref.label}” would mean {_flag_text(ctx, w, looks[preferred])}"
        why = f"{w.it} would answer {when} with “{pref.label}”, but {cause}"
    return Respond(ctx.me, chosen, _one_line(f"{w.says('responds')} with “{label}”: {why}"))


def _pass(me: str, text: str) -> Action:
    return Pass(me, _one_line(text))


def _play_or_pass(ctx: _Ctx, w: _Words, plays: Sequence[str]) -> Action:
    state, p, me = ctx.state, ctx.p, ctx.me
    scenario = state.scenario
    if not plays:
        if state.hands.get(me):
            return _pass(me, f"{w.says('passes')}: {w.it_('cannot')} afford any card in {w.its} hand (capital {ctx.cap})")
        return _pass(me, f"{w.says('passes')}: {w.it_('holds')} no cards")
    best = None  # (value, card id, action, card, look) of the best card worth playing
    closest = None  # the same for the card that came closest, to explain a pass
    threshold = p.play_threshold
    for card_id in plays:
        card = scenario.concession(card_id)
        look = _look(ctx, PlayCard(me, card_id), card.cost)
        v = look.value
        if not look.flagged and v >= threshold:
            if best is None or v > best[0] or (v == best[0] and card.id < best[1]):
                best = (v, card.id, card, look)
        key = (not look.flagged, v)
        if closest is None or key > closest[0] or (key == closest[0] and card.id < closest[1]):
            closest = (key, card.id, card, look)
    if best is not None:
        _, _, card, look = best
        consent = [d for d in card.consent if d in state.capital and d != me]
        verb = w.says("proposes" if consent else "plays")
        cost = f" for {card.cost} capital" if card.cost else ""
        return PlayCard(me, card.id, _one_line(f"{verb} “{card.title}”{cost}: {_worth(ctx, w, look)}"))
    # Explain the pass by the card that came closest.
    _, _, card, look = closest
    if look.flagged:
        why = f"“{card.title}” would be {w.its} best card, but {_flag_text(ctx, w, look)}"
    else:
        why = f"{w.its} best card, “{card.title}”, is only {_worth(ctx, w, look)}, below {w.its} threshold of {threshold}"
    return _pass(me, f"{w.says('passes')}: {why}")
