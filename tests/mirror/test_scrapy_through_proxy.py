"""Scrapy reaches the mirror with its production download stack: http via absolute-form requests, https via
CONNECT tunnels (Scrapy does not verify certificates by default). Runs `scrapy runspider` in a subprocess so the
Twisted reactor stays out of the test process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SPIDER = """
import scrapy

class Probe(scrapy.Spider):
    name = "probe"
    custom_settings = {"ROBOTSTXT_OBEY": False, "LOG_LEVEL": "WARNING", "HTTPERROR_ALLOW_ALL": True}

    async def start(self):
        for url in URLS:
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response):
        yield {"url": response.url, "status": response.status,
               "title": response.css("title::text").get(), "redirect": response.meta.get("redirect_urls")}
"""


def test_scrapy_fetches_http_and_https_through_the_proxy(mirror25, tmp_path):
    urls = [
        "http://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/",
        "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/index_1.html",
        "http://www.beijing.gov.cn/gongkai/zfxxgk/gknb/",  # E3: 301 to https, followed through CONNECT
        "https://kw.beijing.gov.cn/art/2023/10/28/art_10126_669940.html",  # E4: migration redirect
    ]
    spider = tmp_path / "probe.py"
    spider.write_text(f"URLS = {urls!r}\n" + SPIDER, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in ("SCRAPY_SETTINGS_MODULE",)}
    env.update(http_proxy=mirror25.proxy_url, https_proxy=mirror25.proxy_url)
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "runspider", str(spider), "-o", f"{out}:jsonlines"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    items = {json.loads(line)["url"]: json.loads(line) for line in out.read_text().splitlines()}
    assert items["http://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/"]["status"] == 200
    assert items["https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/index_1.html"]["status"] == 200
    assert items["https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/"]["redirect"] == [
        "http://www.beijing.gov.cn/gongkai/zfxxgk/gknb/"
    ]
    migrated = "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/202310/t20231028_3321001.html"
    assert items[migrated]["status"] == 200 and "2010年" in items[migrated]["title"]
    schemes = {(e["scheme"], e["via"]) for e in mirror25.requests("kw.beijing.gov.cn")}
    assert ("http", "proxy") in schemes and ("https", "tunnel") in schemes
