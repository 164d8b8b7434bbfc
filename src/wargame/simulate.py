"""`wargame simulate`: bot-only games, headless, to test a deck before a workshop.

Game i of a run is dealt with the seed `derive_seed(S, i)`, so a run's
results depend only on its arguments, never on how many processes played
it: `--jobs` splits the games into chunks, and the results come back in game
order before anything is added up. A bot game is pure engine work (no
screen, no files unless `--save-dir`), which is what makes thousands of
games a minute possible.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Callable, Optional, Sequence

import attrs

from .bots import choose
from .engine import apply_in_place, current_actor, make_setup, new_game
from .engine.rng import derive_seed
from .engine.scoring import OUTCOMES, scores, winner
from .errors import UserError
from .model import CardPlayed, CounterAnswered, Countered, GameState, Proposed, Scenario, Setup

BARGAINS = ("counters", "counters_taken", "packages", "side_payments")

__all__ = ["GameResult", "cmd_simulate", "play_game", "run_games", "summarize"]


@attrs.frozen
class GameResult:
    """What a finished bot game contributes to a run's summary (small, so it crosses processes cheaply)."""

    index: int
    seed: int
    outcome: str
    rounds: int
    values: dict[str, int]  # final tracks and meters
    scores: dict[str, float]
    winner: Optional[str]
    violations: int
    collapses: int
    saved: Optional[str] = None
    played: tuple[str, ...] = ()  # the concession cards played or proposed in the game, each once
    # Bargaining in the game: counters made (and taken), packages proposed, proposals with a side-payment.
    bargains: dict[str, int] = attrs.field(factory=dict)


@attrs.frozen
class RunSpec:
    """Everything a worker needs to deal and play games of a run (picklable)."""

    seed: int
    rounds: Optional[int] = None
    bots: dict[str, str] = attrs.field(factory=dict)
    leave_out: tuple[str, ...] = ()
    save_dir: Optional[str] = None
    seat: Optional[str] = None  # the delegation that plays `policy` instead of its bot (the study)
    policy: Optional[str] = None


def play_game(scenario: Scenario, setup: Setup, seat: Optional[str] = None, policy: Optional[str] = None,
              *, explain: bool = True) -> GameState:
    """Deal a game and let the bots play it to the end (`seat` playing `policy`, when given).

    With `explain` False the bots do not word their reasons (`bots.choose`): the same
    game, move for move, with an empty rationale on each bot move, for runs whose log
    nobody reads.
    """
    state = new_game(scenario, setup)
    other = None
    if seat is not None and policy is not None:
        from .policies import policy_for

        other = policy_for(policy, setup.seed)
    # The game plays on its own state, changed in place as `engine.replay` does: nobody else holds
    # it, so `apply_action`'s copy per action (the log and the actions list among it) would buy nothing.
    while state.outcome is None:
        who = current_actor(state)
        if who is None:  # nobody can act: only a facilitated game waits on the facilitator
            raise UserError("a bot-only game got stuck waiting for the facilitator")
        apply_in_place(state, other(state, who) if who == seat and other is not None else choose(state, who, explain=explain))
    return state


def setup_for(scenario: Scenario, spec: RunSpec, index: int) -> Setup:
    return make_setup(scenario, derive_seed(spec.seed, index), rounds=spec.rounds, bots=spec.bots, leave_out=spec.leave_out)


def _result(index: int, state: GameState, saved: Optional[str]) -> GameResult:
    return GameResult(
        index=index,
        seed=state.setup.seed,
        outcome=state.outcome or "",
        rounds=state.round,
        values={**state.tracks, **state.meters},
        scores={d: s.total for d, s in scores(state).items()},
        winner=winner(state),
        violations=len(state.violations),
        collapses=state.ceasefire_collapses,
        saved=saved,
        played=tuple(sorted({e.payload.card for e in state.log if isinstance(e.payload, (CardPlayed, Proposed))})),
        bargains=_bargains(state),
    )


