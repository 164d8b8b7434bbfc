"""`wargame simulate`: JSON shape, determinism across --jobs, the summary table, bad arguments, saves."""

from __future__ import annotations

import io
import json
import sys
import types

import pytest

from wargame import cli
from wargame.engine.rng import derive_seed
from wargame.simulate import _progress_bar, play_game, run_games, summarize
from wargame.engine import make_setup


def simulate_json(capsys, *args):
    code = cli.main(["simulate", "--json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""  # no progress bar, no chatter with --json
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    return json.loads(lines[0])


def without_time(result):
    result = dict(result)
    assert isinstance(result.pop("elapsed_s"), float)
    return result


def test_json_shape(scenario, capsys):
    result = simulate_json(capsys, "--games", "30", "--seed", "4")
    assert set(result) == {"games", "seed", "outcomes", "tracks", "delegations", "violations_per_game", "bargains_per_100_games",
                           "cards", "elapsed_s"}
    assert set(result["bargains_per_100_games"]) == {"counters", "counters_taken", "packages", "side_payments"}
    assert 0 <= result["bargains_per_100_games"]["counters_taken"] <= result["bargains_per_100_games"]["counters"]
    assert set(result["cards"]) == {c.id for c in scenario.concessions}
    assert all(0 <= c["games"] <= 30 and c["share"] == round(c["games"] / 30, 4) for c in result["cards"].values())
    assert result["games"] == 30 and result["seed"] == 4
    assert set(result["outcomes"]) == {"settlement", "frozen", "collapse"}
    assert sum(result["outcomes"].values()) == 30
    assert set(result["tracks"]) == set(scenario.track_ids) | set(scenario.meter_ids)
    assert all(0 <= v <= 10 for v in result["tracks"].values())
    assert set(result["delegations"]) == {d.id for d in scenario.delegations}
    for d, info in result["delegations"].items():
        assert set(info) == {"mean_score", "par", "win_rate", "personality"}
        assert 0 <= info["win_rate"] <= 1
        assert info["personality"] == scenario.delegation(d).default_bot
    # each rate is rounded to 4 places: five of them may sum past 1 by up to 5 half-units
    assert sum(i["win_rate"] for i in result["delegations"].values()) <= 1 + 5 * 0.00005 + 1e-9
    assert result["violations_per_game"] >= 0


def test_same_arguments_same_result_whatever_the_jobs(capsys):
    one = simulate_json(capsys, "--games", "40", "--seed", "9", "--jobs", "1")
    again = simulate_json(capsys, "--games", "40", "--seed", "9", "--jobs", "1")
    two = simulate_json(capsys, "--games", "40", "--seed", "9", "--jobs", "2")
    assert without_time(one) == without_time(again) == without_time(two)


def test_other_seed_other_games(scenario):
    a = run_games(scenario, 20, seed=9)
    b = run_games(scenario, 20, seed=10)
    assert [r.seed for r in a] == [derive_seed(9, i) for i in range(20)]
    assert [(r.outcome, r.values) for r in a] != [(r.outcome, r.values) for r in b]


def test_run_games_is_ordered_and_matches_single_games(scenario):
    serial = run_games(scenario, 12, seed=5, bots={"rus": "hardliner"})
    parallel = run_games(scenario, 12, seed=5, bots={"rus": "hardliner"}, jobs=2)
    assert serial == parallel
    assert [r.index for r in serial] == list(range(12))
    # Game 3 of the run is exactly the game dealt with the derived seed.
    state = play_game(scenario, make_setup(scenario, derive_seed(5, 3), bots={"rus": "hardliner"}))
    assert serial[3].outcome == state.outcome
    assert serial[3].values == {**state.tracks, **state.meters}
    assert serial[3].violations == len(state.violations)


def test_bot_flags_reach_the_games(capsys, scenario):
    result = simulate_json(capsys, "--games", "5", "--bot", "all=hardliner", "--without", "chn")
    assert set(result["delegations"]) == {d.id for d in scenario.delegations} - {"chn"}
    assert all(i["personality"] == "hardliner" for i in result["delegations"].values())
    result = simulate_json(capsys, "--games", "5", "--bot", "rus=hardliner", "--rounds", "3")
    assert result["delegations"]["rus"]["personality"] == "hardliner"
    assert result["delegations"]["ukr"]["personality"] == "pragmatist"


def test_summary_counts(scenario):
    results = run_games(scenario, 25, seed=2)
    summary = summarize(scenario, results, seed=2, bots={})
    assert summary["outcomes"][results[0].outcome] >= 1
    assert summary["tracks"]["tension"] == round(sum(r.values["tension"] for r in results) / 25, 3)
    wins = sum(1 for r in results if r.winner == "usa")
    assert summary["delegations"]["usa"]["win_rate"] == round(wins / 25, 4)
    assert summary["violations_per_game"] == round(sum(r.violations for r in results) / 25, 3)


def test_human_summary_is_a_table(capsys):
    assert cli.main(["simulate", "--games", "10", "--seed", "3"]) == 0
    out, err = capsys.readouterr()
    for word in ("Outcome", "settlement", "frozen", "collapse", "Ceasefire", "Tension", "Sovereignty",
                 "Delegation", "Mean score", "Win rate", "Russia", "violations per game"):
        assert word in out, word
    assert err == ""  # stderr is not a terminal here: no progress bar


def test_progress_bar_draws_and_clears():
    stream = io.StringIO()
    show = _progress_bar(stream)
    for done in (1, 50, 100):
        show(done, 100)
    text = stream.getvalue()
    assert "1/100" in text and "100/100" in text and "#" in text
    assert text.endswith("\r")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--bot", "xyz=hardliner"], "unknown delegation 'xyz'"),
        (["--bot", "all=nobody"], "no bot personality 'nobody'"),
        (["--bot", "rus=mediator"], "no bot personality 'mediator' for Russia"),
        (["--bot", "rus"], "expected ID=PERSONALITY"),
        (["--without", "rus"], "cannot be left out"),
        (["--scenario", "/nonexistent/decks"], "not a folder"),
        (["--games", "0"], "expected 1 to 1000000, got 0"),
        (["--games", "1000001"], "expected 1 to 1000000"),
        (["--jobs", "100000"], "(the cores of this computer), got 100000"),
        (["--bot", "chn=mediator", "--without", "chn"], "left out"),
        (["--bot", "rus=hardliner", "--bot", "rus=pragmatist"], "two personalities"),
        (["--study", "--policies", "pass,clever"], "--policies: unknown 'clever'"),
        (["--study", "--delegations", "usa,xyz"], "--delegations: unknown 'xyz'"),
        (["--study", "--delegations", "chn", "--without", "chn"], "--delegations: unknown 'chn'"),
        (["--study", "--save-dir", "x"], "does not write saves"),
        (["--policies", "pass"], "--policies belongs to the study"),
        (["--study", "--policies", ","], "--policies: name at least one"),
    ],
)
def test_bad_arguments_exit_1_without_traceback(capsys, args, message):
    try:
        code = cli.main(["simulate", "--games", "2", *args])
    except SystemExit as exc:  # argparse errors
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 1
    assert message in err
    assert "Traceback" not in err + out


