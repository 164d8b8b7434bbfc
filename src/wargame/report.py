"""The after-action report: a game told back to the room for the hotwash.

A tabletop exercise is judged by its debrief, so the report collects in one
Markdown document what a facilitator needs to lead it: who played, how it
ended and how each delegation did against its (until now secret) agenda, how
the tracks moved round by round, the timeline, the ceasefire violations,
every decision with the rationale the team typed, the facilitator's notes,
and discussion questions drawn from the MSEL and from what happened.

`build_report` is a pure function of the game state (no files, no clock, no
Textual), so the game-over screen shows exactly what `wargame report` writes.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional

from .engine import ceasefire as cf
from .engine import scoring
from .narrate import changes_text, condition_text, describe_effects, sentence
from .atomic import atomic_write
from .errors import UserError
from .model import CAPITAL, Adjudicated, Answered, GameState, InjectFired, LogEntry, Scenario, possessive

__all__ = ["build_report", "cmd_report", "default_report_path", "sparkline", "write_report"]

SPARKS = "▁▂▃▄▅▆▇█"

# How each kind of log entry is labelled in the timeline.
KIND_LABELS = {
    "setup": "Setup",
    "event": "Event",
    "inject": "Inject",
    "choice": "Choice",
    "proposal": "Proposal",
    "answer": "Answer",
    "agreement": "Agreement",
    "play": "Card played",
    "pass": "Pass",
    "discard": "Discard",
    "ceasefire": "Ceasefire check",
    "violation": "Violation",
    "response": "Response",
    "collapse": "Ceasefire collapse",
    "upkeep": "Upkeep",
    "note": "Facilitator's note",
    "adjudication": "Adjudication",
    "end": "End",
}

# Log kinds that are a delegation's own decision (not something that happened to it).
DECISION_KINDS = ("play", "proposal", "answer", "pass", "discard", "choice", "response")
DECISION_LABELS = {
    "play": "Played a card",
    "proposal": "Proposed",
    "answer": "Answered",
    "pass": "Passed",
    "discard": "Discarded a card",
    "choice": "Chose",
    "response": "Responded to a violation",
}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md(text: str) -> str:
    """Free text as one safe Markdown line.

    Team names, rationales and notes are typed by people; a stray `|`, `*` or
    newline must not break the report's tables and lists.
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def sparkline(values: Iterable[int], top: int = 10) -> str:
    """One block character per value on a fixed 0..top scale, so charts of different rows compare."""
    out = []
    for v in values:
        v = max(0, min(top, v))
        out.append(SPARKS[round(v * (len(SPARKS) - 1) / top)] if top else SPARKS[0])
    return "".join(out)


def _signed(n: float) -> str:
    return f"{n:+g}" if n else "0"


class _Facts:
    """What happened, read once from the state's log and action log."""

    def __init__(self, state: GameState) -> None:
        self.state = state
        sc: Scenario = state.scenario
        self.scenario = sc
        self.names = {d.id: d.name for d in sc.delegations}
        answer_entries = [e for e in state.log if isinstance(e.payload, Answered)]
        self.accepted: dict[int, bool] = {id(e): e.payload.accept for e in answer_entries}
        self.rejections = [e for e in answer_entries if not e.payload.accept]
        self.adjudications = [e for e in state.log if e.kind == "adjudication"]
        self.notes = [e for e in state.log if e.kind == "note"]
        self.rolls = [e.round for e in state.log if e.kind in ("ceasefire", "violation")]
        self.rounds_played = max(0, len(next(iter(state.history.values()), [0])) - 1)

    def name(self, delegation: Optional[str]) -> str:
        return self.names.get(delegation or "", delegation or "")

    def who(self, delegation: str) -> str:
        """'Team Kyiv (human team)' or 'bot: Dealmaker (pragmatist)'."""
        setup = self.state.setup
        if delegation in setup.humans:
            return f"{md(setup.humans[delegation])} (human team)"
        pid = setup.bots.get(delegation, "?")
        p = self.scenario.personality(delegation, pid)
        return f"bot: {md(p.name)} ({pid})" if p is not None else f"bot: {pid}"

    def rationale_line(self, e: LogEntry) -> str:
        """The reason behind an entry, said by whom; empty when there is nothing to add."""
        text = e.rationale.strip()
        d = e.delegation
        if e.kind in ("note", "adjudication"):
            return ""  # the reason is already the entry's text
        if d is None or e.kind not in DECISION_KINDS:
            return f"Facilitator's reason: {md(text)}" if text and e.kind == "inject" else ""
        if d in self.state.setup.humans:
            team = md(self.state.setup.humans[d])
            return f"Rationale typed by {team}: “{md(text)}”" if text else f"No rationale typed by {team}."
        return f"Bot's reason: {md(text)}" if text else ""


