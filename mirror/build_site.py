"""Site-wide resources: migration redirects, year indexes and home pages, robots and static files, anti-bot paths, big5 twins."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from mirror import pages
from mirror.build_common import (
    HTML,
    NAV_PAGES,
    STATIC_TS,
    blocked_handler,
    loop_handler,
    table_png,
)
from mirror.hanweb import DownFile
from mirror.pages import SiteMeta
from mirror.placement import timestamp
from mirror.resource import Resource
from mirror.spec import Column


class SitePages:
    """Mixed into the builder's per-build state (`mirror.builder._State`)."""

    def render_redirects(self) -> None:
        kw = "kw.beijing.gov.cn"
        for _rid, _lives in self.live.items():
            pass
        for pl in self.b.placed:
            r, col = pl.report, pl.column
            if col.id in ("kw-hanweb", "kw-col736") and not self.col_live(col) and r.id in self.existed:
                new = next((lv for lv in self.live.get(r.id, []) if lv.pl.column.id == "kw-trs"), None)
                if new is not None and not new.missing and not new.gone:
                    target = (
                        new.superseded_by.url
                        if (new.superseded_by and new.pl.opt("on_superseded") == "redirect")
                        else new.url
                    )
                    self.host(kw).add(
                        pl.path,
                        Resource(b"", HTML, status=301, headers=(("Location", target),), validators=False),
                    )
                    self.redirects.append(
                        {"from": self.url(kw, pl.path), "to": target, "status": 301, "edge": "E4"}
                    )
                else:
                    self.not_found.append(
                        {"url": self.url(kw, pl.path), "edge": "E5" if col.id == "kw-col736" else "migration"}
                    )
            if col.cms == "uuid_shtml" and not self.col_live(col) and r.id in self.existed:
                old = self.url(col.host, pl.path, "http")
                if pl.opt("loop"):
                    self.host(col.host).handlers[pl.path] = loop_handler(pl.path)
                    self.redirects.append(
                        {"from": old, "to": old + "?", "status": 302, "edge": "E6", "loop": True}
                    )
                    continue
                new = next(
                    (
                        lv
                        for lv in self.live.get(r.id, [])
                        if lv.pl.column.cms == "trs" and lv.pl.opt("redirect_from_old")
                    ),
                    None,
                )
                if new is not None:
                    self.host(col.host).add(
                        pl.path,
                        Resource(b"", HTML, status=301, headers=(("Location", new.url),), validators=False),
                    )
                    self.redirects.append({"from": old, "to": new.url, "status": 301, "edge": "E4"})
                else:
                    self.not_found.append({"url": old, "edge": "migration"})
        if self.epoch >= 2025:
            h = self.host(kw)
            h.add(
                "/col/col10126/index.html",
                Resource(
                    b"", HTML, status=302, headers=(("Location", "/zwgk/zfxxgk/zfxxgknb/"),), validators=False
                ),
            )
            self.redirects.append(
                {
                    "from": self.url(kw, "/col/col10126/index.html"),
                    "to": self.url(kw, "/zwgk/zfxxgk/zfxxgknb/"),
                    "status": 302,
                    "edge": "E4",
                }
            )
            self.not_found.append({"url": self.url(kw, "/col/col736/index.html"), "edge": "migration"})
        if self.epoch < 2025:
            self.not_found.append({"url": self.url(kw, "/module/jpage/dataproxy.jsp"), "edge": "hanweb-path"})
        self.not_found.append(
            {"url": self.url("www.beijing.gov.cn", "/zfxxgk/11E000/cyq_index.shtml"), "edge": "old-platform"}
        )

    # ------------------------------------------------------------------ indexes, home pages, static
    def render_indexes(self) -> None:
        by_host: dict[str, list[Column]] = defaultdict(list)
        for col in self.spec.columns.values():
            if self.col_live(col):
                by_host[col.host].append(col)
        bj = "www.beijing.gov.cn"
        if bj in by_host:
            years = sorted({c.year for c in by_host[bj] if c.year}, reverse=True)
            tabs = []
            for y in years:
                if (
                    y == 2016
                ):  # JS-only year link; 2016nb/ is still linked normally from the 2016 municipal report
                    tabs.append(
                        f'<li><a href="javascript:;" onclick="location.href=\'./{y}nb/\'">{y}年</a></li>'
                    )
                else:
                    tabs.append(
                        f'<li>{y}年 <a href="./{y}nb/qzf/">区政府</a> <a href="./{y}nb/szfbm/">市政府部门</a></li>'
                    )
                m = SiteMeta(bj, self.spec.hosts[bj]["site_name"], "1100000088", f"{y}年政府信息公开年报", "")
                html = pages.simple_page(m, f"{y}年政府信息公开年报",
                                         '<ul class="tabs"><li><a href="./qzf/">区政府</a></li><li><a href="./szfbm/">市政府部门</a></li></ul>')  # fmt: skip
                self.add_page(
                    bj,
                    f"/gongkai/zfxxgk/zfxxgknb/{y}nb/index.html",
                    html,
                    STATIC_TS,
                    f"/gongkai/zfxxgk/zfxxgknb/{y}nb/",
                )
            m = SiteMeta(bj, self.spec.hosts[bj]["site_name"], "1100000088", "政府信息公开年报", "")
            html = pages.simple_page(
                m, "政府信息公开年报", '<ul class="nb-years">\n' + "\n".join(tabs) + "\n</ul>"
            )
            self.add_page(
                bj, "/gongkai/zfxxgk/zfxxgknb/index.html", html, STATIC_TS, "/gongkai/zfxxgk/zfxxgknb/"
            )
        self._year_index(
            "www.bjmy.gov.cn", "/zwgk/zfxxgk/zfxxgknb/", by_host, lambda y: [("", f"./gknb{y}/")]
        )
        self._year_index("www.bjhr.gov.cn", "/zfxxgkzl/gknb/", by_host,
                         lambda y: [("区政府", f"./{y}nb/qzf{y}/"), ("区政府部门", f"./{y}nb/qzfbm{y}/")])  # fmt: skip
        for host, cols in by_host.items():
            links = "".join(f'<li><a href="{c.path}">{escape(c.name)}</a></li>' for c in cols if not c.year)
            if host == bj:
                links += '<li><a href="/gongkai/zfxxgk/zfxxgknb/">政府信息公开年报（各区各部门）</a></li>'
            if host == "www.bjmy.gov.cn":
                links += '<li><a href="/zwgk/zfxxgk/zfxxgknb/">政府信息公开年报</a></li>'
            if host == "www.bjhr.gov.cn":
                links += '<li><a href="/zfxxgkzl/gknb/">政府信息公开年报</a></li>'
            if host == "kw.beijing.gov.cn" and self.epoch >= 2025:
                links += '<li><a href="/zwgk/zfxxgk/zfxxgknb/index.html?from=xxgk">年报（信息公开专栏）</a></li>'  # E8
            cfg = self.spec.hosts[host]
            m = SiteMeta(
                host,
                cfg.get(f"site_name_{self.epoch}", cfg["site_name"]),
                cfg.get("site_code", ""),
                "首页",
                "/",
            )
            html = pages.simple_page(m, "首页", f'<ul class="home-links">{links}</ul>')
            self.add_page(host, "/index.html", html, STATIC_TS, "/")

    def _year_index(self, host: str, path: str, by_host: dict[str, list[Column]], links_for: Any) -> None:
        if host not in by_host:
            return
        years = sorted({c.year for c in by_host[host] if c.year}, reverse=True)
        lis = []
        for y in years:
            items = links_for(y)
            lis.append(
                f"<li>{y}年 "
                + " ".join(f'<a href="{h}">{escape(t or f"{y}年")}</a>' for t, h in items)
                + "</li>"
            )
            if len(items) > 1:
                m = SiteMeta(host, self.spec.hosts[host]["site_name"], "", f"{y}年政府信息公开年报", "")
                sub = "".join(f'<li><a href="./{h.split("/", 2)[2]}">{escape(t)}</a></li>' for t, h in items)
                self.add_page(
                    host,
                    f"{path}{y}nb/index.html",
                    pages.simple_page(m, f"{y}年", f"<ul>{sub}</ul>"),
                    STATIC_TS,
                    f"{path}{y}nb/",
                )
        m = SiteMeta(host, self.spec.hosts[host]["site_name"], "", "政府信息公开年报", path)
        self.add_page(
            host,
            path + "index.html",
            pages.simple_page(m, "政府信息公开年报", '<ul class="years">' + "\n".join(lis) + "</ul>"),
            STATIC_TS,
            path,
        )

    def render_static(self) -> None:
        for name, cfg in self.spec.hosts.items():
            h = self.host(name)
            # the chrome's navigation targets exist, as on the real sites (filler pages)
            meta = SiteMeta(name, cfg["site_name"], cfg.get("site_code", ""), "", "/")
            for nav, title in NAV_PAGES.items():
                if f"{nav}index.html" not in h.static:
                    page = pages.simple_page(meta, title, f'<p>{title}</p><p><a href="/">返回首页</a></p>')
                    h.add(f"{nav}index.html", Resource(page.encode(), HTML, last_modified=STATIC_TS), nav)
            robots = cfg.get("robots")
            if robots == "error503":
                h.add(
                    "/robots.txt",
                    Resource(b"Service Unavailable", "text/plain", status=503, validators=False),
                )
            elif robots:
                h.add("/robots.txt", Resource(robots.encode(), "text/plain", last_modified=STATIC_TS))
            h.add(
                "/images/page.js",
                Resource(pages.PAGE_JS.encode(), "application/javascript", last_modified=STATIC_TS),
            )
            h.add(
                "/images/common.css",
                Resource(
                    pages.static_file("common.css"),
                    "text/css",
                    last_modified=STATIC_TS,
                ),
            )
        kw = self.host("kw.beijing.gov.cn")
        if self.epoch < 2025:
            meta = SiteMeta(kw.name, self.spec.hosts[kw.name].get("site_name_2023", ""), "", "政务公开", "/")
            page = pages.simple_page(
                meta, "政务公开", '<ul><li><a href="/col/col10126/index.html">政府信息公开年报</a></li></ul>'
            )
            kw.add(
                "/col/col10120/index.html",
                Resource(page.encode(), HTML, last_modified=STATIC_TS),
                "/col/col10120/",
            )
            kw.add(
                "/module/jslib/jquery/jquery.js",
                Resource(pages.static_file("jquery.js"), "application/javascript", last_modified=STATIC_TS),
            )
            kw.add(
                "/module/jslib/jpage/jpage.js",
                Resource(pages.static_file("jpage.js"), "application/javascript", last_modified=STATIC_TS),
            )
            kw.handlers["/module/download/downfile.jsp"] = DownFile(
                self.downfiles.get("kw.beijing.gov.cn", {})
            )
        self.host("www.ycjinfeng.gov.cn").add(
            "/pdfjs/web/viewer.html", Resource(pages.PDFJS_VIEWER.encode(), HTML, last_modified=STATIC_TS)
        )
        png = table_png()
        hr = self.host("www.bjhr.gov.cn")
        for lv in self.live.get("hrzfb-2018", []):
            hr.add(
                lv.pl.folder + "W020191229401218012345.png",
                Resource(png, "image/png", last_modified=timestamp(lv.pl.date)),
            )

    def render_blocked(self) -> None:
        h = self.host("blocked.mirror.test")
        for kind in self.spec.raw.get("blocked_paths", []):
            h.prefix_handlers.append((f"/{kind}/", blocked_handler(kind)))
        h.add(
            "/index.html",
            Resource(b"<html><body>blocked.mirror.test</body></html>", HTML, last_modified=STATIC_TS),
            "/",
        )
        # the script a Ruishu stub loads (a no-op here: nothing is solvable)
        h.add("/Ab12/xyz.js", Resource(b"/* no-op */", "application/javascript", last_modified=STATIC_TS))

    def render_big5(self) -> None:
        bj = self.spec.hosts.get("www.beijing.gov.cn", {})
        if not bj.get("big5_gate"):
            return
        h = self.host("www.beijing.gov.cn")
        gate = "/gate/big5/www.beijing.gov.cn"
        seen: dict[int, Resource] = {}
        for path, res in list(h.static.items()):
            if path.startswith(gate) or res.status != 200:
                continue
            twin = seen.get(id(res))
            if twin is None:
                if res.content_type.startswith("text/html"):
                    body = self.b.big5_memo.get(res.etag)  # same bytes -> same twin, across rebuilds
                    if body is None:
                        text = self.b._t2s.convert(res.body.decode("utf-8"))
                        text = text.replace('href="/', f'href="{gate}/').replace('src="/', f'src="{gate}/')
                        text = text.replace(
                            "https://www.beijing.gov.cn/", f"https://www.beijing.gov.cn{gate}/"
                        )
                        body = self.b.big5_memo[res.etag] = text.encode("utf-8")
                    twin = Resource(body, res.content_type, last_modified=res.last_modified)
                else:
                    twin = res
                seen[id(res)] = twin
            h.static[gate + path] = twin

    # ------------------------------------------------------------------ manifest
