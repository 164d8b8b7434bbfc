"""Naive policies for the decision-value study: what a seat scores without the bot's judgement.

A deck rewards good play when these score clearly below the default bot
(`wargame simulate --study`). Each policy is a function of the state and the
seat that returns one of `legal_actions`; the random one draws from a
generator of its own, seeded from the game's seed, so a study is as
repeatable as a game and never touches the game's own generator.

- pass: passes on every turn; answers, choices and responses take the first
  legal option (accept, the first option, the first affordable response).
- accept: accepts every proposal; plays like the default bot otherwise.
- random: any legal action, uniformly.
- greedy: the action with the best score right after it (`preview`'s score;
  a proposal as if agreed), ties to the first legal one.
- expert: the delegation's expert personality (`wargame.expert`), which looks
  ahead with rollouts. Slow, so not in the default set (`STUDY_DEFAULT`).
"""

from __future__ import annotations

from typing import Callable

from .bots import choose
from .engine import legal_actions, preview
from .engine.rng import derive_seed, next_u64
from .engine.scoring import scores
from .errors import UserError
from .model import Action, Answer, AnswerCounter, CounterOffer, GameState, Pass, Proposal

__all__ = ["POLICIES", "STUDY_DEFAULT", "SeededChoice", "policy_for"]

Policy = Callable[[GameState, str], Action]
POLICIES = ("pass", "accept", "random", "greedy", "expert")
STUDY_DEFAULT = ("pass", "accept", "random", "greedy")  # the expert's rollouts make it slow: asked for by name
EXPERT = "expert"  # the personality id the expert policy plays
_RANDOM_SALT = 0x5EED  # keeps the policy's stream apart from the game's own


class SeededChoice:
    """A splitmix64 stream of its own, for a policy that picks at random."""

    __slots__ = ("state",)

    def __init__(self, seed: int) -> None:
        self.state = derive_seed(seed, _RANDOM_SALT)

    def below(self, n: int) -> int:
        self.state, value = next_u64(self.state)
        return int((value >> 11) / float(1 << 53) * n)


def _pass(state: GameState, who: str) -> Action:
    options = legal_actions(state, who)
    return next((a for a in options if isinstance(a, Pass)), options[0])


def _accept(state: GameState, who: str) -> Action:
    if isinstance(state.pending, Proposal):
        return Answer(who, state.pending.card, True)
    if isinstance(state.pending, CounterOffer):  # its own proposal, countered: it takes the counter too
        return AnswerCounter(who, state.pending.proposal.card, True)
    return choose(state, who)


def _greedy(state: GameState, who: str) -> Action:
    best, best_score = None, None
    for action in legal_actions(state, who):
        pv = preview(state, action)
        after = pv.agreed if pv.agreed is not None else pv.after
        total = (pv.scores if pv.agreed is None else scores(after))[who].total
        if best_score is None or total > best_score:
            best, best_score = action, total
    return best


def _expert(state: GameState, who: str) -> Action:
    from .expert import choose_expert

    p = state.scenario.personality(who, EXPERT)
    if p is None or not p.rollouts:
        raise UserError(f"the expert policy needs a personality {EXPERT!r} with rollouts for {state.scenario.delegation(who).name} in bots.toml")
    return choose_expert(state, who, p)


def policy_for(name: str, seed: int) -> Policy:
    """The policy `name` for one game dealt with `seed`."""
    if name == "pass":
        return _pass
    if name == "accept":
        return _accept
    if name == "greedy":
        return _greedy
    if name == "expert":
        return _expert
    if name == "random":
        rng = SeededChoice(seed)

        def pick(state: GameState, who: str) -> Action:
            options = legal_actions(state, who)
            return options[rng.below(len(options))]

        return pick
    raise ValueError(f"unknown policy {name!r}; choose from {', '.join(POLICIES)}")
