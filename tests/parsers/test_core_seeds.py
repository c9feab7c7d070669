"""parse() on the five seed texts: metadata, template and a sample of cells typed from reading the seeds.

The full cell-by-cell comparison lives in the fixtures engineer's golden tests; these pin the
interpreter's behaviour on the variants each seed carries (split group labels, 8-row T2008 blocks,
Ningxia header rows with values, typos, the Beijing T2019 sub-rows, negative numbers, 4-decimal 万元).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from parsers import __version__, parse

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "data" / "seeds"
SCHEMA = json.loads((ROOT / "parsers" / "data" / "report.schema.json").read_text())


def seed(key: str):
    path = next(SEEDS.glob(f"{key}_*.txt"))
    return parse(path.read_bytes(), url=str(path))


@pytest.fixture(scope="module")
def docs():
    return {k: seed(k) for k in ("000", "001", "002", "003", "004")}


def value(doc, table, row, col):
    fact = doc.fact(table, row, col)
    assert fact is not None, f"missing fact {table}.{row}.{col}"
    return fact.value


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_documents_validate_against_the_schema(docs, key):
    d = docs[key].to_dict()
    jsonschema.validate(d, SCHEMA)
    assert d["parser_version"] == __version__
    assert len(d["source"]["sha256"]) == 64


@pytest.mark.parametrize(
    ("key", "agency", "year", "template", "title"),
    [
        ("000", "北京市科学技术委员会", 2018, "T2008", "北京市科学技术委员会2018年政府信息公开工作年度报告"),
        (
            "001",
            "北京市科学技术委员会、中关村科技园区管理委员会",
            2024,
            "T2021",
            "北京市科学技术委员会、中关村科技园区管理委员会2024年政府信息公开工作年度报告",
        ),
        (
            "002",
            "北京市丰台区科学技术和信息化局",
            2020,
            "T2019",
            "北京市丰台区科学技术和信息化局2020年政府信息公开工作年度报告",
        ),
        (
            "003",
            "中关村科技园区管理委员会",
            2020,
            "T2019",
            "中关村科技园区管理委员会2020年政府信息公开工作年度报告",
        ),
        ("004", "金凤区科技局", 2018, "T2008", "金凤区科技局2018年政府信息公开工作年度报告"),
    ],
)
def test_metadata(docs, key, agency, year, template, title):
    doc = docs[key]
    assert (doc.agency, doc.year, doc.template, doc.title) == (agency, year, template, title)


def test_t2021_seed_001_tables(docs):
    d = docs["001"]
    assert [
        value(d, "active_disclosure", "normative_documents", c) for c in ("issued", "repealed", "in_force")
    ] == [
        20,
        31,
        116,
    ]
    assert value(d, "active_disclosure", "licensing", "decisions") == 132
    assert value(d, "active_disclosure", "penalty", "decisions") == 1
    assert value(d, "active_disclosure", "fees", "amount") == 0
    cols = (
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
        "total",
    )
    assert [value(d, "applications", "new_received", c) for c in cols] == [20, 0, 0, 0, 0, 2, 22]
    assert [value(d, "applications", "denied.third_party", c) for c in cols] == [2, 0, 0, 0, 0, 2, 4]
    assert [value(d, "applications", "unable.not_held", c) for c in cols] == [4, 0, 0, 0, 0, 0, 4]
    assert [value(d, "applications", "other.other", c) for c in cols] == [7, 0, 0, 0, 0, 0, 7]
    assert [value(d, "applications", "total_processed", c) for c in cols] == [19, 0, 0, 0, 0, 2, 21]
    assert [value(d, "applications", "carried_forward", c) for c in cols] == [1, 0, 0, 0, 0, 0, 1]
    # T2021 prints （六） with sub-rows: no single `other` row; group rows print no values.
    assert d.fact("applications", "other", "total") is None
    assert d.fact("applications", "denied", "total") is None
    assert sum(1 for f in d.facts if f.table == "applications") == 25 * 7
    assert sum(1 for f in d.facts if f.table == "review_litigation") == 15
    assert all(c.ok for c in d.checks), [c for c in d.checks if not c.ok]


def test_t2019_seed_002_beijing_subrows_negative_and_decimal(docs):
    d = docs["002"]
    assert [
        value(d, "active_disclosure", "other_services.inspection", c)
        for c in ("prev_items", "change", "decisions")
    ] == [
        1,
        0,
        295,
    ]
    assert d.fact("active_disclosure", "other_services", "prev_items") is None
    assert value(d, "active_disclosure", "penalty", "change") == -3
    amount = d.fact("active_disclosure", "procurement", "amount")
    assert amount.value == 1932.583 and isinstance(amount.value, float) and amount.raw == "1932.5830"
    assert value(d, "active_disclosure", "procurement", "items") == 9
    # （三）不予 / 公开 split over two lines of the cell; the single （六）其他处理 row is `other`.
    assert value(d, "applications", "not_processed.petition", "commercial") == 4
    assert value(d, "applications", "other", "total") == 0
    assert d.fact("applications", "other.other", "total") is None
    assert sum(1 for f in d.facts if f.table == "applications") == 23 * 7


def test_t2019_seed_003(docs):
    d = docs["003"]
    assert value(d, "active_disclosure", "procurement", "amount") == 859.2551
    assert value(d, "active_disclosure", "normative_documents", "total_published") == 46
    assert value(d, "applications", "unable.not_held", "commercial") == 1
    assert value(d, "applications", "total_processed", "total") == 6


def test_t2008_beijing_seed_000(docs):
    d = docs["000"]
    facts = {f.row: f for f in d.facts if f.table == "legacy_stats"}
    assert facts["active.total"].value == 1287 and facts["active.total"].unit == "条"
    assert [facts[f"active.key_areas.{n}"].value for n in range(1, 13)] == [2] + [0] * 11
    assert facts["active.channel.other"].value == 1100
    assert facts["response.interpretations"].unit == "篇"
    assert facts["requests.received"].value == 11
    assert facts["requests.closed"].value == 19
    assert facts["requests.denied.not_government_info"].value == 5
    assert facts["litigation.upheld"].value == 0
    assert facts["staffing.budget"].value == 80 and facts["staffing.budget"].unit == "万元"
    assert facts["training.trainees"].unit == "人次"
    assert not any(k.startswith("label:") for k in facts)
    # Every sum of the Beijing list holds in this report; the 统计期限 and narrative counts agree.
    sums = {c.where: c.ok for c in d.checks if c.rule == "legacy_stats.sums"}
    assert sums["requests.received"] and sums["requests.answered"] and sums["staffing.staff"]
    assert any(c.rule == "text_vs_table" and c.where == "requests.received" and c.ok for c in d.checks)


def test_t2008_ningxia_seed_004(docs):
    d = docs["004"]
    facts = {f.row: f for f in d.facts if f.table == "legacy_stats"}
    # Header rows that print a value are kept under their printed label.
    assert facts["label:一、主动公开情况"].value == 139
    assert facts["label:一、主动公开情况"].unit is None
    # One-character typos read as the known row; a different meaning is not a typo.
    assert facts["requests.received"].label == "（一）收到申请书"
    assert facts["response.press_conferences_by_head"].value == 0
    assert "requests.denied.security_stability" in facts
    assert facts["litigation.other"].label == "（三）其他情形"
    assert facts["staffing.part_time"].label == "2.兼职人员"
    assert "label:(二)设置政府信息公开工作人员数" in facts
    assert "staffing.reading_rooms" not in facts
    assert facts["training.trainees"].value == 6
    # The explanatory lines under a row give no fact.
    assert not any("不同渠道" in k and "计" in k for k in facts)
    assert any("设置政府信息公开工作人员数" in w for w in d.warnings)


def test_sections(docs):
    d = docs["001"]
    assert [(s.number, s.heading) for s in d.sections if s.number] == [
        ("一", "总体情况"),
        ("二", "主动公开政府信息情况"),
        ("三", "收到和处理政府信息公开申请情况"),
        ("四", "政府信息公开行政复议、行政诉讼情况"),
        ("五", "存在的主要问题及改进情况"),
        ("六", "其他需要报告的事项"),
    ]
    assert "受理政府信息公开申请22件" in d.sections[1].text
    # Seed 000 lost its Word numbering: 1、 2、 3、 are its top headings.
    assert [s.number for s in docs["000"].sections if s.number] == ["1", "2", "3"]
    assert docs["000"].sections[0].heading == "引言"
    # Seed 004 numbers thirteen parts; its 1、 2、 3、 list items are not sections.
    assert [s.number for s in docs["004"].sections if s.number][-1] == "十三"