# --- sections -----------------------------------------------------------------


def _header(f: _Facts, created: Optional[str], title: Optional[str]) -> list[str]:
    s, sc = f.state, f.scenario
    mode = "facilitated (the facilitator fires the injects)" if s.setup.facilitated else "injects fire on schedule"
    left_out = [d.name for d in sc.delegations if d.id not in s.setup.delegations]
    lines = [
        f"# After-action report: {md(title) if title else md(sc.title)}",
        "",
        f"- **Scenario:** {md(sc.title)} (`{sc.id}`)",
        f"- **Date:** {md(created) if created else 'not recorded'}",
        f"- **Seed:** {s.setup.seed}",
        f"- **Rounds:** {f.rounds_played} played of {s.setup.rounds}",
        f"- **Session:** {mode}",
    ]
    if left_out:
        lines.append(f"- **Left out:** {', '.join(left_out)}")
    lines += ["", "## Teams and bots", "", "| Delegation | Played by |", "|---|---|"]
    for d in s.setup.delegations:
        lines.append(f"| {md(f.name(d))} | {f.who(d)} |")
    humans = [f"{md(t)} played {f.name(d)}" if t and t != f.name(d) else f"a team played {f.name(d)}"
              for d, t in s.setup.humans.items()]
    lines += ["", ("Human teams: " + "; ".join(humans) + ".") if humans else "No human teams: a bot-only game."]
    return lines


def _outcome(f: _Facts) -> list[str]:
    s, sc = f.state, f.scenario
    lines = ["", "## Outcome", ""]
    if s.outcome is None:
        lines.append(f"**The game was not finished:** saved in round {s.round} ({s.phase} phase). Scores below are provisional.")
    else:
        lines.append(f"**{scoring.OUTCOME_TEXT[s.outcome]}** (after round {s.round})")
    lines.append("")
    lines.append(
        f"Ceasefire violations: {len(s.violations)}; ceasefire collapses: {s.ceasefire_collapses}; "
        f"monitoring at the end: {s.monitoring}; adjudications: {len(f.adjudications)}."
    )
    lines += [
        "",
        "### Scores against each agenda",
        "",
    ]
    all_scores = scoring.scores(s)
    pars = any(x.par is not None for x in all_scores.values())
    if pars:
        lines += ["| Delegation | Agenda met | Red lines crossed | Settlement bonus or collapse penalty | Total | Par | vs par |",
                  "|---|---:|---|---:|---:|---:|---:|"]
    else:
        lines += ["| Delegation | Agenda met | Red lines crossed | Settlement bonus or collapse penalty | Total |", "|---|---:|---|---:|---:|"]
    for d, sco in all_scores.items():
        crossed = "; ".join(f"“{md(t)}” (-{p})" for t, p in sco.red_lines_crossed) or "none"
        row = f"| {md(f.name(d))} | {sco.agenda:.1f}% | {crossed} | {_signed(sco.settlement_bonus - sco.collapse_penalty)} | {sco.total:g} |"
        if pars:
            row += " – | – |" if sco.par is None else f" {sco.par:g} | {sco.vs_par:+g} |"
        lines.append(row)
    win = scoring.winner(s)
    lines.append("")
    if win is not None:
        ws = all_scores[win]
        how = "" if ws.vs_par is None else f", {ws.vs_par:+g} against its par (the winner is the furthest above par)"
        lines.append(f"**Winner{' so far' if s.outcome is None else ''}:** {md(f.name(win))}, total {ws.total:g}{how}.")
    elif all_scores:
        top = max(scoring.standing(x) for x in all_scores.values())
        tied = [md(f.name(d)) for d, x in all_scores.items() if scoring.standing(x) == top]
        lines.append(f"**No single winner:** {' and '.join(tied)} tie at {top:+g} against par.")
    if pars:
        lines += ["", "Par is the total a delegation usually reaches when bots play the standard setup; agendas "
                  "differ in how much a game can give them, so each team can judge its result for its role."]
        for d in s.setup.humans:
            sco = all_scores.get(d)
            if sco is not None and sco.vs_par is not None:
                gap = f"{abs(sco.vs_par):g} {'above' if sco.vs_par > 0 else 'below'}" if sco.vs_par else "at"
                lines.append(f"- {md(f.name(d))} (human team): {sco.total:g}, {gap} its par of {sco.par:g}{scoring.par_caveat(s)}.")
    lines += ["", "Each delegation's agenda (weights on the final values) and red lines:", ""]
    for d in s.setup.delegations:
        dl = sc.delegation(d)
        high = ", ".join(f"{md(sc.name_of(t))} ×{w}" for t, w in sorted(dl.agenda.items(), key=lambda x: -x[1]) if w > 0)
        low = ", ".join(f"{md(sc.name_of(t))} ×{-w}" for t, w in sorted(dl.agenda.items(), key=lambda x: x[1]) if w < 0)
        parts = []
        if high:
            parts.append(f"wants high {high}")
        if low:
            parts.append(f"wants low {low}")
        red = "; ".join(f"“{md(rl.text)}” ({_red_line_condition(sc, rl)}, -{rl.penalty})" for rl in dl.red_lines)
        lines.append(f"- **{md(dl.name)}:** {'; '.join(parts) or 'no agenda'}." + (f" Red lines: {red}." if red else ""))
    return lines


