"""Multi-seat play on the wire: a real host on 127.0.0.1 (an ephemeral port) and several clients."""

from __future__ import annotations

import asyncio
import json
import shlex

import aiohttp
import pytest

from wargame.engine import current_actor, legal_actions, make_setup, new_game
from wargame.model import Pass, PlayCard
from wargame.net.client import JoinRefused, Remote, probe
from wargame.net.protocol import MAX_MESSAGE, Act, Error, Pong, Refused, Resync, Update, Welcome
from wargame.net.server import GameServer, new_codes
from wargame.net.table import Table
from wargame.net.view import state_of
from wargame.saves import load_save

HUMANS = {"usa": "Blue", "rus": "Red"}


def make_table(scenario, tmp_path, seed=3, rounds=3):
    state = new_game(scenario, make_setup(scenario, seed, rounds=rounds, humans=dict(HUMANS)))
    return Table(state, saves_dir=tmp_path / "saves", game_id="net-test")


async def serve(table, codes=None):
    server = GameServer(table, codes or new_codes(table.humans))
    host, port = await server.start("127.0.0.1", 0)
    return server, f"ws://{host}:{port}"


async def next_of(remote, *kinds, timeout=10):
    """The next message of one of `kinds` (others are skipped)."""
    while True:
        message = await asyncio.wait_for(remote.receive(), timeout)
        if isinstance(message, kinds):
            return message


def my_move(remote):
    """A legal move for the seat, chosen from its own view (None when it is not the seat's turn)."""
    state = state_of(remote.view)
    if state.over or current_actor(state) != remote.seat:
        return None
    moves = legal_actions(state, remote.seat)
    return moves[0] if moves else None


async def play_out(remote, frames, stop_at_version=None, until=None, stream=None):
    """Play the seat's moves until the game is over (or `until(state)`); every frame received is kept in `frames`.

    `stream`: the seat's `messages()` already under way (else a new connection)."""
    acted = -1

    async def step():
        nonlocal acted
        move = my_move(remote)
        if move is not None and remote.version != acted:
            acted = remote.version
            await remote.act(move)

    if stream is not None and remote.view is not None:
        await step()  # the stream's last message was read before: act on it
    async for message in stream or remote.messages(patience=10):
        frames.append(message)
        state = state_of(remote.view)
        if state.over or (until is not None and until(state)):
            return state
        if stop_at_version is not None and remote.version >= stop_at_version:
            return state
        await step()


async def test_a_whole_game_with_two_human_seats_and_bots_is_redacted_on_the_wire(scenario, tmp_path):
    table = make_table(scenario, tmp_path)
    server, url = await serve(table)
    seen: dict[str, list[str]] = {"usa": [], "rus": []}

    async def raw_seat(seat):
        """A seat read at the frame level: every text frame is kept as sent."""
        remote = Remote(url, server.codes[seat])
        original = remote._receive

        async def keep():
            msg_holder = await original()
            seen[seat].append(json.dumps(remote.view))
            return msg_holder

        remote._receive = keep
        frames: list = []
        try:
            return await asyncio.wait_for(play_out(remote, frames), 60)
        finally:
            await remote.close()

    observer = Remote(url, observer=True)
    welcome = await observer.connect()
    assert welcome.seat is None and all(not h for h in welcome.view["state"]["hands"].values())
    usa, rus = await asyncio.gather(raw_seat("usa"), raw_seat("rus"))
    assert usa.over and rus.over and usa.outcome == table.state.outcome
    # The host's game is the one the seats saw end: same outcome, tracks and log length (private notes aside).
    assert usa.tracks == table.state.tracks and len(usa.log) == len(table.state.log)
    await asyncio.sleep(0.2)
    await server.stop()
    await observer.close()
    # Redaction: no frame to a seat carried another seat's hand, nor its agenda or red lines.
    final = table.state
    for seat, other in (("usa", "rus"), ("rus", "usa")):
        frames = "\n".join(seen[seat])
        theirs = scenario.delegation(other)
        for red in theirs.red_lines:
            assert red.text not in frames
        if theirs.wants:
            assert theirs.wants not in frames
        played = {e.card for e in final.log if e.card}
        secret = [c.id for c in scenario.concessions if c.delegation == other and c.id not in played]
        assert secret, "the other seat kept cards it never showed"
        for card in secret:
            assert f'"{card}"' not in frames, f"{seat} saw {other}'s card {card}"
        mine = scenario.delegation(seat)
        assert any(r.text in frames for r in mine.red_lines)  # its own brief did arrive
    # Autosaved after the moves: the last autosave replays to the game as it ended.
    assert table.last_save is not None and load_save(table.last_save).state.outcome == final.outcome


