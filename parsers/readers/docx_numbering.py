"""Word's automatic numbering, rendered as printed: '一、', '（二）', '3.'.

Headings numbered by a list style carry no number in their text runs; the number lives in
numbering.xml. Section detection looks for '一、总体情况', so we print the labels as Word would.
"""

from __future__ import annotations

from parsers.readers.ooxml import w

_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def chinese_counting(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out = ""
    rest = n
    zero = False
    for value, name in units:
        digit, rest = divmod(rest, value)
        if digit:
            if zero:
                out += "零"
                zero = False
            out += ("" if value == 10 and digit == 1 and not out else _CN_DIGITS[digit]) + name
        elif out:
            zero = True
    if rest:
        if zero:
            out += "零"
        out += _CN_DIGITS[rest]
    return out


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: 27 -> AA.
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
               "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):  # fmt: skip
        return chinese_counting(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt in ("ideographTraditional",) and 1 <= n <= 10:
        return _HEAVENLY_STEMS[n - 1]
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)


W_VAL = w("val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _val(el, tag: str) -> str | None:
    child = el.find(w(tag)) if el is not None else None
    return child.get(W_VAL) if child is not None else None


class Numbering:
    """Counters per list, advanced paragraph by paragraph in document order."""

    def __init__(self, numbering_element, style_numbering=None):
        # numId -> abstractNumId, with level start overrides
        self._num_abstract: dict[str, str] = {}
        self._overrides: dict[tuple[str, int], int] = {}
        # abstractNumId -> level -> (start, numFmt, lvlText)
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        # style id -> (numId, ilvl): heading styles often carry the numbering themselves
        self._style_numbering = style_numbering or (lambda sid: None)
        self._counters: dict[str, list[int]] = {}
        if numbering_element is not None:
            self._load(numbering_element)

    def _load(self, root) -> None:
        for abstract in root.findall(w("abstractNum")):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in abstract.findall(w("lvl")):
                ilvl = _int(lvl.get(w("ilvl")), 0)
                start = _int(_val(lvl, "start"), 1)
                levels[ilvl] = (start, _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "")
            self._levels[abstract.get(w("abstractNumId"))] = levels
        for num in root.findall(w("num")):
            num_id = num.get(w("numId"))
            abstract_id = _val(num, "abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            self._num_abstract[num_id] = abstract_id
            for override in num.findall(w("lvlOverride")):
                start = _val(override, "startOverride")
                if start is not None:
                    self._overrides[(num_id, _int(override.get(w("ilvl")), 0))] = _int(start, 1)

    def label(self, num_pr, style_id: str | None) -> str:
        """The printed number of a paragraph with w:numPr `num_pr` (or None) and style `style_id`
        ('' if it is not numbered); advances the counters."""
        if not self._num_abstract:
            return ""
        num_id: str | None = None
        ilvl = 0
        if num_pr is not None:
            num_id = _val(num_pr, "numId")
            ilvl = _int(_val(num_pr, "ilvl"), 0)
        if num_id is None:
            from_style = self._style_numbering(style_id)
            if from_style is not None:
                num_id, ilvl = from_style
        if not num_id or num_id == "0" or num_id not in self._num_abstract:
            return ""
        abstract_id = self._num_abstract[num_id]
        levels = self._levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self._counters.setdefault(abstract_id, [0] * 9)
        if not 0 <= ilvl < 9:
            return ""
        starts = [self._overrides.get((num_id, k), levels.get(k, (1, "", ""))[0]) for k in range(9)]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else starts[ilvl]
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0  # a higher level restarts the ones below it
        _, fmt, text = levels[ilvl]
        for k in range(ilvl + 1):
            value = counters[k] or starts[k]
            k_fmt = levels.get(k, (1, "decimal", ""))[1]
            text = text.replace(f"%{k + 1}", format_number(value, k_fmt if k != ilvl else fmt))
        return text
