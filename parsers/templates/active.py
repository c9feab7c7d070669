"""Table 二 (主动公开政府信息情况) of T2019 and T2021.

The table is a run of blocks (第二十条第（一）项, （五）, （六）, （八）, T2019 also （九）), each with a header row
(信息内容 | column names) and data rows. Columns come from the block's header; where a block has no
header (lost at a page break) the template's columns for that row are used if the count fits.
"""

from __future__ import annotations

from parsers.layout import Cell
from parsers.model import Fact
from parsers.normalize import printed
from parsers.templates.common import TableReading, blank_over_columns, make_fact, one_cell_per_column, where
from parsers.templates.digits import cut_cells, run_of, unique_split
from parsers.templates.matching import Catalog, Entry, segments
from parsers.templates.rows import Row, under, x_range

TABLE = "active_disclosure"

COLUMN_WORDS = Catalog(
    [
        Entry("issued", ("本年制发件数", "本年制发数量", "本年新制发件数")),
        Entry("repealed", ("本年废止件数", "本年废止数量")),
        Entry("in_force", ("现行有效件数", "现行有效数量")),
        Entry("decisions", ("本年处理决定数量", "处理决定数量", "本年处理决定数")),
        Entry("amount", ("本年收费金额", "采购总金额", "本年收费金额单位万元")),
        Entry("made", ("本年新制作数量",)),
        Entry("published", ("本年新公开数量",)),
        Entry("total_published", ("对外公开总数量",)),
        Entry("prev_items", ("上一年项目数量",)),
        Entry("change", ("本年增减", "本年增/减", "本年增加减少")),
        Entry("items", ("采购项目数量",)),
        Entry(None, ("信息内容",)),
    ]
)

ROWS = Catalog(
    [
        Entry("rules", ("规章",)),
        Entry("normative_documents", ("行政规范性文件", "规范性文件")),
        Entry("licensing", ("行政许可",)),
        Entry("other_services", ("其他对外管理服务事项",), opens="other_services"),
        Entry("other_services.inspection", ("行政检查",), "other_services"),
        Entry("other_services.confirmation", ("行政确认",), "other_services"),
        Entry("penalty", ("行政处罚",)),
        Entry("coercion", ("行政强制",)),
        Entry("fees", ("行政事业性收费",)),
        Entry("procurement", ("政府集中采购",)),
    ]
)

# The columns each row has, per template: used when a block's header is missing or does not fit.
CANONICAL = {
    "T2021": {
        "rules": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "penalty": ("decisions",),
        "coercion": ("decisions",),
        "fees": ("amount",),
    },
    "T2019": {
        "rules": ("made", "published", "total_published"),
        "normative_documents": ("made", "published", "total_published"),
        "licensing": ("prev_items", "change", "decisions"),
        "other_services": ("prev_items", "change", "decisions"),
        "other_services.inspection": ("prev_items", "change", "decisions"),
        "other_services.confirmation": ("prev_items", "change", "decisions"),
        "penalty": ("prev_items", "change", "decisions"),
        "coercion": ("prev_items", "change", "decisions"),
        "fees": ("prev_items", "change"),
        "procurement": ("items", "amount"),
    },
}
# The columns a row may have in either template (a T2019 report may print a T2021 block).
_ALLOWED: dict[str, set[str]] = {}
for _tpl in CANONICAL.values():
    for _row, _cols in _tpl.items():
        _ALLOWED.setdefault(_row, set()).update(_cols)