async def test_a_bad_code_is_refused_and_probe_summarises_the_seat(scenario, tmp_path):
    table = make_table(scenario, tmp_path)
    server, url = await serve(table)
    try:
        with pytest.raises(JoinRefused, match="join code"):
            await probe(url, "not-a-code")
        summary = await probe(url, server.codes["rus"])
        assert summary == {"seat": "rus", "round": table.state.round, "hand": len(table.state.hands["rus"])}
    finally:
        await server.stop()


async def test_malformed_and_oversized_messages_get_an_error_and_the_server_survives(scenario, tmp_path):
    table = make_table(scenario, tmp_path)
    server, url = await serve(table)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(url) as ws:  # before hello: an error, and the door shuts
                await ws.send_str("{nonsense")
                reply = json.loads((await ws.receive()).data)
                assert reply["type"] == "error" and reply["fatal"]
        remote = Remote(url, server.codes["usa"])
        await remote.connect()
        for bad in ("[1, 2]", "{", '{"type": "act", "version": "1", "action": {"kind": "pass"}}',
                    '{"type": "act", "version": 1, "action": {"kind": "fly", "delegation": "usa"}}',
                    '{"type": "warp"}', "x" * (MAX_MESSAGE + 1)):
            await remote._ws.send_str(bad)
            reply = await next_of(remote, Error)
            assert reply.message and not reply.fatal
        await remote._ws.send_bytes(b"\x00\x01")
        assert isinstance(await next_of(remote, Error), Error)
        # A team cannot act for another delegation.
        await remote.send(Act(remote.version, Pass("rus")))
        assert "own delegation" in (await next_of(remote, Refused)).reason
        await remote.ping(7)
        assert (await next_of(remote, Pong)).n == 7  # still served
        await remote.close()
    finally:
        await server.stop()


async def test_a_stale_action_is_refused_with_a_resync(scenario, tmp_path):
    table = make_table(scenario, tmp_path)
    server, url = await serve(table)
    try:
        remote = Remote(url, server.codes["usa"])
        frames: list = []
        await asyncio.wait_for(play_out(remote, frames, stop_at_version=table.version + 1), 20)
        await asyncio.sleep(0.1)
        current = table.version
        await remote.send(Act(current - 1, Pass("usa")))
        resync = await next_of(remote, Resync)
        assert resync.version == table.version and table.version == current  # nothing was applied
        assert remote.version == current
        await remote.close()
    finally:
        await server.stop()


async def test_a_dropped_client_reconnects_and_resumes_where_the_game_stands(scenario, tmp_path):
    table = make_table(scenario, tmp_path)
    server, url = await serve(table)
    try:
        usa = Remote(url, server.codes["usa"])
        rus = Remote(url, server.codes["rus"])
        stream = usa.messages(patience=5)
        assert isinstance(await stream.__anext__(), Welcome)
        await asyncio.wait_for(play_out(rus, [], until=lambda s: current_actor(s) == "usa"), 20)
        while (move := my_move(usa)) is not None or usa.version < table.version:  # usa plays its turn
            if move is not None:
                await usa.act(move)
            await asyncio.wait_for(stream.__anext__(), 10)
        await usa._ws.close()  # the laptop's wifi drops
        start = table.version
        # The game goes on without it, until it is its turn again.
        await asyncio.wait_for(play_out(rus, [], until=lambda s: table.version > start and current_actor(s) == "usa"), 20)
        assert table.version > start
        welcome = await asyncio.wait_for(stream.__anext__(), 10)  # back, with its code
        assert isinstance(welcome, Welcome) and welcome.seat == "usa" and welcome.version == table.version
        assert state_of(welcome.view).hands["usa"] == table.state.hands["usa"]
        await usa.close()
        await rus.close()
    finally:
        await server.stop()


