"""The error every saves module raises: light, so code that only names it loads nothing else."""

from __future__ import annotations

from typing import Any

from ..errors import UserError


class SaveError(UserError):
    """A save that cannot be read, written or trusted; the message names the file."""

    def __init__(self, path: Any, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")

    def __reduce__(self):  # crosses from a `simulate --jobs` worker intact
        return (type(self), (self.path, self.problem))
