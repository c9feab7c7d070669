"""Cell values as printed: numbers, blanks and the forms real reports give them.

`22`, `1,234`, `１２` (full-width), `-3` / `－3` / `−3`, `1932.5830`, `251000元`, `22（其中修订16件）`,
`0件`; blanks `""`, `/`, `—`, `-`, `无`. Everything else is text, which is not a value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

Number = int | float

_BLANKS = {"", "/", "-", "--", "—", "——", "–", "―", "─", "无", "空", "\\", "×"}
_UNITS = "万元|亿元|千元|元|件次|人次|件|条|个|人|次|篇|项|场|期|份|家|户|期|天|日|%"
_NUMBER = re.compile(
    rf"""^(?P<sign>[+\-]?)\s*
        (?P<int>\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.(?P<frac>\d+))?
        \s*(?P<unit>{_UNITS})?
        \s*(?P<note>[(\[].*[)\]])?\s*$""",
    re.X,
)
_SPACE = re.compile(r"[\s\u00a0\u3000\u2002-\u200b\ufeff]+")


@dataclass(frozen=True, slots=True)
class CellValue:
    """What a value cell says. `kind` is `number`, `blank` or `text` (not a value)."""

    kind: str
    value: Number | None = None
    unit: str | None = None  # a unit printed inside the cell (`251000元`)
    note: str | None = None  # an annotation printed inside the cell (`（其中修订16件）`)

    @property
    def is_value(self) -> bool:
        return self.kind != "text"


TEXT = CellValue("text")
BLANK = CellValue("blank")


def parse_cell(raw: str | None) -> CellValue:
    """Read one cell. Never guesses: a cell that is not plainly a number or a blank is `text`."""
    if raw is None:
        return BLANK
    t = _SPACE.sub("", raw)
    if t in _BLANKS:
        return BLANK
    t = unicodedata.normalize("NFKC", t).replace("−", "-").replace("﹣", "-").replace("，", ",")
    if t in _BLANKS:
        return BLANK
    m = _NUMBER.match(t)
    if not m:
        return TEXT
    digits = m.group("int").replace(",", "")
    frac = m.group("frac")
    negative = m.group("sign") == "-"
    value: Number
    if frac is None:
        value = int(digits)
    else:
        value = float(f"{digits}.{frac}")
    if negative:
        value = -value
    return CellValue("number", value, m.group("unit"), m.group("note"))


def looks_numeric(raw: str) -> bool:
    """True for a cell that holds a value (number, possibly annotated) or a blank marker."""
    return parse_cell(raw).is_value


def yuan_to_wan(value: Number) -> float:
    """An amount in 元 as 万元, without float noise (`75394432.52` -> `7539.443252`)."""
    try:
        return float(Decimal(str(value)) / Decimal(10000))
    except InvalidOperation:  # pragma: no cover - str() of an int/float is always a valid Decimal
        return value / 10000
