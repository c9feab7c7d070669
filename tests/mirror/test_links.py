"""Link integrity: every live link on every mirrored page leads somewhere, except the planted 404s."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from mirror.control import Controller
from mirror.resource import Request

HREF = re.compile(r'(?:href|src)="([^"#]*)#?[^"]*"')


def live_html(body: str) -> str:
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)  # E20: commented links are not live
    return re.sub(r"<script.*?</script>", "", body, flags=re.S)


@pytest.mark.parametrize("epoch", [2023, 2025])
def test_no_unexpected_broken_links(epoch):
    ctl = Controller(epoch=epoch)
    site, rt = ctl.site, ctl.runtime
    planted = {nf["url"] for nf in ctl.manifest["not_found"]}
    planted |= {a["url"] for r in ctl.manifest["reports"] for a in r["attachments"] if a["status"] == 404}
    broken = []
    for host, hs in site.hosts.items():
        if host == "blocked.mirror.test":
            continue
        scheme = ctl.spec.hosts[host].get("scheme", "https")
        for path, res in hs.static.items():
            if res.status != 200 or not res.content_type.startswith("text/html") or path.startswith("/gate/"):
                continue
            text = res.body.decode(
                "gbk" if "charset=gb" in res.body[:2000].decode("ascii", "replace").lower() else "utf-8",
                "replace",
            )
            live = live_html(text)
            if "-->" in live:  # a nested comment would make "commented" links live and show stray text
                broken.append((f"{host}{path}", "unbalanced HTML comment", 0))
            for href in HREF.findall(live):
                if not href or href.startswith(("javascript:", "mailto:")):
                    continue
                url = urljoin(f"{scheme}://{host}{path}", html.unescape(href))
                parts = urlsplit(url)
                if parts.hostname not in site.hosts:
                    continue  # external links (beian.gov.cn)
                req = Request(
                    "GET", parts.scheme, parts.hostname, unquote(parts.path), parts.query, parts.path, {}
                )
                status = site.resolve(req, rt).status
                if status >= 400 and url.replace("http://", "https://") not in planted and url not in planted:
                    broken.append((f"{host}{path}", href, status))
    assert not broken, broken[:20]