def test_scenario_folder_with_errors_exits_1(tmp_path, capsys):
    (tmp_path / "scenario.toml").write_text("this is not = = toml")
    code = cli.main(["simulate", "--games", "2", "--scenario", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in err


def test_save_dir_writes_every_game_through_the_saves_module(tmp_path, capsys, monkeypatch):
    import wargame.saves.folder  # noqa: F401 - the real folder check, loaded before the fake module stands in for the package

    written = []
    fake = types.ModuleType("wargame.saves")

    def write_save(state, path, *, game_id, name=None):
        path.write_text(f"{game_id} {state.setup.seed} {state.outcome}\n")
        written.append(path)
        return path

    fake.write_save = write_save
    fake.new_game_id = lambda: "game-id"
    monkeypatch.setitem(sys.modules, "wargame.saves", fake)
    import wargame

    monkeypatch.setattr(wargame, "saves", fake, raising=False)
    target = tmp_path / "out"
    assert cli.main(["simulate", "--games", "3", "--seed", "5", "--save-dir", str(target), "--json"]) == 0
    capsys.readouterr()
    names = sorted(p.name for p in target.iterdir())
    assert names == ["sim-5-0.toml", "sim-5-1.toml", "sim-5-2.toml"]
    assert (target / "sim-5-1.toml").read_text().split()[1] == str(derive_seed(5, 1))


def test_save_dir_without_saves_support_is_a_clear_error(tmp_path, capsys, monkeypatch):
    fake = types.ModuleType("wargame.saves")  # no write_save, no new_game_id
    monkeypatch.setitem(sys.modules, "wargame.saves", fake)
    import wargame

    monkeypatch.setattr(wargame, "saves", fake, raising=False)
    code = cli.main(["simulate", "--games", "2", "--save-dir", str(tmp_path / "x")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "--save-dir" in err and "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_save_dir_with_the_real_saves_module(tmp_path, capsys, scenario):
    from wargame.saves import load_save

    target = tmp_path / "sims"
    assert cli.main(["simulate", "--games", "2", "--seed", "5", "--save-dir", str(target), "--json"]) == 0
    capsys.readouterr()
    files = sorted(target.iterdir())
    assert [p.name for p in files] == ["sim-5-0.toml", "sim-5-1.toml"]
    loaded = load_save(files[1])
    expected = play_game(scenario, make_setup(scenario, derive_seed(5, 1)))
    assert loaded.state == expected
    assert loaded.state.over


def test_card_counts_are_the_games_that_played_or_proposed_each_card(scenario):
    from wargame.model import CardPlayed, Proposed

    results = run_games(scenario, 6, seed=5)
    for i, r in enumerate(results):
        state = play_game(scenario, make_setup(scenario, derive_seed(5, i)))
        cards = {e.payload.card for e in state.log if isinstance(e.payload, (CardPlayed, Proposed))}
        assert set(r.played) == cards
    summary = summarize(scenario, results, seed=5, bots={})
    for c, info in summary["cards"].items():
        assert info["games"] == sum(1 for r in results if c in r.played)


def test_study_json_pairs_each_policy_with_the_bot_by_seed(capsys, scenario):
    from wargame.study import paired_difference

    result = simulate_json(capsys, "--study", "--games", "6", "--seed", "3", "--policies", "pass,random", "--delegations", "rus")
    assert set(result["delegations"]) == {"rus"}
    entry = result["delegations"]["rus"]
    assert set(entry["policies"]) == {"pass", "random"}
    bot = run_games(scenario, 6, seed=3)
    for name, r in entry["policies"].items():
        assert set(r) >= {"mean_diff", "ci_low", "ci_high", "outcomes"}
        assert r["ci_low"] <= r["mean_diff"] <= r["ci_high"]
        assert sum(r["outcomes"].values()) == 6
        games = run_games(scenario, 6, seed=3, seat="rus", policy=name)
        assert paired_difference(games, bot, "rus")["mean_diff"] == r["mean_diff"]
    # paired: the pass policy's games differ from the bot's only where Russia's choices differ
    passing = run_games(scenario, 6, seed=3, seat="rus", policy="pass")
    assert [g.seed for g in passing] == [b.seed for b in bot]


def test_paired_difference_statistics():
    from wargame.study import paired_difference
    from wargame.simulate import GameResult

    def res(score, outcome="frozen"):
        return GameResult(0, 0, outcome, 8, {}, {"usa": score}, None, 0, 0)

    bot = [res(50), res(60), res(70), res(80)]
    pol = [res(40, "collapse"), res(55), res(60), res(75)]
    r = paired_difference(pol, bot, "usa")
    diffs = [-10, -5, -10, -5]
    mean = sum(diffs) / 4
    sd = (sum((d - mean) ** 2 for d in diffs) / 3) ** 0.5
    assert r["mean_diff"] == mean
    assert r["ci_low"] == round(mean - 1.96 * sd / 2, 2) and r["ci_high"] == round(mean + 1.96 * sd / 2, 2)
    assert r["outcomes"] == {"settlement": 0, "frozen": 3, "collapse": 1}


def test_the_random_policy_is_seeded_from_the_game_never_the_global_generator(scenario):
    import random as global_random

    from wargame.policies import policy_for

    setup = make_setup(scenario, derive_seed(7, 0))
    global_random.seed(1)
    a = play_game(scenario, setup, "ukr", "random")
    global_random.seed(2)
    b = play_game(scenario, setup, "ukr", "random")
    assert a.actions == b.actions
    other = play_game(scenario, make_setup(scenario, derive_seed(7, 1)), "ukr", "random")
    assert other.actions != a.actions
    assert callable(policy_for("greedy", 1))
    with pytest.raises(ValueError, match="unknown policy"):
        policy_for("clever", 1)


def test_greedy_takes_the_best_immediate_score(scenario):
    from wargame.engine import current_actor, legal_actions, new_game, preview
    from wargame.engine.scoring import scores
    from wargame.policies import policy_for

    state = new_game(scenario, make_setup(scenario, derive_seed(2, 0)))
    greedy = policy_for("greedy", 0)
    for _ in range(12):
        who = current_actor(state)
        if who is None:
            break
        chosen = greedy(state, who)

        def value(a):
            pv = preview(state, a)
            return scores(pv.agreed if pv.agreed is not None else pv.after)[who].total

        assert value(chosen) == max(value(a) for a in legal_actions(state, who))
        from wargame.engine import apply_action

        state = apply_action(state, chosen)


def test_unworded_reasons_change_no_move(scenario):
    """`simulate` without saves skips wording the bots' reasons: every game is the same, move for move."""
    import attrs

    for i in range(12):
        setup = make_setup(scenario, derive_seed(5, i))
        worded = play_game(scenario, setup)
        bare = play_game(scenario, setup, explain=False)
        assert any(a.text for a in worded.actions)
        assert all(a.text == "" for a in bare.actions)
        assert [attrs.evolve(a, text="") for a in worded.actions] == bare.actions
        assert [attrs.evolve(e, rationale="") for e in worded.log] == bare.log
        assert (worded.tracks, worded.meters, worded.capital, worded.outcome, worded.rng) == (
            bare.tracks, bare.meters, bare.capital, bare.outcome, bare.rng)
