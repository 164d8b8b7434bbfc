"""Read a scenario folder of TOML decks into a `Scenario`, strictly.

Every problem is collected and reported at once, each line naming the file,
the card (or table) and the field, so a trainer editing a deck fixes
everything in one pass instead of one error per run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional

import attrs

from .model import (
    CAPITAL,
    MONITORING,
    RANGE,
    ConcessionCard,
    Condition,
    Delegation,
    EventCard,
    Exercise,
    Inject,
    Meter,
    Personality,
    Rules,
    Scenario,
    SupportRules,
    Track,
    VALUE_MAX,
    ViolationRules,
)

REQUIRED_FILES = ("scenario.toml", "delegations.toml", "events.toml", "concessions.toml", "bots.toml")
OPTIONAL_FILES = ("msel.toml",)
REQUIRED_METERS = ("tension", "sovereignty")
# In violation effects and responses, capital may name a side by its role.
ROLE_DELEGATIONS = ("injured", "violator")


class ScenarioError(Exception):
    """A scenario that cannot be played; `errors` holds one readable line each."""

    def __init__(self, path: str, errors: list[str]):
        self.path = path
        self.errors = errors
        super().__init__("\n".join(errors))


def builtin_path() -> Path:
    """The built-in decks: shipped inside the package, or beside `src/` in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "decks"
    if (packaged / "scenario.toml").is_file():
        return packaged
    return here.parent.parent / "decks"


class _Collector:
    def __init__(self, folder: Path):
        self.folder = folder
        self.errors: list[str] = []
        # Sections that could not be read or structured: checks that need them are skipped,
        # so one bad value is reported once, not again by every check that leans on it.
        self.broken: set[str] = set()

    def add(self, file: str, where: str, message: str) -> None:
        self.errors.append(f"{self._rel(file)}: {where}: {message}" if where else f"{self._rel(file)}: {message}")

    def _rel(self, file: str) -> str:
        return str(self.folder / file)

    def structure(self, raw: Any, cls: type, file: str, where: str) -> Any:
        from .convert import converter, error_lines  # here, not at import: `wargame saves` never needs it

        try:
            return converter.structure(raw, cls)
        except Exception as exc:  # noqa: BLE001 - every failure becomes lines
            for line in error_lines(exc, "$"):
                message, _, path = line.rpartition(" @ ")
                if not message:
                    message, path = line, "$"
                field = path[2:] if path.startswith("$.") else ""
                self.add(file, where, f"{message} (field {field})" if field else message)
            return None


def _read(folder: Path, name: str, col: _Collector, required: bool = True) -> Optional[dict]:
    import tomllib  # here, not at import: `wargame saves` never needs it

    path = folder / name
    try:
        is_file = path.is_file()
    except OSError as exc:
        col.add(name, "", f"cannot be read: {exc.strerror or exc}")
        col.broken.add(name)
        return None
    if not is_file:
        if required:
            col.add(name, "", "file is missing")
        return None
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        col.add(name, "", f"TOML syntax error: {exc}")
        col.broken.add(name)
    except RecursionError:
        col.broken.add(name)
        col.add(name, "", "TOML nested too deeply to be a deck")
    except UnicodeDecodeError:
        col.broken.add(name)
        col.add(name, "", "cannot be read: not UTF-8 text")
    except OSError as exc:
        col.broken.add(name)
        col.add(name, "", f"cannot be read: {exc.strerror or exc}")
    return None


