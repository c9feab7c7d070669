"""Plain text in the style of the seeds (data/seeds).

Two styles exist there. "cells" (seeds 000-003, a Word document dumped to text): one paragraph a line,
each table cell on its own tab-prefixed line, rows separated by a blank line, a vertically merged cell
printed once and then as an empty tab line under it, lines of a cell continuing untabbed. "rows" (seed
004, a Markdown-like dump): `#` headings and one table row a line, cells separated by tabs.
"""

from __future__ import annotations

import random

from mirror.reports.printed import Para, PrintedReport, Table


def row_walk(table: Table) -> list[list[str]]:
    """Each row's cells as a Word table stores them: a cell starting in the row gives its text, a row
    covered by a vertical merge gives one empty continuation cell; horizontal spans are one cell."""
    starts = {(r, c): cell for r, c, cell in table.placed()}
    grid = table.cell_grid()
    out: list[list[str]] = []
    for r in range(len(table.rows)):
        cells: list[str] = []
        c = 0
        while c < table.ncols:
            cell = starts.get((r, c))
            if cell is not None:
                cells.append(cell.text)
                c += cell.colspan
                continue
            covering = grid[r][c]
            if covering is None:
                c += 1
                continue
            cells.append("")  # vMerge continuation
            c += covering.colspan
        out.append(cells)
    return out


def render_printed_text(pr: PrintedReport, seed: int = 0) -> str:
    rng = random.Random(f"text:{seed}")
    rows_style = pr.style.get("text") == "rows"
    lines: list[str] = []
    page = 1
    for block in pr.blocks:
        if isinstance(block, Para):
            if rows_style and block.style in ("title", "heading", "appendix"):
                mark = "#" if block.style == "title" else "##"
                lines += ["", f"{mark} {block.text}", ""]
            else:
                lines.append(block.text)
                if rng.random() < 0.3:
                    lines.append("")
            continue
        lines.append("")
        walked = row_walk(block)
        breaks = set(block.breaks)
        for r, cells in enumerate(walked):
            if r in breaks:
                page += 1 + rng.randint(0, 2)
                lines += [f"- {page} -", ""]
            if rows_style:
                lines.append("\t".join(" ".join(c.split("\n")) for c in cells))
            else:
                for text in cells:
                    first, *rest = text.split("\n")
                    lines.append("\t" + first)
                    lines += rest
                lines.append("")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
