"""What a play-test in tmux found (issue 18), each defect pinned by a Pilot test.

Solo games have no hand-off; notices never cover the log or the hand; the
board reads at 80x24 and uses the room when wider; stray keys in a decision
write no rationale; the round clock shows on the hand-off; quitting a game under
way asks, saves and says how to resume; `w` names the report after the save the
room knows, and works in the report too.
"""

from __future__ import annotations

from pathlib import Path

from wargame import saves
from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game
from wargame.model import Proposal
from wargame.tui.app import WargameApp
from wargame.tui.screens.board import BoardScreen
from wargame.tui.screens.confirm import ConfirmScreen
from wargame.tui.screens.decisions import DecisionScreen, RationaleInput
from wargame.tui.screens.game_over import GameOverScreen
from wargame.tui.screens.handoff import HandOffScreen
from wargame.tui.screens.help import ReportScreen
from wargame.tui.widgets import StatusBar
from wargame.tui.widgets.clock import RoundClock

from conftest import notices, play_first_legal, wait_for


def until_human(state, stop=lambda s: True):
    while not (state.is_human(current_actor(state)) and stop(state)):
        state = apply_action(state, legal_actions(state, current_actor(state))[0])
    return state


def solo(scenario, seed=1, **kwargs):
    return new_game(scenario, make_setup(scenario, seed, humans={"ukr": "Team Kyiv"}, **kwargs))


async def on_the_board(pilot, app) -> BoardScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen) and app.flow.human_turn() is not None,
                   "the team's turn on the board")
    await pilot.pause()
    return app.screen


async def test_a_solo_game_goes_straight_to_the_board(scenario):
    app = WargameApp(state=until_human(solo(scenario), lambda s: s.pending is None), speed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_the_board(pilot, app)
        assert not any(isinstance(s, HandOffScreen) for s in app.screen_stack)
        assert app.hand.owner == "ukr"


async def test_notices_go_to_the_status_line_not_over_the_log(scenario):
    app = WargameApp(state=until_human(solo(scenario), lambda s: s.pending is None), speed=0)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        board = await on_the_board(pilot, app)
        app.notify("Russia accepts “Talks hosted in Beijing”", title="Proposal accepted", markup=False)
        await pilot.pause()
        status = str(board.query_one(StatusBar).content)
        assert "Proposal accepted: Russia accepts “Talks hosted in Beijing”" in status
        assert not board.query("Toast")  # nothing over the log or the hand


async def test_a_toast_raised_over_the_console_does_not_follow_back_onto_the_board(scenario):
    state = until_human(solo(scenario, facilitated=True), lambda s: s.pending is None)
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await on_the_board(pilot, app)
        await pilot.press("f")
        await wait_for(pilot, lambda: not isinstance(app.screen, BoardScreen), "the console")
        app.notify("Inject: Washington and Moscow will normalize relations.", title="Inject", markup=False)
        await wait_for(pilot, lambda: app.screen.query("Toast"), "the toast over the console")
        await pilot.press("escape")
        board = await on_the_board(pilot, app)
        await pilot.pause()
        assert not board.query("Toast")  # nothing over the log or the hand
        assert "Washington and Moscow" in str(board.query_one(StatusBar).content)


async def test_at_80x24_the_footer_and_status_line_read_fully(scenario):
    state = until_human(solo(scenario), lambda s: s.pending is None)
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await on_the_board(pilot, app)
        keys = [k for k in board.query("FooterKey")]
        assert {k.description for k in keys} >= {"Play", "Pass", "Pause", "Console", "Quit", "Help", "Save"}
        assert all(0 < k.region.width and k.region.right <= 80 for k in keys)


async def test_at_80x24_the_inject_hold_note_reads_first(scenario):
    state = solo(scenario, 3, facilitated=True)  # the United States (a bot) open round 1, which has an inject due
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.inject_hold, "the hold for the injects")
        await pilot.pause()
        line = str(app.screen.query_one(StatusBar).content).splitlines()[1]
        assert line.startswith("(bots wait for the injects: f, or space) ")


