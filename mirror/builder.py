"""Spec -> site + manifest. One pass writes both, so what is served and what the tests expect cannot drift.

`Builder(spec).build(epoch, scenarios)` returns a `Site` whose `manifest` describes exactly the served state
(sites.md §7.10). Report renders are memoised in the `ContentSource`, so rebuilding for another epoch or
scenario re-assembles pages only.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote

import opencc

from mirror import pages
from mirror.content import ContentSource, ReportContent
from mirror.hanweb import DataProxy, DownFile
from mirror.pages import DetailInfo, JpageUnit, ListItem, SiteMeta
from mirror.placement import Placed, parse_dt, resolve, scheme_of, set_path, timestamp
from mirror.resource import Resource
from mirror.site import HostSite, Site
from mirror.spec import Column, ReportSpec, Spec, stable_int

HTML = "text/html; charset=utf-8"
STATIC_TS = timestamp(dt.datetime(2019, 1, 1, 8, 0))
MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "png": "image/png",
}
# attachment link form -> (file format, how it is linked/served) (sites.md §7.5)
LINK_FORMS = {
    "trs_pdf": "pdf",
    "trs_w0docx": "docx",
    "abs_xlsx": "xlsx",
    "downfile302": "pdf",
    "downfile200": "docx",
    "pdf_text_docx_target": "docx",
    "pdfjs_iframe": "pdf",
    "trs_pdf_htmlerror": "pdf",
    "trs_pdf_404": "pdf",
    "trs_pdf_octet": "pdf",
    "trs_doc": "doc",
    "trs_xls": "xls",
}
NAV_PAGES = {
    "/zwgk/": "政务公开",
    "/hdjl/": "互动交流",
    "/zwfw/": "政务服务",
    "/wzdt/": "网站地图",
    "/lxwm/": "联系我们",
}
GBK_MARKER = "<p>本报告联系人：张镕、刘堃。</p>"  # characters outside GB2312 (E16)


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


@dataclass
class Live:
    """A placement as it stands in one epoch/scenario state."""

    pl: Placed
    rc: ReportContent
    url: str
    listed: bool = True
    missing: bool = False  # E1: listed, detail 404
    gone: bool = False  # scenario "disappears"
    superseded_by: Live | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    body_fragment: str = ""


class Builder:
    def __init__(self, spec: Spec, content: ContentSource | None = None) -> None:
        self.spec = spec
        self.content = content or ContentSource()
        self.placed = resolve(spec)
        self._t2s = opencc.OpenCC("s2t")
        self.big5_memo: dict[str | None, bytes] = {}

    # ------------------------------------------------------------------ state
    def _cond(self, conds: list[str], epoch: int, scenarios: set[str]) -> bool:
        for c in conds:
            kind, _, val = c.partition(":")
            if (kind == "scenario" and val in scenarios) or (kind == "epoch" and int(val) == epoch):
                return True
        return False

    def build(self, epoch: int, scenarios: set[str] | frozenset[str] = frozenset()) -> Site:
        scenarios = set(scenarios)
        unknown = scenarios - set(self.spec.scenarios)
        if unknown:
            raise ValueError(f"unknown scenarios: {sorted(unknown)}")
        if epoch not in self.spec.epochs:
            raise ValueError(f"unknown epoch {epoch}; known: {sorted(self.spec.epochs)}")
        st = _State(self, epoch, scenarios)
        return st.run()


class _State:
    """One build: the live placements, the hosts being filled and the manifest being written."""

    def __init__(self, b: Builder, epoch: int, scenarios: set[str]) -> None:
        self.b, self.spec, self.epoch, self.scenarios = b, b.spec, epoch, scenarios
        self.today = dt.datetime.combine(self.spec.epochs[epoch], dt.time(23, 59))
        self.hosts: dict[str, HostSite] = {}
        self.redirects: list[dict[str, Any]] = []
        self.not_found: list[dict[str, Any]] = []
        self.columns_manifest: list[dict[str, Any]] = []
        self.units_manifest: list[dict[str, Any]] = []
        self.downfiles: dict[str, dict[str, tuple[str, Resource, str]]] = defaultdict(dict)
        self.live: dict[str, list[Live]] = defaultdict(list)  # report id -> live placements
        self.existed: set[str] = set()
        self.negatives_manifest: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ helpers
    def host(self, name: str) -> HostSite:
        h = self.hosts.get(name)
        if h is None:
            cfg = self.spec.hosts[name]
            h = self.hosts[name] = HostSite(
                name=name,
                server=cfg.get("server", "nginx"),
                https_only=bool(cfg.get("https_only")),
                relative_dir_redirect=bool(cfg.get("relative_dir_redirect")),
            )
            h.not_found = Resource(pages.error_page(name).encode(), HTML, status=404, validators=False)
        return h

    def url(self, host: str, path: str, scheme: str | None = None) -> str:
        return f"{scheme or self.spec.hosts[host].get('scheme', 'https')}://{host}{path}"

    def meta(self, col: Column) -> SiteMeta:
        cfg = self.spec.hosts[col.host]
        name = cfg.get(f"site_name_{self.epoch}", cfg["site_name"])
        return SiteMeta(col.host, name, cfg.get("site_code", ""), col.name, col.path)

    def col_live(self, col: Column) -> bool:
        return self.epoch in col.epochs

    def rc(self, r: ReportSpec) -> ReportContent:
        replaced = self.b._cond(r.opt("replaced_when", []), self.epoch, self.scenarios)
        return self.b.content.get(r, replaced)

    def add_page(self, host: str, path: str, html: str, ts: float, *aliases: str, **kw: Any) -> Resource:
        res = Resource(html.encode("utf-8"), HTML, last_modified=ts, **kw)
        return self.host(host).add(path, res, *aliases)

    # ------------------------------------------------------------------ main
    def run(self) -> Site:
        self.select()
        for col in self.spec.columns.values():
            if self.col_live(col):
                self.render_column(col)
        for lives in self.live.values():
            for lv in lives:
                self.render_detail(lv)
        self.render_negatives()
        self.render_redirects()
        self.render_indexes()
        self.render_static()
        self.render_blocked()
        self.render_big5()
        manifest = self.manifest()
        return Site(self.hosts, manifest, self.epoch, tuple(sorted(self.scenarios)))

    # ------------------------------------------------------------------ selection
    def select(self) -> None:
        for pl0 in self.b.placed:
            r = pl0.report
            if r.opt("when") and not self.b._cond(r.opt("when"), self.epoch, self.scenarios):
                continue
            pl = pl0
            if pl0.relative_date is not None:
                pl = copy.copy(pl0)
                pl.date = pl.shown = self.today.replace(hour=10, minute=0) + dt.timedelta(
                    days=pl0.relative_date
                )
                set_path(pl, pl.date)
            if pl.date > self.today and pl0.relative_date is None:
                continue
            self.existed.add(r.id)
            if not self.col_live(pl.column):
                continue
            scheme = scheme_of(self.spec, pl.column)
            lv = Live(pl, self.rc(r), self.url(pl.host, pl.path, scheme))
            lv.missing = bool(pl.opt("missing"))
            lv.gone = self.b._cond(r.opt("gone_when", []), self.epoch, self.scenarios)
            lv.listed = not lv.gone and not pl.opt("commented")
            self.live[r.id].append(lv)
        # corrections (E14): v2 supersedes v1 wherever both are live on the same column
        for rid, lives in self.live.items():
            v1_id = self.spec_report(rid).opt("correction_of")
            if not v1_id:
                continue
            for v2 in lives:
                for v1 in self.live.get(v1_id, []):
                    if v1.pl.column.id == v2.pl.column.id:
                        v1.superseded_by = v2
                        if v1.pl.opt("on_superseded") == "redirect":
                            v1.listed = False

    def spec_report(self, rid: str) -> ReportSpec:
        for pl in self.b.placed:
            if pl.report.id == rid:
                return pl.report
        raise KeyError(rid)

    # ------------------------------------------------------------------ lists
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
        import re

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
        from mirror.spec import parse_years

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
    def canonical(self, rid: str) -> Live | None:
        lives = [lv for lv in self.live.get(rid, []) if not lv.pl.opt("cross_host")]
        return lives[0] if lives else None

    def body_for(self, lv: Live) -> str:
        shape = lv.pl.report.opt("shape", "html")
        rc = lv.rc
        if shape == "attachment_only":
            return ""
        frag = rc.summary_html if shape == "html+pdf" else rc.html
        if shape == "html+img":
            frag += '\n<p style="text-align:center"><img src="./W020191229401218012345.png" title="微信图片_20191229012148.png" alt=""></p>'
        if str(lv.pl.opt("encoding", "")).startswith("gbk"):
            frag += "\n" + GBK_MARKER
        return frag

    def render_detail(self, lv: Live) -> None:
        pl, col, rc = lv.pl, lv.pl.column, lv.rc
        host = self.host(pl.host)
        if lv.gone:
            self.not_found.append({"url": lv.url, "edge": "scenario:disappears"})
            return
        if pl.opt("cross_host"):
            return
        if lv.missing:
            self.not_found.append({"url": lv.url, "edge": "E1"})
            return
        if lv.superseded_by is not None and pl.opt("on_superseded") == "redirect":
            host.static.pop(pl.path, None)
            res = Resource(
                b"", HTML, status=301, headers=(("Location", lv.superseded_by.url),), validators=False
            )
            host.add(pl.path, res)
            self.redirects.append({"from": lv.url, "to": lv.superseded_by.url, "status": 301, "edge": "E14"})
            return
        body = self.body_for(lv)
        lv.body_fragment = body
        container = pl.opt("body") or col.opt("body", "ueditor")
        attach_html, inline = self.render_attachments(lv)
        if pl.report.opt("shape") == "attachment_only":
            body = inline
        lv.body_fragment = body
        parts = [body]
        if pl.opt("multipage"):
            parts = _split_pages(body)
        note = ""
        if lv.superseded_by is not None:
            v2 = lv.superseded_by
            note = (
                f'<div class="gz-note" style="color:#c00">本报告已更正，请以{v2.pl.date.year}年{v2.pl.date.month}月'
                f'{v2.pl.date.day}日发布版本为准：<a href="{v2.url}">{escape(v2.rc.title)}</a></div>'
            )
        meta = self.meta(col)
        title_on_page = pl.report.opt("title_on_page") or rc.title
        for i, part in enumerate(parts):
            path = pl.path if i == 0 else pl.path.replace(".html", f"_{i}.html")
            pager = ""
            if len(parts) > 1:
                pager = (f'<div class="page"><script>var currentPage = {i}; var countPage = {len(parts)};'
                         f'createPageHTML({len(parts)}, {i}, "{pl.path.rsplit("/", 1)[1].rsplit(".", 1)[0]}", "html");</script></div>')  # fmt: skip
            pub = pl.date if (col.cms == "hanweb" or stable_int("pubdate", lv.url) % 10) else None
            shown = self.date_line(col, pl, lv)
            info = DetailInfo(
                title=rc.title, page_title=title_on_page, pub=pl.shown if pub else None, shown=shown,
                source=pl.opt("source", pl.report.source), canonical_url=lv.url, docid=pl.docid,
                body=pages.body_container(container, part) if col.cms != "hanweb" else part,
                attachments_html=attach_html if i == len(parts) - 1 else "", pager_html=pager, note_html=note,
            )  # fmt: skip
            if col.host == "www.beijing.gov.cn" and col.id == "bj-gknb" and 2016 <= pl.report.year <= 2021:
                info.attachments_html += (f'<p><a href="/gongkai/zfxxgk/zfxxgknb/{pl.report.year}nb/">'
                                          f"各区、各部门{pl.report.year}年政府信息公开工作年度报告</a></p>")  # fmt: skip
            if col.opt("wap_twins"):
                info.attachments_html += f'<p class="wap"><a href="./{pl.path.rsplit("/", 1)[1].replace(".html", "_wap.html")}">手机版</a></p>'
            html = self.detail_html(col, meta, info, pl)
            self.add_detail(lv, path, html, i == 0)
            lv.pages.append(self.url(pl.host, path, lv.url.split("://")[0]))
        if col.opt("wap_twins"):
            wap = pl.path.replace(".html", "_wap.html")
            html = pages.simple_page(
                meta, rc.title, f"<h1>{escape(rc.title)}</h1>{pages.body_container(container, body)}"
            )
            self.add_page(pl.host, wap, html, timestamp(pl.date))

    def detail_html(self, col: Column, meta: SiteMeta, info: DetailInfo, pl: Placed) -> str:
        depth = pl.path.count("/") - 1  # folders between the page and the site root
        if col.cms in ("hanweb", "hanweb_jsarray"):
            return pages.hanweb_detail_page(meta, info)
        enc = str(pl.opt("encoding", ""))
        charset = {"gbk-implicit": "gb2312", "gbk-header": "gbk", "gbk-mismatch": "gb2312"}.get(enc, "utf-8")
        return pages.trs_detail_page(meta, info, depth=depth, hr_nav=col.host == "www.bjhr.gov.cn",
                                     kw_main=col.host == "kw.beijing.gov.cn", charset=charset)  # fmt: skip

    def add_detail(self, lv: Live, path: str, html: str, first: bool) -> None:
        pl = lv.pl
        enc = str(pl.opt("encoding", ""))
        ctype, data = HTML, None
        if enc.startswith("gbk"):
            try:
                data = html.encode("gbk")
            except UnicodeEncodeError:
                data = html.encode("gbk", "xmlcharrefreplace")
            ctype = {
                "gbk-implicit": "text/html",
                "gbk-header": "text/html; charset=GBK",
                "gbk-mismatch": HTML,
            }[enc]
        res = Resource(
            data if data is not None else html.encode("utf-8"), ctype, last_modified=timestamp(pl.date)
        )
        if pl.opt("slow"):
            res.delay = -1.0  # resolved per run (Runtime.slow_seconds)
        if pl.opt("truncated"):
            res.truncate = True
        host = self.host(pl.host)
        host.add(path, res, *(pl.aliases if first else ()))
        if pl.opt("loop"):
            pass  # the loop only appears once the old CMS is gone (render_redirects)

    def date_line(self, col: Column, pl: Placed, lv: Live) -> str:
        d, src = pl.shown, pl.opt("source", pl.report.source)
        style = col.opt("date_line", "beijing")
        if col.cms == "hanweb":
            return (f"发布时间:{d.year}年{d.month}月{d.day}日 来源:<!--<$[信息来源]>begin-->{escape(src)}"
                    "<!--<$[信息来源]>end--> 字体:【<a>大</a>】【<a>中</a>】【<a>小</a>】")  # fmt: skip
        if style == "bjmy":
            return f"发布时间: {d:%Y-%m-%d %H:%M} 来源: {escape(src)}&nbsp;&nbsp;字体:"
        if style == "docid":
            return f'点击量:<span id="clickCount"></span> 来源:{escape(src)} 日期:{d:%Y-%m-%d %H:%M}'
        if style == "bjxch":
            return f"发布时间:{d.year}-{d.month:02d}-{d.day}"
        if style == "ningxia":
            cfg = self.spec.hosts[col.host]
            return f"{escape(cfg['site_name'])}门户网站 {col.host} {d:%Y-%m-%d}"
        return f"日期:{d:%Y-%m-%d %H:%M}&nbsp;&nbsp;&nbsp;&nbsp;来源:{escape(src)}&nbsp;&nbsp;分享:&nbsp;&nbsp;字号:"

    # ------------------------------------------------------------------ attachments
    def render_attachments(self, lv: Live) -> tuple[str, str]:
        """(the 附件 block under the body, the body of an attachment-only report)."""
        pl, rc = lv.pl, lv.rc
        forms = list(pl.opt("attach", []))
        if not forms:
            return "", ""
        host = self.host(pl.host)
        links, inline = [], ""
        for n, form in enumerate(forms):
            fmt_ = LINK_FORMS[form]
            digits = f"{stable_int('att', rc.spec.id, form, n) % 10**12:012d}"
            fname = f"P0{pl.date:%Y%m%d}{digits}.{'docx' if form == 'pdf_text_docx_target' else fmt_}"
            if form == "trs_w0docx":
                fname = f"W0{pl.date:%Y%m%d}{digits}.docx"
            shown_name = f"{rc.title}.{'pdf' if form == 'pdf_text_docx_target' else fmt_}"
            data = self.attachment_bytes(rc, fmt_)
            media, status, served = MEDIA[fmt_], 200, data
            anomaly = None
            if form == "trs_pdf_htmlerror":
                served = pages.error_page(pl.host, 500).replace("404", "500").encode()
                media, anomaly = HTML, "html_error_page"
            elif form == "trs_pdf_octet":
                media, anomaly = "application/octet-stream", "octet_stream"
            elif form == "trs_pdf_404":
                status, anomaly = 404, "not_found"
            elif form == "pdf_text_docx_target":
                anomaly = "link_text_extension_mismatch"
            entry: dict[str, Any] = {"link_form": form, "format": fmt_, "media_type": media, "status": status,
                                     "anomaly": anomaly, "link_text": shown_name}  # fmt: skip
            if form in ("downfile302", "downfile200"):
                hexname = (f"{stable_int('dfh', rc.spec.id):016x}{stable_int('dfh2', rc.spec.id):016x}.{fmt_}"
                           if form == "downfile302" else f"{160119113716798 + stable_int('ts', rc.spec.id) % 10**9}.{fmt_}")  # fmt: skip
                href = f"/module/download/downfile.jsp?classid=0&filename={hexname}"
                if form == "downfile302":
                    href += "&showname=" + quote(f"附件：{shown_name}")
                res = Resource(served, media, last_modified=timestamp(pl.date))
                self.downfiles[pl.host][hexname] = (
                    "302" if form == "downfile302" else "200",
                    res,
                    shown_name,
                )
                if form == "downfile302":
                    host.add(f"/attach/0/{hexname}", res)
                    entry["redirects_to"] = self.url(pl.host, f"/attach/0/{hexname}")
                entry["url"] = self.url(pl.host, href)
                links.append(f'<a href="{escape(href)}">附件：{escape(shown_name)}</a>')
            else:
                path = pl.folder + fname
                if status == 200:
                    host.add(path, Resource(served, media, last_modified=timestamp(pl.date)))
                entry["url"] = self.url(pl.host, path)
                if form == "abs_xlsx":
                    href = entry["url"]
                elif form == "pdfjs_iframe":
                    href = None
                else:
                    href = "./" + fname
                if href is not None:
                    oldsrc = (f' OLDSRC="/protect/P0{pl.date:%Y%m}/P0{pl.date:%Y%m%d}/{fname}"'
                              if stable_int("oldsrc", fname) % 3 == 0 else "")  # fmt: skip
                    links.append(f'<a href="{href}"{oldsrc}>{escape(shown_name)}</a>')
                else:
                    viewer = f"/pdfjs/web/viewer.html?file={pl.folder}{fname}"
                    links.append(f'<iframe src="{viewer}" width="100%" height="800"></iframe>')
                    entry["viewer_url"] = self.url(pl.host, viewer)
            entry["sha256"] = _sha(served) if status == 200 else None
            entry["content_sha256"] = _sha(data)
            entry["expected_facts"] = rc.expected(fmt_)
            lv.attachments.append(entry)
        if pl.report.opt("shape") == "attachment_only":
            inline = "<p>附件：" + " ".join(links) + "</p>"
            return "", inline
        return '<div class="fujian">附件：' + "<br>".join(links) + "</div>", inline

    def attachment_bytes(self, rc: ReportContent, fmt_: str) -> bytes:
        return {"pdf": rc.pdf, "docx": rc.docx, "xlsx": rc.xlsx, "doc": rc.doc, "xls": rc.xls}[fmt_]()

    # ------------------------------------------------------------------ negatives
    def negative_href(self, col: Column, n: Any) -> str:
        d = parse_dt(n.date)
        # in the column's own id range, above the reports' ids (which grow slowly from the base)
        base = int(col.opt("docid_base", 400000))
        docid = str(base + 200000 + stable_int("neg", n.title, col.id) % 100000)
        if col.cms in ("hanweb", "hanweb_jsarray"):
            return f"/art/{d.year}/{d.month}/{d.day}/art_{col.opt('colid')}_{docid}.html"
        if col.cms == "docid_tree":
            return f"{col.path}{n.opts['node']}/{docid}/index.html"
        if col.cms == "pathenc":
            return f"/zt/xxgkzl/gkzn/pnidpv{docid[:3]}.html"
        ext = col.opt("ext", "html")
        return f"./{d:%Y%m}/t{d:%Y%m%d}_{docid}.{ext}"

    def render_negatives(self) -> None:
        for n in self.spec.negatives:
            col = self.spec.columns[n.column]
            if not self.col_live(col) or parse_dt(n.date) > self.today:
                continue
            href = self.negative_href(col, n)
            path = col.path + href[2:] if href.startswith("./") else href
            meta = self.meta(col)
            text = _negative_text(n.title, n.opts.get("kind"))
            info = DetailInfo(title=n.title, page_title=n.title, pub=parse_dt(n.date), shown=self.date_line_neg(col, n),
                              source=self.spec.hosts[col.host]["site_name"], canonical_url=self.url(col.host, path),
                              docid=path.rsplit("_", 1)[-1].split(".")[0],
                              body=pages.body_container(col.opt("body", "ueditor"), text) if col.cms != "hanweb" else text)  # fmt: skip
            html = (
                pages.hanweb_detail_page(meta, info)
                if col.cms.startswith("hanweb")
                else pages.trs_detail_page(meta, info, depth=path.count("/") - 1)
            )
            aliases = (path[: -len("index.html")],) if path.endswith("/index.html") else ()
            self.add_page(col.host, path, html, timestamp(parse_dt(n.date)), *aliases)
            if n.opts.get("kind") == "yitu":  # the 一图读懂 picture itself
                img = path.rsplit("/", 1)[0] + "/W020250331400000000001.png"
                self.host(col.host).add(
                    img, Resource(_table_png(), "image/png", last_modified=timestamp(parse_dt(n.date)))
                )
            self.negatives_manifest.append(
                {"url": self.url(col.host, path), "title": n.title, "column": col.id, "edge": ["E22"]}
            )

    def date_line_neg(self, col: Column, n: Any) -> str:
        d = parse_dt(n.date)
        return f"日期:{d:%Y-%m-%d %H:%M}&nbsp;&nbsp;&nbsp;&nbsp;来源:{escape(self.spec.hosts[col.host]['site_name'])}"

    # ------------------------------------------------------------------ redirects, migrations
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
                    self.host(col.host).handlers[pl.path] = _loop_handler(pl.path)
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
        png = _table_png()
        hr = self.host("www.bjhr.gov.cn")
        for lv in self.live.get("hrzfb-2018", []):
            hr.add(
                lv.pl.folder + "W020191229401218012345.png",
                Resource(png, "image/png", last_modified=timestamp(lv.pl.date)),
            )

    def render_blocked(self) -> None:
        h = self.host("blocked.mirror.test")
        for kind in self.spec.raw.get("blocked_paths", []):
            h.prefix_handlers.append((f"/{kind}/", _blocked_handler(kind)))
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
    def manifest(self) -> dict[str, Any]:
        reports = []
        for r in {pl.report.id: pl.report for pl in self.b.placed}.values():
            if r.id not in self.existed:
                continue
            lives = self.live.get(r.id, [])
            rc = self.rc(r)
            canon = self.canonical(r.id)
            present = [lv for lv in lives if not lv.missing and not lv.gone and not lv.pl.opt("cross_host")]
            status = "current" if present else "gone"
            if canon is not None and canon.superseded_by is not None:
                status = "superseded"
            edge = set(r.edge)
            for lv in lives:
                edge |= set(lv.pl.opt("edge", []))
                if lv.attachments and any(a["anomaly"] for a in lv.attachments):
                    edge.add("E23")
            if canon is None:  # only on columns of another epoch: the legacy URL is what crawlers knew
                old = next(pl for pl in self.b.placed if pl.report.id == r.id)
                canon_url = self.url(old.host, old.path, scheme_of(self.spec, old.column))
                visible = old.shown
            else:
                canon_url, visible = canon.url, canon.pl.shown
            alt = []
            for lv in lives:
                if lv is not canon and not lv.pl.opt("cross_host"):
                    alt.append(lv.url)
                if lv.pl.host == "www.beijing.gov.cn" and not lv.pl.opt("cross_host") and not lv.missing:
                    alt.append(
                        lv.url.replace(
                            "www.beijing.gov.cn/", "www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/"
                        )
                    )
                    edge.add("E9")
                if lv.pl.column.opt("wap_twins") and not lv.missing:
                    alt.append(lv.url.replace(".html", "_wap.html"))
                    edge.add("E10")
            alt += [
                rd["from"]
                for rd in self.redirects
                if rd["to"] in [lv.url for lv in lives] and rd["edge"] != "E14"
            ]
            shape = r.opt("shape", "html")
            body_sha = (
                _sha(canon.body_fragment.encode("utf-8"))
                if canon is not None and canon.body_fragment
                else None
            )
            if (
                canon is not None
                and not canon.pl.opt("missing")
                and canon.pl.column.cms != "hanweb"
                and stable_int("pubdate", canon.url) % 10 == 0
            ):
                edge.add("E18")
            orig = min(lv.pl.shown for lv in lives) if lives else None
            entry = {
                "id": r.id,
                "agency": r.agency,
                "report_year": r.year,
                "title": rc.title,
                "host": canon.pl.host if canon else None,
                "canonical_url": canon_url,
                "alt_urls": sorted(set(alt) - {canon_url}),
                "pages": canon.pages if canon else [],
                "visible_date": visible.strftime("%Y-%m-%d"),
                "url_date": canon.pl.date.strftime("%Y-%m-%d") if canon else None,
                "original_pub_date": orig.strftime("%Y-%m-%d")
                if orig and orig.date() != visible.date()
                else None,
                "format": shape,
                "attachments": canon.attachments if canon else [],
                "body_sha256": body_sha,
                "status": status,
                "supersedes": r.opt("correction_of"),
                "superseded_by": canon.superseded_by.pl.report.id if canon and canon.superseded_by else None,
                "encoding": _encoding_name(canon.pl.opt("encoding")) if canon else "utf-8",
                "cms": canon.pl.column.cms if canon else "hanweb",
                "edge_cases": sorted(edge),
                "discoverable": bool(canon and canon.listed and not canon.pl.opt("commented")),
                "template": rc.template,
                "seed_report": r.seed_key,
                "synthetic_seed": rc.seed if rc.synth is not None else None,
                "variation": rc.variation_flags,
                "plant_error": rc.plant_error,
                "replaced": rc.replaced,
                "facts": rc.facts,
                "expected_facts": {"html": rc.expected("summary" if shape == "html+pdf" else "html")}
                if shape != "attachment_only"
                else {},
            }
            reports.append(entry)
        robots = {h: c.get("robots_policy", "allow_all") for h, c in self.spec.hosts.items()}
        return {
            "epoch": self.epoch,
            "today": self.spec.epochs[self.epoch].isoformat(),
            "scenarios": sorted(self.scenarios),
            "hosts": sorted(self.spec.hosts),
            "reports": reports,
            "negatives": self.negatives_manifest,
            "columns": self.columns_manifest,
            "hanweb_units": self.units_manifest,
            "redirects": self.redirects,
            "not_found": self.not_found,
            "blocked": [
                {"host": "blocked.mirror.test", "path": f"/{k}/", "kind": k}
                for k in self.spec.raw.get("blocked_paths", [])
            ],
            "robots": robots,
        }


def _encoding_name(enc: Any) -> str:
    return {"gbk-implicit": "gbk", "gbk-header": "gbk", "gbk-mismatch": "gbk"}.get(str(enc), "utf-8")


def _split_pages(body: str) -> list[str]:
    """E19: a TRS multi-page article, split before the third section heading (or in the middle)."""
    for marker in ("<p><strong>三、", "三、收到和处理", "<table"):
        i = body.find(marker)
        if i > 0:
            j = body.rfind("<p", 0, i) if marker != "<p><strong>三、" else i
            cut = j if j > 0 else i
            return [body[:cut], body[cut:]]
    mid = body.find("</p>", len(body) // 2)
    return [body[: mid + 4], body[mid + 4 :]] if mid > 0 else [body]


def _loop_handler(path: str) -> Any:
    from mirror.resource import Response

    def handler(req: Any, rt: Any) -> Response:
        # E6: `x.shtml` -> `x.shtml?` -> `x.shtml` … forever
        return Response.redirect(302, path if req.has_query_mark else path + "?")

    return handler


def _blocked_handler(kind: str) -> Any:
    from mirror import antibot

    def handler(req: Any, rt: Any) -> Any:
        return antibot.respond(kind, req, rt, lambda: antibot.blocked_host_page(kind))

    return handler


def _negative_text(title: str, kind: str | None) -> str:
    if kind == "yitu":
        return f'<p style="text-align:center"><img src="./W020250331400000000001.png" alt="{escape(title)}"></p><p>{escape(title)}</p>'
    if kind == "topic":
        return (
            "<p>各区、各部门年度报告：</p><ul>"
            + "".join(
                f'<li><a href="/gongkai/zfxxgk/zfxxgknb/2020nb/{t}/">{n}</a></li>'
                for t, n in (("qzf", "区政府"), ("szfbm", "市政府部门"))
            )
            + "</ul>"
        )
    return (
        f"<p>{escape(title)}</p><p>为深入贯彻落实《中华人民共和国政府信息公开条例》，现将有关事项通知如下。</p>"
        "<p>一、高度重视，认真组织。二、突出重点，规范内容。三、按时公开，接受监督。</p><p>特此通知。</p>"
    )


def _table_png() -> bytes:
    """A small grey PNG standing in for a photographed statistics table (bjhr's 微信图片_….png)."""
    import struct
    import zlib

    w, h = 120, 80
    rows = []
    for y in range(h):
        line = bytearray([0])
        for x in range(w):
            v = 0 if (x % 30 == 0 or y % 16 == 0) else 235
            line += bytes([v, v, v])
        rows.append(bytes(line))
    raw = zlib.compress(b"".join(rows))

    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )
