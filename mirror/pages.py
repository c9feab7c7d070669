"""HTML skeletons of the mirrored CMS families (sites.md §7.4). Only what crawlers rely on is fixed;
header, navigation and footer are realistic filler.

Every function returns `str`; encoding happens in the builder (GBK fixtures, big5 gateway twins).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from urllib.parse import quote

# -------------------------------------------------------------------------------- shared pieces


@dataclass
class ListItem:
    href: str
    title: str
    date: dt.datetime
    commented: bool = False  # E20: inside an HTML comment block


@dataclass
class SiteMeta:
    host: str
    site_name: str
    site_code: str
    column_name: str
    column_path: str


@dataclass
class DetailInfo:
    title: str
    page_title: str  # what the <title> and headline show (bjmy 2008 shows only 科委)
    pub: dt.datetime | None  # PubDate meta; None = omitted (E18)
    shown: str  # the visible date/source line, already formatted
    source: str
    canonical_url: str
    docid: str
    body: str  # body fragment, container included
    attachments_html: str = ""
    pager_html: str = ""
    note_html: str = ""  # E14: "本报告已更正…"
    extra_meta: list[tuple[str, str]] = field(default_factory=list)


def fmt(d: dt.datetime, style: str = "%Y-%m-%d %H:%M") -> str:
    return d.strftime(style)


def head_common(meta: SiteMeta, *, detail: DetailInfo | None = None, charset: str = "utf-8") -> str:
    m = [
        f'<meta charset="{charset}">' if charset == "utf-8" else
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
        f'<meta name="SiteName" content="{escape(meta.site_name)}">',
        f'<meta name="SiteDomain" content="{meta.host}">',
        f'<meta name="SiteIDCode" content="{meta.site_code}">',
        f'<meta name="ColumnName" content="{escape(meta.column_name)}">',
        f'<meta name="ColumnDescription" content="{escape(meta.column_name)}">',
        f'<meta name="ColumnKeywords" content="{escape(meta.column_name)},政府信息公开">',
        f'<meta name="ColumnType" content="{escape(meta.column_name)}">',
    ]  # fmt: skip
    if detail is not None:
        m.append(f'<meta name="ArticleTitle" content="{escape(detail.title)}">')
        if detail.pub is not None:
            m.append(f'<meta name="PubDate" content="{fmt(detail.pub)}">')
        m.append(f'<meta name="ContentSource" content="{escape(detail.source)}">')
        m.append('<meta name="Keywords" content=""><meta name="Author" content="">')
        m.append(f'<meta name="Url" content="{detail.canonical_url}">')
        m.append(f'<meta name="contentid" content="{detail.docid}">')
        if detail.pub is not None:
            m.append(f'<meta name="publishdate" content="{detail.pub:%Y-%m-%d}">')
        m.extend(f'<meta name="{k}" content="{escape(v)}">' for k, v in detail.extra_meta)
    return "\n".join(m)


def header(meta: SiteMeta, *, hr_nav: bool = False) -> str:
    nav = '<div class="nav-toggle">点击显示或隐藏左侧导航</div>\n' if hr_nav else ""
    return (
        nav + '<div class="header"><div class="logo"><a href="/">'
        f"{escape(meta.site_name)}</a></div>"
        '<ul class="main-nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
        '<li><a href="/hdjl/">互动交流</a></li><li><a href="/zwfw/">政务服务</a></li></ul></div>'
    )


def footer(meta: SiteMeta) -> str:
    icp = "宁" if meta.site_code.startswith("64") else "京"  # the province's filing prefix
    return (
        '<div class="footer"><p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>'
        f"<p>主办单位：{escape(meta.site_name)}　网站标识码：{meta.site_code}</p>"
        f'<p>{icp}ICP备05060933号　<a href="http://www.beian.gov.cn/">{icp}公网安备 {meta.site_code[:6]}02000001号</a></p></div>'
    )


def position(meta: SiteMeta, depth: int, arrow: str = "&gt;") -> str:
    up = "../" * depth
    return (
        f'<div class="position">当前位置：<a href="{up or "./"}">首页</a> {arrow} '
        f'<a href="{up}zwgk/">政务公开</a> {arrow} <span>{escape(meta.column_name)}</span></div>'
    )


# -------------------------------------------------------------------------------- body containers

TRS_EDITOR_STYLE = (
    '<style type="text/css">.TRS_Editor P{margin-top:0;margin-bottom:12px;line-height:1.8;font-family:宋体;'
    "font-size:12pt;}.TRS_Editor TD,.TRS_Editor TH{font-size:12pt;}</style>"
)


def body_container(kind: str, inner: str) -> str:
    if kind == "ueditor":
        return f'<div class="view TRS_UEDITOR trs_paper_default trs_web">{inner}</div>'
    if kind == "trs_word":
        return f'<div class="trs_editor_view TRS_UEDITOR trs_paper_default trs_word">{inner}</div>'
    if kind == "trs_editor":
        return f'<div class="TRS_Editor">{TRS_EDITOR_STYLE}{inner}</div>'
    if kind == "zoom":
        return f'<div id="zoom">{inner}</div>'
    if kind == "ucap":
        return f'<div id="UCAP-CONTENT">{inner}</div>'
    raise ValueError(kind)


# -------------------------------------------------------------------------------- TRS lists


def trs_pager(style: str, n_pages: int, current: int, prefix: str, ext: str) -> str:
    if style == "stale":
        # (b): a live countPage next to a stale commented createPageHTML (sites.md §3.2 pitfall)
        return (
            '<div class="page"><script type="text/javascript">\n'
            f'//createPageHTML({max(n_pages - 1, 1)}, {current}, "{prefix}", "{ext}");\n'
            "var currentPage = " + str(current) + ";//所在页从0开始\n"
            f"var countPage = {n_pages}//共多少页\n"
            f'var prevPage = currentPage - 1;var nextPage = currentPage + 1;\n'
            "if (countPage > 1) {\n"
            f'  document.write("<a href=\\"{prefix}.{ext}\\">首页</a>");\n'
            f'  if (currentPage > 0) document.write("<a href=\\"{prefix}" + (prevPage == 0 ? "" : "_" + prevPage) + ".{ext}\\">上一页</a>");\n'
            f'  if (nextPage < countPage) document.write("<a href=\\"{prefix}_" + nextPage + ".{ext}\\">下一页</a>");\n'
            f'  document.write("<a href=\\"{prefix}" + (countPage > 1 ? "_" + (countPage - 1) : "") + ".{ext}\\">尾页</a>");\n'
            "}\n</script></div>"
        )  # fmt: skip
    return (
        f'<div class="page"><script type="text/javascript">createPageHTML({n_pages}, {current}, "{prefix}", "{ext}");'
        "</script></div>"
    )


def trs_list_items(style: str, items: list[ListItem], truncate: bool) -> str:
    out = []
    for it in items:
        shown = it.title
        if truncate and len(shown) > 24:
            shown = shown[:22] + "..."
        t = escape(it.title, quote=True)
        if style == "list2":
            li = f'<li><span>{it.date:%Y-%m-%d}</span><a href="{it.href}" title="{t}" target="_blank">{escape(shown)}</a></li>'
        elif style == "w_ul_list":
            li = (
                f'<li class="clearfix"><a href="{it.href}" title="{t}" target="_blank">{escape(shown)}</a>'
                f"<span>{it.date:%Y-%m-%d}</span></li>"
            )
        else:
            li = f'<li><a href="{it.href}" title="{t}" target="_blank">{escape(shown)}</a><span>{it.date:%Y-%m-%d}</span></li>'
        out.append(f"<!--{li}-->" if it.commented else li)
    return "\n".join(out)


def trs_list_page(
    meta: SiteMeta,
    items: list[ListItem],
    *,
    page: int,
    n_pages: int,
    prefix: str,
    ext: str,
    pager: str,
    list_style: str,
    truncate: bool,
    depth: int,
    commented_block: list[ListItem] | None = None,
    extra_links: str = "",
) -> str:
    if list_style == "list2":
        ul = f'<ul class="list2">\n{trs_list_items(list_style, items, truncate)}\n</ul>'
        box = f'<div class="list-right">{ul}</div>'
    elif list_style == "w_ul_list":
        box = f'<div class="w_ul_list"><ul>\n{trs_list_items(list_style, items, truncate)}\n</ul></div>'
    elif list_style == "gov-list":
        box = f'<div class="list"><ul class="gov-list">\n{trs_list_items(list_style, items, truncate)}\n</ul></div>'
    else:
        box = f'<div class="title-list-box"><ul class="list">\n{trs_list_items(list_style, items, truncate)}\n</ul></div>'
    if not items:
        box = '<div class="list"><ul><li>暂无数据</li></ul></div>'
    commented = ""
    if commented_block:
        # (e): an old list block left in the template, commented out; its links are not live
        commented = (
            '<!--\n<ul class="list2 old">\n'
            + trs_list_items(
                "list2", [replace(it, commented=False) for it in commented_block], False
            )  # no nesting
            + "\n</ul>\n-->"
        )
    body_pager = trs_pager(pager, n_pages, page, prefix, ext) if n_pages >= 1 else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
{head_common(meta)}
<title>{escape(meta.column_name)}_{escape(meta.site_name)}</title>
<link rel="stylesheet" href="/images/common.css">
<script type="text/javascript" src="/images/page.js"></script>
</head><body>
{header(meta)}
<div class="container">
{position(meta, depth)}
<div class="column-title"><h2>{escape(meta.column_name)}</h2></div>
{box}
{commented}
{body_pager}
{extra_links}
</div>
{footer(meta)}
</body></html>
"""


