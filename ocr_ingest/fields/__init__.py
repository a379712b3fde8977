"""The notice's fields (số ký hiệu, ngày, tên loại, trích yếu, cơ quan ban hành, nơi nhận, người ký …).

``extract_fields(text, pages=None) -> NoticeFields`` is the one entry point (``pages``: the OCR pages'
word boxes, :mod:`.layout`, so a field is read where the page prints it); see :mod:`.notice` for the
keys, spans and confidences. :mod:`.parse` holds the value parsers (number, date, type names, names),
:mod:`.bottom` the recipients / signature block.
"""

from .notice import DateField, NoticeFields, NumberField, extract_fields
from .parse import Field

__all__ = ["DateField", "Field", "NoticeFields", "NumberField", "extract_fields"]
