"""Hanweb JCMS sites (kw.beijing.gov.cn until 2023; Zhejiang, Jiangsu …): `/col/col{ID}/index.html` columns.

The list is not in the DOM. `ReportSpider.parse_hanweb_column` reads the jpage unit of the column named in
the URL (a page may carry several units), takes the records embedded in its `<datastore>`, and asks the
`proxyUrl` the page names (never a hard-coded path) for the remaining windows, with the page's own
`ajaxParam` fields; legacy columns with `urls[i]=` JS arrays are read too. `?uid=…&pageNum=N` shells are
one page (canonical URLs). After a migration the column may redirect to a TRS list, which is then read as
one (E4).
"""

from __future__ import annotations

from crawler.spiders.base import ReportSpider


class HanwebSpider(ReportSpider):
    name = "hanweb"
    family = "hanweb"
