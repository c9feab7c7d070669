"""The T2008 family: the pre-2019 政府信息公开情况统计表 (Beijing, national/Ningxia and Fujian lists).

The table is a list of indicators (统计指标 | 单位 | 统计数, Fujian 指标名称 | 计量单位 | 本年度 | 历年累计). Rows are
matched by label within the block they sit in (四、行政复议数量 and 五、行政诉讼数量 share their sub-labels), so
the reader keeps the current block as it goes. Any indicator not in the catalog is kept under
`label:<label as printed, whitespace removed>` with a warning; a block heading that prints a value is kept
the same way. The roles of the last cells (unit, value, cumulative) come from the header row.
"""

from __future__ import annotations

import re

from parsers.layout import Cell
from parsers.normalize import compact, label_key, printed
from parsers.numbers import parse_cell
from parsers.templates.common import TableReading, make_fact, where
from parsers.templates.matching import Catalog, Entry
from parsers.templates.rows import Row

TABLE = "legacy_stats"

# Block headings: key None, they open a block. Those that are also indicators carry a key.
_HEADINGS = [
    Entry(None, ("主动公开情况",), "top", opens="active"),
    Entry(None, ("回应解读情况",), "top", opens="response"),
    Entry(None, ("依申请公开情况",), "top", opens="requests"),
    Entry("review.total", ("行政复议数量", "行政复议数", "行政复议情况"), "top", opens="review"),
    Entry("litigation.total", ("行政诉讼数量", "行政诉讼数", "行政诉讼情况"), "top", opens="litigation"),
    Entry("complaints", ("举报投诉数量", "举报投诉数"), "top", opens="complaints"),
    Entry("fees", ("依申请公开信息收取的费用", "依申请公开收取的费用"), "top", opens="fees"),
    Entry(None, ("机构建设和保障经费情况",), "top", opens="staffing"),
    Entry(None, ("政府信息公开会议和培训情况",), "top", opens="training"),
]

_KEY_AREA_ITEMS = (
    "主动公开财政预算决算三公经费和行政经费信息数",
    "主动公开保障性安居工程建设计划项目开工和竣工情况保障性住房的分配和退出等信息数",
    "主动公开食品安全标准食品生产经营许可专项检查整治等信息数",
    "主动公开环境核查审批环境状况公报和重特大突发环境事件等信息数",
    "主动公开招投标违法违规行为及处理情况国有资金占控股或者主导地位依法应当招标的项目等信息数",
    "主动公开生产安全事故的政府举措处置进展风险预警防范措施等信息数",
    "主动公开农用地转为建设用地批准征收集体土地批准征地公告征地补偿安置公示集体土地征收结案等信息数",
    "主动公开政府指导价政府定价和收费标准调整的项目价格依据执行时间和范围等信息数",
    "主动公开本市企业信用信息系统中的警示信息和良好信息等信息数",
    "主动公开政府部门预算执行审计结果等信息数",
    "主动公开行政机关对与人民群众利益密切相关的公共企事业单位进行监督管理的信息数",
    "主动公开市人民政府决定主动公开的其他信息数",
)
KEY_AREA_ITEM = "active.key_areas.*"

