"""From a Layout's tables to facts: detect the template, route each table row to the reader of the
report table it belongs to, and collect what they read.

Routing works on content, not on position: a row that prints 第二十条 or 信息内容 belongs to table 二, one
that prints 勾稽关系, 自然人 or a table-三 row label to table 三, one with the 复议/诉讼 column words to table 四;
a row that says nothing of itself (the value row of table 四, a table continued on the next page) stays
with the table before it. Section headings between tables (三、收到和处理政府信息公开申请情况 …) also set the
table that follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.layout import Layout, Paragraph, Table
from parsers.limits import Deadline
from parsers.model import Fact
from parsers.normalize import compact, label_key
from parsers.numbers import parse_cell
from parsers.templates import active, applications, legacy, review
from parsers.templates.common import TableReading
from parsers.templates.flat import unflatten
from parsers.templates.rows import Row, full_text, join_page_split, table_rows
from parsers.templates.trust import confirm

SIGNATURES = {
    "T2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
    "T2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购项目数量",
        "其他对外管理服务事项",
    ),
    "T2008": ("统计指标", "统计数", "指标名称", "历年累计", "计量单位"),
}


@dataclass(slots=True)
class Reading:
    template: str | None
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The layout with flattened tables rebuilt, when tables were read from lines of text (the
    # sections are then split on it, so that table rows are not taken for headings).
    layout: Layout | None = None
    uncertain: list[tuple[Fact, str]] = field(default_factory=list)  # see TableReading.uncertain


def detect_template(layout: Layout, year: int | None = None, text: str | None = None) -> str | None:
    """T2008 / T2019 / T2021 from the labels printed; the year only breaks a tie or a bare table 三.
    `text`: the layout's full text, if already made."""
    text = compact(text if text is not None else full_text(layout))
    counts = {tpl: sum(1 for s in sigs if s in text) for tpl, sigs in SIGNATURES.items()}
    t21, t19 = counts["T2021"], counts["T2019"]
    if t21 or t19:
        if t21 != t19:
            return "T2021" if t21 > t19 else "T2019"
        return "T2021" if (year or 0) >= 2021 else "T2019"
    if counts["T2008"] >= 2 or any(
        legacy.score(table_rows(t, i)) >= 5 for i, t in enumerate(layout.tables())
    ):
        return "T2008"
    # Table 三 alone (its rows and corner cell are the same in both generations).
    if any(
        w in text for w in ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "勾稽关系")
    ) or ("予以公开" in text and "无法提供" in text and "不予处理" in text):
        if "逾期不补正" in text or "逾期未按收费通知" in text or (year or 0) >= 2021:
            return "T2021"
        return "T2019"
    return None


TABLES = {
    "T2008": ("legacy_stats",),
    "T2019": ("active_disclosure", "applications", "review_litigation"),
    "T2021": ("active_disclosure", "applications", "review_litigation"),
}


def interpret(layout: Layout, template: str | None, deadline: Deadline | None = None) -> Reading:
    reading = _read(layout, template, deadline)
    # Values of tables whose cells' places were inferred stay only where the structure confirms them.
    reading.facts, dropped = confirm(reading.facts, reading.uncertain)
    reading.warnings.extend(dropped)
    reading.uncertain = []
    missing = [t for t in TABLES.get(template or "", ()) if not any(f.table == t for f in reading.facts)]
    if missing and any(isinstance(b, Paragraph) for b in layout.blocks):
        # A table not found among the tables may be printed as lines of text (a flattened rendering).
        flat = unflatten(layout)
        if len(flat.blocks) != len(layout.blocks) or any(
            a is not b for a, b in zip(flat.blocks, layout.blocks, strict=False)
        ):
            second = _read(flat, template, deadline)
            reading.facts.extend(f for f in second.facts if f.table in missing)
            reading.warnings.extend(w for w in second.warnings if w.split(":", 1)[0] in missing)
            found = {f.table for f in second.facts} & set(missing)
            if found:
                reading.layout = flat
                reading.warnings.append(
                    f"{', '.join(sorted(found))}: read from lines of text (the table's grid was not printed)"
                )
    return reading


def _read(layout: Layout, template: str | None, deadline: Deadline | None) -> Reading:
    reading = Reading(template)
    if template == "T2008":
        _read_legacy(layout, reading, deadline)
    elif template in ("T2019", "T2021"):
        _read_national(layout, template, reading, deadline)
    return reading


def _numeric(rows: list[Row]) -> bool:
    return any(parse_cell(c.text).kind == "number" for row in rows for c in row.cells)


