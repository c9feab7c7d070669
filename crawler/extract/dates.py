"""When a detail page says it was published: its PubDate meta, the visible date line, or its URL.

Researchers ask whether a report came out by the deadline (31 January, before 2019 31 March), so the date a
page states is kept beside the statistical year (from the title) and the time we first saw it. Sites print
it in many ways (sites.md §7.6 E17, E18): `2022-01-05 09:00`, `2022-01-5` (unpadded), `2023年10月28日`,
`2020/1/16`; about one TRS page in ten has no PubDate meta, and some pages show no labelled line at all,
so the URL's date (`t20220106_…`, `/art/2020/1/16/…`) is the last resort. A re-published old report
(E12) keeps the date it shows, not the date of the folder it was moved to.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

# A date as sites print it: 2022-01-05, 2022-1-5, 2022/01/05, 2022.01.05, 2022年1月5日.
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
DATE = re.compile(_DATE)
# The visible line: 发布时间:… / 发布日期：… / 日期:… / 时间：… (not 成文日期, the date it was written).
_LINE = re.compile(r"(?<!成文)(?:发布时间|发布日期|发文日期|日期|时间)\s*[:：]\s*" + _DATE)
_URL_DATES = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+"),  # TRS: …/202201/t20220106_5112068.html
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),  # Hanweb: /art/2020/1/16/art_736_….html
)
# How the date was found, in order of trust.
FROM_META, FROM_PAGE, FROM_URL = "meta", "page", "url"


def published_date(
    meta: dict[str, str], page_text: str | Callable[[], str], url: str
) -> tuple[dt.date, str] | None:
    """(date, how it was found) or None. `meta`: the page's named meta tags (PubDate, publishdate);
    `page_text`: the whole page's text, chrome included (the date line stands above the body), or a
    function giving it, called only when no meta tag has the date."""
    for name in ("PubDate", "publishdate", "pubdate", "firstpublishedtime"):
        found = _date(DATE.search(meta.get(name) or ""))
        if found:
            return found, FROM_META
    found = _date(_LINE.search(page_text if isinstance(page_text, str) else page_text()))
    if found:
        return found, FROM_PAGE
    for pattern in _URL_DATES:
        found = _date(pattern.search(url))
        if found:
            return found, FROM_URL
    return None


def _date(m: re.Match[str] | None) -> dt.date | None:
    if m is None:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:  # 2022-13-45: not a date
        return None
