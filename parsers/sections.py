"""The report's parts by their headings, with their text, for search.

Top headings are `一、总体情况` … (and the wording variants of templates.md §4.1). A report whose Word
numbering was lost in conversion prints `1、 政府信息公开工作概况…` as its top headings, or the bare
heading text (`主动公开政府信息情况`); both are recognised. Text before the first heading is an unnumbered
part (引言 where the report prints that word).
"""

from __future__ import annotations

import re

from parsers.layout import Layout, Paragraph
from parsers.model import Section
from parsers.normalize import label_key, numbering

_CN_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(\S.*)$")
_ARABIC_HEADING = re.compile(r"^\s*(\d{1,2})\s*[、．.]\s*(\S.*)$")
_INTRO = {"引言", "前言", "概述"}
_APPENDIX = re.compile(r"^\s*(附表|附件)\s*\d*\s*[:：]?")
# The six parts of the 2019/2021 format, for headings printed without their number.
_CANONICAL = {
    "总体情况": "一",
    "主动公开政府信息情况": "二",
    "收到和处理政府信息公开申请情况": "三",
    "政府信息公开行政复议行政诉讼情况": "四",
    "存在的主要问题及改进情况": "五",
    "其他需要报告的事项": "六",
}
_MAX_HEADING = 40
# A top heading run into its text: one of the template's part names, then 。or ：and the text.
_INLINE = re.compile(
    r"^\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*(总体情况|概述|主动公开政府信息情况|收到和处理政府信息公开申请情况"
    r"|政府信息公开行政复议、行政诉讼情况|(?:政府信息公开工作)?存在的主要问题及改进情况|其他需要报告的事项)"
    r"\s*[。：:]\s*(\S.*)$"
)
_PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*$")


def _heading_text(text: str, flagged: bool) -> str | None:
    """The heading words if `text` can be a heading: short, and no sentence inside it."""
    t = text.strip()
    if len(t) > _MAX_HEADING:
        return None
    body = t.rstrip("。.")
    if "。" in body or "；" in body:
        return None
    if not flagged and body != t and len(body) > 24:
        return None  # a short sentence ending in 。, not a heading
    return body


def split_sections(layout: Layout, skip: int = 0) -> list[Section]:
    """Sections in printed order. `skip`: leading paragraphs that are the title (not section text)."""
    paragraphs = layout.paragraphs()[skip:]
    has_cn = any(_is_cn_heading(p) for p in paragraphs)
    sections: list[Section] = []
    current: Section | None = None
    lines: list[str] = []

    def close() -> None:
        if current is not None:
            current.text = "\n".join(lines)
            sections.append(current)

    for p in paragraphs:
        inline = _INLINE.match(p.text)
        if inline and _heading(p, has_cn) is None:
            # `一、总体情况。2023年，我局…`: the heading and the first lines of its part in one paragraph.
            close()
            current = Section(heading=inline.group(2), text="", number=inline.group(1))
            lines = [inline.group(3).strip()]
            continue
        head = _heading(p, has_cn)
        appendix = head is None and _APPENDIX.match(p.text) and len(p.text) <= 60
        if appendix and (current is None or current.number is not None):
            head = (None, p.text.strip())
        if head is not None:
            close()
            number, heading = head
            current, lines = Section(heading=heading, text="", number=number), []
            continue
        if current is None:
            if p.text.strip() in _INTRO:
                current, lines = Section(heading=p.text.strip(), text="", number=None), []
                continue
            current, lines = Section(heading="", text="", number=None), []
        if _PAGE_NUMBER.match(p.text):
            continue  # a page number left in a text rendering, not report text
        lines.append(p.text)
    close()
    return [s for s in sections if s.heading or s.text]


def _is_cn_heading(p: Paragraph) -> bool:
    m = _CN_HEADING.match(p.text)
    return bool(m and _heading_text(m.group(2), p.heading))


def _heading(p: Paragraph, has_cn: bool) -> tuple[str | None, str] | None:
    m = _CN_HEADING.match(p.text)
    if m:
        words = _heading_text(m.group(2), p.heading)
        return (m.group(1), words) if words else None
    if not has_cn:
        m = _ARABIC_HEADING.match(p.text)
        if m and not re.match(r"\d", m.group(2)):
            words = _heading_text(m.group(2), p.heading)
            return (m.group(1), words) if words else None
    number = _CANONICAL.get(label_key(p.text))
    if number is not None and numbering(p.text) is None and len(p.text) <= _MAX_HEADING:
        return number, p.text.strip()
    return None
