"""Scripted bots: a delegation's move chosen for its own score, with a one-line reason.

A bot plays for the score it is judged by: its delegation's agenda, red
lines, the settlement bonus and the collapse penalty, exactly as
`engine.scoring` counts them. For every option it asks the engine's
`preview` how the game would stand afterwards and scores that state. The
personality (decks/bots.toml) is style, not a second agenda: how much gain
it asks before playing or accepting (`play_threshold`, `accept_threshold`),
how much it counts on reaching a settlement (`settlement_hope`), how much it
fears escalation (`caution`, `risk_tolerance`), a stricter red line of its
own, and how it answers violations.

What a state is worth to a bot, in score points: its score if the game ended
there, plus its hope times the settlement bonus times the cube of the share of
the way to a framework agreement already covered, less its caution times the
collapse penalty times (tension / 10)³, plus a tenth of a point for each unit of its
own political capital (capital the next refill would waste anyway is free), and its
support at home counted in capital: what its band adds to (or takes off) each refill
still to come, and half a unit of capital for each step of support.

Before paying for a proposal the bot asks the same question for every
delegation that must consent, with that delegation's own personality, and
turns each one's gain from agreeing into a chance of agreement (a logistic
curve around its threshold): the proposal is worth the agreement's gain and
the rejection's cost, weighted by that chance. Bots do not pay for offers
that are sure to be turned down, but may table a hard bargain.

Bots never draw from the game's generator: every choice is a deterministic
function of the state, ties broken by card, option or response id.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

from .engine import current_actor, preview
from .engine.ceasefire import responses_open
from .engine.errors import IllegalAction
from .engine.proposals import consent_needed, playable
from .engine.scoring import total
from .model import (
    CAPITAL,
    MONITORING,
    VALUE_MAX,
    Action,
    Answer,
    Choice,
    Choose,
    Condition,
    Discard,
    GameState,
    Pass,
    Personality,
    PlayCard,
    Proposal,
    Respond,
    ViolationPending,
)

__all__ = ["choose", "personality_of", "worth"]

CAPITAL_VALUE = 0.1  # score points a unit of a delegation's own political capital is worth to its bot
SUPPORT_STEP = 0.5  # units of capital a step of support at home is worth to its bot, beyond its band's refills
# The settlement's prospects grow with the cube of the way covered: the last steps to a
# framework matter most (a step at 85% of the way counts about twice a step at 60%).
PROSPECT_POWER = 3
TENSION = "tension"
SOVEREIGNTY = "sovereignty"
TRUST = "trust"


# (id of scenario, delegation, personality id) -> (scenario, personality); the scenario is kept so an id is never reused.
_PERSONALITIES: dict[tuple[int, str, str], tuple[object, Personality]] = {}


def personality_of(state: GameState, delegation: str) -> Personality:
    """The personality a delegation's bot plays with (its default one for a human seat)."""
    scenario = state.scenario
    pid = state.setup.bots.get(delegation) or scenario.delegation(delegation).default_bot
    key = (id(scenario), delegation, pid)
    hit = _PERSONALITIES.get(key)
    if hit is not None and hit[0] is scenario:
        return hit[1]
    p = scenario.personality(delegation, pid)
    if p is None:
        raise IllegalAction(f"no bot personality {pid!r} for {scenario.delegation(delegation).name}")
    if len(_PERSONALITIES) > 1000:
        _PERSONALITIES.clear()
    _PERSONALITIES[key] = (scenario, p)
    return p


def _framework_share(state: GameState) -> float:
    """0–1: how much of the way to a framework agreement the tracks and sovereignty have covered
    (and trust, when the framework's level of diplomacy needs it)."""
    rules = state.scenario.rules
    threshold = rules.framework_threshold
    tracks = state.tracks
    need = threshold * len(tracks) + rules.framework_sovereignty
    got = 0
    for v in tracks.values():
        got += v if v < threshold else threshold
    got += min(state.meters.get(SOVEREIGNTY, 0), rules.framework_sovereignty)
    if threshold > rules.diplomacy_trust_level:  # the framework's diplomacy needs trust
        need += rules.diplomacy_trust_needed
        got += min(state.meters.get(TRUST, 0), rules.diplomacy_trust_needed)
    return got / need if need else 1.0


