"""``make bench`` / ``python -m bench``: every benchmark in turn, each printing ratios against a
baseline measured in the same run. Pass ``--quick`` for the short pipeline run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in [
    "bench_pipeline.py",
    "bench_letter_height.py",
    "bench_engines.py",
    "bench_verify.py",
    "bench_archive.py",
    "bench_serve.py",
    "bench_dask.py",
    "bench_watch.py",
]:
    path = HERE / script
    if path.exists():
        print(f"\n===== {script} =====", flush=True)
        args = sys.argv[1:] if script == "bench_pipeline.py" else []
        subprocess.run([sys.executable, str(path), *args], check=False)
