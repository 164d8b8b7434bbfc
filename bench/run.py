"""`make bench`: every performance figure of the game in one table, each with the command that measured it.

Runs the pieces in bench/ one after another (each is a script of its own with a
`main()` that returns its figures as a dict), then prints one table: figure,
value, target, result, command. A piece that fails puts its error in its rows
and the table is printed all the same. Targets are those of issue 17, for a
2-core machine; docs/performance.md records the figures, the machine and the date.

    python bench/run.py [--only startup,keypress] [--json results.json]

Exit status 0 when every piece ran (whether or not every target is met), 1 when a piece failed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

HEADLESS_PREFIX = "TEXTUAL_DRIVER=textual.drivers.headless_driver:HeadlessDriver TEXTUAL_PRESS=ctrl+q"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> str:
    return (f"{os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}, {datetime.date.today().isoformat()}")


# --- the pieces: each returns rows (figure, value, target, result, command) -------------------

Row = tuple[str, str, str, str, str]


def _ok(good: bool) -> str:
    return "pass" if good else "FAIL"


def startup() -> tuple[dict, list[Row]]:
    import bench_startup

    f = bench_startup.main([])
    t = f["target_ratio"]
    rows = [
        ("start-up: whole process, game / bare Textual app",
         f"{f['game_ms']:.0f} / {f['bare_ms']:.0f} ms = {f['ratio']:.2f}x", f"<= {t}x", _ok(f["ratio"] <= t), f["game_command"]),
        ("  (the bare app, same way, alternating)", f"median of {f['runs']} each", "", "", f["bare_command"]),
        ("  CPU time of the same runs, game / bare app",
         f"{f['cpu_game_ms']:.0f} / {f['cpu_bare_ms']:.0f} ms = {f['cpu_ratio']:.2f}x", "", "info", ""),
    ]
    if "paint_ratio" in f:
        rows.append(("start-up: launch to first painted board / screen",
                     f"{f['paint_game_ms']:.0f} / {f['paint_bare_ms']:.0f} ms = {f['paint_ratio']:.2f}x", f"<= {t}x",
                     _ok(f["paint_ratio"] <= t), f["paint_command"]))
    return f, rows


def simulate() -> tuple[dict, list[Row]]:
    import bench_simulate

    f = bench_simulate.main([])
    target, scale = bench_simulate.TARGET_GAMES_PER_S, bench_simulate.TARGET_SCALING
    j, s1, s2 = f["jobs1"], f["scaling_jobs1"], f["scaling_jobs2"]
    return f, [
        ("wargame simulate, --jobs 1: games per second, whole process",
         f"{j['games_per_s']:.0f} games/s ({j['games']} in {j['best_wall_s']:.2f} s)", f">= {target}",
         _ok(j["games_per_s"] >= target), j["command"]),
        ("  the same, CPU time of the process", f"{j['games_per_cpu_s']:.0f} games per CPU second", "", "info", j["command"]),
        (f"wargame simulate, --jobs 2 against --jobs 1, {s2['games']} games",
         f"{s2['games_per_s']:.0f} / {s1['games_per_s']:.0f} games/s = {f['scaling']:.2f}x", f">= {scale}x",
         _ok(f["scaling"] >= scale), s2["command"]),
    ]


def saves() -> tuple[dict, list[Row]]:
    import bench_saves

    f = bench_saves.main()
    target = f.get("target_ms", 50)
    game = f"{f['rounds']}-round game, {f['actions']} actions, {f['file_kb']} KB"
    command = "python bench/bench_saves.py"
    cold = f.get("target_cold_ms", 60)
    return f, [
        (f"save + load with replay check ({game})",
         f"{f['warm_save_ms']} + {f['warm_load_ms']} = {f['warm_total_ms']} ms", f"<= {target} ms",
         _ok(f["warm_total_ms"] <= target), command),
        ("  the same, first time in a fresh process", f"{f['cold_save_ms']} + {f['cold_load_ms']} = {f['cold_total_ms']} ms",
         f"<= {cold} ms", _ok(f["cold_total_ms"] <= cold), command),
    ]


def long_log() -> tuple[dict, list[Row]]:
    import bench_long_log

    f = bench_long_log.main()
    command = "python bench/bench_long_log.py"
    return f, [
        (f"replay of a log of {f['notes']:,} notes (linear in the log)", f"{f['replay_s']} s", "", "info", command),
        ("  load of that save, with replay check", f"{f['load_s']} s", "", "info", command),
    ]


def keypress() -> tuple[dict, list[Row]]:
    import bench_keypress

    f = bench_keypress.main([])
    t = f["target_ms"]
    return f, [
        (f"key press on the board, key to repainted screen (median of {f['presses']})",
         f"{f['median_ms']} ms", f"<= {t} ms", _ok(f["median_ms"] <= t), f["command"]),
        (f"  worst of {f['presses']} (90th percentile {f['p90_ms']} ms)", f"{f['worst_ms']} ms",
         f"<= {f.get('target_worst_ms', t)} ms", _ok(f["worst_ms"] <= f.get("target_worst_ms", t)), f["command"]),
        (f"  pilot.press + pilot.pause, game / bare app (median of {f['pilot_presses']})",
         f"{f['pilot']['median_ms']} / {f['pilot_bare']['median_ms']} ms", "", "info", f["command"]),
    ]


def memory() -> tuple[dict, list[Row]]:
    import bench_memory

    f = bench_memory.main([])
    t = f["target_ratio"]
    rows = [("peak memory, game / bare Textual app (ru_maxrss)",
             f"{f['game_mib']} / {f['bare_mib']} MiB = {f['ratio']:.2f}x", f"<= {t}x", _ok(f["ratio"] <= t), f["game_command"])]
    if "busy_mib" in f:
        rows.append(("  peak memory, bots at full speed for 3 s", f"{f['busy_mib']} MiB", "", "info", f["busy_command"]))
    return f, rows


def net() -> tuple[dict, list[Row]]:
    import bench_net

    f = bench_net.main()
    t = f["target_p99_ms"]
    command = "python bench/bench_net.py"
    return f, [
        (f"multi-seat: a move's round trip, {f['seats']} seats + {f['observers']} observers ({f['moves']} moves)",
         f"median {f['median_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms", f"p99 <= {t:.0f} ms", _ok(f["p99_ms"] <= t), command),
        ("  the host's CPU time per move (a frame for each of 15 connections)", f"median {f['host_cpu_median_ms']:.1f} ms, "
         f"p99 {f['host_cpu_p99_ms']:.1f} ms", "", "info", command),
        ("  load average while measured", f"{f['load_average']} on {f['cpus']} CPUs", "", "info", ""),
    ]


def expert() -> tuple[dict, list[Row]]:
    import bench_expert

    f = bench_expert.main([])
    t = f["target_s"]
    what = f"{f['decisions']} decisions in {f['games']} games"
    return f, [
        (f"expert bot: one decision by rollouts, CPU time, median ({what})",
         f"{1000 * f['median_cpu_s']:.0f} ms", f"<= {1000 * t:.0f} ms", _ok(f["median_cpu_s"] <= t), f["command"]),
        ("  the slowest of them", f"{1000 * f['slowest_cpu_s']:.0f} ms", f"<= {1000 * t:.0f} ms",
         _ok(f["slowest_cpu_s"] <= t), f["command"]),
        ("  wall time, median / slowest", f"{1000 * f['median_wall_s']:.0f} / {1000 * f['slowest_wall_s']:.0f} ms",
         "", "info", f["command"]),
    ]


PIECES: dict[str, tuple[str, Callable[[], tuple[dict, list[Row]]]]] = {
    "startup": ("start-up", startup),
    "simulate": ("wargame simulate", simulate),
    "saves": ("save + load", saves),
    "long_log": ("a long log", long_log),
    "keypress": ("key press", keypress),
    "memory": ("peak memory", memory),
    "net": ("multi-seat round trip", net),
    "expert": ("the expert bot", expert),
}


def run_piece(name: str) -> tuple[dict, list[Row], float]:
    label, fn = PIECES[name]
    print(f"[bench] {label} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            figures, rows = fn()
    except BaseException as exc:  # noqa: BLE001 - one failing piece must not lose the table (SystemExit too)
        if isinstance(exc, KeyboardInterrupt):
            raise
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()
        message = " ".join(line.strip() for line in detail)[:300]
        print(out.getvalue(), end="", file=sys.stderr)
        print(traceback.format_exc(), file=sys.stderr)
        return {"error": message}, [(label, "ERROR", "", "ERROR", message)], time.perf_counter() - start
    took = time.perf_counter() - start
    print(f"[bench] {label}: {took:.0f} s", file=sys.stderr, flush=True)
    return figures, rows, took


def shorten(command: str) -> str:
    return command.replace(HEADLESS_PREFIX, "$HEADLESS")


def table(rows: list[Row]) -> str:
    head = ("figure", "value", "target", "result", "command")
    shown = [head, *[(a, b, c, d, shorten(e)) for a, b, c, d, e in rows]]
    widths = [max(len(r[i]) for r in shown) for i in range(4)]
    lines = []
    for i, r in enumerate(shown):
        lines.append("  ".join(r[j].ljust(widths[j]) for j in range(4)) + "  " + r[4])
        if i == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 7)
    return "\n".join(line.rstrip() for line in lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated pieces: " + ",".join(PIECES))
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",")] if args.only else list(PIECES)
    unknown = [n for n in names if n not in PIECES]
    if unknown:
        parser.error(f"unknown piece(s) {', '.join(unknown)}; choose from {', '.join(PIECES)}")

    start = time.perf_counter()
    results: dict[str, Any] = {"machine": machine()}
    rows: list[Row] = []
    failed = False
    for name in names:
        figures, piece_rows, took = run_piece(name)
        results[name] = {**figures, "seconds": round(took, 1)}
        rows += piece_rows
        failed |= "error" in figures
    total = time.perf_counter() - start

    print(f"wargame benchmarks: {results['machine']}")
    print()
    print(table(rows))
    print()
    print(f"$HEADLESS = {HEADLESS_PREFIX}")
    print("Every start-up and memory run is a fresh process (python = sys.executable); details in bench/*.py docstrings.")
    print(f"Took {total:.0f} s.")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
