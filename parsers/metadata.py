"""Title, agency and statistical year of a report.

The title is the report's own first lines (`北京市科学技术委员会` / `2018年政府信息公开工作年度报告`, joined
without spaces) or, when the body does not print it, what the page states (ArticleTitle, <title>). The
agency is the part of the title around the year; the year is the statistical year from the title or the
统计期限 sentence, never the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.layout import Layout, Paragraph
from parsers.normalize import cn_year, compact

_TITLE_END = re.compile(r"(年度报告|年报|工作报告|报告)([（(][^（()）]{1,12}[)）])?$")
_TITLE_WORDS = ("信息公开", "年报", "政务公开")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?度?")
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年度?")
_YEAR_NOTE = re.compile(r"[（(][^（()）]*(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})[^（()）]*[)）]$")
_EDITION = re.compile(r"[（(][^（()）]*(版|稿|全文|摘要)[)）]$")
_TITLE_CUT = ("政府信息公开", "政务信息公开", "信息公开", "政务公开", "年度报告", "工作年度报告", "年报")
_PERIOD = re.compile(
    r"统计(?:期限|时间|区间|范围|周期)[^。；]{0,24}?((?:19|20)\d{2})年(?:度|1月1日|01月01日|一月一日)"
)
_PERIOD_ALT = re.compile(r"自((?:19|20)\d{2})年1月1日(?:起)?(?:至|到)((?:19|20)\d{2})年12月31日")
_BY = re.compile(r"本(?:年度)?报告(?:是)?由(.{2,60}?)(?:依据|根据|按照|编制|制作)")
_FILLER = re.compile(r"填报单位(?:[（(]盖章[)）])?[:：]\s*(\S{2,40})")
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")
_LINK_WORD = re.compile(r"(关于|的)$")
_AGENCY_LINE = re.compile(
    r"^[\u4e00-\u9fff、（）()]{2,40}(局|委员会|委|政府|办公室|办公厅|厅|中心|院|会|所|处|队|站|部|署|馆|办)$"
)
_GENERIC = {"政府", "人民政府", "本机关", "我局", "我委", "本单位"}
_ATTACHMENT = re.compile(r"^(附件|附表)\s*\d*\s*[:：]?$")
_ATTACHMENT_LEAD = re.compile(r"^(附件|附表)\s*\d*\s*[:：]\s*(?=\S)")
# Where an agency's name starts: the place or level of government it belongs to.
_PLACE = re.compile(r"[省市区县州旗盟乡镇]|自治|街道|国家|中国|全国|国务院|中央|中关村")
# A title line that runs on into the next one (a list of agencies broken after 、).
_CONTINUED = re.compile(r"[、和与及暨]$")
# A title line that starts with the year (`2025年上海市人民政府办公厅政府信息公开` / `工作年度报告`).
_YEAR_FIRST = re.compile(r"^(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})年")
# Lines no title is made of: breadcrumbs and labelled lines (当前位置：…, 索引号：…), dates, numbered
# section headings, a sheet or table name.
_NOT_TITLE = re.compile(
    r"[:：>›»|｜]|^[（(]?[一二三四五六七八九十]+[、.．)）]|^\d+[、.．]|\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}|统计表$"
    r"|文件$|〔\d{4}〕\d+号"
)


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    title_paragraphs: int = 0  # how many leading paragraphs the title took (not section text)
    warnings: list[str] = field(default_factory=list)


# A title ending in 报告/年报 (a bracketed 更正 kept), then a dash or bar and a short name: the site's.
_SITE_SUFFIX = re.compile(r"^(.*(?:报告|年报)(?:[（(][^（()）]*[）)])?)\s*[-—–_|｜]+\s*(\S{1,30})$")


def read_metadata(layout: Layout, text: str | None = None) -> Metadata:
    """Title, agency and year. `text`: the layout's full text, if already made."""
    meta = Metadata()
    text = compact(text if text is not None else layout.text())
    paragraphs = layout.paragraphs()
    title, used = _title_from_body(paragraphs)
    if title is None:
        title = _title_from_tables(layout) or _title_from_container(layout)
    if title and (m := _SITE_SUFFIX.match(title)) and not any(w in m.group(2) for w in ("报告", "年报")):
        title = m.group(1)  # `…年度报告-沭阳县发改局`: the site's name after the report's title
    meta.title, meta.title_paragraphs = title, used

    if title:
        meta.agency = agency_from_title(title)
    if not meta.agency and used:
        meta.agency = _agency_line(paragraphs[used : used + 2])
    if not meta.agency:
        meta.agency = _agency_from_text(layout, text)

    title_year = year_from_title(title) if title else None
    period_year = year_from_period(text)
    if title_year and period_year and title_year != period_year:
        meta.warnings.append(
            f"the title says {title_year} but the 统计期限 sentence says {period_year}; the year is taken from the title"
        )
    meta.year = title_year or period_year or _year_from_table_title(text)
    return meta


