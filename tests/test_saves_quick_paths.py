"""The saves' quick paths read and write what the slow ones do (round 8 of the speed work).

- `toml_subset.loads` gives tomllib's parse of a save's head, or gives up (None);
- `toml_subset.dumps_flat` writes what tomli_w writes for an action's table;
- `document.log_json` is the log's canonical JSON as `log_json_reference` defines it.
"""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame import saves
import attrs

from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game
from wargame.engine.rng import derive_seed
from wargame.model import Adjudicate, Note
from wargame.saves import document, toml_subset
from wargame.simulate import play_game


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "saves"
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def head_of(text: str) -> str:
    """What the load parses with `toml_subset`: the text before the [scenario] table."""
    return text[: text.rfind("\n[scenario]\n") + 1]


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


def test_the_quick_reader_reads_every_save_head_as_tomllib_does(saved_texts):
    heads = [head_of(t) for t in saved_texts] + [head_of(p.read_text("utf-8")) for p in sorted(FIXTURES.glob("*.toml"))]
    assert len(heads) >= 12
    for head in heads:
        quick = toml_subset.loads(head)
        assert quick is not None, "a save's head is in the subset"
        assert quick == tomllib.loads(head)


def test_the_quick_reader_reads_whole_saves_with_their_scenario_as_tomllib_does(saved_texts):
    for text in saved_texts[:2] + [p.read_text("utf-8") for p in sorted(FIXTURES.glob("*.toml"))]:
        quick = toml_subset.loads(text)
        assert quick is not None and quick == tomllib.loads(text)


def test_the_quick_reader_gives_up_on_what_is_outside_the_subset():
    for text in (
        "a = inf\n", "a = 1.\n", "a = .5\n", "a = 1e\n", "a = 'lit'\n", 'a = """x"""\n', "a = 1 # c\n", "a.b = 1\n", "a  = 1\n", "  a = 1\n",
        "a = 1\na = 2\n", "[t]\n[t]\n", "[t.u]\n", "a = 1\n[a]\n", "a = +1\n", "a = 01\n", "a = 1_0\n",
        'a = "\\uD800"\n', 'a = "\\U0001F600"\n', "a = [\n    1,\n", "a = [\n    [\n", "a = 1\r\n",
        '[[x]]\n[x]\n', 'x = []\n[[x]]\n', "a = { b = 1, }\n", "a = { b = 1, b = 2 }\n", "a = 100000000000000000000\n",
    ):
        assert toml_subset.loads(text) is None, text


def _mutations():
    return st.tuples(st.integers(0, 10**6), st.integers(0, 3), st.text(alphabet=st.sampled_from('"\\ =[]{},.\n\t\x00#u1a-'), max_size=3))


# Every construct the quick reader takes, in a few lines, so that a mutation hits them often.
SMALL = (
    'format_version = 4\n# a comment\nname = "a \\"b\\" \\u001b\tc"\nn = -12\nok = true\nnone = []\n'
    'pairs = [\n    [\n        "x",\n        "y",\n    ],\n]\n\n[setup]\nseed = 0\n\n[setup.humans]\n"a:b" = "c"\n\n'
    '[[actions]]\nkind = "pass"\n\n[[actions]]\nkind = "note"\n\n[snapshot]\nv = [\n    { round = 8, who = "r, }" },\n    {},\n]\n\n'
    '[scenario]\nx = 0.05\ny = -1e-05\nz = 2.5E+20\n\n[[scenario.events]]\nid = "a"\neffects = [\n'
    '    { target = "t", delta = -1, when = { target = "d", at_least = 5 }, none = [] },\n]\n\n'
    '[[scenario.events.options]]\nid = "o"\n\n[scenario.events.rules]\nn = 1\n\n[[scenario.events]]\nid = "b"\n'
)


def test_the_small_head_is_in_the_subset():
    assert toml_subset.loads(SMALL) == tomllib.loads(SMALL)


@SETTINGS
@given(edits=st.lists(_mutations(), min_size=1, max_size=3), small=st.booleans())
def test_a_mutated_head_reads_as_tomllib_reads_it_or_not_at_all(saved_texts, edits, small):
    text = SMALL if small else head_of(saved_texts[-1])
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut:]
    quick = toml_subset.loads(text)
    try:
        slow = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert quick is None
        return
    assert quick is None or quick == slow


@SETTINGS
@given(value=st.text(), key=st.text(min_size=1, max_size=8), number=st.integers(-(2**63), 2**63 - 1), flag=st.booleans())
def test_the_quick_writer_writes_what_tomli_w_writes(value, key, number, flag):
    table = {"kind": "note", key: value, "n": number, "flag": flag} if key not in ("kind", "n", "flag") else {"kind": value}
    text = toml_subset.dumps_flat(table)
    assert text == tomli_w.dumps(table)
    assert tomllib.loads(text) == table == toml_subset.loads(text)


def test_the_quick_writer_leaves_other_tables_to_tomli_w():
    assert toml_subset.dumps_flat({"a": 1.5}) is None  # floats are not an action's
    assert toml_subset.dumps_flat({"a": [1]}) is None
    assert toml_subset.dumps_flat({"a": {"b": 1}}) is None


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


_scalars = st.text() | st.integers(-(2**63), 2**63 - 1) | st.booleans() | st.floats(allow_nan=False)
_keys = st.text(max_size=6)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4), max_leaves=12)


@SETTINGS
@given(table=st.dictionaries(_keys, _values, max_size=6))
def test_the_quick_writer_writes_any_table_as_tomli_w_does(table):
    assert toml_subset.dumps(table) == tomli_w.dumps(table)


def test_the_quick_writer_writes_every_part_of_a_save_as_tomli_w_does(scenario, saved_texts):
    parts = [tomllib.loads(text) for text in saved_texts[:3]]
    parts.append({"scenario": tomllib.loads(saved_texts[0])["scenario"]})
    for doc in parts:
        for key, value in doc.items():
            table = {key: value}
            assert toml_subset.dumps(table) == tomli_w.dumps(table)
        assert toml_subset.dumps(doc) == tomli_w.dumps(doc)
    assert toml_subset.dumps({"a": object()}) is None


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


def test_deep_nesting_is_left_to_tomllib():
    deep = "a = " + "{ b = " * 50 + "1" + " }" * 50 + "\n"
    assert toml_subset.loads(deep) is None
    assert toml_subset.loads("a = " + "{ b = " * 3 + "1" + " }" * 3 + "\n") == {"a": {"b": {"b": {"b": 1}}}}
    arrays = "a = [\n" + "".join("    " * d + "[\n" for d in range(1, 7)) + "\n"
    assert toml_subset.loads(arrays) is None


def test_the_action_tables_are_the_converters_reading(scenario):
    from wargame.model import PlayCard, Pass

    actions = [a for s in games(scenario) for a in s.actions]
    actions += [PlayCard("usa", "c", "bad \ud800", partner="p", side_payment=2), PlayCard("usa", "c"), Pass("rus", "Київ")]
    assert len({type(a) for a in actions}) >= 8
    tables = document.action_tables(actions)
    assert tables == document._plain(document.save_actions.actions_table(actions))
    assert [list(t) for t in tables] == [list(t) for t in document._plain(document.save_actions.actions_table(actions))]
