"""Synthetic narrative for the report sections.

The prose is written for this project (only the template's fixed headings are real). Paragraphs are
assembled from interchangeable sentences; the sentences that state counts take them from the report's
tables, so `text_vs_table` holds unless a planted error says otherwise. Generic sentences contain no
counts at all, so a parser's narrative checks only ever see the numbers placed on purpose.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from mirror.reports import labels as L
from mirror.reports.numbers import Facts


@dataclass
class NarrativeSection:
    number: str | None
    heading: str
    paragraphs: list[str]
    subsections: list[tuple[str, list[str]]]  # (（一）heading, paragraphs)
    table: str | None = None  # the statistical table printed in this section, by schema table name


_GENERIC: dict[str, list[str]] = {
    "opening": [
        "{year}年，{we}认真贯彻落实《条例》和上级关于政务公开工作的各项部署，围绕中心工作推进决策、执行、管理、服务、结果公开，政府信息公开工作总体平稳有序。",
        "{year}年，{we}把政府信息公开作为建设法治政府、服务型政府的重要抓手，坚持以公开为常态、不公开为例外，持续提升公开质量和实效。",
        "过去一年，{we}对照年度政务公开工作要点逐项抓好落实，公开工作的规范化、标准化水平稳步提高。",
        "{we}将政务公开与业务工作同部署、同推进、同考核，推动公开工作与重点任务深度融合。",
        "{we}坚持需求导向，聚焦企业和群众关心关注的事项，不断拓展公开的深度和广度。",
    ],
    "active": [
        "{we}动态调整主动公开事项清单，确保应公开尽公开，重要政策文件在规定时限内通过门户网站对外发布。",
        "坚持政策文件与解读材料同步起草、同步审签、同步发布，以图文、问答等形式增强政策的可读性。",
        "持续做好财政预决算、重大建设项目、公共资源配置等重点领域信息的发布和更新。",
        "及时发布通知公告、工作动态和办事指南，方便公众查询和获取。",
        "围绕优化营商环境，集中梳理涉企政策并分类发布，便于市场主体对照查阅。",
        "加强政策文件的集中统一发布，对现行有效的文件实行目录化管理。",
    ],
    "requests": [
        "严格按照法定程序和时限办理政府信息公开申请，做到登记、审核、答复全流程留痕。",
        "对申请内容不明确的，及时与申请人沟通并一次性告知补正事项。",
        "进一步完善依申请公开工作规程，答复文书格式统一、依据充分、告知权利救济途径。",
        "对疑难复杂申请组织集体研究，必要时征求法律顾问意见，确保答复合法合规。",
    ],
    "management": [
        "严格落实公文公开属性源头认定制度，拟制公文时同步明确公开方式。",
        "健全信息发布前保密审查机制，坚持先审查、后公开，全年未发生失泄密事件。",
        "定期对已公开的政府信息进行检查，对失效、废止的文件及时作出标注。",
        "加强规范性文件的动态管理，按要求开展清理工作并向社会公布清理结果。",
    ],
    "platform": [
        "持续优化门户网站政府信息公开专栏，调整栏目设置，提升检索功能的便捷性。",
        "发挥政务新媒体的传播优势，推动权威信息多渠道同步发布。",
        "加强网站和新媒体的日常监测和内容巡查，及时更正错误信息、清理空白栏目。",
        "推进政务公开专区建设，为企业和群众提供查阅、咨询等服务。",
    ],
    "oversight": [
        "将政务公开工作纳入年度绩效考核，定期通报工作进展。",
        "组织工作人员参加政府信息公开业务培训，提升依法公开的能力和水平。",
        "畅通社会评议渠道，认真听取公众对公开工作的意见建议并及时改进。",
        "开展政务公开专项检查，对发现的问题建立台账、限期整改。",
    ],
    "problems": [
        "对照新形势新要求，{we}政府信息公开工作仍存在一些不足：政策解读的形式还不够丰富，部分栏目更新不够及时，工作人员的业务能力有待进一步提高。",
        "一是主动公开的精准度还需提升，二是政策解读的针对性和可读性有待加强，三是基层工作人员的业务水平参差不齐。",
        "当前工作中还存在公开内容与公众需求衔接不够紧密、信息发布的时效性有待提升等问题。",
    ],
    "improvements": [
        "下一步，{we}将进一步健全工作机制，加强队伍建设和业务培训，推动政府信息公开工作提质增效。",
        "下一步将重点做好三方面工作：一是完善公开清单的动态调整，二是丰富政策解读形式，三是加强专栏日常维护和监测。",
        "针对上述问题，{we}将强化统筹协调，细化任务分工，以更高标准做好政府信息公开工作。",
    ],
    "other_matters": [
        "本年度未发出收费通知，未收取信息处理费。",
        "本年度无其他需要报告的事项。",
        "{we}门户网站设有政府信息公开专栏，如需了解更多政府信息，请登录查询。",
    ],
    "overview_2008": [
        "{year}年，{we}按照政府信息公开工作的统一部署，建立健全工作机构和制度，扎实推进各项公开工作。",
        "{we}明确了政府信息公开工作的分管领导和承办机构，落实了专兼职工作人员。",
        "全年修订完善了政府信息公开指南和公开目录，规范了申请的受理、审查和答复程序。",
        "{we}注重加强政府信息公开的宣传和培训，工作人员依法公开意识进一步增强。",
    ],
}


def agency_we(agency: str) -> str:
    """How a report refers to its own agency."""
    if agency.endswith("局"):
        return "我局"
    if agency.endswith("委员会") or agency.endswith("委"):
        return "我委"
    if agency.endswith("办公室") or agency.endswith("办"):
        return "我办"
    if agency.endswith("政府"):
        return "本级政府"
    return "本机关"


def _pick(rng: random.Random, topic: str, k: tuple[int, int], **fmt: object) -> str:
    pool = _GENERIC[topic]
    n = min(len(pool), rng.randint(*k))
    return "".join(s.format(**fmt) for s in rng.sample(pool, n))


def _n(facts: Facts, table: str, row: str, col: str) -> int:
    v = facts.get((table, row, col))
    return int(v) if isinstance(v, int | float) else 0


def modern_sections(
    rng: random.Random, agency: str, year: int, template: str, facts: Facts, stated_offset: int
) -> tuple[str, list[NarrativeSection]]:
    """Intro line and the six sections of T2019/T2021. `stated_offset` is added to the stated number of
    new applications (non-zero only to plant a text_vs_table error)."""
    we = agency_we(agency)
    fmt = {"we": we, "year": year}
    intro = rng.choice(
        [
            f"本报告由{agency}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条的规定编制，"
            f"所列数据的统计期限为{year}年1月1日至{year}年12月31日。",
            f"依据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定，编制本报告。"
            f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        ]
    )
    app = "applications"
    new = _n(facts, app, "new_received", "total") + stated_offset
    carried = _n(facts, app, "carried_over", "total")
    processed = _n(facts, app, "total_processed", "total")
    forward = _n(facts, app, "carried_forward", "total")
    natural = _n(facts, app, "new_received", "natural_person")
    if new == 0:
        req = f"{year}年，{we}未收到政府信息公开申请。"
    else:
        req = f"{year}年，{we}共收到政府信息公开申请{new}件"
        if (
            new == natural + sum(_n(facts, app, "new_received", c) for c, _ in L.ORG_COLS)
            and natural
            and natural < new
        ):
            req += f"，其中自然人申请{natural}件、法人或其他组织申请{new - natural}件"
        if carried:
            req += f"，上年结转{carried}件"
        req += f"，本年度办结{processed}件"
        req += f"，结转下年度继续办理{forward}件。" if forward else "，全部按时依法作出答复。"
    review = _n(facts, "review_litigation", "review", "total")
    litigation = _n(facts, "review_litigation", "litigation_direct", "total") + _n(
        facts, "review_litigation", "litigation_after_review", "total"
    )
    if review or litigation:
        req += f"全年因政府信息公开被申请行政复议{review}件，被提起行政诉讼{litigation}件。"
    else:
        req += "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。"

    # Reports state how much they published; T2019/T2021 tables have no such row, so nothing checks it.
    act = f"全年主动公开政府信息{rng.randint(40, 4000)}条。" if rng.random() < 0.7 else ""
    act += _pick(rng, "active", (2, 3), **fmt)
    if template == "T2021":
        issued = _n(facts, "active_disclosure", "normative_documents", "issued")
        repealed = _n(facts, "active_disclosure", "normative_documents", "repealed")
        act += f"本年制发行政规范性文件{issued}件，废止{repealed}件。"
    else:
        made = _n(facts, "active_disclosure", "normative_documents", "made")
        act += f"本年新制作规范性文件{made}件。"

    overview = NarrativeSection(
        "一",
        "总体情况",
        [_pick(rng, "opening", (1, 2), **fmt)],
        [
            ("（一）主动公开", [act]),
            ("（二）依申请公开", [req + _pick(rng, "requests", (1, 2), **fmt)]),
            ("（三）政府信息管理", [_pick(rng, "management", (2, 3), **fmt)]),
            ("（四）政府信息公开平台建设", [_pick(rng, "platform", (2, 3), **fmt)]),
            ("（五）监督保障", [_pick(rng, "oversight", (2, 3), **fmt)]),
        ],
    )
    heads = dict(L.T2019_SECTIONS)
    sections = [
        overview,
        NarrativeSection("二", heads["二"], [], [], table="active_disclosure"),
        NarrativeSection("三", heads["三"], [], [], table="applications"),
        NarrativeSection("四", heads["四"], [], [], table="review_litigation"),
        NarrativeSection(
            "五",
            heads["五"],
            [_pick(rng, "problems", (1, 1), **fmt), _pick(rng, "improvements", (1, 1), **fmt)],
            [],
        ),
        NarrativeSection("六", heads["六"], [_pick(rng, "other_matters", (1, 2), **fmt)], []),
    ]
    return intro, sections


def legacy_sections(
    rng: random.Random, agency: str, year: int, variant: str, facts: Facts, stated_offset: int
) -> tuple[str, list[NarrativeSection]]:
    """引言 and the sections of a pre-2019 report; the 统计表 goes in an appendix after them."""
    we = agency_we(agency)
    fmt = {"we": we, "year": year}

    def v(row: str) -> int:
        return _n(facts, "legacy_stats", row, "value")

    intro = (
        f"本报告根据《中华人民共和国政府信息公开条例》要求，由{agency}编制。全文包括概述，主动公开政府信息的情况，"
        f"依申请公开政府信息和不予公开政府信息的情况，政府信息公开的收费及减免情况，因政府信息公开申请行政复议、"
        f"提起行政诉讼的情况，政府信息公开工作存在的主要问题及改进情况，其他需要报告的事项。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )
    received = v("requests.received") + stated_offset
    active = f"{year}年，{we}主动公开政府信息{v('active.total')}条。" + _pick(rng, "active", (1, 2), **fmt)
    if received:
        requests = f"{year}年，{we}共收到政府信息公开申请{received}件"
        if variant != "fujian":
            requests += f"，办结{v('requests.closed')}件"
        requests += "，均在法定期限内作出答复。"
    else:
        requests = f"{year}年，{we}未收到政府信息公开申请。"
    fees = v("fees") if variant != "fujian" else 0
    fee_text = (
        "本年度未收取政府信息公开检索、复制、邮寄等费用。"
        if not fees
        else "本年度依申请提供政府信息收取了少量检索、复制费用，具体金额见附表。"
    )
    review, litigation = v("review.total"), v("litigation.total")
    review_text = (
        f"{year}年，{we}因政府信息公开被申请行政复议{review}件，被提起行政诉讼{litigation}件。"
        if review or litigation
        else f"{year}年，未发生针对{we}政府信息公开的行政复议申请和行政诉讼。"
    )
    heads = L.T2008_SECTIONS
    sections = [
        NarrativeSection(heads[0][0], heads[0][1], [_pick(rng, "overview_2008", (2, 3), **fmt)], []),
        NarrativeSection(heads[1][0], heads[1][1], [active], []),
        NarrativeSection(heads[2][0], heads[2][1], [requests + _pick(rng, "requests", (1, 1), **fmt)], []),
        NarrativeSection(heads[3][0], heads[3][1], [fee_text], []),
        NarrativeSection(heads[4][0], heads[4][1], [review_text], []),
        NarrativeSection(
            heads[5][0],
            heads[5][1],
            [_pick(rng, "problems", (1, 1), **fmt), _pick(rng, "improvements", (1, 1), **fmt)],
            [],
        ),
        NarrativeSection(heads[6][0], heads[6][1], [_pick(rng, "other_matters", (1, 1), **fmt)], []),
    ]
    return intro, sections


FILLER_TOPICS = ("opening", "active", "requests", "management", "platform", "oversight", "overview_2008")


def filler_paragraphs(rng: random.Random, agency: str, year: int, n: int) -> list[str]:
    """Count-free paragraphs for long appendices (the 500-page documents of the benchmarks)."""
    fmt = {"we": agency_we(agency), "year": year}
    return [_pick(rng, rng.choice(FILLER_TOPICS), (3, 4), **fmt) for _ in range(n)]