def _red_line_condition(sc: Scenario, rl) -> str:
    return condition_text(sc, rl.target, rl.at_least, rl.at_most)


def _history_ids(f: _Facts) -> list[str]:
    sc = f.scenario
    return [k for k in [*sc.track_ids, *sc.meter_ids] if k in f.state.history]


def _history(f: _Facts) -> list[str]:
    s, sc = f.state, f.scenario
    ids = _history_ids(f)
    n = f.rounds_played
    lines = ["", "## History of the tracks and meters", ""]
    lines.append("Values at the start and at the end of each round (0–10).")
    lines.append("")
    lines.append("| Track or meter | Start | " + " | ".join(f"R{i}" for i in range(1, n + 1)) + " |" if n else "| Track or meter | Start |")
    lines.append("|---|" + "---:|" * (n + 1))
    for k in ids:
        lines.append(f"| {md(sc.name_of(k))} | " + " | ".join(str(v) for v in s.history[k]) + " |")
    width = max((len(sc.name_of(k)) for k in ids), default=10)
    lines += ["", "```"]
    for k in ids:
        values = s.history[k]
        lines.append(f"{sc.name_of(k):<{width}}  {sparkline(values)}  {' '.join(str(v) for v in values)}")
    lines += [
        "```",
        "",
        f"Each mark is one value on a 0–10 scale (▁ low, █ high), from the start to the last round. "
        f"A ceasefire is in effect at Ceasefire {sc.rules.ceasefire_threshold} or more; a framework agreement needs every "
        f"track at {sc.rules.framework_threshold} or more and Sovereignty at {sc.rules.framework_sovereignty} or more.",
    ]
    return lines


def _entry_lines(f: _Facts, e: LogEntry) -> list[str]:
    label = KIND_LABELS.get(e.kind, e.kind.replace("_", " ").capitalize())
    text = sentence(f.scenario, e)
    if text.startswith(f"{label}: "):  # "Event: ...", "Inject: ...": say it once
        text = text[len(label) + 2:]
    out = [f"- **{label}:** {md(text)}"]
    reason = f.rationale_line(e)
    if reason:
        out.append(f"  - {reason}")
    return out


def _timeline(f: _Facts) -> list[str]:
    s = f.state
    lines = ["", "## Timeline", ""]
    by_round: dict[int, list[LogEntry]] = {}
    for e in s.log:
        if e.kind == "round":
            by_round.setdefault(e.round, [])
            continue
        by_round.setdefault(e.round, []).append(e)
    for r in sorted(by_round):
        entries = by_round[r]
        if r == 0:
            lines.append("### Before the first round")
        else:
            lines.append(f"### Round {r}")
        lines.append("")
        if not entries:
            lines.append("- Nothing happened yet.")
        for e in entries:
            lines += _entry_lines(f, e)
        lines.append("")
    if lines[-1] == "":
        lines.pop()
    return lines


