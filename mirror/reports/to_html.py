"""The report body as an HTML fragment, in the markup the sites' editors produce.

Two families of markup: "trs" is what the TRS UEDITOR keeps of a Word paste (inline styles on <p> and
<span>, tables with rowspan/colspan and width attributes); "hanweb" is a raw Word paste as Hanweb
JCMS keeps it (class="MsoNormal", mso-* styles, <o:p>, lang="EN-US" around digits). Both put each
paragraph in <p><span>, split runs of text into several spans, and print blank cells as &nbsp;.
"""

from __future__ import annotations

import random
import re
from html import escape

from mirror.reports.printed import Cell, Para, PrintedReport, Table

_TRS_FONTS = {
    "title": "font-family: 方正小标宋简体, 宋体; font-size: 29px;",
    "heading": "font-family: 黑体, SimHei; font-size: 21px;",
    "subheading": "font-family: 楷体_GB2312, 楷体; font-size: 21px;",
    "body": "font-family: 仿宋_GB2312, 仿宋; font-size: 21px;",
    "appendix": "font-family: 黑体, SimHei; font-size: 21px;",
    "caption": "font-family: 仿宋_GB2312, 仿宋; font-size: 16px;",
}
_MSO_FONTS = {
    "title": "font-size:22.0pt;font-family:方正小标宋简体;mso-hansi-font-family:宋体",
    "heading": "font-size:16.0pt;font-family:黑体;mso-hansi-font-family:黑体",
    "subheading": "font-size:16.0pt;font-family:楷体_GB2312;mso-hansi-font-family:楷体",
    "body": "font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体",
    "appendix": "font-size:16.0pt;font-family:黑体",
    "caption": "font-size:12.0pt;font-family:仿宋_GB2312",
}


class _Writer:
    def __init__(self, style: str, rng: random.Random):
        self.mso = style == "hanweb"
        self.rng = rng

    def runs(self, text: str, font: str) -> str:
        """Text as Word-paste runs: split at a few non-digit points, digits wrapped as lang=EN-US."""
        if not text:
            return ""
        pieces = _split_runs(text, self.rng)
        out = []
        for piece in pieces:
            # Word pastes keep digits in their own lang="EN-US" runs; UEDITOR merges them back.
            chunks = re.split(r"(\d[\d.,\-]*)", piece) if self.mso else [piece]
            for chunk in chunks:
                if not chunk:
                    continue
                body = escape(chunk).replace("\u3000", "&#12288;")
                if self.mso and chunk[0].isdigit():
                    out.append(f'<span lang="EN-US" style="{font}">{body}</span>')
                else:
                    out.append(f'<span style="{font}">{body}</span>')
        return "".join(out)

    def para(self, p: Para) -> str:
        fonts = _MSO_FONTS if self.mso else _TRS_FONTS
        font = fonts.get(p.style, fonts["body"])
        if p.style == "title":
            align = ' align="center"' if self.mso else ""
            style = "text-align:center" if self.mso else "text-align: center; line-height: 2em;"
            inner = f"<strong>{self.runs(p.text, font)}</strong>"
        else:
            align = ""
            style = (
                "text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt"
                if self.mso
                else "text-indent: 2em; text-align: justify; line-height: 2em;"
            )
            inner = self.runs(p.text, font)
            if p.style in ("heading", "appendix"):
                inner = f"<b>{inner}</b>" if self.mso else f"<strong>{inner}</strong>"
        cls = ' class="MsoNormal"' if self.mso else ""
        tail = '<span lang="EN-US"><o:p></o:p></span>' if self.mso else ""
        return f'<p{cls}{align} style="{style}">{inner}{tail}</p>'

    def cell(self, cell: Cell, width: int) -> str:
        attrs = f' width="{width}"'
        if cell.rowspan > 1:
            attrs += f' rowspan="{cell.rowspan}"'
        if cell.colspan > 1:
            attrs += f' colspan="{cell.colspan}"'
        if self.mso:
            attrs += ' valign="middle" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt"'
            font = "font-size:10.5pt;font-family:宋体"
        else:
            attrs += ' valign="middle" style="border: 1px solid windowtext; padding: 0px 7px;"'
            font = "font-family: 宋体, SimSun; font-size: 14px;"
        align = "center" if cell.align == "center" else "left"
        cls = ' class="MsoNormal"' if self.mso else ""
        lines = cell.text.split("\n") if cell.text.strip() else [""]
        paras = []
        for line in lines:
            body = self.runs(line, font) if line.strip() else "&nbsp;"
            if not line.strip() and self.mso:
                body = '<span lang="EN-US" style="' + font + '"><o:p>&nbsp;</o:p></span>'
            paras.append(f'<p{cls} align="{align}" style="text-align:{align}">{body}</p>')
        if not self.mso and len(lines) > 1 and self.rng.random() < 0.5:
            # UEDITOR often keeps a cell's lines in one <p> separated by <br/>.
            inner = "<br/>".join(self.runs(x, font) for x in lines)
            paras = [f'<p style="text-align:{align}">{inner}</p>']
        return f"<td{attrs}>{''.join(paras)}</td>"

    def table(self, t: Table) -> str:
        total = sum(t.widths)
        col_px = [max(24, round(600 * w / total)) for w in t.widths]
        placed = t.placed()
        by_row: dict[int, list[tuple[int, Cell]]] = {}
        for r, c, cell in placed:
            by_row.setdefault(r, []).append((c, cell))
        if self.mso:
            head = (
                '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="600" '
                'style="border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt">'
            )
        else:
            head = '<table border="1" cellspacing="0" cellpadding="0" width="100%" align="center" style="border-collapse: collapse;">'
        rows = []
        for r in range(len(t.rows)):
            tds = "".join(
                self.cell(cell, sum(col_px[c : c + cell.colspan])) for c, cell in sorted(by_row.get(r, []))
            )
            style = ' style="height:22.5pt"' if self.mso else ""
            rows.append(f"<tr{style}>{tds}</tr>")
        return head + "<tbody>" + "".join(rows) + "</tbody></table>"


def _split_runs(text: str, rng: random.Random) -> list[str]:
    if len(text) < 6 or rng.random() < 0.5:
        return [text]
    cuts = sorted(
        {
            i
            for i in (rng.randrange(1, len(text)) for _ in range(rng.randint(1, 2)))
            if not (text[i - 1].isdigit() or text[i].isdigit())
        }
    )
    out, prev = [], 0
    for i in cuts:
        out.append(text[prev:i])
        prev = i
    out.append(text[prev:])
    return out


def render_printed_html(pr: PrintedReport, seed: int = 0) -> str:
    w = _Writer(pr.style.get("html", "trs"), random.Random(f"html:{seed}"))
    out: list[str] = []
    for block in pr.blocks:
        if isinstance(block, Para):
            out.append(w.para(block))
            continue
        pieces = block.pieces()
        for i, piece in enumerate(pieces):
            if i:
                out.append(
                    '<p><br style="page-break-before:always" clear="all"/></p>' if w.mso else "<p><br/></p>"
                )
            out.append(w.table(piece))
    return "\n".join(out) + "\n"