async def test_the_left_column_grows_on_a_wide_screen(scenario):
    widths = {}
    for size in ((80, 24), (160, 48), (200, 60)):
        app = WargameApp(state=until_human(solo(scenario), lambda s: s.pending is None), speed=0)
        async with app.run_test(size=size) as pilot:
            board = await on_the_board(pilot, app)
            widths[size[0]] = board.query_one("#left").region.width
            security = board.query_one("#values").children[1]
            if size[0] == 200:  # the whole Security line, red lines included
                assert "…" not in str(security.render())
    assert widths[80] < widths[160] < widths[200]


async def test_stray_keys_in_a_decision_write_no_rationale_and_ctrl_u_clears_it(scenario):
    app = WargameApp(state=until_human(solo(scenario), lambda s: isinstance(s.pending, Proposal)), speed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the proposal")
        await pilot.pause()
        rationale = app.screen.query_one(RationaleInput)
        await pilot.press(*"123pf orwbn")
        assert rationale.value == "" and isinstance(app.screen, DecisionScreen)
        await pilot.press("tab", *"We hold the line")
        assert rationale.value == "We hold the line" and app.focused is rationale
        await pilot.press("ctrl+u")
        assert rationale.value == ""
        await pilot.press(*"Not now", "enter")
        # The next decision may follow at once, on a screen of the same kind: wait for the answer itself.
        await wait_for(pilot, lambda: any(a.delegation == "ukr" for a in app.state.actions), "the answer")
        mine = [a for a in app.state.actions if a.delegation == "ukr"]
        assert mine[-1].kind == "answer" and mine[-1].text == "Not now"


async def test_the_round_clock_shows_on_the_hand_off(scenario):
    state = new_game(scenario, make_setup(scenario, 3, humans={"usa": "Blue", "rus": "Red"}))
    now = [0.0]
    app = WargameApp(state=state, speed=0, clock_minutes=1)
    app.time_source = lambda: now[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HandOffScreen), "the hand-off")
        clock = app.screen.query_one(RoundClock)
        now[0] = 11.0
        app.tick_clock()
        await wait_for(pilot, lambda: "00:49" in str(clock.content), "the clock on the hand-off")
        assert clock.display and clock.region.area > 0


async def test_quitting_a_game_under_way_asks_saves_and_says_how_to_resume(scenario, tmp_path):
    app = WargameApp(state=until_human(solo(scenario), lambda s: s.pending is None and s.actions), speed=0,
                     saves_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_the_board(pilot, app)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("n")  # no: the game goes on, nothing saved
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), "the board again")
        assert app.is_running and not list(tmp_path.iterdir())
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.click("#yes")
        await pilot.pause()
    assert app.return_code == 0
    assert app.resume_command == f"wargame --saves-dir {tmp_path} load {app.game_id}"  # not ./saves: it says where
    resumed = saves.load_save(saves.resolve_save(app.game_id, tmp_path))
    assert resumed.state == app.state


async def test_w_names_the_report_after_the_loaded_save_and_works_in_the_report(scenario, tmp_path):
    over = play_first_legal(solo(scenario, 3))
    path = saves.save_game(over, tmp_path, game_id=saves.new_game_id(), name="workshop1")
    loaded = saves.load_save(path)
    saves.autosave(over, tmp_path, game_id=loaded.game_id)  # newer than the named save
    app = WargameApp(state=loaded.state, game_id=loaded.game_id, speed=0, saves_dir=tmp_path, save_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the game over")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the report")
        await pilot.press("w")
        await wait_for(pilot, lambda: (tmp_path / "workshop1.report.md").is_file(), "the report file")
    assert not list(tmp_path.glob("autosave-*.report.md"))