def _agency_line(lines: list[Paragraph]) -> str | None:
    """The issuing body printed on its own line under a title that names none
    (`2023年政府信息公开工作年度报告` / `北京市某某局`)."""
    for p in lines:
        t = _BRACKETED.sub("", compact(p.text))
        if _AGENCY_LINE.match(t) and t not in _GENERIC:
            return t
    return None


def _is_title(text: str) -> bool:
    return bool(_TITLE_END.search(text)) and any(w in text for w in _TITLE_WORDS)


def _title_from_body(paragraphs: list[Paragraph]) -> tuple[str | None, int]:
    """The title printed at the top, over one or more lines; (title, paragraphs it took up to)."""
    acc = ""
    for i, p in enumerate(paragraphs[:8]):
        t = compact(p.text)
        if not t or (not acc and _ATTACHMENT.match(t)):
            continue  # `附件1` printed above the title
        if not acc:
            t = _ATTACHMENT_LEAD.sub("", t)  # `附件：北京市…年度报告` on one line
        if len(t) > 70 or "。" in t:
            break
        if _NOT_TITLE.search(t):
            acc = ""  # a breadcrumb, a dated or numbered line: no part of a title
            continue
        if (
            _is_title(t)
            and _PLACE.search(agency_from_title(t) or "")
            and not (acc and _CONTINUED.search(acc))
        ):
            # A whole title on one line, its agency named from the place (某区科技局): what came before
            # it was no part of it (a sheet's name), unless that line plainly runs on
            # (`北京市科学技术委员会、`). `…管理` + `委员会2022年…报告` is one title broken inside a word.
            return t, i + 1
        if acc and len(acc) + len(t) > 90:
            acc = ""
        if acc and _YEAR_FIRST.match(t) and not _names_agency(acc):
            # A word above a title that starts with its year (a PDF's `正文` label): no part of it; an
            # agency's name there (`北京市科学技术委员会` / `2018年…`) is.
            acc = ""
        acc += t
        if _is_title(acc):
            return acc, i + 1
    return None, 0


def _names_agency(text: str) -> bool:
    t = _BRACKETED.sub("", text)
    return bool(_PLACE.search(t) or _AGENCY_LINE.match(t))


def _title_from_tables(layout: Layout) -> str | None:
    """A title typed into the top row of a table (a workbook's merged title row, a Word report laid
    out in a table): that row's one cell, when it reads as a whole title."""
    for table in layout.tables()[:2]:
        for row in table.rows()[:3]:
            texts = [compact(c.text) for c in row if c.text.strip()]
            if len(texts) == 1 and _is_title(texts[0]) and agency_from_title(texts[0]):
                return texts[0]
    return None


def _title_from_container(layout: Layout) -> str | None:
    for source in (layout.title, layout.meta.get("ArticleTitle"), layout.meta.get("title")):
        if not source:
            continue
        # "<report title>_<site name>": keep the part that is the report's title.
        parts = [compact(p) for p in re.split(r"\s*(?:_|\||｜| - | — )\s*", source) if p.strip()]
        for part in parts:
            if any(w in part for w in _TITLE_WORDS) and ("报告" in part or "年报" in part):
                return part
    return None


def agency_from_title(title: str) -> str | None:
    """The agency part of a title: before the year, or (year first) between the year and 信息公开."""
    t = _EDITION.sub("", compact(title))
    t = re.sub(r"^关于", "", t)
    # The year in a bracket after the title (`…年度报告（2018年度）`) is no part of the agency's name.
    t = _YEAR_NOTE.sub("", t)
    m = _YEAR.search(t) or _CN_YEAR.search(t)
    if m:
        before, after = t[: m.start()], t[m.end() :]
        agency = _LINK_WORD.sub("", before.strip("：:，,、 ")) or _cut(after)
    else:
        agency = _cut(t)
    agency = (agency or "").strip("：:，,、 的")
    # A title without an agency ("政府信息公开工作年度报告") leaves a bare generic word: not an agency.
    return agency if agency and agency not in _GENERIC else None


def _cut(text: str) -> str:
    for word in _TITLE_CUT:
        i = text.find(word)
        if i > 0:
            return text[:i]
    return ""


def year_from_title(title: str) -> int | None:
    t = compact(title)
    m = _YEAR.search(t)
    if m:
        return int(m.group(1))
    m = _CN_YEAR.search(t)
    return cn_year(m.group(1)) if m else None


def year_from_period(text: str) -> int | None:
    m = _PERIOD.search(text)
    if m:
        return int(m.group(1))
    m = _PERIOD_ALT.search(text)
    if m and m.group(1) == m.group(2):
        return int(m.group(1))
    return None


def _year_from_table_title(text: str) -> int | None:
    m = re.search(r"统计表[（(]((?:19|20)\d{2})年度?[)）]", text)
    return int(m.group(1)) if m else None


def _agency_from_text(layout: Layout, text: str) -> str | None:
    for pattern in (_BY, _FILLER):
        m = pattern.search(text)
        if m:
            agency = _BRACKETED.sub("", m.group(1)).strip("：:，,、")
            if 2 <= len(agency) <= 40:
                return agency
    source = layout.meta.get("ContentSource") or layout.meta.get("source")
    return compact(source) if source else None