def chance_rule(sc: Scenario) -> str:
    """The violation rule of a scenario, in words for the room."""
    v = sc.violations
    total = sum(x.weight for x in v.sides) or 1
    sides = " or ".join(f"{sc.name_of(x.delegation)} ({x.weight} in {total})" for x in v.sides)
    responses = ", ".join(f"{r.label.lower()}" + (f" (costs {r.cost} capital)" if r.cost else "") for r in v.responses)
    text = (
        f"While Ceasefire is at {sc.rules.ceasefire_threshold} or more, a ceasefire is in effect and at the end of each "
        f"round the game rolls for a violation. The chance is {v.base_chance:.0%}, plus {v.tension_factor:.0%} per point of "
        f"Tension, less {v.monitoring_factor:.0%} per level of Monitoring, never below {v.min_chance:.0%} or above "
        f"{v.max_chance:.0%}. A violation is blamed on {sides}; it moves {describe_effects(sc, v.effects)}, and the injured "
        f"side responds"
    )
    text += f" ({responses})." if responses else "."
    text += (
        f" {v.collapse_after} violations within {v.window} rounds collapse the ceasefire"
        + (f" ({describe_effects(sc, v.collapse_effects)})." if v.collapse_effects else ".")
    )
    return text


def _violations(f: _Facts) -> list[str]:
    s, sc = f.state, f.scenario
    lines = ["", "## Ceasefire violations", "", chance_rule(sc), ""]
    if cf.in_effect(s):
        lines.append(f"At the end a ceasefire was in effect; the chance of a violation stood at {cf.violation_chance(s):.0%} "
                     f"(Tension {s.meters.get('tension', 0)}, Monitoring {s.monitoring}).")
    else:
        lines.append("At the end no ceasefire was in effect.")
    lines.append("")
    if not s.violations:
        peak = max(s.history.get(cf.CEASEFIRE, [0]))
        if not f.rolls:
            lines.append(f"None: the ceasefire never came into effect (Ceasefire peaked at {peak}, it needs "
                         f"{sc.rules.ceasefire_threshold}), so there was nothing to violate.")
        else:
            rounds = ", ".join(str(r) for r in sorted(set(f.rolls)))
            lines.append(f"None: the ceasefire held every round it was in effect (rounds {rounds}).")
        return lines
    responses = {r.id: r.label for r in sc.violations.responses}
    lines += ["| Round | Violator | Injured side | Response | Ceasefire collapsed |", "|---:|---|---|---|---|"]
    for v in s.violations:
        resp = responses.get(v.response, v.response) if v.response else ("none: the game ended" if s.over else "none yet")
        lines.append(f"| {v.round} | {md(f.name(v.violator))} | {md(f.name(v.injured))} | {md(resp)} | {'yes' if v.collapsed else 'no'} |")
    blamed: dict[str, int] = {}
    for v in s.violations:
        blamed[v.violator] = blamed.get(v.violator, 0) + 1
    lines += ["", f"{len(s.violations)} violation(s) in all: " + ", ".join(f"{f.name(d)} blamed for {n}" for d, n in blamed.items())
              + f"; the ceasefire collapsed {s.ceasefire_collapses} time(s)."]
    return lines


def _decisions(f: _Facts) -> list[str]:
    s = f.state
    lines = ["", "## Decisions by delegation", "",
             "Human teams' rationales are quoted as typed; bots' reasons are their one-line explanations.", ""]
    for d in s.setup.delegations:
        entries = [e for e in s.log if e.delegation == d and e.kind in DECISION_KINDS]
        lines.append(f"### {md(f.name(d))} — {f.who(d)}")
        lines.append("")
        counts = {k: sum(1 for e in entries if e.kind == k) for k in DECISION_KINDS}
        accepted = sum(1 for e in entries if e.kind == "answer" and f.accepted.get(id(e)))
        agreed = sum(1 for e in s.log if e.kind == "agreement" and e.delegation == d)
        lines.append(
            f"{counts['play']} card(s) played, {counts['proposal']} proposal(s) made ({agreed} agreed), "
            f"{accepted} accepted and {counts['answer'] - accepted} rejected, {counts['pass']} pass(es), "
            f"{counts['choice']} choice(s), {counts['response']} response(s) to violations."
        )
        lines.append("")
        if not entries:
            lines.append("- No decisions.")
        for e in entries:
            label = DECISION_LABELS[e.kind]
            if e.kind == "answer":
                label = "Accepted" if f.accepted.get(id(e)) else "Rejected"
            lines.append(f"- Round {e.round}, {label.lower()}: {md(sentence(f.scenario, e))}")
            reason = f.rationale_line(e)
            if reason:
                lines.append(f"  - {reason}")
        lines.append("")
    lines.pop()
    return lines


