"""Words and numbers for the screen, read from a game state.

Plain functions with no Textual in them, so every widget phrases things the
same way (who a delegation is, what it must decide now, where a value's
thresholds are) and the phrasing can be tested without running the app.
Nothing here decides anything: the engine does.
"""

from __future__ import annotations

from typing import Optional

from ..engine import ceasefire, current_actor, scoring
from ..narrate import describe_effects, package_title
from ..seats import seat
from ..model import (
    MONITORING, MONITORING_MAX, VALUE_MAX, Choice, CounterOffer, EventWaiting, GameState, Proposal, ViolationPending, possessive,
)

PHASES = {"event": "Event", "negotiation": "Negotiation", "ceasefire": "Ceasefire check", "upkeep": "Upkeep", "over": "Game over"}


def short_label(full: str) -> str:
    """A one-word label for narrow places: "Security guarantees" -> "Security", "Long-term diplomacy" -> "Diplomacy"."""
    if len(full) <= 12:
        return full
    words = full.replace("&", " ").split()
    if not words:
        return full
    word = words[-1] if "-" in words[0] and len(words) > 1 else words[0]
    return word[:1].upper() + word[1:]


def standing(state: GameState) -> str:
    """Every track and meter in one line, for the room to see while a team takes over."""
    sc = state.scenario
    parts = [f"{short_label(t.name)} {state.tracks[t.id]}" for t in sc.tracks]
    parts += [f"{short_label(m.name)} {state.meters[m.id]}" for m in sc.meters]
    return " · ".join(parts + [f"Monitoring {state.monitoring}"])


def name(state: GameState, delegation: str) -> str:
    return state.scenario.delegation(delegation).name


def team(state: GameState, delegation: str) -> Optional[str]:
    """The human team's name, or None when the team kept the delegation's own name."""
    return seat(state.scenario, state.setup, delegation).named_team


def controller(state: GameState, delegation: str) -> str:
    """Who plays a delegation: "Team Kyiv", "human team" or "bot: Hardliner"."""
    s = seat(state.scenario, state.setup, delegation)
    if s.human:
        return s.named_team or "human team"
    return f"bot: {s.personality_name or s.personality}"


def who(state: GameState, delegation: str) -> str:
    """A delegation with the people or bot behind it: "Ukraine (Team Kyiv)"."""
    return f"{name(state, delegation)} ({controller(state, delegation)})"


def human_label(state: GameState, delegation: str) -> str:
    """How a hand-off names a human seat: "the Ukraine delegation (Team Kyiv)"."""
    t = team(state, delegation)
    return f"the {name(state, delegation)} delegation" + (f" ({t})" if t else "")


def phase_label(state: GameState) -> str:
    if state.over:
        return PHASES["over"]
    if isinstance(state.pending, Choice):
        return "Event"
    if isinstance(state.pending, ViolationPending):
        return "Ceasefire check"
    return PHASES.get(state.phase, state.phase.title())


def task(state: GameState) -> str:
    """What the current actor must decide, in a few words."""
    p = state.pending
    sc = state.scenario
    if isinstance(p, Proposal):
        return f"answer {possessive(name(state, p.proposer))} proposal {package_title(sc, p.card, p.partner)}"
    if isinstance(p, CounterOffer):
        by, deal = p.proposal.countered_by, p.proposal
        return f"answer {possessive(name(state, by))} counter to {package_title(sc, deal.card, deal.partner)}"
    if isinstance(p, Choice):
        return f"choose how to meet “{sc.event(p.event).title}”"
    if isinstance(p, ViolationPending):
        return f"respond to the ceasefire violation blamed on {name(state, p.violator)}"
    if isinstance(p, EventWaiting):
        return f"fire, swap or hold round {state.round}'s event"
    return "play a card or pass"


def turn_line(state: GameState) -> str:
    actor = current_actor(state)
    if actor is None and isinstance(state.pending, EventWaiting) and not state.over:
        return f"The facilitator to {task(state)}"
    if actor is None:
        from ..engine.scoring import OUTCOME_TEXT

        return OUTCOME_TEXT.get(state.outcome or "", "The game is over.")
    return f"{who(state, actor)} to {task(state)}"


def round_line(state: GameState) -> str:
    return f"Round {state.round} of {state.setup.rounds} · {phase_label(state)}"


def ceasefire_line(state: GameState) -> str:
    """Ceasefire status with the chance of a violation if in effect; then the violations so far."""
    n = len(state.violations)
    count = f"Violations so far: {n}" + (f" · collapses: {state.ceasefire_collapses}" if state.ceasefire_collapses else "")
    if ceasefire.in_effect(state):
        head = f"Ceasefire IN EFFECT · violation chance {ceasefire.violation_chance(state):.0%}"
    else:
        head = f"No ceasefire (needs Ceasefire {state.scenario.rules.ceasefire_threshold}+)"
    return f"{head}\n{count}"


