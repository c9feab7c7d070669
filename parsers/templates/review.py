"""Table 四 (政府信息公开行政复议、行政诉讼情况): three groups of five columns, usually one data row.

Groups: 行政复议 (`review`), 行政诉讼 › 未经复议直接起诉 (`litigation_direct`), › 复议后起诉
(`litigation_after_review`); columns 结果维持 · 结果纠正 · 其他结果 · 尚未审结 · 总计. A regular grid maps each value
through the header cells above it; a text rendering uses the printed order of the five column words.
Some reports print one row per group instead (`行政复议 | 0 | 0 | 0 | 0 | 0`); the row label names the group.
"""

from __future__ import annotations

from parsers.layout import Cell
from parsers.normalize import printed
from parsers.templates.common import TableReading, make_fact, where
from parsers.templates.digits import cut_cells, run_of, unique_split
from parsers.templates.matching import Catalog, Entry
from parsers.templates.rows import Row, header_stack

TABLE = "review_litigation"
GROUPS = ("review", "litigation_direct", "litigation_after_review")
COLUMNS = ("upheld", "corrected", "other", "pending", "total")

GROUP_WORDS = Catalog(
    [
        Entry("review", ("行政复议",)),
        Entry("litigation_direct", ("未经复议直接起诉", "直接起诉")),
        Entry("litigation_after_review", ("复议后起诉",)),
        Entry(None, ("行政诉讼",)),
    ]
)
COLUMN_WORDS = Catalog(
    [
        Entry("upheld", ("结果维持", "维持")),
        Entry("corrected", ("结果纠正", "纠正")),
        Entry("other", ("其他结果",)),
        Entry("pending", ("尚未审结", "未审结")),
        Entry("total", ("总计", "合计")),
    ]
)


class ReviewLitigationReader:
    def __init__(self) -> None:
        self.headers: list[Row] = []
        self.data: list[tuple[Row, list[Cell], str | None]] = []
        self.out = TableReading()

    def feed(self, row: Row) -> None:
        labels, values = row.split()
        texts = [printed(c.text) for c in labels]
        numeric = [c for c in values if c.text.strip()]
        col_words = sum(1 for t in texts if COLUMN_WORDS.match(t))
        if col_words >= 2 or (not numeric and any(GROUP_WORDS.match(t) for t in texts)):
            self.headers.append(row)
            return
        if not values:
            return
        group = None
        for t in texts:
            m = GROUP_WORDS.match(t)
            if m and m.entry.key:
                group = m.entry.key
        self.data.append((row, values, group))

    def _sub_order(self) -> list[str]:
        """The order of the five column words as printed (first complete run in the header)."""
        for header in self.headers:
            keys: list[str] = []
            for cell in header.cells:
                m = COLUMN_WORDS.match(cell.text)
                if m and m.entry.key:
                    keys.append(m.entry.key)
            if len(keys) >= 5 and sorted(keys[:5]) == sorted(COLUMNS):
                return keys[:5]
        return list(COLUMNS)

    def _grid(self, row: Row) -> dict[int, tuple[str, str]] | None:
        """Grid column -> (group, column) from the header rows above `row`'s columns: those of its own
        table and of the parts of it on other pages (same column lines). Every one of the 15 columns
        must stand under one of the five column words, in their printed order three times over; the
        group of each is its place in that order, which the group words, where printed over it, must
        confirm."""
        headers = [h for h in self.headers if h.regular and (h.table == row.table or h.same_grid(row))]
        if not headers:
            return None
        n_cols = max(c.col + c.colspan for h in headers for c in h.cells)
        groups: dict[int, str] = {}
        subs: dict[int, str] = {}
        for col in range(n_cols):
            stack = header_stack(headers, col)
            for text in stack:
                g = GROUP_WORDS.match(text)
                if g and g.entry.key:
                    groups[col] = g.entry.key
            sub = _column_word(stack)
            if sub is not None:
                subs[col] = sub
        if len(subs) != 15 or list(subs.values()) != self._sub_order() * 3:
            return None
        mapping = {col: (GROUPS[k // 5], sub) for k, (col, sub) in enumerate(sorted(subs.items()))}
        if any(groups.get(col, g) != g for col, (g, _sub) in mapping.items()):
            return None
        return mapping

    def _by_run(self, row: Row, cell: Cell, run: str, group: str | None, order: list[str]):
        groups = [group] if group else list(GROUPS)
        total_at = order.index("total")

        def ok(parts: list[int]) -> bool:
            for g in range(len(groups)):
                five = parts[g * 5 : g * 5 + 5]
                if five[total_at] != sum(five) - five[total_at]:
                    return False
            return True

        parts, why = unique_split(run, 5 * len(groups), ok)
        if parts is None:
            self.out.warnings.append(f"review_litigation: {why}; left out ({where(row)})")
            return None
        self.out.warnings.append(
            f"review_litigation: the row printed as the digit run {run!r} is cut as {parts} (the only cut "
            f"where each 总计 is the sum of its parts) ({where(row)})"
        )
        cells = cut_cells(cell, parts)
        return [(groups[i // 5], order[i % 5], c) for i, c in enumerate(cells)]

    def finish(self) -> TableReading:
        order = self._sub_order()
        for row, values, group in self.data:
            vals = [c for c in values]
            mapped: list[tuple[str, str, Cell]] | None = None
            grid = self._grid(row) if row.regular else None
            if grid is not None and group is None:
                hits = [grid.get(c.col) for c in vals]
                if all(hits) and len(set(hits)) == len(hits):
                    mapped = [(g, s, c) for (g, s), c in zip(hits, vals, strict=True)]  # type: ignore[misc]
            if mapped is None and (run := run_of(vals)) is not None:
                mapped = self._by_run(row, vals[0], run, group, order)
                if mapped is None:
                    continue
            if mapped is None and row.uncertain:
                # Cells placed by inference: only the header words above them say their columns.
                self.out.warnings.append(
                    f"review_litigation: a row's {len(values)} values do not stand under the header's "
                    f"column words as read from a table whose {row.uncertain}; left out ({where(row)})"
                )
                continue
            if mapped is None:
                while len(vals) > 15 and not vals[-1].text.strip():
                    vals.pop()
                if group is None and len(vals) == 15:
                    mapped = [(GROUPS[i // 5], order[i % 5], c) for i, c in enumerate(vals)]
                elif group is not None and len(vals) >= 5:
                    vals = vals[:5] if all(not c.text.strip() for c in vals[5:]) else vals
                    if len(vals) == 5:
                        mapped = [(group, order[i], c) for i, c in enumerate(vals)]
            if mapped is None:
                self.out.warnings.append(
                    f"review_litigation: a row with {len(values)} value cells does not fit the 15 columns "
                    f"of the table; left out ({where(row)})"
                )
                continue
            for g, s, cell in mapped:
                label = {
                    "review": "行政复议",
                    "litigation_direct": "行政诉讼 未经复议直接起诉",
                    "litigation_after_review": "行政诉讼 复议后起诉",
                }[g]
                make_fact(self.out, table=TABLE, row_key=g, col=s, cell=cell, row=row, label=label)
        return self.out


def _column_word(stack: list[str]) -> str | None:
    """The column word of a header column: one of its cells, or two of them read as one (a header
    cell broken over two lines or pages: `其他` / `结果`)."""
    for text in reversed(stack):
        m = COLUMN_WORDS.match(text)
        if m and m.entry.key:
            return m.entry.key
    for a, b in zip(stack, stack[1:], strict=False):
        m = COLUMN_WORDS.match(a + b)
        if m and m.entry.key:
            return m.entry.key
    return None
