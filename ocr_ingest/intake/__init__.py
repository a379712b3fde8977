"""The archive's intake (Thông tư 05/2025/TT-BNV): per document a two-layer PDF/A signed by the archive
and its metadata, per hồ sơ a package. ``pdfa``: the copy; ``sign``: the archive's signature;
``metadata``: the TT 05 fields, XML and the office's sheet; ``mets``: METS and PREMIS; ``description``:
the hồ sơ description (TOML or CSV); ``package``: the E-ARK zip; ``check``: the validators' verdicts on a
package."""

from .check import check_package
from .description import DescriptionError, read_description
from .metadata import document_metadata, metadata_xml, write_sheet
from .package import export
from .pdfa import PdfaCopy, PdfaError, validate, write_two_layer_pdfa
from .sign import SignedCopy, SigningError, SigningSettings, sign_copy

__all__ = [
    "DescriptionError",
    "PdfaCopy",
    "PdfaError",
    "SignedCopy",
    "SigningError",
    "SigningSettings",
    "check_package",
    "document_metadata",
    "export",
    "metadata_xml",
    "read_description",
    "sign_copy",
    "validate",
    "write_sheet",
    "write_two_layer_pdfa",
]
