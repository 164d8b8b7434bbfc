"""The hotwash's discussion questions drawn from what happened, one small function per topic.

Each topic asks only when the game gives it a reason, so the hotwash talks
about what this room did, not about a generic game. Causes are read from the
log's typed changes, never from its sentences.
"""

from __future__ import annotations

from typing import Callable

from ..engine import ceasefire as cf
from ..engine import scoring
from ..model import CAPITAL, Adjudicated, GameState, LogEntry, possessive
from ..narrate import changes_text, condition_text
from .escape import md
from .facts import DECISION_KINDS, GameFacts, game_facts

# Log kinds that can be named as the cause of a move.
CAUSE_KINDS = ("play", "agreement", "answer", "response", "choice", "event", "violation", "collapse", "upkeep", "inject")


def _card_title(f: GameFacts, e: LogEntry) -> str:
    sc = f.scenario
    return md(sc.concession(e.card).title) if e.card and sc.has_concession(e.card) else ""


def _cause(f: GameFacts, e: LogEntry) -> str:
    """A log entry told as a cause: 'Russia played “Press the offensive” (round 2)'."""
    sc = f.scenario
    title = _card_title(f, e)
    who = md(f.name(e.delegation))
    said = {
        "play": f"{who} played “{title}”",
        "agreement": f"“{title}” agreed, proposed by {who}",
        "answer": f"{who} rejected “{title}”",
        "response": f"{possessive(who)} response to a violation",
        "violation": f"a ceasefire violation blamed on {who}",
        "collapse": "the collapse of the ceasefire",
        "upkeep": "fighting with no ceasefire in effect",
        "inject": "an inject",
    }
    if e.kind == "choice":
        event = md(sc.event(e.card).title) if e.card and sc.has_event(e.card) else e.card
        return f"{possessive(who)} choice on “{event}” (round {e.round})"
    if e.kind == "event" and e.card and sc.has_event(e.card):
        return f"the event “{md(sc.event(e.card).title)}” (round {e.round})"
    return f"{said.get(e.kind, e.kind)} (round {e.round})"


def moved(f: GameFacts, target: str, up: bool, limit: int = 3) -> list[str]:
    """The last entries whose changes moved `target` up or down: pointers to causes."""
    out = []
    for e in f.state.log:
        if not any(c.target == target and c.target != CAPITAL and c.delta and (c.delta > 0) == up for c in e.changes):
            continue
        if isinstance(e.payload, Adjudicated):
            out.append(f"the facilitator's adjudication (round {e.round})")
        elif e.kind in CAUSE_KINDS:
            out.append(_cause(f, e))
    return out[-limit:]


def _ending(f: GameFacts) -> list[str]:
    s, sc = f.state, f.scenario
    if s.outcome == "collapse":
        causes = moved(f, "tension", up=True)
        return [f"Tension reached the top in round {s.round} and the talks collapsed"
                + (f" (among the last moves that raised it: {'; '.join(causes)})" if causes else "")
                + ". Which move pushed it over the edge, and who could have stopped it?"]
    if s.outcome == "settlement":
        return [f"A framework agreement was reached in round {s.round}. Which concession made the difference, "
                "and would the agreement survive the first violation?"]
    if s.outcome == "frozen":
        thr = sc.rules.framework_threshold
        short = [f"{sc.name_of(t)} ({v})" for t, v in s.tracks.items() if v < thr]
        sov = s.meters.get("sovereignty", 0)
        if sov < sc.rules.framework_sovereignty:
            short.append(f"Sovereignty ({sov})")
        return ["The rounds ran out without a framework agreement" + (f": {', '.join(short)} stayed short" if short else "")
                + ". What would one more round have needed, and who would have had to give it?"]
    return []