def _read_legacy(layout: Layout, reading: Reading, deadline: Deadline | None) -> None:
    reader = legacy.LegacyReader()
    previous_was_legacy = False
    pending: Row | None = None  # the last row of a table, held back: the next page may continue it
    for index, table in enumerate(layout.tables()):
        if deadline is not None:
            deadline.check("reading the statistics table")
        rows = table_rows(table, index)
        s = legacy.score(rows)
        if s >= 2 or (previous_was_legacy and s >= 1) or (pending is not None and _continues(pending, rows)):
            for row in rows:
                if pending is not None:
                    merged = join_page_split(pending, row, _known_legacy)
                    reader.feed(merged or pending)
                    pending = None
                    if merged is not None:
                        continue
                if row is rows[-1]:
                    pending = row
                else:
                    reader.feed(row)
            previous_was_legacy = True
        else:
            previous_was_legacy = False
            if _numeric(rows) and s == 0:
                reading.warnings.append(f"table {index + 1} is not part of the statistics table; not read")
    if pending is not None:
        reader.feed(pending)
    _collect(reading, reader.finish())


def _continues(pending: Row, rows: list[Row]) -> bool:
    return bool(rows) and join_page_split(pending, rows[0], _known_legacy) is not None


def _known_legacy(text: str) -> bool:
    return legacy.CATALOG.has_exact(text)


def _known_national(text: str) -> bool:
    return (
        applications.ROWS.has_exact(text)
        or active.ROWS.has_exact(text)
        or label_key(text) in ("小计", "合计")
    )


# Section headings that say which table follows (compared on label_key: numbering stripped).
_HEADING_CONTEXT = (
    ("主动公开政府信息情况", "active"),
    ("收到和处理政府信息公开申请情况", "applications"),
    ("行政复议行政诉讼情况", "review"),
    ("被申请行政复议提起行政诉讼情况", "review"),
    ("申请行政复议提起行政诉讼的情况", "review"),
    ("存在的主要问题", None),
    ("其他需要报告的事项", None),
)
_KEEP = "keep"


def _paragraph_context(p: Paragraph) -> str | None:
    if len(p.text) > 40:
        return _KEEP
    k = label_key(p.text)
    for words, ctx in _HEADING_CONTEXT:
        if words in k:
            return ctx
    return _KEEP


def _row_context(row: Row) -> str | None:
    texts = [label_key(c.text) for c in row.cells if c.text.strip()]
    if not texts:
        return None
    joined = "".join(texts)
    if "第二十条" in joined or "信息内容" in texts:
        return "active"
    if "勾稽" in joined or "申请人情况" in joined or "本年新收" in joined or "上年结转" in joined:
        return "applications"
    if (
        "未经复议直接起诉" in joined
        or "复议后起诉" in joined
        or ("行政复议" in texts and "行政诉讼" in texts)
    ):
        return "review"
    if sum(1 for t in texts if review.COLUMN_WORDS.match(t)) >= 3:
        return "review"
    labels, values = row.split()
    if values and labels:
        last = labels[-1].text
        if applications.ROWS.match(last) is not None and active.ROWS.match(last) is None:
            return "applications"
        if active.ROWS.match(last) is not None:
            return "active"
    return None


def _read_national(layout: Layout, template: str, reading: Reading, deadline: Deadline | None) -> None:
    readers = {
        "active": active.ActiveDisclosureReader(template),
        "applications": applications.ApplicationsReader(),
        "review": review.ReviewLitigationReader(),
    }
    context: str | None = None
    table_index = -1
    pending: tuple[Row, str] | None = None  # a table's last row, held back: the next page may continue it
    for block in layout.blocks:
        if isinstance(block, Paragraph):
            ctx = _paragraph_context(block)
            if ctx != _KEEP:
                context = ctx
            continue
        assert isinstance(block, Table)
        table_index += 1
        if deadline is not None:
            deadline.check("reading the report tables")
        unread = False
        rows = table_rows(block, table_index)
        for row in rows:
            if pending is not None:
                merged = join_page_split(pending[0], row, _known_national)
                readers[pending[1]].feed(merged or pending[0])
                held_context, pending = pending[1], None
                if merged is not None:
                    context = held_context
                    continue
            ctx = _row_context(row)
            if ctx is not None:
                context = ctx
            if context is None:
                unread = unread or any(parse_cell(c.text).kind == "number" for c in row.cells)
                continue
            if row is rows[-1]:
                pending = (row, context)
            else:
                readers[context].feed(row)
        if unread:
            reading.warnings.append(
                f"table {table_index + 1} is not one of the report's tables 二/三/四; not read"
            )
    if pending is not None:
        readers[pending[1]].feed(pending[0])
    for name in ("active", "applications", "review"):
        _collect(reading, readers[name].finish())


def _collect(reading: Reading, part: TableReading) -> None:
    reading.facts.extend(part.facts)
    reading.warnings.extend(part.warnings)
    reading.uncertain.extend(part.uncertain)
