"""Label text, normalised so that the same printed label matches however a format or an editor mangled it.

Real reports vary their labels: `1、` for `1.`, full-width or half-width brackets, spaces inside words
(`总 计`), lines broken inside a cell, quotes in three styles, an explanatory bracket after the label,
traditional characters on big5 gateway copies, and one-character typos. `label_key()` removes all of that;
`printed()` only tidies whitespace, for showing a label as the report printed it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"[\s\u00a0\u3000\u2002-\u200b\ufeff]+")


def is_wide(ch: str) -> bool:
    """CJK ideographs and full-width punctuation: script written without spaces between words."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3FFFF
        or ch in "“”‘’…—·、，。：；（）《》【】"
    )


def printed(text: str) -> str:
    """The label as printed, on one line: whitespace runs collapsed, and dropped next to CJK text.

    `'（一）主动公开政府信息数\\n   （不同渠道…计 1 条）'` -> `'（一）主动公开政府信息数（不同渠道…计1条）'`;
    a space between two Latin words or numbers stays.
    """
    parts = _WS.split(text.strip())
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (is_wide(out[-1]) or is_wide(part[0])):
            out += " "
        out += part
    return out


def compact(text: str) -> str:
    """All whitespace removed (the `label:` key of an unknown row)."""
    return _WS.sub("", text)


# Traditional forms of the characters that occur in the template labels (big5 gateway copies of
# Beijing pages). Only these: a general converter would be a dependency for a rare case.
_TRAD = str.maketrans(
    "開報稱數據總計實條處應門機關書獲審結預費項檢確認強製訴訟復議決規範圍屬與關於對業務統類別"
    "續轉經濟會構點務頭幹專兼職員聽證體驗傳網絡訊號時間區縣鄉鎮發佈務專題辦執証隱權節紀錄閱歷"
    "個條當單補違則況護衛難務誤圖",
    "开报称数据总计实条处应门机关书获审结预费项检确认强制诉讼复议决规范围属与关于对业务统类别"
    "续转经济会构点务头干专兼职员听证体验传网络讯号时间区县乡镇发布务专题办执证隐权节纪录阅历"
    "个条当单补违则况护卫难务误图",
)

_NUMBERING = re.compile(
    r"""^(?:
        [（(]?\s*[一二三四五六七八九十百〇零]+\s*[)）]     # （一） (一) 一） (opening cut off by a page break)
      | [一二三四五六七八九十百]+\s*[、.．，,]           # 一、
      | [（(]\s*\d{1,2}\s*[)）]                          # （1）
      | \d{1,2}\s*(?:[、.．，,](?!\d)|\s)               # 1、 1. 1．  '1 ' but not 1.5
      | [①②③④⑤⑥⑦⑧⑨⑩]
      | 第[一二三四五六七八九十]+[部分项条]\s*[、.．：:]?
      | 其中\s*[：:,，]?
    )\s*""",
    re.X,
)
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")
_OPEN_BRACKET = re.compile(r"[（(][^（()）]*$")  # a note whose closing bracket was cut off
_PUNCT = re.compile(r"[\s、，,.．。：:；;“”\"'‘’「」『』《》〈〉<>【】\[\]·•\-—_/／]+")


def strip_numbering(text: str) -> str:
    """Leading numbering (`一、`, `（一）`, `1.`, `1、`, `其中：`), repeatedly: `其中：1.` -> ``."""
    prev = None
    while prev != text:
        prev = text
        text = _NUMBERING.sub("", text, count=1).lstrip()
    return text


def numbering(text: str) -> str | None:
    """The leading numbering token of a label, normalised: `（三）`->`(三)`, `1、`->`1`, `二、`->`二`."""
    t = unicodedata.normalize("NFKC", text).strip()
    m = re.match(r"\(\s*([一二三四五六七八九十]+|\d{1,2})\s*\)", t)
    if m:
        return f"({m.group(1)})"
    m = re.match(r"([一二三四五六七八九十]+)\s*[、.,]", t)
    if m:
        return m.group(1)
    m = re.match(r"(\d{1,2})\s*(?:[、.,](?!\d)|\s)", t)
    if m:
        return m.group(1)
    return None


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """The matching form of a label: NFKC, simplified, no numbering, no bracketed notes, no punctuation.

    `'（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）'` -> `'主动公开政府信息数'`;
    `'3.危及“三安全一稳定”'` -> `'危及三安全一稳定'`. A label that is only a bracketed note keeps its text.
    """
    t = unicodedata.normalize("NFKC", text).translate(_TRAD)
    t = _WS.sub("", t)
    t = strip_numbering(t)
    inner = _OPEN_BRACKET.sub("", _BRACKETED.sub("", t))
    if inner.strip():
        t = inner
    return _PUNCT.sub("", t)


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, giving up early (returns limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if len(a) > len(b):
        a, b = b, a
    prev = list(range(len(a) + 1))
    for j, cb in enumerate(b, 1):
        cur = [j] + [0] * len(a)
        best = j
        for i, ca in enumerate(a, 1):
            cur[i] = min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + (ca != cb))
            best = min(best, cur[i])
        if best > limit:
            return limit + 1
        prev = cur
    return prev[-1]


_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "О": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_year(text: str) -> int | None:
    """`二〇一八` -> 2018 (years printed in Chinese digits, one character per digit)."""
    if len(text) != 4 or any(ch not in _CN_DIGITS for ch in text):
        return None
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))
