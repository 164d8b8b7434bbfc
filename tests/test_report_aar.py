"""The after-action report as an HSEEP AAR/IP: overview, analysis per objective, improvement plan,
proposals, reasons said once; the exercise in the scenario; tagged notes and ratings through the engine;
and the self-contained HTML page with one SVG chart per track and meter."""

from __future__ import annotations

import copy
import re
from datetime import datetime
import shutil
from html.parser import HTMLParser

import attrs
import pytest

from wargame.cli import main
from wargame.engine import IllegalAction, apply_action, check, current_actor, make_setup, new_game
from wargame.model import Note, Rate
from wargame.report import build_html_report, build_report, game_facts
from wargame.saves import load_save, write_save
from wargame.scenario import ScenarioError, load_scenario

from conftest import DECKS
from test_report import HUMAN, TEAM, UKR_RATIONALE, decide, section

STRENGTH = "Kyiv and Washington kept each other informed before every answer"
GAP = "Nobody asked Moscow what a ceasefire would need"
ACROSS = "The room lost track of the clock"
EVIDENCE = "Ceasefire reached 6 by round 3 and held"


def play_rated(scenario, seed=13):
    """A facilitated game: a strength and an area for improvement filed under O1, an untagged-objective
    improvement, the human team's typed rationales; O1 rated S at the end, O3 rated U mid-game."""
    state = new_game(scenario, make_setup(scenario, seed=seed, humans={HUMAN: TEAM}, facilitated=True))
    state = apply_action(state, Note(STRENGTH, tag="strength", objective="O1"))
    state = apply_action(state, Rate("O3", "U", "an early guess"))
    while not state.over:
        if state.round == 2 and not any(e.kind == "note" and e.round == 2 for e in state.log):
            state = apply_action(state, Note(GAP, tag="improvement", objective="O1"))
            state = apply_action(state, Note(ACROSS, tag="improvement"))
            continue
        state = apply_action(state, decide(state, current_actor(state)))
    state = apply_action(state, Rate("O1", "S", EVIDENCE))
    return apply_action(state, Rate("O3", "M", "Sovereignty held, but only just"))


@pytest.fixture(scope="module")
def rated(scenario):
    state = play_rated(scenario)
    return state, build_report(state, created="2024-05-01 10:00")


# --- the exercise in the scenario -------------------------------------------------


def test_builtin_scenario_has_an_exercise_with_objectives(scenario):
    ex = scenario.exercise
    assert ex is not None and ex.name and ex.scope
    assert 3 <= len(ex.objectives) <= 5
    assert len({o.id for o in ex.objectives}) == len(ex.objectives)
    assert all(o.text and o.capability for o in ex.objectives)