CATALOG = Catalog(
    [
        *_HEADINGS,
        # 一、主动公开情况
        Entry("active.total", ("主动公开政府信息数", "主动公开文件数", "主动公开政府信息总数"), "active"),
        Entry("active.normative_documents", ("主动公开规范性文件数",), "active"),
        Entry("active.normative_documents_issued", ("制发规范性文件总数",), "active"),
        Entry("active.key_areas", ("重点领域公开政府信息数",), "active", opens="key_areas"),
        *[Entry(KEY_AREA_ITEM, (item,), "key_areas") for item in _KEY_AREA_ITEMS],
        Entry(None, ("通过不同渠道和方式公开政府信息的情况",), "active", opens="channels"),
        Entry("active.channel.gazette", ("政府公报公开政府信息数", "政府公报公开数"), "channels"),
        Entry("active.channel.website", ("政府网站公开政府信息数", "政府网站公开数"), "channels"),
        Entry("active.channel.weibo", ("政务微博公开政府信息数", "政务微博公开数"), "channels"),
        Entry("active.channel.wechat", ("政务微信公开政府信息数", "政务微信公开数"), "channels"),
        Entry("active.channel.other", ("其他方式公开政府信息数", "其他方式公开数"), "channels"),
        # 二、回应解读情况
        Entry("response.hot_topics", ("回应公众关注热点或重大舆情数",), "response"),
        Entry(None, ("通过不同渠道和方式回应解读的情况",), "response", opens="response"),
        Entry("response.press_conferences", ("参加或举办新闻发布会总次数",), "response"),
        Entry("response.press_conferences_by_head", ("主要负责同志参加新闻发布会次数",), "response"),
        Entry("response.online_interviews", ("政府网站在线访谈次数",), "response"),
        Entry("response.online_interviews_by_head", ("主要负责同志参加政府网站在线访谈次数",), "response"),
        Entry("response.interpretations", ("政策解读稿件发布数",), "response"),
        Entry("response.weibo_wechat", ("微博微信回应事件数",), "response"),
        Entry("response.other", ("其他方式回应事件数",), "response"),
        # 三、依申请公开情况
        Entry("requests.received", ("收到申请数", "受理依申请公开信息总数", "受理申请数"), "requests"),
        Entry("requests.received.in_person", ("当面申请数",), "requests"),
        Entry("requests.received.fax", ("传真申请数",), "requests"),
        Entry("requests.received.online", ("网络申请数", "网上申请数"), "requests"),
        Entry("requests.received.letter", ("信函申请数",), "requests"),
        Entry("requests.closed", ("申请办结数",), "requests"),
        Entry("requests.closed.on_time", ("按时办结数",), "requests"),
        Entry("requests.closed.extended", ("延期办结数",), "requests"),
        Entry("requests.answered", ("申请答复数", "对申请的答复总数"), "requests"),
        Entry("requests.answered.already_public", ("属于已主动公开范围数",), "requests"),
        Entry("requests.answered.granted", ("同意公开答复数",), "requests"),
        Entry("requests.answered.partially_granted", ("同意部分公开答复数",), "requests"),
        Entry("requests.answered.denied", ("不同意公开答复数", "不予公开答复数"), "requests"),
        Entry("requests.answered.not_this_agency", ("不属于本行政机关公开数",), "requests"),
        Entry("requests.answered.not_exist", ("申请信息不存在数",), "requests"),
        Entry("requests.answered.correction_requested", ("告知作出更改补充数",), "requests"),
        Entry("requests.answered.other_channel", ("告知通过其他途径办理数",), "requests"),
        Entry("requests.denied.state_secret", ("涉及国家秘密",), "requests"),
        Entry("requests.denied.commercial_secret", ("涉及商业秘密",), "requests"),
        Entry("requests.denied.privacy", ("涉及个人隐私",), "requests"),
        Entry("requests.denied.security_stability", ("危及国家安全公共安全经济安全和社会稳定",), "requests"),
        Entry("requests.denied.not_government_info", ("不是条例所指政府信息",), "requests"),
        Entry("requests.denied.other_law", ("法律法规规定的其他情形",), "requests"),
        # 四、行政复议数量 / 五、行政诉讼数量
        Entry("review.upheld", ("维持具体行政行为数",), "review"),
        Entry("review.corrected", ("被依法纠错数",), "review"),
        Entry("review.other", ("其他情形数",), "review"),
        Entry(
            "litigation.upheld",
            ("维持具体行政行为或者驳回原告诉讼请求数", "维持具体行政行为数"),
            "litigation",
        ),
        Entry("litigation.corrected", ("被依法纠错数",), "litigation"),
        Entry("litigation.other", ("其他情形数",), "litigation"),
        # 八、机构建设和保障经费情况
        Entry("staffing.offices", ("政府信息公开工作专门机构数",), "staffing"),
        Entry("staffing.reading_rooms", ("设置政府信息公开查阅点数",), "staffing"),
        Entry("staffing.staff", ("从事政府信息公开工作人员数",), "staffing"),
        Entry("staffing.full_time", ("专职人员数",), "staffing"),
        Entry("staffing.part_time", ("兼职人员数",), "staffing"),
        Entry("staffing.budget", ("政府信息公开专项经费",), "staffing"),
        # 九、政府信息公开会议和培训情况
        Entry("training.meetings", ("召开政府信息公开工作会议或专题会议数",), "training"),
        Entry("training.sessions", ("举办各类培训班数",), "training"),
        Entry("training.trainees", ("接受培训人员数",), "training"),
    ]
)

