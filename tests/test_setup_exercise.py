"""The facilitator edits the exercise at setup: name, scope, objectives with their capabilities.

The scenario's `[exercise]` gives the fields their first values; an edit goes into the
game's setup (`Setup.exercise`), from there into the save, the console's note filing,
the game-over ratings and the after-action report. A setup left as the scenario gives
it is written as setups were before (no `exercise` in the save).
"""

from __future__ import annotations

import tomllib

import pytest
from textual.widgets import Collapsible, Input

from wargame import saves
from wargame.engine import SetupError, apply_action, check, make_setup, new_game
from wargame.model import Exercise, Objective, Rate
from wargame.report import build_report
from wargame.tui.app import WargameApp
from wargame.tui.screens.setup import ObjectiveRow, SetupScreen, stripped

from conftest import play_first_legal, wait_for  # noqa: E402

EDITED = Exercise(
    "Kyiv table, spring session",
    "Two hours, five teams, rounds one to four.",
    (Objective("O1", "Reach a ceasefire both sides accept.", "Ceasefire negotiation"),
     Objective("C1", "Keep the channel to Beijing open.", "Mediation through a third party")),
)


# --- the engine keeps an edit, and only an edit ------------------------------------------------


def test_an_unchanged_exercise_is_not_kept_in_the_setup(scenario):
    setup = make_setup(scenario, 1, facilitated=True, exercise=scenario.exercise)
    assert setup.exercise is None and setup == make_setup(scenario, 1, facilitated=True)
    assert new_game(scenario, setup).exercise == scenario.exercise


def test_an_edited_exercise_is_the_games(scenario):
    state = new_game(scenario, make_setup(scenario, 1, facilitated=True, exercise=EDITED))
    assert state.setup.exercise == EDITED and state.exercise == EDITED
    assert scenario.exercise != EDITED  # the scenario itself is untouched


@pytest.mark.parametrize("exercise, needle", [
    (Exercise("  ", "", ()), "needs a name"),
    (Exercise("X", "", (Objective("O1", "a"), Objective("O1", "b"))), "two objectives have the id 'O1'"),
    (Exercise("X", "", (Objective("", "a"),)), "objective 1 needs an id"),
    (Exercise("X", "", (Objective("O2", " "),)), "objective O2 needs a text"),
    (Exercise("X" * 2001, "", ()), "at most 2000 characters"),
])
def test_a_bad_exercise_is_refused_with_what_is_wrong(scenario, exercise, needle):
    with pytest.raises(SetupError, match=needle):
        make_setup(scenario, 1, exercise=exercise)


def test_ratings_follow_the_edited_objectives(scenario):
    state = play_first_legal(new_game(scenario, make_setup(scenario, 1, rounds=2, facilitated=True, exercise=EDITED)))
    assert check(state, Rate("C1", "P", "Beijing stayed in the room")) is None
    assert "unknown objective 'O3'" in check(state, Rate("O3", "P", "a scenario objective, cut at setup"))


# --- the save and the report --------------------------------------------------------------------


def test_the_save_keeps_the_edit_and_an_unedited_setup_is_written_as_before(scenario, tmp_path):
    edited = play_first_legal(new_game(scenario, make_setup(scenario, 2, rounds=2, facilitated=True, exercise=EDITED)))
    path = saves.write_save(edited, tmp_path / "edited.toml", game_id="edited")
    assert tomllib.loads(path.read_text())["setup"]["exercise"]["name"] == EDITED.name
    loaded = saves.load_save(path)  # verified: signature, setup check and full replay
    assert loaded.state.setup.exercise == EDITED and loaded.state == edited

    plain = play_first_legal(new_game(scenario, make_setup(scenario, 2, rounds=2, facilitated=True)))
    text = saves.write_save(plain, tmp_path / "plain.toml", game_id="plain").read_text()
    assert "exercise" not in tomllib.loads(text)["setup"]


