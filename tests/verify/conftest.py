from __future__ import annotations

from pathlib import Path

import pytest

from verify import Settings

ROOT = Path(__file__).resolve().parents[2]
SIGNED = ROOT / "fixtures" / "signed"


@pytest.fixture(scope="session")
def test_pki() -> Settings:
    """The committed test PKI trusted beside the bundled Vietnamese CAs."""
    return Settings(trust_dirs=(SIGNED / "pki",))
