"""Issue 21: real signing-tool quirks that are no forgery, each reproduced from the test PKI, plus the real
file it came from (``../shared/real/signed-quirks``, marked ``real``, skipped when absent)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from verify import FileReport, parse_stamps, verify_file
from verify.names import is_cut_prefix

ROOT = Path(__file__).resolve().parents[2]
SIGNED = ROOT / "fixtures" / "signed"
QUIRKS = ROOT.parent / "shared" / "real" / "signed-quirks"

real = pytest.mark.real


def _real(name: str) -> FileReport:
    path = QUIRKS / name
    if not path.exists():
        pytest.skip(f"{path} absent")
    return verify_file(path)


def _notes(r: FileReport) -> list[str]:
    return [p for s in r.signatures for p in s.problems if p.startswith("note:")]


# --- 1. the SignerInfo's signature algorithm with a parameter where NULL belongs ---------------------------


def test_pss_params_under_rsa_encryption_valid_with_note(test_pki) -> None:
    r = verify_file(SIGNED / "sigalg-pss-params.pdf", settings=test_pki)
    assert r.verdict == "valid", r.problems
    assert _notes(r)[0] == (
        "note: nonstandard_signature_algorithm: the SignerInfo's signature algorithm rsassa_pkcs1v15 "
        "(1.2.840.113549.1.1.1) carries RSASSA-PSS parameters (hash sha256, mgf1 with sha256, salt 32 bytes) "
        "where PKCS #1 puts NULL; set aside (a PKCS #1 v1.5 signature has no parameters and they are not "
        "signed), the signature checked strictly as PKCS #1 v1.5"
    )


def test_constructed_null_valid_and_agrees_with_the_protection_attribute(test_pki) -> None:
    r = verify_file(SIGNED / "sigalg-constructed-null.pdf", settings=test_pki)
    assert r.verdict == "valid", r.problems
    assert "carries a NULL encoded as constructed (25 00)" in _notes(r)[0]
    bad = verify_file(SIGNED / "sigalg-protection-mismatch.pdf", settings=test_pki)
    assert bad.problems == (
        "Signature1: validation_failed: SignatureValidationError: Signature mechanism does not match CMS "
        "algorithm protection attribute. [AdESIndeterminate.GENERIC]",
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (
            "sigalg-pss-params-flipped-byte.pdf",
            "digest_mismatch: the signed bytes were changed after signing",
        ),
        (
            "sigalg-pss-params-garbage-after-digest.pdf",
            "bad_signature: the CMS signature does not verify with the signer's key",
        ),
        (
            "sigalg-pss-params-ber-long-length.pdf",
            "bad_signature: the CMS signature does not verify with the signer's key",
        ),
        (
            "sigalg-pss-params-no-null-wrong-digest.pdf",
            "bad_signature: the CMS signature does not verify with the signer's key",
        ),
    ],
)
def test_forgeries_around_the_tolerated_algorithm_stay_invalid(test_pki, name: str, problem: str) -> None:
    r = verify_file(SIGNED / name, settings=test_pki)
    assert r.verdict == "invalid"
    assert r.problems == (f"Signature1: {problem}",)


def test_an_unreadable_signature_is_an_error_with_the_parsers_reason(test_pki) -> None:
    r = verify_file(SIGNED / "sigalg-pss-unreadable.pdf", settings=test_pki)
    assert r.verdict == "error"
    (s,) = r.signatures
    assert s.status == "error"
    assert s.problems == (
        "unparseable_signature: the SignerInfo's signature algorithm cannot be read (Error parsing "
        "asn1crypto.algos.RSASSAPSSParams - tag should have been 16, but 5 was found)",
    )
    ber = verify_file(SIGNED / "sigalg-ber-length.pdf", settings=test_pki)
    assert ber.verdict == "error"
    assert (
        ber.signatures[0]
        .problems[0]
        .endswith("and not as PKCS #1 v1.5 with stray parameters: length not in its shortest (DER) form")
    )
    assert not any("digest_mismatch" in p for p in r.problems + ber.problems)


@real
def test_real_constructed_null() -> None:
    r = _real("constructed-null.pdf")
    assert r.verdict == "valid", r.problems
    assert [s.status for s in r.signatures] == ["valid"] * 4
    assert any("carries RSASSA-PSS parameters (hash sha256" in n for n in _notes(r))


# --- 3. numbers of the incremental-update diff compared by value --------------------------------------------


def test_page_box_rewritten_as_float32_is_the_same_box(test_pki) -> None:
    r = verify_file(SIGNED / "mediabox-same-value.pdf", settings=test_pki)
    assert r.verdict == "valid", r.problems
    assert "page entry /MediaBox rewritten with the same numbers" in r.signatures[0].changes
    moved = verify_file(SIGNED / "mediabox-moved.pdf", settings=test_pki)
    assert moved.problems == ("Signature1: modified: page entry /MediaBox changed",)


def test_numbers_by_value_not_token() -> None:
    from pyhanko.pdf_utils import generic

    from verify.changes import _norm

    def box(*v: str) -> generic.ArrayObject:
        return generic.ArrayObject(
            generic.FloatObject(x) if "." in x else generic.NumberObject(int(x)) for x in v
        )

    assert _norm(box("0", "0", "595.35", "841.95")) == _norm(box("0.0", "0", "595.34997559", "841.95001221"))
    assert _norm(box("0", "0", "595.35", "841.95")) != _norm(box("0", "0", "595.36", "841.95"))
    assert _norm(generic.NumberObject(16777217)) != _norm(generic.NumberObject(16777216))  # integers exact


@real
def test_real_mediabox_rewritten() -> None:
    r = _real("mediabox-rewritten.pdf")
    assert r.verdict == "valid", r.problems
    assert all("page entry /MediaBox rewritten with the same numbers" in s.changes for s in r.signatures)


# --- 5. the licensed public CAs shipped; a chain that needs a CA we do not ship says which ------------------


def test_leaf_under_a_licensed_ca_needs_that_ca_and_says_so(test_pki) -> None:
    r = verify_file(SIGNED / "licensed-ca-leaf-only.pdf", settings=test_pki)
    assert r.problems == (
        "Signature1: untrusted: no chain to a trust anchor (NO_CERTIFICATE_CHAIN_FOUND): the chain needs "
        "'CA công cộng thử nghiệm Remote Signing' (issuer of 'NGUYỄN TRÍ HÒA'), which neither the signature "
        "nor the trust store holds",
    )
    shipped = replace(test_pki, trust_dirs=(*test_pki.trust_dirs, SIGNED / "pki" / "licensed"))
    r = verify_file(SIGNED / "licensed-ca-leaf-only.pdf", settings=shipped)
    assert r.verdict == "valid", r.problems
    assert r.signatures[0].trust_path == (
        "ocr-ingest Test Root CA",
        "CA công cộng thử nghiệm Remote Signing",
        "NGUYỄN TRÍ HÒA",
    )


def test_a_chain_ending_at_a_root_we_do_not_ship_names_it() -> None:
    r = verify_file(SIGNED / "untrusted-chain.pdf")
    assert r.problems == (
        "Signature1: untrusted: no chain to a trust anchor (NO_CERTIFICATE_CHAIN_FOUND): the chain ends at "
        "the self-signed 'Rogue Root CA', which the trust store does not hold",
    )


@real
def test_real_intrustca() -> None:
    r = _real("intrustca.pdf")
    assert r.verdict == "valid", r.problems
    assert r.signatures[0].trust_path == (
        "Vietnam National Root CA",
        "IntrustCA Remote Signing",
        "NGUYỄN TRÍ HÒA",
    )


# --- 4. a stamp line wrapped or cut at the widget's edge ----------------------------------------------------

#: The appearance text of the real file's widget as PDFium reads it (one value over two lines each).
REAL_WIDGET_TEXT = (
    "Ký bởi: ỦY BAN NHÂN\r\nDÂN TỈNH LÂM ĐỒNG\r\nCơ quan: ỦY BAN NHÂN\r\nDÂN TỈNH LÂM ĐỒNG\r\n"
    "Thời gian ký: 13/11/2025\r\n15:53:50"
)


def test_wrapped_values_read_on_in_a_widget_only() -> None:
    (st,) = parse_stamps(REAL_WIDGET_TEXT, widget=True)
    assert (st.signer, st.continued_value("signer")) == ("ỦY BAN NHÂN", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG")
    assert st.continued_value("organisation") == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert st.time is not None and st.time.isoformat() == "2025-11-13T15:53:50+07:00"
    (page,) = parse_stamps(REAL_WIDGET_TEXT)  # page text: the next line may be the document's
    assert (page.continued, page.time) == ((), None)


def test_wrapped_stamp_time_read_over_two_lines(test_pki) -> None:
    r = verify_file(SIGNED / "stamp-line-wrapped.pdf", settings=test_pki)
    assert r.verdict == "valid", r.problems
    assert r.stamp is not None and r.stamp.time_text == "10/06/2025 14:08:34"
    assert [c.how for c in r.signatures[0].comparisons] == ["exact", "case-and-marks", "exact"]


def test_cut_stamp_line_matched_as_the_start_of_the_name_with_a_note(test_pki) -> None:
    r = verify_file(SIGNED / "stamp-line-cut.pdf", settings=test_pki)
    assert r.verdict == "valid", r.problems
    (s,) = r.signatures
    assert str(s.comparisons[0]) == (
        "signer: stamp 'ỦY BAN NHÂN' ≈ certificate 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG' (prefix)"
    )
    assert _notes(r) == [
        "note: stamp_line_cut: the stamp's signer line 'ỦY BAN NHÂN' is cut at the widget's edge; matched "
        "as the start of the certificate's name 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG'"
    ]
    other = verify_file(SIGNED / "stamp-line-wrapped-other-province.pdf", settings=test_pki)
    assert other.problems == (
        "Signature1: stamp_signer_mismatch: stamp names 'ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK', certificate CN is "
        "'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG'",
    )


def test_a_cut_prefix_is_whole_words_and_shorter() -> None:
    assert is_cut_prefix("ỦY BAN NHÂN", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG")
    assert not is_cut_prefix("ỦY", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG")  # one word says nothing
    assert not is_cut_prefix("ỦY BAN NH", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG")  # cut inside a word
    assert not is_cut_prefix("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG")
    assert not is_cut_prefix("HỘI ĐỒNG NHÂN", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG")


@real
def test_real_stamp_line_cut() -> None:
    r = _real("stamp-line-cut.pdf")
    assert r.verdict == "valid", r.problems
    (s,) = r.signatures
    assert str(s.comparisons[0]) == (
        "signer: stamp 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG' = certificate 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG' (exact)"
    )
    assert (
        "note: stamp_line_wrapped: the stamp's signer 'ỦY BAN NHÂN' goes on over the next line at the "
        "widget's edge: read as 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG'" in _notes(r)
    )
    assert s.comparisons[-1].how == "exact"  # the time, read over its two lines


# --- 2. signed in series, then saved anew: the signed bytes are no longer in the file -----------------------


def test_a_file_saved_anew_after_signing_says_so(test_pki) -> None:
    r = verify_file(SIGNED / "saved-anew-after-signing.pdf", settings=test_pki)
    assert r.verdict == "invalid"
    assert [p.split(": ", 2)[1] for p in r.problems] == ["digest_mismatch"] * 2
    assert all(
        "the file was saved anew after signing: its /ByteRange [0, " in p
        and "no longer frames this signature's /Contents (now at byte " in p
        for p in r.problems
    )
    flipped = verify_file(SIGNED / "flipped-byte.pdf", settings=test_pki)  # range intact, a byte changed
    assert flipped.problems == ("Signature1: digest_mismatch: the signed bytes were changed after signing",)


@real
def test_real_series_signed_then_saved_anew_is_not_valid() -> None:
    """iText 7.1.17 wrote this file anew two days after both signatures (one xref, one %%EOF, a received
    stamp added to page 1): the byte ranges point into font streams. pyHanko 0.38 says INVALID too
    ("cryptographically unsound"); only the signed attributes' own signature verifies, which any copied
    CMS blob would. Not valid: the signed document is not in the file."""
    r = _real("intact-but-digest-mismatch.pdf")
    assert r.verdict == "invalid"
    assert r.problems == (
        "Signature1: digest_mismatch: the file was saved anew after signing: its /ByteRange [0, 381891, "
        "406661, 2314] no longer frames this signature's /Contents (now at byte 8622), so the signed bytes "
        "are not in this file",
        "Signature2: digest_mismatch: the file was saved anew after signing: its /ByteRange [0, 422429, "
        "447199, 1948] no longer frames this signature's /Contents (now at byte 34612), so the signed bytes "
        "are not in this file",
    )
