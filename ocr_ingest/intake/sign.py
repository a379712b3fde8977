"""The archive's signature on each digitised copy (TT 05/2025): PAdES B-B with pyHanko, B-T when a
timestamp server is configured; the key from a PKCS#12 file or a PKCS#11 token (VGCA's USB tokens are
PKCS#11). The visible signature sits on page 1 at the top right and shows the organisation's name and
the signing time in ISO 8601 with +07:00, in a Times-metric serif (Liberation Serif), 10 pt, black, no
seal image. Signing appends an incremental update: the PDF/A copy underneath stays as it was.

The labels are those our own ``verify`` reads (``Ký bởi`` / ``Thời gian ký``), so the stamp is
cross-checked against the certificate and the signing time like any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
STAMP_FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")  # fonts-liberation2
STAMP_SIZE = (210.0, 42.0)  # points: the box on page 1
STAMP_MARGIN = 18.0  # points from the top and right edges
FIELD_NAME = "ArchiveSignature"


class SigningError(Exception):
    """The key could not be loaded or the signature not made; the message says which."""


@dataclass(frozen=True)
class SigningSettings:
    """Where the archive's key is and what the stamp shows.

    Either ``pkcs12`` (+ ``pkcs12_password``) or ``pkcs11_module`` (+ ``token_label``, ``pin``,
    ``key_label``, ``cert_label``). ``organisation``: the name on the stamp (default: the certificate's
    O, else CN). ``timestamp_url``: an RFC 3161 server for PAdES B-T (None: B-B)."""

    pkcs12: Path | None = None
    pkcs12_password: bytes | None = None
    pkcs11_module: Path | None = None
    token_label: str | None = None
    pin: str | None = None
    key_label: str | None = None
    cert_label: str | None = None
    organisation: str | None = None
    timestamp_url: str | None = None


@dataclass(frozen=True)
class SignedCopy:
    path: Path
    organisation: str
    signing_time: str  # ISO 8601, +07:00, to the second
    level: str  # "B-B" or "B-T"


def stamp_lines(organisation: str, when: dt.datetime) -> str:
    return f"Ký bởi: {organisation}\nThời gian ký: {iso_vietnam(when)}"


def iso_vietnam(when: dt.datetime) -> str:
    return when.astimezone(VIETNAM).isoformat(timespec="seconds")


def sign_copy(source: Path, out: Path, settings: SigningSettings) -> SignedCopy:
    """Sign ``source`` (the PDF/A copy) into ``out`` as the archive, now. ``source`` is only read.

    The stamp's time is taken just before pyHanko takes its own (the /M and CMS signing time), to the
    second: ``verify`` cross-checks the two within its tolerance."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    when = dt.datetime.now(VIETNAM).replace(microsecond=0)
    with _signer(settings) as signer:
        organisation = settings.organisation or _organisation_of(signer.signing_cert)
        with source.open("rb") as f:
            from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

            writer = IncrementalPdfFileWriter(f)
            box = _top_right_box(writer)
            meta = signers.PdfSignatureMetadata(
                field_name=FIELD_NAME,
                subfilter=fields.SigSeedSubFilter.PADES,
                md_algorithm="sha256",
                location="Việt Nam",
                reason="Số hóa tài liệu lưu trữ",
                name=organisation,
            )
            pdf_signer = signers.PdfSigner(
                meta,
                signer,
                timestamper=HTTPTimeStamper(settings.timestamp_url) if settings.timestamp_url else None,
                stamp_style=_stamp_style(),
                new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=0, box=box),
            )
            tmp = out.with_name(out.name + ".part")
            with tmp.open("wb") as dest:
                pdf_signer.sign_pdf(
                    writer,
                    output=dest,
                    appearance_text_params={"stamp": stamp_lines(organisation, when)},
                )
            tmp.replace(out)
    return SignedCopy(out, organisation, iso_vietnam(when), "B-T" if settings.timestamp_url else "B-B")


def _stamp_style():  # -> TextStampStyle
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text="%(stamp)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(STAMP_FONT)), font_size=10),
        border_width=0,
        background=None,
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MID, margins=Margins.uniform(2)
        ),
    )


def _top_right_box(writer) -> tuple[int, int, int, int]:
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    x0, y0, x1, y1 = (float(v) for v in page["/MediaBox"])
    w, h = STAMP_SIZE
    right, top = x1 - STAMP_MARGIN, y1 - STAMP_MARGIN
    return (int(right - w), int(top - h), int(right), int(top))


def _organisation_of(cert) -> str:  # asn1crypto Certificate
    subject = cert.subject.native
    return subject.get("organization_name") or subject.get("common_name") or "?"


class _signer:
    """The key as a pyHanko signer, from PKCS#12 or a PKCS#11 token; the token session closed after."""

    def __init__(self, settings: SigningSettings):
        self.settings = settings
        self.session = None

    def __enter__(self):
        from pyhanko.sign import signers

        s = self.settings
        if s.pkcs12:
            try:
                signer = signers.SimpleSigner.load_pkcs12(s.pkcs12, passphrase=s.pkcs12_password)
            except (OSError, ValueError) as exc:
                raise SigningError(f"cannot read the PKCS#12 file {s.pkcs12}: {exc}") from exc
            if signer is None:
                raise SigningError(f"cannot read the PKCS#12 file {s.pkcs12} (wrong password?)")
            return signer
        if s.pkcs11_module:
            from pyhanko.config.pkcs11 import TokenCriteria
            from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

            try:
                self.session = open_pkcs11_session(
                    str(s.pkcs11_module), token_criteria=TokenCriteria(label=s.token_label), user_pin=s.pin
                )
            except Exception as exc:  # python-pkcs11 raises its own classes: the token's no, said plainly
                raise SigningError(
                    f"cannot open the token {s.token_label!r}: {type(exc).__name__} {exc}"
                ) from exc
            return PKCS11Signer(self.session, cert_label=s.cert_label or s.key_label, key_label=s.key_label)
        raise SigningError("no key: give a PKCS#12 file or a PKCS#11 module and token")

    def __exit__(self, *exc: object) -> None:
        if self.session is not None:
            self.session.close()
