"""Files per second of ``verify`` on the signed fixtures, beside pyHanko's own CLI and API on the same files.

Run: ``.venv/bin/python bench/bench_verify.py [--repeat N]``. Three numbers, same files, same run:
our ``verify_file`` in-process; pyHanko's validation API in-process (signatures only: no stamp, no
change classification, no unsupported-subfilter listing); pyHanko's CLI ``pyhanko sign validate
--pretty-print`` (one process per file, as a shell loop over an archive would run it).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign.validation import validate_pdf_signature  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402

from verify import Settings, verify_file  # noqa: E402

SIGNED = ROOT / "fixtures" / "signed"
PKI = SIGNED / "pki"


def signed_files() -> list[Path]:
    cases = json.loads((SIGNED / "cases.json").read_text(encoding="utf-8"))
    return [SIGNED / n for n, v in cases.items() if v not in ("error", "unsigned", "stamp_only")]


def ours(files: list[Path], settings: Settings) -> None:
    for f in files:
        verify_file(f, settings=settings)


def pyhanko_api(files: list[Path], vc_factory) -> None:
    for f in files:
        data = f.read_bytes()
        try:
            r = PdfFileReader(BytesIO(data[data.find(b"%PDF-") :]), strict=False)
            for emb in r.embedded_signatures:
                validate_pdf_signature(emb, signer_validation_context=vc_factory())
        except Exception:
            pass


def pyhanko_cli(files: list[Path], exe: str) -> None:
    trust = [a for p in sorted(PKI.glob("*.pem")) for a in ("--trust", str(p))]
    for f in files:
        subprocess.run(
            [
                exe,
                "sign",
                "validate",
                "--pretty-print",
                "--no-revocation-check",
                *trust,
                "--trust-replace",
                str(f),
            ],
            capture_output=True,
            timeout=120,
        )


def rate(fn, n_files: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return n_files / best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs per contender; the best is kept")
    args = ap.parse_args()
    files = signed_files()
    settings = Settings(trust_dirs=(PKI,))
    from asn1crypto import pem, x509

    roots = [x509.Certificate.load(pem.unarmor(p.read_bytes())[2]) for p in sorted(PKI.glob("*.pem"))]

    def vc() -> ValidationContext:
        return ValidationContext(trust_roots=roots, allow_fetching=False)

    ours(files[:2], settings)  # warm imports and trust-store cache
    r_ours = rate(lambda: ours(files, settings), len(files), args.repeat)
    r_api = rate(lambda: pyhanko_api(files, vc), len(files), args.repeat)
    exe = shutil.which("pyhanko", path=str(Path(sys.executable).parent)) or shutil.which("pyhanko")
    r_cli = rate(lambda: pyhanko_cli(files, exe), len(files), max(1, args.repeat // 3)) if exe else None
    print(f"{len(files)} signed fixtures, best of {args.repeat} runs")
    print(f"  ocr-ingest verify (in-process)      : {r_ours:8.1f} files/s")
    print(
        f"  pyHanko API validate (in-process)   : {r_api:8.1f} files/s   ratio ours/api = {r_ours / r_api:.2f}"
    )
    if r_cli:
        print(
            f"  pyhanko sign validate (CLI, 1 proc/file): {r_cli:4.1f} files/s   ratio ours/cli = {r_ours / r_cli:.1f}"
        )
    else:
        print("  pyhanko CLI not installed (pip install pyhanko-cli): skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
