"""New game: scenario, who plays each delegation (human team, bot personality, left out), rounds, seed,
and the exercise the game is played for (name, scope, objectives with the capability each tests).

The exercise's fields start from the scenario's `[exercise]` (or the game before's edit of it);
what the facilitator changes goes into the game's setup, and so into the save and the report.
The screen only collects choices; `engine.make_setup` checks them and its
message is shown when something does not fit. The seed is prefilled with a
random one and can be changed, so a game can be repeated.
"""

from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Collapsible, Input, Label, Select, Static

from ...engine import make_setup, new_game
from ...engine.errors import SetupError
from ...model import Exercise, Objective, Scenario, Setup
from ...scenario import ScenarioError, load_scenario
from .. import messages
from ..widgets.footer import KeysFooter

HUMAN = "human"
OUT = "out"


def role_options(scenario: Scenario, delegation: str) -> list[tuple[str, str]]:
    d = scenario.delegation(delegation)
    options = [(f"Bot: {p.name}", f"bot:{p.id}") for p in scenario.personalities_for(delegation)]
    options.append(("Human team", HUMAN))
    if d.optional:
        options.append(("Left out", OUT))
    return options


class DelegationRow(Horizontal):
    """One delegation: who plays it, and the team's name when humans do."""

    def __init__(self, scenario: Scenario, delegation: str, role: str, team: str) -> None:
        super().__init__(classes="delegation-row", id=f"row-{delegation}")
        self.scenario = scenario
        self.delegation = delegation
        self.role = role
        self.team = team

    def compose(self) -> ComposeResult:
        d = self.scenario.delegation(self.delegation)
        yield Label(d.name, classes="row-name")
        yield Select(role_options(self.scenario, self.delegation), value=self.role, allow_blank=False, compact=True,
                     id=f"role-{self.delegation}", classes="row-role")
        yield Input(self.team, placeholder="team name", compact=True, disabled=self.role != HUMAN,
                    id=f"team-{self.delegation}", classes="row-team")

    def on_select_changed(self, event: Select.Changed) -> None:
        self.query_one(Input).disabled = event.value != HUMAN

    def choice(self) -> tuple[str, str]:
        role = self.query_one(Select).value
        return str(role), self.query_one(Input).value.strip()


def stripped(exercise: Optional[Exercise]) -> Optional[Exercise]:
    """The exercise as one-line fields show it: every text without the space around it."""
    if exercise is None:
        return None
    return Exercise(exercise.name.strip(), " ".join(exercise.scope.split()),
                    tuple(Objective(o.id.strip(), o.text.strip(), o.capability.strip()) for o in exercise.objectives))


class ObjectiveRow(Horizontal):
    """One exercise objective: its id, what the room should be able to do, and the capability it tests."""

    def __init__(self, objective: Objective) -> None:
        super().__init__(classes="objective-row")
        self.objective = objective

    def compose(self) -> ComposeResult:
        o = self.objective
        yield Input(o.id, placeholder="id", compact=True, classes="objective-id")
        yield Input(o.text, placeholder="objective: what the room should be able to do", compact=True,
                    classes="objective-text")
        yield Input(o.capability, placeholder="capability or learning goal it tests", compact=True,
                    classes="objective-capability")

    def value(self) -> Optional[Objective]:
        """The objective as typed (None: a row left blank, which is no objective)."""
        oid, text, capability = (i.value.strip() for i in self.query(Input))
        if not (oid or text or capability):
            return None
        return Objective(oid, text, capability)