def _facilitator(f: _Facts, save_notes: str = "") -> list[str]:
    sc = f.scenario
    lines = ["", "## The facilitator's notes", ""]
    if f.notes:
        lines += [f"- Round {e.round}: {md(e.payload.text)}" for e in f.notes]
    elif not save_notes.strip():
        lines.append("No notes were taken.")
    if save_notes.strip():
        lines.append(f"- Kept with the save: {md(save_notes)}")
    lines += ["", "### Adjudications", ""]
    if f.adjudications:
        lines += [f"- Round {e.round}: {md(sentence(sc, e))}" for e in f.adjudications]
    else:
        lines.append("None: the facilitator did not set any value by hand.")
    if sc.injects:
        lines += ["", "### Injects (MSEL)", "", "| Inject | Scheduled | What happened |", "|---|---:|---|"]
        for inj in sc.injects:
            lines.append(f"| {md(inj.title)} | round {inj.round} | {_inject_status(f, inj)} |")
    return lines


def _inject_fired_round(f: _Facts, inj) -> Optional[int]:
    for e in f.state.log:
        if isinstance(e.payload, InjectFired) and e.payload.inject == inj.id:
            return e.round
    return None


def _inject_status(f: _Facts, inj) -> str:
    s = f.state
    done = s.injects_done.get(inj.id)
    if done == "fired":
        r = _inject_fired_round(f, inj)
        return f"fired in round {r}" if r is not None else "fired"
    if done == "skipped":
        return "skipped by the facilitator"
    if inj.id in s.inject_rounds:
        return f"postponed to round {s.inject_rounds[inj.id]}, not fired"
    return "not reached"


# --- discussion questions -------------------------------------------------------


def _questions(f: _Facts) -> list[str]:
    s, sc = f.state, f.scenario
    lines = ["", "## Discussion questions for the hotwash", "", "### From the MSEL", ""]
    fired = [inj for inj in sc.injects if s.injects_done.get(inj.id) == "fired" and inj.question]
    if fired:
        for inj in fired:
            r = _inject_fired_round(f, inj)
            when = f" (round {r})" if r is not None else ""
            lines.append(f"- **{md(inj.title)}**{when}: {md(inj.question)}")
    else:
        lines.append("No inject with a question was fired in this game.")
    lines += ["", "### From what happened", ""]
    lines += [f"{i}. {q}" for i, q in enumerate(generated_questions(s), start=1)]
    return lines


def _cause(f: _Facts, e: LogEntry) -> str:
    """A log entry told as a cause: 'Russia played “Press the offensive” (round 2)'."""
    sc = f.scenario
    title = md(sc.concession(e.card).title) if e.card and sc.has_concession(e.card) else ""
    who = md(f.name(e.delegation))
    if e.kind == "play":
        return f"{who} played “{title}” (round {e.round})"
    if e.kind == "agreement":
        return f"“{title}” agreed, proposed by {who} (round {e.round})"
    if e.kind == "answer":
        return f"{who} rejected “{title}” (round {e.round})"
    if e.kind == "response":
        return f"{possessive(who)} response to a violation (round {e.round})"
    if e.kind == "choice":
        return f"{possessive(who)} choice on “{md(sc.event(e.card).title) if e.card and sc.has_event(e.card) else e.card}” (round {e.round})"
    if e.kind == "event" and e.card and sc.has_event(e.card):
        return f"the event “{md(sc.event(e.card).title)}” (round {e.round})"
    if e.kind == "violation":
        return f"a ceasefire violation blamed on {who} (round {e.round})"
    if e.kind == "collapse":
        return f"the collapse of the ceasefire (round {e.round})"
    if e.kind == "upkeep":
        return f"fighting with no ceasefire in effect (round {e.round})"
    if e.kind == "inject":
        return f"an inject (round {e.round})"
    return f"{KIND_LABELS.get(e.kind, e.kind)} (round {e.round})"


