"""The after-action report in Markdown, in the shape of HSEEP's AAR/IP.

First the exercise (overview, analysis per objective, improvement plan), then
the game (outcome, scores, track history, timeline, proposals, violations,
decisions with rationale, the facilitator's record, hotwash questions). Each
fact is told once. Every section is rendered from `GameFacts`; the HTML report
renders the same sections.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Optional

from attrs import frozen

from ..engine import ceasefire as cf
from ..engine import scoring, support
from ..model import RATINGS, GameState, LogEntry, Scenario
from ..narrate import action_sentence, condition_text, counter_terms, describe_effects, sentence
from ..text import sparkline
from .escape import md
from .facts import Decision, GameFacts, NoteRecord, SaveMeta, game_facts
from .questions import questions_from


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
    "adjudication": "Adjudication",
    "end": "End",
}
# Kept out of the timeline: told in the analysis of objectives and the facilitator's section.
NOT_IN_TIMELINE = ("round", "note", "rating")


@frozen
class Section:
    """One part of the report: `key` names it for the HTML report (which draws charts for "history-chart")."""

    key: str
    lines: list[str]


def _signed(n: float) -> str:
    return f"{n:+g}" if n else "0"


def who(f: GameFacts, delegation: str) -> str:
    """'Team Kyiv (human team)' or 'bot: Dealmaker (pragmatist)'."""
    team = f.team(delegation)
    if team is not None:
        return f"{md(team)} (human team)"
    pid, name = f.bot(delegation)
    return f"bot: {md(name)} ({pid})" if name is not None else f"bot: {pid}"


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


# --- the exercise -------------------------------------------------------------------


def _header(f: GameFacts) -> list[str]:
    s, sc, meta = f.state, f.scenario, f.meta
    mode = "facilitated (the facilitator fires the injects)" if s.setup.facilitated else "injects fire on schedule"
    left_out = [d.name for d in sc.delegations if d.id not in s.setup.delegations]
    exercise = s.exercise
    lines = [
        f"# After-action report: {md(meta.title) if meta.title else md(sc.title)}",
        "",
        "After-action report and improvement plan (AAR/IP), in the shape HSEEP gives it: the exercise first, then the game.",
        "",
        f"- **Exercise:** {md(exercise.name) if exercise else 'not named (the scenario sets no [exercise])'}",
        f"- **Scenario:** {md(sc.title)} (`{sc.id}`)",
        f"- **Date:** {md(meta.created) if meta.created else 'not recorded'}",
        f"- **Seed:** {s.setup.seed}",
        f"- **Rounds:** {f.rounds_played} played of {s.setup.rounds}",
        f"- **Session:** {mode}",
    ]
    if left_out:
        lines.append(f"- **Left out:** {', '.join(left_out)}")
    return lines


def _overview(f: GameFacts) -> list[str]:
    s, sc = f.state, f.scenario
    exercise = s.exercise
    lines = ["", "## Exercise overview", ""]
    if exercise is None:
        lines += ["The scenario sets no exercise name, scope or objectives (an `[exercise]` table in scenario.toml; "
                  "see docs/deck-format.md).", ""]
    else:
        if exercise.scope.strip():
            lines += [f"**Scope:** {md(exercise.scope)}", ""]
        lines += ["### Objectives", ""]
        if not exercise.objectives:
            lines.append("The exercise lists no objectives.")
        for o in exercise.objectives:
            lines.append(f"- **{md(o.id)}:** {md(o.text)}" + (f" (capability: {md(o.capability)})" if o.capability else ""))
        lines.append("")
    lines += [f"**Scenario:** {md(sc.title)}. {md(sc.description)}", "", "### Participants", "",
              "| Delegation | Played by |", "|---|---|"]
    for d in s.setup.delegations:
        lines.append(f"| {md(f.name(d))} | {who(f, d)} |")
    humans = [f"{md(t)} played {f.name(d)}" if t and t != f.name(d) else f"a team played {f.name(d)}"
              for d, t in s.setup.humans.items()]
    lines += ["", ("Human teams: " + "; ".join(humans) + ".") if humans else "No human teams: a bot-only game."]
    return lines


def _decision_text(f: GameFacts, d: Decision) -> str:
    """A decision in a few words: 'played “Humanitarian corridor”', 'rejected “…”', 'passed'."""
    e, sc = d.entry, f.scenario
    p = e.payload
    title = md(sc.concession(e.card).title) if e.card and sc.has_concession(e.card) else md(e.card or "")
    if e.kind == "play":
        return f"played “{title}”"
    if e.kind == "proposal":
        return f"proposed “{title}” to {', '.join(md(f.name(x)) for x in p.to)}"
    if e.kind == "answer":
        return f"{'accepted' if d.accepted else 'rejected'} “{title}”"
    if e.kind == "counter":
        return f"countered “{title}”, {md(counter_terms(sc, p.card, p.partner, p.drop, p.ask, p.proposer))}"
    if e.kind == "counter_answer":
        return f"{'took' if d.accepted else 'turned down'} {md(f.name(p.by))}'s counter to “{title}”"
    if e.kind == "pass":
        return "passed"
    if e.kind == "choice":
        event = sc.event(e.card) if e.card and sc.has_event(e.card) else None
        option = next((o.label for o in event.options if o.id == p.option), p.option) if event else p.option
        return f"chose “{md(option)}” on “{md(event.title) if event else md(e.card or '')}”"
    if e.kind == "response":
        response = sc.violations.response(p.response)
        return f"responded to a violation: {md(response.label if response else p.response)}"
    return md(sentence(sc, e))


def _rating_line(f: GameFacts, objective_id: str) -> str:
    r = f.ratings.get(objective_id)
    if r is None:
        return "**Rating:** not rated."
    return f"**Rating:** {r.rating} ({RATINGS[r.rating]})" + (f". Evidence: {md(r.evidence)}" if r.evidence else ".")


def _note_lines(f: GameFacts, notes: Iterable[NoteRecord], with_decisions: bool = False) -> list[str]:
    lines = []
    for n in notes:
        lines.append(f"- Round {n.round}: {md(n.text)}")
        if with_decisions:
            said = [f"{md(f.name(d.entry.delegation))} {_decision_text(f, d)}" for d in f.round_decisions(n.round)]
            if said:
                lines.append(f"  - Decisions that round: {'; '.join(said)}.")
    return lines


def _findings(title: str, f: GameFacts, notes: list[NoteRecord], with_decisions: bool = False) -> list[str]:
    if not notes:
        return [f"**{title}:** none noted.", ""]
    return [f"**{title}:**", "", *_note_lines(f, notes, with_decisions), ""]


def _analysis(f: GameFacts) -> list[str]:
    lines = ["", "## Analysis of objectives", ""]
    lines.append("The facilitator rates each objective P (performed without challenges), S (with some challenges), "
                 "M (with major challenges) or U (unable to be performed), and files tagged notes under it.")
    lines.append("")
    if not f.findings:
        lines += ["No objectives to analyse: the scenario sets none.", ""]
    for x in f.findings:
        o = x.objective
        lines += [f"### {md(o.id)}: {md(o.text)}", "", _rating_line(f, o.id), ""]
        lines += _findings("Strengths", f, list(x.strengths))
        lines += _findings("Areas for improvement", f, list(x.improvements), with_decisions=True)
    strengths, improvements = f.unfiled("strength"), f.unfiled("improvement")
    if strengths or improvements:
        lines += ["### Across objectives", ""]
        lines += _findings("Strengths", f, strengths)
        lines += _findings("Areas for improvement", f, improvements, with_decisions=True)
    lines.pop()
    return lines


def _improvement_plan(f: GameFacts) -> list[str]:
    lines = ["", "## Improvement plan", "",
             "One row per area for improvement; the corrective action, owner and due date are left for the room to fill in.", "",
             "| Objective | Issue (area for improvement) | Corrective action | Owner | Due date |", "|---|---|---|---|---|"]
    items = [n for n in f.notes if n.tag == "improvement"]
    for n in items:
        known = f.state.exercise is not None and f.state.exercise.objective(n.objective or "") is not None
        lines.append(f"| {md(n.objective) if known else '–'} | Round {n.round}: {md(n.text)} |  |  |  |")
    if not items:
        lines += ["|  |  |  |  |  |", "", "No area for improvement was noted during play; add the room's at the debrief."]
    return lines


# --- the game -------------------------------------------------------------------------


def _outcome(f: GameFacts) -> list[str]:
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
    lines += ["", "### Scores against each agenda", ""]
    all_scores = f.scores
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
    win = f.winner
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
        parts = ([f"wants high {high}"] if high else []) + ([f"wants low {low}"] if low else [])
        red = "; ".join(f"“{md(rl.text)}” ({condition_text(sc, rl.target, rl.at_least, rl.at_most)}, −{rl.penalty})"
                        for rl in dl.red_lines)
        lines.append(f"- **{md(dl.name)}:** {'; '.join(parts) or 'no agenda'}." + (f" Red lines: {red}." if red else ""))
    return lines


def history_ids(f: GameFacts) -> list[str]:
    """The tracks and meters with a history, in the scenario's order, then each delegation's
    support at home: one row (and one chart) each."""
    sc = f.scenario
    homes = [support.history_key(d) for d in f.state.setup.delegations]
    return [k for k in [*sc.track_ids, *sc.meter_ids, *homes] if k in f.state.history]


def history_name(f: GameFacts, key: str) -> str:
    """A history row's name: the track's or meter's, or "Support at home: Russia"."""
    for d in f.state.support:
        if key == support.history_key(d):
            return f"Support at home: {f.scenario.delegation(d).name}"
    return f.scenario.name_of(key)


