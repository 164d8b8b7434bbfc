"""A quick reader and writer for the TOML a save is written in; tomllib and tomli_w for the rest.

A save is what `tomli_w` writes for strings, integers, floats, booleans, tables, arrays
and arrays of tables: one `key = value` a line, arrays one item a line. tomllib reads it
character by character in Python, and that was a third of a load. `loads` reads that
subset line by line with regular expressions and gives up (None) on anything else: inf
or nan, a literal or multi-line string, a dotted key, a quoted key in a table's name, a
comment after a value, other spacing or indentation, a table defined twice or made
implicitly, a `\r`. The caller then parses the text with tomllib, which also says what
is wrong with a text that is not TOML at all.

What it accepts it reads as tomllib does: the same strings (the same escapes, the same
characters refused), numbers, tables and arrays; a key or a table given twice it gives
up on (tomllib refuses it). `tests/test_saves_quick_paths.py` checks it on saves and on
mutated ones. `dumps_flat` writes a table of scalars (an action) as tomli_w does.
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional

_KEY = r"[A-Za-z0-9_-]+"
# A basic string as TOML allows it: no raw control character but the tab, and the escapes
# JSON shares (`_scalar` reads it with json.loads, the tabs escaped first, as JSON refuses
# them raw); a \\u escape of a surrogate (TOML refuses it, JSON does not) is caught there.
_STR = r'"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\[btnfr"\\]|\\u[0-9A-Fa-f]{4})*"'
_INT = r"-?(?:0|[1-9][0-9]{0,18})"  # 64 bits and a little more; no sign +, no _, no leading zero
_FLOAT = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)"  # not inf or nan
_SCALAR = rf"{_STR}|{_FLOAT}|{_INT}|true|false"
_KEY_VALUE = re.compile(rf"({_KEY}|{_STR}) = (.*)")  # a bare key, or a quoted one ("support:usa")
_SCALAR_RE = re.compile(_SCALAR)
_TABLE = re.compile(rf"\[({_KEY}(?:\.{_KEY})*)\]")
_ARRAY_TABLE = re.compile(rf"\[\[({_KEY}(?:\.{_KEY})*)\]\]")
_COMMENT = re.compile(r"#[^\x00-\x08\x0a-\x1f\x7f]*")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _Outside(Exception):
    """The text is not in the subset: let tomllib read it."""


def _scalar(token: str) -> Any:
    """A value token that matched `_SCALAR` entirely."""
    first = token[0]
    if first == '"':
        if "\\" not in token:
            return token[1:-1]
        if _SURROGATE_ESCAPE.search(token):
            raise _Outside
        return json.loads(token.replace("\t", "\\t"))
    if first == "t":
        return True
    if first == "f":
        return False
    if "." in token or "e" in token or "E" in token:
        return float(token)
    return int(token)


def _key(token: str) -> str:
    return _scalar(token) if token[0] == '"' else token


def _inline_table(text: str) -> dict:
    """`{ a = 1, b = { c = "x" } }` or `{}`: scalars, inline tables, and empty arrays."""
    table, end = _inline_at(text, 0, 1)
    if end != len(text):
        raise _Outside
    return table


_KEY_EQUALS = re.compile(rf"({_KEY}|{_STR}) = ")


def _inline_at(text: str, pos: int, depth: int) -> tuple[dict, int]:
    """The inline table that starts at `text[pos]`, and where it ends (tables nested deeper
    than a save's are left to tomllib, which says when they are far too deep)."""
    if depth > 8:
        raise _Outside
    if text.startswith("{}", pos):
        return {}, pos + 2
    if not text.startswith("{ ", pos):
        raise _Outside
    pos += 2
    out: dict[str, Any] = {}
    while True:
        m = _KEY_EQUALS.match(text, pos)
        if m is None:
            raise _Outside
        key = _key(m.group(1))
        if key in out:
            raise _Outside
        pos = m.end()
        if text.startswith("{", pos):
            out[key], pos = _inline_at(text, pos, depth + 1)
        elif text.startswith("[]", pos):
            out[key], pos = [], pos + 2
        else:
            v = _SCALAR_RE.match(text, pos)
            if v is None:
                raise _Outside
            out[key], pos = _scalar(v.group()), v.end()
        if text.startswith(" }", pos):
            return out, pos + 2
        if not text.startswith(", ", pos):
            raise _Outside
        pos += 2


def _value(text: str) -> Any:
    """The value of a one-line `key = value`; "[" (an array that goes on) is the caller's."""
    if _SCALAR_RE.fullmatch(text):
        return _scalar(text)
    if text == "[]":
        return []
    if text.startswith("{"):
        return _inline_table(text)
    raise _Outside


def _item(text: str) -> Any:
    if _SCALAR_RE.fullmatch(text):
        return _scalar(text)
    if text == "[]":
        return []
    if text.startswith("{"):
        return _inline_table(text)
    raise _Outside


def _array(lines: list[str], i: int, depth: int) -> tuple[list, int]:
    """The items of an array opened by the line before `lines[i]`, one a line, indented by
    4 spaces a level (tomli_w's layout), up to its closing bracket; and the next line's index."""
    indent = "    " * depth
    close = "    " * (depth - 1) + ("]," if depth > 1 else "]")
    items = []
    while True:
        if i >= len(lines):
            raise _Outside
        line = lines[i]
        i += 1
        if line == close:
            return items, i
        if not (line.startswith(indent) and line.endswith(",")):
            if line == indent + "[" and depth < 4:  # an array in the array
                item, i = _array(lines, i, depth + 1)
                items.append(item)
                continue
            raise _Outside
        items.append(_item(line[len(indent):-1]))


def loads(text: str) -> Optional[dict]:
    """`tomllib.loads(text)` for a text in the subset, else None (the caller asks tomllib)."""
    try:
        return _loads(text)
    except _Outside:
        return None


def _parent(root: dict, parts: list[str], tables: set[int], arrays_of_tables: set[int]) -> dict:
    """The table a header's leading parts name: through tables a header made, and through an
    array of tables to its last table (TOML's rule); anything else (a table made implicitly,
    an inline table, a plain array, a value) is left to tomllib."""
    node = root
    for part in parts:
        child = node.get(part)
        if type(child) is list and id(child) in arrays_of_tables:
            child = child[-1]
        elif type(child) is not dict or id(child) not in tables:
            raise _Outside
        node = child
    return node


def _loads(text: str) -> dict:
    if "\r" in text:
        raise _Outside
    root: dict[str, Any] = {}
    tables = {id(root)}  # the tables a header made: only they take a sub-table or a key line
    arrays_of_tables: set[int] = set()
    current = root
    lines = text.split("\n")
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        i += 1
        if not line:
            continue
        first = line[0]
        if first == "[":
            m = _ARRAY_TABLE.fullmatch(line)
            if m is not None:
                *parents, key = m.group(1).split(".")
                node = _parent(root, parents, tables, arrays_of_tables)
                array = node.get(key)
                if array is None:
                    array = node[key] = []
                    arrays_of_tables.add(id(array))
                elif id(array) not in arrays_of_tables:
                    raise _Outside
                current = {}
                array.append(current)
                tables.add(id(current))
                continue
            m = _TABLE.fullmatch(line)
            if m is None:
                raise _Outside
            *parents, key = m.group(1).split(".")
            node = _parent(root, parents, tables, arrays_of_tables)
            if key in node:
                raise _Outside
            current = node[key] = {}
            tables.add(id(current))
            continue
        if first == "#":
            if _COMMENT.fullmatch(line) is None:
                raise _Outside
            continue
        m = _KEY_VALUE.fullmatch(line)
        if m is None:
            raise _Outside
        key, value = _key(m.group(1)), m.group(2)
        if key in current:
            raise _Outside
        if value == "[":
            current[key], i = _array(lines, i, 1)
        else:
            current[key] = _value(value)
    return root


# --- writing: what tomli_w writes for a table of strings, integers and booleans -------------

_ESCAPES = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_TO_ESCAPE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"\\]')  # tomli_w leaves the tab as it is
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _escape(m: re.Match) -> str:
    char = m.group()
    return _ESCAPES.get(char) or "\\u" + format(ord(char), "04x")


def string(s: str) -> str:
    """A basic string, as tomli_w's `format_string` writes it (without multi-line strings)."""
    if _TO_ESCAPE.search(s) is None:
        return f'"{s}"'
    return '"' + _TO_ESCAPE.sub(_escape, s) + '"'


def dumps_flat(table: dict) -> Optional[str]:
    """`tomli_w.dumps(table)` for a table whose values are all strings, integers or booleans
    (an action's table), else None."""
    parts = []
    for key, value in table.items():
        kind = type(value)
        if kind is str:
            literal = string(value)
        elif kind is bool:
            literal = "true" if value else "false"
        elif kind is int:
            literal = str(value)
        else:
            return None
        if type(key) is not str:
            return None
        parts.append(f"{key if _BARE_KEY.fullmatch(key) else string(key)} = {literal}\n")
    return "".join(parts)


class _NotWritable(Exception):
    """A value `dumps` does not write (a date, a Decimal, a mapping that is not a dict)."""


def dumps(table: dict) -> Optional[str]:
    """`tomli_w.dumps(table)`, the same text, for tables of strings, integers, floats, booleans,
    lists and dicts (its algorithm, with `string` for its per-character loop); else None."""
    try:
        return "".join(_table_chunks(table, name="", inside_aot=False, inline_cache={}))
    except _NotWritable:
        return None


_MAX_LINE_LENGTH = 100  # tomli_w's


def _key_part(key: Any) -> str:
    if type(key) is not str:
        raise _NotWritable
    return key if _BARE_KEY.fullmatch(key) else string(key)


def _is_aot(value: Any) -> bool:
    return type(value) in (list, tuple) and bool(value) and all(type(v) is dict for v in value)


def _table_chunks(table: dict, *, name: str, inside_aot: bool, inline_cache: dict):
    yielded = False
    literals = []
    tables = []
    for k, v in table.items():
        if type(v) is dict:
            tables.append((k, v, False))
        elif _is_aot(v) and not all(_suits_inline(t, inline_cache) for t in v):
            tables.extend((k, t, True) for t in v)
        elif isinstance(v, dict):
            raise _NotWritable
        else:
            literals.append((k, v))
    if inside_aot or name and (literals or not tables):
        yielded = True
        yield f"[[{name}]]\n" if inside_aot else f"[{name}]\n"
    if literals:
        yielded = True
        for k, v in literals:
            yield f"{_key_part(k)} = {_literal(v, inline_cache, 0)}\n"
    for k, v, in_aot in tables:
        if yielded:
            yield "\n"
        else:
            yielded = True
        key_part = _key_part(k)
        yield from _table_chunks(v, name=f"{name}.{key_part}" if name else key_part, inside_aot=in_aot, inline_cache=inline_cache)


def _literal(value: Any, inline_cache: dict, nest_level: int) -> str:
    kind = type(value)
    if kind is str:
        return string(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        indent = "    " * (1 + nest_level)
        return "[\n" + ",\n".join(indent + _literal(v, inline_cache, nest_level + 1) for v in value) + ",\n" + "    " * nest_level + "]"
    if kind is dict:
        return _inline(value, inline_cache)
    raise _NotWritable


def _inline(table: dict, inline_cache: dict) -> str:
    hit = inline_cache.get(id(table))
    if hit is not None:
        return hit
    text = "{ " + ", ".join(f"{_key_part(k)} = {_literal(v, inline_cache, 0)}" for k, v in table.items()) + " }" if table else "{}"
    inline_cache[id(table)] = text
    return text


def _suits_inline(table: dict, inline_cache: dict) -> bool:
    rendered = f"    {_inline(table, inline_cache)},"
    return len(rendered) <= _MAX_LINE_LENGTH and "\n" not in rendered