CAUSE_KINDS = ("play", "agreement", "answer", "response", "choice", "event", "violation", "collapse", "upkeep", "inject")


def _moved(f: _Facts, target: str, sign: str, limit: int = 3) -> list[str]:
    """The last entries whose changes moved `target` up ('+') or down ('-'): pointers to causes."""
    up = sign == "+"
    out = []
    for e in f.state.log:
        if not any(c.target == target and c.target != CAPITAL and c.delta and (c.delta > 0) == up for c in e.changes):
            continue
        if isinstance(e.payload, Adjudicated):
            out.append(f"the facilitator's adjudication (round {e.round})")
        elif e.kind in CAUSE_KINDS:
            out.append(_cause(f, e))
    return out[-limit:]


def generated_questions(state: GameState) -> list[str]:
    """Questions drawn from this game: its ending, ceasefire, red lines, stalled tracks, rejections, ...

    Each kind is asked only when the game gives it a reason, so the hotwash
    talks about what this room did, not about a generic game.
    """
    f = _Facts(state)
    s, sc = state, state.scenario
    qs: list[str] = []
    thr = sc.rules.framework_threshold

    # How it ended.
    if s.outcome == "collapse":
        causes = _moved(f, "tension", "+")
        qs.append(
            f"Tension reached the top in round {s.round} and the talks collapsed"
            + (f" (among the last moves that raised it: {'; '.join(causes)})" if causes else "")
            + ". Which move pushed it over the edge, and who could have stopped it?"
        )
    elif s.outcome == "settlement":
        qs.append(
            f"A framework agreement was reached in round {s.round}. Which concession made the difference, "
            "and would the agreement survive the first violation?"
        )
    elif s.outcome == "frozen":
        short = [f"{sc.name_of(t)} ({v})" for t, v in s.tracks.items() if v < thr]
        sov = s.meters.get("sovereignty", 0)
        if sov < sc.rules.framework_sovereignty:
            short.append(f"Sovereignty ({sov})")
        qs.append(
            "The rounds ran out without a framework agreement"
            + (f": {', '.join(short)} stayed short" if short else "")
            + ". What would one more round have needed, and who would have had to give it?"
        )

    # The ceasefire.
    collapses = [i for i, v in enumerate(s.violations) if v.collapsed]
    window = sc.violations.window
    for i in collapses:
        v = s.violations[i]
        n = sum(1 for x in s.violations[: i + 1] if x.round > v.round - window)
        qs.append(f"The ceasefire collapsed in round {v.round} after {n} violations in {window} rounds: what would have prevented it?")
    if s.violations and not collapses:
        blamed: dict[str, int] = {}
        for v in s.violations:
            blamed[v.violator] = blamed.get(v.violator, 0) + 1
        resp = {r.id: r.label.lower() for r in sc.violations.responses}
        answers = ", ".join(resp.get(v.response, v.response) for v in s.violations if v.response)
        qs.append(
            f"There were {len(s.violations)} ceasefire violation(s) ("
            + ", ".join(f"{f.name(d)} blamed for {n}" for d, n in blamed.items())
            + ")" + (f", answered with: {answers}" if answers else "")
            + ". Did the responses calm things down or escalate them?"
        )
    retaliations = [v for v in s.violations if v.response == "retaliate"]
    if retaliations:
        who = ", ".join(f"{f.name(v.injured)} in round {v.round}" for v in retaliations)
        qs.append(f"Retaliation after a violation ({who}): what did it win at home, and what did it cost at the table?")
    if not s.violations:
        peak = max(s.history.get(cf.CEASEFIRE, [0]))
        warring = " and ".join(sc.name_of(x.delegation) for x in sc.violations.sides if x.delegation in s.setup.delegations)
        if f.rolls:
            qs.append(
                f"The ceasefire held through {len(set(f.rolls))} round(s) without a single violation (Monitoring {s.monitoring}): "
                "was it luck or design, and what would a first violation have done to it?"
            )
        else:
            qs.append(
                f"The ceasefire never came into effect (Ceasefire peaked at {peak}; it needs {sc.rules.ceasefire_threshold}): "
                f"what did {warring or 'the warring sides'} each need before agreeing to one?"
            )

    # Red lines crossed.
    values = {**s.tracks, **s.meters, "monitoring": s.monitoring}
    for d in s.setup.delegations:
        for rl in sc.delegation(d).red_lines:
            if rl.holds(values[rl.target]):
                continue
            sign = "-" if rl.at_least is not None and values[rl.target] < rl.at_least else "+"
            causes = _moved(f, rl.target, sign)
            qs.append(
                f"{possessive(f.name(d))} red line “{md(rl.text)}” was crossed at the end ({sc.name_of(rl.target)} ended at "
                f"{values[rl.target]}; it needs {_red_line_condition(sc, rl)}; -{rl.penalty} points)"
                + (f". Moves that pushed it there: {'; '.join(causes)}" if causes else "")
                + ". What would it have taken to keep it, and did the other delegations know where the line was?"
            )

    # Tracks that never got far.
    stalled = sorted(
        ((max(s.history[t.id]), t.name) for t in sc.tracks if s.history.get(t.id) and max(s.history[t.id]) < thr),
        key=lambda x: x[0],
    )
    if stalled:
        peak, name = stalled[0]
        others = ", ".join(f"{n} (peak {p})" for p, n in stalled[1:])
        qs.append(
            f"{name} never passed {peak} (the framework needs {thr})"
            + (f", nor did {others} reach it" if others else "")
            + ": what blocked " + ("them" if others else "it") + ", and who could have moved " + ("them" if others else "it") + "?"
        )

    # Rejected proposals.
    if f.rejections:
        listed = "; ".join(
            f"“{md(sc.concession(e.card).title) if e.card and sc.has_concession(e.card) else e.card}” "
            f"(rejected by {f.name(e.delegation)} in round {e.round}"
            + (f": {md(changes_text(sc, e.changes))}" if e.changes else "")
            + ")"
            for e in f.rejections
        )
        qs.append(f"Which rejected proposal cost the most? {len(f.rejections)} proposal(s) were rejected: {listed}.")

    # Trust.
    trust = s.history.get("trust", [])
    if trust and trust[-1] <= trust[0] - 2:
        causes = _moved(f, "trust", "-")
        qs.append(f"Trust fell from {trust[0]} to {trust[-1]}" + (f" (moves that lowered it: {'; '.join(causes)})" if causes else "")
                  + ": which moment broke it, and could it have been rebuilt?")
    elif trust and trust[-1] >= trust[0] + 3:
        qs.append(f"Trust rose from {trust[0]} to {trust[-1]}: which steps built it, and did the harder tracks profit from it?")

    # Sovereignty: the article's red line for Kyiv, and the price of most deals.
    sov = s.history.get("sovereignty", [])
    if sov and sov[-1] < sov[0]:
        causes = _moved(f, "sovereignty", "-")
        qs.append(
            f"Sovereignty went from {sov[0]} to {sov[-1]}"
            + (f" (among the moves that lowered it: {'; '.join(causes)})" if causes else "")
            + ": what came back in return, and was it worth it to the delegations whose red line it is?"
        )

    # The facilitator's hand.
    if f.adjudications:
        reasons: dict[str, int] = {}
        for e in f.adjudications:
            if e.rationale:
                reasons[e.rationale] = reasons.get(e.rationale, 0) + 1
        qs.append(
            f"The facilitator adjudicated {len(f.adjudications)} time(s) ("
            + "; ".join(md(r) + (f" ×{n}" if n > 1 else "") for r, n in reasons.items())
            + "): did the rulings match what would happen in reality, and how would the game have gone without them?"
        )

    # Who did best, and the human teams' own choices.
    all_scores = scoring.scores(s)
    win = scoring.winner(s)
    if win is not None and len(all_scores) > 1:
        low = min(all_scores, key=lambda d: scoring.standing(all_scores[d]))
        qs.append(
            f"{md(f.name(win))} did best against par ({scoring.standing(all_scores[win]):+g} against par) and {md(f.name(low))} worst "
            f"({scoring.standing(all_scores[low]):+g}): did the other delegations see that coming, and was it a fair result?"
        )
    for d, team in s.setup.humans.items():
        n = sum(1 for e in s.log if e.delegation == d and e.kind in DECISION_KINDS)
        qs.append(f"{md(team)} ({f.name(d)}): of your {n} decision(s), which one would you take back, knowing how the game ended?")
    return qs


