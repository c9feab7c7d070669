"""Cell values as printed: numbers, blanks and the forms real reports give them.

`22`, `1,234`, `１２` (full-width), `-3` / `－3` / `−3`, `1932.5830`, `251000元`, `22（其中修订16件）`,
`0件`; blanks `""`, `/`, `—`, `-`, `无`. Everything else is text, which is not a value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

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
_SPLIT_DIGITS = re.compile(r"[\d０-９][\s\u00a0\u3000]+[\d０-９]")
_SPACE = re.compile(r"[\s\u00a0\u3000\u2002-\u200b\ufeff]+")


@dataclass(frozen=True, slots=True)
class CellValue:
    """What a value cell says. `kind` is `number`, `blank`, `text` (words: a label, not a value) or
    `garbled` (digits that do not make one number: `10 1`, `0880`; a value cell that cannot be read)."""

    kind: str
    value: Number | None = None
    unit: str | None = None  # a unit printed inside the cell (`251000元`)
    note: str | None = None  # an annotation printed inside the cell (`（其中修订16件）`)

    @property
    def is_value(self) -> bool:
        return self.kind in ("number", "blank")

    @property
    def is_label(self) -> bool:
        return self.kind == "text"


TEXT = CellValue("text")
BLANK = CellValue("blank")
GARBLED = CellValue("garbled")
_DIGIT_LED = re.compile(r"^[+\-−－]?[\d０-９]")
_CJK_OUTSIDE_NOTE = re.compile(r"[\u4e00-\u9fff]")
_NOTES = re.compile(r"[（(][^（()）]*[)）]?")


def parse_cell(raw: str | None) -> CellValue:
    """Read one cell. Never guesses: a cell that is not plainly a number or a blank is not a value."""
    if raw is None:
        return BLANK
    return _parse_cell(raw)


@lru_cache(maxsize=16384)
def _parse_cell(raw: str) -> CellValue:
    t = raw.strip()
    if _SPLIT_DIGITS.search(t):
        return _text_or_garbled(t)  # `10 1`: digits of two numbers, or one broken by a reader
    t = _SPACE.sub("", t)
    if t in _BLANKS:
        return BLANK
    t = unicodedata.normalize("NFKC", t).replace("−", "-").replace("﹣", "-").replace("，", ",")
    if t in _BLANKS:
        return BLANK
    m = _NUMBER.match(t)
    if not m:
        return _text_or_garbled(t)
    digits = m.group("int").replace(",", "")
    if len(digits) > 1 and digits[0] == "0":
        return GARBLED  # `0880`: no report prints leading zeros; a digit of this number went elsewhere
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


def _text_or_garbled(t: str) -> CellValue:
    """Digits first and no words outside a bracketed note: a value cell we cannot read, not a label."""
    if _DIGIT_LED.match(t) and not _CJK_OUTSIDE_NOTE.search(_NOTES.sub("", t)):
        return GARBLED
    return TEXT


def yuan_to_wan(value: Number) -> float:
    """An amount in 元 as 万元, without float noise (`75394432.52` -> `7539.443252`)."""
    try:
        return float(Decimal(str(value)) / Decimal(10000))
    except InvalidOperation:  # pragma: no cover - str() of an int/float is always a valid Decimal
        return value / 10000