def series(state: GameState, key: str) -> list[int]:
    """History of a track or meter with the current value last (history holds finished rounds)."""
    values = list(state.history.get(key, []))
    current = state.value(key)
    if not state.over or not values:
        values.append(current)
    return values


def change(state: GameState, key: str) -> int:
    """Change this round: current value against the value when the round began."""
    hist = state.history.get(key, [])
    if not hist:
        return 0
    if state.over:
        return hist[-1] - hist[-2] if len(hist) > 1 else 0
    return state.value(key) - hist[-1]


def top_of(key: str) -> int:
    return MONITORING_MAX if key == MONITORING else VALUE_MAX


def marks(state: GameState, key: str) -> list[int]:
    """Values worth marking on a bar: thresholds a player should see coming."""
    rules = state.scenario.rules
    if key in state.tracks:
        out = {rules.framework_threshold}
        if key == ceasefire.CEASEFIRE:
            out.add(rules.ceasefire_threshold)
        return sorted(out)
    if key == "tension":
        return [VALUE_MAX]
    if key == "sovereignty":
        return sorted({rl.at_least for d in state.setup.delegations for rl in state.scenario.delegation(d).red_lines
                       if rl.target == key and rl.at_least is not None} | {rules.framework_sovereignty})
    return []


def thresholds(state: GameState, key: str) -> str:
    """The thresholds of a track or meter in words ("ceasefire at 6 · framework at 6")."""
    sc = state.scenario
    rules = sc.rules
    parts = []
    if key == ceasefire.CEASEFIRE:
        parts.append(f"ceasefire at {rules.ceasefire_threshold}")
    if key in state.tracks:
        parts.append(f"framework at {rules.framework_threshold}")
    if key == "tension":
        parts.append("collapse at 10")
    if key == MONITORING:
        parts.append(f"0–{MONITORING_MAX}, lowers the violation chance")
    lines = []
    for d in state.setup.delegations:
        for rl in sc.delegation(d).red_lines:
            if rl.target != key:
                continue
            if rl.at_least is not None:
                lines.append(f"{sc.delegation(d).short or d} ≥{rl.at_least}")
            if rl.at_most is not None:
                lines.append(f"{sc.delegation(d).short or d} ≤{rl.at_most}")
    if lines:
        parts.append("red lines " + ", ".join(lines))
    if key == "sovereignty":
        parts.append(f"framework needs {rules.framework_sovereignty}")
    return " · ".join(parts)


def level(state: GameState, key: str) -> str:
    for t in state.scenario.tracks:
        if t.id == key:
            return t.level(state.tracks[key])
    return ""


def card_lines(state: GameState, card_id: str) -> dict[str, str]:
    """The parts of a concession card a team needs to decide: cost, effects, consent, source."""
    sc = state.scenario
    card = sc.concession(card_id)
    consent = [d for d in card.consent if d in state.capital and d != card.delegation]
    rejection = card.on_reject if card.on_reject is not None else sc.rules.rejection_effects
    return {
        "title": card.title,
        "cost": f"{card.cost} political capital",
        "effects": describe_effects(sc, card.effects),
        "consent": ("needs the consent of " + " and ".join(name(state, d) for d in consent)) if consent else "no consent needed",
        "rejection": describe_effects(sc, rejection) if consent else "",
        "text": card.text,
        "source": card.source,
    }


def score_rows(state: GameState) -> list[dict[str, str]]:
    rows = []
    for d, s in scoring.scores(state).items():
        rows.append({
            "id": d,
            "delegation": name(state, d),
            "by": controller(state, d),
            "agenda": f"{s.agenda:.1f}%",
            "red": f"−{sum(p for _, p in s.red_lines_crossed)}" if s.red_lines_crossed else "0",
            "red_lines": "; ".join(f"{t} (−{p})" for t, p in s.red_lines_crossed),
            "collapse": f"−{s.collapse_penalty}" if s.collapse_penalty else "0",
            "total": f"{s.total:.1f}",
            "vs_par": "" if s.vs_par is None else f"{s.vs_par:+.1f}".replace("-", "−"),
        })
    return rows


def par_line(state: GameState, delegation: str) -> Optional[str]:
    """How a delegation did for its role: "52 against a par of 46: 6 above what Russia usually reaches"."""
    s = scoring.score(state, delegation)
    if s.vs_par is None:
        return None
    dl = state.scenario.delegation(delegation)
    if s.vs_par > 0:
        how = f"{s.vs_par:g} above what {dl.name} usually {dl.verb('reaches')}"
    elif s.vs_par < 0:
        how = f"{-s.vs_par:g} below what {dl.name} usually {dl.verb('reaches')}"
    else:
        how = f"just what {dl.name} usually {dl.verb('reaches')}"
    return f"{s.total:g} against a par of {s.par:g}: {how}{scoring.par_caveat(state)}"