"""Every committed signing case gets exactly its expected verdict (fixtures/signed/cases.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verify import FileReport, verify_file

SIGNED = Path(__file__).resolve().parents[2] / "fixtures" / "signed"
CASES: dict[str, str] = json.loads((SIGNED / "cases.json").read_text(encoding="utf-8"))

EXPECTED = {
    "valid.pdf": "valid",
    "flipped-byte.pdf": "invalid",
    "page-replaced.pdf": "modified",
    "second-signature.pdf": "valid",
    "annotation-added.pdf": "modified",
    "expired-cert.pdf": "expired",
    "self-signed.pdf": "untrusted",
    "untrusted-chain.pdf": "untrusted",
    "stamp-time-off.pdf": "stamp_mismatch",
    "stamp-name-off.pdf": "stamp_mismatch",
    "local-time-as-utc.pdf": "valid",
    "sha1.pdf": "valid",
    "junk-prefix.pdf": "valid",
    "timestamped.pdf": "valid",
    "unsupported-subfilter.pdf": "invalid",
    "truncated.pdf": "error",
    "not-a-pdf.pdf": "error",
    "unsigned.pdf": "unsigned",
    "printed-stamp.pdf": "stamp_only",
    "scan-stamp-only.pdf": "stamp_only",
    "attack-isa.pdf": "modified",
    "attack-wrapping.pdf": "invalid",
    "attack-shadow-hide.pdf": "modified",
    "attack-shadow-replace.pdf": "modified",
    "attack-shadow-hide-and-replace.pdf": "modified",
    "revoked-cert.pdf": "valid",  # without a CRL; see test_crl_* for the revoked verdict
    "certified-then-signed.pdf": "valid",
    "certified-then-modified.pdf": "modified",
    "freed-gen-65534.pdf": "valid",
    "freed-content-65534.pdf": "modified",
    # issue 11: stamp formats of organisation certificates, compared as a clerk reads names
    "ky-boi-abbreviation.pdf": "valid",
    "ky-boi-ngay-ky.pdf": "valid",
    "sao-y.pdf": "valid",
    "stamp-other-body.pdf": "stamp_mismatch",
    "stamp-other-province.pdf": "stamp_mismatch",
    "image-only-stamp.pdf": "valid",
    "scan-noisy-stamp-only.pdf": "stamp_only",
    # issue 11: a NULL-less DigestInfo is a signature; blocks a lenient parser would take are not
    "digestinfo-no-null.pdf": "valid",
    "digestinfo-garbage-after-digest.pdf": "invalid",
    "digestinfo-wrong-length.pdf": "invalid",
    "digestinfo-ber-long-length.pdf": "invalid",
    "digestinfo-no-null-wrong-digest.pdf": "invalid",
    # issue 21: rsaEncryption with a parameter that is not NULL is a signature (checked strictly); what
    # a forger would build around that tolerance is not; an identifier we cannot read is an error
    "sigalg-pss-params.pdf": "valid",
    "sigalg-constructed-null.pdf": "valid",
    "sigalg-protection-mismatch.pdf": "invalid",
    "sigalg-pss-params-flipped-byte.pdf": "invalid",
    "sigalg-pss-params-garbage-after-digest.pdf": "invalid",
    "sigalg-pss-params-ber-long-length.pdf": "invalid",
    "sigalg-pss-params-no-null-wrong-digest.pdf": "invalid",
    "sigalg-ber-length.pdf": "error",
    "sigalg-pss-unreadable.pdf": "error",
    # issue 21: a page box written again in other tokens is the same box; a box moved by 0.01 pt is not
    "mediabox-same-value.pdf": "valid",
    "mediabox-moved.pdf": "modified",
    # issue 21: a leaf under a licensed CA the verifier does not ship (test_signed_quirks: shipped, valid)
    "licensed-ca-leaf-only.pdf": "untrusted",
    # issue 21: stamp values wrapped or cut at the widget's edge; a wrapped line naming another body is not
    "stamp-line-wrapped.pdf": "valid",
    "stamp-line-cut.pdf": "valid",
    "stamp-line-wrapped-other-province.pdf": "stamp_mismatch",
    # issue 21: signed twice, then the whole file saved anew with a received stamp: the signed bytes are gone
    "saved-anew-after-signing.pdf": "invalid",
}


def test_manifest_matches_the_issue_cases() -> None:
    assert CASES == EXPECTED


@pytest.fixture(scope="module")
def reports(test_pki) -> dict[str, FileReport]:
    return {name: verify_file(SIGNED / name, settings=test_pki) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_verdict(reports: dict[str, FileReport], name: str) -> None:
    assert reports[name].verdict == EXPECTED[name], reports[name].problems


@pytest.mark.parametrize("name", [n for n in EXPECTED if n.startswith("attack-")])
def test_attacks_never_valid(reports: dict[str, FileReport], name: str) -> None:
    assert reports[name].verdict not in ("valid", "stamp_mismatch", "untrusted", "expired")


def test_without_test_pki_the_valid_fixture_is_untrusted() -> None:
    r = verify_file(SIGNED / "valid.pdf")
    assert r.verdict == "untrusted"
    assert any("no chain to a trust anchor" in p for p in r.problems)


def test_valid_details(reports: dict[str, FileReport]) -> None:
    r = reports["valid.pdf"]
    (s,) = r.signatures
    assert (s.signer, s.issuer, s.digest_algorithm, s.subfilter) == (
        "Lâm Thái Hòa",
        "CA thử nghiệm các cơ quan Nhà nước",
        "sha256",
        "adbe.pkcs7.detached",
    )
    assert s.coverage == "entire_file"
    assert s.signing_time == "2023-09-14T02:12:05+00:00"
    assert s.trust_path == ("ocr-ingest Test Root CA", "CA thử nghiệm các cơ quan Nhà nước", "Lâm Thái Hòa")
    assert s.revocation == "not checked"
    assert r.stamp is not None and r.stamp.signer == "Lâm Thái Hòa"
    assert r.stamp.organisation == "Huyện ủy Trà Cú, Tỉnh Trà Vinh"
    assert r.problems == ()


def test_signed_by_names_only_valid_signatures(reports: dict[str, FileReport]) -> None:
    """What a field may take from a signature (the issuer's signing day): only what a forger could not
    have put there, a valid signature's signer and time."""
    assert reports["valid.pdf"].signed_by() == (("Lâm Thái Hòa", "2023-09-14T02:12:05+00:00"),)
    for name in ("flipped-byte.pdf", "self-signed.pdf", "untrusted-chain.pdf", "expired-cert.pdf"):
        assert reports[name].signed_by() == (), name


def test_second_signature_covers_earlier_revision(reports: dict[str, FileReport]) -> None:
    first, second = reports["second-signature.pdf"].signatures
    assert (first.coverage, second.coverage) == ("earlier_revision", "entire_file")
    assert second.subfilter == "ETSI.CAdES.detached"
    assert second.signer == "Văn thư Huyện ủy Trà Cú"
    assert "signature field added" in first.changes
    assert [s.signer for s in reports["second-signature.pdf"].stamps] == [
        "Lâm Thái Hòa",
        "Văn thư Huyện ủy Trà Cú",
    ]


def test_modified_says_what_changed(reports: dict[str, FileReport]) -> None:
    assert "modified: page entry /Contents changed" in reports["page-replaced.pdf"].signatures[0].problems
    assert "modified: annotation /Square added" in reports["annotation-added.pdf"].signatures[0].problems
    assert reports["attack-shadow-hide.pdf"].signatures[0].modification_level.startswith("visible changes")


def test_sha1_is_flagged_weak(reports: dict[str, FileReport]) -> None:
    (s,) = reports["sha1.pdf"].signatures
    assert s.digest_algorithm == "sha1"
    assert "weak_hash: sha1 (legacy VGCA signature, accepted)" in s.problems


def test_sha1_rejected_when_weak_hashes_refused(test_pki) -> None:
    from dataclasses import replace

    r = verify_file(SIGNED / "sha1.pdf", settings=replace(test_pki, accept_weak_hash=False))
    assert r.verdict == "untrusted"  # the SHA-1 certificate chain is refused


def test_junk_prefix_reported_not_broken(reports: dict[str, FileReport]) -> None:
    r = reports["junk-prefix.pdf"]
    assert r.problems == (
        "junk_prefix: 21 bytes before %PDF- (added after signing; verified relative to the header)",
    )
    assert r.signatures[0].status == "valid"


def test_timestamps(reports: dict[str, FileReport]) -> None:
    sig, doc_ts = reports["timestamped.pdf"].signatures
    assert sig.timestamp == "2023-09-14T02:12:08+00:00"
    assert sig.signing_time == "2023-09-14T02:12:08+00:00"
    assert doc_ts.kind == "timestamp" and doc_ts.subfilter == "ETSI.RFC3161"
    assert doc_ts.timestamp == "2023-09-14T02:17:05+00:00"


def test_unsupported_subfilter_listed(reports: dict[str, FileReport]) -> None:
    (s,) = reports["unsupported-subfilter.pdf"].signatures
    assert (s.kind, s.subfilter, s.status) == ("unsupported", "adbe.pkcs7.sha1", "invalid")
    assert "unsupported_subfilter: adbe.pkcs7.sha1 cannot be validated" in s.problems


def test_expired_and_untrusted_reasons(reports: dict[str, FileReport]) -> None:
    assert reports["expired-cert.pdf"].problems == (
        "Signature1: expired: certificate valid 2019-01-01 to 2021-01-01, not at signing time",
    )
    assert reports["self-signed.pdf"].signatures[0].trust_path == ()


def test_errors_never_raise(tmp_path) -> None:
    assert verify_file(tmp_path / "missing.pdf").verdict == "error"
    assert verify_file(SIGNED / "not-a-pdf.pdf").problems == ("error: not a PDF (no %PDF- header)",)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert verify_file(empty).verdict == "error"


def test_stamp_only_from_pipeline_text(tmp_path) -> None:
    text = "THÔNG BÁO\nNgưòi ký: Lâm Thái Hòa\nThòi gian ky: 14.09.2023 09:12:05 +07:00\n"
    r = verify_file(SIGNED / "unsigned.pdf", text=text)
    assert r.verdict == "stamp_only"
    assert r.stamp is not None and r.stamp.signer == "Lâm Thái Hòa"
    assert verify_file(SIGNED / "unsigned.pdf", text="no stamp here").verdict == "unsigned"


def test_summary_and_json(reports: dict[str, FileReport]) -> None:
    r = reports["stamp-name-off.pdf"]
    assert r.summary().startswith(f"{r.file}: STAMP_MISMATCH, 1 signature(s), first by Lâm Thái Hòa")
    d = json.loads(r.to_json())
    assert set(d) == {"file", "verdict", "signatures", "stamp", "problems"}
    assert d["stamp"]["signer"] == "Nguyễn Văn An"


def test_verifying_in_threads_gives_the_same_reports_and_pdfium_is_never_entered_twice(
    reports, test_pki, monkeypatch
) -> None:
    """``run`` and ``watch`` verify documents in threads; PDFium may only ever be in one of them."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import pypdfium2 as pdfium

    from verify import pdftext

    unlocked: list[str] = []
    real_init = pdfium.PdfDocument.__init__

    def spying_init(self, *a, **kw):
        if not pdftext.PDFIUM_LOCK.locked():
            unlocked.append(threading.current_thread().name)
        real_init(self, *a, **kw)

    monkeypatch.setattr(pdfium.PdfDocument, "__init__", spying_init)
    names = [n for n in EXPECTED if not n.startswith(("scan-", "printed-"))] * 3
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda n: verify_file(SIGNED / n, settings=test_pki), names))
    assert [r.to_json() for r in got] == [reports[n].to_json() for n in names]
    assert unlocked == []


CRL = SIGNED / "pki" / "intermediate.crl"


@pytest.fixture(scope="module")
def with_crl(test_pki):
    from dataclasses import replace

    return replace(test_pki, crl_files=(CRL,))


def test_crl_revoked_signer_is_not_valid(with_crl) -> None:
    r = verify_file(SIGNED / "revoked-cert.pdf", settings=with_crl)
    assert r.verdict == "untrusted"
    (s,) = r.signatures
    assert s.revocation == "revoked on 2023-06-01 (key_compromise)"
    assert r.problems == ("Signature1: revoked: the signer's certificate was revoked",)


def test_crl_not_revoked_stays_valid(with_crl) -> None:
    r = verify_file(SIGNED / "valid.pdf", settings=with_crl)
    assert r.verdict == "valid"
    assert r.signatures[0].revocation == "checked (CRL): not revoked"
    # signed 2021, CRL issued 2023: a later CRL still judges the certificate at signing time
    sha1 = verify_file(SIGNED / "sha1.pdf", settings=with_crl)
    assert (sha1.verdict, sha1.signatures[0].revocation) == ("valid", "checked (CRL): not revoked")


def test_crl_scope_is_said(with_crl) -> None:
    sig, doc_ts = verify_file(SIGNED / "timestamped.pdf", settings=with_crl).signatures
    assert sig.revocation == "checked (CRL): not revoked"
    assert doc_ts.revocation == "not checked: document timestamps are not checked against CRLs"
    rogue = verify_file(SIGNED / "untrusted-chain.pdf", settings=with_crl).signatures[0]
    assert rogue.revocation == "not checked: no CRL from this certificate's issuer was given"


def test_without_crl_revocation_not_checked(reports: dict[str, FileReport]) -> None:
    for name in ("valid.pdf", "revoked-cert.pdf"):
        assert [s.revocation for s in reports[name].signatures] == ["not checked"]


def test_certified_then_approval_signature(reports: dict[str, FileReport]) -> None:
    """DocMDP P=2 allows signing; pyHanko's strict policy says OTHER (new visible field), we say valid."""
    cert, approval = reports["certified-then-signed.pdf"].signatures
    assert (cert.status, approval.status) == ("valid", "valid")
    assert cert.coverage == "earlier_revision"
    assert "signature field added" in cert.changes
    assert not any(c.startswith(("page", "annotation")) for c in cert.changes)


def test_certified_then_content_changed(reports: dict[str, FileReport]) -> None:
    (s,) = reports["certified-then-modified.pdf"].signatures
    assert "modified: page entry /Contents changed" in s.problems


def test_freed_objects_judged_by_object_number(reports: dict[str, FileReport]) -> None:
    """An xref ``f`` entry with generation 65534 frees a generation-0 object: no crash, judged by role."""
    (s,) = reports["freed-gen-65534.pdf"].signatures
    assert s.changes == ("object 26 freed (xref generation 65534)",)
    (s,) = reports["freed-content-65534.pdf"].signatures
    assert s.problems == ("modified: object 28 shown on a page was freed",)


def test_abbreviated_body_on_the_stamp_is_the_certificate_s_body(reports: dict[str, FileReport]) -> None:
    r = reports["ky-boi-abbreviation.pdf"]
    (s,) = r.signatures
    assert r.stamp is not None and (r.stamp.signer, r.stamp.format) == ("UBND tỉnh Lâm Đồng", "ky_boi")
    assert [str(c) for c in s.comparisons] == [
        "signer: stamp 'UBND tỉnh Lâm Đồng' ≈ certificate 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG' (abbreviation)",
        "time: stamp '2025-06-10T14:08:34+07:00' = /M '2025-06-10T14:08:34+07:00' (exact)",
    ]
    assert r.problems == () and s.problems == ()
    d = json.loads(r.to_json())
    assert d["signatures"][0]["comparisons"][0] == {
        "field": "signer",
        "stamp": "UBND tỉnh Lâm Đồng",
        "source": "certificate",
        "source_value": "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        "how": "abbreviation",
        "matched": True,
    }


def test_ngay_ky_stamp(reports: dict[str, FileReport]) -> None:
    r = reports["ky-boi-ngay-ky.pdf"]
    assert r.stamp is not None and r.stamp.time_text == "10-01-2026 10:24:18 +07:00"
    assert str(r.signatures[0].comparisons[0]) == (
        "signer: stamp 'Ủy ban nhân dân tỉnh Đắk Lắk' = certificate 'Ủy ban nhân dân tỉnh Đắk Lắk' (exact)"
    )


def test_certified_copy_says_by_whom(reports: dict[str, FileReport]) -> None:
    r = reports["sao-y.pdf"]
    assert r.stamp is not None and r.stamp.copy and r.stamp.signer == "Ủy ban Nhân dân tỉnh Bến Tre"
    assert r.signatures[0].problems == (
        "note: sao_y: a certified copy (sao y) made by 'Ủy ban Nhân dân tỉnh Bến Tre'",
    )
    assert r.problems == ()
    assert json.loads(r.to_json())["stamp"]["copy"] is True


def test_stamps_naming_another_body_stay_mismatched(reports: dict[str, FileReport]) -> None:
    assert reports["stamp-other-body.pdf"].problems == (
        "Signature1: stamp_signer_mismatch: stamp names 'HĐND tỉnh Lâm Đồng', "
        "certificate CN is 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG'",
    )
    assert str(reports["stamp-other-province.pdf"].signatures[0].comparisons[0]) == (
        "signer: stamp 'UBND tỉnh Lâm Đồng' ≠ certificate 'Ủy ban nhân dân tỉnh Đắk Lắk' (no)"
    )


def test_image_only_widget_is_a_note_not_a_problem(reports: dict[str, FileReport]) -> None:
    r = reports["image-only-stamp.pdf"]
    (s,) = r.signatures
    assert r.stamp is None and r.problems == () and s.comparisons == ()
    assert s.problems == (
        "note: stamp not cross-checked: the signature's appearance has no text (an image only)",
    )


def test_null_less_digestinfo_is_valid_with_a_note(reports: dict[str, FileReport]) -> None:
    (s,) = reports["digestinfo-no-null.pdf"].signatures
    assert s.problems == (
        "note: nonstandard_digestinfo: the RSA PKCS#1 v1.5 DigestInfo omits the NULL parameters of the "
        "sha256 AlgorithmIdentifier (the other DER encoding; accepted by exact comparison)",
    )
    assert s.trust_path == ("ocr-ingest Test Root CA", "CA thử nghiệm các cơ quan Nhà nước", "Lâm Thái Hòa")
    assert reports["digestinfo-no-null.pdf"].problems == ()


@pytest.mark.parametrize(
    "name", [n for n in EXPECTED if n.startswith("digestinfo-") and n != "digestinfo-no-null.pdf"]
)
def test_forged_digestinfo_blocks_are_bad_signatures(reports: dict[str, FileReport], name: str) -> None:
    (s,) = reports[name].signatures
    assert s.problems == ("bad_signature: the CMS signature does not verify with the signer's key",)


def test_null_less_digestinfo_under_an_untrusted_chain_is_still_untrusted(tmp_path) -> None:
    """The tolerance makes the signature valid; trust is judged afterwards, as for any signature."""
    r = verify_file(SIGNED / "digestinfo-no-null.pdf")
    assert r.verdict == "untrusted"
    assert any(p.startswith("note: nonstandard_digestinfo") for p in r.signatures[0].problems)


@pytest.mark.parametrize(
    "text",
    [
        "NÑN gười ký: Ủy ban nhân dân tỉnh Lâm Đ\nEm ail: vanphong@lamdong.gov\nThời gian k ý: 10/06/2025 14:0",
        "K ý bởi: UBND tỉnh Lâm Đồ\nGiờ k ý: 10/06/2025 14:08:3",
        "Ký bởi: Ủy ban nhân dân tỉnh Đắk L\nNgày k ý: 10-01-2026 10:24",
        "SAO Y; Ủy ban Nhân dân tỉnh Bến Tre; Thời gian ký: 2025-05-30T10:26:30+07:00",
    ],
)
def test_scanned_stamps_in_every_format_are_stamp_only(text: str) -> None:
    r = verify_file(SIGNED / "unsigned.pdf", text="THÔNG BÁO\n" + text + "\nNơi nhận:")
    assert r.verdict == "stamp_only", r.problems


def test_scanned_certified_copy_says_so() -> None:
    r = verify_file(
        SIGNED / "unsigned.pdf", text="SAO Y; UBND tỉnh Bến Tre; Thời gian ký: 2025-05-30T10:26:30+07:00"
    )
    assert r.problems[-1] == "note: sao_y: a certified copy (sao y) made by 'UBND tỉnh Bến Tre'"