def _collapses(f: GameFacts) -> list[str]:
    s, window = f.state, f.scenario.violations.window
    out = []
    for i, v in enumerate(s.violations):
        if v.collapsed:
            n = sum(1 for x in s.violations[: i + 1] if x.round > v.round - window)
            out.append(f"The ceasefire collapsed in round {v.round} after {n} violations in {window} rounds: what would have prevented it?")
    return out


def _violations_answered(f: GameFacts) -> list[str]:
    s, sc = f.state, f.scenario
    if not s.violations or any(v.collapsed for v in s.violations):
        return []
    blamed: dict[str, int] = {}
    for v in s.violations:
        blamed[v.violator] = blamed.get(v.violator, 0) + 1
    resp = {r.id: r.label.lower() for r in sc.violations.responses}
    answers = ", ".join(resp.get(v.response, v.response) for v in s.violations if v.response)
    return [f"There were {len(s.violations)} ceasefire violation(s) ("
            + ", ".join(f"{f.name(d)} blamed for {n}" for d, n in blamed.items())
            + ")" + (f", answered with: {answers}" if answers else "")
            + ". Did the responses calm things down or escalate them?"]


def _retaliation(f: GameFacts) -> list[str]:
    retaliations = [v for v in f.state.violations if v.response == "retaliate"]
    if not retaliations:
        return []
    who = ", ".join(f"{f.name(v.injured)} in round {v.round}" for v in retaliations)
    return [f"Retaliation after a violation ({who}): what did it win at home, and what did it cost at the table?"]


def _quiet_ceasefire(f: GameFacts) -> list[str]:
    s, sc = f.state, f.scenario
    if s.violations:
        return []
    if f.ceasefire_rolls:
        return [f"The ceasefire held through {len(set(f.ceasefire_rolls))} round(s) without a single violation (Monitoring {s.monitoring}): "
                "was it luck or design, and what would a first violation have done to it?"]
    peak = max(s.history.get(cf.CEASEFIRE, [0]))
    warring = " and ".join(sc.name_of(x.delegation) for x in sc.violations.sides if x.delegation in s.setup.delegations)
    return [f"The ceasefire never came into effect (Ceasefire peaked at {peak}; it needs {sc.rules.ceasefire_threshold}): "
            f"what did {warring or 'the warring sides'} each need before agreeing to one?"]


def _red_lines(f: GameFacts) -> list[str]:
    s, sc = f.state, f.scenario
    values = {**s.tracks, **s.meters, "monitoring": s.monitoring}
    out = []
    for d in s.setup.delegations:
        for rl in sc.delegation(d).red_lines:
            if rl.holds(values[rl.target]):
                continue
            down = rl.at_least is not None and values[rl.target] < rl.at_least
            causes = moved(f, rl.target, up=not down)
            out.append(
                f"{possessive(f.name(d))} red line “{md(rl.text)}” was crossed at the end ({sc.name_of(rl.target)} ended at "
                f"{values[rl.target]}; it needs {condition_text(sc, rl.target, rl.at_least, rl.at_most)}; −{rl.penalty} points)"
                + (f". Moves that pushed it there: {'; '.join(causes)}" if causes else "")
                + ". What would it have taken to keep it, and did the other delegations know where the line was?"
            )
    return out


def _stalled_tracks(f: GameFacts) -> list[str]:
    s, sc = f.state, f.scenario
    thr = sc.rules.framework_threshold
    stalled = sorted(((max(s.history[t.id]), t.name) for t in sc.tracks if s.history.get(t.id) and max(s.history[t.id]) < thr),
                     key=lambda x: x[0])
    if not stalled:
        return []
    peak, name = stalled[0]
    others = ", ".join(f"{n} (peak {p})" for p, n in stalled[1:])
    them = "them" if others else "it"
    return [f"{name} never passed {peak} (the framework needs {thr})" + (f", nor did {others} reach it" if others else "")
            + f": what blocked {them}, and who could have moved {them}?"]


