"""The house's layout, checked: the import contract of pyproject.toml ([tool.importlinter]) and a room for
every module of ocr_ingest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: what may stand in ocr_ingest/ outside a room
LOOSE = {"__init__.py", "errors.py"}


def test_import_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    p = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-2000:]
    assert " kept, 0 broken." in p.stdout


def test_every_module_lives_in_a_room() -> None:
    loose = {f.name for f in (ROOT / "ocr_ingest").glob("*.py")} - LOOSE
    assert not loose, f"modules outside a room: {sorted(loose)}"
    rooms = {d.name for d in (ROOT / "ocr_ingest").iterdir() if (d / "__init__.py").exists()}
    assert rooms == {"archive", "cli", "execute", "fields", "intake", "lm", "serve", "text", "watch"}
