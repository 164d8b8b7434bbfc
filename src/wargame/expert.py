"""The expert bot: a personality that looks ahead with rollouts (`rollouts` > 0 in decks/bots.toml).

For a decision with more than one option, it ranks the legal options by the
normal bots' valuation (`bots.worth` of the state each one leads to) and keeps
its `candidates` best, always with its normal choice (what `bots.choose`
would do with its personality) and, on a turn of play, passing. For each
candidate it plays the game to the end `rollouts` times with the default bot
at every seat (its own included) and averages its final score. It leaves its
normal choice only for a candidate that averages at least `rollout_margin`
points more, and says so in one line: "plays “X”: averaged +6 over passing
in 80 rollouts".

The rollouts never see what the delegation cannot see. Before each one the
state is determinized: every other delegation's hand and draw pile are pooled,
shuffled and dealt back in the same sizes, its own draw pile and the event
deck are shuffled, and the generator is replaced by one of the rollout's own.
Each pool is sorted before it is shuffled, so how the hidden cards really lie
cannot change what the expert does. The rollout seeds come from the game's
generator without advancing it (they are derived from its state), so an
expert game is as repeatable as any other and its rollouts never change what
the real game will draw. Rollout i is determinized the same way for every
candidate (common random numbers), which makes the comparison fair with few
rollouts. The real state is never changed: each rollout plays on a copy.
"""

from __future__ import annotations

import attrs

from . import bots
from .engine import _advance_by, current_actor, legal_actions, preview_result
from .engine.proposals import consent_needed
from .engine.rng import Draw, next_u64
from .engine.scoring import total
from .model import Action, Answer, Choose, Discard, GameState, Pass, Personality, PlayCard, Respond

__all__ = ["choose_expert", "determinize", "rollout_seeds"]

_SALT = 0xE4BE47  # keeps the rollouts' streams apart from the game's own


def rollout_seeds(state: GameState, n: int) -> list[int]:
    """`n` seeds for a decision's rollouts, derived from the game's generator without advancing it."""
    st = state.rng ^ _SALT
    out = []
    for _ in range(n):
        st, value = next_u64(st)
        out.append(value)
    return out


def determinize(state: GameState, me: str, seed: int) -> GameState:
    """A copy of `state` in which everything `me` cannot see is dealt anew from `seed`.

    Other delegations' hands and draw piles are pooled and redealt (hands of the
    same sizes), `me`'s own draw pile and the event deck are reshuffled, and the
    copy draws from a generator seeded with `seed`. What is public (hands' sizes,
    discards, the pending decision, the tracks) and `me`'s own hand stay as they are.
    """
    s = state.clone()
    s.log, s.actions = [], []  # a rollout needs neither, and copying them each action is what costs
    s.rng = seed
    draw = Draw(s)
    for d in s.setup.delegations:
        hand, deck = state.hands.get(d, []), state.decks.get(d, [])
        if d == me:
            pile = sorted(deck)
            draw.shuffle(pile)
            s.decks[d] = pile
            continue
        pool = sorted([*hand, *deck])
        draw.shuffle(pool)
        s.hands[d], s.decks[d] = pool[: len(hand)], pool[len(hand):]
    events = sorted(s.event_deck)
    draw.shuffle(events)
    s.event_deck = events
    return s


def _rollout_setup(state: GameState):
    """The setup rollouts play under: default bots at every seat, no human and no facilitator to wait for."""
    setup = state.setup
    scenario = state.scenario
    return attrs.evolve(
        setup,
        humans={},
        bots={d: scenario.delegation(d).default_bot for d in setup.delegations},
        facilitated=False,
        event_preview=False,
    )


def play_out(state: GameState) -> GameState:
    """Play `state` (a rollout's own copy, changed in place) to the end with the bots of its setup.

    The bots play without looking ahead themselves, even where a deck gives their personality
    rollouts: a rollout inside a rollout would multiply the cost by the rollouts at each level.
    Their reasons go unworded, since nobody reads a rollout's log; the moves are the same."""
    choose_as, personality_of = bots.choose_as, bots.personality_of
    guard = 0
    while state.outcome is None:
        who = current_actor(state)
        if who is None or guard > 5000:  # nobody can act (a facilitator's decision): score it as it stands
            break
        _advance_by(state, choose_as(state, who, personality_of(state, who), explain=False))
        guard += 1
    return state


# --- candidates -------------------------------------------------------------------


def _value(state: GameState, me: str, p: Personality, action: Action) -> float:
    """The normal bots' valuation of an option: what the state it leads to is worth (as agreed, for a proposal)."""
    return bots.worth(preview_result(state, action), me, p)  # `action` is one of `legal_actions`