def _rejected_how(f: GameFacts, e) -> str:
    by = getattr(e.payload, "by", None)  # a counter the proposer turned down
    if by is not None:
        return f"{f.name(e.delegation)} turned down {f.name(by)}'s counter"
    return f"rejected by {f.name(e.delegation)}"


def _rejections(f: GameFacts) -> list[str]:
    if not f.rejections:
        return []
    sc = f.scenario
    listed = "; ".join(
        f"“{_card_title(f, e) or e.card}” ({_rejected_how(f, e)} in round {e.round}"
        + (f": {md(changes_text(sc, e.changes))}" if e.changes else "") + ")"
        for e in f.rejections
    )
    return [f"Which rejected proposal cost the most? {len(f.rejections)} proposal(s) were rejected: {listed}."]


def _trust(f: GameFacts) -> list[str]:
    trust = f.state.history.get("trust", [])
    if trust and trust[-1] <= trust[0] - 2:
        causes = moved(f, "trust", up=False)
        return [f"Trust fell from {trust[0]} to {trust[-1]}" + (f" (moves that lowered it: {'; '.join(causes)})" if causes else "")
                + ": which moment broke it, and could it have been rebuilt?"]
    if trust and trust[-1] >= trust[0] + 3:
        return [f"Trust rose from {trust[0]} to {trust[-1]}: which steps built it, and did the harder tracks profit from it?"]
    return []


def _sovereignty(f: GameFacts) -> list[str]:
    """Sovereignty: the article's red line for Kyiv, and the price of most deals."""
    sov = f.state.history.get("sovereignty", [])
    if not (sov and sov[-1] < sov[0]):
        return []
    causes = moved(f, "sovereignty", up=False)
    return [f"Sovereignty went from {sov[0]} to {sov[-1]}" + (f" (among the moves that lowered it: {'; '.join(causes)})" if causes else "")
            + ": what came back in return, and was it worth it to the delegations whose red line it is?"]


def _adjudications(f: GameFacts) -> list[str]:
    if not f.adjudications:
        return []
    reasons: dict[str, int] = {}
    for e in f.adjudications:
        if e.rationale:
            reasons[e.rationale] = reasons.get(e.rationale, 0) + 1
    return [f"The facilitator adjudicated {len(f.adjudications)} time(s) ("
            + "; ".join(md(r) + (f" ×{n}" if n > 1 else "") for r, n in reasons.items())
            + "): did the rulings match what would happen in reality, and how would the game have gone without them?"]


def _results(f: GameFacts) -> list[str]:
    scores, win = f.scores, f.winner
    if win is None or len(scores) <= 1:
        return []
    low = min(scores, key=lambda d: scoring.standing(scores[d]))
    return [f"{md(f.name(win))} did best against par ({scoring.standing(scores[win]):+g} against par) and {md(f.name(low))} worst "
            f"({scoring.standing(scores[low]):+g}): did the other delegations see that coming, and was it a fair result?"]


def _teams_own_choices(f: GameFacts) -> list[str]:
    out = []
    for d, team in f.state.setup.humans.items():
        n = sum(1 for x in f.decisions_of(d) if x.entry.kind in DECISION_KINDS)
        out.append(f"{md(team)} ({f.name(d)}): of your {n} decision(s), which one would you take back, knowing how the game ended?")
    return out


# In the order the hotwash asks them.
TOPICS: tuple[Callable[[GameFacts], list[str]], ...] = (
    _ending, _collapses, _violations_answered, _retaliation, _quiet_ceasefire, _red_lines, _stalled_tracks,
    _rejections, _trust, _sovereignty, _adjudications, _results, _teams_own_choices,
)


def questions_from(f: GameFacts) -> list[str]:
    return [q for topic in TOPICS for q in topic(f)]


def generated_questions(state: GameState) -> list[str]:
    """Questions drawn from this game: its ending, ceasefire, red lines, stalled tracks, rejections, ..."""
    return questions_from(game_facts(state))
