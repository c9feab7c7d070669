"""Table 三 (收到和处理政府信息公开申请情况) of T2019 and T2021.

Rows are named by their printed labels (group and item), columns by the header. A text rendering loses
the header's spans, so there the columns come from the order of the header words; a regular grid (HTML,
DOCX, PDF) maps every value cell through the header cells above its column. The optional 法人或其他组织
subtotal column (`legal_person`) is placed by the header or, failing that, by the sums; if neither can
tell, the cells it could be are left out with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.layout import Cell
from parsers.normalize import label_key, numbering, printed
from parsers.numbers import parse_cell
from parsers.templates.common import TableReading, blank_over_columns, make_fact, one_cell_per_column, where
from parsers.templates.digits import cut_cells, run_of, unique_split
from parsers.templates.matching import Catalog, Entry, segments
from parsers.templates.rows import Row, header_stack

TABLE = "applications"
COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
ORGS = COLUMNS[1:6]

COLUMN_WORDS = Catalog(
    [
        Entry("natural_person", ("自然人",)),
        Entry("commercial", ("商业企业", "商业机构")),
        Entry("research", ("科研机构",)),
        Entry("social_welfare", ("社会公益组织", "社会公益机构")),
        Entry("legal_service", ("法律服务机构",)),
        Entry("other_org", ("其他",)),
        Entry("total", ("总计", "合计")),
        Entry("legal_person", ("小计", "法人或其他组织小计")),
        Entry("org", ("法人或其他组织", "法人或者其他组织")),
        Entry(None, ("申请人情况",)),
    ]
)


def _items(scope: str, labels: list[tuple[str, str]]) -> list[Entry]:
    return [Entry(key, (alias,), scope, str(i)) for i, (key, alias) in enumerate(labels, 1)]


ROWS = Catalog(
    [
        Entry(
            "new_received", ("本年新收政府信息公开申请数量", "本年新收政府信息公开申请数", "本年新收申请数量")
        ),
        Entry(
            "carried_over", ("上年结转政府信息公开申请数量", "上年结转政府信息公开申请数", "上年结转申请数量")
        ),
        Entry(None, ("本年度办理结果", "办理结果"), opens="results"),
        Entry("granted", ("予以公开",)),
        Entry("partially_granted", ("部分公开",)),
        Entry("denied", ("不予公开",), opens="denied"),
        *_items(
            "denied",
            [
                ("denied.state_secret", "属于国家秘密"),
                ("denied.prohibited_by_law", "其他法律行政法规禁止公开"),
                ("denied.three_safeties", "危及三安全一稳定"),
                ("denied.third_party", "保护第三方合法权益"),
                ("denied.internal_affairs", "属于三类内部事务信息"),
                ("denied.process_info", "属于四类过程性信息"),
                ("denied.enforcement_file", "属于行政执法案卷"),
                ("denied.query_matter", "属于行政查询事项"),
            ],
        ),
        Entry("unable", ("无法提供",), opens="unable"),
        *_items(
            "unable",
            [
                ("unable.not_held", "本机关不掌握相关政府信息"),
                ("unable.needs_creation", "没有现成信息需要另行制作"),
                ("unable.unclear", "补正后申请内容仍不明确"),
            ],
        ),
        Entry("not_processed", ("不予处理",), opens="not_processed"),
        *_items(
            "not_processed",
            [
                ("not_processed.petition", "信访举报投诉类申请"),
                ("not_processed.duplicate", "重复申请"),
                ("not_processed.publication", "要求提供公开出版物"),
                ("not_processed.excessive", "无正当理由大量反复申请"),
                ("not_processed.reconfirm", "要求行政机关确认或重新出具已获取信息"),
            ],
        ),
        Entry("other", ("其他处理",), opens="other"),
        *_items(
            "other",
            [
                (
                    "other.overdue_correction",
                    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                ),
                (
                    "other.overdue_fee",
                    "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                ),
                ("other.other", "其他"),
            ],
        ),
        Entry("total_processed", ("总计", "合计")),
        Entry("carried_forward", ("结转下年度继续办理", "结转下年度继续办理数量", "结转下年度")),
    ]
)
GROUPS = ("denied", "unable", "not_processed", "other")
_ORDER = (
    "new_received",
    "carried_over",
    "granted",
    "partially_granted",
    *GROUPS,
    "total_processed",
    "carried_forward",
)
_ITEM = {e.key: int(e.number) for e in ROWS.entries if e.key and e.number}


def _rank(key: str) -> tuple[int, int]:
    """(place of the row's block in the table, its item number within the group; -1 for a group's
    own row, which may stand before or after its items)."""
    return _ORDER.index(key.split(".")[0]), _ITEM.get(key, -1)


_SUBTOTAL = {"小计", "合计"}


@dataclass(slots=True)
class _DataRow:
    key: str
    label: str
    values: list[Cell]
    row: Row


class ApplicationsReader:
    """Fed the rows of table 三 in reading order; `finish()` resolves the columns and gives the facts."""

    def __init__(self) -> None:
        self.headers: list[Row] = []
        self.data: list[_DataRow] = []
        self.group: str | None = None
        self.items_of: str | None = None  # the group of the last item row read (what a 小计 sums)
        self.out = TableReading()
        self._seen: set[str] = set()

    def feed(self, row: Row) -> None:
        labels, values = row.split()
        texts = [printed(c.text) for c in labels]
        if self._is_header(texts):
            self.headers.append(row)
            return
        key, label, unknown = self._row_key(texts)
        if key is None:
            if unknown and any(parse_cell(c.text).kind == "number" for c in values):
                shown = " ".join(texts)
                self.out.warnings.append(
                    f"applications: row {shown!r} is not a row of the template; its values "
                    f"{[c.text for c in values]} are not read ({where(row)})"
                )
            return
        if not values:
            return  # a group heading printed on its own row
        if key in self._seen:
            first = next((dr for dr in self.data if dr.key == key), None)
            if first is None:
                return  # both already left out
            shared = {id(c) for c in first.row.split()[0]} == {id(c) for c in labels}
            if shared or row.uncertain or first.row.uncertain:
                # Two rows read as one row of the template from one merged label cell, or where the
                # reader inferred the rows: which values are its own cannot be told.
                self.data.remove(first)
                self.out.warnings.append(
                    f"applications: row {label!r} read from two rows (one merged label, or rows inferred); "
                    f"which values are its own cannot be told, both left out ({where(row)})"
                )
                return
            self.out.warnings.append(
                f"applications: row {label!r} printed twice; the second one is ignored ({where(row)})"
            )
            return
        self._seen.add(key)
        self.data.append(_DataRow(key, label, values, row))

    @staticmethod
    def _is_header(texts: list[str]) -> bool:
        """Column headings: two or more column words, or the corner cell (勾稽关系 / 申请人情况)."""
        if any("勾稽" in t or "申请人情况" in t for t in texts):
            return True
        return sum(1 for t in texts if COLUMN_WORDS.match(t)) >= 2

    def _row_key(self, texts: list[str]) -> tuple[str | None, str, list[str]]:
        key: str | None = None
        label = ""
        unknown: list[str] = []
        for text in texts:
            for seg in segments(text):
                if label_key(seg) in _SUBTOTAL and (self.items_of or self.group) in GROUPS:
                    # 小计 under （三）（四）（五）: the subtotal of the items above it, whatever group label
                    # a merged cell beside it prints (the next group's, where a rule was left out).
                    key, label = self.items_of or self.group, seg
                    continue
                m = ROWS.match(seg, scope=self.group, number=numbering(seg), fuzzy=self.group is not None)
                if m is None:
                    unknown.append(seg)
                    continue
                entry = m.entry
                if entry.opens == "results":
                    pass  # 三、本年度办理结果 spans every result row (and is repeated on each row of a grid)
                elif entry.opens:
                    self.group = entry.opens if entry.opens in GROUPS else None
                else:
                    # An item names its group too (the group cell may be cut off at a page break).
                    self.group = entry.scope
                if entry.key:
                    key, label = entry.key, seg
                    if m.how == "fuzzy":
                        self.out.warnings.append(f"applications: label {seg!r} read as {entry.aliases[0]!r}")
        if key is not None:
            group = key.split(".")[0]
            self.items_of = group if "." in key and group in GROUPS else None
        return key, label, unknown

    # -- columns -------------------------------------------------------------------------------------

    def _sequence_columns(self) -> list[str] | None:
        """Column keys from the order of the header words (text renderings that lost the spans)."""
        rows: list[list[str]] = []
        for header in self.headers:
            keys: list[str] = []
            for cell in header.cells:
                m = COLUMN_WORDS.match(cell.text)
                if m and m.entry.key and (not keys or keys[-1] != m.entry.key):
                    keys.append(m.entry.key)
            if keys:
                rows.append(keys)
        for keys in rows:  # one row naming every column (a regular header flattened)
            cols = [("legal_person" if k == "org" else k) for k in keys]
            if set(COLUMNS) <= set(cols) and len(cols) == len(set(cols)):
                return cols
        top = next((k for k in rows if "natural_person" in k and "org" in k), None)
        sub = next((k for k in rows if sum(1 for c in k if c in ORGS) >= 3), None)
        if top and sub:
            parts = [k for k in sub if k in ORGS or k == "legal_person"]
            cols = []
            for k in top:
                cols.extend(parts if k == "org" else [k])
            if set(COLUMNS) <= set(cols) and len(cols) == len(set(cols)):
                return cols
        return None

    def _subtotal_column(self) -> bool:
        """A header names the 法人或其他组织 小计 column (the table has eight value columns)."""
        return any(
            (m := COLUMN_WORDS.match(cell.text)) is not None and m.entry.key == "legal_person"
            for header in self.headers
            for cell in header.cells
        )

    def _grid_columns(self) -> dict[int, dict[int, str]]:
        """Per table: grid column -> key, from the header cells above each column (regular grids)."""
        out: dict[int, dict[int, str]] = {}
        by_table: dict[int, list[Row]] = {}
        for header in self.headers:
            if header.regular:
                by_table.setdefault(header.table, []).append(header)
        for table, headers in by_table.items():
            n_cols = max(c.col + c.colspan for h in headers for c in h.cells)
            mapping: dict[int, str] = {}
            for col in range(n_cols):
                for text in reversed(header_stack(headers, col)):
                    m = COLUMN_WORDS.match(text)
                    if m and m.entry.key:
                        mapping[col] = "legal_person" if m.entry.key == "org" else m.entry.key
                        break
            keys = list(mapping.values())
            if set(COLUMNS) <= set(keys) and len(keys) == len(set(keys)):
                out[table] = mapping
        return out

    def _in_order(self) -> None:
        """Rows of a table whose rows were inferred must come in the template's order (a row read out
        of it had its label taken from another row); such rows are left out."""
        last = (-1, -1)
        kept: list[_DataRow] = []
        for dr in self.data:
            rank = _rank(dr.key)
            ahead = rank[0] < last[0] or (rank[0] == last[0] and -1 < rank[1] <= last[1])
            if ahead and dr.row.uncertain:
                self.out.warnings.append(
                    f"applications: row {dr.label!r} comes out of the template's order in a table whose "
                    f"{dr.row.uncertain}; left out ({where(dr.row, dr.label)})"
                )
                continue
            last = rank if rank[1] >= 0 or rank[0] != last[0] else (rank[0], last[1])
            kept.append(dr)
        self.data = kept

    def finish(self) -> TableReading:
        self._in_order()
        grids = self._grid_columns()
        sequence = self._sequence_columns()
        xs_of = {h.table: h.xs for h in self.headers}
        eight: list[_DataRow] = []
        for dr in self.data:
            grid = grids.get(dr.row.table)
            # A table continued on the next page, without its header: the header of the part before;
            # where the grid was inferred, only if its column lines are that part's.
            above = max((t for t in grids if t < dr.row.table), default=None)
            if (
                grid is None
                and dr.row.regular
                and above is not None
                and (not dr.row.uncertain or (dr.row.xs is not None and dr.row.xs == xs_of.get(above)))
            ):
                grid = grids[above]
            mapped = self._by_grid(dr, grid) if grid is not None and dr.row.regular else None
            if mapped is None and grid is not None and dr.row.regular and run_of(dr.values) is None:
                # The header says where each column is: cells the grid cannot place are not placed
                # by their order either.
                self.out.warnings.append(
                    f"applications: row {dr.label!r}: its values do not stand one under each header "
                    f"column; left out ({where(dr.row, dr.label)})"
                )
                continue
            if mapped is None and (run := run_of(dr.values)) is not None:
                mapped = self._by_run(dr, run, sequence or list(COLUMNS))
            if mapped is None and dr.row.uncertain:
                # The order of the cells says nothing where the reader inferred them.
                self.out.warnings.append(
                    f"applications: row {dr.label!r}: its values do not stand under the header's column "
                    f"words in a table whose {dr.row.uncertain}; left out ({where(dr.row, dr.label)})"
                )
                continue
            if mapped is None:
                values = _trim(dr.values, len(sequence) if sequence else len(COLUMNS))
                eight_columns = (
                    sequence is not None and "legal_person" in sequence
                ) or self._subtotal_column()
                if sequence and len(values) == len(sequence):
                    mapped = list(zip(sequence, values, strict=True))
                elif eight_columns and len(values) == len(COLUMNS):
                    # The header prints the 法人或其他组织 小计 column too: seven values of eight
                    # columns, one left blank, and the order of the cells does not say which.
                    self.out.warnings.append(
                        f"applications: row {dr.label!r} has {len(values)} value cells where the header has "
                        f"{len(COLUMNS) + 1} columns (小计 included); which one is blank cannot be told, left "
                        f"out ({where(dr.row, dr.label)})"
                    )
                    continue
                elif len(values) == len(COLUMNS):
                    mapped = list(zip(COLUMNS, values, strict=True))
                elif len(values) == len(COLUMNS) + 1:
                    eight.append(_DataRow(dr.key, dr.label, values, dr.row))
                    continue
            if mapped is None and run_of(dr.values) is not None:
                continue  # already explained
            if mapped is None:
                self.out.warnings.append(
                    f"applications: row {dr.label!r} has {len(dr.values)} value cells where the header has "
                    f"{len(sequence or COLUMNS)}; its columns cannot be told, left out ({where(dr.row, dr.label)})"
                )
                continue
            self._emit(dr, mapped)
        if eight:
            self._eight_columns(eight)
        return self.out

    def _by_run(self, dr: _DataRow, run: str, keys: list[str]) -> list[tuple[str, Cell]] | None:
        """A row printed as one digit run: cut it where the row's sums allow exactly one cut."""

        def ok(parts: list[int]) -> bool:
            v = dict(zip(keys, parts, strict=True))
            orgs = sum(v[k] for k in ORGS)
            if "legal_person" in v and v["legal_person"] != orgs:
                return False
            return v["total"] == v["natural_person"] + orgs

        parts, why = unique_split(run, len(keys), ok)
        if parts is None:
            self.out.warnings.append(
                f"applications: row {dr.label!r}: {why}; left out ({where(dr.row, dr.label)})"
            )
            return None
        self.out.warnings.append(
            f"applications: row {dr.label!r} printed as the digit run {run!r}; cut as {parts} (the only cut "
            f"that fits 总计 = the sum of the columns) ({where(dr.row, dr.label)})"
        )
        return list(zip(keys, cut_cells(dr.values[0], parts), strict=True))

    def _by_grid(self, dr: _DataRow, grid: dict[int, str]) -> list[tuple[str, Cell]] | None:
        mapped: list[tuple[str, Cell]] = []
        blanks: list[tuple[set[str], Cell]] = []
        unknown: set[str] = set()  # columns under a value that stands under more than one of them
        told: list[str] = []
        for cell in dr.values:
            keys = {grid[c] for c in range(cell.col, cell.col + cell.colspan) if c in grid}
            if len(keys) != 1 and not cell.text.strip():
                blanks.append((keys, cell))  # a spacer slot, or a blank under two columns
                continue
            if len(keys) > 1:
                # A value under two header columns (the rule between them not drawn): whose it is
                # cannot be told, and neither column has a cell of its own in this row.
                told.append(
                    f"applications: row {dr.label!r}: the value {cell.text.strip()!r} stands under the "
                    f"columns {', '.join(sorted(keys))}; whose it is cannot be told, left out "
                    f"({where(dr.row, dr.label)})"
                )
                unknown |= keys
                continue
            if not keys:
                return None
            mapped.append((keys.pop(), cell))
        if unknown and not dr.row.uncertain:
            # The format states the cells, and the row prints one per header column: they go in
            # order (a site whose value cells are shifted against its header's).
            order = list(dict.fromkeys(grid[c] for c in sorted(grid)))
            values = _trim(dr.values, len(order))
            if len(values) == len(order):
                return list(zip(order, values, strict=True))
        self.out.warnings.extend(told)
        blank_over_columns(mapped, blanks)
        return one_cell_per_column([(k, c) for k, c in mapped if k not in unknown])

    def _emit(self, dr: _DataRow, mapped: list[tuple[str, Cell]]) -> None:
        for col, cell in mapped:
            make_fact(self.out, table=TABLE, row_key=dr.key, col=col, cell=cell, row=dr.row, label=dr.label)

    def _eight_columns(self, rows: list[_DataRow]) -> None:
        """Eight values, no header to place the 法人或其他组织 subtotal: let the sums decide, or leave out."""
        first = ["natural_person", "legal_person", *ORGS, "total"]
        last = ["natural_person", *ORGS, "legal_person", "total"]

        def holds(order: list[str]) -> bool:
            for dr in rows:
                vals = dict(zip(order, (parse_cell(c.text).value or 0 for c in dr.values), strict=True))
                if vals["legal_person"] != sum(vals[k] for k in ORGS):
                    return False
            return True

        h_first, h_last = holds(first), holds(last)
        if h_first != h_last:
            order = first if h_first else last
            for dr in rows:
                self._emit(dr, list(zip(order, dr.values, strict=True)))
            return
        # Both or neither placement fits: only the cells both placements agree on are certain.
        for dr in rows:
            sure = [(k, c) for k, a, c in zip(first, last, dr.values, strict=True) if k == a]
            self._emit(dr, sure)
        self.out.warnings.append(
            "applications: rows have 8 value cells and neither the header nor the sums tell where the "
            "法人或其他组织 subtotal column is; the organisation columns are left out"
        )


def _trim(values: list[Cell], expected: int) -> list[Cell]:
    """Blank cells beyond the expected count at either end (an empty spacer column) are dropped."""
    vals = list(values)
    while len(vals) > expected and not vals[-1].text.strip():
        vals.pop()
    while len(vals) > expected and not vals[0].text.strip():
        vals.pop(0)
    return vals
