"""Pilot tests of saving and loading in the app: ctrl+s with a name, the title screen's Load game,
damaged saves in the list, autosave on quit, and the game-over screen's written report.

Everything goes through keys (pilot.press) and is checked against `wargame.saves`
and the engine: a loaded game must continue exactly as the saved one would.
"""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, OptionList, Static

from wargame import bots, saves
from wargame.engine import apply_action, current_actor, make_setup, new_game
from wargame.model import GameState
from wargame.report import build_report, default_report_path
from wargame.tui.app import WargameApp
from wargame.tui.screens.board import BoardScreen
from wargame.tui.screens.decisions import DecisionScreen
from wargame.tui.screens.game_over import GameOverScreen
from wargame.tui.screens.handoff import HandOffScreen
from wargame.tui.screens.saves import LoadScreen, SaveNameScreen
from wargame.tui.screens.title import TitleScreen

from conftest import wait_for  # noqa: E402

SIZE = (120, 40)




def start(scenario, seed: int, humans: dict[str, str], **kwargs) -> GameState:
    return new_game(scenario, make_setup(scenario, seed, humans=humans, **kwargs))


def human_waits(app: WargameApp) -> bool:
    return isinstance(app.screen, (HandOffScreen, DecisionScreen, GameOverScreen)) or (
        isinstance(app.screen, BoardScreen) and app.flow.human_turn() is not None
    )


async def one_human_move(pilot, app: WargameApp) -> None:
    """Whatever waits for the human team, done with its default: hand-off, decision, or a pass."""
    await wait_for(pilot, lambda: human_waits(app), "the human team's turn")
    if isinstance(app.screen, HandOffScreen):
        await pilot.press("enter")
        await wait_for(pilot, lambda: human_waits(app) and not isinstance(app.screen, HandOffScreen), "the decision")
    n = len(app.state.actions)
    if isinstance(app.screen, BoardScreen):
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the pass confirmation")
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(app.state.actions) > n, "the move")


def continue_with_bots(state: GameState) -> GameState:
    while not state.over and not state.is_human(current_actor(state)):
        state = apply_action(state, bots.choose(state, current_actor(state)))
    return state


def notes_of(app: WargameApp) -> list[tuple[str, str]]:
    """Every notification shown so far, as (severity, message)."""
    seen: list[tuple[str, str]] = []
    original = app.notify

    def record(message, *args, **kwargs):
        seen.append((kwargs.get("severity", "information"), str(message)))
        return original(message, *args, **kwargs)

    app.notify = record  # type: ignore[method-assign]
    return seen


# --- save mid-round with ctrl+s, quit, load from the title screen, continue identically


async def test_save_quit_load_and_continue(scenario, tmp_path):
    app = WargameApp(state=start(scenario, 2, {"rus": "Team Moscow"}), speed=0, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await one_human_move(pilot, app)
        # Until the board waits for a card or a pass (ctrl+s is offered on the board).
        while not (isinstance(app.screen, BoardScreen) and app.flow.human_turn() is not None):
            await one_human_move(pilot, app)
        assert any(a.delegation == "rus" for a in app.state.actions)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveNameScreen), "the save-name prompt")
        field = app.screen.query_one(Input)
        assert field.value == f"Team Moscow round {app.state.round}"
        field.value = ""
        await pilot.press(*"before lunch", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), "back to the board")
        saved = app.state
        path = tmp_path / "before-lunch.toml"
        assert path.is_file()
        loaded = saves.load_save(path)
        assert loaded.state == saved and loaded.name == "before lunch" and loaded.game_id == app.game_id
        await pilot.press("ctrl+q", "y")
    assert app.return_code == 0
    assert list(tmp_path.glob(f"autosave-{loaded.game_id}-*.toml"))  # quit saved it too

    again = WargameApp(speed=0, saves_dir=tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        assert isinstance(again.screen, TitleScreen)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(again.screen, LoadScreen), "the load screen")
        screen = again.screen
        names = [i.name for i in screen.infos]
        assert "before lunch" in names and [i.updated for i in screen.infos] == sorted((i.updated for i in screen.infos), reverse=True)
        listed = str(screen.query_one(OptionList).get_option_at_index(names.index("before lunch")).prompt)
        assert "round" in listed and "Team Moscow" in listed
        screen.query_one(OptionList).highlighted = names.index("before lunch")
        await pilot.press("enter")
        await wait_for(pilot, lambda: again._board is not None and again._board_active(), "the loaded game")
        assert again.state == saved and again.game_id == loaded.game_id
        # The same next action on both: the app's move, and the engine on the saved state.
        n = len(saved.actions)
        await one_human_move(pilot, again)
        move = again.state.actions[n]
        assert move.delegation == "rus"
        expected = continue_with_bots(apply_action(saved, move))
        await wait_for(pilot, lambda: human_waits(again), "the human team again")
        assert again.state == expected


# --- the load list: damaged saves, an empty folder, a save that breaks after listing