def worth(state: GameState, delegation: str, p: Personality) -> float:
    """What `state` is worth to `delegation`'s bot, in score points (see the module's docstring)."""
    rules = state.scenario.rules
    value = total(state, delegation)
    meters = state.meters
    tension = meters.get(TENSION, 0)
    if state.outcome is None:
        if tension >= VALUE_MAX:  # a preview of a move that ends the talks
            value -= rules.collapse_penalty
        else:
            value += p.settlement_hope * rules.settlement_bonus * _framework_share(state) ** PROSPECT_POWER
            value -= p.caution * rules.collapse_penalty * (tension / VALUE_MAX) ** 3
    return value + CAPITAL_VALUE * (state.capital.get(delegation, 0) + _support_capital(state, delegation))


def _support_capital(state: GameState, delegation: str) -> float:
    """Support at home in units of capital: its band's change to each refill still to come, plus a little per step."""
    level = state.support.get(delegation)
    if level is None:
        return 0.0
    refills = max(0, state.setup.rounds - state.round)
    return state.scenario.support.refill_change(level) * refills + SUPPORT_STEP * level


class _Ctx:
    """One decision's view: the state, the bot, and what the state is worth to it now."""

    __slots__ = ("state", "p", "me", "now", "overflow", "red_lines")

    def __init__(self, state: GameState, p: Personality, me: str) -> None:
        self.state = state
        self.p = p
        self.me = me
        self.now = worth(state, me, p)
        dl = state.scenario.delegation(me)
        # Capital that next round's refill would waste anyway costs nothing to spend.
        self.overflow = max(0, state.capital.get(me, 0) + dl.income - dl.capital_max)
        self.red_lines = p.red_lines


class _Look:
    """One option as the bot sees it: its gain in score points and the guard it trips, if any."""

    __slots__ = ("gain", "state", "flag")

    def __init__(self, gain: float, state: GameState, flag: str) -> None:
        self.gain = gain
        self.state = state
        self.flag = flag  # "" or why the option trips a guard (a red line, the risk tolerance)


def _look(ctx: _Ctx, after: GameState, spent: int = 0) -> _Look:
    gain = worth(after, ctx.me, ctx.p) - ctx.now + CAPITAL_VALUE * min(spent, ctx.overflow)
    return _Look(gain, after, _flag(ctx, after))


def _flag(ctx: _Ctx, after: GameState) -> str:
    """Why `after` trips a guard: the bot's own red line crossed further, or tension past its tolerance."""
    before = ctx.state
    name = before.scenario.name_of
    for cond in ctx.red_lines:
        b, a = before.value(cond.target), after.value(cond.target)
        if _distance(cond, a) > _distance(cond, b):
            if cond.at_least is not None and a < cond.at_least:
                return f"{name(cond.target)} would fall to {a}, below its red line of {cond.at_least}"
            return f"{name(cond.target)} would rise to {a}, above its red line of {cond.at_most}"
    t_before, t_after = before.meters.get(TENSION, 0), after.meters.get(TENSION, 0)
    if t_after > t_before and t_after > ctx.p.risk_tolerance:
        return f"tension would rise to {t_after}, above its risk tolerance of {ctx.p.risk_tolerance}"
    return ""


def _distance(cond: Condition, value: int) -> int:
    """How far `value` lies outside the red line (0 while it holds)."""
    if cond.at_least is not None and value < cond.at_least:
        return cond.at_least - value
    if cond.at_most is not None and value > cond.at_most:
        return value - cond.at_most
    return 0


# --- wording ----------------------------------------------------------------


def _pts(x: float) -> str:
    """+2.3, −1 (a real minus sign, as the log is read out)."""
    return f"{x:+.1f}".replace("-", "−").replace(".0", "") if abs(x) >= 0.05 else "±0"


