"""List pages of each CMS family: TRS pagers, Hanweb jpage units, JS arrays, docid trees, path-encoded lists."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from html import escape
from typing import Any
from urllib.parse import parse_qsl

from mirror import pages
from mirror.build_common import (
    STATIC_TS,
    Live,
)
from mirror.hanweb import DataProxy
from mirror.pages import DetailInfo, JpageUnit, ListItem, SiteMeta
from mirror.placement import parse_dt, timestamp
from mirror.resource import Request, Response
from mirror.spec import Column, parse_years, stable_int


class ListPages:
    """Mixed into the builder's per-build state (`mirror.builder._State`)."""

    def column_items(self, col: Column) -> list[tuple[ListItem, Live | None]]:
        items: list[tuple[ListItem, Live | None]] = []
        for lives in self.live.values():
            for lv in lives:
                if lv.pl.column.id != col.id or lv.gone or (lv.superseded_by and not lv.listed):
                    continue
                title = lv.rc.title
                if lv.pl.opt("cross_host"):
                    href = self.canonical(lv.pl.report.id).url if self.canonical(lv.pl.report.id) else lv.url
                else:
                    href = self.list_href(col, lv)
                items.append((ListItem(href, title, lv.pl.date, commented=bool(lv.pl.opt("commented"))), lv))
        for n in self.spec.negatives:
            if n.column == col.id and parse_dt(n.date) <= self.today:
                items.append((ListItem(self.negative_href(col, n), n.title, parse_dt(n.date)), None))
        items.sort(key=lambda x: (x[0].date, x[0].title), reverse=True)
        return items

    def list_href(self, col: Column, lv: Live) -> str:
        path = lv.pl.path
        if col.cms in ("hanweb", "hanweb_jsarray", "pathenc"):
            return path
        if col.cms == "docid_tree":
            return path
        if lv.pl.opt("via_parent"):
            # TRS writes links into other columns as ../../{column}/…; this one loops back into its own column
            parts = col.path.strip("/").split("/")
            return "../../" + "/".join(parts[-2:]) + "/" + path[len(col.path) :]
        if path.startswith(col.path):
            rel = "./" + path[len(col.path) :]
            if stable_int("hash-suffix", lv.pl.report.id) % 9 == 0:
                rel += "#"  # E8: `…html#` links
            return rel
        return path

    def render_column(self, col: Column) -> None:
        if col.cms == "hanweb":
            return self.render_hanweb(col)
        if col.cms == "hanweb_jsarray":
            return self.render_jsarray(col)
        if col.cms == "pathenc":
            return self.render_pathenc(col)
        if col.cms == "docid_tree":
            return self.render_docid_tree(col)
        items = self.column_items(col)
        self.render_trs_list(col, col.path, items)

    def render_trs_list(self, col: Column, path: str, items: list[tuple[ListItem, Live | None]]) -> None:
        per = int(col.opt("per_page", 15))
        ext = col.opt("ext", "html")
        prefix = "list" if col.opt("pager") == "list" else "index"
        live_items = [it for it, _ in items if not it.commented]
        commented = [it for it, _ in items if it.commented]
        n_pages = max(1, math.ceil(len(live_items) / per))
        meta = self.meta(col)
        urls = []
        for i in range(n_pages):
            chunk = live_items[i * per : (i + 1) * per]
            html = pages.trs_list_page(
                meta, chunk, page=i, n_pages=n_pages, prefix=prefix, ext=ext,
                pager="stale" if col.opt("pager") == "stale" else "create",
                list_style=col.opt("list_style", "title-list-box"), truncate=bool(col.opt("truncate_titles")),
                depth=path.count("/") - 1, commented_block=(commented + live_items[:2]) if (i == 0 and col.opt("commented_items")) else None,
            )  # fmt: skip
            name = f"{prefix}.{ext}" if i == 0 else f"{prefix}_{i}.{ext}"
            ts = timestamp(max((it.date for it in chunk), default=dt.datetime(2019, 1, 1)))
            aliases = (path,) if i == 0 else ()
            self.add_page(col.host, path + name, html, ts, *aliases)
            urls.append(self.url(col.host, path + name))
        self.columns_manifest.append(
            {
                "id": col.id, "host": col.host, "cms": col.cms, "url": self.url(col.host, path),
                "pages": urls, "pager": col.opt("pager", "create"), "items": len(live_items),
                "past_last": self.url(col.host, f"{path}{prefix}_{n_pages}.{ext}"),
            }
        )  # fmt: skip

    def render_hanweb(self, col: Column) -> None:
        items = self.column_items(col)
        style = col.opt("record_style", "A")
        records = [pages.hanweb_record(style, it.href, it.title, it.date) for it, _ in items]
        cfg = self.spec.hosts[col.host]
        webname = cfg.get(f"site_name_{self.epoch}", cfg["site_name"])
        unit = JpageUnit(int(col.opt("unitid")), int(col.opt("colid")), int(col.opt("webid", 1)), webname,
                         int(col.opt("per_page", 15)), int(col.opt("group_size", 3)), records)  # fmt: skip
        units = {(unit.colid, unit.unitid): unit}
        side_html = []
        side = col.opt("side_unit")
        if side:
            news = [
                pages.hanweb_record("B", f"/art/{2023 - i // 12}/{12 - i % 12}/{3 + i % 20}/art_{side['colid']}_{650000 + i * 17}.html",
                                    f"市科委政务公开动态第{60 - i}期", dt.datetime(2023 - i // 12, 12 - i % 12, 3 + i % 20))
                for i in range(40)
            ]  # fmt: skip
            su = JpageUnit(int(side["unitid"]), int(side["colid"]), unit.webid, webname, 5, 1, news)
            self.render_side_news(col, news)
            units[(su.colid, su.unitid)] = su
            side_html.append(f"<h3>{escape(side['name'])}</h3>" + pages.jpage_unit_html(su, options_order=1))
        html = pages.hanweb_column_page(self.meta(col), [pages.jpage_unit_html(unit)] + side_html,
                                        uid=unit.unitid, n_pages=max(1, math.ceil(len(records) / unit.per_page)),
                                        colid=unit.colid)  # fmt: skip
        ts = timestamp(max((it.date for it, _ in items), default=dt.datetime(2019, 1, 1)))
        self.add_page(col.host, col.path + "index.html", html, ts, col.path)
        h = self.host(col.host)
        proxy = h.handlers.get("/module/web/jpage/dataproxy.jsp")
        if isinstance(proxy, DataProxy):
            proxy.units.update(units)
        else:
            h.handlers["/module/web/jpage/dataproxy.jsp"] = DataProxy(units, col.host)
        for u in units.values():
            self.units_manifest.append(
                {"host": col.host, "column_url": self.url(col.host, col.path + "index.html") if u is unit else None,
                 "columnid": u.colid, "unitid": u.unitid, "webid": u.webid, "per_page": u.per_page,
                 "group_size": u.group_size, "embedded": min(u.embedded, len(u.records)),
                 "total": len(u.records), "proxy_url": u.proxy_url}
            )  # fmt: skip
        self.columns_manifest.append(
            {"id": col.id, "host": col.host, "cms": "hanweb", "url": self.url(col.host, col.path + "index.html"),
             "pages": [self.url(col.host, col.path + "index.html")], "items": len(records),
             "static_dupes": [self.url(col.host, f"{col.path}index.html?uid={unit.unitid}&pageNum={i}") for i in (2, 3)]}
        )  # fmt: skip

    def render_side_news(self, col: Column, records: list[str]) -> None:
        """The other unit's items are real pages too (a crawler that follows them must not meet 404s)."""

        meta = self.meta(col)
        for rec in records:
            href = re.search(r'href="([^"]+)"', rec).group(1)
            title = re.search(r'title="([^"]+)"', rec).group(1)
            y, m, d = (int(x) for x in href.split("/")[2:5])
            when = dt.datetime(y, m, d, 9, 30)
            info = DetailInfo(title=title, page_title=title, pub=when, shown=f"发布时间:{y}年{m}月{d}日 来源:市科委",
                              source="市科委", canonical_url=self.url(col.host, href), docid=href.rsplit("_", 1)[1][:-5],
                              body=f"<p>{escape(title)}。本期动态汇总市科委政务公开工作进展。</p>")  # fmt: skip
            self.add_page(col.host, href, pages.hanweb_detail_page(meta, info), timestamp(when))

    def render_jsarray(self, col: Column) -> None:
        items = [it for it, _ in self.column_items(col)]
        html = pages.hanweb_jsarray_page(self.meta(col), items)
        ts = timestamp(max((it.date for it in items), default=dt.datetime(2019, 1, 1)))
        self.add_page(col.host, col.path + "index.html", html, ts, col.path)
        self.columns_manifest.append(
            {"id": col.id, "host": col.host, "cms": col.cms, "url": self.url(col.host, col.path + "index.html"),
             "pages": [self.url(col.host, col.path + "index.html")], "items": len(items)}
        )  # fmt: skip

    def render_pathenc(self, col: Column) -> None:
        items = self.column_items(col)

        years = parse_years(col.opt("years"))
        tabs = []
        meta = self.meta(col)
        for y in years:
            lpath = f"/zt/xxgkzl/gknblb/pntypepvnbpnnfpv{y}.html"
            tabs.append(f'<li><a href="{lpath}">{y}年</a></li>')
            yitems = [
                it
                for it, lv in items
                if (lv and lv.pl.report.year == y) or (lv is None and it.date.year - 1 == y)
            ]
            lis = (
                "\n".join(
                    f'<li><a href="{it.href}" title="{escape(it.title, quote=True)}" target="_blank">{escape(it.title)}</a>'
                    f"<span>{it.date.year}-{it.date.month:02d}-{it.date.day}</span></li>"
                    for it in yitems
                )
                or "<li>暂无数据</li>"
            )  # E27
            html = pages.simple_page(meta, f"{y}年政府信息公开年报", f'<ul class="nb-list">\n{lis}\n</ul>')
            self.add_page(
                col.host,
                lpath,
                html,
                timestamp(max((i.date for i in yitems), default=dt.datetime(2019, 1, 1))),
            )
        tabs += self.xxgk_jsp(col)
        html = pages.simple_page(meta, col.name, '<ul class="nb-years">\n' + "\n".join(tabs) + "\n</ul>")
        self.add_page(col.host, col.path + "index.html", html, STATIC_TS, col.path)
        self.columns_manifest.append(
            {"id": col.id, "host": col.host, "cms": col.cms, "url": self.url(col.host, col.path + "index.html"),
             "pages": [self.url(col.host, f"/zt/xxgkzl/gknblb/pntypepvnbpnnfpv{y}.html") for y in years],
             "items": sum(1 for it, _ in items), "empty_years": [y for y in years if not any(
                 lv and lv.pl.report.year == y for _, lv in items)]}
        )  # fmt: skip

    def render_docid_tree(self, col: Column) -> None:
        items = self.column_items(col)
        nodes: dict[str, list[ListItem]] = defaultdict(list)
        year_nodes = {str(v): int(k) for k, v in col.opt("year_nodes").items()}
        type_names = col.opt("type_nodes", {})
        for it, lv in items:
            if lv is not None:
                node = lv.pl.path[len(col.path) :].rsplit("/", 3)[0]
            else:
                node = next(
                    n.opts.get("node")
                    for n in self.spec.negatives
                    if n.title == it.title and n.column == col.id
                )
            nodes[node].append(it)
        tree: dict[str, set[str]] = defaultdict(set)
        for node in list(nodes):
            parts = node.split("/")
            for i in range(1, len(parts)):
                tree["/".join(parts[:i])].add("/".join(parts[: i + 1]))
            tree[""].add(parts[0])
        meta = self.meta(col)
        for node in sorted(set(nodes) | set(tree)):
            if node == "":
                continue
            path = f"{col.path}{node}/"
            leaf = node.rsplit("/", 1)[-1]
            name = f"{year_nodes[leaf]}年" if leaf in year_nodes else type_names.get(leaf, leaf)
            sub = "".join(
                f'<li class="node"><a href="./{c.rsplit("/", 1)[-1]}/index.html">'
                f"{escape(type_names.get(c.rsplit('/', 1)[-1], c.rsplit('/', 1)[-1]))}</a></li>"
                for c in sorted(tree.get(node, ()))
            )
            docs = [ListItem("./" + it.href[len(path):] if it.href.startswith(path) else it.href, it.title, it.date)
                    for it in nodes.get(node, [])]  # fmt: skip
            m = SiteMeta(meta.host, meta.site_name, meta.site_code, f"{name}政府信息公开年报", path)
            html = pages.trs_list_page(m, docs, page=0, n_pages=1, prefix="index", ext="html", pager="create",
                                       list_style="gov-list", truncate=False, depth=path.count("/") - 1,
                                       extra_links=f'<ul class="nodes">{sub}</ul>' if sub else "")  # fmt: skip
            ts = timestamp(max((d.date for d in docs), default=dt.datetime(2019, 12, 16)))
            self.add_page(col.host, path + "index.html", html, ts, path)
        roots = sorted(tree[""], key=lambda n: year_nodes.get(n, 0), reverse=True)
        links = "".join(f'<li><a href="./{n}/index.html">{year_nodes.get(n, n)}年</a></li>' for n in roots)
        html = pages.simple_page(meta, col.name, f'<ul class="years">{links}</ul>')
        self.add_page(col.host, col.path + "index.html", html, STATIC_TS, col.path)
        self.columns_manifest.append(
            {"id": col.id, "host": col.host, "cms": col.cms, "url": self.url(col.host, col.path + "index.html"),
             "pages": [self.url(col.host, f"{col.path}{n}/index.html") for n in sorted(set(nodes) | set(tree)) if n],
             "items": len(items)}
        )  # fmt: skip

    # ------------------------------------------------------------------ details

    def xxgk_jsp(self, col: Column) -> list[str]:
        """E28 (lishui style): the district's own reports also answer at a Hanweb xxgk JSP with a query string."""
        area = "110102000000000000"
        paths = {
            lv.pl.report.year: lv.pl.path
            for lvs in self.live.values()
            for lv in lvs
            if lv.pl.column.id == col.id and lv.pl.report.agency_key == "xc" and not lv.gone
        }
        host = self.host(col.host)
        jsp = "/module/xxgk/xxgkAnnualReport.jsp"

        def handler(req: Request, rt: Any) -> Response:
            q = dict(parse_qsl(req.query))
            res = host.static.get(paths.get(int(q.get("fbtime", "0") or 0), ""))
            if res is None or q.get("area") != area:
                return Response.text(200, "<html><body>暂无数据</body></html>", "text/html; charset=utf-8")
            r = Response.of(res)
            r.resource = None  # a JSP answer: no validators
            return r

        host.handlers[jsp] = handler
        for y, path in paths.items():
            rid = next(lv.pl.report.id for lvs in self.live.values() for lv in lvs if lv.pl.path == path)
            self.extra_alt[rid].append(self.url(col.host, f"{jsp}?fbtime={y}&area={area}"))
        return [
            f'<li><a href="{jsp}?fbtime={y}&amp;area={area}">{y}年区政府年报（信息公开平台）</a></li>'
            for y in sorted(paths)
        ]