# The block each sub-block belongs to (for preferring entries of the current block).
_PARENT = {"key_areas": "active", "channels": "active"}

HEADER_WORDS = {
    "label": ("统计指标", "指标名称", "指标", "项目", "统计项目", "统计内容"),
    "unit": ("单位", "计量单位", "统计单位"),
    "value": (
        "统计数",
        "本年度",
        "数量",
        "数值",
        "本年",
        "统计数据",
        "本期实际",
        "本期",
        "本年实际",
        "本年数",
        "数据",
        "统计数值",
        "本年度数",
    ),
    "cumulative": ("历年累计", "累计", "累计数", "历年累计数", "本年累计"),
    "skip": ("代码", "序号", "编号", "备注", "说明", "行次"),
}
_ROLE_OF = {label_key(w): role for role, words in HEADER_WORDS.items() for w in words}
# The value column headed by the report's year instead of 本年度 (Fujian: `2018年度 | 历年累计`).
_YEAR_HEADER = re.compile(r"(?:19|20)\d{2}年度?(?:数|统计数)?")
# Cumulative over all years: never the year's own value.
_ALL_YEARS = {label_key(w) for w in ("历年累计", "历年累计数")}


def _role(text: str) -> str | None:
    role = _ROLE_OF.get(label_key(text))
    if role is None and _YEAR_HEADER.fullmatch(compact(text)):
        role = "value"
    return role


# The column-letter row under the header of the national 统计报表 (甲 乙 丙 1 2).
_COLUMN_LETTERS = {"甲", "乙", "丙", "丁", "1", "2", "3", "4", "5"}
UNITS = {
    "条",
    "件",
    "次",
    "篇",
    "个",
    "人",
    "人次",
    "万元",
    "元",
    "项",
    "场",
    "期",
    "家",
    "份",
    "件次",
    "—",
    "-",
    "/",
}


def is_header_row(texts: list[str]) -> bool:
    roles = {_role(t) for t in texts}
    return "unit" in roles and ("value" in roles or "label" in roles)


def score(rows: list[Row]) -> int:
    """How much a table looks like the 统计表: a header row counts 5, each known indicator 1."""
    n = 0
    for row in rows:
        texts = [c.text for c in row.cells if c.text.strip()]
        if not texts:
            continue
        if is_header_row(texts):
            n += 5
        elif CATALOG.match(texts[0]) is not None:
            n += 1
    return n


