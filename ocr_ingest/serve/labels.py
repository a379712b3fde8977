"""Vietnamese words for what the archive stores under English keys: fields, verdicts, problem codes.

The page shows the Vietnamese first and the English code beside it (``lang="en"``), so a clerk reads
the meaning and a technician can still grep the code in the logs or in ``record.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verify import LABELS

#: The fields table, in the order a notice is read (top to bottom), with the Thông tư 30/2020 names.
FIELDS: tuple[tuple[str, str], ...] = (
    ("number", "Số, ký hiệu"),
    ("date", "Ngày ban hành"),
    ("doc_type", "Tên loại"),
    ("subject", "Trích yếu"),
    ("parent_body", "Cơ quan chủ quản"),
    ("issuing_body", "Cơ quan ban hành"),
    ("place", "Địa danh"),
    ("recipients", "Nơi nhận"),
    ("authority", "Thẩm quyền ký"),
    ("signer_title", "Chức vụ người ký"),
    ("signer_name", "Người ký"),
    ("body", "Nội dung"),
)
FIELD_LABELS = dict(FIELDS)

#: Verdict → (Vietnamese word, tone). The tone picks the badge colour; the word is always shown too.
TONES = {
    "valid": "good",
    "stamp_only": "info",
    "unsigned": "info",
    "untrusted": "warn",
    "expired": "warn",
    "stamp_mismatch": "warn",
    "modified": "bad",
    "invalid": "bad",
    "error": "bad",
}
ICONS = {"good": "✓", "info": "○", "warn": "!", "bad": "✗"}


def verdict_vi(verdict: str | None) -> str:
    """``Hợp lệ`` for ``valid``: the Vietnamese half of verify's label."""
    if not verdict:
        return "Chưa kiểm tra"
    return LABELS.get(verdict, verdict).split(" / ")[0]


COVERAGE = {
    "entire_file": "toàn bộ tệp",
    "earlier_revision": "một phiên bản trước của tệp (tệp có thay đổi sau khi ký)",
    "partial": "một phần tệp",
    "unclear": "không xác định",
}

#: Cross-check comparisons (verify's ``comparisons``: stamp value vs certificate or signing time).
COMPARISON_COLUMNS = {
    "field": "Mục",
    "stamp": "Hình dấu ghi",
    "source": "Đối chiếu với",
    "source_value": "Giá trị đối chiếu",
    "how": "Cách khớp",
    "matched": "Kết quả",
}
COMPARISON_FIELDS = {
    "signer": "Người ký",
    "organisation": "Cơ quan",
    "email": "Email",
    "time": "Thời gian ký",
}
COMPARISON_SOURCES = {
    "certificate": "chứng thư số",
    "/M": "thời gian ký khai báo (/M)",
    "signingTime": "thời gian ký trong chữ ký (signingTime)",
    "timestamp": "dấu thời gian (timestamp)",
}
COMPARISON_HOWS = {
    "exact": "trùng khớp",
    "case-and-marks": "khác chữ hoa/thường hoặc dấu",
    "abbreviation": "viết tắt",
    "fuzzy": "gần đúng",
    "part": "một phần",
    "prefix": "phần đầu (dòng bị cắt ở mép ô chữ ký)",
    "no": "không khớp",
}

#: Problem code (verify's ``code: detail`` strings) → plain Vietnamese.
PROBLEMS = {
    "error": "Không đọc được tệp.",
    "digest_mismatch": "Nội dung đã ký bị thay đổi sau khi ký.",
    "bad_signature": "Chữ ký số không khớp với khóa của người ký.",
    "byte_range_manipulated": "Vùng dữ liệu được ký có khoảng trống bất thường: dấu hiệu giả mạo.",
    "weak_hash": "Thuật toán băm yếu (SHA-1); được chấp nhận cho chữ ký VGCA cũ.",
    "modified": "Tệp bị sửa sau khi ký; người đọc sẽ thấy phần thay đổi.",
    "junk_prefix": "Có dữ liệu thừa trước phần đầu tệp PDF (thêm vào sau khi ký).",
    "stamp_time_mismatch": "Thời gian trên hình dấu ký khác thời gian của chữ ký số.",
    "stamp_signer_mismatch": "Tên người ký trên hình dấu khác tên trong chứng thư số.",
    "stamp_organisation_mismatch": "Cơ quan trên hình dấu khác cơ quan trong chứng thư số.",
    "stamp_email_mismatch": "Email trên hình dấu khác email trong chứng thư số.",
    "stamp_only": "Chỉ có hình dấu ký in trên văn bản, không có chữ ký số để kiểm tra.",
    "unsigned": "Văn bản không có chữ ký số.",
    "unsupported_subfilter": "Loại chữ ký này chưa được hỗ trợ, không kiểm tra được.",
    "unreadable_signature": "Không đọc được chữ ký số.",
    "unparseable_signature": "Không đọc được cấu trúc chữ ký số (CMS); chữ ký này chưa được kiểm tra.",
    "validation_failed": "Không kiểm tra được chữ ký số.",
    "expired": "Chứng thư số không còn hiệu lực vào thời điểm ký.",
    "untrusted": "Chứng thư số không dẫn tới tổ chức chứng thực tin cậy.",
    "revoked": "Chứng thư số đã bị thu hồi.",
    "timestamp_invalid": "Dấu thời gian (timestamp) kèm theo không hợp lệ hoặc không tin cậy.",
    "note": "Ghi chú.",
}


@dataclass(frozen=True)
class Problem:
    """One of verify's problem strings, ``[Field: ]code: detail``, split for display."""

    code: str | None
    vietnamese: str
    detail: str
    signature: str | None = None


_PROBLEM = re.compile(r"^(?:(?P<field>[^:]+): )?(?P<code>[a-z_]+): (?P<detail>.*)$", re.S)


def problem(text: str) -> Problem:
    """``Signature1: modified: page entry /Contents changed`` → code, Vietnamese sentence, detail."""
    m = _PROBLEM.match(text)
    if m and m["code"] in PROBLEMS:
        return Problem(m["code"], PROBLEMS[m["code"]], m["detail"], m["field"])
    head, _, rest = text.partition(": ")
    if head in PROBLEMS:
        return Problem(head, PROBLEMS[head], rest)
    return Problem(None, "", text)