def _deck_copy(tmp_path, replace: str, by: str):
    folder = tmp_path / "decks"
    shutil.copytree(DECKS, folder)
    text = (folder / "scenario.toml").read_text(encoding="utf-8")
    assert replace in text
    (folder / "scenario.toml").write_text(text.replace(replace, by, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("replace, by, expected", [
    ('[[exercise.objectives]]\nid = "O1"', '[[exercise.objectives]]\nid = "O1"\nweight = 3', "scenario.toml: [exercise]:"),
    ('id = "O2"', 'id = "O1"', 'objective "O1": duplicate id'),
    ('[exercise]\nname = "', '[exercise]\nname = "', None),
])
def test_exercise_loading_is_strict(tmp_path, replace, by, expected):
    folder = _deck_copy(tmp_path, replace, by)
    if expected is None:
        assert load_scenario(folder).exercise.objective("O1") is not None
        return
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder)
    text = "\n".join(err.value.errors)
    assert expected in text and str(folder / "scenario.toml") in text
    if "weight" in by:
        assert "weight" in text


def test_a_scenario_without_exercise_still_loads_and_reports(tmp_path, scenario):
    folder = tmp_path / "decks"
    shutil.copytree(DECKS, folder)
    text = (folder / "scenario.toml").read_text(encoding="utf-8")
    start, end = text.index("[exercise]"), text.index("[rules]")
    (folder / "scenario.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    sc = load_scenario(folder)
    assert sc.exercise is None
    report = build_report(new_game(sc, make_setup(sc, seed=3)))
    assert "The scenario sets no exercise name, scope or objectives" in section(report, "Exercise overview")
    assert "No objectives to analyse" in section(report, "Analysis of objectives")


# --- tagged notes and ratings are facilitator actions -------------------------------


def test_tags_ratings_and_objectives_are_checked(scenario):
    state = new_game(scenario, make_setup(scenario, seed=2, facilitated=True))
    assert "tag is one of" in check(state, Note("x", tag="weakness"))
    assert "unknown objective 'O9'" in check(state, Note("x", tag="strength", objective="O9"))
    assert "a rating is one of: P, S, M, U" in check(state, Rate("O1", "B"))
    assert check(state, Rate("O1", "P")) is None
    bots_only = new_game(scenario, make_setup(scenario, seed=2))
    with pytest.raises(IllegalAction):
        apply_action(bots_only, Rate("O1", "P"))


def test_rating_is_allowed_after_the_game_and_changes_nothing_else(rated):
    state, _ = rated
    assert state.over
    before = copy.deepcopy(state)
    after = apply_action(state, Rate("O2", "P", "fine"))
    assert state == before  # the given state is untouched
    assert after.log[-1].kind == "rating" and after.tracks == state.tracks and after.outcome == state.outcome
    assert check(state, Note("after the end")) == "the game is over"


def test_tags_and_ratings_survive_a_save_and_load(rated, tmp_path):
    state, report = rated
    path = write_save(state, tmp_path / "rated.toml", game_id="g1rated", name="rated")
    loaded = load_save(path).state
    assert loaded.actions == state.actions
    assert build_report(loaded, created="2024-05-01 10:00") == report


# --- the AAR's sections ---------------------------------------------------------------


def test_overview_has_exercise_scope_objectives_scenario_participants(rated, scenario):
    state, report = rated
    top = report.split("\n## ")[0]
    assert f"- **Exercise:** {scenario.exercise.name}" in top
    part = section(report, "Exercise overview")
    assert part.index("**Scope:**") < part.index("### Objectives") < part.index("**Scenario:**") < part.index("### Participants")
    for o in scenario.exercise.objectives:
        assert f"- **{o.id}:** {o.text} (capability: {o.capability})" in part
    assert f"| Ukraine | {TEAM} (human team) |" in part


def test_analysis_rates_each_objective_with_its_findings(rated, scenario):
    state, report = rated
    part = section(report, "Analysis of objectives")
    o1 = part.split("### O1: ")[1].split("\n### ")[0]
    assert f"**Rating:** S (performed with some challenges). Evidence: {EVIDENCE}" in o1
    assert f"- Round 1: {STRENGTH}" in o1.split("**Areas for improvement:**")[0]
    gap = o1.split("**Areas for improvement:**")[1]
    assert f"- Round 2: {GAP}" in gap
    # The decisions that support it: that round's, by whom.
    supporting = gap.split(f"- Round 2: {GAP}\n")[1].splitlines()[0]
    assert supporting.startswith("  - Decisions that round: ")
    round2 = [e for e in state.log if e.round == 2 and e.kind in ("play", "proposal", "answer", "pass", "choice", "response")]
    assert supporting.count("; ") == len(round2) - 1
    # A later rating replaces an earlier one; an objective with no rating says so.
    assert "**Rating:** M (performed with major challenges). Evidence: Sovereignty held, but only just" in part
    assert "an early guess" not in part
    o2 = part.split("### O2: ")[1].split("\n### ")[0]
    assert "**Rating:** not rated." in o2 and "**Strengths:** none noted." in o2
    across = part.split("### Across objectives\n")[1]
    assert f"- Round 2: {ACROSS}" in across and STRENGTH not in across


def test_improvement_plan_rows_come_from_areas_for_improvement(rated):
    _, report = rated
    plan = section(report, "Improvement plan")
    assert "| Objective | Issue (area for improvement) | Corrective action | Owner | Due date |" in plan
    assert f"| O1 | Round 2: {GAP} |  |  |  |" in plan
    assert f"| – | Round 2: {ACROSS} |  |  |  |" in plan
    assert STRENGTH not in plan


def test_improvement_plan_is_a_blank_row_to_fill_without_findings(scenario):
    plan = section(build_report(new_game(scenario, make_setup(scenario, seed=4))), "Improvement plan")
    assert "|  |  |  |  |  |" in plan and "No area for improvement was noted" in plan


def test_tagged_notes_are_told_once(rated):
    state, report = rated
    for text in (STRENGTH, GAP, ACROSS):
        assert report.count(text) == (2 if text != STRENGTH else 1)  # an improvement: analysis and plan
    fac = section(report, "The facilitator's notes")
    assert "3 tagged note(s) are filed in the analysis of objectives above." in fac
    assert STRENGTH not in section(report, "Timeline")


def test_proposals_table_has_every_proposal_and_its_answers(rated, scenario):
    state, report = rated
    part = section(report, "Proposals")
    facts = game_facts(state)
    assert facts.proposals
    rows = [line for line in part.splitlines() if line.startswith("| ") and not line.startswith("| Round")]
    assert len(rows) == len(facts.proposals) == sum(1 for e in state.log if e.kind == "proposal")
    first = facts.proposals[0]
    title = scenario.concession(first.card).title
    assert rows[0].startswith(f"| {first.round} | {scenario.delegation(first.proposer).name} | {title} | ")
    agreed = sum(1 for e in state.log if e.kind == "agreement")
    assert f"{len(facts.proposals)} proposal(s): {agreed} agreed," in part


def test_rationales_are_told_once_and_missing_ones_counted_once(rated):
    state, report = rated
    typed = [e for e in state.log if e.delegation == HUMAN and e.rationale]
    assert typed and all(report.count(f"“{e.rationale}”") == sum(1 for x in typed if x.rationale == e.rationale) for e in typed)
    assert UKR_RATIONALE not in section(report, "Timeline")
    assert report.count("No rationale typed") == 0  # every decision of the team came with one


def test_game_sections_follow_the_exercise_in_order(rated):
    _, report = rated
    order = ["Exercise overview", "Analysis of objectives", "Improvement plan", "Outcome", "History of the tracks and meters",
             "Timeline", "Proposals", "Ceasefire violations", "Decisions by delegation", "The facilitator's notes",
             "Discussion questions for the hotwash"]
    positions = [report.index(f"\n## {h}\n") for h in order]
    assert positions == sorted(positions)


# --- HTML -------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.charts: list[str] = []
        self.polylines = 0
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            self.attrs.append((tag, k, v or ""))
        if tag == "figure":
            self.charts.append(dict(attrs).get("data-value", ""))
        if tag == "polyline":
            self.polylines += 1
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


def test_html_report_is_self_contained_with_one_chart_per_track_and_meter(rated, scenario):
    """One chart per track and meter, then one per delegation's support at home."""
    state, report = rated
    page = build_html_report(state, created="2024-05-01 10:00")
    p = _Page()
    p.feed(page)
    assert page.startswith("<!DOCTYPE html>")
    homes = [f"support:{d}" for d in state.setup.delegations]
    wanted = [k for k in [*scenario.track_ids, *scenario.meter_ids, *homes] if k in state.history]
    assert len(wanted) == len(scenario.track_ids) + len(scenario.meter_ids) + len(homes)
    assert p.charts == wanted and p.tags.count("svg") == len(wanted) == p.polylines
    # Nothing refers to any other file or address.
    assert not [a for a in p.attrs if a[1] in ("src", "href", "xmlns", "xlink:href", "action")]
    assert "http" not in page.lower() and "url(" not in page and "@import" not in page
    assert not {"script", "link", "img", "iframe"} & set(p.tags)
    assert "@media print" in p.style
    # The same content as the Markdown: every section, tables as tables, typed text as text.
    text = " ".join(p.text)
    for heading in ("Exercise overview", "Analysis of objectives", "Improvement plan", "Timeline", "Proposals"):
        assert heading in text
    assert GAP in text and EVIDENCE in text and "table" in p.tags
    assert "```" not in page and "▁" not in page  # the text chart became SVG


def test_html_chart_points_follow_the_history(rated):
    state, _ = rated
    page = build_html_report(state)
    tension = page.split('data-value="tension"')[1].split("</figure>")[0]
    assert f"<title>Tension: {' '.join(str(v) for v in state.history['tension'])}</title>" in tension
    points = tension.split('points="')[1].split('"')[0].split()
    assert len(points) == len(state.history["tension"])
    ys = [float(pt.split(",")[1]) for pt in points]
    # Higher values are drawn higher (smaller y).
    for (a, b), (ya, yb) in zip(zip(state.history["tension"], state.history["tension"][1:]), zip(ys, ys[1:])):
        assert (a < b) == (ya > yb) and (a == b) == (ya == yb)


def test_typed_markup_stays_text_in_html(scenario):
    state = new_game(scenario, make_setup(scenario, seed=5, humans={HUMAN: "<b>Kyiv</b>"}, facilitated=True))
    state = apply_action(state, Note('<script>alert(1)</script> <img src="http://x">'))
    page = build_html_report(state)
    p = _Page()
    p.feed(page)
    assert not {"script", "img", "b"} & set(p.tags)
    assert "&lt;script&gt;" in page


def test_cli_writes_html_and_refuses_an_unknown_format(rated, tmp_path, capsys):
    state, _ = rated
    save = write_save(state, tmp_path / "rated.toml", game_id="g1rated", name="rated")
    out = tmp_path / "hotwash.html"
    assert main(["report", str(save), "--format", "html", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == build_html_report(
        load_save(save).state, created=load_save(save).created.strftime("%Y-%m-%d %H:%M UTC"), title="rated")
    capsys.readouterr()
    assert main(["report", str(save), "--format", "pdf", "--output", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "unknown report format 'pdf'" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()
    # An existing HTML report is kept without --force, like a Markdown one.
    assert main(["report", str(save), "--format", "html", "--output", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_the_timeline_shows_undone_actions_and_round_lengths_and_decisions_their_times(scenario):
    from wargame.engine import current_actor, legal_actions, make_setup, new_game
    from wargame.model import Adjudicate
    from wargame.report import build_report
    from wargame.turnflow import TurnFlow

    minutes = iter(range(0, 600, 1))
    flow = TurnFlow(new_game(scenario, make_setup(scenario, 3, facilitated=True, rounds=2, humans={"ukr": "Kyiv"})),
                    clock=lambda: f"2026-03-01T{10 + (m := next(minutes)) // 60:02d}:{m % 60:02d}:00Z")
    assert not isinstance(flow.apply(Adjudicate("tension", 3, "calm the room")), str)
    assert not isinstance(flow.undo("the wrong track"), str)
    while not flow.state.over:
        actor = current_actor(flow.state)
        options = legal_actions(flow.state, actor)
        action = options[-1]  # a pass, a rejection: a quiet game that lasts its two rounds
        if actor == "ukr":
            action = attrs.evolve(action, text="we hold")
        assert not isinstance(flow.apply(action), str)
    report = build_report(flow.state, created="2026-03-01")
    assert "- **Undone by the facilitator at 10:02 UTC:** The facilitator sets Tension to 3 (calm the room); " \
           "reason: the wrong track." in report
    record = flow.state.record
    assert flow.state.round == 2, (flow.state.outcome, record)
    first_round = (datetime.fromisoformat(record.round_times[1]) - datetime.fromisoformat(record.round_times[0]))
    assert f"### Round 1 ({int(first_round.total_seconds() // 60)} min 0 s, from 10:00 UTC)" in report
    assert "### Round 2 (" in report
    assert re.search(r"- Round 1 \(\d\d:\d\d UTC, after 1 min 0 s\), \w+.*Rationale typed by Kyiv: “we hold”", report)
