"""Actions in a save: their tables in today's format, and the upgrades of older formats.

Format 1 (until the engine's actions became a tagged union of classes) wrote every
action as one table of optional fields, `kind = "play"` among them. Format 2 keeps
the tag and its values, and writes only the fields the kind of action has. The
story log of format 1 was sentences; format 2 logs data (typed payloads and
changes), so a format-1 save's log digest cannot be recomputed: the upgrade marks
it, and the load verifies everything else of such a save by replay.
"""

from __future__ import annotations

from typing import Any

import attrs

from .convert import converter
from .model import ACTION_CLASSES, Action

ACTIONS = list[Action]

# The log digest of an upgraded format-1 save: its log was worded text, which the replay
# no longer writes, so the digest cannot be checked; every other part of the snapshot is.
V1_LOG_DIGEST = "not checked: a format-1 save, whose log was text"

_FIELDS = {cls.kind: {a.name for a in attrs.fields(cls)} for cls in ACTION_CLASSES}


def actions_table(actions: list[Action]) -> list[dict]:
    """The [[actions]] tables: each action's fields and its `kind` tag."""
    return converter.unstructure(actions, ACTIONS)


def upgrade_v1(doc: dict) -> dict:
    """Format 1 -> 2: each action keeps the fields its kind has; the log digest is marked unchecked."""
    actions = doc.get("actions")
    if isinstance(actions, list):
        doc["actions"] = [_action_v1(a) for a in actions]
    snapshot = doc.get("snapshot")
    if isinstance(snapshot, dict) and "log_digest" in snapshot:
        snapshot["log_digest"] = V1_LOG_DIGEST
    return doc


def upgrade_v2(doc: dict) -> dict:
    """Format 2 -> 3: bot personalities lost their weights (bots now play for their agenda).

    A format-2 save's embedded scenario still lists them; they never changed a replay
    (bots are not replayed, their actions are), so they are dropped."""
    scenario = doc.get("scenario")
    personalities = scenario.get("personalities") if isinstance(scenario, dict) else None
    if isinstance(personalities, list):
        for p in personalities:
            if isinstance(p, dict):
                p.pop("weights", None)
    return doc


def upgrade_v3(doc: dict) -> dict:
    """Format 3 -> 4: support at home. A format-3 save's scenario has no [support] table, so its
    game has no support at home and replays as it was played; its snapshot gains the empty meter."""
    snapshot = doc.get("snapshot")
    if isinstance(snapshot, dict):
        snapshot.setdefault("support", {})
    return doc


def _action_v1(table: Any) -> Any:
    if not isinstance(table, dict):
        return table  # the strict structuring says what is wrong with it
    fields = _FIELDS.get(table.get("kind"))
    if fields is None:
        return table
    # Format 1 left out None fields; a field of another kind of action was always None there.
    return {k: v for k, v in table.items() if k == "kind" or k in fields}


def unchecked(snapshot: Any, expected: dict) -> dict:
    """The replay's snapshot, less what an upgraded save cannot vouch for (see V1_LOG_DIGEST)."""
    if isinstance(snapshot, dict) and snapshot.get("log_digest") == V1_LOG_DIGEST:
        return {**expected, "log_digest": V1_LOG_DIGEST}
    return expected
