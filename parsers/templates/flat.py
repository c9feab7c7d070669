"""Tables that a text rendering flattened into lines, rebuilt as rows.

A PDF read without its table grid, or a page saved as text, prints a table row as one line
(`一、本年新收政府信息公开申请数量 20 0 0 0 0 2 22`, `规章000`), as a label line followed by one number per
line, or as a label glued to a digit run. `unflatten()` turns runs of such lines into ragged tables, which
the table readers then read as they read any text table (columns by the order of the cells, a digit run
cut only where the sums allow one cut). Prose stays prose: a line with a sentence in it ends a run.
"""

from __future__ import annotations

import re

from parsers.layout import Cell, Layout, Paragraph, Table
from parsers.normalize import label_key

_NUM = r"[-+−－]?\d[\d,，]*(?:\.\d+)?(?:\s*[（(][^（()）]*[)）])?"
_ROW_LINE = re.compile(rf"^(?P<label>.*?[^\d\s.,，、．])\s*(?P<nums>{_NUM}(?:\s+{_NUM})*)\s*$")
_NUMS_ONLY = re.compile(rf"^\s*{_NUM}(?:\s+{_NUM})*\s*$")
_TOKEN = re.compile(_NUM)
_UNIT_WORDS = {"条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "项", "—", "-", "/"}
_SENTENCE = re.compile(r"[。；;！？!?]|[，,].*[，,]")
_NOTE = re.compile(r"[（(][^（()）]*[)）]")
_NOTE_ONLY = re.compile(r"^\s*[（(][^（()）]*[)）]\s*$")
_MAX_LABEL = 60
_LOOKBACK = 6


_SECTION = re.compile(
    r"(总体情况|概述|主动公开政府信息(的)?情况|收到和处理政府信息公开申请情况|行政复议.{0,12}行政诉讼.{0,4}情况|"
    r"存在的主要问题|其他需要报告的事项|政府信息公开情况统计表)$"
)


def _is_section_heading(p: Paragraph) -> bool:
    """A report heading between tables (二、主动公开政府信息情况 …): it ends a flattened table."""
    key = label_key(p.text)
    return bool(_SECTION.search(key)) and not re.search(r"\d\s*$", p.text)


def _is_prose(text: str) -> bool:
    # Commas inside a bracketed note (（区分处理的，只计这一情形，不计其他情形）) do not make a sentence.
    return len(text) > 80 or bool(_SENTENCE.search(_NOTE.sub("", text)))


def _row_cells(text: str) -> list[str] | None:
    """The cells of a line that reads as a table row (label then numbers), or None."""
    if _NUMS_ONLY.match(text):
        return _TOKEN.findall(text)
    m = _ROW_LINE.match(text)
    if not m or _is_prose(m.group("label")) or len(m.group("label")) > _MAX_LABEL:
        return None
    label = m.group("label").strip()
    if not re.search(r"[\u4e00-\u9fff]", label):
        return None
    nums = m.group("nums")
    cells = label.split()
    # `（一）收到申请数 件 11`: keep a trailing unit word as its own cell.
    return [*cells, *_TOKEN.findall(nums)]


# A row-numbering or label start glued to the last number of the row before (a PDF that joined the
# lines of a table printed without rules: `…数量 55 4 1 0 0 0 60二、上年结转…数量 0 0 0 0 1 0 1`).
_GLUED_NUM = re.compile(r"^(?P<num>[-+−－]?\d[\d,，]*(?:\.\d+)?)(?P<rest>[\u4e00-\u9fff（(].*)$")
_ROW_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")
_DASHES = {"—", "-", "/", "－", "——"}
_UNIT_CHARS = {u[0] for u in _UNIT_WORDS if u not in _DASHES}


def _is_value(token: str) -> bool:
    return bool(_NUMS_ONLY.match(token)) or token in _DASHES


def split_rows(text: str) -> list[str]:
    """The rows of one line that holds several (label, values) rows run together, or [text].

    A row starts again where a label follows values; a number glued to the next label is cut from it
    (not a unit: `11件` stays). Taken only when every part reads as a row (the last may be a label line,
    the heading of what follows), else the line is left whole; a sentence is never cut."""
    if re.search(r"[。；;！？]", _NOTE.sub("", text)):
        return [text]
    tokens: list[str] = []
    for k, tok in enumerate(text.split()):
        m = _GLUED_NUM.match(tok)
        rest = m.group("rest") if m else ""
        if (
            m
            and k > 0
            and rest not in _UNIT_WORDS
            and not any(rest.startswith(u) and len(rest) == len(u) for u in _UNIT_WORDS)
            and (_is_value(tokens[-1]) or tokens[-1] in _UNIT_WORDS or _ROW_START.match(rest))
        ):
            tokens += [m.group("num"), rest]
        else:
            tokens.append(tok)
    parts: list[list[str]] = [[]]
    for k, tok in enumerate(tokens):
        new_label = not _is_value(tok) and tok not in _UNIT_WORDS and not _NOTE_ONLY.match(tok)
        if k > 0 and new_label and _is_value(tokens[k - 1]):
            parts.append([])
        parts[-1].append(tok)
    if len(parts) < 2:
        return [text]
    if any(part[0][:1] in _UNIT_CHARS for part in parts[1:]):
        return [text]  # `本年共收到申请 12 件，其中 3 件`: prose, not a row that starts with a unit
    rows = [" ".join(part) for part in parts]
    if all(_row_cells(r) is not None for r in rows[:-1]) and (
        _row_cells(rows[-1]) is not None or _label_line(rows[-1]) is not None
    ):
        return rows
    return [text]


def _label_line(text: str) -> list[str] | None:
    if _is_prose(text) or len(text) > _MAX_LABEL or not re.search(r"[\u4e00-\u9fff]", text):
        return None
    return text.split()


def unflatten(layout: Layout) -> Layout:
    """A copy of `layout` whose runs of row-like paragraphs are ragged tables (other blocks kept)."""
    blocks: list[Paragraph | Table] = []
    for b in layout.blocks:
        rows = split_rows(b.text) if isinstance(b, Paragraph) else None
        if rows is None or len(rows) == 1:
            blocks.append(b)
        else:
            blocks.extend(Paragraph(r, page=b.page) for r in rows)
    out: list[Paragraph | Table] = []
    i = 0
    n = len(blocks)
    while i < n:
        b = blocks[i]
        if not isinstance(b, Paragraph) or _row_cells(b.text) is None:
            out.append(b)
            i += 1
            continue
        # Short label lines just before the first number line (headers) join the table.
        start = i
        while start > 0 and i - start < _LOOKBACK:
            prev = blocks[start - 1]
            if (
                isinstance(prev, Paragraph)
                and out
                and out[-1] is prev
                and _label_line(prev.text) is not None
                and not _is_section_heading(prev)
            ):
                start -= 1
                out.pop()
            else:
                break
        rows: list[list[str]] = []
        j = start
        while j < n:
            p = blocks[j]
            if not isinstance(p, Paragraph) or _is_section_heading(p):
                break
            cells = _row_cells(p.text)
            if cells is not None and _NUMS_ONLY.match(p.text) and rows and _takes_numbers(rows[-1]):
                rows[-1].extend(cells)  # one number per line: the values of the row above
            elif cells is not None:
                rows.append(cells)
            elif (words := _label_line(p.text)) is not None:
                if rows and len(words) == 1 and words[0] in _UNIT_WORDS:
                    rows[-1].append(words[0])  # the unit of the row above, on its own line
                elif rows and _NOTE_ONLY.match(p.text) and not any(_NUMS_ONLY.match(w) for w in rows[-1]):
                    rows[-1][-1] += p.text  # the bracketed note under a label, before its numbers
                else:
                    rows.append(words)
            else:
                break
            j += 1
        # Trailing label-only lines belong to what follows, not to this table.
        while (
            rows and _NUMS_ONLY.match(" ".join(rows[-1])) is None and _row_cells(" ".join(rows[-1])) is None
        ):
            rows.pop()
            j -= 1
        out.append(_table(rows, blocks[start].page))
        i = j
    return Layout(
        blocks=out,
        media_type=layout.media_type,
        title=layout.title,
        meta=layout.meta,
        warnings=layout.warnings,
        needs_ocr=layout.needs_ocr,
        pages=layout.pages,
    )


def _takes_numbers(row: list[str]) -> bool:
    """A row can take the numbers of the next lines: a single label (maybe with its unit and numbers)."""
    words = [w for w in row if not _NUMS_ONLY.match(w)]
    return 1 <= len(words) <= 2 and (len(words) == 1 or words[1] in _UNIT_WORDS)


def _table(rows: list[list[str]], page: int | None) -> Table:
    cells = [Cell(text, r, c, page=page) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Table(cells, page=page, from_lines=True)
