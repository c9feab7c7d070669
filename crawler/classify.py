"""Is this page an annual report, of which year and agency? Decided from titles and text, never from URLs.

A 政府信息公开工作年度报告 is named in a handful of ways (sites.md §1 lists the real titles): 政府信息公开
工作年度报告, 政府信息公开年度报告, 政府信息公开年度工作报告, 政务信息公开年度报告, 信息公开年报 … The same
columns also hold look-alikes (sites.md §7.3): the notice asking agencies to write their reports, the
template itself, guides, budgets, 法治政府建设年度报告, 一图读懂 graphics and topic pages. A title decides
`report` (report words and a year: a bare 政府信息公开年报 is a column's name), `negative` or `unknown`; the page text confirms (a topic page of links has a report title but
no report body).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from parsers.normalize import cn_year

Kind = Literal["report", "negative", "unknown"]

# Positive: (政府|政务)信息公开 … 年度报告 / 年报 / 年度工作报告, allowing a few characters between them.
REPORT_TITLE = re.compile(
    r"(?:政府|政务)?信息公开(?:工作)?(?:情况)?(?:年度(?:工作)?报告|年报|工作报告)"
    r"|政务公开(?:工作)?年度报告"
)
# A title that only says 年度报告 (an agency's own column of reports, sites.md §1 xjwq) is a weak positive:
# the text must confirm it.
WEAK_REPORT_TITLE = re.compile(r"年度报告|年报")

# Look-alikes that share words with reports. Checked before the positive patterns.
NEGATIVE_TITLE = re.compile(
    r"^关于"  # notices and letters: 关于做好2025年政府信息公开年报编制…的函
    r"|编制|报送|格式|模板|样表|指南|目录|要点|方案|计划|决算|预算|通知|的函|公告栏"
    r"|一图读懂|图解|解读|专题|问答|新闻发布"
    r"|法治政府|统计公报"
)

CORRECTION_TITLE = re.compile(r"[（(【\[]\s*(?:更正|修订|修正)(?:稿|版)?\s*[）)】\]]|更正版|修订版")
# A page that says it has been replaced: 本报告已更正，请以2022年3月1日发布版本为准.
SUPERSEDED_NOTICE = re.compile(
    r"(?:本报告|本文|此报告|该报告)?已(?:更正|作废|被替换|重新发布)"
    r"|请以.{0,30}?(?:发布的?版本|更正版|新版本)为准"
)

# Statistical year: 2018年 / 2018年度 / 2018 年; also 二〇一八年.
ARABIC_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
HAN_YEAR = re.compile(r"([一二][〇○零ＯOО一二三四五六七八九]{3})\s*年")

# Body markers of a real report: the regulation it cites and the sections it must have.
BODY_MARKERS = (
    "政府信息公开条例",
    "主动公开",
    "依申请公开",
    "总体情况",
    "收到和处理政府信息公开申请",
    "行政复议",
    "存在的主要问题",
    "统计期限",
    "本报告",
)

GENERIC_WORDS = frozenset({"报告", "年报", "年度报告", "工作报告", "度报告"})
REPORT_WORDS = re.compile(
    r"(?:(?:政府|政务)?信息公开|政务公开|(?<![\d〇○零一二三四五六七八九\s])(?:年度报告|年报)).*$"
)


@dataclass(frozen=True, slots=True)
class TitleInfo:
    kind: Kind
    title: str
    year: int | None = None
    agency: str | None = None
    corrected: bool = False


def normalize_title(title: str) -> str:
    """NFKC (full-width digits and brackets) with all whitespace removed."""
    title = unicodedata.normalize("NFKC", title or "")
    title = re.sub(r"\s+", "", title)
    return title.strip()


def classify_title(title: str | None) -> TitleInfo:
    """Classify a list-item or page title. Truncated titles (ending in … or ...) are `unknown` unless clear."""
    text = normalize_title(title or "")
    if not text:
        return TitleInfo("unknown", "")
    year = year_from_title(text)
    corrected = bool(CORRECTION_TITLE.search(text))
    if NEGATIVE_TITLE.search(text) and not _is_correction_only(text):
        return TitleInfo("negative", text, year)
    if REPORT_TITLE.search(text) and year is not None:
        return TitleInfo("report", text, year, agency_from_title(text), corrected)
    if text.endswith(("…", "...")) or WEAK_REPORT_TITLE.search(text):
        return TitleInfo("unknown", text, year, agency_from_title(text), corrected)
    return TitleInfo("negative", text, year)


def _is_correction_only(text: str) -> bool:
    # "（更正）" titles carry no negative word of their own; make sure the negative match is not inside it.
    stripped = CORRECTION_TITLE.sub("", text)
    return not NEGATIVE_TITLE.search(stripped)


def year_from_title(text: str) -> int | None:
    """The statistical year printed in a title: the last year before the report words, else the first."""
    text = normalize_title(text)
    head = text
    m = REPORT_WORDS.search(text)
    if m and m.start() > 0:
        head = text[: m.start()]
    years = [int(y) for y in ARABIC_YEAR.findall(head)] or [int(y) for y in ARABIC_YEAR.findall(text)]
    if not years:
        han = HAN_YEAR.findall(head) or HAN_YEAR.findall(text)
        years = [year for y in han if (year := cn_year(y))]
    plausible = [y for y in years if 2000 <= y <= 2100]
    return plausible[-1] if plausible else None


def agency_from_title(text: str) -> str | None:
    """The agency named in the title: what stands around the year, before 政府信息公开…

    `北京市科学技术委员会2014年度政府信息公开年度报告` -> 北京市科学技术委员会;
    `2010年中关村科技园区管理委员会政府信息公开年度报告` -> 中关村科技园区管理委员会.
    """
    text = CORRECTION_TITLE.sub("", normalize_title(text))
    m = REPORT_WORDS.search(text)
    head = text[: m.start()] if m else text
    head = re.sub(r"[（(【\[][^）)】\]]*[）)】\]]", "", head)  # (某单位), (专题页面)
    head = re.sub(r"((?:19|20)\d{2}|[一二][〇○零ＯO一二三四五六七八九]{3})年度?", " ", head)
    parts = [p.strip(" ：:—-_、，,") for p in head.split(" ")]
    parts = [p for p in parts if len(p) >= 2 and p not in GENERIC_WORDS]
    if not parts:
        return None
    # `2020年北京市丰台区` leaves one part; `北京市2017年` leaves one; prefer the longest if several.
    return max(parts, key=len)


def looks_like_report_text(text: str) -> bool:
    """True when a page's main text reads like a report body, not a list of links or a notice."""
    if not text:
        return False
    hits = sum(1 for marker in BODY_MARKERS if marker in text)
    return hits >= 2 and len(text) >= 200


def says_superseded(text: str) -> bool:
    """The page announces that it was corrected or replaced by a later version."""
    return bool(SUPERSEDED_NOTICE.search(normalize_title(text or "")))
