"""Docid-folder CMSs (bjdx, zgcgw): every page is a folder, `…/{node}/[{node}/]{docid}/index.html`.

Year nodes (`2018n`, or a number such as `2291822`) and type nodes (`qzfbm`, `2291823`) look exactly like
report folders, so a folder link is decided by its title (a report title: a detail page; anything else: a
list) and, failing that, by what the page turns out to be (an article is read as a detail, a page of
links as a list). A folder asked for without its trailing slash answers with a relative `Location`
(`301 Location: 10870021/`, E7), which the redirect middleware resolves against the request URL.
"""

from __future__ import annotations

from crawler.spiders.base import ReportSpider


class DocidSpider(ReportSpider):
    name = "docid"
    family = "docid"