def _bargains(state: GameState) -> dict[str, int]:
    payloads = [e.payload for e in state.log]
    return {
        "counters": sum(1 for p in payloads if isinstance(p, Countered)),
        "counters_taken": sum(1 for p in payloads if isinstance(p, CounterAnswered) and p.accept),
        "packages": sum(1 for p in payloads if isinstance(p, Proposed) and p.partner),
        "side_payments": sum(1 for p in payloads if isinstance(p, Proposed) and p.side_payment),
    }


def save_writer(save_dir: Optional[str]) -> Optional[Callable[[GameState, Path], Path]]:
    """A function that writes a finished game as a save, or None without `--save-dir`.

    Saves come from `wargame.saves` (write_save and new_game_id); if that
    module is not there, `--save-dir` is refused with a clear message rather
    than silently writing nothing.
    """
    if not save_dir:
        return None
    try:
        from . import saves
    except ImportError:
        saves = None
    write, new_id = getattr(saves, "write_save", None), getattr(saves, "new_game_id", None)
    if write is None or new_id is None:
        raise UserError("--save-dir needs saved games, which this version of wargame cannot write yet")

    def writer(state: GameState, path: Path) -> Path:
        return write(state, path, game_id=new_id())

    return writer


def _save_path(save_dir: str, spec: RunSpec, index: int) -> Path:
    return Path(save_dir) / f"sim-{spec.seed}-{index}.toml"


def _play_range(scenario: Scenario, spec: RunSpec, indices: Sequence[int]) -> list[GameResult]:
    writer = save_writer(spec.save_dir)
    out = []
    for i in indices:
        # Without saves, nobody reads the bots' reasons: they are not worded.
        state = play_game(scenario, setup_for(scenario, spec, i), spec.seat, spec.policy, explain=writer is not None)
        saved = None
        if writer is not None:
            saved = str(writer(state, _save_path(spec.save_dir, spec, i)))
        out.append(_result(i, state, saved))
    return out


# Worker processes keep the scenario they were handed (inherited on fork, loaded once otherwise).
_WORKER_SCENARIO: Optional[Scenario] = None


def _worker_init(scenario_path: Optional[str]) -> None:
    global _WORKER_SCENARIO
    if _WORKER_SCENARIO is None or (scenario_path and _WORKER_SCENARIO.path != scenario_path):
        from .scenario import load_scenario

        _WORKER_SCENARIO = load_scenario(Path(scenario_path) if scenario_path else None)


def _worker_chunk(spec: RunSpec, indices: Sequence[int]) -> list[GameResult]:
    assert _WORKER_SCENARIO is not None
    return _play_range(_WORKER_SCENARIO, spec, indices)