# -------------------------------------------------------------------------------- TRS detail


def trs_detail_page(
    meta: SiteMeta,
    info: DetailInfo,
    *,
    depth: int,
    hr_nav: bool = False,
    kw_main: bool = False,
    charset: str = "utf-8",
) -> str:
    body = f'<div id="mainText">{info.body}</div>' if kw_main else info.body
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
{head_common(meta, detail=info, charset=charset)}
<title>{escape(info.page_title)}_{escape(meta.site_name)}</title>
<link rel="stylesheet" href="/images/common.css">
</head><body>
{header(meta, hr_nav=hr_nav)}
<div class="container">
{position(meta, depth)}
<div class="article">
<div class="header"><p>{escape(info.page_title)}</p></div>
<div class="doc-info">{info.shown}</div>
{info.note_html}
{body}
{info.attachments_html}
{info.pager_html}
</div>
</div>
{footer(meta)}
</body></html>
"""


# -------------------------------------------------------------------------------- Hanweb


def hanweb_record(style: str, href: str, title: str, date: dt.datetime) -> str:
    t = escape(title, quote=True)
    if style == "B":
        return f'<li class="cf"><a target="_blank" href="{href}" title="{t}">{escape(title)}</a><span class="bt_date">{date:%Y-%m-%d}</span></li>'
    if style == "C":  # E21: truncated title inside the anchor, full title only in title=
        short = title if len(title) <= 20 else title[:18] + "..."
        return f'<li><a href="{href}" title="{t}"><span class="list_title">{escape(short)}</span><i>{date:%Y-%m-%d}</i></a></li>'
    return f"<li><a href='{href}' title='{t}' target=\"_blank\">{escape(title)}</a><span>{date:%Y-%m-%d}</span></li>"


def datastore(
    records: list[str], *, nextgroup: str | None = None, total: int | None = None, pages: int | None = None
) -> str:
    parts = ["<datastore>"]
    if nextgroup is not None:
        parts.append(f'<nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>')
    if total is not None:
        parts.append(f"<totalrecord>{total}</totalrecord>")
    if pages is not None:
        parts.append(f"<totalpage>{pages}</totalpage>")
    parts.append("<recordset>")
    parts.extend(f"<record><![CDATA[{r}]]></record>" for r in records)
    parts.append("</recordset></datastore>")
    return "\n".join(parts)


@dataclass
class JpageUnit:
    unitid: int
    colid: int
    webid: int
    webname: str
    per_page: int
    group_size: int
    records: list[str]
    proxy_url: str = "/module/web/jpage/dataproxy.jsp"

    @property
    def embedded(self) -> int:
        return self.per_page * self.group_size


def jpage_unit_html(u: JpageUnit, *, options_order: int = 0) -> str:
    webname_q = quote(u.webname)
    next_href = (
        f"{u.proxy_url}?page=1&appid=1&webid={u.webid}&path=/&columnid={u.colid}&unitid={u.unitid}"
        f"&webname={webname_q}&permissiontype=0"
    )
    store = datastore(u.records[: u.embedded], nextgroup=next_href)
    param = (
        f"var param_{u.unitid} = {{col:1,appid:1,webid:{u.webid},path:'/',columnid:{u.colid},sourceContentType:1,"
        f"unitid:'{u.unitid}',webname:'{u.webname}',permissiontype:0}};"
    )
    opts = [
        "dataStore: dataStore",
        f"proxyUrl:'{u.proxy_url}'",
        f"perPage:{u.per_page}",
        f"totalRecord:{len(u.records)}",
        f"groupSize:{u.group_size}",
        "barPosition:'bottom'",
        f"ajaxParam: param_{u.unitid}",
    ]
    if options_order:  # the options are written in two orders on different columns
        opts = opts[::-1]
    return (
        f'<div id="{u.unitid}"><script type="text/xml">{store}</script></div>\n'
        f'<script language="javascript">{param}\n'
        f"$(document).ready(function(){{ var dataStore = $('#{u.unitid} script[type=\"text/xml\"]').text();"
        f" $('#{u.unitid}').jpage({{ {', '.join(opts)} }}); }});</script>"
    )


def hanweb_column_page(meta: SiteMeta, units_html: list[str], *, uid: int, n_pages: int, colid: int) -> str:
    static_pager = " ".join(
        f'<a href="/col/col{colid}/index.html?uid={uid}&pageNum={i}">{i}</a>' for i in range(1, n_pages + 1)
    )
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="SiteName" content="{escape(meta.site_name)}"><meta name="ColumnName" content="{escape(meta.column_name)}">
<title>{escape(meta.site_name)} {escape(meta.column_name)}</title>
<link rel="stylesheet" href="/images/common.css">
<script src="/module/jslib/jquery/jquery.js"></script><script src="/module/jslib/jpage/jpage.js"></script></head><body>
<table class="bt_top" width="100%"><tr><td><a href="/" class="logo">{escape(meta.site_name)}</a></td></tr></table>
<table class="bt_link"><tr><td><a class="bt_link" href="/">首页</a> &gt; <a class="bt_link" href="/col/col10120/index.html">政务公开</a> &gt; <a class="bt_link">{escape(meta.column_name)}</a></td></tr></table>
<table width="100%"><tr><td class="bt_left" valign="top">
{units_html[0]}
<noscript><div class="bt_page">{static_pager}</div></noscript>
</td><td class="bt_right" valign="top">
{"".join(units_html[1:])}
</td></tr></table>
<table class="bt_bottom"><tr><td>主办：{escape(meta.site_name)}　网站标识码：{meta.site_code}</td></tr></table>
</body></html>
"""