def _drivers(ctx: _Ctx, after: GameState, limit: int = 2) -> str:
    """The moves that matter most to this delegation's agenda: "Ceasefire +2, NATO posture −1"."""
    before = ctx.state
    agenda = before.scenario.delegation(ctx.me).agenda
    items = []
    for t, w in agenda.items():
        d = after.value(t) - before.value(t) if t != CAPITAL else 0
        if d and w:
            items.append((-abs(w * d), t, d))
    items.sort()
    name = before.scenario.name_of
    return ", ".join(f"{name(t)} {_pts(d)}" for _, t, d in items[:limit])


def _worth_text(ctx: _Ctx, look: _Look) -> str:
    drivers = _drivers(ctx, look.state)
    return f"{_pts(look.gain)} to its score" + (f" ({drivers})" if drivers else "")


class _Words:
    """A delegation's name with its pronouns and verbs: "Russia … its", "European leaders … their"."""

    __slots__ = ("dl",)

    def __init__(self, dl) -> None:
        self.dl = dl

    def says(self, singular: str) -> str:
        return self.dl.says(singular)

    def line(self, text: str) -> str:
        """One line, with "its"/"it" agreed for a plural delegation."""
        text = " ".join(text.split())
        if self.dl.plural:
            text = text.replace(" its ", " their ").replace(" it ", " they ")
        return text


# --- choices ----------------------------------------------------------------


def choose(state: GameState, delegation: str) -> Action:
    """The bot's move for `delegation` now: always one of `legal_actions(state, delegation)`.

    The move's one-line reason, naming what decided it, is in `action.text`.
    """
    if delegation != current_actor(state):
        raise IllegalAction(f"it is not {delegation}'s turn; {delegation!r} has nothing to do now")
    ctx = _Ctx(state, personality_of(state, delegation), delegation)
    w = _Words(state.scenario.delegation(delegation))
    pending = state.pending
    if isinstance(pending, Proposal):
        return _answer(ctx, w, pending)
    if isinstance(pending, Choice):
        return _choose_option(ctx, w, pending)
    if isinstance(pending, ViolationPending):
        return _respond(ctx, w, [r.id for r in responses_open(state)])
    return _play_or_pass(ctx, w, playable(state, delegation))


def _answer(ctx: _Ctx, w: _Words, proposal: Proposal) -> Action:
    card = ctx.state.scenario.concession(proposal.card)
    pv = preview(ctx.state, Answer(ctx.me, proposal.card, True))
    acc = _look(ctx, pv.agreed if pv.agreed is not None else pv.after)
    rej = _look(ctx, preview(ctx.state, Answer(ctx.me, proposal.card, False)).after)
    threshold = ctx.p.accept_threshold
    if acc.flag and not rej.flag:
        accept, why = False, acc.flag
    elif rej.flag and not acc.flag:
        accept, why = True, "rejecting it, " + rej.flag
    else:
        margin = acc.gain - rej.gain
        accept = margin >= threshold
        versus = f"{_worth_text(ctx, acc)} if agreed against {_pts(rej.gain)} for a rejection"
        why = f"{versus}, {'at least' if accept else 'below'} its threshold of {threshold:g}"
    verb = w.says("accepts" if accept else "rejects")
    return Answer(ctx.me, proposal.card, accept, w.line(f"{verb} “{card.title}”: {why}"))


def _choose_option(ctx: _Ctx, w: _Words, pending: Choice) -> Action:
    card = ctx.state.scenario.event(pending.event)
    looks = [(o, _look(ctx, preview(ctx.state, Choose(ctx.me, card.id, o.id)).after)) for o in card.options]
    looks.sort(key=lambda x: (bool(x[1].flag), -round(x[1].gain, 2), x[0].id))
    best_o, best = looks[0]
    text = f"{w.says('chooses')} “{best_o.label}”: {_worth_text(ctx, best)}"
    if len(looks) > 1:
        other_o, other = looks[1]
        if other.flag and not best.flag:
            text += f"; “{other_o.label}” would mean {other.flag}"
        elif round(other.gain, 2) == round(best.gain, 2):
            text += f", as much as “{other_o.label}” (a tie, settled by option id: “{best_o.id}” before “{other_o.id}”)"
        else:
            text += f", against {_pts(other.gain)} for “{other_o.label}”"
    return Choose(ctx.me, pending.event, best_o.id, w.line(text))


