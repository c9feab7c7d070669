"""Detail pages, their attachments in the link forms of sites.md §7.5, and the non-report look-alikes."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from mirror import pages
from mirror.build_common import (
    GBK_MARKER,
    HTML,
    LINK_FORMS,
    MEDIA,
    Live,
    negative_text,
    sha256_hex,
    split_pages,
    table_png,
)
from mirror.content import ReportContent
from mirror.pages import DetailInfo, SiteMeta
from mirror.placement import Placed, parse_dt, timestamp
from mirror.resource import Resource
from mirror.spec import Column, stable_int


class DetailPages:
    """Mixed into the builder's per-build state (`mirror.builder._State`)."""

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
            parts = split_pages(body)
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
            entry["sha256"] = sha256_hex(served) if status == 200 else None
            entry["content_sha256"] = sha256_hex(data)
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
            text = negative_text(n.title, n.opts.get("kind"))
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
                    img, Resource(table_png(), "image/png", last_modified=timestamp(parse_dt(n.date)))
                )
            self.negatives_manifest.append(
                {"url": self.url(col.host, path), "title": n.title, "column": col.id, "edge": ["E22"]}
            )

    def date_line_neg(self, col: Column, n: Any) -> str:
        d = parse_dt(n.date)
        return f"日期:{d:%Y-%m-%d %H:%M}&nbsp;&nbsp;&nbsp;&nbsp;来源:{escape(self.spec.hosts[col.host]['site_name'])}"

    # ------------------------------------------------------------------ redirects, migrations
