"""The saves' quick paths read and write what the slow ones do (round 8 of the speed work).

- `document.action_tables` and `document.scenario_table` are the converter's readings;
- `document.integrity_and_signed_body` gives both integrity values from one reading;
- `document.log_json` is the log's canonical JSON as `log_json_reference` defines it.
"""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

from wargame import saves
import attrs

from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game
from wargame.engine.rng import derive_seed
from wargame.model import Adjudicate, Note
from wargame.saves import document
from wargame.simulate import play_game


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "saves"


def drive(state, rnd: random.Random, texts: list[str], steps: int):
    """Random legal moves with the given texts (test-side randomness)."""
    for _ in range(steps):
        if state.over:
            break
        action = rnd.choice(legal_actions(state, current_actor(state)))
        state = apply_action(state, attrs.evolve(action, text=rnd.choice(texts)))
    return state


def games(scenario):
    """Bot games (worded), and facilitated games with notes, adjudications and odd texts."""
    out = [play_game(scenario, make_setup(scenario, derive_seed(5, i)), explain=True) for i in range(4)]
    texts = ['why "not"?', "Київ\nsecond line", "tab\there", "back\\slash \x01 \x7f \u0085", ""]
    for seed in range(3):
        state = new_game(scenario, make_setup(scenario, seed=seed, rounds=4, humans={"ukr": "Team\tKyiv"}, facilitated=True))
        state = apply_action(state, Note(text="Київ\nsecond line", tag="strength"))
        state = drive(state, random.Random(seed), texts, 25)
        if not state.over:
            state = apply_action(state, Adjudicate(target="monitoring", value=2, text='why "not"?'))
        out.append(drive(state, random.Random(seed + 10), texts, 40))
    return out


@pytest.fixture(scope="module")
def saved_texts(scenario, tmp_path_factory):
    folder = tmp_path_factory.mktemp("quick")
    texts = []
    for i, state in enumerate(games(scenario)):
        path = saves.write_save(state, folder / f"g{i}.toml", game_id=f"g{i}", notes="notes\twith a tab")
        texts.append(path.read_text("utf-8"))
    return texts


def test_the_log_json_is_the_reference_reading(scenario):
    states = games(scenario)
    kinds = {type(e.payload).__name__ for s in states for e in s.log}
    assert {"Dealt", "Noted", "Adjudicated", "Proposed", "Agreed"} <= kinds
    for state in states:
        assert document.log_json(state.log) == document.log_json_reference(state.log)


def test_the_log_json_of_a_lone_surrogate_or_a_foreign_record_is_the_reference_reading(scenario):
    state = new_game(scenario, make_setup(scenario, seed=3, facilitated=True))
    state = apply_action(state, Note(text="bad \ud800 paste"))
    assert document.log_json(state.log) == document.log_json_reference(state.log)
    assert "\ufffd".encode() in document.log_json(state.log)
    with pytest.raises(document._NotPlain):
        document._log_plain(object())


def test_one_reading_gives_both_integrity_values(saved_texts):
    for text in saved_texts[:3]:
        doc = tomllib.loads(text)
        assert document.integrity_and_signed_body(doc) == (document.integrity_of(doc), document.signed_body(doc))
        assert doc["integrity"] == document.integrity_of(doc)


def test_the_lazy_tagged_unions_are_cattrs_tagged_unions(scenario):
    """`convert._tagged_union` against cattrs' own strategy, on the same converter otherwise."""
    from cattrs.strategies import configure_tagged_union

    from wargame.convert import error_lines, make_converter
    from wargame.model import Action, Payload

    ours = make_converter()
    theirs = make_converter(eager=True)
    configure_tagged_union(Action, theirs, tag_generator=lambda cls: cls.kind, tag_name="kind")
    configure_tagged_union(Payload, theirs, tag_generator=lambda cls: cls.__name__, tag_name="type")
    states = games(scenario)
    actions = [a for s in states for a in s.actions]
    payloads = [e.payload for s in states for e in s.log]
    assert ours.unstructure(actions, list[Action]) == theirs.unstructure(actions, list[Action])
    assert ours.unstructure(payloads, list[Payload]) == theirs.unstructure(payloads, list[Payload])
    tables = theirs.unstructure(actions, list[Action])
    assert ours.structure(tables, list[Action]) == actions == theirs.structure(tables, list[Action])
    bad = [
        [{"delegation": "usa"}], [{"kind": "nope", "delegation": "usa"}], [{"kind": "pass"}], ["pass"], [3],
        [{"kind": "pass", "delegation": "usa", "extra": 1}], [{"kind": "play", "delegation": "usa", "card": 5}],
    ]
    for value in bad:
        errors = []
        for conv in (ours, theirs):
            with pytest.raises(Exception) as info:
                conv.structure(value, list[Action])
            errors.append((type(info.value), error_lines(info.value, "actions")))
        assert errors[0] == errors[1], value


def test_the_scenario_table_is_the_converters_reading(scenario):
    from wargame.convert import converter

    loaded = [saves.load_save(p).state.scenario for p in sorted(FIXTURES.glob("*.toml"))]
    for s in [scenario, *loaded]:
        expected = document._plain(converter.unstructure(s))
        expected.pop("path", None)
        assert document.scenario_table(s) == expected
        assert document._plain_record(s) is not None
    with pytest.raises(document._NotPlain):
        document._plain_record(object())


def test_a_first_save_registers_no_hook(scenario, tmp_path):
    """cattrs empties its cache of generated hooks whenever one is registered: the game's hooks
    are all registered when the converter is made, and only generated at their first use."""
    from wargame.convert import converter
    from wargame.model import Delegation, Scenario

    converter.structure(document.scenario_table(scenario), Scenario)
    before = converter.get_structure_hook(Scenario), converter.get_structure_hook(Delegation)
    state = play_game(scenario, make_setup(scenario, derive_seed(9, 0)), explain=True)
    path = saves.write_save(state, tmp_path / "a.toml", game_id="a")
    assert saves.load_save(path).state == state
    assert converter.unstructure(state)["round"] == state.round
    assert (converter.get_structure_hook(Scenario), converter.get_structure_hook(Delegation)) == before


def test_the_action_tables_are_the_converters_reading(scenario):
    from wargame.model import PlayCard, Pass

    actions = [a for s in games(scenario) for a in s.actions]
    actions += [PlayCard("usa", "c", "bad \ud800", partner="p", side_payment=2), PlayCard("usa", "c"), Pass("rus", "Київ")]
    assert len({type(a) for a in actions}) >= 8
    tables = document.action_tables(actions)
    assert tables == document._plain(document.save_actions.actions_table(actions))
    assert [list(t) for t in tables] == [list(t) for t in document._plain(document.save_actions.actions_table(actions))]
