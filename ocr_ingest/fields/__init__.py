"""The notice's fields (số ký hiệu, ngày, tên loại, trích yếu, cơ quan ban hành, nơi nhận, người ký …).

``extract_fields(text, pages=None) -> NoticeFields`` is the one entry point (``pages``: the OCR pages'
word boxes, :mod:`.layout`, so a field is read where the page prints it); see :mod:`.notice` for the
keys, spans and confidences. :mod:`.parse` holds the value parsers (number, date, type names, names),
:mod:`.bottom` the recipients / signature block. ``add_boxes(fields, doc)`` (:mod:`.boxes`) adds where
on its page each field was read. ``with_signing_day(found, report.signed_by())``, once the signature
report is known: a date whose handwritten day was not read takes the day the issuer signed the file.
``known_signer(name, issuer, known)`` (:mod:`.known`): a name whose family name the seal took, completed
from the names the archive holds under the same issuer; ``listed_signer(rows, title)``: the rows the seal left
of a leader's name (``Thanh Trà`` under *PHÓ THỦ TƯỚNG*), matched to the names real legal text lists under the
title (``lm.signers``), which ``extract_fields`` uses.
"""

from .boxes import add_boxes
from .known import KNOWN_CONF, LISTED_CONF, known_signer, lacks_family_name, listed_signer
from .notice import DateField, NameField, NoticeFields, NumberField, extract_fields, with_signing_day
from .parse import Field

__all__ = [
    "KNOWN_CONF",
    "LISTED_CONF",
    "add_boxes",
    "DateField",
    "Field",
    "NameField",
    "NoticeFields",
    "NumberField",
    "extract_fields",
    "known_signer",
    "lacks_family_name",
    "listed_signer",
    "with_signing_day",
]
