"""Request fingerprints on canonical URLs, so Scrapy's dupefilter folds URL twins into one request.

`url_key()` makes http/https, `:80`, big5-gateway, `_wap`, `index.html`-vs-folder and tracking-query twins
one key (sites.md §0.3). POST bodies (Hanweb dataproxy windows) stay part of the fingerprint.
"""

from __future__ import annotations

import hashlib

from scrapy import Request

from crawler.urls import url_key


class CanonicalFingerprinter:
    @classmethod
    def from_crawler(cls, crawler: object) -> CanonicalFingerprinter:
        return cls()

    def fingerprint(self, request: Request) -> bytes:
        h = hashlib.sha1()
        h.update(request.method.encode())
        h.update(b" ")
        h.update(url_key(request.url).encode())
        if request.body:
            h.update(b"\n")
            h.update(request.body)
        return h.digest()