class ActiveDisclosureReader:
    def __init__(self, template: str | None) -> None:
        self.template = template
        self.header: Row | None = None
        self.columns: list[tuple[str, Cell]] = []  # (key, header cell) of the current block
        self.money: dict[str, str] = {}  # column key -> unit its header prints (万元 / 元)
        self.group: str | None = None
        self.out = TableReading()
        self._seen: set[str] = set()
        self._facts_of: dict[str, list[Fact]] = {}
        self._labels_of: dict[str, set[int]] = {}  # the label cells each row was read from

    def feed(self, row: Row) -> None:
        labels, values = row.split()
        texts = [printed(c.text) for c in labels]
        cols = [(m.entry.key, c) for c in labels if (m := COLUMN_WORDS.match(c.text)) and m.entry.key]
        if cols or any("信息内容" in t for t in texts):
            self.header, self.columns = row, cols
            self.money = {k: _money_unit(c.text) for k, c in cols if k == "amount"}
            return
        if any("第二十条" in t for t in texts):
            self.columns, self.header = [], None  # a new block: its own header follows
            return
        key, label = self._row_key(texts)
        if key is None:
            if values and any(c.text.strip() for c in values):
                self.out.warnings.append(
                    f"active_disclosure: row {' '.join(texts)!r} is not a row of the template; values "
                    f"{[c.text for c in values]} not read ({where(row)})"
                )
            return
        if not values:
            return
        if key in self._seen:
            first = {id(f) for f in self._facts_of.get(key, [])}
            shared = self._labels_of.get(key) == {id(c) for c in labels}
            if shared or row.uncertain or any(id(f) in first for f, _why in self.out.uncertain):
                # Two rows read as one row of the template from one merged label cell, or where the
                # reader inferred the rows: the label of one may be another row's (a rule between
                # two labels not drawn), so which values are whose cannot be told.
                self.out.facts = [f for f in self.out.facts if id(f) not in first]
                self.out.uncertain = [(f, why) for f, why in self.out.uncertain if id(f) not in first]
                self.out.warnings.append(
                    f"active_disclosure: row {label!r} read from two rows (one merged label, or rows "
                    f"inferred); which values are its own cannot be told, both left out ({where(row)})"
                )
                return
            self.out.warnings.append(
                f"active_disclosure: row {label!r} printed twice; the second is ignored ({where(row)})"
            )
            return
        self._explained = False
        mapped = self._columns_for(key, row, values)
        if mapped is None and self._explained:
            return
        if mapped is None:
            self.out.warnings.append(
                f"active_disclosure: row {label!r} has {len(values)} value cells that do not fit the header "
                f"{[k for k, _ in self.columns]}; left out ({where(row, label)})"
            )
            return
        self._seen.add(key)
        self._labels_of[key] = {id(c) for c in labels}
        for col, cell in mapped:
            money = (self.money.get(col) or "万元") if col == "amount" else None
            fact = make_fact(
                self.out, table=TABLE, row_key=key, col=col, cell=cell, row=row, label=label, money=money
            )
            if fact is not None:
                self._facts_of.setdefault(key, []).append(fact)

    def _row_key(self, texts: list[str]) -> tuple[str | None, str]:
        key, label = None, ""
        for text in texts:
            for seg in segments(text):
                m = ROWS.match(seg, scope=self.group)
                if m is None:
                    continue
                if m.entry.opens:
                    self.group = m.entry.opens
                elif m.entry.scope is None:
                    self.group = None
                key, label = m.entry.key, seg
        return key, label

    def _columns_for(self, key: str, row: Row, values: list[Cell]) -> list[tuple[str, Cell]] | None:
        allowed = _ALLOWED.get(key, set())
        header_keys = [k for k, _ in self.columns]
        if self.header is not None and header_keys and set(header_keys) <= allowed:
            if row.same_grid(self.header):
                by_grid: list[tuple[str, Cell]] | None = []
                blanks: list[tuple[set[str], Cell]] = []
                unknown: set[str] = set()
                told: list[str] = []
                for cell in values:
                    hits = {
                        k
                        for k, h in self.columns
                        if h.col < cell.col + cell.colspan and cell.col < h.col + h.colspan
                    }
                    if len(hits) != 1 and not cell.text.strip():
                        blanks.append((hits, cell))  # a spacer slot, or a blank under two columns
                        continue
                    if len(hits) > 1:
                        # A value under two header columns (the rule between them not drawn): whose
                        # it is cannot be told, and neither column has a cell of its own here.
                        told.append(
                            f"active_disclosure: row {key}: the value {cell.text.strip()!r} stands under "
                            f"the columns {', '.join(sorted(hits))}; whose it is cannot be told, left out "
                            f"({where(row)})"
                        )
                        unknown |= hits
                        continue
                    if not hits:
                        by_grid = None
                        break
                    by_grid.append((hits.pop(), cell))
                if unknown and row.uncertain and (by_place := self._under_header(row, values)):
                    return by_place  # the inferred grid lines disagree; where the texts stand does not
                if unknown and not row.uncertain:
                    # The format states the cells, and the row prints one per header column: they
                    # go in order (a site whose value cells are shifted against its header's).
                    vals = _trim(values, len(header_keys))
                    if len(vals) == len(header_keys):
                        return list(zip(header_keys, vals, strict=True))
                self.out.warnings.extend(told)
                if by_grid is not None:
                    blank_over_columns(by_grid, blanks)
                    by_grid = [(k, c) for k, c in by_grid if k not in unknown]
                by_grid = one_cell_per_column(by_grid) if by_grid else None
                if by_grid or unknown:
                    self._explained = not by_grid
                    return by_grid
            if row.uncertain:
                # Cells placed by inference: a value is read only under the header word above it
                # (table 二 prints no sums that could confirm a reading by position), judged by where
                # both stand on the page when the inferred grid lines do not agree.
                by_place = self._under_header(row, values)
                if by_place:
                    return by_place
                self.out.warnings.append(
                    f"active_disclosure: row {key}: its values do not stand under the header's column "
                    f"words as read from a table whose {row.uncertain}; left out ({where(row)})"
                )
                self._explained = True
                return None
            canon = CANONICAL.get(self.template or "", {}).get(key)
            if canon is not None and set(header_keys) < set(canon):
                # A header read in part (a column word run into the label above it): values placed by
                # their order could belong to the column it lost.
                self.out.warnings.append(
                    f"active_disclosure: row {key}: the header names only the columns {header_keys} of "
                    f"{list(canon)}; its values cannot be placed by their order, left out ({where(row)})"
                )
                self._explained = True
                return None
            vals = _trim(values, len(header_keys))
            if len(vals) == len(header_keys):
                return list(zip(header_keys, vals, strict=True))
        if row.uncertain:
            self.out.warnings.append(
                f"active_disclosure: row {key}: no header above its values in a table whose "
                f"{row.uncertain}; left out ({where(row)})"
            )
            self._explained = True
            return None
        # The report's own template only: a row of another generation's columns that happens to print
        # as many values (one of three, with two blank) would be read into the wrong column.
        for tpl in (self.template,) if self.template else ("T2021", "T2019"):
            canon = CANONICAL.get(tpl, {}).get(key)
            if canon:
                vals = _trim(values, len(canon))
                if len(vals) == len(canon):
                    return list(zip(canon, vals, strict=True))
        run = run_of(values)
        keys = header_keys if header_keys and set(header_keys) <= allowed else None
        keys = keys or list(CANONICAL.get(self.template or "", {}).get(key, ()))
        if run is not None and keys:
            # No sum rule in table 二: a run is read only if it can be cut into these cells one way.
            parts, why = unique_split(run, len(keys), lambda p: True)
            if parts is not None and not run.startswith("0"):
                # `116` may be one value with the row's other cells left blank as well as `1 1 6`.
                parts, why = None, f"the digits {run!r} may be one value or several run together"
            if parts is None:
                self.out.warnings.append(f"active_disclosure: row {key}: {why}; left out ({where(row)})")
                self._explained = True
                return None
            return list(zip(keys, cut_cells(values[0], parts), strict=True))
        return None

    def _under_header(self, row: Row, values: list[Cell]) -> list[tuple[str, Cell]] | None:
        """Value cells mapped to the header columns they stand under on the page; None unless every
        printed value stands under one."""
        assert self.header is not None
        spans = {k: x for k, h in self.columns if (x := x_range(self.header, h)) is not None}
        if len(spans) != len(self.columns):
            return None
        mapped: list[tuple[str, Cell]] = []
        for cell in values:
            x = x_range(row, cell)
            key = under(spans, x) if x is not None else None
            if key is None:
                if cell.text.strip():
                    return None
                continue  # a blank spacer slot between columns
            mapped.append((key, cell))
        return one_cell_per_column(mapped) if mapped else None

    def finish(self) -> TableReading:
        return self.out


def _money_unit(header: str) -> str:
    """万元 unless the header plainly says the column is in 元 (`本年收费金额（元）`)."""
    if "万元" in header:
        return "万元"
    if "元" in header:
        return "元"
    return "万元"


def _trim(values: list[Cell], expected: int) -> list[Cell]:
    """Blank cells beyond the expected count at either end (a spacer column) are dropped."""
    vals = list(values)
    while len(vals) > expected and not vals[-1].text.strip():
        vals.pop()
    while len(vals) > expected and not vals[0].text.strip():
        vals.pop(0)
    return vals
