"""Bad input: the parser answers a clear ParseError, or a document (with warnings where something was
left out), within its time limit; never a hang, never another exception.

Every case runs under pytest-timeout, so a hang fails the test instead of stalling the suite. Any
exception other than ParseError propagates and fails the test as it is.
"""

from __future__ import annotations

import io
import random
import zipfile

import pypdfium2
import pytest
from fact_compare import fact_problems, schema_errors
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from mirror.reports import Variation, generate_report, render_docx, render_html, render_pdf
from parsers import Document, Limits, ParseError, parse
from parsers.readers import ocr

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
KINDS = {"unreadable", "encrypted", "needs_ocr", "too_large", "timeout", "unsupported", "not_a_report"}

pytestmark = pytest.mark.timeout(180)


def outcome(data: bytes, media_type: str | None, limits: Limits | None = None) -> Document | ParseError:
    """Parse; a ParseError must say what and why; a document must be valid against the schema."""
    try:
        doc = parse(data, media_type, "bad-input", limits=limits)
    except ParseError as exc:
        assert exc.kind in KINDS, f"unknown ParseError kind {exc.kind!r}"
        assert exc.reason and len(exc.reason) > 10, "a ParseError must say why in words"
        return exc
    errors = schema_errors(doc)
    assert not errors, "\n".join(errors[:10])
    return doc


def assert_error(result: Document | ParseError, *kinds: str) -> ParseError:
    assert isinstance(result, ParseError), f"expected ParseError({'/'.join(kinds)}), got a document"
    assert result.kind in kinds, f"ParseError kind {result.kind!r} ({result.reason}); expected {kinds}"
    return result


def assert_error_or_warned(result: Document | ParseError) -> None:
    """Acceptable answers to damaged input: an error, or a document that says what it could not read."""
    if isinstance(result, Document):
        assert result.warnings, "a document read from damaged input must carry warnings"


@pytest.fixture(scope="module")
def report():
    return generate_report(31, agency="北京市科学技术委员会", year=2022)


@pytest.fixture(scope="module")
def good_pdf(report) -> bytes:
    return render_pdf(report)


# ---------------------------------------------------------------- PDF


@pytest.mark.parametrize("keep", [0.9, 0.5, 0.1, 0.01])
def test_truncated_pdf(good_pdf, keep):
    assert_error_or_warned(outcome(good_pdf[: int(len(good_pdf) * keep)], PDF))


