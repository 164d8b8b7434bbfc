"""The facts of a game, as data: what the after-action report tells, read once from the state.

Everything comes from typed fields (log payloads, changes, violations, the
scenario's exercise) and the save's metadata; nothing here parses the log's
sentences or formats text, so the Markdown and the HTML report say the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import attrs
from attrs import frozen

from ..engine import scoring
from ..seats import seat
from ..model import (
    Agreed,
    Answered,
    CounterAnswered,
    Countered,
    CeasefireHeld,
    GameState,
    Inject,
    InjectFired,
    LogEntry,
    Noted,
    Objective,
    Proposed,
    Rated,
    Scenario,
    ViolationRolled,
)

# Log kinds that are a delegation's own decision (not something that happened to it).
DECISION_KINDS = ("play", "proposal", "answer", "counter", "counter_answer", "pass", "discard", "choice", "response")


@frozen
class SaveMeta:
    """What the save adds to the state: its date (as shown), its name, the notes kept with it."""

    created: Optional[str] = None
    title: Optional[str] = None
    notes: str = ""


@frozen
class Decision:
    """One decision of a delegation, with the reason given for it (empty: none typed)."""

    entry: LogEntry
    by_human: bool
    accepted: Optional[bool] = None  # for an answer
    at: str = ""  # the wall-clock time it was made (ISO), when the save has it
    took: Optional[float] = None  # seconds since the action before it (or the round's start)

    @property
    def rationale(self) -> str:
        return self.entry.rationale.strip()


@frozen
class ProposalRecord:
    """A card put to the other delegations, and how each answered."""

    round: int
    proposer: str
    card: str
    to: tuple[str, ...]
    accepted_by: tuple[str, ...]
    rejected_by: tuple[str, ...]
    agreed: bool
    partner: Optional[str] = None  # a package's second card
    side_payment: int = 0  # capital offered to each consenting delegation
    countered_by: Optional[str] = None  # who countered it, with `drop` or `ask`
    drop: Optional[int] = None
    ask: int = 0
    counter_taken: Optional[bool] = None  # the proposer's answer to the counter (None: not yet)


@frozen
class NoteRecord:
    round: int
    text: str
    tag: Optional[str] = None  # "strength" | "improvement"
    objective: Optional[str] = None


@frozen
class RatingRecord:
    round: int
    objective: str
    rating: str
    evidence: str = ""


@frozen
class ObjectiveFindings:
    """An exercise objective with what the facilitator found: its rating, strengths and areas for improvement."""

    objective: Objective
    rating: Optional[RatingRecord]
    strengths: tuple[NoteRecord, ...]
    improvements: tuple[NoteRecord, ...]


@frozen
class InjectRecord:
    inject: Inject
    status: str  # fired | skipped | postponed | not reached
    fired_round: Optional[int] = None
    postponed_to: Optional[int] = None


@attrs.define
class GameFacts:
    """What happened in one game, read once from its state's log and the save's metadata."""

    state: GameState
    scenario: Scenario
    meta: SaveMeta
    rounds_played: int
    scores: dict
    winner: Optional[str]
    decisions: list[Decision]
    proposals: list[ProposalRecord]
    notes: list[NoteRecord]
    ratings: dict[str, RatingRecord]
    findings: list[ObjectiveFindings]
    adjudications: list[LogEntry]
    rejections: list[LogEntry]
    ceasefire_rolls: list[int]
    injects: list[InjectRecord]
    round_lengths: dict[int, float]  # seconds each round lasted, for the rounds the record times

    @property
    def exercise(self):
        """The exercise as played: edited by the facilitator at setup, else the scenario's."""
        return self.state.exercise

    def name(self, delegation: Optional[str]) -> str:
        return self.scenario.name_of(delegation) if delegation else ""

    def team(self, delegation: str) -> Optional[str]:
        """The human team's name for a delegation, or None when a bot plays it."""
        return seat(self.scenario, self.state.setup, delegation).team

    def bot(self, delegation: str) -> tuple[str, Optional[str]]:
        """(personality id, its display name or None) of the bot playing a delegation."""
        s = seat(self.scenario, self.state.setup, delegation)
        return s.personality or "?", s.personality_name

    def decisions_of(self, delegation: str) -> list[Decision]:
        return [d for d in self.decisions if d.entry.delegation == delegation]

    def missing_rationales(self) -> dict[str, int]:
        """Per human team's delegation, how many of its decisions came with no rationale typed."""
        out: dict[str, int] = {}
        for d in self.decisions:
            if d.by_human and not d.rationale:
                out[d.entry.delegation] = out.get(d.entry.delegation, 0) + 1
        return out

    def unfiled(self, tag: str) -> list[NoteRecord]:
        """Tagged notes that name no objective of the exercise: findings across objectives."""
        exercise = self.exercise
        return [n for n in self.notes if n.tag == tag and (exercise is None or exercise.objective(n.objective or "") is None)]

    def round_decisions(self, round_: int) -> list[Decision]:
        return [d for d in self.decisions if d.entry.round == round_]


