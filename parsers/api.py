"""`parse()`: bytes of a report in, the document of docs/SCHEMA.md out.

Pure: no file, network or database access. The size limit is checked before anything is read, the
time limit between every stage and inside the readers' loops; every failure is a ParseError.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from parsers import __version__
from parsers.checks import run_checks
from parsers.errors import ParseError
from parsers.layout import Layout
from parsers.limits import Deadline, Limits
from parsers.metadata import Metadata, read_metadata
from parsers.model import Document, Source
from parsers.readers import read
from parsers.sections import split_sections
from parsers.templates import Reading, detect_template, interpret
from parsers.templates.rows import full_text

__all__ = ["parse", "parse_layout", "Limits", "ParseError"]


def parse(
    data: bytes,
    media_type: str | None = None,
    url: str | None = None,
    *,
    limits: Limits | None = None,
) -> Document:
    """Parse one report. `media_type` and `url` only break ties in format sniffing and are recorded."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"parse() takes bytes, not {type(data).__name__}")
    data = bytes(data)
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise ParseError(
            f"the document is {len(data):,} bytes, over the limit of {limits.max_bytes:,}", kind="too_large"
        )
    deadline = Deadline(limits.max_seconds)
    try:
        layout = read(data, media_type, url, limits, deadline)
    except ParseError:
        raise
    except RecursionError as exc:
        raise ParseError("the document is nested too deeply to read", kind="unreadable") from exc
    source = Source(sha256=hashlib.sha256(data).hexdigest(), uri=url, media_type=layout.media_type)
    return parse_layout(layout, source, deadline)


T = TypeVar("T")


def _guarded(stage: str, failures: list[str], fallback: Callable[[], T], run: Callable[..., T], *args) -> T:
    """One stage of interpretation. A bug met on an unforeseen document costs that stage's part of the
    result (said in a warning), not the whole document: the other stages still give what they read."""
    try:
        return run(*args)
    except (ParseError, RecursionError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - any other exception here is a parser bug; keep the rest
        failures.append(f"internal error while {stage} ({type(exc).__name__}: {exc}); that part is missing")
        return fallback()


def parse_layout(layout: Layout, source: Source, deadline: Deadline | None = None) -> Document:
    """The report document of a Layout already read (the readers' tests and the benchmarks use this)."""
    if layout.needs_ocr:
        pages = f"{layout.pages} pages" if layout.pages else "its pages"
        raise ParseError(f"a scanned document: {pages} without a text layer; it needs OCR", kind="needs_ocr")
    if deadline is not None:
        deadline.check("interpreting the document")
    failures: list[str] = []
    text = full_text(layout)
    meta = _guarded("reading the title, agency and year", failures, Metadata, read_metadata, layout, text)
    template = _guarded(
        "detecting the template", failures, lambda: None, detect_template, layout, meta.year, text
    )
    reading = _guarded(
        "reading the tables", failures, lambda: Reading(template), interpret, layout, template, deadline
    )
    if template is None and not reading.facts:
        prose = any("。" in p.text and len(p.text) >= 30 for p in layout.paragraphs())
        if meta.year is None or not prose:
            # Nothing of a report: no year and no table; or a page of titles and links (a column page).
            what = "no statistical year" if meta.year is None else "no report text"
            raise ParseError(
                f"no annual report found: {what}, no report table and no figures were recognised",
                kind="not_a_report",
            )
    if deadline is not None:
        deadline.check("splitting the sections")
    sections = _guarded(
        "splitting the sections",
        failures,
        list,
        split_sections,
        reading.layout or layout,
        meta.title_paragraphs,
    )
    narrative = "\n".join(p.text for p in layout.paragraphs())
    checks = _guarded("running the checks", failures, list, run_checks, reading.facts, narrative)

    warnings = [*layout.warnings, *failures, *meta.warnings]
    if template is None:
        warnings.append("no report template recognised: the statistics tables are missing or unreadable")
    elif not reading.facts:
        warnings.append(f"template {template} recognised but no table cell could be read")
    if meta.year is None:
        warnings.append("no statistical year found in the title or the 统计期限 sentence")
    if meta.agency is None:
        warnings.append("no agency found in the title")
    warnings.extend(reading.warnings)

    return Document(
        parser_version=__version__,
        source=source,
        agency=meta.agency,
        year=meta.year,
        title=meta.title,
        template=template,
        sections=sections,
        facts=reading.facts,
        checks=checks,
        warnings=warnings,
    )