async def test_a_restarted_server_resumes_from_its_autosave_and_clients_reconnect(scenario, tmp_path):
    table = make_table(scenario, tmp_path)
    server, url = await serve(table)
    codes = server.codes
    port = server.address[1]
    usa = Remote(url, codes["usa"])
    stream = usa.messages(patience=10)
    await stream.__anext__()
    rus = Remote(url, codes["rus"])
    mid = table.version + 5
    await asyncio.wait_for(asyncio.gather(play_out(usa, [], stop_at_version=mid, stream=stream),
                                          play_out(rus, [], stop_at_version=mid)), 20)
    await rus.close()
    await asyncio.sleep(0.6)  # the moves pause: the autosave is written
    await server.stop(save=False)  # killed mid-game: what it saved by itself is all it has
    version, hands = table.version, table.state.hands
    loaded = load_save(table.last_save)
    assert len(loaded.state.actions) == version
    again = Table(loaded.state, saves_dir=tmp_path / "saves", game_id=loaded.game_id)
    server2 = GameServer(again, codes)
    await server2.start("127.0.0.1", port)
    try:
        welcome = await asyncio.wait_for(stream.__anext__(), 10)
        while not isinstance(welcome, Welcome):  # what the old host sent before it died, then the new one's welcome
            welcome = await asyncio.wait_for(stream.__anext__(), 10)
        assert welcome.version == version
        assert state_of(welcome.view).hands["usa"] == hands["usa"]
        final = await asyncio.wait_for(asyncio.gather(play_out(usa, [], stream=stream),
                                                      play_out(Remote(url, codes["rus"]), [])), 60)
        assert final[0].over
    finally:
        await usa.close()
        await server2.stop()


class _Host:
    """A host on its own thread and loop, for the command line's tests (which run their own loop)."""

    def __init__(self, table):
        import threading

        self.table = table
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        asyncio.set_event_loop(self.loop)
        self.server = GameServer(self.table, new_codes(self.table.humans))
        self.address = self.loop.run_until_complete(self.server.start("127.0.0.1", 0))
        self.ready.set()
        self.loop.run_forever()

    def __enter__(self):
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc):
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    @property
    def url(self):
        return f"ws://{self.address[0]}:{self.address[1]}"