def _respond(ctx: _Ctx, w: _Words, open_ids: Sequence[str]) -> Action:
    p = ctx.p
    rules = ctx.state.scenario.violations
    if not open_ids:
        raise IllegalAction(f"{w.dl.name} cannot afford any response")
    tense = ctx.state.meters.get(TENSION, 0) >= p.tense_at
    preferred = p.response_when_tense if tense else p.response
    looks = {}
    for rid in sorted(open_ids):
        looks[rid] = _look(ctx, preview(ctx.state, Respond(ctx.me, rid)).after, rules.response(rid).cost)
    best = max(sorted(looks), key=lambda r: (not looks[r].flag, looks[r].gain))
    when = f"once tension reaches {p.tense_at}" if tense else f"while tension is below {p.tense_at}"
    # Style decides unless the preferred answer trips a guard or costs clearly more than the best one.
    if preferred in looks and not looks[preferred].flag and looks[preferred].gain >= looks[best].gain - 1:
        chosen = preferred
        why = f"its answer to a violation {when} ({_pts(looks[chosen].gain)} to its score)"
    else:
        chosen = best
        pref = rules.response(preferred)
        if preferred not in looks:
            cause = f"it cannot afford “{pref.label if pref else preferred}”"
        elif looks[preferred].flag:
            cause = f"“{pref.label}” would mean {looks[preferred].flag}"
        else:
            cause = f"“{pref.label}” is worth only {_pts(looks[preferred].gain)} against {_pts(looks[chosen].gain)}"
        why = f"it would answer {when} with “{pref.label if pref else preferred}”, but {cause}"
    label = rules.response(chosen).label
    return Respond(ctx.me, chosen, w.line(f"{w.says('responds')} with “{label}”: {why}"))


class _Offer:
    """A card the bot could play, as valued: its gain, whether it trips a guard, and (when asked) why.

    The reason is worded only when it is read: a bot values every card in its hand
    but explains one.
    """

    __slots__ = ("card", "gain", "flag", "look", "_ctx", "_chance", "_rejected", "_doubter")

    def __init__(self, ctx: _Ctx, card, gain: float, flag: str, look: _Look,
                 chance: Optional[float] = None, rejected: Optional[_Look] = None, doubter: Optional[tuple] = None) -> None:
        self.card = card
        self.gain = gain
        self.flag = flag
        self.look = look  # played at once, or as agreed for a proposal
        self._ctx = ctx
        self._chance = chance  # None: played at once; else the chance of agreement
        self._rejected = rejected
        self._doubter = doubter  # (delegation, its gain by agreeing): the likeliest to refuse

    @property
    def why(self) -> str:
        ctx, chance = self._ctx, self._chance
        if chance is None:
            return _worth_text(ctx, self.look)
        if chance >= 0.95:
            return f"{_worth_text(ctx, self.look)} if agreed, and every party gains by agreeing"
        who = ctx.state.scenario.delegation(self._doubter[0]).name
        return (f"{_pts(self.gain)} to its score expected: {_pts(self.look.gain)} if agreed, {_pts(self._rejected.gain)} if rejected, "
                f"and {who} would gain {_pts(self._doubter[1])} by agreeing ({100 * chance:.0f}% chance of agreement)")


