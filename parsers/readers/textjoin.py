"""Joining text that a format broke into lines: CJK runs join without a space, Latin words keep one.

PDF, DOCX and DOC readers all meet labels wrapped inside narrow cells ('1.属于国家秘\\n密',
'商业\\n企业'); the interpreters match labels by their text, so the wrap must vanish without leaving
a space that was never printed, while 'ABC\\ntest' must not become 'ABCtest'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002-\u200b]+")


def is_wide(ch: str) -> bool:
    """True for CJK ideographs, kana, hangul and full-width punctuation: script written without spaces."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # CJK radicals, punctuation, kana, unified ideographs
        or 0xAC00 <= o <= 0xD7AF  # hangul
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= o <= 0xFE4F  # vertical forms
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x3FFFF  # extension planes
        or ch in "“”‘’…—·"
    )


def _is_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%)]}>,;:!?'\"")


def _opens_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "([{<'\"")


def needs_space(left: str, right: str, *, glue_digits: bool = False) -> bool:
    """Whether a line ending in `left` and the next starting with `right` were separate words."""
    if not left or not right:
        return False
    a, b = left[-1], right[0]
    if (a.isdigit() or a == ".") and (b.isdigit() or b == "."):
        # A number broken by the wrap ('24252.31' + '1082'): always one number inside a table cell, and
        # in running text when CJK surrounds it (Chinese prints no space around numbers).
        return not (glue_digits or _number_in_cjk(left, right))
    return _is_word(a) and _opens_word(b)


def _number_in_cjk(left: str, right: str) -> bool:
    before = left.rstrip("0123456789.,")
    after = right.lstrip("0123456789.,")
    cjk_before = bool(before) and is_wide(before[-1])
    cjk_after = bool(after) and is_wide(after[0])
    # CJK on one side at least, and nothing Latin on the other: '申请2' + '2件' is one number;
    # '5' + '0' (two numbers on lines of their own) is not.
    return (cjk_before and (not after or cjk_after)) or (cjk_after and not before)


def collapse_spaces(text: str) -> str:
    """Runs of (also ideographic and no-break) spaces become one ASCII space; ends are stripped."""
    return _SPACES.sub(" ", text).strip()


def join_lines(lines: Iterable[str], *, glue_digits: bool = False) -> str:
    """One string from visual lines: no space across a CJK wrap, one space between Latin words.

    `glue_digits` is for table cells, where a digit run broken over two lines is one number.
    """
    out = ""
    for raw in lines:
        line = collapse_spaces(raw)
        if not line:
            continue
        if out and needs_space(out, line, glue_digits=glue_digits):
            out += " "
        out += line
    return out


def join_cell_text(text: str) -> str:
    """A table cell's text on one line. Its line breaks are explicit (paragraphs or breaks inside the
    cell, as in DOCX), so digits on separate lines stay separate numbers."""
    return join_lines(text.splitlines())
