"""An action's round trip through `wargame serve` on loopback: 5 human seats and 10 observers.

The host is the real command (`wargame serve`, autosaving after every move) in a
process of its own; each seat is a client in a process of its own, as on its own
computer, and the 10 observers share one more. A seat whose
turn it is sends a move (a pass where it may, else its first legal move, chosen
from its own view) and the round trip ends when its `Update` for that move
arrives; by then the host has sent the same update to all 15 connections.
Target: 99th percentile at most 20 ms. Run: `.venv/bin/python bench/bench_net.py`.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wargame.engine import IllegalAction, current_actor, legal_actions, preview
from wargame.model import Pass
from wargame.net.client import Remote
from wargame.net.protocol import Update
from wargame.net.view import state_of

SEATS = ("usa", "rus", "ukr", "eur", "chn")
OBSERVERS = 10
ROUNDS = 20
TARGET_P99_MS = 20.0


def start_host(folder: Path) -> tuple[subprocess.Popen, str, dict[str, str]]:
    codes_file = folder / "codes.json"
    command = [sys.executable, "-m", "wargame", "--saves-dir", str(folder / "saves"), "serve", "--port", "0",
               "--speed", "0", "--seed", "1", "--rounds", str(ROUNDS), "--codes-file", str(codes_file),
               *[arg for seat in SEATS for arg in ("--human", seat)]]
    host = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in host.stdout:
        match = re.search(r"on (ws://\S+)$", line.strip())
        if match:
            return host, match.group(1), json.loads(codes_file.read_text())
    raise SystemExit(f"the host did not start: {host.wait()}")


def move_for(state, seat):
    """A move chosen from the seat's own view: the one that raises tension least and does not collapse the talks
    (a game of 20 rounds, about 200 moves; passing every turn collapses it in three)."""
    best = None
    for move in legal_actions(state, seat):
        try:
            p = preview(state, move)
        except IllegalAction:
            continue
        if p.outcome == "collapse":
            continue
        rise = sum(c.delta for c in p.changes if c.target == "tension")
        if best is None or rise < best[0]:
            best = (rise, move)
    if best is not None:
        return best[1]
    moves = legal_actions(state, seat)
    return next((m for m in moves if isinstance(m, Pass)), moves[0] if moves else None)


def might_be_mine(view: dict, seat: str) -> bool:
    """A quick look at the raw view: could the seat be the one to act? (Only then is the view read in full,
    so four waiting seats in this one process do not delay the fifth's round trip.)"""
    state = view["state"]
    if state["outcome"] is not None:
        return True
    if state["pending"] is not None:
        return seat in json.dumps(state["pending"])
    order, i = state["order"], state["turn_index"]
    return i < len(order) and order[i] == seat


async def observe(url: str, n: int) -> None:
    """`n` observers reading every frame (in a process of their own, as on their own computers)."""
    import aiohttp

    from wargame.net.protocol import Hello, encode

    async with aiohttp.ClientSession() as session:
        sockets = [await session.ws_connect(url, max_msg_size=0) for _ in range(n)]
        for ws in sockets:
            await ws.send_str(encode(Hello(observer=True)))
        print("ready", flush=True)

        async def drain(ws):
            async for _ in ws:
                pass

        await asyncio.gather(*(drain(ws) for ws in sockets))


async def seat_loop(remote: Remote, times: list[float], done: asyncio.Event) -> None:
    sent_at = None
    waiting_for = None
    while not done.is_set():
        if waiting_for is None and might_be_mine(remote.view, remote.seat):
            state = remote.state()
            if state.over:
                done.set()
                return
        if waiting_for is None and might_be_mine(remote.view, remote.seat) and current_actor(state) == remote.seat:
            move = move_for(state, remote.seat)
            if move is not None:
                waiting_for, sent_at = remote.version + 1, time.perf_counter()
                await remote.act(move)
        message = await remote.receive()
        if isinstance(message, Update) and waiting_for is not None and message.version >= waiting_for:
            times.append((time.perf_counter() - sent_at) * 1000)
            waiting_for = None
        elif not isinstance(message, Update):
            waiting_for = None  # refused or resynced: try again on the view as it stands


async def one_seat(url: str, code: str) -> list[float]:
    """One seat: connect, read the game once (the process's first reading builds cattrs' hooks),
    say "ready", and play once the bench says "go" (every seat is connected and warm by then:
    else the first moves would be timed while the other seats' processes are still starting)."""
    done = asyncio.Event()
    times: list[float] = []
    remote = Remote(url, code)
    try:
        await remote.connect()
        remote.state()
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        await asyncio.wait_for(seat_loop(remote, times, done), 600)
    finally:
        await remote.close()
    return times


def run(url: str, codes: dict[str, str]) -> list[float]:
    """Every seat in a process of its own (one seat thinking over its move must not hold up
    another's `Update`, as it would in one event loop); their round trips, together."""
    seats = [subprocess.Popen([sys.executable, __file__, "--seat", url, codes[s]], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for s in SEATS]
    for seat in seats:
        if seat.stdout.readline().strip() != "ready":
            raise SystemExit("a seat did not connect")
    for seat in seats:
        seat.stdin.write("go\n")
        seat.stdin.flush()
    times: list[float] = []
    for seat in seats:
        out, _ = seat.communicate(timeout=600)
        if seat.returncode != 0:
            raise SystemExit(f"a seat failed (exit status {seat.returncode})")
        times += json.loads(out.strip().splitlines()[-1])
    return times


def host_work() -> tuple[float, float]:
    """The host's CPU time for one move, in this process: the move, then the frame of each of the 15
    connections (5 seats, 10 observers), each carrying what that connection lacks, as the host sends them.
    Unlike the round trip, it does not depend on how busy the machine is. (median, p99) in ms."""
    from wargame.engine import make_setup, new_game
    from wargame.net.protocol import encode_view
    from wargame.net.table import Table
    from wargame.net.view import Sent, seat_view_json, shared_part
    from wargame.scenario import load_scenario

    scenario = load_scenario(None)
    table = Table(new_game(scenario, make_setup(scenario, 1, rounds=ROUNDS, humans={s: "" for s in SEATS})))
    spent = []
    connections = [(who, Sent()) for who in (*SEATS, *[None] * OBSERVERS)]
    while not table.state.over:
        seat = current_actor(table.state)
        move = move_for(state_of(json.loads(seat_view_json(table.state, seat))), seat)
        start = time.process_time()
        table.submit(seat, table.version, move)
        shared = shared_part(table.state)
        for who, sent in connections:
            encode_view(Update(table.version, {}, (), None), seat_view_json(table.state, who, shared, sent))
        spent.append((time.process_time() - start) * 1000)
    spent.sort()
    return statistics.median(spent), spent[min(len(spent) - 1, int(round(0.99 * (len(spent) - 1))))]


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def main() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        host, url, codes = start_host(Path(tmp))
        watchers = subprocess.Popen([sys.executable, __file__, "--observers", url, str(OBSERVERS)],
                                    stdout=subprocess.PIPE, text=True)
        try:
            if watchers.stdout.readline().strip() != "ready":
                raise SystemExit("the observers did not connect")
            times = run(url, codes)
        finally:
            host.terminate()
            host.wait(30)
            watchers.wait(30)
        observers = OBSERVERS
    times.sort()
    p99 = times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]
    work_median, work_p99 = host_work()
    figures = {
        "host_cpu_median_ms": round(work_median, 2), "host_cpu_p99_ms": round(work_p99, 2),
        "load_average": round(load_average(), 1), "cpus": os.cpu_count(),
        "moves": len(times), "seats": len(SEATS), "observers": observers,
        "median_ms": round(statistics.median(times), 2), "p99_ms": round(p99, 2), "max_ms": round(times[-1], 2),
        "target_p99_ms": TARGET_P99_MS,
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--observers"]:
        asyncio.run(observe(sys.argv[2], int(sys.argv[3])))
    elif sys.argv[1:2] == ["--seat"]:
        print(json.dumps(asyncio.run(one_seat(sys.argv[2], sys.argv[3]))))
    else:
        main()