async def test_damaged_save_is_listed_and_not_loaded(scenario, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_bytes(b"format_version = 1\nthis is not [toml")
    before = broken.read_bytes()
    good_state = continue_with_bots(start(scenario, 4, {"ukr": ""}))
    saves.save_game(good_state, tmp_path, game_id=saves.new_game_id(), name="good")
    app = WargameApp(speed=0, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        seen = notes_of(app)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen), "the load screen")
        screen = app.screen
        ol = screen.query_one(OptionList)
        bad = next(i for i, info in enumerate(screen.infos) if info.path == broken)
        assert screen.infos[bad].damaged
        assert ol.get_option_at_index(bad).disabled and "damaged" in str(ol.get_option_at_index(bad).prompt)
        screen._load(bad)  # even asked directly, a damaged save is refused
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen) and app.state is None
        assert any(sev == "warning" and "damaged" in msg for sev, msg in seen)
        # The good save breaks after it was listed: an error notification, no traceback, no game.
        good = next(i for i, info in enumerate(screen.infos) if info.name == "good")
        good_path = screen.infos[good].path
        good_path.write_bytes(good_path.read_bytes()[: good_path.stat().st_size // 2])
        ol.highlighted = good
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen) and app.state is None
        assert any(sev == "error" and "good.toml" in msg for sev, msg in seen)
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)
    assert broken.read_bytes() == before


async def test_empty_saves_folder(tmp_path):
    app = WargameApp(speed=0, saves_dir=tmp_path / "none-yet")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadScreen), "the load screen")
        assert "No saved games" in str(app.screen.query_one("#load-note", Static).content)
        await pilot.press("enter")
        assert isinstance(app.screen, LoadScreen) and app.state is None


# --- a save name that is taken, the palette, and the quit autosave only once something happened


async def test_save_under_a_taken_name_is_refused(scenario, tmp_path):
    taken = saves.save_game(start(scenario, 9, {}), tmp_path, game_id=saves.new_game_id(), name="taken")
    before = taken.read_bytes()
    app = WargameApp(state=start(scenario, 2, {"rus": ""}), speed=0, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        seen = notes_of(app)
        names = [name for name, _, _ in app.palette_commands()]
        assert "Save game" in names and "Load game" in names
        await one_human_move(pilot, app)
        while not (isinstance(app.screen, BoardScreen) and app.flow.human_turn() is not None):
            await one_human_move(pilot, app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveNameScreen), "the save-name prompt")
        app.screen.query_one(Input).value = ""
        await pilot.press(*"taken", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), "back to the board")
        assert any(sev == "error" and "another game" in msg for sev, msg in seen)
        assert app.is_running
        await pilot.press("ctrl+q", "y")
    assert app.return_code == 0
    assert taken.read_bytes() == before
    [autosave] = tmp_path.glob("autosave-*.toml")  # moves were made, so quitting kept them
    assert saves.load_save(autosave).state == app.state


async def test_quit_before_any_move_does_not_autosave(scenario, tmp_path):
    app = WargameApp(state=start(scenario, 2, {}), speed=60, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.state.actions
        await pilot.press("ctrl+q")
    assert app.return_code == 0 and not list(tmp_path.iterdir())


# --- game over: w writes the report next to the latest save


async def test_game_over_writes_the_report(scenario, tmp_path):
    app = WargameApp(state=start(scenario, 3, {}, rounds=2), speed=0, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the end of the game")
        latest = app.latest_save()
        assert latest is not None and latest.name.startswith(f"autosave-{app.game_id}")
        await pilot.press("w", "m")
        report = default_report_path(latest)
        await wait_for(pilot, report.is_file, "the report file")
        assert report.read_text(encoding="utf-8") == build_report(app.state, created=date.today().isoformat())


async def test_game_over_report_autosaves_first_when_no_save(scenario, tmp_path):
    """A finished game loaded from elsewhere has no save in this folder: w saves it first."""
    finished = continue_with_bots(start(scenario, 3, {}, rounds=1))
    assert finished.over
    app = WargameApp(state=finished, game_id=saves.new_game_id(), speed=0, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the game-over screen")
        assert not list(tmp_path.iterdir())
        await pilot.press("w", "m")
        await wait_for(pilot, lambda: len(list(tmp_path.glob("*.report.md"))) == 1, "the report file")
        [save] = tmp_path.glob("autosave-*.toml")
        assert saves.load_save(save).state == finished
        assert default_report_path(save).is_file()


async def test_w_on_game_over_asks_the_format_and_writes_html(scenario, tmp_path):
    from html.parser import HTMLParser

    from wargame.tui.screens.confirm import ReportFormatScreen

    app = WargameApp(state=start(scenario, 3, {}, rounds=1), speed=0, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the end of the game")
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportFormatScreen), "the format question")
        await pilot.press("escape")  # cancelled: nothing written
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the game over again")
        assert not list(tmp_path.glob("*.report.*"))
        await pilot.press("w", "h")
        await wait_for(pilot, lambda: len(list(tmp_path.glob("*.report.html"))) == 1, "the HTML report")
    [page] = tmp_path.glob("*.report.html")
    tags = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Tags().feed(page.read_text(encoding="utf-8"))
    assert "svg" in tags and "html" in tags
    assert not list(tmp_path.glob("*.report.md"))
