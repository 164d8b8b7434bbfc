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

Bots bargain with the same valuation. Asked to consent, a bot weighs each
counter the rules allow by one preview of the amended deal, estimates the
proposer's answer from what that deal is worth to the proposer against the
rejection (the logistic curve again, never by asking the proposer's bot), and
counters when the expected value beats its plain answer by `COUNTER_MARGIN` and
the proposer is likely to take it. A proposer answers a counter as it answers
any deal. On its turn a bot also values each package of two cards and each
side-payment on a proposal in doubt, and tables one when it beats the best
plain card by `BARGAIN_MARGIN`. Each says in its line what it beat.

Bots never draw from the game's generator: every choice is a deterministic
function of the state, ties broken by card, option or response id.
"""

from __future__ import annotations

import math
from typing import Callable, Optional, Sequence

from .engine import current_actor, preview, preview_result
from .engine.ceasefire import responses_open
from .engine.errors import IllegalAction
from .engine.memo import ScenarioMemo
from .engine.proposals import counters, package_consent, package_effects, plays as play_options
from .engine.scoring import counted_agenda
from .model import (
    CAPITAL,
    VALUE_MAX,
    Action,
    Answer,
    AnswerCounter,
    Choice,
    Choose,
    Condition,
    Counter,
    CounterOffer,
    Discard,
    GameState,
    Pass,
    Personality,
    PlayCard,
    Proposal,
    Respond,
    ViolationPending,
    possessive,
)

__all__ = ["choose", "choose_as", "personality_of", "pts", "words_for", "worth"]

CAPITAL_VALUE = 0.1  # score points a unit of a delegation's own political capital is worth to its bot
SUPPORT_STEP = 0.5  # units of capital a step of support at home is worth to its bot, beyond its band's refills
# The settlement's prospects grow with the cube of the way covered: the last steps to a
# framework matter most (a step at 85% of the way counts about twice a step at 60%).
PROSPECT_POWER = 3
TENSION = "tension"
SOVEREIGNTY = "sovereignty"
TRUST = "trust"


_PERSONALITIES = ScenarioMemo()


def personality_of(state: GameState, delegation: str) -> Personality:
    """The personality a delegation's bot plays with (its default one for a human seat)."""
    scenario = state.scenario
    pid = state.setup.bots.get(delegation) or scenario.delegation(delegation).default_bot
    return _PERSONALITIES.get(scenario, (delegation, pid), _personality, scenario, delegation, pid)


def _personality(scenario, delegation: str, pid: str) -> Personality:
    p = scenario.personality(delegation, pid)
    if p is None:
        raise IllegalAction(f"no bot personality {pid!r} for {scenario.delegation(delegation).name}")
    return p


def _covered(tracks: dict[str, int], meters: dict[str, int], threshold: int, sovereignty_needed: int,
             trust_needed: int, trust_counts: bool) -> int:
    """The steps the tracks and sovereignty (and trust, when it counts) have covered toward a framework."""
    got = 0
    for v in tracks.values():
        got += v if v < threshold else threshold
    sovereignty = meters.get(SOVEREIGNTY, 0)
    got += sovereignty if sovereignty < sovereignty_needed else sovereignty_needed
    if trust_counts:
        trust = meters.get(TRUST, 0)
        got += trust if trust < trust_needed else trust_needed
    return got


def _framework_progress(state: GameState, threshold: int, sovereignty_needed: int, trust_needed: int,
                        trust_counts: bool) -> float:
    """0–1: how much of the way to a framework agreement the tracks and sovereignty have covered
    (and trust, when the framework's level of diplomacy needs it: `trust_counts`)."""
    need = threshold * len(state.tracks) + sovereignty_needed + (trust_needed if trust_counts else 0)
    got = _covered(state.tracks, state.meters, threshold, sovereignty_needed, trust_needed, trust_counts)
    return got / need if need else 1.0


def _framework_share(state: GameState) -> float:
    """`_framework_progress` with the scenario's rules."""
    rules = state.scenario.rules
    return _framework_progress(state, rules.framework_threshold, rules.framework_sovereignty,
                               rules.diplomacy_trust_needed, rules.framework_threshold > rules.diplomacy_trust_level)


def worth(state: GameState, delegation: str, p: Personality) -> float:
    """What `state` is worth to `delegation`'s bot, in score points (see the module's docstring)."""
    return _valuer(state.scenario, delegation, p)(state)


# What a state is worth to one delegation's bot: `worth` as a function of the state alone.
MEMO_LIMIT = 100_000  # the most values a valuer keeps (`_valuation`); far more than a long run needs
_Valuer = Callable[[GameState], float]


def _valuation(scenario, delegation: str, p: Personality) -> _Valuer:
    """`worth` for one delegation and personality, with the rules' constants read once.

    A bot game values ~800 states; this is the same arithmetic, in the same order (the
    same floats, to the last bit), as the plain reading of the module's docstring, minus the
    lookups and calls of that reading: it reads the integers the agenda's total is counted from
    (`scoring._Agenda.counts`) and the framework's covered way (`_covered`), and keeps what each
    set of them is worth, in one plain function (a call of a closure is quicker than an instance's
    `__call__`).
    `_support_capital` is that reading, kept for the tests that check the two agree.
    """
    rules = scenario.rules
    me = delegation
    agenda = counted_agenda(scenario, delegation)
    total = agenda.total  # a game that is over: the agenda's own total (ends of games are rare)
    counts, best = agenda.counts, agenda.best
    penalty = rules.collapse_penalty
    hope = p.settlement_hope * rules.settlement_bonus  # the product is the first step of the plain reading
    fear = p.caution * rules.collapse_penalty
    threshold = rules.framework_threshold
    sovereignty_needed = rules.framework_sovereignty
    trust_needed = rules.diplomacy_trust_needed
    trust_counts = rules.framework_threshold > rules.diplomacy_trust_level
    # `_framework_progress`'s whole way: every track's threshold, sovereignty's (and trust's).
    need = threshold * len(scenario.tracks) + sovereignty_needed + (trust_needed if trust_counts else 0)
    support_rules = scenario.support
    refill_change = {} if support_rules is None else {v: support_rules.refill_change(v) for v in range(VALUE_MAX + 1)}

    # What the values alone are worth (before capital and support), by the integers they are
    # counted from: the agenda's weighted sum and red-line penalties, the framework's covered way
    # and tension. A game's states share few of those, and each is worked out once (its two
    # `round`s and two powers were a third of a valuation); the same expressions, so the same float.
    # (Each entry is a few small ints and one float: a run of bot games keeps a few thousand.)
    memo: dict[tuple[int, int, int, int], float] = {}

    def counted(got: int, crossed: int, covered: int, tension: int) -> float:
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        if best == 0:
            worth = round(0.0 - crossed, 1)
        else:
            worth = round(round(100.0 * got / best, 1) - crossed, 1)
        if tension >= VALUE_MAX:  # a preview of a move that ends the talks
            worth -= penalty
        else:
            share = covered / need if need else 1.0
            worth += hope * share ** PROSPECT_POWER
            worth -= fear * (tension / VALUE_MAX) ** 3
        memo[got, crossed, covered, tension] = worth
        return worth

    def value(state: GameState) -> float:
        tracks, meters = state.tracks, state.meters
        if state.outcome is None:
            got, crossed = counts(state)  # `scoring._Agenda.total`'s integers
            covered = _covered(tracks, meters, threshold, sovereignty_needed, trust_needed, trust_counts)
            tension = meters.get(TENSION, 0)
            worth = memo.get((got, crossed, covered, tension))
            if worth is None:
                worth = counted(got, crossed, covered, tension)
        else:
            worth = total(state)
        level = state.support.get(me)
        if level is None:
            home = 0.0
        else:
            refills = state.setup.rounds - state.round
            change = refill_change.get(level)
            if change is None:
                change = support_rules.refill_change(level)
            home = change * (refills if refills > 0 else 0) + SUPPORT_STEP * level
        return worth + CAPITAL_VALUE * (state.capital.get(me, 0) + home)

    return value


_VALUERS = ScenarioMemo()


def _valuer(scenario, delegation: str, p: Personality) -> _Valuer:
    """The valuer of `p`, by identity (the tests and the expert make personalities of their own).
    The entry holds `p`, so its id cannot pass to another personality while the entry lives."""
    return _VALUERS.get(scenario, (delegation, id(p)), _held_valuer, scenario, delegation, p)[1]


def _held_valuer(scenario, delegation: str, p: Personality) -> tuple[Personality, _Valuer]:
    return p, _valuation(scenario, delegation, p)


def _support_capital(state: GameState, delegation: str) -> float:
    """Support at home in units of capital: its band's change to each refill still to come, plus a little per step."""
    level = state.support.get(delegation)
    if level is None:
        return 0.0
    refills = max(0, state.setup.rounds - state.round)
    return state.scenario.support.refill_change(level) * refills + SUPPORT_STEP * level


class _Ctx:
    """One decision's view: the state, the bot, and what the state is worth to it now."""

    __slots__ = ("state", "p", "me", "worth", "now", "overflow", "red_lines", "explain", "rejections", "_parties")

    def __init__(self, state: GameState, p: Personality, me: str, explain: bool = True) -> None:
        self.state = state
        self.explain = explain  # word the move's reason (off where nobody reads it: `simulate` without saves)
        self.p = p
        self.me = me
        self.worth = _valuer(state.scenario, me, p)  # what a state is worth to this bot
        self.now = self.worth(state)
        dl = state.scenario.delegation(me)
        # Capital that next round's refill would waste anyway costs nothing to spend.
        self.overflow = max(0, state.capital.get(me, 0) + dl.income - dl.capital_max)
        # Each of its red lines with how far the state already lies outside it (the same for every option).
        self.red_lines = [(cond, _distance(cond, state.value(cond.target))) for cond in p.red_lines]
        self.rejections: dict[tuple[str, int], _Rejection] = {}  # this turn's proposals turned down (`_rejection`)
        self._parties: dict[str, tuple[Personality, _Valuer]] = {}

    def party(self, delegation: str) -> tuple[Personality, _Valuer]:
        """Another delegation's bot as this decision weighs it: its personality and valuer, looked up once."""
        hit = self._parties.get(delegation)
        if hit is None:
            p = personality_of(self.state, delegation)
            hit = self._parties[delegation] = (p, _valuer(self.state.scenario, delegation, p))
        return hit


class _Look:
    """One option as the bot sees it: its gain in score points and the guard it trips, if any."""

    __slots__ = ("gain", "state", "flag")

    def __init__(self, gain: float, state: GameState, flag: str) -> None:
        self.gain = gain
        self.state = state
        self.flag = flag  # "" or why the option trips a guard (a red line, the risk tolerance)


def _look(ctx: _Ctx, after: GameState, spent: int = 0) -> _Look:
    return _Look(_gain(ctx, after, spent), after, _flag(ctx, after))


def _gain(ctx: _Ctx, after: GameState, spent: int = 0) -> float:
    """What moving to `after` (having spent `spent` capital) gains the bot: `_look`'s gain alone."""
    overflow = ctx.overflow
    return ctx.worth(after) - ctx.now + CAPITAL_VALUE * (overflow if overflow < spent else spent)  # min(spent, overflow)


def _flag(ctx: _Ctx, after: GameState) -> str:
    """Why `after` trips a guard: the bot's own red line crossed further, or tension past its tolerance."""
    before = ctx.state
    for cond, b in ctx.red_lines:
        a = after.value(cond.target)
        if _distance(cond, a) > b:
            name = before.scenario.name_of
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


def _number(x: float) -> str:
    """A setting as people read it: "2", "0.5", "−2" (a real minus sign)."""
    return f"{x:g}".replace("-", "−")


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


pts = _pts


def words_for(state: GameState, delegation: str) -> _Words:
    return _Words(state.scenario.delegation(delegation))


# --- choices ----------------------------------------------------------------


def _require_turn(state: GameState, delegation: str) -> None:
    if delegation != current_actor(state):
        raise IllegalAction(f"it is not {delegation}'s turn; {delegation!r} has nothing to do now")


def choose(state: GameState, delegation: str, *, explain: bool = True) -> Action:
    """The bot's move for `delegation` now: always one of `legal_actions(state, delegation)`.

    The move's one-line reason, naming what decided it, is in `action.text`. With
    `explain` False the reason is not worded (`action.text` is ""): the same move,
    for bot games whose log nobody reads.
    """
    _require_turn(state, delegation)
    p = personality_of(state, delegation)
    if p.rollouts:  # the expert looks ahead (wargame.expert), and falls back on `choose_as`
        from .expert import choose_expert

        return choose_expert(state, delegation, p)
    return choose_as(state, delegation, p, explain=explain)


def choose_as(state: GameState, delegation: str, p: Personality, *, explain: bool = True) -> Action:
    """`choose` with personality `p`, without looking ahead: the normal bot's move."""
    _require_turn(state, delegation)  # every option below is previewed as legal: only the actor's options are
    ctx = _Ctx(state, p, delegation, explain)
    w = words_for(state, delegation)
    pending = state.pending
    if isinstance(pending, Proposal):
        return _answer(ctx, w, pending)
    if isinstance(pending, CounterOffer):
        return _answer_counter(ctx, w, pending.proposal)
    if isinstance(pending, Choice):
        return _choose_option(ctx, w, pending)
    if isinstance(pending, ViolationPending):
        return _respond(ctx, w, [r.id for r in responses_open(state)])
    return _play_or_pass(ctx, w, play_options(state, delegation))


def _weigh(ctx: _Ctx, acc: _Look, rej: _Look) -> tuple[bool, str]:
    """Take a deal or turn it down, and why: a guard decides, else the margin against the threshold."""
    threshold = ctx.p.accept_threshold
    if acc.flag and not rej.flag:
        return False, acc.flag
    if rej.flag and not acc.flag:
        return True, "rejecting it, " + rej.flag
    accept = acc.gain - rej.gain >= threshold
    if not ctx.explain:
        return accept, ""  # nobody reads it: the wording (`_drivers`) is most of an answer's own work
    versus = f"{_worth_text(ctx, acc)} if agreed against {_pts(rej.gain)} for a rejection"
    return accept, f"{versus}, {'at least' if accept else 'below'} its threshold of {_number(threshold)}"


def _title(state: GameState, card_id: str, partner: Optional[str]) -> str:
    """“Title”, or “Title” with “Partner” for a package."""
    sc = state.scenario
    text = f"“{sc.concession(card_id).title}”"
    return text + (f" with “{sc.concession(partner).title}”" if partner else "")


def _answer(ctx: _Ctx, w: _Words, proposal: Proposal) -> Action:
    acc = _look(ctx, preview_result(ctx.state, Answer(ctx.me, proposal.card, True)))
    rej = _look(ctx, preview_result(ctx.state, Answer(ctx.me, proposal.card, False)))
    accept, why = _weigh(ctx, acc, rej)
    countered = _counter(ctx, w, proposal, acc, rej, accept)
    if countered is not None:
        return countered
    if not ctx.explain:
        return Answer(ctx.me, proposal.card, accept)
    verb = w.says("accepts" if accept else "rejects")
    return Answer(ctx.me, proposal.card, accept, w.line(f"{verb} {_title(ctx.state, proposal.card, proposal.partner)}: {why}"))


# Options whose value is bounded below what they would need are not previewed (`_counter`, `_bargains`).
# The bounds are exact; the slack covers the rounding of the sums they bound. Off only in the test
# that checks the bots make the same moves either way.
BOUNDS = True
BOUND_SLACK = 1e-9
COUNTER_MARGIN = 0.5  # score points a counter must add, in expectation, over the plain answer
COUNTER_LIKELY = 0.5  # the least chance of the proposer taking it that a bot counters with


def _counter(ctx: _Ctx, w: _Words, proposal: Proposal, acc: _Look, rej: _Look, accept: bool) -> Optional[Action]:
    """The counter worth more than the plain answer and likely to be taken, or None.

    Each counter is valued by one preview of the amended deal (every party consenting, the
    counter taken). A counter turned down is a rejection, the state `rej` already weighed.
    The proposer's answer is estimated from what the amended deal is worth to it against
    that rejection, as a bot proposing estimates consent: no bot is asked, nothing recurses.

    A counter asking for `n` capital is not previewed when even its best case cannot beat the
    plain answer: the amended deal is the deal `acc` with `n` more capital moved from the
    proposer to this bot (the rules' `payments`; nothing else differs), so it is worth at most
    `acc.gain + CAPITAL_VALUE * n`, and its expected value at most that or the rejection's."""
    state = ctx.state
    options = counters(state, ctx.me)
    if not options:
        return None
    plain = acc if accept else rej
    need = plain.gain + COUNTER_MARGIN
    proposer = proposal.proposer
    q = personality_of(state, proposer)
    value_to_proposer = _valuer(state.scenario, proposer, q)
    refused = value_to_proposer(rej.state)
    best = None
    for c in options:
        if c.ask and BOUNDS and max(acc.gain + CAPITAL_VALUE * c.ask, rej.gain) + BOUND_SLACK < need:
            continue  # cannot reach `need` (see the docstring): the preview would change nothing
        deal = preview_result(state, c)  # the amended deal, agreed
        # The tests that turn a counter down, cheapest first (each one alone rules it out).
        gain = _gain(ctx, deal)
        if gain - rej.gain < ctx.p.accept_threshold:
            continue  # it would not take the amended deal either
        amended = _Look(gain, deal, _flag(ctx, deal))
        if amended.flag:
            continue
        chance = _acceptance(value_to_proposer(deal) - refused - q.accept_threshold)
        if chance < COUNTER_LIKELY:
            continue
        value = chance * amended.gain + (1 - chance) * rej.gain
        if value >= need and (best is None or value > best[0]):
            best = (value, c, amended, chance)
    if best is None:
        return None
    value, c, amended, chance = best
    if not ctx.explain:
        return Counter(ctx.me, proposal.card, c.drop, c.ask)
    if c.drop is not None:
        effect = package_effects(state.scenario, proposal.card, proposal.partner)[c.drop]
        terms = f"without {_effect_words(state, effect)}"
    else:
        terms = f"asking {state.scenario.delegation(proposer).name} for {c.ask} capital"
    answer = "accepting" if accept else "rejecting"
    why = (f"{_pts(value)} to its score expected ({_pts(amended.gain)} if taken, {100 * chance:.0f}% likely), "
           f"against {_pts(plain.gain)} for {answer} the proposal unamended")
    title = _title(state, proposal.card, proposal.partner)
    return Counter(ctx.me, proposal.card, c.drop, c.ask, w.line(f"{w.says('counters')} {title} {terms}: {why}"))


def _effect_words(state: GameState, effect) -> str:
    name = state.scenario.name_of
    who = name(effect.delegation) + " capital" if effect.target == CAPITAL else name(effect.target)
    return f"{who} {_pts(effect.delta)}"


def _answer_counter(ctx: _Ctx, w: _Words, proposal: Proposal) -> Action:
    """The proposer takes the counter or turns it down, as it answers any deal."""
    acc = _look(ctx, preview_result(ctx.state, AnswerCounter(ctx.me, proposal.card, True)))
    rej = _look(ctx, preview_result(ctx.state, AnswerCounter(ctx.me, proposal.card, False)))
    accept, why = _weigh(ctx, acc, rej)
    if not ctx.explain:
        return AnswerCounter(ctx.me, proposal.card, accept)
    verb = w.says("takes" if accept else "turns down")
    by = ctx.state.scenario.delegation(proposal.countered_by)
    title = _title(ctx.state, proposal.card, proposal.partner)
    return AnswerCounter(ctx.me, proposal.card, accept, w.line(f"{verb} {possessive(by.name)} counter to {title}: {why}"))


def _choose_option(ctx: _Ctx, w: _Words, pending: Choice) -> Action:
    card = ctx.state.scenario.event(pending.event)
    looks = [(o, _look(ctx, preview_result(ctx.state, Choose(ctx.me, card.id, o.id)))) for o in card.options]
    looks.sort(key=lambda x: (bool(x[1].flag), -round(x[1].gain, 2), x[0].id))
    best_o, best = looks[0]
    if not ctx.explain:
        return Choose(ctx.me, pending.event, best_o.id)
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
        looks[rid] = _look(ctx, preview_result(ctx.state, Respond(ctx.me, rid)), rules.response(rid).cost)
    best = max(sorted(looks), key=lambda r: (not looks[r].flag, looks[r].gain))
    # Style decides unless the preferred answer trips a guard or costs clearly more than the best one.
    keep = preferred in looks and not looks[preferred].flag and looks[preferred].gain >= looks[best].gain - 1
    if not ctx.explain:
        return Respond(ctx.me, preferred if keep else best)
    when = f"once tension reaches {p.tense_at}" if tense else f"while tension is below {p.tense_at}"
    if keep:
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
    """A play the bot could make, as valued: its gain, whether it trips a guard, and (when asked) why.

    The reason is worded only when it is read: a bot values every card in its hand
    but explains one. `versus`, for a package or a side-payment, is what it beat.
    """

    __slots__ = ("play", "card", "cost", "gain", "flag", "look", "versus", "_ctx", "_chance", "_rejected", "_doubter")

    def __init__(self, ctx: _Ctx, play: PlayCard, cost: int, gain: float, flag: str, look: _Look,
                 chance: Optional[float] = None, rejected: Optional[_Look] = None, doubter: Optional[tuple] = None) -> None:
        self.play = play
        self.card = ctx.state.scenario.concession(play.card)
        self.cost = cost
        self.gain = gain
        self.flag = flag
        self.look = look  # played at once, or as agreed for a proposal
        self.versus = ""
        self._ctx = ctx
        self._chance = chance  # None: played at once; else the chance of agreement
        self._rejected = rejected
        self._doubter = doubter  # (delegation, its gain by agreeing): the likeliest to refuse

    @property
    def chance(self) -> float:
        return 1.0 if self._chance is None else self._chance

    @property
    def why(self) -> str:
        ctx, chance = self._ctx, self._chance
        if chance is None:
            text = _worth_text(ctx, self.look)
        elif chance >= 0.95:
            text = f"{_worth_text(ctx, self.look)} if agreed, and every party gains by agreeing"
        else:
            who = ctx.state.scenario.delegation(self._doubter[0]).name
            text = (f"{_pts(self.gain)} to its score expected: {_pts(self.look.gain)} if agreed, {_pts(self._rejected.gain)} if rejected, "
                    f"and {who} would gain {_pts(self._doubter[1])} by agreeing ({100 * chance:.0f}% chance of agreement)")
        return text + (f"; {self.versus}" if self.versus else "")


def _offer(ctx: _Ctx, play: PlayCard) -> _Offer:
    """Value one play: a card played at once, or a proposal weighed by whether it would be accepted."""
    state = ctx.state
    scenario = state.scenario
    cost = scenario.concession(play.card).cost + (scenario.concession(play.partner).cost if play.partner else 0)
    pv = preview(state, play, legal=True)
    if pv.agreed is None:
        look = _look(ctx, pv.after, cost)
        return _Offer(ctx, play, cost, look.gain, look.flag, look)
    agreed = _look(ctx, pv.agreed, cost)
    rejection = _rejection(ctx, pv.after, play, cost)
    chance, doubter, doubt = 1.0, None, 1.0
    for d in package_consent(state, play.card, play.partner):
        p, value = ctx.party(d)
        margin = value(pv.agreed) - rejection.value(d, value)
        yes = _acceptance(margin - p.accept_threshold - ctx.p.proposal_margin)
        chance *= yes
        if yes < doubt:
            doubter, doubt = (d, margin), yes
    if chance >= 0.95:
        return _Offer(ctx, play, cost, agreed.gain, agreed.flag, agreed, chance)
    rejected = rejection.look(ctx)
    gain = chance * agreed.gain + (1 - chance) * rejected.gain
    flag = agreed.flag or (rejected.flag if chance < 0.5 else "")
    return _Offer(ctx, play, cost, gain, flag, agreed, chance, rejected, doubter)


# Proposals turned down are shared within a turn (`_rejection`); off only in the test that checks
# the bots make the same moves either way.
SHARED_REJECTIONS = True


class _Rejection:
    """A proposal of this turn turned down: the state, what it is worth to each party, and the bot's look at it."""

    __slots__ = ("state", "cost", "values", "_look")

    def __init__(self, state: GameState, cost: int) -> None:
        self.state = state
        self.cost = cost
        self.values: dict[str, float] = {}
        self._look: Optional[_Look] = None

    def value(self, delegation: str, value: _Valuer) -> float:
        """What the rejection is worth to `delegation`, valued by `value` (its bot's valuer)."""
        v = self.values.get(delegation)
        if v is None:
            v = self.values[delegation] = value(self.state)
        return v

    def look(self, ctx: _Ctx) -> _Look:
        if self._look is None:
            self._look = _look(ctx, self.state, self.cost)
        return self._look


def _rejection(ctx: _Ctx, proposed: GameState, play: PlayCard, cost: int) -> _Rejection:
    """The state after `play`, proposed, is turned down, shared by every play of the turn that leads to the same values.

    A rejection undoes nothing the proposer paid and pays nothing it offered: the rules' `play`
    takes the cards' costs (`cost`) and `answer` then applies the first card's rejection effects
    to the values as they stand (a side-payment is paid only on agreement, and who must consent
    or which card is bundled with it changes no value). So every play of the same first card at
    the same cost is turned down into the same tracks, meters, capital and support, and its
    rejection is previewed once a turn (a hand's side-payments and packages share one)."""
    key = (play.card, cost)
    shared = ctx.rejections.get(key) if SHARED_REJECTIONS else None
    if shared is None:
        shared = ctx.rejections[key] = _Rejection(_rejected_state(proposed, play.card), cost)
    return shared


BARGAIN_MARGIN = 0.25  # score points a package or a side-payment must add over the plain card to be tabled


def _bargains(ctx: _Ctx, options: Sequence[PlayCard], singles: dict[str, _Offer], floor: float) -> list[_Offer]:
    """Packages of two cards and side-payments on proposals in doubt, each worded against what it beats.

    A side-payment that cannot be worth `floor` (the least gain a bargain is tabled with) is left
    out unvalued. It moves capital from this bot to the parties on agreement and nothing else, and
    is not paid on a rejection (the rules' `play` and `payments`), so its deal as agreed is worth at
    most the bare proposal's as agreed, its rejection exactly the bare proposal's rejection, and its
    expected gain at most the larger of the two."""
    out = []
    for play in options:
        if play.partner is None and play.side_payment:
            plain = singles.get(play.card)
            if plain is None or plain.chance >= 0.95:
                continue
            if BOUNDS and max(plain.look.gain, plain._rejected.gain) + BOUND_SLACK < floor:
                continue  # not worth `floor` whatever the chance of agreement: it would not be tabled
            o = _offer(ctx, play)
            out.append(o)
            if not ctx.explain:
                continue  # `versus` is read only in the worded reason
            o.versus = (f"offering {play.side_payment} capital to each party raises the chance of agreement from "
                        f"{100 * plain.chance:.0f}% and is worth {_pts(o.gain - plain.gain)} over the bare proposal")
        elif play.partner is not None and not play.side_payment:
            o = _offer(ctx, play)
            out.append(o)
            if not ctx.explain:
                continue
            alone = [singles[c] for c in (play.card, play.partner) if c in singles and not singles[c].flag]
            if alone:
                top = max(alone, key=lambda x: x.gain)
                o.versus = f"together worth {_pts(o.gain - top.gain)} more than “{top.card.title}” alone ({_pts(top.gain)})"
            else:
                o.versus = "neither card is worth playing alone"
    return out


ACCEPTANCE_SCALE = 2.0  # score points over which a consenting party's answer turns from unlikely to likely


def _acceptance(margin: float) -> float:
    """The chance a party agrees, from what agreeing gains it over its threshold (a logistic curve)."""
    x = margin / ACCEPTANCE_SCALE
    return 1.0 / (1.0 + math.exp(-(-30.0 if x < -30.0 else 30.0 if x > 30.0 else x)))  # clamped to ±30


def _rejected_state(proposed: GameState, card_id: str) -> GameState:
    """The state after the first consenting delegation turns the proposal down."""
    first = proposed.pending.awaiting[0]
    return preview_result(proposed, Answer(first, card_id, False))


def _play_or_pass(ctx: _Ctx, w: _Words, options: Sequence[PlayCard]) -> Action:
    state, p, me = ctx.state, ctx.p, ctx.me
    hand = state.hands.get(me, [])
    if not hand:
        return Pass(me, w.line(f"{w.says('passes')}: it holds no cards") if ctx.explain else "")
    singles = sorted((o for o in options if o.partner is None and not o.side_payment), key=lambda o: o.card)
    offers = [_offer(ctx, o) for o in singles]
    good = [o for o in offers if not o.flag and o.gain >= p.play_threshold]
    best = max(good, key=lambda o: o.gain) if good else None  # sorted by id, so the first of a tie wins
    plain = best
    floor = p.play_threshold if plain is None else max(p.play_threshold, plain.gain + BARGAIN_MARGIN)
    for o in _bargains(ctx, options, {o.card.id: o for o in offers}, floor):
        if o.flag or o.gain < floor:
            continue
        if best is plain or o.gain > best.gain:
            best = o
    if best is not None:
        play = best.play
        if not ctx.explain:
            return PlayCard(me, play.card, partner=play.partner, side_payment=play.side_payment)
        parties = package_consent(state, play.card, play.partner)
        what = "proposes" if parties else "plays"
        title = _title(state, play.card, play.partner)
        if play.partner:
            title = "the package " + title
        cost = f" for {best.cost} capital" if best.cost else ""
        text = w.line(f"{w.says(what)} {title}{cost}: {best.why}")
        return PlayCard(me, play.card, text, partner=play.partner, side_payment=play.side_payment)
    # Nothing worth playing: a card that would hurt its score (or that it cannot pay for
    # within two refills) is discarded for a fresh one, rather than holding a dead hand.
    dead = _dead_card(ctx, offers, hand)
    if dead is not None:
        card, why = dead
        return Discard(me, card.id, w.line(f"{w.says('discards')} “{card.title}” to draw another: {why()}") if ctx.explain else "")
    if not ctx.explain:
        return Pass(me)
    if not offers:
        return Pass(me, w.line(f"{w.says('passes')}: it cannot afford any card in its hand (capital {ctx.state.capital.get(me, 0)})"))
    closest = max(offers, key=lambda o: (not o.flag, o.gain))
    if closest.flag:
        why = f"“{closest.card.title}” would be its best card, but {closest.flag}"
    else:
        why = f"its best card, “{closest.card.title}”, is only {closest.why}, below its threshold of {_number(p.play_threshold)}"
    return Pass(me, w.line(f"{w.says('passes')}: {why}"))


def _dead_card(ctx: _Ctx, offers: Sequence[_Offer], hand: Sequence[str]) -> Optional[tuple]:
    """The card to discard, with a function that words why, or None: the worst card it holds, if that one is dead."""
    scenario = ctx.state.scenario
    dl = scenario.delegation(ctx.me)
    reach = min(dl.capital_max, ctx.state.capital.get(ctx.me, 0) + 2 * dl.income)
    for c in sorted(hand):
        card = scenario.concession(c)
        if card.cost > reach:
            return card, lambda: f"it costs {card.cost} capital, more than it can hold within two rounds"
    worst = min(offers, key=lambda o: o.gain, default=None)
    if worst is not None and worst.gain < 0 and worst.gain < ctx.p.play_threshold - 2:
        return worst.card, lambda: f"playing it is worth {_pts(worst.gain)} to its score ({worst.why})"
    return None