def _offer(ctx: _Ctx, card) -> _Offer:
    """Value one card: played at once, or as a proposal weighed by whether it would be accepted."""
    state = ctx.state
    pv = preview(state, PlayCard(ctx.me, card.id))
    if pv.agreed is None:
        look = _look(ctx, pv.after, card.cost)
        return _Offer(ctx, card, look.gain, look.flag, look)
    agreed = _look(ctx, pv.agreed, card.cost)
    rejected_state = _rejected_state(pv.after, card.id)
    chance, doubter, doubt = 1.0, None, 1.0
    for d in consent_needed(state, card):
        p = personality_of(state, d)
        margin = worth(pv.agreed, d, p) - worth(rejected_state, d, p)
        yes = _acceptance(margin - p.accept_threshold - ctx.p.proposal_margin)
        chance *= yes
        if yes < doubt:
            doubter, doubt = (d, margin), yes
    if chance >= 0.95:
        return _Offer(ctx, card, agreed.gain, agreed.flag, agreed, chance)
    rejected = _look(ctx, rejected_state, card.cost)
    gain = chance * agreed.gain + (1 - chance) * rejected.gain
    flag = agreed.flag or (rejected.flag if chance < 0.5 else "")
    return _Offer(ctx, card, gain, flag, agreed, chance, rejected, doubter)


ACCEPTANCE_SCALE = 2.0  # score points over which a consenting party's answer turns from unlikely to likely


def _acceptance(margin: float) -> float:
    """The chance a party agrees, from what agreeing gains it over its threshold (a logistic curve)."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin / ACCEPTANCE_SCALE))))


def _rejected_state(proposed: GameState, card_id: str) -> GameState:
    """The state after the first consenting delegation turns the proposal down."""
    first = proposed.pending.awaiting[0]
    return preview(proposed, Answer(first, card_id, False)).after


def _play_or_pass(ctx: _Ctx, w: _Words, plays: Sequence[str]) -> Action:
    state, p, me = ctx.state, ctx.p, ctx.me
    scenario = state.scenario
    hand = state.hands.get(me, [])
    if not hand:
        return Pass(me, w.line(f"{w.says('passes')}: it holds no cards"))
    offers = [_offer(ctx, scenario.concession(c)) for c in sorted(plays)]
    good = [o for o in offers if not o.flag and o.gain >= p.play_threshold]
    if good:
        best = max(good, key=lambda o: o.gain)  # sorted by id, so the first of a tie wins
        consent = consent_needed(state, best.card)
        verb = w.says("proposes" if consent else "plays")
        cost = f" for {best.card.cost} capital" if best.card.cost else ""
        return PlayCard(me, best.card.id, w.line(f"{verb} “{best.card.title}”{cost}: {best.why}"))
    # Nothing worth playing: a card that would hurt its score (or that it cannot pay for
    # within two refills) is discarded for a fresh one, rather than holding a dead hand.
    dead = _dead_card(ctx, offers, hand)
    if dead is not None:
        card, why = dead
        return Discard(me, card.id, w.line(f"{w.says('discards')} “{card.title}” to draw another: {why}"))
    if not offers:
        return Pass(me, w.line(f"{w.says('passes')}: it cannot afford any card in its hand (capital {ctx.state.capital.get(me, 0)})"))
    closest = max(offers, key=lambda o: (not o.flag, o.gain))
    if closest.flag:
        why = f"“{closest.card.title}” would be its best card, but {closest.flag}"
    else:
        why = f"its best card, “{closest.card.title}”, is only {closest.why}, below its threshold of {p.play_threshold:g}"
    return Pass(me, w.line(f"{w.says('passes')}: {why}"))


def _dead_card(ctx: _Ctx, offers: Sequence[_Offer], hand: Sequence[str]) -> Optional[tuple]:
    """The card to discard, with why, or None: the worst card it holds, if that one is dead."""
    scenario = ctx.state.scenario
    dl = scenario.delegation(ctx.me)
    reach = min(dl.capital_max, ctx.state.capital.get(ctx.me, 0) + 2 * dl.income)
    for c in sorted(hand):
        card = scenario.concession(c)
        if card.cost > reach:
            return card, f"it costs {card.cost} capital, more than it can hold within two rounds"
    worst = min(offers, key=lambda o: o.gain, default=None)
    if worst is not None and worst.gain < 0 and worst.gain < ctx.p.play_threshold - 2:
        return worst.card, f"playing it is worth {_pts(worst.gain)} to its score ({worst.why})"
    return None
