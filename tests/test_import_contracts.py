"""The import contracts in pyproject.toml (`[tool.importlinter]`) hold, and each one has teeth.

The core must run without Textual (bots, `simulate`, saves and the report are
used headless), the engine must not know how games are stored or shown, and
the model is the floor everything else stands on. And what is read from disk
is data: nothing imports pickle, marshal or shelve.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path, src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("module, line, contract", [
    ("engine/rounds.py", "from wargame import report as _report", "The engine knows nothing of saves"),
    ("engine/proposals.py", "from wargame import saves as _saves", "The engine knows nothing of saves"),
    ("engine/scoring.py", "import textual as _textual", "The engine knows nothing of saves"),
    ("simulate.py", "from textual.app import App as _App", "Only wargame.tui imports Textual"),
    ("cli.py", "import textual.widgets as _widgets", "Only wargame.tui imports Textual"),
    ("model.py", "from . import errors as _errors", "The model imports no other module of the game"),
    ("saves/verify.py", "import pickle as _pickle", "Files are data, never code"),
    ("scenario.py", "import marshal as _marshal", "Files are data, never code"),
])
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, line, contract):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "src" / "wargame", tmp_path / "src" / "wargame",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "src" / "wargame" / module
    target.write_text(target.read_text() + "\n" + line + "\n")
    result = lint_imports(tmp_path, tmp_path / "src")
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [ln for ln in result.stdout.splitlines() if " BROKEN" in ln]
    assert any(ln.startswith(contract) for ln in broken), result.stdout