def _history(f: GameFacts) -> list[str]:
    s = f.state
    n = f.rounds_played
    homes = " Support at home is each delegation's (0–10): at its low band it refills less capital, at its high band more." if s.support else ""
    lines = ["", "## History of the tracks and meters", "", f"Values at the start and at the end of each round (0–10).{homes}", ""]
    lines.append("| Track or meter | Start | " + " | ".join(f"R{i}" for i in range(1, n + 1)) + " |" if n else "| Track or meter | Start |")
    lines.append("|---|" + "---:|" * (n + 1))
    for k in history_ids(f):
        lines.append(f"| {md(history_name(f, k))} | " + " | ".join(str(v) for v in s.history[k]) + " |")
    return lines


def _history_sparks(f: GameFacts) -> list[str]:
    s = f.state
    ids = history_ids(f)
    width = max((len(history_name(f, k)) for k in ids), default=10)
    lines = ["", "```"]
    for k in ids:
        values = s.history[k]
        lines.append(f"{history_name(f, k):<{width}}  {sparkline(values)}  {' '.join(str(v) for v in values)}")
    return lines + ["```", "", "Each mark is one value on a 0–10 scale (▁ low, █ high), from the start to the last round."]


def _thresholds(f: GameFacts) -> list[str]:
    r = f.scenario.rules
    return ["", f"A ceasefire is in effect at Ceasefire {r.ceasefire_threshold} or more; a framework agreement needs every "
                f"track at {r.framework_threshold} or more and Sovereignty at {r.framework_sovereignty} or more."]


