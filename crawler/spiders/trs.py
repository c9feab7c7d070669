"""TRS WCM sites (kw since ~2024, the Beijing districts, Ningxia): `index.html`, `index_1.html` … lists.

The list reader (`ReportSpider.parse_listing`) takes the live items (commented-out ones are not links),
follows year folders and tabs inside the column, and reads the page count from a live
`createPageHTML(N, …)`, `var countPage = N` or the 尾页 link (never from a commented-out call), so it asks
for exactly the pages that exist (`index_1` … `index_{N-1}`, `.shtml` and `list_N` variants included).
Detail pages `…/{YYYYMM}/t{YYYYMMDD}_{docid}.html` may continue on `t…_1.html` (a live `countPage` in the
article), and carry `P0…`/`W0…` attachments next to them.
"""

from __future__ import annotations

from crawler.spiders.base import ReportSpider


class TrsSpider(ReportSpider):
    name = "trs"
    family = "trs"
