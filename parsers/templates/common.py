"""Pieces the table interpreters share: the result they build and how a value cell becomes a fact."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.layout import Cell
from parsers.model import Fact
from parsers.numbers import parse_cell, yuan_to_wan
from parsers.templates.rows import Row

_TO_WAN = {
    "元": yuan_to_wan,
    "千元": lambda v: yuan_to_wan(v * 1000),
    "亿元": lambda v: v * 10000,
    "万元": lambda v: v,
}


@dataclass(slots=True)
class TableReading:
    """What one interpreter read: facts in printed order and warnings naming what it could not read."""

    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Facts read from a table whose cells' places the reader inferred, and why (Table.uncertain):
    # `trust.confirm` keeps only those the table's structure confirms.
    uncertain: list[tuple[Fact, str]] = field(default_factory=list)

    def extend(self, other: TableReading) -> None:
        self.facts.extend(other.facts)
        self.warnings.extend(other.warnings)
        self.uncertain.extend(other.uncertain)


def where(row: Row, label: str | None = None) -> str:
    """A place in words for warnings: table number, row label and page."""
    parts = [f"table {row.table + 1}"]
    if label:
        parts.append(f"row {label!r}")
    if row.page is not None:
        parts.append(f"page {row.page}")
    return ", ".join(parts)


def make_fact(
    out: TableReading,
    *,
    table: str,
    row_key: str,
    col: str,
    cell: Cell,
    row: Row,
    label: str | None,
    unit: str | None = None,
    money: str | None = None,
) -> Fact | None:
    """The fact of one value cell, or None (with a warning) when the cell does not hold a value.

    `money` is the unit of a money column as its header prints it (`万元` or `元`); facts are in 万元, so
    an amount printed in 元 (in the cell, or by the header) is converted and the conversion noted.
    """
    raw = cell.text.strip()
    cv = parse_cell(raw)
    if not cv.is_value:
        out.warnings.append(
            f"{table}.{row_key}.{col}: cell {raw!r} is not a number ({where(row, label)}); left out"
        )
        return None
    value = cv.value
    printed_unit = cv.unit or money
    if money and value is not None and printed_unit in _TO_WAN and printed_unit != "万元":
        value = _TO_WAN[printed_unit](value)
        out.warnings.append(
            f"{table}.{row_key}.{col}: {raw!r} is in {printed_unit}; converted to {value:g} 万元 ({where(row, label)})"
        )
    fact = Fact(
        table=table,
        row=row_key,
        col=col,
        value=value,
        raw=raw,
        label=label,
        unit=unit,
        page=row.page_of(cell),
    )
    out.facts.append(fact)
    if row.uncertain:
        out.uncertain.append((fact, row.uncertain))
    return fact


def blank_over_columns(mapped: list[tuple[str, Cell]], blanks: list[tuple[set[str], Cell]]) -> None:
    """Blank cells whose slot reaches under several columns (a grid column the header does not have,
    or one the parts of a table on two pages split differently): each such column that no other cell
    fills printed nothing there, so it gets the blank."""
    have = {k for k, _ in mapped}
    for keys, cell in blanks:
        for key in sorted(keys - have):
            mapped.append((key, cell))
            have.add(key)


def one_cell_per_column(mapped: list[tuple[str, Cell]]) -> list[tuple[str, Cell]] | None:
    """Value cells mapped to columns through the grid, one per column: where a header spans several
    grid columns, the blank slots beside the printed value under it are no cells of their own. None
    when a column got two printed values (the mapping cannot be right)."""
    by_key: dict[str, list[Cell]] = {}
    for key, cell in mapped:
        by_key.setdefault(key, []).append(cell)
    out: list[tuple[str, Cell]] = []
    for key, cells in by_key.items():
        printed_cells = [c for c in cells if c.text.strip()]
        if len(printed_cells) > 1:
            return None
        out.append((key, printed_cells[0] if printed_cells else cells[0]))
    return out
