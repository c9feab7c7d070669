"""One page's geometry to blocks in reading order: its tables (ruled, else from text positions),
and its remaining lines as paragraphs, page numbers dropped; the page's part in running headers
and in paragraphs that a page break cut.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from parsers.layout import COLUMNS_INFERRED, GRID_REPAIRED, ROWS_AND_COLUMNS_INFERRED, Paragraph, Table
from parsers.readers.pdf_borderless import join_header_lines, row_rules
from parsers.readers.pdf_gridfix import missing_rules
from parsers.readers.pdf_lines import Line, dominant, group_lines
from parsers.readers.pdf_page import PageContent
from parsers.readers.pdf_rowrules import Columns, column_rules
from parsers.readers.pdf_tables import assign_chars, find_ruled_tables, to_table
from parsers.readers.pdf_textgrid import TextTable, find_text_tables
from parsers.readers.textjoin import join_lines

SHORT_LINE = 2.5  # font sizes short of the right margin
MARGIN_BAND = 0.1  # top and bottom tenth of the page: where running headers and footers sit

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_~·•]*\d{1,4}[-—–－_~·•]*"  # 3, - 4 -, — 1 —
    r"|第\d{1,4}页(?:[,，/]?共\d{1,4}页)?|共\d{1,4}页[,，/]?第\d{1,4}页"
    r"|\d{1,4}/\d{1,4}|page\d{1,4}(?:of\d{1,4})?)$",
    re.IGNORECASE,
)
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[部章节])"
)


# ------------------------------------------------------------------------------------- paragraphs


def is_page_number(line: Line, page_height: float) -> bool:
    in_margin = line.bottom < 0.12 * page_height or line.top > 0.88 * page_height
    return in_margin and bool(_PAGE_NUMBER.match(line.text.replace(" ", "")))


@dataclass(slots=True)
class PageStats:
    """What a paragraph break is measured against on one page."""

    left: float
    right: float
    pitch: float  # usual distance between the tops of consecutive lines; 0 if unknown
    body_size: float
    body_bold: bool  # the body text itself is bold: boldness then says nothing
    body_font: str

    @classmethod
    def of(cls, lines: list[Line], page_width: float) -> PageStats:
        long_lines = [line for line in lines if len(line.text) >= 6] or lines or [Line([])]
        left = min(line.x0 for line in long_lines)
        right = max(line.x1 for line in long_lines)
        if len(long_lines) < 3:
            # Too few lines to see the right margin: assume it mirrors the left one.
            right = max(right, page_width - left)
        pitches = [
            b.top - a.top
            for a, b in zip(lines, lines[1:], strict=False)
            if abs(a.size - b.size) < 1 and 0 < b.top - a.top < 3 * b.size
        ]
        return cls(
            left=left,
            right=right,
            pitch=statistics.median(pitches) if pitches else 0.0,
            body_size=body_font_size(lines),
            body_bold=2 * sum(len(line.text) for line in lines if line.bold)
            > sum(len(line.text) for line in lines),
            body_font=dominant(line.font for line in lines for _ in line.text),
        )


def paragraphs(lines: list[Line], page: int, stats: PageStats) -> list[Paragraph]:
    """Consecutive lines to paragraphs: a new one at an indent, after a short line, a wide gap or a size change."""
    out: list[Paragraph] = []
    group: list[Line] = []

    def flush() -> None:
        if group:
            text = join_lines(line.text for line in group)
            if text:
                # Word heading styles print larger or bold; Chinese official documents print headings
                # in another face (黑体/楷体 over a 仿宋 body) at the body size.
                short = len(group) <= 2 and len(text) <= 60
                larger = group[0].size >= stats.body_size + 1.5
                bold = not stats.body_bold and all(line.bold for line in group)
                face = bool(stats.body_font) and all(line.font != stats.body_font for line in group)
                heading = short and (larger or bold or face)
                out.append(Paragraph(text, page, heading))
            group.clear()

    for line in lines:
        if group and _breaks(group[-1], line, stats):
            flush()
        group.append(line)
    flush()
    return out


def _centred(line: Line, stats: PageStats) -> bool:
    middle = (stats.left + stats.right) / 2
    return line.x0 > stats.left + 2 * line.size and abs((line.x0 + line.x1) / 2 - middle) < 1.5 * line.size


def _breaks(prev: Line, line: Line, stats: PageStats) -> bool:
    """Whether `line` starts a new paragraph after `prev`."""
    step = line.top - prev.top
    # Line spacing grows with the font: compare a title's lines with a scaled body pitch.
    pitch = stats.pitch * max(1.0, line.size / stats.body_size) if stats.body_size else stats.pitch
    if (step > 1.35 * pitch) if pitch else (step > 2.2 * line.size):
        return True
    if abs(line.size - prev.size) > 1.0:
        return True
    if _HEADING_START.match(line.text) and not _runs_on(prev, line, stats):
        return True
    middle = (stats.left + stats.right) / 2
    if _centred(line, stats) and abs((prev.x0 + prev.x1) / 2 - middle) < 1.5 * prev.size:
        return False  # a centred title wrapped over two lines
    return line.x0 > stats.left + 1.2 * line.size or _short(prev, stats)


def _runs_on(prev: Line, line: Line, stats: PageStats) -> bool:
    """`line` goes on with the sentence of `prev`, although it starts like a heading: the wrap put
    `一、依据充分…` (the tail of `格式统一、依据充分`) at the left margin after a full line that ends mid-sentence."""
    return (
        not _short(prev, stats)
        and line.x0 <= stats.left + 0.5 * line.size
        and not prev.text.rstrip().endswith(_SENTENCE_END)
    )


_SENTENCE_END = ("。", "；", ";", "：", ":", "！", "？", "!", "?", "）", ")")


def _short(line: Line, stats: PageStats) -> bool:
    """A line ending well before the right margin ends its paragraph. Ragged-right CJK lines end up
    to two characters short (punctuation may not start a line), so 'well' means more than that."""
    return line.x1 < stats.right - SHORT_LINE * line.size


def body_font_size(lines: list[Line]) -> float:
    weights: dict[float, int] = {}
    for line in lines:
        key = round(line.size * 2) / 2
        weights[key] = weights.get(key, 0) + len(line.text)
    return max(weights, key=weights.__getitem__) if weights else 0.0


# ------------------------------------------------------------------------------------------- page


@dataclass(slots=True)
class PageBlocks:
    blocks: list[Paragraph | Table]
    text_chars: int  # characters outside page numbers: 0 means no text layer
    text_tables: int  # tables found from text positions (uncertain)
    # For joining a paragraph broken by the page break: the size of the page's last line when it runs
    # to the right margin, and of the first line when it starts at the left margin (else None); a
    # last line ending a sentence, and a first line starting like a heading (`一、`), are negative.
    open_end: float | None = None
    open_start: float | None = None
    # Running header/footer candidates: a one-line paragraph alone at the top/bottom of the page, its
    # text with digits masked; and the open start/end the page has once that line is removed.
    head: str | None = None
    foot: str | None = None
    open_start_below_head: float | None = None
    open_end_above_foot: float | None = None
    page: int = 0
    row_ruled: Columns | None = None  # columns of a table ruled by rows only that ends the page

    def drop_head(self) -> None:
        self.blocks.pop(0)
        self.open_start, self.head = self.open_start_below_head, None

    def drop_foot(self) -> None:
        self.blocks.pop()
        self.open_end, self.foot = self.open_end_above_foot, None


def layout_page(content: PageContent, page: int, carried: Columns | None = None) -> PageBlocks:
    """`carried`: the columns of a table ruled by rows only that ended the page before."""
    tables = find_ruled_tables(content.edges)
    added: list[dict] = []  # rule pieces of our own making: the tables they cross are inferred
    why = ""
    if tables:
        # Cells merged only because some rules were left out: draw those pieces back.
        added = missing_rules(tables, content.edges, content.chars)
        if added:
            tables = find_ruled_tables(content.edges + added)
            why = GRID_REPAIRED
    row_ruled: Columns | None = None
    if not tables and content.edges:
        # Row rules without column lines (WPS/Word tables styled without vertical borders): put the
        # column lines back from the text, then read the grid as a ruled one.
        rule_tops = [e["top"] for e in content.edges if e["orientation"] == "h"]
        if carried and _text_beyond(content, min(rule_tops, default=0.0), above=True):
            carried = None  # text before the first table: a new table, not the rest of one
        added, row_ruled = column_rules(content.edges, content.chars, carried)
        if added:
            tables = find_ruled_tables(content.edges + added)
            why = COLUMNS_INFERRED
        if row_ruled and _text_beyond(content, max(rule_tops, default=0.0), above=False):
            row_ruled = None  # text after the last table: it does not run on overleaf
    free = assign_chars(tables, content.chars) if tables else content.chars
    lines = []
    dropped = 0
    for line in group_lines(free):
        if is_page_number(line, content.height):
            dropped += len(line.chars)
        else:
            lines.append(line)
    items: list[tuple[float, int, Paragraph | Table | Line]] = []
    for t in tables:
        items.append((t.bbox[1], 0, to_table(t, page, why if _crossed(t, added) else None)))
    n_text_tables = 0
    if not tables:
        taken: set[int] = set()
        for found in find_text_tables(lines, page):
            table = _ruled_from_text(content, lines, found, page) or found.table
            table.uncertain = table.uncertain or ROWS_AND_COLUMNS_INFERRED
            items.append((lines[found.start].top, 0, table))
            taken.update(range(found.start, found.end))
            n_text_tables += 1
        lines = [line for k, line in enumerate(lines) if k not in taken]
    stats = PageStats.of(lines, content.width)
    for line in lines:
        items.append((line.top, 1, line))
    items.sort(key=lambda it: (it[0], it[1]))
    blocks: list[Paragraph | Table] = []
    run: list[Line] = []
    for _, _, item in items:
        if isinstance(item, Line):
            run.append(item)
            continue
        blocks.extend(paragraphs(run, page, stats))
        run = []
        blocks.append(item)
    blocks.extend(paragraphs(run, page, stats))
    text_chars = sum(not c.text.isspace() for c in content.chars) - dropped
    result = PageBlocks(blocks, text_chars, n_text_tables, page=page, row_ruled=row_ruled)
    lines_in_order = [item for _, _, item in items]

    def open_start(k: int) -> float | None:
        # A line at the left margin, i.e. not indented as a paragraph's first line is. One starting like
        # a heading (`一、`) is marked: it goes on only from a line that ends mid-sentence.
        line = lines_in_order[k] if k < len(lines_in_order) else None
        if isinstance(line, Line) and line.x0 <= stats.left + 1.2 * line.size:
            if _HEADING_START.match(line.text):
                return -line.size if line.x0 <= stats.left + 0.5 * line.size else None
            return line.size
        return None

    def open_end(k: int) -> float | None:
        # A line running to the right margin; negative when it ends a sentence (。).
        line = lines_in_order[k] if -len(lines_in_order) <= k else None
        if isinstance(line, Line) and not _short(line, stats):
            return -line.size if line.text.rstrip().endswith(_SENTENCE_END) else line.size
        return None

    result.open_start, result.open_end = open_start(0), open_end(-1)
    if blocks and isinstance(blocks[0], Paragraph) and isinstance(lines_in_order[0], Line):
        first = lines_in_order[0]
        if first.bottom < MARGIN_BAND * content.height and blocks[0].text == first.text:
            result.head, result.open_start_below_head = running_key(first.text), open_start(1)
    if blocks and isinstance(blocks[-1], Paragraph) and isinstance(lines_in_order[-1], Line):
        last = lines_in_order[-1]
        if last.top > (1 - MARGIN_BAND) * content.height and blocks[-1].text == last.text:
            result.foot, result.open_end_above_foot = running_key(last.text), open_end(-2)
    return result


def _ruled_from_text(content: PageContent, lines: list[Line], found: TextTable, page: int) -> Table | None:
    """A table printed without lines, read as a ruled one: row rules from its lines (pdf_borderless),
    column lines from its text (pdf_rowrules). None when that gives no single grid."""
    rules = row_rules(lines, found.start, found.first_body, found.end, found.numbers_left)
    if len(rules) < 3:
        return None
    chars = [c for line in lines[found.start : found.end] for c in line.chars]
    columns, _ = column_rules(rules, chars)
    grids = find_ruled_tables(rules + columns) if columns else []
    if len(grids) != 1:
        return None
    rest = assign_chars(grids, chars)
    if any(not c.text.isspace() for c in rest):
        return None  # some of the table's text fell outside the grid: keep the text-position table
    table = to_table(grids[0], page, ROWS_AND_COLUMNS_INFERRED)
    join_header_lines(table, found.first_body - found.start)
    table.xs = None  # column lines of our own making: no grid to line up with another page's
    return table


def _crossed(t, edges: list[dict]) -> bool:
    """Whether some of `edges` (rules we drew) lie inside the table `t`."""
    x0, top, x1, bottom = t.bbox
    return any(
        x0 - 1 <= e["x0"] and e["x1"] <= x1 + 1 and top - 1 <= e["top"] and e["bottom"] <= bottom + 1
        for e in edges
    )


def _text_beyond(content: PageContent, y: float, above: bool) -> bool:
    """Whether the page prints text above (or below) `y`, running headers and footers aside."""
    band = MARGIN_BAND * content.height
    for ch in content.chars:
        if ch.text.isspace() or ch.cy < band or ch.cy > content.height - band:
            continue
        if (ch.bottom < y - 1.0) if above else (ch.top > y + 1.0):
            return True
    return False


def running_key(text: str) -> str:
    """Header/footer text with page-dependent digits masked, for spotting it on every page."""
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def drop_running_lines(pages: list[PageBlocks]) -> int:
    """Remove headers and footers that repeat on most pages; return how many lines went."""
    with_text = [p for p in pages if p.blocks]
    dropped = 0
    for attr, drop in (("head", PageBlocks.drop_head), ("foot", PageBlocks.drop_foot)):
        counts: dict[str, int] = {}
        for page in with_text:
            key = getattr(page, attr)
            if key:
                counts[key] = counts.get(key, 0) + 1
        repeated = {k for k, n in counts.items() if n >= 3 and n >= 0.4 * len(with_text)}
        for page in with_text:
            if getattr(page, attr) in repeated:
                drop(page)
                dropped += 1
    return dropped


def continues(previous: PageBlocks | None, current: PageBlocks) -> bool:
    """Whether the first paragraph of `current` is the rest of the last paragraph of `previous`."""
    if previous is None or previous.open_end is None or current.open_start is None:
        return False
    if current.open_start < 0 and previous.open_end < 0:
        return False  # a sentence ended, and the next page starts with a heading
    return (
        abs(abs(previous.open_end) - abs(current.open_start)) <= 1.0
        and bool(previous.blocks)
        and isinstance(previous.blocks[-1], Paragraph)
        and bool(current.blocks)
        and isinstance(current.blocks[0], Paragraph)
    )
