"""Chinese full-text search: exact matches through the bigram index, on SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

import pytest

from storage.archive import Archive, HttpExchange
from storage.chunks import MAX_CHUNK_CHARS, chunks_from_document
from storage.search import QueryError, search
from tests.storage.helpers import make_document

REPORTS = [
    # agency, year, template, section texts
    (
        "北京市科学技术委员会",
        2018,
        "T2008",
        ["本年度共收到政府信息公开申请11件，全部按时办结。", "未发生行政复议案件。"],
    ),
    ("北京市丰台区科学技术和信息化局", 2020, "T2019", ["收到申请4321件。", "信息，公开工作存在不足。"]),
    ("中关村科技园区管理委员会", 2020, "T2019", ["统计期限为2018 是年度。", "政府信息 公开专栏持续更新。"]),
    ("金凤区科技局", 2024, "T2021", ["行政复议1件，结果维持。", "炔即县的申请人提出申请。"]),
]


@pytest.fixture
def searchable(archive: Archive) -> Archive:
    run = archive.open_run("crawl", source="test")
    for i, (agency, year, template, texts) in enumerate(REPORTS):
        fetch = archive.record_exchange(
            run,
            HttpExchange(
                url=f"https://example.gov.cn/{i}.html",
                status=200,
                response_headers=[],
                body=f"report {i}".encode(),
            ),
        )
        sections = [(None, f"第{j}节", t) for j, t in enumerate(texts)]
        archive.store_report(
            run, make_document(agency, year, template=template, sections=sections), page=fetch
        )
    archive.close_run(run)
    return archive


def hits(archive: Archive, query: str, **kw) -> list[tuple[str, int]]:
    return [(h.agency, h.year) for h in search(archive.db, query, **kw).hits]


def test_two_character_term(searchable):
    assert hits(searchable, "复议") == [("金凤区科技局", 2024), ("北京市科学技术委员会", 2018)]


def test_four_character_term_and_newest_year_first(searchable):
    result = search(searchable.db, "行政复议")
    assert [h.year for h in result.hits] == [2024, 2018]
    assert not result.scanned


def test_phrase_with_digits(searchable):
    assert hits(searchable, "申请4321件") == [("北京市丰台区科学技术和信息化局", 2020)]
    assert hits(searchable, "申请11件") == [("北京市科学技术委员会", 2018)]
    assert hits(searchable, "4321") == [("北京市丰台区科学技术和信息化局", 2020)]


def test_a_rare_two_character_name(searchable):
    assert hits(searchable, "炔即") == [("金凤区科技局", 2024)]


def test_punctuation_between_characters_is_not_a_match(searchable):
    # 信息，公开 in report 2: no 息公 bigram. 信息 公开 (a space) in report 3 is one word.
    found = hits(searchable, "信息公开")
    assert ("北京市丰台区科学技术和信息化局", 2020) in found  # from its title, not from 信息，公开
    result = search(searchable.db, "信息公开", agency="丰台")
    assert all("信息，公开" not in h.snippet for h in result.hits)
    assert hits(searchable, "政府信息公开专栏") == [("中关村科技园区管理委员会", 2020)]


def test_the_recheck_removes_index_candidates_that_are_not_exact(searchable):
    # "2018年" is searched by the phrase [2018] (年 may start a longer run), then rechecked:
    # 2018 是年 has the token but not the text.
    assert hits(searchable, "2018", agency="中关村") == [("中关村科技园区管理委员会", 2020)]
    assert hits(searchable, "2018年", agency="中关村") == []
    assert hits(searchable, "2018年") == [("北京市科学技术委员会", 2018)]


def test_every_term_must_match(searchable):
    assert hits(searchable, "复议 维持") == [("金凤区科技局", 2024)]
    assert hits(searchable, "复议 4321") == []


def test_filters(searchable):
    assert hits(searchable, "复议", year=2018) == [("北京市科学技术委员会", 2018)]
    assert hits(searchable, "复议", agency="金凤") == [("金凤区科技局", 2024)]
    assert hits(searchable, "申请", template="T2019") == [("北京市丰台区科学技术和信息化局", 2020)]
    assert hits(searchable, "复议", agency="没有这个机关") == []


def test_one_character_terms_scan_and_say_so(searchable):
    result = search(searchable.db, "维")
    assert result.scanned and [h.agency for h in result.hits] == ["金凤区科技局"]


def test_hits_have_title_snippet_highlights_and_url(searchable):
    (hit,) = search(searchable.db, "炔即县").hits
    assert hit.title == "金凤区科技局2024年政府信息公开工作年度报告"
    assert hit.url == "https://example.gov.cn/3.html"
    assert hit.heading == "第1节" and hit.report_status == "current"
    ((start, end),) = hit.highlights
    assert hit.snippet[start:end] == "炔即县"


def test_limit_and_more(searchable):
    result = search(searchable.db, "年度报告", limit=2)
    assert len(result.hits) == 2 and result.more
    assert len(search(searchable.db, "年度报告", limit=10).hits) == 4


def test_at_most_per_report_passages_of_one_report(archive):
    run = archive.open_run("crawl", source="test")
    for i in range(3):
        fetch = archive.record_exchange(
            run,
            HttpExchange(url=f"https://example.gov.cn/{i}", status=200, response_headers=[], body=b"%d" % i),
        )
        sections = [(None, f"第{j}节", f"第{j}段写到行政复议。") for j in range(6)]
        archive.store_report(run, make_document(f"机关{i}", 2020 + i, sections=sections), page=fetch)
    archive.close_run(run)
    result = search(archive.db, "行政复议", per_report=2)
    assert [h.year for h in result.hits] == [2022, 2022, 2021, 2021, 2020, 2020] and result.more
    assert [h.heading for h in result.hits[:2]] == ["第0节", "第1节"]
    assert len(search(archive.db, "行政复议", per_report=10, limit=100).hits) == 18


def test_an_empty_query_is_an_error(searchable):
    with pytest.raises(QueryError):
        search(searchable.db, " ，。 ")


def test_only_the_current_version_is_searched(archive):
    run = archive.open_run("crawl", source="test")
    url = "https://example.gov.cn/r.html"
    for text in ("旧的文字内容", "新的文字内容"):
        fetch = archive.record_exchange(
            run, HttpExchange(url=url, status=200, response_headers=[], body=text.encode())
        )
        archive.store_report(run, make_document(sections=[(None, "正文", text)]), page=fetch)
    archive.close_run(run)
    assert hits(archive, "旧的") == [] and len(hits(archive, "新的")) == 1


def test_chunks_are_sections_of_at_most_2000_characters_without_tables():
    long_text = "\n".join(["政府信息公开工作稳步推进。" * 40] * 8) + "\n项目\t数量\t单位"
    doc = make_document(sections=[("一", "总体情况", long_text), ("二", "主动公开", "短文本。")])
    chunks = chunks_from_document(doc)
    assert chunks[0].text == doc.title and chunks[0].heading is None
    body = [c for c in chunks if c.heading == "一、总体情况"]
    assert len(body) > 1 and all(len(c.text) <= MAX_CHUNK_CHARS for c in chunks)
    assert body[0].text.startswith("一、总体情况\n")
    assert all("\t" not in c.text for c in chunks)
    joined = "".join(c.text for c in body).replace("\n", "")
    assert joined.count("政府信息公开工作稳步推进。") == 320  # nothing lost in the cutting
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


@pytest.mark.parametrize("window", [1, 3])
def test_the_index_path_gives_the_same_hits_as_the_walk(searchable, monkeypatch, window):
    """Small archives are answered by walking; force the index path and compare."""
    import storage.search as search_module

    queries = [
        ("复议", {}),
        ("申请", {}),
        ("行政复议", {"year": 2024}),
        ("申请", {"agency": "科技"}),
        ("政府信息公开", {"template": "T2019"}),
        ("炔即县", {}),
    ]
    expected = {q + repr(kw): hits(searchable, q, **kw) for q, kw in queries}
    monkeypatch.setattr(search_module, "WALK_WINDOW", window)
    monkeypatch.setattr(search_module, "WALK_WINDOW_FILTERED", window)
    monkeypatch.setattr(search_module, "AGENCY_WALK_MAX", 0)
    for q, kw in queries:
        assert hits(searchable, q, **kw) == expected[q + repr(kw)], (q, kw)
    assert expected["复议{}"] and expected["炔即县{}"]


def test_few_tokens_keeps_the_ends_of_long_terms():
    from storage.search import _few_tokens
    from storage.tokens import parse_query

    (term,) = _few_tokens(parse_query("依申请提供政府信息收取检索复制费用"))
    assert len(term.tokens) == 4 and term.tokens[0] == "依申" and term.tokens[-1] == "费用"
    (short,) = _few_tokens(parse_query("行政复议"))
    assert short.tokens == ("行政", "政复", "复议")