def hanweb_jsarray_page(meta: SiteMeta, items: list[ListItem]) -> str:
    js = [
        "var urls=new Array();var headers=new Array();var year=new Array();var month=new Array();var day=new Array(); i=0;"
    ]
    for it in items:
        t = escape(it.title, quote=True)
        js.append(
            f"urls[i]='{it.href}';headers[i]=\"<a title='{t}'>{escape(it.title)}</a>\";"
            f"year[i]='{it.date.year}';month[i]='{it.date.month}';day[i]='{it.date.day}'; i++;"
        )
    js.append(
        "for(var j=0;j<i;j++){document.write('<li><a href=\"'+urls[j]+'\" target=\"_blank\">'+headers[j]+'</a><span>'"
        "+year[j]+'-'+month[j]+'-'+day[j]+'</span></li>');}"
    )
    script = "\n".join(js)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="SiteName" content="{escape(meta.site_name)}"><meta name="ColumnName" content="{escape(meta.column_name)}">
<title>{escape(meta.site_name)} {escape(meta.column_name)}</title></head><body>
<table class="bt_link"><tr><td><a class="bt_link" href="/">首页</a> &gt; <a class="bt_link">{escape(meta.column_name)}</a></td></tr></table>
<div class="centent_width"><div class="left zhengce_right"><ul>
<script language="javascript">
{script}
</script>
</ul></div></div>
</body></html>
"""


def hanweb_detail_page(meta: SiteMeta, info: DetailInfo) -> str:
    pub = info.pub or dt.datetime(2000, 1, 1)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="ArticleTitle" content="{escape(info.title)}"><meta name="PubDate" content="{pub:%Y-%m-%d %H:%M}">
<meta name="ContentSource" content="{escape(info.source)}"><meta name='Maketime' content='{pub:%Y-%m-%d %H:%M:%S}'>
<title>{escape(meta.site_name)} {escape(meta.column_name)} {escape(info.title)}</title></head><body>
<table class="bt_link"><tr><td><a class="bt_link" href="/">首页</a> &gt; <a class="bt_link">{escape(meta.column_name)}</a></td></tr></table>
<table width="100%"><tr><td class="title">{escape(info.page_title)}</td></tr>
<tr><td>{info.shown}</td></tr>
{f"<tr><td>{info.note_html}</td></tr>" if info.note_html else ""}
<tr><td class="bt_content"><div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">
{info.body}
<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div></td></tr>
{f"<tr><td>{info.attachments_html}</td></tr>" if info.attachments_html else ""}
</table>
<table class="bt_bottom"><tr><td>主办：{escape(meta.site_name)}</td></tr></table>
</body></html>
"""