def _entry_lines(f: GameFacts, e: LogEntry) -> list[str]:
    label = KIND_LABELS.get(e.kind, e.kind.replace("_", " ").capitalize())
    text = sentence(f.scenario, e)
    if text.startswith(f"{label}: "):  # "Event: ...", "Inject: ...": say it once
        text = text[len(label) + 2:]
    out = [f"- **{label}:** {md(text)}"]
    if e.kind == "inject" and e.rationale.strip():  # a delegation's reasons are told with its decisions
        out.append(f"  - Facilitator's reason: {md(e.rationale.strip())}")
    return out


def duration(seconds: float) -> str:
    """'12 min 5 s', '40 s', '1 h 3 min': a length of time as the room says it."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def clock_time(iso_time: str) -> str:
    """'10:04 UTC' from an ISO time of the record."""
    return datetime.fromisoformat(iso_time).strftime("%H:%M UTC")


def _round_heading(f: GameFacts, r: int) -> str:
    if r == 0:
        return "### Before the first round"
    record = f.state.record
    length = f.round_lengths.get(r)
    if length is None:
        return f"### Round {r}"
    return f"### Round {r} ({duration(length)}, from {clock_time(record.round_times[r - 1])})"


def _undone_lines(f: GameFacts, round_: int) -> list[str]:
    out = []
    for u in f.state.record.undone:
        if u.round == round_:
            when = f" at {clock_time(u.at)}" if u.at else ""
            reason = f"; reason: {md(u.reason)}" if u.reason else "; no reason given"
            out.append(f"- **Undone by the facilitator{when}:** {md(action_sentence(f.scenario, u.action))}{reason}.")
    return out


def _timeline(f: GameFacts) -> list[str]:
    lines = ["", "## Timeline", "", "What happened, in order; each delegation's reasons are under its decisions below.", ""]
    by_round: dict[int, list[LogEntry]] = {}
    for e in f.state.log:
        by_round.setdefault(e.round, [])
        if e.kind not in NOT_IN_TIMELINE:
            by_round[e.round].append(e)
    for r in sorted(by_round):
        lines += [_round_heading(f, r), ""]
        undone = _undone_lines(f, r)
        if not by_round[r] and not undone:
            lines.append("- Nothing happened yet.")
        for e in by_round[r]:
            lines += _entry_lines(f, e)
        lines += undone
        lines.append("")
    lines.pop()
    return lines


def _proposals(f: GameFacts) -> list[str]:
    sc = f.scenario
    lines = ["", "## Proposals", ""]
    if not f.proposals:
        return lines + ["No card was put to the other delegations."]

    def names(ids: tuple[str, ...]) -> str:
        return ", ".join(md(f.name(x)) for x in ids) or "–"

    lines += ["| Round | Proposed by | Card | Put to | Accepted by | Rejected by | Result |", "|---:|---|---|---|---|---|---|"]
    for p in f.proposals:
        title = md(sc.concession(p.card).title) if sc.has_concession(p.card) else md(p.card)
        if p.partner:
            title += " + " + (md(sc.concession(p.partner).title) if sc.has_concession(p.partner) else md(p.partner))
        if p.side_payment:
            title += f" (offering {p.side_payment} capital to each)"
        result = "agreed" if p.agreed else ("rejected" if p.rejected_by else ("still open" if not f.state.over else "not answered"))
        if p.countered_by is not None:
            terms = md(counter_terms(sc, p.card, p.partner, p.drop, p.ask, p.proposer))
            who = md(f.name(p.countered_by))
            if p.agreed:
                result = f"agreed, amended by {who}'s counter ({terms})"
            elif p.counter_taken is False:
                result = f"rejected: {md(f.name(p.proposer))} turned down {who}'s counter ({terms})"
            else:
                result += f"; countered by {who} ({terms})"
        lines.append(f"| {p.round} | {md(f.name(p.proposer))} | {title} | {names(p.to)} | {names(p.accepted_by)} | "
                     f"{names(p.rejected_by)} | {result} |")
    agreed = sum(1 for p in f.proposals if p.agreed)
    lines += ["", f"{len(f.proposals)} proposal(s): {agreed} agreed, {sum(1 for p in f.proposals if p.rejected_by)} rejected."]
    bargained = [sum(1 for p in f.proposals if p.countered_by), sum(1 for p in f.proposals if p.partner),
                 sum(1 for p in f.proposals if p.side_payment)]
    if any(bargained):
        lines[-1] += f" Bargaining: {bargained[0]} countered, {bargained[1]} package(s), {bargained[2]} with a side-payment."
    return lines


def _violations(f: GameFacts) -> list[str]:
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
        if not f.ceasefire_rolls:
            lines.append(f"None: the ceasefire never came into effect (Ceasefire peaked at {peak}, it needs "
                         f"{sc.rules.ceasefire_threshold}), so there was nothing to violate.")
        else:
            rounds = ", ".join(str(r) for r in sorted(set(f.ceasefire_rolls)))
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


def _decision_time(d: Decision) -> str:
    """' (10:04 UTC, after 1 min 20 s)': when a decision was made and how long it took, if the save has it."""
    if not d.at:
        return ""
    took = f", after {duration(d.took)}" if d.took is not None else ""
    return f" ({clock_time(d.at)}{took})"


def _decisions(f: GameFacts) -> list[str]:
    s = f.state
    lines = ["", "## Decisions by delegation", "",
             "Each decision that came with a reason: human teams' rationales as typed, bots' one-line explanations.", ""]
    missing = f.missing_rationales()
    if missing:
        lines += ["No rationale typed: " + "; ".join(
            f"{md(f.team(d))} for {n} of its {len(f.decisions_of(d))} decision(s)" for d, n in missing.items()) + ".", ""]
    for d in s.setup.delegations:
        decisions = f.decisions_of(d)
        lines += [f"### {md(f.name(d))} — {who(f, d)}", ""]
        counts = {k: sum(1 for x in decisions if x.entry.kind == k) for k in ("play", "proposal", "answer", "pass", "choice", "response")}
        accepted = sum(1 for x in decisions if x.accepted)
        agreed = sum(1 for p in f.proposals if p.proposer == d and p.agreed)
        lines += [
            f"{counts['play']} card(s) played, {counts['proposal']} proposal(s) made ({agreed} agreed), "
            f"{accepted} accepted and {counts['answer'] - accepted} rejected, {counts['pass']} pass(es), "
            f"{counts['choice']} choice(s), {counts['response']} response(s) to violations.",
            "",
        ]
        reasoned = [x for x in decisions if x.rationale]
        if not decisions:
            lines.append("- No decisions.")
        elif not reasoned:
            lines.append("- No reason given for any of them.")
        for x in reasoned:
            said = f"Rationale typed by {md(f.team(d))}: “{md(x.rationale)}”" if x.by_human else f"Bot's reason: {md(x.rationale)}"
            lines.append(f"- Round {x.entry.round}{_decision_time(x)}, {_decision_text(f, x)}. {said}")
        lines.append("")
    lines.pop()
    return lines


def _inject_status(rec) -> str:
    if rec.status == "fired":
        return f"fired in round {rec.fired_round}" if rec.fired_round is not None else "fired"
    if rec.status == "skipped":
        return "skipped by the facilitator"
    if rec.status == "postponed":
        return f"postponed to round {rec.postponed_to}, not fired"
    return "not reached"


def _facilitator(f: GameFacts) -> list[str]:
    save_notes = f.meta.notes.strip()
    lines = ["", "## The facilitator's notes", ""]
    plain = [n for n in f.notes if n.tag is None]
    lines += _note_lines(f, plain)
    if save_notes:
        lines.append(f"- Kept with the save: {md(save_notes)}")
    tagged = len(f.notes) - len(plain)
    if tagged:
        lines += [""] if plain or save_notes else []
        lines.append(f"{tagged} tagged note(s) are filed in the analysis of objectives above.")
    elif not (plain or save_notes):
        lines.append("No notes were taken.")
    lines += ["", "### Adjudications", ""]
    if f.adjudications:
        rounds = ", ".join(str(r) for r in sorted({e.round for e in f.adjudications}))
        lines.append(f"{len(f.adjudications)} adjudication(s), each in the timeline with its reason (round(s) {rounds}).")
    else:
        lines.append("None: the facilitator did not set any value by hand.")
    if f.injects:
        lines += ["", "### Injects (MSEL)", "", "| Inject | Scheduled | What happened |", "|---|---:|---|"]
        for rec in f.injects:
            lines.append(f"| {md(rec.inject.title)} | round {rec.inject.round} | {_inject_status(rec)} |")
    return lines


def _questions(f: GameFacts) -> list[str]:
    lines = ["", "## Discussion questions for the hotwash", "", "### From the MSEL", ""]
    fired = [rec for rec in f.injects if rec.status == "fired" and rec.inject.question]
    for rec in fired:
        when = f" (round {rec.fired_round})" if rec.fired_round is not None else ""
        lines.append(f"- **{md(rec.inject.title)}**{when}: {md(rec.inject.question)}")
    if not fired:
        lines.append("No inject with a question was fired in this game.")
    lines += ["", "### From what happened", ""]
    lines += [f"{i}. {q}" for i, q in enumerate(questions_from(f), start=1)]
    return lines


def report_sections(f: GameFacts) -> list[Section]:
    """The report's parts in order; "history-chart" is the text chart the HTML report draws as SVG."""
    parts = [
        ("header", _header), ("overview", _overview), ("analysis", _analysis), ("plan", _improvement_plan),
        ("outcome", _outcome), ("history", _history), ("history-chart", _history_sparks), ("thresholds", _thresholds),
        ("timeline", _timeline), ("proposals", _proposals), ("violations", _violations), ("decisions", _decisions),
        ("facilitator", _facilitator), ("questions", _questions),
    ]
    return [Section(key, render(f)) for key, render in parts]


def render_markdown(sections: list[Section]) -> str:
    return "\n".join(line for s in sections for line in s.lines).rstrip("\n") + "\n"


def build_report(state: GameState, *, created: Optional[str] = None, title: Optional[str] = None, notes: str = "") -> str:
    """The after-action report of a game, as Markdown.

    `created` is the date shown in the header (a save's creation time); `title`
    heads the report (a save's name), the scenario's title by default; `notes`
    are free notes kept with the save, shown with the facilitator's notes.
    Works on an unfinished game too, with provisional scores.
    """
    return render_markdown(report_sections(game_facts(state, SaveMeta(created, title, notes))))
