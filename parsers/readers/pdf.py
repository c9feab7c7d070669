"""PDF reader: PDFium (pypdfium2) for characters and ruling lines, pdfplumber's table finder for grids.

One pass per page, one page in memory at a time: characters and their boxes come from PDFium's text
page, ruling lines from its path objects, and `pdfplumber.table` turns the lines into cell grids. That
avoids pdfminer's per-character objects, which cost more than everything else put together.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.errors import ParseError
from parsers.layout import Block, Layout, Table
from parsers.limits import Deadline, Limits
from parsers.readers import ocr as ocr_module
from parsers.readers.failures import reader
from parsers.readers.pdf_layout import PageBlocks, continues, drop_running_lines, layout_page
from parsers.readers.pdf_miner import MinerPages
from parsers.readers.pdf_page import read_page
from parsers.readers.pdf_tables import align_columns, same_frame
from parsers.readers.textjoin import join_lines

MEDIA_TYPE = "application/pdf"
# A page whose text (page numbers aside) is shorter than this, under an image covering most of the
# page, is a scan.
_SCAN_MAX_CHARS = 10
_SCAN_MIN_IMAGE = 0.5

# PDFium is not thread-safe; a crawler may parse in a thread pool.
_PDFIUM_LOCK = threading.Lock()

_PLACEHOLDERS = {"(anonymous)", "(unspecified)", "untitled", "unknown", "无标题", "none"}
_WORD_TITLE = re.compile(r"^microsoft (?:word|excel|powerpoint) - |\.(?:docx?|wps|xlsx?|pdf)$", re.IGNORECASE)

_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_FILE: "the file could not be read",
    pdfium_c.FPDF_ERR_FORMAT: "damaged or truncated, its structure could not be rebuilt",
    pdfium_c.FPDF_ERR_SECURITY: "its security scheme is not supported",
}


@reader("PDF")
def read_pdf(data: bytes, limits: Limits, deadline: Deadline) -> Layout:
    with _PDFIUM_LOCK:
        doc = _open(data)
        miner = MinerPages(data)
        try:
            return _read(doc, limits, deadline, miner)
        finally:
            miner.close()
            doc.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    if b"%PDF" not in data[:1024]:
        raise ParseError("not a PDF: no %PDF header in the first 1024 bytes", kind="unreadable")
    try:
        # PDFium tries the empty user password itself, so files that are only permission-protected open.
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ParseError("the PDF is encrypted with a user password", kind="encrypted") from exc
        why = _LOAD_ERRORS.get(code, "unknown error")
        raise ParseError(f"the PDF cannot be opened: {why} ({exc})", kind="unreadable") from exc


@dataclass
class _Reading:
    """What reading the pages found, before the pages are put together."""

    pages: list[PageBlocks] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    scanned: list[int] = field(default_factory=list)  # image-only pages left unread
    garbled: list[int] = field(default_factory=list)  # pages whose fonts map no Unicode, left unread
    ocred: list[int] = field(default_factory=list)
    text_pages: int = 0
    n_cells: int = 0


def _read(doc: pdfium.PdfDocument, limits: Limits, deadline: Deadline, miner: MinerPages) -> Layout:
    n_pages = len(doc)
    if n_pages == 0:
        raise ParseError("the PDF has no pages", kind="unreadable")
    reading = _Reading()
    to_read = min(n_pages, limits.max_pages)
    if to_read < n_pages:
        reading.warnings.append(f"only the first {to_read} of {n_pages} pages were read (page limit)")
    ocr = _Ocr() if ocr_module.available() else None
    for index in range(to_read):
        deadline.check(f"reading PDF page {index + 1}")
        _read_page(doc, index, reading, ocr, deadline, miner)
        if reading.n_cells > limits.max_cells:
            raise ParseError(f"more than {limits.max_cells} table cells", kind="too_large")
    meta = _metadata(doc)
    title = meta.pop("Title", None)
    warnings = reading.warnings
    if reading.ocred:
        meta["ocr"] = ocr_module.engine_name()
        warnings.append(
            f"{_pages(reading.ocred)} were read by OCR ({meta['ocr']}); characters may be misrecognised"
        )
    unread = reading.scanned + reading.garbled
    if ocr is not None and ocr.out_of_time:
        warnings.append(f"OCR stopped when the time limit drew near; {len(unread)} page(s) unread")
    if unread and reading.text_pages == 0 and not reading.ocred:
        # Nothing but images, or glyphs without Unicode: the text is only in the pixels.
        if reading.garbled:
            warnings.append(
                f"the fonts of {_pages(reading.garbled)} map no Unicode text; only OCR can read them"
            )
        return Layout([], MEDIA_TYPE, title, meta, warnings, needs_ocr=True, pages=n_pages)
    if reading.scanned:
        warnings.append(
            f"{_pages(reading.scanned)} have no text layer (scanned images); their content was not read"
        )
    if reading.garbled:
        warnings.append(
            f"the fonts of {_pages(reading.garbled)} map no Unicode text; their content was not read"
        )
    return Layout(_assemble(reading.pages), MEDIA_TYPE, title, meta, warnings, pages=n_pages)


def _read_page(
    doc: pdfium.PdfDocument,
    index: int,
    reading: _Reading,
    ocr: _Ocr | None,
    deadline: Deadline,
    miner: MinerPages,
) -> None:
    number = index + 1
    try:
        content = _page_content(doc, index)
    except pdfium.PdfiumError as exc:
        reading.warnings.append(f"page {number} could not be loaded ({exc}); skipped")
        return
    if content.unplaced and not content.garbled:
        chars = miner.chars(index, content.width, content.height, content.turn)
        if chars is None:
            reading.warnings.append(
                f"page {number}: text in fonts the file does not embed, for which this machine has no "
                "stand-in font, could not be read whole; characters may be missing"
            )
        else:
            content.chars = chars
    carried = reading.pages[-1].row_ruled if reading.pages and reading.pages[-1].page == number - 1 else None
    result = None if content.garbled else layout_page(content, number, carried)
    scan = (
        result is not None and result.text_chars <= _SCAN_MAX_CHARS and content.image_area >= _SCAN_MIN_IMAGE
    )
    if (content.garbled or scan) and ocr is not None:
        ocr_content = ocr.read(doc, index, deadline)
        if ocr_content is not None:
            result, scan = layout_page(ocr_content, number, carried), False
            reading.ocred.append(number)
    if result is None:
        reading.garbled.append(number)
        return
    if scan:
        reading.scanned.append(number)
    elif result.text_chars > _SCAN_MAX_CHARS:
        reading.text_pages += 1
    if result.text_tables:
        reading.warnings.append(
            f"page {number}: {result.text_tables} table(s) without ruling lines were read from text "
            "positions; their cell boundaries are uncertain"
        )
    reading.n_cells += sum(len(b.cells) for b in result.blocks if isinstance(b, Table))
    reading.pages.append(result)


def _assemble(pages: list[PageBlocks]) -> list[Block]:
    """The pages' blocks in order, without running headers and footers, with paragraphs that a page
    break cut joined again (on the page where they start)."""
    drop_running_lines(pages)
    blocks: list[Block] = []
    previous: PageBlocks | None = None
    for result in pages:
        if continues(previous, result):
            tail = blocks[-1]
            tail.text = join_lines([tail.text, result.blocks[0].text])
            blocks.extend(result.blocks[1:])
        else:
            blocks.extend(result.blocks)
        if result.blocks:
            previous = result
    _align_continued_tables(blocks)
    return blocks


def _align_continued_tables(blocks: list[Block]) -> None:
    """A table cut by page breaks comes as one Table per page: line up their columns (see
    pdf_tables.align_columns) where each part starts its page right after the part above ends its page."""
    run: list[Table] = []
    for block in [*blocks, None]:
        if (
            isinstance(block, Table)
            and run
            and block.page == (run[-1].page or 0) + 1
            and same_frame(run[-1], block)
        ):
            run.append(block)
            continue
        if len(run) > 1:
            align_columns(run)
        run = [block] if isinstance(block, Table) else []


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:20])) + (" …" if len(numbers) > 20 else "")
    return f"page(s) {shown}"


class _Ocr:
    """Runs OCR page by page while the time left allows another page."""

    def __init__(self) -> None:
        self.last_seconds = 15.0  # until measured: a page at 150 dpi on a slow shared core
        self.out_of_time = False

    def read(self, doc: pdfium.PdfDocument, index: int, deadline: Deadline):
        if self.out_of_time or deadline.remaining() < 1.5 * self.last_seconds:
            self.out_of_time = True
            return None
        started = time.monotonic()
        page = doc[index]
        try:
            content = ocr_module.ocr_page(page)
        finally:
            page.close()
        self.last_seconds = time.monotonic() - started
        return content


def _page_content(doc: pdfium.PdfDocument, index: int):
    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            return read_page(page, textpage)
        finally:
            textpage.close()
    finally:
        page.close()


def _metadata(doc: pdfium.PdfDocument) -> dict[str, str]:
    """The Info dictionary without placeholders; a Title freed of 'Microsoft Word - x.docx' wrapping."""
    try:
        raw = doc.get_metadata_dict(skip_empty=True)
    except Exception:  # metadata is a nicety; a broken Info dictionary must not fail the document
        return {}
    out: dict[str, str] = {}
    for key, value in raw.items():
        value = value.strip() if isinstance(value, str) else ""
        if key == "Title":
            value = _WORD_TITLE.sub("", value).strip()
        if value and value.lower() not in _PLACEHOLDERS:
            out[key] = value
    return out
