"""The printed labels of the three template generations, keyed by the row and column keys of docs/SCHEMA.md.

These are the fixed words of the official templates (国办公开办函〔2019〕60号, 〔2021〕30号 and the pre-2019
统计表 family of templates.md §4.6); everything a generator prints around them is synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------- table 三 (applications)

CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_HEADER = "申请人情况"
NATURAL_PERSON = ("natural_person", "自然人")
LEGAL_PERSON_HEADER = "法人或其他组织"
ORG_COLS: list[tuple[str, str]] = [
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
]
TOTAL_COL = ("total", "总计")
LEGAL_PERSON_SUBTOTAL = ("legal_person", "小计")
APPLICATION_COLS: list[str] = ["natural_person", *(k for k, _ in ORG_COLS), "total"]

RESULTS_LABEL = "三、本年度办理结果"


@dataclass(frozen=True)
class ResultGroup:
    """One （一）…（七） entry of 三、本年度办理结果: a single row, or a group label with numbered leaf rows."""

    key: str
    label: str
    leaves: tuple[tuple[str, str], ...] = ()


HEAD_ROWS: list[tuple[str, str]] = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
]
TAIL_ROW = ("carried_forward", "四、结转下年度继续办理")

OTHER_LEAVES = (
    ("other.overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.overdue_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "3.其他"),
)


def result_groups(other_as_one_row: bool) -> list[ResultGroup]:
    """The result rows in printed order; T2019 (and some T2021 reports) print （六）其他处理 as one row."""
    return [
        ResultGroup("granted", "（一）予以公开"),
        ResultGroup("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        ResultGroup(
            "denied",
            "（三）不予公开",
            (
                ("denied.state_secret", "1.属于国家秘密"),
                ("denied.prohibited_by_law", "2.其他法律行政法规禁止公开"),
                ("denied.three_safeties", "3.危及“三安全一稳定”"),
                ("denied.third_party", "4.保护第三方合法权益"),
                ("denied.internal_affairs", "5.属于三类内部事务信息"),
                ("denied.process_info", "6.属于四类过程性信息"),
                ("denied.enforcement_file", "7.属于行政执法案卷"),
                ("denied.query_matter", "8.属于行政查询事项"),
            ),
        ),
        ResultGroup(
            "unable",
            "（四）无法提供",
            (
                ("unable.not_held", "1.本机关不掌握相关政府信息"),
                ("unable.needs_creation", "2.没有现成信息需要另行制作"),
                ("unable.unclear", "3.补正后申请内容仍不明确"),
            ),
        ),
        ResultGroup(
            "not_processed",
            "（五）不予处理",
            (
                ("not_processed.petition", "1.信访举报投诉类申请"),
                ("not_processed.duplicate", "2.重复申请"),
                ("not_processed.publication", "3.要求提供公开出版物"),
                ("not_processed.excessive", "4.无正当理由大量反复申请"),
                ("not_processed.reconfirm", "5.要求行政机关确认或重新出具已获取信息"),
            ),
        ),
        ResultGroup("other", "（六）其他处理", () if other_as_one_row else OTHER_LEAVES),
        ResultGroup("total_processed", "（七）总计"),
    ]


def result_leaf_keys(other_as_one_row: bool) -> list[str]:
    """The rows whose sum is （七）总计 (applications.results_sum)."""
    keys: list[str] = []
    for g in result_groups(other_as_one_row):
        if g.key == "total_processed":
            continue
        keys.extend(k for k, _ in g.leaves) if g.leaves else keys.append(g.key)
    return keys


# ---------------------------------------------------------------- table 四 (review_litigation)

REVIEW_HEADER = "行政复议"
LITIGATION_HEADER = "行政诉讼"
REVIEW_COLS: list[tuple[str, str]] = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]
REVIEW_ROWS: list[tuple[str, str]] = [
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
]

# ---------------------------------------------------------------- table 二 (active_disclosure)


@dataclass(frozen=True)
class DisclosureBlock:
    """One 第二十条第（N）项 block: its column headers and rows. `sub_rows` maps a parent label to the
    Beijing sub-rows printed under it (the parent prints no value)."""

    title: str
    cols: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, str], ...]
    sub_rows: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


INFO_CONTENT = "信息内容"

T2021_BLOCKS: list[DisclosureBlock] = [
    DisclosureBlock(
        "第二十条第（一）项",
        (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
        (("rules", "规章"), ("normative_documents", "行政规范性文件")),
    ),
    DisclosureBlock("第二十条第（五）项", (("decisions", "本年处理决定数量"),), (("licensing", "行政许可"),)),
    DisclosureBlock(
        "第二十条第（六）项",
        (("decisions", "本年处理决定数量"),),
        (("penalty", "行政处罚"), ("coercion", "行政强制")),
    ),
    DisclosureBlock(
        "第二十条第（八）项", (("amount", "本年收费金额（单位：万元）"),), (("fees", "行政事业性收费"),)
    ),
]

_T2019_ITEMS = (("prev_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量"))


def t2019_blocks(beijing: bool) -> list[DisclosureBlock]:
    """T2019 table 二; Beijing splits 其他对外管理服务事项 into 行政检查/行政确认 and asks for four decimals."""
    sub = (
        {
            "other_services": (
                ("other_services.inspection", "行政检查"),
                ("other_services.confirmation", "行政确认"),
            )
        }
        if beijing
        else {}
    )
    amount_label = "采购总金额（万元，保留四位小数）" if beijing else "采购总金额（万元）"
    return [
        DisclosureBlock(
            "第二十条第（一）项",
            (
                ("made", "本年新制作数量"),
                ("published", "本年新公开数量"),
                ("total_published", "对外公开总数量"),
            ),
            (("rules", "规章"), ("normative_documents", "规范性文件")),
        ),
        DisclosureBlock(
            "第二十条第（五）项",
            _T2019_ITEMS,
            (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")),
            sub,
        ),
        DisclosureBlock(
            "第二十条第（六）项", _T2019_ITEMS, (("penalty", "行政处罚"), ("coercion", "行政强制"))
        ),
        DisclosureBlock("第二十条第（八）项", _T2019_ITEMS[:2], (("fees", "行政事业性收费"),)),
        DisclosureBlock(
            "第二十条第（九）项",
            (("items", "采购项目数量"), ("amount", amount_label)),
            (("procurement", "政府集中采购"),),
        ),
    ]


# ---------------------------------------------------------------- T2008 统计表 (legacy_stats)


@dataclass(frozen=True)
class Indicator:
    """One printed line of a T2008 统计表. `key` None: a header line. `level` drives the indentation."""

    key: str | None
    label: str
    unit: str | None
    level: int = 0
    note: str | None = (
        None  # a second line printed in the label cell, e.g. （不同渠道和方式公开相同信息计1条）
    )


NOTE_ONE_ITEM = "（不同渠道和方式公开相同信息计1条）"
NOTE_ONE_EVENT = "（不同方式回应同一热点或舆情计1次）"

KEY_AREA_LABELS = [
    "其中：主动公开财政预算决算、“三公经费”和行政经费信息数",
    "主动公开保障性安居工程建设计划、项目开工和竣工情况，保障性住房的分配和退出等信息数",
    "主动公开食品安全标准，食品生产经营许可、专项检查整治等信息数",
    "主动公开环境核查审批、环境状况公报和重特大突发环境事件等信息数",
    "主动公开招投标违法违规行为及处理情况、国有资金占控股或者主导地位依法应当招标的项目等信息数",
    "主动公开生产安全事故的政府举措、处置进展、风险预警、防范措施等信息数",
    "主动公开农用地转为建设用地批准、征收集体土地批准、征地公告、征地补偿安置公示、集体土地征收结案等信息数",
    "主动公开政府指导价、政府定价和收费标准调整的项目、价格、依据、执行时间和范围等信息数",
    "主动公开本市企业信用信息系统中的警示信息和良好信息等信息数",
    "主动公开政府部门预算执行审计结果等信息数",
    "主动公开行政机关对与人民群众利益密切相关的公共企事业单位进行监督管理的信息数",
    "主动公开市人民政府决定主动公开的其他信息数",
]


def _national_skeleton(key_areas: bool) -> list[Indicator]:
    """The Beijing list (with 重点领域) or the national list Ningxia uses (without it)."""
    out: list[Indicator] = [
        Indicator(None, "一、主动公开情况", None),
        Indicator("active.total", "（一）主动公开政府信息数", "条", 1, NOTE_ONE_ITEM),
        Indicator("active.normative_documents", "其中：主动公开规范性文件数", "条", 2),
        Indicator("active.normative_documents_issued", "制发规范性文件总数", "件", 3),
    ]
    if key_areas:
        out.append(Indicator("active.key_areas", "（二）重点领域公开政府信息数", "条", 1, NOTE_ONE_ITEM))
        out += [
            Indicator(f"active.key_areas.{i}", label, "条", 2 if i == 1 else 3)
            for i, label in enumerate(KEY_AREA_LABELS, start=1)
        ]
    n = "（三）" if key_areas else "（二）"
    out += [
        Indicator(None, f"{n}通过不同渠道和方式公开政府信息的情况", None, 1),
        Indicator("active.channel.gazette", "1.政府公报公开政府信息数", "条", 3),
        Indicator("active.channel.website", "2.政府网站公开政府信息数", "条", 3),
        Indicator("active.channel.weibo", "3.政务微博公开政府信息数", "条", 3),
        Indicator("active.channel.wechat", "4.政务微信公开政府信息数", "条", 3),
        Indicator("active.channel.other", "5.其他方式公开政府信息数", "条", 3),
        Indicator(None, "二、回应解读情况", None),
        Indicator("response.hot_topics", "（一）回应公众关注热点或重大舆情数", "次", 1, NOTE_ONE_EVENT),
        Indicator(None, "（二）通过不同渠道和方式回应解读的情况", None, 1),
        Indicator("response.press_conferences", "1.参加或举办新闻发布会总次数", "次", 3),
        Indicator("response.press_conferences_by_head", "其中：主要负责同志参加新闻发布会次数", "次", 4),
        Indicator("response.online_interviews", "2.政府网站在线访谈次数", "次", 3),
        Indicator(
            "response.online_interviews_by_head", "其中：主要负责同志参加政府网站在线访谈次数", "次", 4
        ),
        Indicator("response.interpretations", "3.政策解读稿件发布数", "篇", 3),
        Indicator("response.weibo_wechat", "4.微博微信回应事件数", "次", 3),
        Indicator("response.other", "5.其他方式回应事件数", "次", 3),
        Indicator(None, "三、依申请公开情况", None),
        Indicator("requests.received", "（一）收到申请数", "件", 1),
        Indicator("requests.received.in_person", "1.当面申请数", "件", 3),
        Indicator("requests.received.fax", "2.传真申请数", "件", 3),
        Indicator("requests.received.online", "3.网络申请数", "件", 3),
        Indicator("requests.received.letter", "4.信函申请数", "件", 3),
        Indicator("requests.closed", "（二）申请办结数", "件", 1),
        Indicator("requests.closed.on_time", "1.按时办结数", "件", 3),
        Indicator("requests.closed.extended", "2.延期办结数", "件", 3),
        Indicator("requests.answered", "（三）申请答复数", "件", 1),
        Indicator("requests.answered.already_public", "1.属于已主动公开范围数", "件", 3),
        Indicator("requests.answered.granted", "2.同意公开答复数", "件", 3),
        Indicator("requests.answered.partially_granted", "3.同意部分公开答复数", "件", 3),
        Indicator("requests.answered.denied", "4.不同意公开答复数", "件", 3),
        Indicator("requests.denied.state_secret", "其中：涉及国家秘密", "件", 5),
        Indicator("requests.denied.commercial_secret", "涉及商业秘密", "件", 6),
        Indicator("requests.denied.privacy", "涉及个人隐私", "件", 6),
        Indicator(
            "requests.denied.security_stability", "危及国家安全、公共安全、经济安全和社会稳定", "件", 6
        ),
        Indicator("requests.denied.not_government_info", "不是《条例》所指政府信息", "件", 6),
        Indicator("requests.denied.other_law", "法律法规规定的其他情形", "件", 6),
        Indicator("requests.answered.not_this_agency", "5.不属于本行政机关公开数", "件", 3),
        Indicator("requests.answered.not_exist", "6.申请信息不存在数", "件", 3),
        Indicator("requests.answered.correction_requested", "7.告知作出更改补充数", "件", 3),
        Indicator("requests.answered.other_channel", "8.告知通过其他途径办理数", "件", 3),
        Indicator("review.total", "四、行政复议数量", "件"),
        Indicator("review.upheld", "（一）维持具体行政行为数", "件", 1),
        Indicator("review.corrected", "（二）被依法纠错数", "件", 1),
        Indicator("review.other", "（三）其他情形数", "件", 1),
        Indicator("litigation.total", "五、行政诉讼数量", "件"),
        Indicator("litigation.upheld", "（一）维持具体行政行为或者驳回原告诉讼请求数", "件", 1),
        Indicator("litigation.corrected", "（二）被依法纠错数", "件", 1),
        Indicator("litigation.other", "（三）其他情形数", "件", 1),
        Indicator("complaints", "六、举报投诉数量", "件"),
        Indicator("fees", "七、依申请公开信息收取的费用", "万元"),
        Indicator(None, "八、机构建设和保障经费情况", None),
        Indicator("staffing.offices", "（一）政府信息公开工作专门机构数", "个", 1),
        Indicator("staffing.reading_rooms", "（二）设置政府信息公开查阅点数", "个", 1),
        Indicator("staffing.staff", "（三）从事政府信息公开工作人员数", "人", 1),
        Indicator("staffing.full_time", "1.专职人员数（不包括政府公报及政府网站工作人员数）", "人", 3),
        Indicator("staffing.part_time", "2.兼职人员数", "人", 3),
        Indicator(
            "staffing.budget",
            "（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
            "万元",
            1,
        ),
        Indicator(None, "九、政府信息公开会议和培训情况", None),
        Indicator("training.meetings", "（一）召开政府信息公开工作会议或专题会议数", "次", 1),
        Indicator("training.sessions", "（二）举办各类培训班数", "次", 1),
        Indicator("training.trainees", "（三）接受培训人员数", "人次", 1),
    ]
    return out


BEIJING_INDICATORS = _national_skeleton(key_areas=True)
NINGXIA_INDICATORS = _national_skeleton(key_areas=False)

# The older national 2008-style table used in Fujian (Pingtan): 本年度 and 历年累计 columns. Rows with no
# schema key are kept by the parser as `label:<label>`, so they carry that key here.
FUJIAN_INDICATORS: list[Indicator] = [
    Indicator("active.total", "主动公开文件数", "条"),
    Indicator("active.channel.website", "其中：1.政府网站公开数", "条", 1),
    Indicator("active.channel.gazette", "2.政府公报公开数", "条", 1),
    Indicator("requests.received", "受理依申请公开信息总数", "条"),
    Indicator("requests.received.in_person", "其中：1.当面申请数", "条", 1),
    Indicator("requests.received.online", "2.网上申请数", "条", 1),
    Indicator("label:3.信函、传真申请数", "3.信函、传真申请数", "条", 1),
    Indicator("requests.answered", "对申请的答复总数", "条"),
    Indicator("requests.answered.granted", "其中：1.同意公开答复数", "条", 1),
    Indicator("requests.answered.partially_granted", "2.同意部分公开答复数", "条", 1),
    Indicator("requests.answered.denied", "3.不予公开答复数", "条", 1),
    Indicator("label:4.其他类型答复数", "4.其他类型答复数", "条", 1),
    Indicator("label:政府信息公开收费减免金额", "政府信息公开收费减免金额", "元"),
    Indicator("label:接受行政诉讼、举报数", "接受行政诉讼、举报数", "件"),
    Indicator("review.total", "行政复议数", "件"),
    Indicator("litigation.total", "行政诉讼数", "件"),
]

# Parents equal their printed parts (legacy_stats.sums; templates.md §4.5).
LEGACY_SUMS: dict[str, list[str]] = {
    "requests.received": [
        "requests.received.in_person",
        "requests.received.fax",
        "requests.received.online",
        "requests.received.letter",
    ],
    "requests.closed": ["requests.closed.on_time", "requests.closed.extended"],
    "requests.answered": [
        "requests.answered.already_public",
        "requests.answered.granted",
        "requests.answered.partially_granted",
        "requests.answered.denied",
        "requests.answered.not_this_agency",
        "requests.answered.not_exist",
        "requests.answered.correction_requested",
        "requests.answered.other_channel",
    ],
    "requests.answered.denied": [
        "requests.denied.state_secret",
        "requests.denied.commercial_secret",
        "requests.denied.privacy",
        "requests.denied.security_stability",
        "requests.denied.not_government_info",
        "requests.denied.other_law",
    ],
    "review.total": ["review.upheld", "review.corrected", "review.other"],
    "litigation.total": ["litigation.upheld", "litigation.corrected", "litigation.other"],
    "staffing.staff": ["staffing.full_time", "staffing.part_time"],
}

# ---------------------------------------------------------------- section headings

T2019_SECTIONS: list[tuple[str, str]] = [
    ("一", "总体情况"),
    ("二", "主动公开政府信息情况"),
    ("三", "收到和处理政府信息公开申请情况"),
    ("四", "政府信息公开行政复议、行政诉讼情况"),
    ("五", "存在的主要问题及改进情况"),
    ("六", "其他需要报告的事项"),
]
# Seen variants of the headings (templates.md §4.1), used when a variation asks for them.
SECTION_HEADING_VARIANTS: dict[str, list[str]] = {
    "四": [
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "因政府信息公开申请行政复议、提起行政诉讼的情况",
    ],
    "五": ["政府信息公开工作存在的主要问题及改进情况"],
}

T2008_SECTIONS: list[tuple[str, str]] = [
    ("一", "概述"),
    ("二", "主动公开政府信息的情况"),
    ("三", "依申请公开政府信息和不予公开政府信息的情况"),
    ("四", "政府信息公开的收费及减免情况"),
    ("五", "因政府信息公开申请行政复议、提起行政诉讼的情况"),
    ("六", "政府信息公开工作存在的主要问题及改进情况"),
    ("七", "其他需要报告的事项"),
]
