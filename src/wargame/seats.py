"""Who sits in each delegation's chair: a human team or a bot.

Every screen and document that names the people behind a delegation (the log's
setup line, the board's capital panel, the save header, the report) asks this
module, so they never disagree on who played what.
"""

from __future__ import annotations

from typing import Optional

from attrs import frozen

from .model import Scenario, Setup


@frozen
class Seat:
    delegation: str
    name: str  # the delegation's own name
    team: Optional[str] = None  # the human team's name; None when a bot plays
    personality: Optional[str] = None  # the bot's personality id; None when a team plays
    personality_name: Optional[str] = None  # its display name, when the scenario has it

    @property
    def human(self) -> bool:
        return self.team is not None

    @property
    def named_team(self) -> Optional[str]:
        """The team's name when it chose one of its own, else None ("Ukraine" playing Ukraine)."""
        return self.team if self.team is not None and self.team != self.name else None


def seat(scenario: Scenario, setup: Setup, delegation: str) -> Seat:
    name = scenario.delegation(delegation).name if scenario.has_delegation(delegation) else delegation
    if delegation in setup.humans:
        return Seat(delegation, name, team=setup.humans[delegation])
    pid = setup.bots.get(delegation, "?")
    p = scenario.personality(delegation, pid)
    return Seat(delegation, name, personality=pid, personality_name=p.name if p is not None else None)
