"""The five real seed reports (data/seeds), laid out as real documents so the mirror can publish them.

The seed texts are Word documents dumped to text. Seeds 000-003 write each table cell on a tab-prefixed
line (untabbed lines continue the cell, rows end at a blank line); a vertically merged cell appears once
and then as an empty cell under it, a horizontally merged one just once. Seed 004 writes one row a line,
cells separated by tabs. `read_blocks` recovers paragraphs and cell rows; the per-table functions put
the spans back (the grid of each table kind is known from the templates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mirror.reports.printed import Cell, Para, PrintedReport, Table

SEEDS_DIR = Path(__file__).resolve().parents[2] / "data" / "seeds"


@dataclass(frozen=True)
class SeedMeta:
    agency: str
    year: int
    template: str
    variant: str | None
    host: str  # the site that publishes it in the mirror (sites.md §7.3)
    title_lines: int  # how many of the first non-blank lines are the title
    html_style: str  # the editor markup its site produces


SEED_META: dict[str, SeedMeta] = {
    "000": SeedMeta("北京市科学技术委员会", 2018, "T2008", "beijing", "kw.beijing.gov.cn", 2, "hanweb"),
    "001": SeedMeta(
        "北京市科学技术委员会、中关村科技园区管理委员会", 2024, "T2021", None, "kw.beijing.gov.cn", 2, "trs"
    ),
    "002": SeedMeta("北京市丰台区科学技术和信息化局", 2020, "T2019", "beijing", "www.bjft.gov.cn", 2, "trs"),
    "003": SeedMeta("中关村科技园区管理委员会", 2020, "T2019", "beijing", "zgcgw.beijing.gov.cn", 2, "trs"),
    "004": SeedMeta("金凤区科技局", 2018, "T2008", "ningxia", "www.ycjinfeng.gov.cn", 1, "hanweb"),
}

_IMAGE = re.compile(r"\[image: [^\]]*\]")
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_HEADING = re.compile(r"^(#+\s*)?([一二三四五六七八九十]+、|\d、\s|引言$|附表$)")
_SUBHEADING = re.compile(r"^(\(|（)[一二三四五六七八九十]+(\)|）)")


@dataclass
class SeedReport:
    key: str  # "000".."004"
    agency: str
    year: int
    title: str
    template: str
    variant: str | None
    host: str
    text: str  # the seed as given
    path: Path
    html_style: str = "trs"

    @property
    def html(self) -> str:
        """The body as an HTML fragment with rowspan/colspan tables, as the seed's site publishes it."""
        from mirror.reports.to_html import render_printed_html

        return render_printed_html(self.printed(), 0)

    def printed(self, variation: object = None) -> PrintedReport:
        """The seed as a document. Variations do not apply: a seed is printed as it was."""
        blocks = read_blocks(self.text, self._title_count(), rows_style=self.key == "004")
        style = {
            "html": self.html_style,
            "text": "rows" if self.key == "004" else "cells",
            "pdf_font": "embedded",
        }
        return PrintedReport(self.title, blocks, style=style, agency=self.agency, year=self.year)

    def _title_count(self) -> int:
        return SEED_META[self.key].title_lines


def seed_reports(directory: Path | None = None) -> list[SeedReport]:
    """The five seeds, in key order."""
    directory = directory or SEEDS_DIR
    out: list[SeedReport] = []
    for path in sorted(directory.glob("*.txt")):
        key = path.name[:3]
        meta = SEED_META.get(key)
        if meta is None:
            continue
        text = path.read_text(encoding="utf-8")
        lines = [x.strip().lstrip("#").strip() for x in text.splitlines() if x.strip()]
        title = "".join(lines[: meta.title_lines])
        out.append(
            SeedReport(
                key=key,
                agency=meta.agency,
                year=meta.year,
                title=title,
                template=meta.template,
                variant=meta.variant,
                host=meta.host,
                text=text,
                path=path,
                html_style=meta.html_style,
            )
        )
    return out


# ---------------------------------------------------------------- reading the dumps


def _clean(line: str) -> str:
    return _BOOKMARK.sub("", _IMAGE.sub("", line))


def _para(text: str, title: bool) -> Para | None:
    text = _clean(text).strip().strip("\u3000").strip()
    if not text:
        return None
    if title:
        return Para(text.lstrip("#").strip(), "title")
    bare = text.lstrip("#").strip()
    if bare.startswith("附表：") or bare.startswith("附件："):
        return Para(bare, "appendix")
    if _HEADING.match(text) or text.startswith("#"):
        return Para(bare, "heading")
    if _SUBHEADING.match(bare) and len(bare) < 40:
        return Para(bare, "subheading")
    return Para(bare, "body")


def read_blocks(text: str, title_lines: int, *, rows_style: bool) -> list[Para | Table]:
    lines = text.splitlines()
    blocks: list[Para | Table] = []
    titles_left = title_lines
    i = 0
    while i < len(lines):
        line = lines[i]
        if rows_style and "\t" in line:
            rows, i = _read_tab_rows(lines, i)
            blocks.append(_table(rows))
            continue
        if line.startswith("\t"):
            rows, i = _read_cell_rows(lines, i)
            blocks.append(_table(rows))
            continue
        p = _para(line, titles_left > 0)
        if p is not None:
            blocks.append(p)
            titles_left -= p.style == "title"
        i += 1
    return blocks