def _proposals(state: GameState) -> list[ProposalRecord]:
    records: list[dict] = []
    by_card: dict[str, dict] = {}  # the latest proposal of each card: answers and agreement refer to it
    for e in state.log:
        p = e.payload
        if isinstance(p, Proposed):
            by_card[p.card] = {"round": e.round, "proposer": p.delegation, "card": p.card, "to": tuple(p.to),
                               "accepted_by": [], "rejected_by": [], "agreed": False, "partner": p.partner,
                               "side_payment": p.side_payment}
            records.append(by_card[p.card])
        elif isinstance(p, Countered) and p.card in by_card:
            by_card[p.card].update(countered_by=p.delegation, drop=p.drop, ask=p.ask)
        elif isinstance(p, CounterAnswered) and p.card in by_card:
            by_card[p.card]["counter_taken"] = p.accept
            by_card[p.card]["accepted_by" if p.accept else "rejected_by"].append(p.by)
        elif isinstance(p, Answered) and p.card in by_card:
            by_card[p.card]["accepted_by" if p.accept else "rejected_by"].append(p.delegation)
        elif isinstance(p, Agreed) and p.card in by_card:
            by_card[p.card]["agreed"] = True
    return [ProposalRecord(**{**r, "accepted_by": tuple(r["accepted_by"]), "rejected_by": tuple(r["rejected_by"])}) for r in records]


def _injects(state: GameState) -> list[InjectRecord]:
    fired = {e.payload.inject: e.round for e in state.log if isinstance(e.payload, InjectFired)}
    out = []
    for inj in state.scenario.injects:
        done = state.injects_done.get(inj.id)
        if done == "fired":
            out.append(InjectRecord(inj, "fired", fired.get(inj.id)))
        elif done == "skipped":
            out.append(InjectRecord(inj, "skipped"))
        elif inj.id in state.inject_rounds:
            out.append(InjectRecord(inj, "postponed", postponed_to=state.inject_rounds[inj.id]))
        else:
            out.append(InjectRecord(inj, "not reached"))
    return out


def seconds_between(start: str, end: str) -> Optional[float]:
    """Seconds from one ISO time to another; None when either is unknown."""
    if not start or not end:
        return None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def _round_lengths(state: GameState) -> dict[int, float]:
    """Each timed round's length: from its start to the next round's, or to the end (or last action) for the last."""
    record = state.record
    starts = record.round_times
    last = record.ended or next((t for t in reversed(record.action_times) if t), "")
    out = {}
    for r, start in enumerate(starts, 1):
        took = seconds_between(start, starts[r] if r < len(starts) else last)
        if took is not None:
            out[r] = took
    return out


def _timed(state: GameState, decisions: list[Decision]) -> list[Decision]:
    """The decisions with their times: the delegations' actions and their decisions go one for one, in order."""
    record = state.record
    indexed = [i for i, a in enumerate(state.actions) if a.delegation is not None]
    if len(indexed) != len(decisions) or not record.action_times:
        return decisions
    out = []
    for i, d in zip(indexed, decisions):
        at = record.action_times[i] if i < len(record.action_times) else ""
        start = record.round_times[d.entry.round - 1] if 0 < d.entry.round <= len(record.round_times) else ""
        before = record.action_times[i - 1] if 0 < i <= len(record.action_times) else ""
        since = max(before, start) if before and start else (before or start)
        out.append(attrs.evolve(d, at=at, took=seconds_between(since, at)))
    return out


def game_facts(state: GameState, meta: SaveMeta = SaveMeta()) -> GameFacts:
    """The facts of a game (finished or not); `meta` is what its save adds."""
    if state.scenario is None:
        raise ValueError("the game state has no scenario attached; load it through replay or load_save")
    sc = state.scenario
    humans = state.setup.humans
    decisions = [
        Decision(e, e.delegation in humans, e.payload.accept if isinstance(e.payload, (Answered, CounterAnswered)) else None)
        for e in state.log if e.kind in DECISION_KINDS and e.delegation is not None
    ]
    decisions = _timed(state, decisions)
    notes = [NoteRecord(e.round, e.payload.text, e.payload.tag, e.payload.objective) for e in state.log if isinstance(e.payload, Noted)]
    ratings: dict[str, RatingRecord] = {}
    for e in state.log:
        if isinstance(e.payload, Rated):  # a later rating of the same objective replaces the earlier one
            ratings[e.payload.objective] = RatingRecord(e.round, e.payload.objective, e.payload.rating, e.payload.evidence)
    findings = []
    if state.exercise is not None:
        for o in state.exercise.objectives:
            findings.append(ObjectiveFindings(
                o, ratings.get(o.id),
                tuple(n for n in notes if n.objective == o.id and n.tag == "strength"),
                tuple(n for n in notes if n.objective == o.id and n.tag == "improvement"),
            ))
    return GameFacts(
        state=state,
        scenario=sc,
        meta=meta,
        rounds_played=max(0, len(next(iter(state.history.values()), [0])) - 1),
        scores=scoring.scores(state),
        winner=scoring.winner(state),
        decisions=decisions,
        proposals=_proposals(state),
        notes=notes,
        ratings=ratings,
        findings=findings,
        adjudications=[e for e in state.log if e.kind == "adjudication"],
        rejections=[e for e in state.log if isinstance(e.payload, (Answered, CounterAnswered)) and not e.payload.accept],
        ceasefire_rolls=[e.round for e in state.log if isinstance(e.payload, (CeasefireHeld, ViolationRolled))],
        injects=_injects(state),
        round_lengths=_round_lengths(state),
    )
