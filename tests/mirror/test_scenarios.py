"""Run-time switches: scenarios and epochs change exactly what they should, with validators to match."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from tests.mirror.conftest import report


def snapshot(m) -> dict[tuple[str, str], tuple[int, str | None, float | None]]:
    return {
        (h, p): (r.status, r.etag, r.last_modified)
        for h, host in m.controller.site.hosts.items()
        for p, r in host.static.items()
    }


def changed(before, after) -> set[tuple[str, str]]:
    keys = set(before) | set(after)
    return {
        k
        for k in keys
        if (before.get(k) or (None, None, None))[:2] != (after.get(k) or (None, None, None))[:2]
    }


def test_new_report_changes_only_its_column(fresh_mirror, get):
    before = snapshot(fresh_mirror)
    col = "/zfxxgkzl/gknb/2025nb/qzfbm2025/"
    list_before = get(fresh_mirror, f"https://www.bjhr.gov.cn{col}")
    ids_before = {r["id"] for r in fresh_mirror.manifest["reports"]}
    fresh_mirror.switch(scenarios={"new_report"})
    diff = changed(before, snapshot(fresh_mirror))
    assert diff and all(h == "www.bjhr.gov.cn" and p.startswith(col) for h, p in diff)
    new = report(fresh_mirror, "hrwsj-2025")
    assert {r["id"] for r in fresh_mirror.manifest["reports"]} == ids_before | {"hrwsj-2025"}
    assert new["status"] == "current" and new["discoverable"]
    assert get(fresh_mirror, new["canonical_url"]).status == 200
    assert ("www.bjhr.gov.cn", new["canonical_url"].split("gov.cn", 1)[1]) in diff
    # the list answers 200 to the old validators now, and its Last-Modified moved forward
    after = get(
        fresh_mirror, f"https://www.bjhr.gov.cn{col}", headers={"If-None-Match": list_before.headers["etag"]}
    )
    assert after.status == 200 and new["title"] in after.text()
    assert parsedate_to_datetime(after.headers["last-modified"]) > parsedate_to_datetime(
        list_before.headers["last-modified"]
    )
    # a page that did not change still answers 304
    other = "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    etag = before[("kw.beijing.gov.cn", "/zwgk/zfxxgk/zfxxgknb/")][1]
    assert get(fresh_mirror, other, headers={"If-None-Match": etag}).status == 304


def test_corrected_report(fresh_mirror, get):
    before = snapshot(fresh_mirror)
    fresh_mirror.switch(scenarios={"corrected"})
    v1, v2 = report(fresh_mirror, "jfkj-2025"), report(fresh_mirror, "jfkj-2025-gz")
    assert (
        v1["status"] == "superseded"
        and v1["superseded_by"] == "jfkj-2025-gz"
        and v2["supersedes"] == "jfkj-2025"
    )
    assert "本报告已更正" in get(fresh_mirror, v1["canonical_url"]).text()
    diff = changed(before, snapshot(fresh_mirror))
    assert all(
        h == "www.ycjinfeng.gov.cn" and p.startswith("/xxgk/zfxxgkml/zfxxgknb_59360/") for h, p in diff
    )
    assert ("www.ycjinfeng.gov.cn", v1["canonical_url"].split("gov.cn", 1)[1]) in diff


def test_silent_replacement(fresh_mirror, get):
    old = {rid: report(fresh_mirror, rid) for rid in ("kwzgc-2023", "mywjw-2024")}
    pages = {rid: get(fresh_mirror, r["canonical_url"]) for rid, r in old.items()}
    before = snapshot(fresh_mirror)
    fresh_mirror.switch(scenarios={"replaced"})
    diff = changed(before, snapshot(fresh_mirror))
    for rid, r in old.items():
        new = report(fresh_mirror, rid)
        assert new["canonical_url"] == r["canonical_url"] and new["replaced"]
        assert new["body_sha256"] != r["body_sha256"] and new["facts"] != r["facts"]
        again = get(fresh_mirror, r["canonical_url"], headers={"If-None-Match": pages[rid].headers["etag"]})
        assert again.status == 200 and again.body != pages[rid].body
    changed_paths = {p for _, p in diff}
    expected = {r["canonical_url"].split("gov.cn", 1)[1] for r in old.values()}
    expected |= {a["url"].split("gov.cn", 1)[1] for a in old["kwzgc-2023"]["attachments"]}
    assert changed_paths == expected  # lists keep their bytes: the titles did not change


def test_disappearing_report(fresh_mirror, get):
    r = report(fresh_mirror, "dxzfb-2024")
    assert get(fresh_mirror, r["canonical_url"]).status == 200
    fresh_mirror.switch(scenarios={"disappears"})
    gone = report(fresh_mirror, "dxzfb-2024")
    assert gone["status"] == "gone"
    assert get(fresh_mirror, r["canonical_url"]).status == 404
    node_list = r["canonical_url"].rsplit("/", 2)[0] + "/index.html"
    assert r["canonical_url"].rsplit("/", 2)[1] not in get(fresh_mirror, node_list).text()


def test_scenarios_switch_back_and_clock_moves_forward(fresh_mirror, get):
    url = "https://www.bjhr.gov.cn/zfxxgkzl/gknb/2025nb/qzfbm2025/"
    a = get(fresh_mirror, url)
    fresh_mirror.switch(scenarios={"new_report"})
    b = get(fresh_mirror, url)
    fresh_mirror.switch(scenarios=set())
    c = get(fresh_mirror, url)
    assert a.body == c.body != b.body
    lm = [parsedate_to_datetime(x.headers["last-modified"]) for x in (a, b, c)]
    assert lm[0] < lm[1] < lm[2]


def test_epoch_switch_keeps_report_identities(fresh_mirror, get):
    ids25 = {r["id"]: r for r in fresh_mirror.manifest["reports"]}
    fresh_mirror.switch(epoch=2023)
    m23 = fresh_mirror.manifest
    assert m23["epoch"] == 2023
    kw23 = {r["id"]: r for r in m23["reports"] if r["host"] == "kw.beijing.gov.cn"}
    assert kw23 and all(r["cms"] in ("hanweb", "hanweb_jsarray") for r in kw23.values())
    assert get(fresh_mirror, "https://kw.beijing.gov.cn/col/col10126/index.html").status == 200
    assert get(fresh_mirror, "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/").status == 404
    for rid, r in kw23.items():
        assert rid in ids25  # every report known in 2023 is still an identity in 2025
        later = ids25[rid]
        if later["status"] == "current" and rid != "zgc-2019":
            assert r["canonical_url"] in later["alt_urls"] or later["canonical_url"] == r["canonical_url"], (
                rid
            )
    fresh_mirror.switch(epoch=2025)
    assert get(fresh_mirror, "https://kw.beijing.gov.cn/col/col10126/index.html").status == 302


def test_http_control_route_switches(fresh_mirror):
    import json

    from mirror.testing import fetch

    r = fetch(
        fresh_mirror.proxy_url,
        f"{fresh_mirror.proxy_url}/_mirror/scenario?scenario=new_report",
        method="POST",
    )
    assert json.loads(r.body)["scenarios"] == ["new_report"]
    bad = fetch(fresh_mirror.proxy_url, f"{fresh_mirror.proxy_url}/_mirror/scenario?scenario=nonsense")
    assert bad.status == 400