def _read_cell_rows(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """Rows of cells from `lines[i]` on (seeds 000-003 style); returns them and the next line index."""
    rows: list[list[str]] = []
    row: list[str] = []
    n = len(lines)
    while i < n:
        line = lines[i]
        if line.startswith("\t"):
            row.append(line[1:])
            i += 1
        elif line.strip() == "":
            if row:
                rows.append(row)
                row = []
            i += 1
            # A lone untabbed line right after one blank line and right before a cell line is the rest
            # of the last cell, broken off by a paragraph mark ("（三）不予" / "" / "公开").
            if (
                i + 1 < n
                and rows
                and lines[i].strip()
                and not lines[i].startswith("\t")
                and lines[i + 1].startswith("\t")
            ):
                row = rows.pop()
                row[-1] += "\n" + lines[i].strip()
                i += 1
                continue
            if i < n and not lines[i].startswith("\t"):
                break
        elif row:
            row[-1] += "\n" + line.strip()  # an untabbed line continues the cell
            i += 1
        else:
            break
    if row:
        rows.append(row)
    return rows, i


def _read_tab_rows(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """Rows written one a line, cells separated by tabs (seed 004); blank lines inside are skipped."""
    rows: list[list[str]] = []
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            rows.append(line.split("\t"))
        elif line.strip():
            break
        i += 1
    return rows, i


# ---------------------------------------------------------------- putting the spans back


def _table(rows: list[list[str]]) -> Table:
    text = "".join("".join(r) for r in rows)
    if "勾稽关系" in text:
        return _applications(rows)
    if "未经复议直接起诉" in text:
        return _review(rows)
    if "第二十条" in text:
        return _disclosure(rows)
    return _legacy(rows)


def _is_label(text: str) -> bool:
    return not re.fullmatch(r"\s*-?[\d.]*\s*", text)


def _applications(rows: list[list[str]]) -> Table:
    nval = 7
    width = 3 + nval
    header, data = rows[:3], rows[3:]
    out: list[list[Cell]] = [
        [Cell(header[0][0], 3, 3, header=True), Cell(header[0][1], 1, nval, header=True)],
        [
            Cell(header[1][1], 2, 1, header=True),
            Cell(header[1][2], 1, 5, header=True),
            Cell(header[1][3], 2, 1, header=True),
        ],
        [Cell(t, header=True) for t in header[2][2:7]],
    ]
    last_at: dict[int, Cell] = {}
    for cells in data:
        labels, values = cells[:-nval], cells[-nval:]
        row: list[Cell] = []
        for col, text in enumerate(labels):
            if text.strip() == "" and col in last_at:
                last_at[col].rowspan += 1  # an empty label cell continues the merged cell above
                continue
            span = 3 - col if col == len(labels) - 1 else 1
            cell = Cell(text, colspan=span, align="left" if span > 1 or col == 2 else "center")
            last_at[col] = cell
            row.append(cell)
        row += [Cell(v) for v in values]
        out.append(row)
    return Table("applications", out, width, [2.2, 1.6, 4.2] + [1.0] * nval)


def _review(rows: list[list[str]]) -> Table:
    r0, r1, r2, r3 = rows[:4]
    out = [
        [Cell(r0[0], colspan=5, header=True), Cell(r0[1], colspan=10, header=True)],
        [Cell(t, rowspan=2, header=True) for t in r1[:5]]
        + [Cell(r1[5], colspan=5, header=True), Cell(r1[6], colspan=5, header=True)],
        [Cell(t, header=True) for t in r2[5:]],
        [Cell(t) for t in r3],
    ]
    return Table("review_litigation", out, 15, [1.0] * 15)


def _disclosure(rows: list[list[str]]) -> Table:
    width = max(len(r) for r in rows)
    nlab = width - 3
    out: list[list[Cell]] = []
    last_at: dict[int, Cell] = {}
    for cells in rows:
        if len(cells) == 1:
            out.append([Cell(cells[0], colspan=width, header=True)])
            continue
        row: list[Cell] = []
        nlabels = 2 if len(cells) == width and nlab == 2 else 1
        for col in range(nlabels):
            text = cells[col]
            if text.strip() == "" and col in last_at:
                last_at[col].rowspan += 1
                continue
            cell = Cell(text, colspan=nlab - nlabels + 1, header=text == "信息内容")
            last_at[col] = cell
            row.append(cell)
        values = cells[nlabels:]
        for j, text in enumerate(values):
            span = 3 - len(values) + 1 if j == len(values) - 1 else 1
            row.append(Cell(text, colspan=span, header=_is_label(text)))
        out.append(row)
    widths = ([1.6, 1.4] if nlab == 2 else [2.6]) + [1.6] * 3
    return Table("active_disclosure", out, width, widths)


def _legacy(rows: list[list[str]]) -> Table:
    width = max(len(r) for r in rows)
    out: list[list[Cell]] = []
    for cells in rows:
        if len(cells) == 1:
            out.append([Cell(cells[0], colspan=width, header=True)])
        else:
            out.append([Cell(t, align="left" if j == 0 else "center") for j, t in enumerate(cells)])
    return Table("legacy_stats", out, width, [6.0, 1.0, 1.2][:width] + [1.2] * (width - 3))