async def test_loading_from_the_title_names_the_report_after_that_save(scenario, tmp_path):
    over = play_first_legal(solo(scenario, 3))
    saves.save_game(over, tmp_path, game_id=saves.new_game_id(), name="workshop2")
    app = WargameApp(speed=0, saves_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the loaded game's end")
        await pilot.press("w", "m")
        await wait_for(pilot, lambda: (tmp_path / "workshop2.report.md").is_file(), "the report file")
    assert [p.name for p in tmp_path.glob("*.report.md")] == ["workshop2.report.md"]


def quiet_end_of_round_one(scenario):
    """Ukraine's turn in round 1 of the first game (from seed 2) where, once it passes, the bots end
    the round without asking it anything (bots that bargain may put a proposal to it)."""
    from wargame import bots
    from wargame.model import Pass

    for seed in range(2, 60):
        s = until_human(solo(scenario, seed=seed), lambda s: s.pending is None and s.round == 1)
        if s.round != 1:
            continue
        t = apply_action(s, Pass("ukr"))
        while not t.over and t.round == 1 and not t.is_human(current_actor(t)):
            t = apply_action(t, bots.choose(t, current_actor(t)))
        if t.round == 2 and not t.over:
            return s
    raise AssertionError("no seed found")


async def test_an_inject_notice_says_inject_once(scenario):
    """The notice's title says "Inject"; its text is the inject's own title, not "Inject: …" again."""
    from wargame.model import Pass

    app = WargameApp(state=quiet_end_of_round_one(scenario), speed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_the_board(pilot, app)
        seen = notices(app)
        assert app.act(Pass("ukr"))  # round 1 ends; round 2 opens with its injects
        await wait_for(pilot, lambda: app.flow.state.round == 2, "round 2")
        titles = {i.title + "." for i in scenario.injects if i.round == 2}
        assert titles & set(seen), seen
        assert not any(m.startswith("Inject:") for m in seen), seen
        assert not any(m.startswith("Agreed:") for m in seen), seen  # "Proposal accepted: “…”." says it once


def test_the_resume_command_names_the_saves_folder_only_when_load_would_not_look_there(tmp_path, monkeypatch):
    from wargame.tui.app import resume_command

    monkeypatch.delenv("WARGAME_SAVES", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resume_command("g1", Path("saves")) == "wargame load g1"
    assert resume_command("g1", tmp_path / "saves") == "wargame load g1"
    assert resume_command("g1", tmp_path / "my saves") == f"wargame --saves-dir '{tmp_path}/my saves' load g1"
    monkeypatch.setenv("WARGAME_SAVES", str(tmp_path / "my saves"))
    assert resume_command("g1", tmp_path / "my saves") == "wargame load g1"


def test_quitting_while_the_board_mounts_quits_cleanly(tmp_path):
    """ctrl+q at the first moment of a start (here: the first key the app reads) quits
    with status 0. It used to raise from a widget drawing into children already removed."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "TEXTUAL_PRESS": "ctrl+q",
        "WARGAME_SAVES": str(tmp_path),
        "COLUMNS": "120",
        "LINES": "40",
    }
    run = subprocess.run(
        [sys.executable, "-m", "wargame", "play", "--seed", "1", "--speed", "10"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "Traceback" not in run.stdout + run.stderr


async def test_the_report_format_question_is_centred_at_80x24(scenario, tmp_path):
    """`w` on the game-over screen asks Markdown or HTML in a box in the middle of the screen,
    as every other question is (it used to sit in the top-left corner)."""
    from conftest import play_first_legal
    from textual.containers import Vertical

    from wargame.tui.screens.confirm import ReportFormatScreen

    done = play_first_legal(solo(scenario, seed=3))
    app = WargameApp(state=done, speed=0, saves_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the game-over screen")
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportFormatScreen), "the format question")
        await pilot.pause()
        box = app.screen.query_one("#confirm-box", Vertical).region
        assert abs(box.x - (80 - box.right)) <= 1, box
        assert abs(box.y - (24 - box.bottom)) <= 1, box
