from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from crawler.registry import RegistryError, load_sites, parse_site, select_sites

REQUIRED_HOSTS = {
    "kw.beijing.gov.cn",
    "zgcgw.beijing.gov.cn",
    "www.beijing.gov.cn",
    "www.bjft.gov.cn",
    "www.bjmy.gov.cn",
    "www.bjdx.gov.cn",
    "www.bjhr.gov.cn",
    "www.bjxch.gov.cn",
    "www.ycjinfeng.gov.cn",
    "www.yinchuan.gov.cn",
}


def test_the_shipped_registry_lists_the_real_sites() -> None:
    sites = load_sites()
    hosts = {h for s in sites for h in s.allowed_domains}
    assert hosts >= REQUIRED_HOSTS
    kw = {s.name: s for s in sites}["kw"]
    assert kw.spider_family == "trs"
    assert {s.family for s in kw.start_urls} == {"trs", "hanweb"}
    assert all(s.optional for s in kw.start_urls if s.family == "hanweb")
    assert {s.spider_family for s in sites} <= {"hanweb", "trs", "docid", "pathenc", "beijing", "discovery"}


def test_one_entry_adds_a_site_and_unknown_families_use_discovery(tmp_path: Path) -> None:
    site = parse_site({"name": "fgw", "family": "jcms-next", "start_urls": ["https://fgw.beijing.gov.cn/"]})
    assert site.spider_family == "discovery"
    assert site.allowed_domains == ("fgw.beijing.gov.cn",)
    assert site.in_scope("https://fgw.beijing.gov.cn/fgwzwgk/zfxxgk/zfxxgknb/")
    assert not site.in_scope("https://www.beijing.gov.cn/")
    trs = parse_site({"name": "x", "family": "trs", "start_urls": ["https://x.gov.cn/a/b/index.html"]})
    assert trs.scope == ("/a/b/",)
    assert trs.in_scope("https://x.gov.cn/a/b/gknb2019/index_2.html")
    assert not trs.in_scope("https://x.gov.cn/a/")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"family": "trs", "start_urls": ["https://x.gov.cn/"]}, "`name` is required"),
        ({"name": "x", "start_urls": []}, "start_urls"),
        ({"name": "x", "start_urls": ["ftp://x.gov.cn/"]}, "not an http"),
        ({"name": "x", "start_urls": ["https://x.gov.cn/"], "concurrency": 8}, "concurrency"),
    ],
)
def test_malformed_entries_are_named(entry: dict, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_site(entry)


def test_select_sites(tmp_path: Path) -> None:
    path = tmp_path / "sites.yaml"
    path.write_text(
        "sites:\n"
        "  - {name: a, family: trs, start_urls: [https://a.gov.cn/]}\n"
        "  - {name: b, family: trs, start_urls: [https://b.gov.cn/], enabled: false}\n",
        encoding="utf-8",
    )
    sites = load_sites(path)
    assert [s.name for s in select_sites(sites)] == ["a"]
    assert [s.name for s in select_sites(sites, ["b"])] == ["b"]
    with pytest.raises(RegistryError, match="unknown source zz"):
        select_sites(sites, ["zz"])
    path.write_text(
        "sites:\n  - {name: a, start_urls: [https://a.gov.cn/]}\n  - {name: a, start_urls: [https://a.gov.cn/]}\n"
    )
    with pytest.raises(RegistryError, match="used twice"):
        load_sites(path)


def test_sources_command_lists_the_registry(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sources"])
    assert result.exit_code == 0, result.output
    assert "kw.beijing.gov.cn" in result.output and "bjxch" in result.output and "pathenc" in result.output
    result = CliRunner().invoke(cli, ["sources", "--json"])
    data = json.loads(result.output)
    assert {d["name"] for d in data} >= {"kw", "beijing", "ycjinfeng"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("sites:\n  - {family: trs}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sources"], env={"NIANBAO_SITES": str(bad)})
    assert result.exit_code == 1 and "`name` is required" in result.output