def build_report(state: GameState, *, created: Optional[str] = None, title: Optional[str] = None, notes: str = "") -> str:
    """The after-action report of a game, as Markdown.

    `created` is the date shown in the header (a save's creation time); `title`
    heads the report (a save's name), the scenario's title by default; `notes`
    are free notes kept with the save, shown with the facilitator's notes.
    Works on an unfinished game too, with provisional scores.
    """
    if state.scenario is None:
        raise ValueError("the game state has no scenario attached; load it through replay or load_save")
    f = _Facts(state)
    lines = _header(f, created, title)
    lines += _outcome(f)
    lines += _history(f)
    lines += _timeline(f)
    lines += _violations(f)
    lines += _decisions(f)
    lines += _facilitator(f, notes)
    lines += _questions(f)
    return "\n".join(lines).rstrip("\n") + "\n"


# --- writing it -----------------------------------------------------------------


def default_report_path(save_path: Path) -> Path:
    """Where the report of a save goes by default: next to it, `NAME.report.md`."""
    save_path = Path(save_path)
    return save_path.with_name(save_path.stem + ".report.md")


def _looks_like_save(path: Path) -> bool:
    """Whether a file is, or was, a wargame save: a report must never replace one.

    A damaged save may not parse, so a file whose start names a save format counts too.
    """
    import tomllib

    try:
        with open(path, "rb") as f:
            data = f.read(64 * 1024 * 1024)
    except OSError:
        return False
    if b"format_version" in data[:4096]:
        return True
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False
    return "integrity" in doc or "snapshot" in doc


