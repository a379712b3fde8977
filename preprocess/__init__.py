"""Pure image steps for scanned pages: numpy in, numpy out, each reporting what it did.

No I/O and no OCR here: the pipeline in ``ocr_ingest`` decides when to call what.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StepReport:
    """What one step did to a page: its name, whether it changed anything, and the measured values."""

    step: str
    changed: bool
    details: dict[str, float | int | str] = field(default_factory=dict)
