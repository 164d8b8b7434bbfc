"""The floors in pyproject.toml are the versions `make test-oldest` installs.

Each dependency's `>=` floor is the oldest version the suite passes with
(found by installing older releases and running it); constraints/oldest.txt
pins exactly those versions for `make test-oldest`. A floor raised or lowered in one
place and not the other would make that target prove nothing.
"""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

FLOOR = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)>=([0-9][0-9a-z.]*)$")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][0-9a-z.]*)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def floors() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = {}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        match = FLOOR.match(requirement.replace(" ", ""))
        assert match, f"{requirement!r}: every dependency has a plain floor, NAME>=VERSION"
        out[canonical(match[1])] = match[2]
    return out


def pins() -> dict[str, str]:
    out = {}
    for line in (ROOT / "constraints" / "oldest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = PIN.match(line)
            assert match, f"constraints/oldest.txt: {line!r} is not NAME==VERSION"
            out[canonical(match[1])] = match[2]
    return out


def test_the_oldest_constraints_pin_exactly_the_floors():
    assert pins() == floors()
