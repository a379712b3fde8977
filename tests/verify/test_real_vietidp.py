"""The real VietIDP decisions (``../shared/real/vietidp``): every verdict as hand-checked, counted.

Marked ``real`` and skipped when the set is absent. About a minute on one core (137 files, 1 355 pages).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from verify import verify_file

VIETIDP = Path(__file__).resolve().parents[3] / "shared" / "real" / "vietidp"


@pytest.mark.real
def test_vietidp_verdicts_hold() -> None:
    files = sorted(VIETIDP.glob("*.pdf"))
    if not files:
        pytest.skip(f"{VIETIDP} absent")
    reports = {f.name: verify_file(f) for f in files}
    assert Counter(r.verdict for r in reports.values()) == {"valid": 134, "unsigned": 2, "expired": 1}
    assert reports["qd_0148.pdf"].verdict == "expired"
    assert {n for n, r in reports.items() if r.verdict == "unsigned"} == {"qd_0095.pdf", "qd_0114.pdf"}
