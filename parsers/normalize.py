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


# Traditional forms of the characters of the template labels (big5 gateway copies of Beijing pages,
# 廣州/上海 pages in 繁體). Only these: a general converter would be a dependency for a rare case.
_TRAD_PAIRS = (
    "為为舉举產产價价眾众衆众償偿農农減减劃划動动參参後后國国實实導导廢废徵征徑径標标無无熱热狀状現现監监穩稳係系繫系糾纠納纳"
    "組组織织維维繳缴罰罚輿舆營营訓训許许設设訪访詢询請请讀读調调談谈負负財财責责購购資资過过進进採采錯错聞闻險险額额風风駁驳"
    "領领來来啟启與与專专業业個个於于會会傳传體体關关決决況况製制辦办務务單单發发員员圍围處处復复複复審审對对屬属佈布應应開开"
    "強强當当總总執执護护報报據据數数時时機机權权條条構构檢检濟济點点確确類类經经結结絡络統统續续網网職职範范獲获補补規规計计"
    "認认議议訟讼訴诉費费轉转違违門门間间閱阅隱隐項项預预題题兩两準准億亿萬万圖图書书號号區区縣县鄉乡鎮镇證证紀纪錄录歷历衛卫"
    "難难誤误則则別别稱称頭头幹干聽听驗验訊讯節节屆届託托紙纸鑒鉴內内請请館馆諮咨視视態态適适數数擁拥護护業业雜杂覆复"
)
_TRAD = str.maketrans(_TRAD_PAIRS[0::2], _TRAD_PAIRS[1::2])

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
    "О": 0,  # Cyrillic, Latin and fullwidth O typed for 〇
    "O": 0,
    "Ｏ": 0,
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