# -------------------------------------------------------------------------------- plain pages


def simple_page(meta: SiteMeta, title: str, inner: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
{head_common(meta)}
<title>{escape(title)}_{escape(meta.site_name)}</title>
<link rel="stylesheet" href="/images/common.css">
</head><body>
{header(meta)}
<div class="container">
<div class="position">当前位置：<a href="/">首页</a> &gt; <span>{escape(title)}</span></div>
{inner}
</div>
{footer(meta)}
</body></html>
"""


def error_page(host: str, status: int = 404) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{status} 页面不存在</title></head>'
        f'<body><div class="err"><h1>{status}</h1><p>抱歉，您访问的页面不存在或已被删除！</p>'
        f'<p><a href="/">返回首页</a></p></div><hr><center>{host}</center></body></html>'
    )


PAGE_JS = """// TRS WCM pager (createPageHTML), as served by the real sites
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0) document.write("<span>首页</span>&nbsp;");
  else document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;");
  if(nCurrIndex > 0){
    var prev = nCurrIndex - 1;
    document.write("<a href=\\"" + _sPageName + (prev == 0 ? "" : "_" + prev) + "." + _sPageExt + "\\">上一页</a>&nbsp;");
  }
  if(nCurrIndex < _nPageCount - 1){
    document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a>&nbsp;");
  }
  document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt + "\\">尾页</a>");
}
"""

STATIC_DIR = Path(__file__).with_name("static")


def static_file(name: str) -> bytes:
    """Browser stand-ins (jQuery, jpage) kept as real files under mirror/static/."""
    return (STATIC_DIR / name).read_bytes()


PDFJS_VIEWER = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>PDF.js viewer</title></head>
<body><div id="viewerContainer"><div id="viewer" class="pdfViewer"></div></div>
<script>/* pdf.js viewer stand-in: the document is the `file` query parameter */</script></body></html>
"""