def test_pdf_with_a_garbled_middle(good_pdf):
    rng = random.Random(3)
    data = bytearray(good_pdf)
    for i in range(len(data) // 3, len(data) // 3 + 4000):
        data[i] = rng.randrange(256)
    assert_error_or_warned(outcome(bytes(data), PDF))


def test_pdf_header_then_garbage():
    rng = random.Random(4)
    data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(rng.randrange(256) for _ in range(50_000))
    assert_error(outcome(data, PDF), "unreadable")


def _encrypted(user_password: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(
        buf, encrypt=StandardEncryption(user_password, ownerPassword="owner-secret", canPrint=0)
    )
    c.drawString(30 * mm, 250 * mm, "2022 report, encrypted")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_encrypted_pdf_with_a_password():
    assert_error(outcome(_encrypted("user-secret"), PDF), "encrypted")


def test_pdf_with_permissions_only():
    """Encrypted with an empty user password (only printing forbidden): readable; any answer but a crash."""
    result = outcome(_encrypted(""), PDF)
    if isinstance(result, ParseError):
        assert result.kind in ("encrypted", "not_a_report", "unreadable")


def _scanned(good_pdf: bytes) -> bytes:
    """The report's first page as one image filling a page, no text layer (a 图片版 report)."""
    page = pypdfium2.PdfDocument(good_pdf)[0]
    image = page.render(scale=2.0).to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG")
    png.seek(0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    from reportlab.lib.utils import ImageReader

    c.drawImage(ImageReader(png), 0, 0, width=595, height=842)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_scanned_pdf_needs_ocr_where_ocr_is_off(good_pdf, monkeypatch):
    """An image-only report (图片版) and no OCR (the [ocr] extra not installed, or switched off): the
    pages have no text layer, so the answer is ParseError(needs_ocr)."""
    monkeypatch.setattr(ocr, "ENABLED", False)
    assert_error(outcome(_scanned(good_pdf), PDF), "needs_ocr")


def test_scanned_pdf_is_read_by_ocr_where_installed(good_pdf):
    """With the [ocr] extra installed OCR is on: the same scan gives a document whose warnings say the
    page was read by OCR (its text may be misrecognised, so no fact is promised); the title and year on
    the page are large enough to come back. Skipped where the extra is not installed (the case above
    then holds without the monkeypatch)."""
    if not ocr.available():
        pytest.skip("the [ocr] extra (rapidocr-onnxruntime) is not installed")
    result = outcome(_scanned(good_pdf), PDF, Limits(max_seconds=300))
    assert isinstance(result, Document), f"expected a document read by OCR, got {result!r}"
    assert any("read by OCR" in w for w in result.warnings)
    assert result.year == 2022


@pytest.fixture(scope="module")
def long_pdf() -> tuple[bytes, object]:
    r = generate_report(7, agency="北京市科学技术委员会", year=2023)
    return render_pdf(r, Variation(extra_pages=500)), r


@pytest.mark.slow
def test_500_page_pdf_parses_or_stops_cleanly(long_pdf):
    data, r = long_pdf
    assert len(pypdfium2.PdfDocument(data)) >= 480
    result = outcome(data, PDF)
    if isinstance(result, ParseError):
        assert result.kind in ("timeout", "too_large")
        return
    problems = fact_problems(
        result,
        r.expected_facts(Variation(extra_pages=500)),
        tables=("active_disclosure", "applications", "review_litigation"),
    )
    assert not problems, "\n".join(problems[:20])


@pytest.mark.slow
def test_500_page_pdf_under_a_short_deadline(long_pdf):
    """With 2 s allowed, the deadline must stop the reading: a timeout error, or a document that was
    finished in time."""
    result = outcome(long_pdf[0], PDF, Limits(max_seconds=2.0))
    if isinstance(result, ParseError):
        assert result.kind == "timeout"


@pytest.mark.slow
def test_500_page_pdf_over_the_page_limit(long_pdf):
    result = outcome(long_pdf[0], PDF, Limits(max_pages=100))
    if isinstance(result, Document):
        assert any("page" in w for w in result.warnings), "pages left unread must be reported in warnings"
    else:
        assert result.kind == "too_large"


def test_size_limit(good_pdf):
    assert_error(outcome(good_pdf, PDF, Limits(max_bytes=10_000)), "too_large")


# ---------------------------------------------------------------- DOCX / zip


def test_docx_that_is_not_a_zip():
    rng = random.Random(5)
    data = b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(20_000))
    assert_error(outcome(data, DOCX), "unreadable", "unsupported")


def test_zip_that_is_not_a_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "这不是一个Word文档。")
    assert_error(outcome(buf.getvalue(), DOCX), "unreadable", "unsupported")


def test_truncated_docx(report):
    data = render_docx(report)
    assert_error_or_warned(outcome(data[: len(data) // 2], DOCX))


def _zip_bomb(unpacked: int) -> bytes:
    """A DOCX-shaped zip whose document.xml inflates to `unpacked` bytes (a few hundred KB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(
                b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            )
            chunk = b" " * (1 << 20)
            for _ in range(unpacked >> 20):
                f.write(chunk)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def test_zip_bomb():
    data = _zip_bomb(300 << 20)
    assert len(data) < 2 << 20
    assert_error(outcome(data, DOCX), "too_large")


# ---------------------------------------------------------------- HTML and text


def test_html_with_no_report_in_it():
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开年报_北京市科学技术委员会</title></head>"
        "<body><div class='position'>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>"
        "<ul class='list'><li><a href='./202401/t20240125_1.html'>北京市科学技术委员会2023年政府信息公开工作年度报告</a></li>"
        "<li><a href='./202301/t20230120_2.html'>北京市科学技术委员会2022年政府信息公开工作年度报告</a></li></ul>"
        "<div class='page'><script>createPageHTML(3, 0, 'index', 'html');</script></div></body></html>"
    )
    result = outcome(page.encode("utf-8"), HTML)
    if isinstance(result, Document):
        assert not [f for f in result.facts], "a list page has no statistics"
        assert result.warnings, "a page with no report in it must say so"
    else:
        assert result.kind in ("not_a_report", "unreadable")


def test_anti_bot_challenge_page():
    page = b"<html><meta id='x1' content='SEED' r='m'><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.cd='AAAA';</script></html>"
    result = outcome(page, HTML)
    if isinstance(result, Document):
        assert not result.facts and result.warnings


def test_deeply_nested_html(report):
    body = render_html(report)
    data = ("<div>" * 20_000 + body + "</div>" * 20_000).encode("utf-8")
    result = outcome(data, HTML)
    if isinstance(result, Document):
        assert result.template == "T2021"


def test_gbk_html_without_a_declared_charset(report):
    """Old pages are GBK with no charset anywhere: decoded, not mojibake."""
    data = ("<html><body>" + render_html(report) + "</body></html>").encode("gb18030")
    result = outcome(data, HTML)
    assert isinstance(result, Document), f"ParseError: {getattr(result, 'reason', '')}"
    assert result.year == 2022 and result.template == "T2021"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t  ", b"\x00" * 1000, bytes(random.Random(6).randrange(256) for _ in range(5000))],
    ids=["empty", "whitespace", "nul-bytes", "random-bytes"],
)
def test_nothing_to_read(data):
    result = outcome(data, None)
    if isinstance(result, Document):
        assert not result.facts and result.warnings
    else:
        assert result.kind in KINDS


def test_text_that_is_not_a_report():
    text = "关于做好2025年政府信息公开年报编制和公布有关工作的函\n各区政府、市政府各委、办、局：\n现将有关事项通知如下。".encode()
    result = outcome(text, "text/plain")
    if isinstance(result, Document):
        assert not result.facts
