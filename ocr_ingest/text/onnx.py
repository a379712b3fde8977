"""ONNX networks run here (AsterOCR's line reader, the handwritten-figures model) on one CPU thread
each: the pages are the parallelism (one worker per core), so a network's own threads would only
fight them for the cores."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def cpu_session(path: Path) -> Any:
    """An onnxruntime session of the network at ``path``: CPU, one thread within and across operators."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
