"""The archive's intake (Thông tư 05/2025/TT-BNV): per document a two-layer PDF/A signed by the archive
and its metadata, per hồ sơ a package. ``pdfa``: the copy; ``sign``: the archive's signature;
``metadata``: the TT 05 fields, XML and the office's sheet; ``package``: the E-ARK CSIP zip."""

from .pdfa import PdfaCopy, PdfaError, validate, write_two_layer_pdfa
from .sign import SignedCopy, SigningError, SigningSettings, sign_copy

__all__ = [
    "PdfaCopy",
    "PdfaError",
    "SignedCopy",
    "SigningError",
    "SigningSettings",
    "sign_copy",
    "validate",
    "write_two_layer_pdfa",
]