def _check_output(path: Path, force: bool = False) -> None:
    """Refuse any --output a report must not be written to; `force` allows replacing a report."""
    try:
        if path.is_symlink():
            raise UserError(f"{path} is a symbolic link; a report is never written through one (give another file name)")
        if path.is_dir():
            raise UserError(f"{path} is a folder; give a file name for the report, like {path / 'report.md'}")
        parent = path.parent
        if not parent.exists():
            raise UserError(f"cannot write {path}: the folder {parent} does not exist")
        if not parent.is_dir():
            raise UserError(f"cannot write {path}: {parent} is not a folder")
        if path.exists():
            if not path.is_file():
                raise UserError(f"{path} is not a regular file (a device, a pipe or a socket); a report is never written to one")
            if _looks_like_save(path):
                raise UserError(f"{path} is a saved game; a report never replaces a save (give another file name)")
            if not force:
                raise UserError(f"{path} already exists; add --force to replace it")
    except OSError as exc:  # a name too long, a folder we may not enter
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_report(text: str, path: Path, *, force: bool = False) -> Path:
    """Write a report atomically (temp file in the same folder, fsync, rename); UserError on failure.

    An existing file is replaced only with `force`, and never a save, a symlink or anything
    that is not a regular file; without `force` the write cannot replace a file that
    appears meanwhile either.
    """
    path = Path(path)
    _check_output(path, force)
    try:
        atomic_write(path, text.encode("utf-8"), replace=force)
    except FileExistsError:
        raise UserError(f"{path} already exists; add --force to replace it") from None
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def _print(text: str) -> None:
    out = sys.stdout
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            out.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
            return
        text = text.encode(encoding, errors="replace").decode(encoding)
    out.write(text)
    out.flush()


def format_time(when) -> Optional[str]:
    """A save's time for the header: 'YYYY-MM-DD HH:MM UTC' (a string is shown as given)."""
    if when is None:
        return None
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return str(when)


def cmd_report(args, saves_dir: Path) -> int:
    """`wargame report SAVE [--output FILE]`: the after-action report of a save."""
    output = Path(args.output) if getattr(args, "output", None) else None
    force = bool(getattr(args, "force", False))
    if output is not None:
        _check_output(output, force)  # refuse a bad --output before the (slower) replay of the save
    from .saves import load_save, resolve_save

    loaded = load_save(resolve_save(args.save, Path(saves_dir)))
    if not loaded.signed:
        print(f"wargame: note: {loaded.path} is not signed here (made on another computer, or edited); "
              "its log replays consistently, but its origin cannot be vouched for", file=sys.stderr)
    text = build_report(
        loaded.state,
        created=format_time(getattr(loaded, "created", None)),
        title=getattr(loaded, "name", None) or None,
        notes=getattr(loaded, "notes", "") or "",
    )
    if output is None:
        _print(text)
    else:
        write_report(text, output, force=force)
        print(f"Report written to {output}")
    return 0
