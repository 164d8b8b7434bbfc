"""`wargame simulate --study`: does the deck reward good play?

For each chosen delegation in turn, one seat plays a naive policy (see
`wargame.policies`) while the other seats play their default bots; the same
game seeds are played with the default bot in that seat, so every game has
its pair and the difference of the seat's score is measured game by game.
A deck rewards judgement when every naive policy scores clearly below the
bot: the whole 95% confidence interval of the mean difference below zero.
"""

from __future__ import annotations

import json
import math
import time
from typing import Sequence

from .engine.scoring import OUTCOMES
from .errors import UserError
from .model import Scenario
from .policies import POLICIES, STUDY_DEFAULT
from .simulate import GameResult, run_games

__all__ = ["cmd_study", "paired_difference", "run_study"]

Z95 = 1.96  # two-sided 95% normal quantile


def paired_difference(policy: Sequence[GameResult], bot: Sequence[GameResult], seat: str) -> dict:
    """Mean of the seat's per-game score difference (policy − bot), its 95% CI, and the policy games' outcomes."""
    diffs = [p.scores[seat] - b.scores[seat] for p, b in zip(policy, bot, strict=True)]
    n = len(diffs)
    mean = sum(diffs) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1)) if n > 1 else 0.0
    half = Z95 * sd / math.sqrt(n) if n > 1 else 0.0
    outcomes = {k: 0 for k in OUTCOMES}
    for r in policy:
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    return {
        "mean_diff": round(mean, 2),
        "ci_low": round(mean - half, 2),
        "ci_high": round(mean + half, 2),
        "outcomes": outcomes,
        "mean_score": round(sum(r.scores[seat] for r in policy) / n, 2),
    }


def run_study(scenario: Scenario, games: int, seed: int, delegations: Sequence[str], policies: Sequence[str], **run) -> dict:
    """Per delegation: the bot's mean score and outcomes, and each policy's paired difference."""
    bot = run_games(scenario, games, seed, **run)
    out: dict = {}
    for d in delegations:
        entry = {"bot": paired_difference(bot, bot, d), "policies": {}}
        del entry["bot"]["mean_diff"], entry["bot"]["ci_low"], entry["bot"]["ci_high"]
        for name in policies:
            results = run_games(scenario, games, seed, seat=d, policy=name, **run)
            entry["policies"][name] = paired_difference(results, bot, d)
        out[d] = entry
    return out


def _choices(text: str, known: Sequence[str], what: str) -> list[str]:
    chosen = [x.strip() for x in text.split(",") if x.strip()]
    unknown = [x for x in chosen if x not in known]
    if unknown or not chosen:
        raise UserError(f"--{what}: unknown {unknown[0]!r}; choose from {', '.join(known)}" if unknown else f"--{what}: name at least one")
    return list(dict.fromkeys(chosen))


def format_study(scenario: Scenario, study: dict, games: int, seed: int, elapsed: float) -> str:
    lines = [f"Decision-value study: {games} games per policy and delegation, seed {seed}, in {elapsed:.1f} s",
             "(policy score − default bot score in the same seat, paired by seed; 95% CI)", ""]
    for d, entry in study.items():
        b = entry["bot"]
        lines.append(f"{scenario.delegation(d).name}: default bot {b['mean_score']:.1f} "
                     f"({', '.join(f'{k} {100 * v / games:.0f}%' for k, v in b['outcomes'].items())})")
        for name, r in entry["policies"].items():
            shares = ", ".join(f"{k} {100 * v / games:.0f}%" for k, v in r["outcomes"].items())
            lines.append(f"  {name:<7} {r['mean_diff']:+6.1f}  [{r['ci_low']:+.1f}, {r['ci_high']:+.1f}]  ({shares})")
        lines.append("")
    return "\n".join(lines).rstrip()


def cmd_study(args, scenario: Scenario, label: str, bots: dict, leave_out: Sequence[str]) -> int:
    if args.save_dir:
        raise UserError("--study does not write saves; leave out --save-dir")
    in_game = [d.id for d in scenario.delegations if d.id not in leave_out]
    delegations = _choices(args.delegations, in_game, "delegations") if args.delegations else in_game
    policies = _choices(args.policies, POLICIES, "policies") if args.policies else list(STUDY_DEFAULT)
    start = time.perf_counter()
    study = run_study(scenario, args.games, args.seed, delegations, policies,
                      rounds=args.rounds, bots=bots, leave_out=leave_out, jobs=args.jobs)
    elapsed = time.perf_counter() - start
    if args.json:
        print(json.dumps({"games": args.games, "seed": args.seed, "scenario": label, "delegations": study,
                          "elapsed_s": round(elapsed, 3)}, ensure_ascii=False))
    else:
        print(format_study(scenario, study, args.games, args.seed, elapsed))
    return 0