def run_games(
    scenario: Scenario,
    games: int,
    seed: int = 1,
    *,
    rounds: Optional[int] = None,
    bots: Optional[dict[str, str]] = None,
    leave_out: Sequence[str] = (),
    jobs: int = 1,
    save_dir: Optional[str] = None,
    progress: Optional[Callable[[int, int], None]] = None,
    seat: Optional[str] = None,
    policy: Optional[str] = None,
) -> list[GameResult]:
    """Play `games` bot-only games and return their results in game order.

    `bots` maps delegation ids (or "all") to personality ids; the rest play
    their default personality. Raises SetupError for a bad delegation or
    personality before any game is played.
    """
    spec = RunSpec(seed, rounds, dict(bots or {}), tuple(leave_out), str(save_dir) if save_dir else None, seat, policy)
    setup_for(scenario, spec, 0)  # check the arguments once, up front
    save_writer(spec.save_dir)
    if spec.save_dir:
        from .saves.place import ensure_writable_folder

        ensure_writable_folder(Path(spec.save_dir), "--save-dir folder")
    if jobs <= 1 or games < 2:
        results: list[GameResult] = []
        step = max(1, min(50, games // 100))
        for start in range(0, games, step):
            results.extend(_play_range(scenario, spec, range(start, min(games, start + step))))
            if progress:
                progress(len(results), games)
        return results
    return _run_parallel(scenario, spec, games, jobs, progress)


def _run_parallel(scenario: Scenario, spec: RunSpec, games: int, jobs: int, progress) -> list[GameResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_SCENARIO
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    # A few chunks a worker: enough to balance the load and feed the progress bar, few enough
    # that each worker spends its time in games, not in handing chunks and results back.
    size = max(1, min(250, -(-games // (jobs * 4))))
    chunks = [range(s, min(games, s + size)) for s in range(0, games, size)]
    _WORKER_SCENARIO = scenario  # inherited by forked workers: no reload
    if ctx.get_start_method() == "fork":
        import gc

        gc.freeze()  # the parent's objects out of the collector's reach: forked workers do not copy their pages
    path = scenario.path or None
    by_index: dict[int, GameResult] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init, initargs=(path,)) as pool:
        futures = [pool.submit(_worker_chunk, spec, chunk) for chunk in chunks]
        from concurrent.futures import as_completed

        for fut in as_completed(futures):
            for r in fut.result():
                by_index[r.index] = r
            if progress:
                progress(len(by_index), games)
    return [by_index[i] for i in range(games)]


def summarize(scenario: Scenario, results: Sequence[GameResult], *, seed: int, bots: dict[str, str]) -> dict:
    """The run's figures, as `--json` prints them (without elapsed_s)."""
    n = len(results)
    outcomes = {k: 0 for k in OUTCOMES}
    for r in results:
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    value_ids = [t.id for t in scenario.tracks] + [m.id for m in scenario.meters]
    tracks = {t: round(sum(r.values[t] for r in results) / n, 3) if n else 0.0 for t in value_ids}
    delegations = {}
    ids = list(results[0].scores) if results else []
    for d in ids:
        wins = sum(1 for r in results if r.winner == d)
        delegations[d] = {
            "mean_score": round(sum(r.scores[d] for r in results) / n, 2),
            "par": scenario.delegation(d).par,
            "win_rate": round(wins / n, 4),
            "personality": bots.get(d, ""),
        }
    cards = {c.id: 0 for c in scenario.concessions}
    for r in results:
        for c in r.played:
            cards[c] = cards.get(c, 0) + 1
    return {
        "games": n,
        "seed": seed,
        "outcomes": outcomes,
        "tracks": tracks,
        "delegations": delegations,
        "violations_per_game": round(sum(r.violations for r in results) / n, 3) if n else 0.0,
        "bargains_per_100_games": {k: round(100 * sum(r.bargains.get(k, 0) for r in results) / n, 1) if n else 0.0 for k in BARGAINS},
        "cards": {c: {"games": k, "share": round(k / n, 4) if n else 0.0} for c, k in cards.items()},
    }


def _progress_bar(stream) -> Callable[[int, int], None]:
    last = [-1]

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        pct = 100 * done // total
        if pct == last[0] and done != total:
            return
        last[0] = pct
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} games")
        if done == total:
            stream.write("\r" + " " * (width + 30) + "\r")
        stream.flush()

    return show


def _table(rows: list[list[str]], right: set[int] = frozenset()) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, row in enumerate(rows):
        cells = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_summary(scenario: Scenario, summary: dict, elapsed: float, scenario_label: str) -> str:
    n = summary["games"]
    out = [f"{n} bot games of {scenario.title} ({scenario_label}), seed {summary['seed']}, in {elapsed:.2f} s ({n / elapsed if elapsed else 0:.0f} games/s)", ""]
    rows = [["Outcome", "Games", "Share"]]
    for k, v in summary["outcomes"].items():
        rows.append([k, str(v), f"{100 * v / n:.1f}%"])
    out += [_table(rows, {1, 2}), ""]
    rows = [["Track / meter", "Mean final value"]]
    for t, v in summary["tracks"].items():
        rows.append([scenario.name_of(t), f"{v:.2f}"])
    out += [_table(rows, {1}), ""]
    rows = [["Delegation", "Bot", "Mean score", "Par", "Win rate"]]
    for d, info in summary["delegations"].items():
        par = info.get("par")
        rows.append([scenario.delegation(d).name, info["personality"], f"{info['mean_score']:.1f}",
                     "–" if par is None else f"{par:g}", f"{100 * info['win_rate']:.1f}%"])
    no_winner = 1 - sum(i["win_rate"] for i in summary["delegations"].values())
    out += [_table(rows, {2, 3, 4}), f"(no single winner, a tie at the top: {100 * no_winner:.1f}%; "
            "par: the mean score the deck expects with the default bots)", ""]
    out.append(f"Ceasefire violations per game: {summary['violations_per_game']:.2f}")
    b = summary["bargains_per_100_games"]
    out.append(f"Bargaining per 100 games: {b['counters']:g} counters ({b['counters_taken']:g} taken), "
               f"{b['packages']:g} packages, {b['side_payments']:g} proposals with a side-payment")
    rare = sorted((info["share"], c) for c, info in summary["cards"].items() if info["share"] < RARE_CARD)
    if rare:
        listed = ", ".join(f"{c} {100 * share:.1f}%" for share, c in rare)
        out.append(f"Cards played in fewer than {100 * RARE_CARD:g}% of games: {listed}")
    else:
        out.append(f"Every concession card was played in at least {100 * RARE_CARD:g}% of games.")
    return "\n".join(out)


RARE_CARD = 0.05  # the share of games under which a card counts as (nearly) dead


def parse_bots(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    bots: dict[str, str] = {}
    for d, p in pairs:
        if d in bots and bots[d] != p:
            raise UserError(f"--bot gives {d} two personalities: {bots[d]} and {p}")
        bots[d] = p
    return bots


def cmd_simulate(args) -> int:
    """Run `wargame simulate` from parsed arguments; prints a table or one JSON object."""
    from .scenario import load_scenario

    if args.scenario is not None:
        folder = Path(args.scenario)
        try:
            is_dir = folder.is_dir()
        except OSError as exc:
            raise UserError(f"--scenario {args.scenario}: cannot be read: {exc.strerror or exc}") from None
        if not is_dir:
            raise UserError(f"--scenario {args.scenario}: not a folder")
        scenario = load_scenario(folder)
        label = str(folder)
    else:
        scenario = load_scenario()
        label = "built-in decks"
    bots = parse_bots(args.bot)
    leave_out = tuple(args.without)
    if not getattr(args, "study", False):
        for flag in ("policies", "delegations"):
            if getattr(args, flag, None) is not None:
                raise UserError(f"--{flag} belongs to the study: add --study")
    else:
        from .study import cmd_study

        return cmd_study(args, scenario, label, bots, leave_out)
    # Check the arguments, and learn every seat's personality for the summary.
    probe = make_setup(scenario, derive_seed(args.seed, 0), rounds=args.rounds, bots=bots, leave_out=leave_out)
    progress = None
    if not args.json and sys.stderr.isatty():
        progress = _progress_bar(sys.stderr)
    start = time.perf_counter()
    results = run_games(
        scenario, args.games, args.seed, rounds=args.rounds, bots=bots, leave_out=leave_out,
        jobs=args.jobs, save_dir=args.save_dir, progress=progress,
    )
    elapsed = time.perf_counter() - start
    summary = summarize(scenario, results, seed=args.seed, bots=dict(probe.bots))
    if args.json:
        summary["elapsed_s"] = round(elapsed, 3)
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(format_summary(scenario, summary, elapsed, label))
        if args.save_dir:
            print(f"Saved {len(results)} game{'s' if len(results) != 1 else ''} in {args.save_dir}{os.sep} (sim-{args.seed}-<game>.toml)")
    return 0