class LegacyReader:
    def __init__(self) -> None:
        self.roles: list[str] = ["unit", "value"]  # roles of the last cells, left to right
        self.seen_header = False
        self.block: str | None = None
        self.key_area_n = 0
        self.out = TableReading()
        self._used: set[str] = set()
        self._facts_of: dict[str, list] = {}  # the facts read under each row key

    def feed(self, row: Row) -> None:
        texts = [c.text for c in row.cells]
        if is_header_row(texts):
            self._roles_from(row)
            return
        cells = [c for c in row.cells]
        while cells and not cells[0].text.strip():
            cells.pop(0)
        if not cells or {compact(c.text) for c in cells if c.text.strip()} <= _COLUMN_LETTERS:
            return
        label_cells, unit_cell, value_cells = self._split(cells)
        label = printed(" ".join(c.text for c in label_cells if c.text.strip()))
        if not label:
            return
        if compact(label) in UNITS and printed_values_of(value_cells):
            # `条 0` between the two lines of a label split around it (a text rendering): the row's
            # label was not read with it. Its place still counts among the numbered key areas.
            if self.block == "key_areas":
                self._key_area()
            self.out.warnings.append(
                f"legacy_stats: a row whose label is only its unit {label!r} (the label printed around it was "
                f"not read with it); its values {[c.text for _, c in value_cells]} are left out ({where(row)})"
            )
            return
        if _number_after_text(label_cells):
            # More value cells than the columns known (a part of the table continued without its
            # header): which of them is the year's value cannot be told.
            self.out.warnings.append(
                f"legacy_stats: row {label!r} prints more values than the columns known above it (no "
                f"header names them); its values {[c.text for c in cells if parse_cell(c.text).kind == 'number']} "
                f"are left out ({where(row)})"
            )
            return
        printed_values = [(role, c) for role, c in value_cells if c.text.strip()]
        unit = _unit(unit_cell.text) if unit_cell is not None else None
        if not self.seen_header and not printed_values and unit is None:
            return  # title lines above the table's header (表名, 年度, 填报单位)
        glued = _GLUED_UNIT.search(label) if unit_cell is None and "unit" in self.roles else None
        if (
            glued
            and glued.start() > 0
            and not (CATALOG.has_exact(label) and not CATALOG.has_exact(label[: glued.start()]))
        ):
            # `（一）主动公开政府信息数条 28`: the row has no unit cell and its label ends in a unit word;
            # a text rendering glued the unit to the label.
            label, unit = label[: glued.start()], _unit(glued.group(1))
        key = self._key(label, row)
        if key is None or key == "":
            if label_key(label).startswith("(") and not printed_values:
                return  # an explanatory line under the row above: （不同渠道和方式公开相同信息计1条）
            if not printed_values:
                return  # a heading that prints nothing: no fact
            key = "label:" + compact(label)
            self.out.warnings.append(
                f"legacy_stats: row {label!r} is not an indicator of the template; kept as {key!r} ({where(row)})"
            )
        elif key in self._used:
            new = "label:" + compact(label)
            self.out.warnings.append(
                f"legacy_stats: row {label!r} reads as {key} a second time; kept as {new!r} ({where(row)})"
            )
            key = new
        if key in self._used:
            # The same label on two rows: one merged label cell over two rows of values, or rows the
            # reader inferred; which values are whose cannot be told.
            first = {id(f) for f in self._facts_of.pop(key, [])}
            self.out.facts = [f for f in self.out.facts if id(f) not in first]
            self.out.uncertain = [(f, why) for f, why in self.out.uncertain if id(f) not in first]
            self.out.warnings.append(
                f"legacy_stats: row {label!r} read from two rows; which values are its own cannot be told, "
                f"both left out ({where(row)})"
            )
            return
        self._used.add(key)
        for role, cell in value_cells:
            if role == "cumulative" and not cell.text.strip():
                continue
            fact = make_fact(
                self.out,
                table=TABLE,
                row_key=key,
                col="cumulative" if role == "cumulative" else "value",
                cell=cell,
                row=row,
                label=label,
                unit=unit,
            )
            if fact is not None:
                self._facts_of.setdefault(key, []).append(fact)

    def _roles_from(self, row: Row) -> None:
        """Roles of the cells after the label column, left to right: unit, value, cumulative, skip."""
        roles: list[str] = []
        unread: list[str] = []
        for cell in row.cells:
            role = _role(cell.text)
            if role == "label" or (role is None and not roles):
                roles, unread = [], []  # the label column (and anything before it)
                continue
            if role is None and cell.text.strip():
                unread.append(printed(cell.text))
            roles.append(role or "skip")
        all_years = any(label_key(c.text) in _ALL_YEARS for c in row.cells)
        if "value" not in roles and "cumulative" in roles and not all_years:
            # 本期实际 missing, only 本年累计: for a year's report that is the year's value (历年累计, the
            # sum over all years, never is).
            roles = ["value" if r == "cumulative" else r for r in roles]
        if "value" in roles or "cumulative" in roles:
            self.roles = roles
            self.seen_header = True
            for text in unread:
                self.out.warnings.append(
                    f"legacy_stats: header {text!r} is not a column the template knows; its cells are not read"
                )

    def _split(self, cells: list[Cell]) -> tuple[list[Cell], Cell | None, list[tuple[str, Cell]]]:
        """(label cells, unit cell, [(role, value cell)]) by the roles of the last cells."""
        roles = self.roles
        if len(cells) <= len(roles):
            # Fewer cells than roles: a heading spanning the row, or a row without a unit cell.
            if len(cells) >= 2 and parse_cell(cells[-1].text).is_value:
                unit_cell = cells[-2] if len(cells) >= 3 and _is_unit_cell(cells[-2].text) else None
                label_end = len(cells) - (2 if unit_cell is not None else 1)
                return cells[:label_end], unit_cell, [("value", cells[-1])]
            return cells, None, []
        tail = cells[-len(roles) :]
        label_cells = cells[: -len(roles)]
        unit_cell = None
        values: list[tuple[str, Cell]] = []
        for role, cell in zip(roles, tail, strict=True):
            if role == "unit":
                unit_cell = cell
            elif role in ("value", "cumulative"):
                values.append((role, cell))
        if unit_cell is not None and not _is_unit_cell(unit_cell.text):
            # Not a unit: the label runs into that cell (a row that lost its unit cell).
            label_cells = [*label_cells, unit_cell]
            unit_cell = None
        return label_cells, unit_cell, values

    def _key(self, label: str, row: Row) -> str | None:
        return self._match(label)

    def _match(self, label: str) -> str | None:
        block = self.block
        prefer = block
        m = CATALOG.match(label, scope=prefer)
        if m is None and block in _PARENT:
            m = CATALOG.match(label, scope=_PARENT[block])
        if m is None:
            if block == "key_areas" and label_key(label) and not label_key(label).startswith("("):
                return self._key_area()
            return None
        entry = m.entry
        if entry.opens:
            self.block = entry.opens
        elif entry.scope == "top":
            self.block = None
        elif entry.scope is not None and entry.scope != "key_areas":
            self.block = entry.scope
        if entry.key == KEY_AREA_ITEM:
            return self._key_area()
        if entry.key == "active.key_areas":
            self.key_area_n = 0
        return entry.key

    def _key_area(self) -> str:
        self.key_area_n += 1
        self.block = "key_areas"
        return f"active.key_areas.{self.key_area_n}"

    def finish(self) -> TableReading:
        return self.out


_GLUED_UNIT = re.compile(r"(人次|万元|条|件|次|篇|个|人|元|项|—|-)$")


def printed_values_of(value_cells: list[tuple[str, Cell]]) -> bool:
    return any(c.text.strip() for _, c in value_cells)


def _number_after_text(cells: list[Cell]) -> bool:
    """A number among label cells, after a cell of text (a leading 序号 cell is no value)."""
    seen_text = False
    for c in cells:
        kind = parse_cell(c.text).kind
        if kind == "number" and seen_text:
            return True
        seen_text = seen_text or (bool(c.text.strip()) and kind != "number")
    return False


def _is_unit_cell(text: str) -> bool:
    t = compact(text).strip("（）()")
    return t in UNITS or t in ("", "——", "－")


def _unit(text: str) -> str | None:
    t = compact(text).strip("（）()")
    if t in ("", "—", "-", "/", "——", "－"):
        return None
    return t if t in UNITS else None