def test_the_report_gives_the_edited_exercise(scenario):
    state = play_first_legal(new_game(scenario, make_setup(scenario, 2, rounds=2, facilitated=True, exercise=EDITED)))
    state = apply_action(state, Rate("C1", "S", "the channel held, barely"))
    report = build_report(state, created="2026-12-02")
    assert f"**Exercise:** {EDITED.name}" in report
    assert f"**Scope:** {EDITED.scope}" in report
    assert "**C1:** Keep the channel to Beijing open. (capability: Mediation through a third party)" in report
    assert "the channel held, barely" in report
    assert scenario.exercise.objective("O5").text not in report  # the scenario's objectives cut at setup are gone


# --- the setup screen -----------------------------------------------------------------------------


async def open_setup(app: WargameApp, pilot) -> SetupScreen:
    """The setup screen with its exercise section unfolded (from the keyboard: Tab to its title, Enter)."""
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen) and app.screen.query(ObjectiveRow), "the setup")
    setup = app.screen
    section = setup.query_one("#exercise", Collapsible)
    assert section.collapsed  # folded at first: the screen looks as it did before the exercise was editable
    section.query_one("CollapsibleTitle").focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: not section.collapsed, "the exercise section to unfold")
    return setup


async def test_the_setup_screen_starts_from_the_scenarios_exercise(scenario):
    app = WargameApp(speed=0, setup_seed=5)
    async with app.run_test(size=(100, 30)) as pilot:
        setup = await open_setup(app, pilot)
        assert setup.query_one("#exercise-name", Input).value == scenario.exercise.name
        assert setup.query_one("#exercise-scope", Input).value == " ".join(scenario.exercise.scope.split())
        assert [row.value() for row in setup.query(ObjectiveRow)] == list(stripped(scenario.exercise).objectives)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: app.flow is not None, "the game")
        assert app.state.setup.exercise is None and app.state.exercise == scenario.exercise


async def test_the_facilitator_edits_the_exercise_at_setup(scenario):
    app = WargameApp(speed=0, setup_seed=5)
    async with app.run_test(size=(100, 30)) as pilot:
        setup = await open_setup(app, pilot)
        name = setup.query_one("#exercise-name", Input)
        name.focus()
        name.value = ""
        await pilot.press(*"Spring session", "enter")  # Enter goes on to the next field: the scope
        assert app.focused is setup.query_one("#exercise-scope", Input)
        app.focused.value = ""
        await pilot.press(*"Two hours")
        rows = list(setup.query(ObjectiveRow))
        for row in rows[1:]:  # keep O1, with a new capability; blank the others out
            for field in row.query(Input):
                field.value = ""
        rows[0].query_one(".objective-capability", Input).value = "Ceasefires"
        setup.query_one("#add-objective").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(setup.query(ObjectiveRow)) == len(rows) + 1, "the new objective row")
        new = list(setup.query(ObjectiveRow))[-1]
        await wait_for(pilot, lambda: app.focused is new.query_one(".objective-text", Input), "the new row's text")
        assert new.query_one(".objective-id", Input).value == "O2"  # the first id free once the others are blank
        await pilot.press(*"Keep Beijing at the table")
        new.query_one(".objective-capability", Input).value = "Mediation"
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: app.flow is not None, "the game")  # its board, or the console over it
        o1 = stripped(scenario.exercise).objectives[0]
        want = Exercise("Spring session", "Two hours", (
            Objective("O1", o1.text, "Ceasefires"), Objective("O2", "Keep Beijing at the table", "Mediation")))
        assert app.state.setup.exercise == want and app.state.exercise == want
        # A new game from here offers the edit again.
        app.action_new_game()
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen) and app.screen.query(ObjectiveRow),
                       "the setup again")
        assert app.screen.query_one("#exercise-name", Input).value == "Spring session"
        assert [row.value() for row in app.screen.query(ObjectiveRow)] == list(want.objectives)


async def test_an_exercise_without_a_name_is_refused_on_the_setup_screen(scenario):
    app = WargameApp(speed=0, setup_seed=5)
    async with app.run_test(size=(100, 30)) as pilot:
        setup = await open_setup(app, pilot)
        setup.query_one("#exercise-name", Input).value = ""
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen) and app.flow is None
        assert "the exercise needs a name" in str(setup.query_one("#setup-error").content)