def candidates(state: GameState, me: str, p: Personality, normal: Action) -> list[Action]:
    """The options worth a rollout: the normal choice, passing on a turn of play, and the best of the rest."""
    options = legal_actions(state, me)
    picked: list[Action] = []

    def add(a: Action) -> None:
        if not any(_same(a, b) for b in picked):
            picked.append(a)

    add(normal)
    if state.pending is None:
        add(Pass(me))
    ranked = sorted(options, key=lambda a: -_value(state, me, p, a))
    for a in ranked:
        if len(picked) >= p.candidates:
            break
        add(a)
    return picked


def _same(a: Action, b: Action) -> bool:
    return attrs.evolve(a, text="") == attrs.evolve(b, text="")


# --- the choice ---------------------------------------------------------------------


def choose_expert(state: GameState, me: str, p: Personality) -> Action:
    """The expert's move for `me` (one of `legal_actions`), with its one-line reason in `text`."""
    normal = bots.choose_as(state, me, p)
    options = candidates(state, me, p, normal)
    if len(options) < 2 or p.rollouts <= 0:
        return normal
    setup = _rollout_setup(state)
    sums = [0.0] * len(options)
    for seed in rollout_seeds(state, p.rollouts):
        base = determinize(state, me, seed)
        base.setup = setup
        for k, action in enumerate(options):
            s = base.clone()
            _advance_by(s, attrs.evolve(action, text=""))
            sums[k] += total(play_out(s), me)
    means = [x / p.rollouts for x in sums]
    n = p.rollouts * len(options)
    best = max(range(len(options)), key=lambda k: (means[k], -k))  # ties to the earlier: the normal choice first
    words = bots.words_for(state, me)
    if best != 0 and means[best] - means[0] >= p.rollout_margin:
        chosen = best
        ref = next((k for k, a in enumerate(options) if isinstance(a, Pass)), 0) if not isinstance(options[best], Pass) else 0
        text = f"{_does(state, words, options[chosen])}: averaged {bots.pts(means[chosen] - means[ref])} over {_doing(state, options[ref])}"
        if ref != 0:
            text += f" and {bots.pts(means[chosen] - means[0])} over its usual {_doing(state, options[0])}"
        text += f" in {n} rollouts"
    else:
        chosen = 0
        runner = max(range(1, len(options)), key=lambda k: (means[k], -k))
        gap = means[runner] - means[0]
        if gap <= 0:
            text = f"{_does(state, words, options[0])}: averaged {bots.pts(-gap)} over {_doing(state, options[runner])} in {n} rollouts"
        else:
            text = (f"{_does(state, words, options[0])}: {_doing(state, options[runner])} averaged only {bots.pts(gap)} more "
                    f"in {n} rollouts, under its margin of {p.rollout_margin:g}")
    return attrs.evolve(options[chosen], text=words.line(text))


def _title(state: GameState, action: Action) -> str:
    sc = state.scenario
    if isinstance(action, (PlayCard, Discard, Answer)):
        return f"“{sc.concession(action.card).title}”"
    if isinstance(action, Choose):
        return f"“{next(o.label for o in sc.event(action.card).options if o.id == action.option)}”"
    if isinstance(action, Respond):
        return f"“{sc.violations.response(action.response).label}”"
    return ""


def _proposes(state: GameState, action: PlayCard) -> bool:
    return bool(consent_needed(state, state.scenario.concession(action.card)))


def _does(state: GameState, words, action: Action) -> str:
    """What the delegation does: "plays “X”", "accepts “X”", "passes"."""
    says = words.says
    if isinstance(action, PlayCard):
        return f"{says('proposes' if _proposes(state, action) else 'plays')} {_title(state, action)}"
    if isinstance(action, Discard):
        return f"{says('discards')} {_title(state, action)} to draw another"
    if isinstance(action, Answer):
        return f"{says('accepts' if action.accept else 'rejects')} {_title(state, action)}"
    if isinstance(action, Choose):
        return f"{says('chooses')} {_title(state, action)}"
    if isinstance(action, Respond):
        return f"{says('responds')} with {_title(state, action)}"
    return says("passes")


def _doing(state: GameState, action: Action) -> str:
    """The same, as the thing compared with: "passing", "proposing “X”", "“Protest”"."""
    if isinstance(action, PlayCard):
        return f"{'proposing' if _proposes(state, action) else 'playing'} {_title(state, action)}"
    if isinstance(action, Discard):
        return f"discarding {_title(state, action)}"
    if isinstance(action, Answer):
        return "accepting" if action.accept else "rejecting"
    if isinstance(action, (Choose, Respond)):
        return _title(state, action)
    return "passing"
