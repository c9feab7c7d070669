"""Search chunks from a parsed document: its sections (and their table-free paragraphs), ≤ ~2,000 chars.

Why chunks and not whole reports: a tsvector keeps at most 256 positions per lexeme, so common bigrams
(信息, 公开) of a long report lose positions and phrase queries silently miss; chunks also give hits a
heading to show and a short snippet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.model import Document

MAX_CHUNK_CHARS = 2000
# Where a long paragraph may be cut: after a sentence end, else after a clause, else anywhere.
_SENTENCE_END = re.compile(r"[。！？!?；;]")


@dataclass(frozen=True, slots=True)
class ChunkText:
    ordinal: int
    heading: str | None
    text: str
    page: int | None = None


def _is_table_line(line: str) -> bool:
    # Tables reach section text as tab-separated rows; their numbers are facts, not prose to search.
    return "\t" in line


def _split_long(paragraph: str, limit: int) -> list[str]:
    parts: list[str] = []
    rest = paragraph
    while len(rest) > limit:
        window = rest[:limit]
        cut = max((m.end() for m in _SENTENCE_END.finditer(window)), default=0)
        if cut < limit // 2:
            cut = max(window.rfind("，"), window.rfind(","), window.rfind(" ")) + 1
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        parts.append(rest)
    return parts


def _pack(paragraphs: list[str], limit: int) -> list[str]:
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for para in paragraphs:
        for piece in _split_long(para, limit):
            if current and size + 1 + len(piece) > limit:
                chunks.append("\n".join(current))
                current, size = [], 0
            current.append(piece)
            size += len(piece) + (1 if size else 0)
    if current:
        chunks.append("\n".join(current))
    return chunks


def _section_heading(number: str | None, heading: str) -> str:
    heading = heading.strip()
    if number and not heading.startswith(number):
        return f"{number}、{heading}"
    return heading


def chunks_from_document(doc: Document, *, limit: int = MAX_CHUNK_CHARS) -> list[ChunkText]:
    """The title as chunk 0, then each section's heading and prose, packed into chunks."""
    out: list[ChunkText] = []
    if doc.title:
        out.append(ChunkText(0, None, doc.title.strip()))
    for section in doc.sections:
        heading = _section_heading(section.number, section.heading or "") or None
        lines = [ln.strip() for ln in (section.text or "").splitlines()]
        paragraphs = [ln for ln in lines if ln and not _is_table_line(ln)]
        if heading:
            # The heading leads the first chunk so that a hit on it is found and rechecked like any text.
            paragraphs.insert(0, heading)
        for text in _pack(paragraphs, limit):
            out.append(ChunkText(len(out), heading, text))
    return out
