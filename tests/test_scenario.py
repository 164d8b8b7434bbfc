"""The deck loader and `wargame check`: strict, complete error reports, never a traceback."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from wargame.cli import main
from wargame.scenario import ScenarioError, builtin_path, load_scenario

from conftest import DECKS


@pytest.fixture
def decks_copy(tmp_path):
    dst = tmp_path / "decks"
    shutil.copytree(DECKS, dst)
    return dst


def edit(path, old, new, count=1):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count))


def errors_of(folder):
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    return info.value.errors


def first_id(path, table):
    return re.search(r'\[\[' + table + r'\]\]\s*\nid = "([^"]+)"', path.read_text()).group(1)


def test_builtin_scenario_meets_the_floors(scenario):
    assert {d.id for d in scenario.delegations} == {"usa", "rus", "ukr", "eur", "chn"}
    assert [t.id for t in scenario.tracks] == ["ceasefire", "security", "humanitarian", "diplomacy"]
    assert {"tension", "sovereignty"} <= set(scenario.meter_ids)
    assert len(scenario.events) >= 24 and len(scenario.concessions) >= 30 and len(scenario.injects) >= 6
    assert any(c.consent for c in scenario.concessions)
    for d in scenario.delegations:
        assert {"hardliner", "pragmatist"} <= {p.id for p in scenario.personalities_for(d.id)}
    assert scenario.personality("chn", scenario.delegation("chn").default_bot).id == "mediator"


def test_every_card_names_its_source(scenario):
    # Whether the article contains them is `wargame check decks --article FILE` (tests/test_article.py;
    # .ci/run runs it on these decks when the article is beside the clone).
    for card in [*scenario.events, *scenario.concessions, *scenario.injects]:
        assert card.source.strip(), card.id


def test_builtin_path_finds_the_decks():
    assert (builtin_path() / "scenario.toml").is_file()


def test_check_json_on_the_builtin_scenario(capsys):
    assert main(["check", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True and out["errors"] == []
    c = out["counts"]
    assert c["delegations"] == 5 and c["tracks"] == 4
    assert c["event_cards"] >= 24 and c["concession_cards"] >= 30 and c["injects"] >= 6


def test_misspelt_key_names_file_card_and_field(decks_copy):
    cid = first_id(decks_copy / "concessions.toml", "concession")
    edit(decks_copy / "concessions.toml", "cost =", "cots =")
    errs = errors_of(decks_copy)
    line = next(e for e in errs if "cots" in e)
    assert "concessions.toml" in line and f'concession "{cid}"' in line and "unknown key cots" in line


def test_wrong_types_and_bad_references_are_all_reported_together(decks_copy):
    eid = first_id(decks_copy / "events.toml", "event")
    cid = first_id(decks_copy / "concessions.toml", "concession")
    edit(decks_copy / "concessions.toml", "cost = ", 'cost = "two" # ')
    edit(decks_copy / "events.toml", 'target = "', 'target = "morale_', 1)
    text = (decks_copy / "concessions.toml").read_text()
    last = text.rindex('delegation = "')  # a card other than the one with the bad cost
    (decks_copy / "concessions.toml").write_text(text[:last] + 'delegation = "nato_' + text[last + len('delegation = "'):])
    errs = errors_of(decks_copy)
    assert any(f'concession "{cid}"' in e and "expected an integer" in e and "field cost" in e for e in errs), errs
    assert any("events.toml" in e and f'event "{eid}"' in e and "unknown target 'morale_" in e for e in errs), errs
    assert any("unknown delegation 'nato_" in e and "field delegation" in e for e in errs), errs
    assert len(errs) >= 3


def test_a_string_is_not_a_list(decks_copy):
    text = (decks_copy / "concessions.toml").read_text()
    m = re.search(r'consent = \["(\w+)"[^\]]*\]', text)
    (decks_copy / "concessions.toml").write_text(text.replace(m.group(0), f'consent = "{m.group(1)}"', 1))
    assert any("expected a list" in e and "field consent" in e for e in errors_of(decks_copy))


def test_duplicate_ids_and_effects_on_missing_tracks(decks_copy):
    cid = first_id(decks_copy / "concessions.toml", "concession")
    second = re.findall(r'\[\[concession\]\]\s*\nid = "([^"]+)"', (decks_copy / "concessions.toml").read_text())[1]
    edit(decks_copy / "concessions.toml", f'id = "{second}"', f'id = "{cid}"')
    edit(decks_copy / "msel.toml", 'round = ', 'round = 0 # ', 1)
    errs = errors_of(decks_copy)
    assert any(f'concession "{cid}"' in e and "duplicate id" in e for e in errs)
    assert any("msel.toml" in e and "must be between 1 and 99, got 0 (field round)" in e for e in errs)


def test_check_cli_reports_syntax_errors_without_traceback(decks_copy):
    with (decks_copy / "events.toml").open("a") as f:
        f.write("\n[[event]\nid = broken\n")
    run = subprocess.run([sys.executable, "-m", "wargame", "check", str(decks_copy)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "events.toml" in run.stderr and "TOML syntax error" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_check_cli_json_on_a_broken_copy(decks_copy, capsys):
    edit(decks_copy / "scenario.toml", "hand_size", "handsize")
    assert main(["check", "--json", str(decks_copy)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and any("handsize" in e for e in out["errors"])


def test_missing_folder_and_missing_file(tmp_path, decks_copy, capsys):
    assert main(["check", str(tmp_path / "nope")]) == 1
    assert "not a scenario folder" in capsys.readouterr().err
    (decks_copy / "bots.toml").unlink()
    assert any("bots.toml" in e and "missing" in e for e in errors_of(decks_copy))


def test_bad_cli_arguments_exit_1(capsys):
    with pytest.raises(SystemExit) as info:
        main(["simulate", "--games", "zero"])
    assert info.value.code == 1
    assert "expected a whole number" in capsys.readouterr().err


def test_a_track_move_beyond_the_track_is_named_but_capital_may_be_large(decks_copy):
    """A typo like `delta = 42` on a 0-10 meter used to pass `wargame check` (the field's range is
    capital's, up to 99)."""
    text = (decks_copy / "concessions.toml").read_text("utf-8")
    card = re.findall(r'^id = "([^"]+)"', text[: text.index('{ target = "nato", delta = 2 }')], flags=re.M)[-1]
    edit(decks_copy / "concessions.toml", '{ target = "nato", delta = 2 }', '{ target = "nato", delta = 42 }')
    errors = errors_of(decks_copy)
    assert any("concessions.toml" in e and f'"{card}"' in e and "42" in e and ".delta)" in e for e in errors), errors
    assert len(errors) == 1
    edit(decks_copy / "concessions.toml", '{ target = "nato", delta = 42 }', '{ target = "nato", delta = -10 }')
    assert load_scenario(decks_copy)
    first = re.search(r'target = "capital", delegation = "(\w+)", delta = (-?\d+)', text)
    edit(decks_copy / "concessions.toml", first.group(0), f'target = "capital", delegation = "{first.group(1)}", delta = 40')
    assert load_scenario(decks_copy)


def test_a_par_out_of_range_is_named(decks_copy):
    rus_par = re.search(r'id = "rus"\n(?:.*\n)*?(par = \S+)', (decks_copy / "delegations.toml").read_text("utf-8")).group(1)
    edit(decks_copy / "delegations.toml", rus_par, "par = 460")
    assert any('delegation "rus"' in e and "field par" in e and "460" in e for e in errors_of(decks_copy))
    edit(decks_copy / "delegations.toml", "par = 460", 'par = "high"')
    assert any('delegation "rus"' in e and "field par" in e for e in errors_of(decks_copy))