class SetupScreen(Screen[None]):
    HOLDS_GAME = True  # the game under it waits (no bot moves) while this is open
    BINDINGS = [
        Binding("ctrl+g", "start", "Start the game"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, seed: int, speed: float, previous: Optional[Setup] = None) -> None:
        """`previous`: the setup of the game before, offered again."""
        super().__init__(id="setup")
        self.seed = seed
        self.speed = speed
        self.previous = previous
        self.scenario: Optional[Scenario] = None
        self.loaded_from: Optional[str] = None  # the scenario field's text when the scenario was loaded

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="setup-scroll"):
            yield Static("New game", id="setup-title")
            with Horizontal(classes="field"):
                yield Label("Scenario", classes="field-label")
                yield Input(placeholder="built-in (or a scenario folder; Enter to load it)", compact=True, id="scenario-path")
            yield Static(id="scenario-info")
            yield Static("Who plays each delegation (choose “Human team” for each team in the room)", classes="section")
            yield Vertical(id="delegations")
            yield Static("Game", classes="section")
            with Horizontal(classes="field"):
                yield Label("Rounds", classes="field-label")
                yield Input(type="integer", compact=True, id="rounds", classes="short")
            with Horizontal(classes="field"):
                yield Label("Seed", classes="field-label")
                yield Input(str(self.seed), type="integer", compact=True, id="seed", classes="short")
                yield Static(" the same seed and moves replay the same game", classes="field-note")
            with Horizontal(classes="field"):
                yield Label("Bot speed", classes="field-label")
                yield Input(f"{self.speed:g}", type="number", compact=True, id="speed", classes="short")
                yield Static(" seconds between bot moves", classes="field-note")
            with Horizontal(classes="field"):
                yield Label("", classes="field-label")
                yield Checkbox("Facilitated: injects and events wait for the facilitator", compact=True, id="facilitated")
            with Collapsible(title="Exercise: name, scope and objectives (for the after-action report)",
                             collapsed=True, id="exercise"):
                with Horizontal(classes="field"):
                    yield Label("Name", classes="field-label")
                    yield Input(placeholder="the exercise's name", compact=True, id="exercise-name", classes="wide")
                with Horizontal(classes="field"):
                    yield Label("Scope", classes="field-label")
                    yield Input(placeholder="who plays, how long, what the play covers", compact=True,
                                id="exercise-scope", classes="wide")
                yield Static("Objectives: id · objective · capability or learning goal it tests (a blank row is "
                             "dropped); the facilitator rates each at the end", classes="field-note objectives-note")
                yield Vertical(id="objectives")
                yield Button("Add objective", id="add-objective", compact=True)
            yield Static(id="setup-error")
            with Horizontal(id="setup-buttons"):
                yield Button("Start", id="start", variant="primary", compact=True)
                yield Button("Back", id="back", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self._load(None, self.previous)
        self.query_one("#start", Button).focus()

    def _load(self, path: Optional[str], previous=None) -> bool:
        info = self.query_one("#scenario-info", Static)
        try:
            scenario = load_scenario(path or None)
        except ScenarioError as exc:
            self._error(f"The scenario in {exc.path} has {len(exc.errors)} problem(s): " + "; ".join(exc.errors[:3]))
            return False
        self.scenario = scenario
        self.loaded_from = path or ""
        info.update(f"{scenario.title} · {len(scenario.delegations)} delegations · {scenario.rounds} rounds")
        self.query_one("#rounds", Input).value = str(previous.rounds if previous and previous.scenario_id == scenario.id else scenario.rounds)
        rows = []
        for d in scenario.delegations:
            role, team = f"bot:{d.default_bot}", ""
            if previous is not None and previous.scenario_id == scenario.id:
                if d.id in previous.humans:
                    role, team = HUMAN, previous.humans[d.id] if previous.humans[d.id] != d.name else ""
                elif d.id in previous.bots:
                    role = f"bot:{previous.bots[d.id]}"
                else:
                    role = OUT if d.optional else role
            if role not in {v for _, v in role_options(scenario, d.id)}:
                role = HUMAN
            rows.append(DelegationRow(scenario, d.id, role, team))
        box = self.query_one("#delegations", Vertical)
        box.remove_children()
        box.mount_all(rows)
        same = previous is not None and previous.scenario_id == scenario.id
        self._show_exercise(stripped(previous.exercise if same and previous.exercise else scenario.exercise))
        self._error("")
        return True

    def _show_exercise(self, exercise: Optional[Exercise]) -> None:
        self.query_one("#exercise-name", Input).value = exercise.name if exercise else ""
        self.query_one("#exercise-scope", Input).value = exercise.scope if exercise else ""
        box = self.query_one("#objectives", Vertical)
        box.remove_children()
        box.mount_all([ObjectiveRow(o) for o in (exercise.objectives if exercise else ())])

    async def action_add_objective(self) -> None:
        """A blank objective row, its id the next free one (O1, O2, ...)."""
        taken = {row.value().id for row in self.query(ObjectiveRow) if row.value() is not None}
        n = next(i for i in range(1, 1000) if f"O{i}" not in taken)
        row = ObjectiveRow(Objective(f"O{n}", ""))
        await self.query_one("#objectives", Vertical).mount(row)
        row.query_one(".objective-text", Input).focus()

    def exercise(self) -> Optional[Exercise]:
        """The exercise as the fields give it; None when they give the scenario's, or nothing at all.

        A name is needed once anything is typed (`make_setup` says so)."""
        name = self.query_one("#exercise-name", Input).value.strip()
        scope = " ".join(self.query_one("#exercise-scope", Input).value.split())
        objectives = tuple(o for o in (row.value() for row in self.query(ObjectiveRow)) if o is not None)
        if not (name or scope or objectives):
            return None
        edited = Exercise(name, scope, objectives)
        return None if edited == stripped(self.scenario.exercise) else edited

    def _error(self, message: str) -> None:
        err = self.query_one("#setup-error", Static)
        err.update(message)
        err.display = bool(message)
        if message:
            self.app.bell()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field goes on to the next one, as a form does: only Start (or ctrl+g) starts."""
        event.stop()
        if event.input.id == "scenario-path":
            self._load(event.value.strip())
        self.focus_next()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start":
            self.action_start()
        elif event.button.id == "add-objective":
            await self.action_add_objective()
        else:
            self.action_back()

    def action_back(self) -> None:
        self.post_message(messages.CancelSetup())

    def _number(self, widget_id: str, what: str, cast=int):
        text = self.query_one(f"#{widget_id}", Input).value.strip()
        try:
            return cast(text)
        except ValueError:
            raise SetupError(f"{what} must be a number, not {text!r}") from None

    def action_start(self) -> None:
        path = self.query_one("#scenario-path", Input).value.strip()
        if self.scenario is None or path != self.loaded_from:
            if not self._load(path):
                return
        scenario = self.scenario
        humans: dict[str, str] = {}
        bots: dict[str, str] = {}
        leave_out: list[str] = []
        for row in self.query(DelegationRow):
            role, team = row.choice()
            if role == HUMAN:
                humans[row.delegation] = team
            elif role == OUT:
                leave_out.append(row.delegation)
            else:
                bots[row.delegation] = role.removeprefix("bot:")
        try:
            rounds = self._number("rounds", "Rounds")
            seed = self._number("seed", "The seed")
            speed = self._number("speed", "Bot speed", float)
            if not 0 <= speed <= 10:
                raise SetupError("bot speed must be between 0 and 10 seconds")
            facilitated = self.query_one("#facilitated", Checkbox).value
            setup = make_setup(scenario, seed, rounds=rounds, humans=humans, bots=bots, leave_out=tuple(leave_out),
                               facilitated=facilitated, event_preview=facilitated, exercise=self.exercise())
        except SetupError as exc:
            self._error(str(exc))
            return
        self.post_message(messages.StartGame(new_game(scenario, setup), speed))