def test_join_probe_prints_the_seat_and_a_wrong_code_exits_1_with_a_clear_message(scenario, tmp_path, capsys):
    from wargame.cli import main

    with _Host(make_table(scenario, tmp_path)) as host:
        assert main(["join", host.url, "--code", host.server.codes["usa"], "--probe"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out == {"seat": "usa", "round": 1, "hand": len(host.table.state.hands["usa"])}
        assert main(["join", host.url, "--code", "guessed-code", "--probe"]) == 1
        err = capsys.readouterr().err
        assert "join code is not one of this game's" in err and "Traceback" not in err
    assert main(["join", "http://nowhere", "--code", "x"]) == 1
    assert "ws://HOST:PORT" in capsys.readouterr().err


def test_join_codes_are_typeable_and_never_read_as_an_option():
    """A code that began with "-" made `wargame join --code CODE` fail one time in 64."""
    from wargame.net.commands import code_option
    from wargame.net.server import CODE_ALPHABET

    codes = [code for _ in range(500) for code in new_codes(("usa", "rus", "ukr", "eur")).values()]
    assert len(set(codes)) == len(codes)
    assert all(len(code) >= 13 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("-_0o1liI") & set(CODE_ALPHABET)
    assert code_option("abc") == "--code abc"
    assert code_option("-abc") == "--code=-abc"


def test_a_kept_code_that_begins_with_a_dash_joins_in_the_form_the_host_prints(scenario, tmp_path, capsys):
    """Codes files written by older versions may hold such a code; the printed `--code=CODE` still works."""
    from wargame.cli import main
    from wargame.net.commands import code_option

    with _Host(make_table(scenario, tmp_path)) as host:
        host.server.codes["usa"] = "-Xy_kept-code"
        assert main(["join", host.url, *code_option("-Xy_kept-code").split(" "), "--probe"]) == 0
        assert json.loads(capsys.readouterr().out)["seat"] == "usa"
        from wargame.tui.web import SeatServer

        browser = shlex.split(SeatServer(host.server, host.url, "127.0.0.1", 0)._command("-Xy_kept-code"))
        assert browser[1:4] == ["-m", "wargame", "join"]
        assert main([*browser[3:], "--probe"]) == 0
        assert json.loads(capsys.readouterr().out)["seat"] == "usa"


def test_serve_refuses_bad_setups_before_it_listens(tmp_path, capsys):
    from wargame.cli import main

    saves = str(tmp_path / "saves")
    assert main(["--saves-dir", saves, "serve", "--port", "0"]) == 1
    assert "needs a human team" in capsys.readouterr().err
    assert main(["--saves-dir", saves, "serve", "--human", "usa", "--port", "70000"]) == 1
    assert "between 0 and 65535" in capsys.readouterr().err
    (tmp_path / "codes.json").write_text('{"usa": 3}')
    assert main(["--saves-dir", saves, "serve", "--human", "usa", "--resume", "nope", "--codes-file",
                 str(tmp_path / "codes.json")]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_codes_files_are_written_atomically_and_read_back_for_the_same_seats(tmp_path):
    from wargame.errors import UserError
    from wargame.net.commands import read_codes, write_codes

    path = tmp_path / "codes.json"
    codes = new_codes(("usa", "rus"))
    assert len(set(codes.values())) == 2 and all(len(c) >= 11 for c in codes.values())
    write_codes(path, codes)
    assert json.loads(path.read_text()) == codes and (path.stat().st_mode & 0o777) == 0o600
    assert read_codes(path, ("rus", "usa")) == codes
    with pytest.raises(UserError, match="human seats are"):
        read_codes(path, ("usa",))
    assert read_codes(tmp_path / "none.json", ("usa",)) is None


def test_the_wire_view_is_the_public_scenario_and_state(scenario):
    """The view cut from cached tables is the same as the redacted scenario made afresh, and reads back."""
    from wargame.convert import converter
    from wargame.net.view import public_scenario, seat_view

    state = new_game(scenario, make_setup(scenario, 5, humans=dict(HUMANS)))
    view = seat_view(state, "rus")
    told = {e.payload.inject for e in state.log if e.kind == "inject"}
    expected = converter.unstructure(public_scenario(scenario, "rus", set(), told))
    expected.pop("path", None)
    assert view["scenario"] == expected
    back = state_of(view)
    assert back.hands["rus"] == state.hands["rus"] and back.hands["usa"] == []
    assert back.tracks == state.tracks and back.scenario.delegation("usa").agenda == {}
    assert back.scenario.delegation("rus").agenda == scenario.delegation("rus").agenda
    assert {c.delegation for c in back.scenario.concessions} == {"rus"}
    assert state_of(seat_view(state, None)).hands == {d: [] for d in state.hands}


async def test_a_team_plays_from_its_own_screen_and_the_host_applies_the_move(scenario, tmp_path):
    """The Textual client (wargame.tui.remote) against a real host: the board shows the seat's own hand,
    a card played with its key goes to the host as the engine's PlayCard, and every screen shows the result."""
    from conftest import wait_for
    from wargame.tui.remote import RemoteApp
    from wargame.tui.widgets import HandList

    table = make_table(scenario, tmp_path)
    server, url = await serve(table)
    try:
        rus = Remote(url, server.codes["rus"])  # the other team, played here from its view
        rus_task = asyncio.ensure_future(play_out(rus, [], until=lambda s: current_actor(s) == "usa"))
        app = RemoteApp(url, server.codes["usa"])
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: app.board is not None and current_actor(app.state) == "usa"
                           and app.version_seen == table.version, "the usa seat's turn on its own screen")
            assert app.state.hands["usa"] == table.state.hands["usa"]
            assert all(not cards for d, cards in app.state.hands.items() if d != "usa")
            hand = app.board.query_one(HandList)
            await wait_for(pilot, lambda: hand.option_count == len(table.state.hands["usa"]), "the hand drawn")
            before = table.version
            card = hand.get_option_at_index(0).id
            await pilot.press("1")
            await wait_for(pilot, lambda: app.deciding, "the play decision")
            await pilot.press("enter")
            await wait_for(pilot, lambda: table.version > before and app.version_seen >= table.version,
                           "the host applying the move and the screen showing it")
            assert table.state.actions[before] == PlayCard("usa", card)
            assert any(e.card == card for e in app.state.log)
        await asyncio.wait_for(rus_task, 20)
        await rus.close()
    finally:
        await server.stop()


async def test_browser_seats_have_one_url_per_seat_and_a_wrong_code_gets_nothing(scenario, tmp_path):
    from wargame.tui.web import start_web

    table = make_table(scenario, tmp_path)
    server, url = await serve(table)
    runner, urls = await start_web(server, "127.0.0.1", 0, url)
    try:
        assert set(urls) == {"usa", "rus", "observer"}
        assert urls["usa"].endswith(f"/seat/{server.codes['usa']}/")
        async with aiohttp.ClientSession() as session:
            for who in ("usa", "observer"):
                async with session.get(urls[who]) as page:
                    assert page.status == 200
                    assert f'{urls[who].replace("http://", "ws://")}ws' in await page.text()
            wrong = urls["usa"].replace(server.codes["usa"], "guessed")
            async with session.get(wrong) as page:
                assert page.status == 404
            async with session.get(wrong + "ws") as page:
                assert page.status == 404
    finally:
        await runner.cleanup()
        await server.stop()


async def test_the_facilitator_console_at_the_host_moves_every_seat(scenario, tmp_path):
    """`serve --facilitated`: the host's console fires the round's event, and a seat sees it."""
    from conftest import wait_for
    from wargame.engine import waiting_for_facilitator
    from wargame.tui.host import CodesScreen, HostApp

    setup = make_setup(scenario, 4, rounds=2, humans={"usa": "Blue"}, facilitated=True, event_preview=True)
    table = Table(new_game(scenario, setup), saves_dir=tmp_path / "saves", game_id="net-host")
    server, url = await serve(table)
    seat = Remote(url, server.codes["usa"])
    await seat.connect()
    try:
        assert waiting_for_facilitator(table.state)
        event = table.state.pending.event
        app = HostApp(server, ["codes"])
        async with app.run_test(size=(130, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, CodesScreen), "the join codes")
            await pilot.press("escape", "f")
            await wait_for(pilot, lambda: server.holding, "the console open, the bots held")
            await pilot.press("enter")  # the Events tab opens first: Fire it
            await wait_for(pilot, lambda: not waiting_for_facilitator(table.state), "the event fired")
            await pilot.press("escape")
            await wait_for(pilot, lambda: not server.holding, "the console closed")
        update = await next_of(seat, Update)
        assert any(event in line or scenario.event(event).title in line for line in update.news)
    finally:
        await seat.close()
        await server.stop()


def test_each_update_carries_only_what_the_connection_lacks(scenario):
    """A connection's frames after the first carry the new log entries only, the scenario's base
    never again, and a card or inject only the first time the seat may read it; put back together
    they are the whole view, move after move, and after an undo (the log grows shorter: the
    connection gets the log again from where it still agrees)."""
    from wargame.engine import apply_action, undo
    from wargame.net.view import Reader, Sent, seat_view, seat_view_json

    state = new_game(scenario, make_setup(scenario, 5, humans=dict(HUMANS)))
    sent, reader = Sent(), Reader()
    states = [state]
    quiet = 0
    held_cards: set = set()
    for step in range(60):
        if step == 40:
            state = undo(state)
        else:
            state = apply_action(state, legal_actions(state, current_actor(state))[0])
        states.append(state)
        if state.over:
            break
        held = len(sent.log)
        frame = json.loads(seat_view_json(state, "rus", sent=sent))
        if step and step != 40:
            assert frame["log_from"] == held and len(frame["log_new"]) == len(sent.log) - held
        new_cards = {c["id"] for c in frame["cards_new"]}
        if step:
            assert frame["scenario"] is None and not new_cards & held_cards
        held_cards |= new_cards
        quiet += frame["cards"] is None and not new_cards
        assert reader.whole(frame) == seat_view(state, "rus")
        back = reader.state(frame)
        assert back.log == state_of(seat_view(state, "rus")).log and back.hands["rus"] == state.hands["rus"]
    assert quiet > 20  # most moves show no new card: nothing of the scenario is sent


def test_a_view_that_does_not_follow_from_the_last_is_refused(scenario):
    from wargame.net.view import Reader, seat_view_json

    state = new_game(scenario, make_setup(scenario, 5, humans=dict(HUMANS)))
    frame = json.loads(seat_view_json(state, "rus"))
    with pytest.raises(ValueError, match="log_from"):
        Reader().whole({**frame, "log_from": 3})
    with pytest.raises(ValueError, match="no scenario"):
        Reader().whole({**frame, "scenario": None})
    with pytest.raises(ValueError, match="never sent"):
        Reader().whole({**frame, "cards": [*frame["cards"], "a-card-never-sent"]})