def _items(raw: Optional[dict], key: str, file: str, col: _Collector) -> list[tuple[str, Any]]:
    """The array of tables `key` in a file, each with a label for error lines."""
    if raw is None:
        return []
    extra = sorted(set(raw) - {key})
    for k in extra:
        col.add(file, "", f"unknown key {k} (expected only [[{key}]] tables)")
    items = raw.get(key, [])
    if not isinstance(items, list):
        col.add(file, "", f"{key} must be an array of tables [[{key}]]")
        return []
    out = []
    for i, item in enumerate(items):
        ident = item.get("id") if isinstance(item, dict) else None
        label = f'{key} "{ident}"' if isinstance(ident, str) else f"{key} #{i + 1}"
        out.append((label, item))
    return out


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Load and check a scenario folder; raise `ScenarioError` with every problem."""
    folder = Path(path) if path is not None else builtin_path()
    try:
        is_dir = folder.is_dir()
    except OSError as exc:  # a name too long, a folder we may not enter
        raise ScenarioError(str(folder), [f"{folder}: cannot be read: {exc.strerror or exc}"]) from None
    if not is_dir:
        raise ScenarioError(str(folder), [f"{folder}: not a scenario folder (no such directory)"])
    return _read_scenario(folder)


def _read_scenario(folder: Path) -> Scenario:
    col = _Collector(folder)

    head = _read(folder, "scenario.toml", col)
    raw_dels = _read(folder, "delegations.toml", col)
    raw_events = _read(folder, "events.toml", col)
    raw_conc = _read(folder, "concessions.toml", col)
    raw_bots = _read(folder, "bots.toml", col)
    raw_msel = _read(folder, "msel.toml", col, required=False)

    scen_fields: dict[str, Any] = {}
    tracks: list[Track] = []
    meters: list[Meter] = []
    rules = Rules()
    violations = ViolationRules()
    exercise: Optional[Exercise] = None
    support: Optional[SupportRules] = None
    if head is not None:
        allowed = {"id", "title", "description", "rounds", "hand_size", "rules", "tracks", "meters", "violations", "exercise", "support"}
        for k in sorted(set(head) - allowed):
            col.add("scenario.toml", "", f"unknown key {k}")
        for k, t in (("id", str), ("title", str), ("description", str), ("rounds", int), ("hand_size", int)):
            if k not in head:
                col.add("scenario.toml", "", f"required key {k} is missing")
                continue
            v = col.structure(head[k], t, "scenario.toml", k)
            if v is not None:
                scen_fields[k] = v
        r = col.structure(head.get("rules", {}), Rules, "scenario.toml", "[rules]")
        rules = r or rules
        v = col.structure(head.get("violations", {}), ViolationRules, "scenario.toml", "[violations]")
        violations = v or violations
        if v is None:
            col.broken.add("[violations]")
        if "exercise" in head:
            exercise = col.structure(head["exercise"], Exercise, "scenario.toml", "[exercise]")
        if "support" in head:
            support = col.structure(head["support"], SupportRules, "scenario.toml", "[support]")
        for label, item in _items({"tracks": head.get("tracks", [])}, "tracks", "scenario.toml", col):
            t = col.structure(item, Track, "scenario.toml", label.replace("tracks", "track"))
            if t:
                tracks.append(t)
        for label, item in _items({"meters": head.get("meters", [])}, "meters", "scenario.toml", col):
            m = col.structure(item, Meter, "scenario.toml", label.replace("meters", "meter"))
            if m:
                meters.append(m)

    def structure_all(raw: Optional[dict], key: str, cls: type, file: str) -> list:
        out = []
        for label, item in _items(raw, key, file, col):
            obj = col.structure(item, cls, file, label)
            if obj is not None:
                out.append(obj)
        return out

    delegations: list[Delegation] = structure_all(raw_dels, "delegation", Delegation, "delegations.toml")
    events: list[EventCard] = structure_all(raw_events, "event", EventCard, "events.toml")
    concessions: list[ConcessionCard] = structure_all(raw_conc, "concession", ConcessionCard, "concessions.toml")
    personalities: list[Personality] = structure_all(raw_bots, "personality", Personality, "bots.toml")
    injects: list[Inject] = structure_all(raw_msel, "inject", Inject, "msel.toml")

    _check(col, scen_fields, rules, tracks, meters, violations, delegations, events, concessions, personalities, injects)
    _check_exercise(col, exercise)
    _check_support(col, support, delegations)
    if col.errors:
        raise ScenarioError(str(folder), col.errors)
    scenario = Scenario(
        id=scen_fields["id"],
        title=scen_fields["title"],
        description=scen_fields["description"],
        rounds=scen_fields["rounds"],
        hand_size=scen_fields["hand_size"],
        rules=rules,
        tracks=tuple(tracks),
        meters=tuple(meters),
        violations=violations,
        delegations=tuple(delegations),
        events=tuple(events),
        concessions=tuple(concessions),
        personalities=tuple(personalities),
        injects=tuple(injects),
        exercise=exercise,
        support=support,
        path=str(folder),
    )
    _check_playable(col, scenario)
    if col.errors:
        raise ScenarioError(str(folder), col.errors)
    return scenario


class _EmbeddedCollector(_Collector):
    """Lines for a scenario held inside a save: named by the deck file it would come from."""

    def _rel(self, file: str) -> str:
        return f"[scenario] ({file.removesuffix('.toml')})"


def scenario_problems(scenario: Scenario) -> list[str]:
    """Every problem `wargame check` would find in the decks this scenario came from.

    A save carries its scenario as data that anyone could have edited, so loading one
    runs the same checks as a deck folder; an empty list means it can be played.
    """
    col = _EmbeddedCollector(Path())
    head = {"rounds": scenario.rounds, "hand_size": scenario.hand_size}
    _check(
        col, head, scenario.rules, list(scenario.tracks), list(scenario.meters), scenario.violations, list(scenario.delegations),
        list(scenario.events), list(scenario.concessions), list(scenario.personalities), list(scenario.injects),
    )
    _check_exercise(col, scenario.exercise)
    _check_support(col, scenario.support, list(scenario.delegations))
    if not col.errors:
        _check_playable(col, scenario)
    return col.errors


def _check_exercise(col: _Collector, exercise: Optional[Exercise]) -> None:
    """An exercise needs a name, and objectives the facilitator can tell apart and rate."""
    if exercise is None:
        return
    if not exercise.name.strip():
        col.add("scenario.toml", "[exercise]", "the exercise needs a name (field name)")
    for i, o in enumerate(exercise.objectives):
        if not o.id.strip():
            col.add("scenario.toml", "[exercise]", f"an objective needs an id (field objectives[{i}].id)")
        if not o.text.strip():
            col.add("scenario.toml", "[exercise]", f"objective {o.id!r} needs a text (field objectives[{i}].text)")
    for d in _duplicates([o.id for o in exercise.objectives]):
        col.add("scenario.toml", f'objective "{d}"', "duplicate id (field objectives.id)")


def _check_support(col: _Collector, support: Optional[SupportRules], delegations: list[Delegation]) -> None:
    """Support at home: its numbers in range, known delegations, and the low band below the high one."""
    if support is None:
        return
    for field, message in range_problems(support):
        col.add("scenario.toml", "[support]", f"{message} (field {field})")
    ids = {d.id for d in delegations}
    for d in support.start:
        if d not in ids:
            col.add("scenario.toml", "[support]", f"unknown delegation {d!r} (field start.{d})")
    if support.low > support.high:
        col.add("scenario.toml", "[support]", f"low ({support.low}) must not be above high ({support.high}) (field low)")


def _check_playable(col: _Collector, scenario: Scenario) -> None:
    """The last check: the decks must deal a game with the default setup."""
    from .engine import make_setup, new_game

    try:
        new_game(scenario, make_setup(scenario, 0))
    except Exception as exc:  # noqa: BLE001 - whatever fails here is a deck the checks above missed
        col.add("scenario.toml", "", f"the decks cannot start a game: {exc}")


def range_problems(obj: Any, label: str = "") -> list[tuple[str, str]]:
    """(field path, message) for every number of a deck object outside its declared range.

    The ranges are the `RANGE` metadata of the model's fields, so they are written once;
    nested cards and effects are walked, and a table's values are each checked.
    """
    out: list[tuple[str, str]] = []
    for f in attrs.fields(type(obj)):
        value = getattr(obj, f.name)
        path = f"{label}{f.name}"
        bounds = f.metadata.get(RANGE)
        if bounds is not None:
            items = value.items() if isinstance(value, dict) else [("", value)]
            for key, v in items:
                where = f"{path}.{key}" if key else path
                if v is not None and not bounds[0] <= v <= bounds[1]:
                    out.append((where, f"must be between {bounds[0]:g} and {bounds[1]:g}, got {v}"[:160]))
        elif attrs.has(type(value)):
            out += range_problems(value, f"{path}.")
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if attrs.has(type(item)):
                    out += range_problems(item, f"{path}[{i}].")
    return out


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dup = []
    for i in ids:
        if i in seen and i not in dup:
            dup.append(i)
        seen.add(i)
    return dup


def _check(col, head, rules, tracks, meters, violations, delegations, events, concessions, personalities, injects) -> None:
    """Cross-references the structure alone cannot check."""
    value_ids = {t.id for t in tracks} | {m.id for m in meters}
    conditionable = value_ids | {MONITORING}
    del_ids = {d.id for d in delegations}

    for name in ("rounds", "hand_size"):
        low, high = attrs.fields_dict(Scenario)[name].metadata[RANGE]
        if name in head and not low <= head[name] <= high:
            col.add("scenario.toml", "", f"{name} must be between {low} and {high}, got {head[name]} (field {name})")

    def check_ranges(obj: Any, file: str, where: str) -> None:
        for field, message in range_problems(obj):
            col.add(file, where, f"{message} (field {field})")

    check_ranges(rules, "scenario.toml", "[rules]")
    check_ranges(violations, "scenario.toml", "[violations]")
    for t in tracks:
        check_ranges(t, "scenario.toml", f'track "{t.id}"')
    for m in meters:
        check_ranges(m, "scenario.toml", f'meter "{m.id}"')
    for file, label, items in (
        ("delegations.toml", "delegation", delegations),
        ("events.toml", "event", events),
        ("concessions.toml", "concession", concessions),
        ("msel.toml", "inject", injects),
    ):
        for item in items:
            check_ranges(item, file, f'{label} "{item.id}"')
    for p in personalities:
        check_ranges(p, "bots.toml", f'personality "{p.id}" ({p.delegation})')
    if "ceasefire" not in {t.id for t in tracks}:
        col.add("scenario.toml", "", "a track with id 'ceasefire' is required (field tracks)")
    for m in REQUIRED_METERS:
        if m not in {x.id for x in meters}:
            col.add("scenario.toml", "", f"the meter {m!r} is required (field meters)")
    for d in _duplicates([t.id for t in tracks] + [m.id for m in meters]):
        col.add("scenario.toml", f'track or meter "{d}"', "duplicate id (field id)")

    def check_effects(effects, file: str, where: str, field: str, roles: bool = False) -> None:
        for i, e in enumerate(effects or ()):
            f = f"{field}[{i}]"
            if e.target == CAPITAL:
                allowed = del_ids | (set(ROLE_DELEGATIONS) if roles else set())
                if e.delegation is None:
                    col.add(file, where, f"capital needs a delegation (field {f}.delegation)")
                elif e.delegation not in allowed:
                    col.add(file, where, f"unknown delegation {e.delegation!r} (field {f}.delegation)")
            else:
                if e.target not in conditionable:
                    col.add(file, where, f"unknown target {e.target!r}: no such track or meter (field {f}.target)")
                elif abs(e.delta) > VALUE_MAX:
                    col.add(file, where, f"a track or meter moves at most {VALUE_MAX} either way (it runs 0 to {VALUE_MAX}), "
                                         f"got {e.delta} (field {f}.delta)")
                if e.delegation is not None:
                    col.add(file, where, f"delegation is only for capital (field {f}.delegation)")
            if e.when is not None:
                check_condition(e.when, file, where, f"{f}.when")

    def check_condition(c: Condition, file: str, where: str, field: str) -> None:
        if c.target not in conditionable:
            col.add(file, where, f"unknown target {c.target!r} (field {field}.target)")
        if c.at_least is None and c.at_most is None:
            col.add(file, where, f"a condition needs at_least or at_most (field {field})")

    check_effects(rules.rejection_effects, "scenario.toml", "[rules]", "rejection_effects")
    check_effects(violations.effects, "scenario.toml", "[violations]", "effects", roles=True)
    check_effects(violations.collapse_effects, "scenario.toml", "[violations]", "collapse_effects", roles=True)
    for i, s in enumerate(violations.sides):
        if s.delegation not in del_ids:
            col.add("scenario.toml", "[violations]", f"unknown delegation {s.delegation!r} (field sides[{i}].delegation)")
    violations_read = "[violations]" not in col.broken and "scenario.toml" not in col.broken
    if len(violations.sides) < 2 and violations_read:
        col.add("scenario.toml", "[violations]", "at least two warring sides are needed (field sides)")
    response_ids = [r.id for r in violations.responses]
    for d in _duplicates(response_ids):
        col.add("scenario.toml", f'response "{d}"', "duplicate id (field id)")
    if not response_ids and violations_read:
        col.add("scenario.toml", "[violations]", "at least one response is needed (field responses)")
    elif violations_read and all(r.cost > 0 for r in violations.responses):
        col.add("scenario.toml", "[violations]", "at least one response must cost 0, so a side with no capital can answer (field responses)")
    for r in violations.responses:
        check_effects(r.effects, "scenario.toml", f'response "{r.id}"', "effects", roles=True)
    if not 0 <= violations.min_chance <= violations.max_chance <= 1:
        col.add("scenario.toml", "[violations]", "need 0 ≤ min_chance ≤ max_chance ≤ 1 (field min_chance)")

    for d in _duplicates([d.id for d in delegations]):
        col.add("delegations.toml", f'delegation "{d}"', "duplicate id (field id)")
    for d in delegations:
        where = f'delegation "{d.id}"'
        for k in d.agenda:
            if k not in value_ids:
                col.add("delegations.toml", where, f"unknown track or meter {k!r} (field agenda.{k})")
        for i, rl in enumerate(d.red_lines):
            if rl.target not in conditionable:
                col.add("delegations.toml", where, f"unknown target {rl.target!r} (field red_lines[{i}].target)")
            if rl.at_least is None and rl.at_most is None:
                col.add("delegations.toml", where, f"a red line needs at_least or at_most (field red_lines[{i}])")
        if d.capital > d.capital_max:
            col.add("delegations.toml", where, f"capital {d.capital} is above capital_max {d.capital_max} (field capital)")
        if not any(p.delegation == d.id for p in personalities):
            col.add("bots.toml", "", f"delegation {d.id!r} has no [[personality]]: every delegation needs one for its bot")
        elif not any(p.delegation == d.id and p.id == d.default_bot for p in personalities):
            col.add("delegations.toml", where, f"default_bot {d.default_bot!r} is not a personality of this delegation in bots.toml (field default_bot)")
    if len([d for d in delegations if not d.optional]) < 2:
        col.add("delegations.toml", "", "at least two delegations that are not optional are needed")

    for d in _duplicates([e.id for e in events]):
        col.add("events.toml", f'event "{d}"', "duplicate id (field id)")
    for e in events:
        where = f'event "{e.id}"'
        check_effects(e.effects, "events.toml", where, "effects")
        if e.chooser is not None:
            if e.chooser not in del_ids:
                col.add("events.toml", where, f"unknown delegation {e.chooser!r} (field chooser)")
            if len(e.options) < 2:
                col.add("events.toml", where, "a chooser needs at least two options (field options)")
        elif e.options:
            col.add("events.toml", where, "options need a chooser (field chooser)")
        for d in _duplicates([o.id for o in e.options]):
            col.add("events.toml", where, f"duplicate option id {d!r} (field options)")
        for i, o in enumerate(e.options):
            check_effects(o.effects, "events.toml", where, f"options[{i}].effects")
    if not events and "events.toml" not in col.broken:
        col.add("events.toml", "", "at least one [[event]] card is needed")

    for d in _duplicates([c.id for c in concessions]):
        col.add("concessions.toml", f'concession "{d}"', "duplicate id (field id)")
    for c in concessions:
        where = f'concession "{c.id}"'
        if c.delegation not in del_ids:
            col.add("concessions.toml", where, f"unknown delegation {c.delegation!r} (field delegation)")
        for i, x in enumerate(c.consent):
            if x not in del_ids:
                col.add("concessions.toml", where, f"unknown delegation {x!r} (field consent[{i}])")
            elif x == c.delegation:
                col.add("concessions.toml", where, f"a delegation cannot consent to its own card (field consent[{i}])")
        check_effects(c.effects, "concessions.toml", where, "effects")
        check_effects(c.on_reject, "concessions.toml", where, "on_reject")
    for d in delegations:
        if not any(c.delegation == d.id for c in concessions):
            col.add("concessions.toml", "", f"delegation {d.id!r} holds no concession card")

    seen_p = _duplicates([f"{p.delegation}/{p.id}" for p in personalities])
    for d in seen_p:
        col.add("bots.toml", f'personality "{d}"', "duplicate id for this delegation (field id)")
    for p in personalities:
        where = f'personality "{p.id}" ({p.delegation})'
        if p.delegation not in del_ids:
            col.add("bots.toml", where, f"unknown delegation {p.delegation!r} (field delegation)")
        for fld in ("response", "response_when_tense"):
            if getattr(p, fld) not in response_ids and violations_read:
                col.add("bots.toml", where, f"unknown violation response {getattr(p, fld)!r} (field {fld})")
        for i, c in enumerate(p.red_lines):
            check_condition(c, "bots.toml", where, f"red_lines[{i}]")

    event_ids = {e.id for e in events}
    for d in _duplicates([i.id for i in injects]):
        col.add("msel.toml", f'inject "{d}"', "duplicate id (field id)")
    for inj in injects:
        where = f'inject "{inj.id}"'
        if inj.event is not None and inj.event not in event_ids and "events.toml" not in col.broken:
            col.add("msel.toml", where, f"unknown event card {inj.event!r} (field event)")
        if inj.event is None and not inj.effects:
            col.add("msel.toml", where, "an inject needs effects or an event (field effects)")
        check_effects(inj.effects, "msel.toml", where, "effects")
