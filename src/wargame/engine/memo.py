"""What is worked out once per scenario: agendas, consent lists, bots' valuers.

A bot game asks for these hundreds of thousands of times, always of one scenario,
and a scenario is frozen, so each answer is kept. Entries are keyed by the
scenario's `id` and hold the scenario itself, so an id is never reused for another
scenario while its entry lives; the memo empties itself past `limit` scenarios, so
a long run over many scenarios (tests, deck checks) does not grow without end.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable

_MISSING = object()


class ScenarioMemo:
    __slots__ = ("_tables", "_limit", "_last", "_last_table")

    def __init__(self, limit: int = 100) -> None:
        self._tables: dict[int, tuple[object, dict]] = {}
        self._limit = limit
        # The scenario asked last and its table: a run asks of one scenario, so one identity test
        # answers nearly every call (the lookup by id was 3 % of a bot game).
        self._last: object = _MISSING
        self._last_table: dict = {}

    def table(self, scenario: object) -> dict:
        """This scenario's own table of answers, for a hot path that looks its keys up itself."""
        if scenario is self._last:
            return self._last_table
        hit = self._tables.get(id(scenario))
        if hit is not None and hit[0] is scenario:
            table = hit[1]
        else:
            if len(self._tables) > self._limit:
                self._tables.clear()
            table = {}
            self._tables[id(scenario)] = (scenario, table)
        self._last, self._last_table = scenario, table
        return table

    def get(self, scenario: object, key: Hashable, make: Callable[..., Any], *args: Any) -> Any:
        """The value for (`scenario`, `key`): `make(*args)` the first time, then the same object."""
        table = self.table(scenario)
        value = table.get(key, _MISSING)
        if value is _MISSING:
            value = table[key] = make(*args)
        return value

