"""The manifest is the truth about what is served: every URL in it answers as it says."""

from __future__ import annotations

import hashlib
import http.client
import json

import pytest

from mirror.control import Controller
from tests.mirror.conftest import report


def test_seed_reports_stand_where_they_belong(mirror25):
    seeds = {r["seed_report"]: r for r in mirror25.manifest["reports"] if r["seed_report"]}
    assert set(seeds) == {"000", "001", "002", "003", "004"}
    assert seeds["000"]["host"] == "kw.beijing.gov.cn" and seeds["000"]["report_year"] == 2018
    assert seeds["001"]["host"] == "kw.beijing.gov.cn" and seeds["001"]["report_year"] == 2024
    assert seeds["002"]["host"] == "www.bjft.gov.cn"
    assert seeds["003"]["host"] == "kw.beijing.gov.cn"
    assert any("zgcgw.beijing.gov.cn" in u for u in seeds["003"]["alt_urls"])
    assert seeds["004"]["host"] == "www.ycjinfeng.gov.cn"
    assert all(s["facts"] is None for s in seeds.values())  # real reports: no synthetic truth


@pytest.mark.parametrize("fixture", ["mirror25", "mirror23"])
def test_every_listed_url_answers_as_the_manifest_says(fixture, request, get):
    m = request.getfixturevalue(fixture)
    for r in m.manifest["reports"]:
        if r["status"] == "gone":
            assert get(m, r["canonical_url"]).status == 404, r["id"]
            continue
        if r["status"] == "superseded" and get(m, r["canonical_url"]).status == 301:
            continue
        if "E25" in r["edge_cases"]:  # truncated on purpose
            with pytest.raises(http.client.IncompleteRead):
                get(m, r["canonical_url"])
            continue
        page = get(m, r["canonical_url"])
        assert page.status == 200, r["id"]
        assert r["title"] in page.body.decode(r["encoding"]), r["id"]
        for alt in r["alt_urls"]:
            assert get(m, alt).status in (200, 301), (r["id"], alt)
        for a in r["attachments"]:
            got = get(m, a["url"])
            assert got.status == (302 if a["link_form"] == "downfile302" else a["status"]), (
                r["id"],
                a["url"],
            )
            if a["link_form"] == "downfile302":
                got = get(m, a["redirects_to"])
            if a["status"] == 200:
                assert hashlib.sha256(got.body).hexdigest() == a["sha256"], (r["id"], a["url"])
                assert got.headers["content-type"] == a["media_type"]


def test_attachment_formats_are_real_files(mirror25, get):
    magic = {
        "pdf": b"%PDF",
        "docx": b"PK",
        "xlsx": b"PK",
        "doc": bytes.fromhex("D0CF11E0"),
        "xls": bytes.fromhex("D0CF11E0"),
    }
    forms = set()
    for r in mirror25.manifest["reports"]:
        for a in r["attachments"]:
            forms.add(a["link_form"])
            if a["status"] == 200 and a["anomaly"] != "html_error_page":
                assert get(mirror25, a["url"]).body.startswith(magic[a["format"]]), a["url"]
    assert {"trs_pdf", "trs_w0docx", "abs_xlsx", "pdf_text_docx_target", "pdfjs_iframe", "trs_pdf_htmlerror",
            "trs_pdf_404", "trs_pdf_octet", "trs_doc", "trs_xls"} <= forms  # fmt: skip


def test_synthetic_numbers_are_consistent_except_planted_errors(mirror25):
    checked = 0
    for r in mirror25.manifest["reports"]:
        if not r["facts"] or r["template"] == "T2008":
            continue
        f = r["facts"]
        cols = {k.split("|")[2] for k in f if k.startswith("applications|new_received|")}
        balanced = all(
            f[f"applications|new_received|{c}"] + f[f"applications|carried_over|{c}"]
            == f[f"applications|total_processed|{c}"] + f[f"applications|carried_forward|{c}"]
            for c in cols
        )
        assert balanced == (r["plant_error"] != "applications.balance"), r["id"]
        checked += 1
    assert checked > 50
    assert report(mirror25, "kwzgc-2022")["plant_error"] == "applications.balance"
    assert report(mirror25, "kwzgc-2022-gz")["plant_error"] is None


def test_expected_facts_follow_the_rendering(mirror25):
    r = report(mirror25, "kw-2016")  # HTML summary + PDF full text
    assert r["format"] == "html+pdf" and r["expected_facts"]["html"] == {}
    assert r["attachments"][0]["expected_facts"]
    full = report(mirror25, "kwzgc-2021")
    assert full["expected_facts"]["html"]


def test_manifest_is_deterministic_and_json(mirror25):
    again = Controller(epoch=2025).manifest
    a = json.dumps(mirror25.manifest, ensure_ascii=False, sort_keys=True)
    assert a == json.dumps(again, ensure_ascii=False, sort_keys=True)


def test_duplicates_share_a_body_hash(mirror25, get):
    r = report(mirror25, "zgc-2010")
    assert r["body_sha256"] and "E13" in r["edge_cases"]
    for rid in ("kw-2014", "zgc-2020"):
        assert "E13" in report(mirror25, rid)["edge_cases"]


def test_scale_knob_adds_reports():
    small = Controller(epoch=2025)
    big = Controller(epoch=2025, scale=3)
    extra = {r["id"] for r in big.manifest["reports"]} - {r["id"] for r in small.manifest["reports"]}
    assert len(extra) == 3 * 8 and all(x.startswith("scale-") for x in extra)
    # base reports keep their URLs whatever the scale
    urls = {r["id"]: r["canonical_url"] for r in small.manifest["reports"]}
    assert all(urls[r["id"]] == r["canonical_url"] for r in big.manifest["reports"] if r["id"] in urls)
