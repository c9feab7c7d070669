"""Recognise anti-bot answers so we stop, report and never try to solve them (sites.md §5, §7.7).

A challenge page is not the site being down: retrying it only digs deeper. `detect_block()` looks at one
HTTP answer and names the defence when it sees one of the known signatures:

- `ruishu`: Ruishu (瑞数) JS challenge, 412/202 (sometimes 200) with a `$_ts` stub;
- `jiasule`: Jiasule (加速乐), 521 with `X-Via-JSL` or a `__jsluid` cookie;
- `waf`: a WAF verification page (`<title>安全验证</title>`, 访问行为异常, 请求过于频繁 …);
- `session_gate`: a 200 "非法请求 404！" soft 404 served until a session cookie is set.

Ordinary errors (404, 500, a bare 403) are not blocks: they are recorded per URL like any other answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Challenge pages are small; a long page mentioning 验证码 is a real page that talks about captchas.
SMALL_BODY = 16 * 1024

RUISHU = re.compile(rb"\$_ts\s*=\s*window\[|\$_ts\.(?:cd|nsd)\s*=|<meta[^>]+r=['\"]m['\"]")
JSL_BODY = re.compile(
    rb"__jsl_clearance|__jsluid|document\.cookie\s*=.{0,200}location\.(?:reload|href)", re.S
)
WAF_TITLE = re.compile(
    "<title>[^<]{0,20}(?:安全验证|安全检测|访问验证|人机验证)[^<]{0,20}</title>".encode(), re.I
)
WAF_TEXT = re.compile(
    "|".join(
        ["访问行为异常", "访问异常", "请求过于频繁", "访问过于频繁", "请输入验证码", "滑动验证"]
    ).encode()
)
SESSION_GATE = re.compile("非法请求".encode())

CHALLENGE_STATUSES = {200, 202, 403, 405, 412, 503}


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # ruishu | jiasule | waf | session_gate | rate_limited
    status: int
    signature: str  # what matched, for the report

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "status": self.status, "signature": self.signature}


def detect_block(status: int, headers: Mapping[str, Iterable[str] | str], body: bytes) -> Block | None:
    """The defence this answer comes from, or None for an ordinary answer.

    `headers` maps lower- or mixed-case names to a value or a list of values; `body` is the decoded
    (decompressed) payload.
    """
    header = _header_lookup(headers)
    small = len(body) <= SMALL_BODY
    # Only the first bytes of a large page can be a challenge; scanning megabytes of PDF is wasted work.
    head = body[:SMALL_BODY]

    if status == 521 or "x-via-jsl" in header:
        cookies = " ".join(header.get("set-cookie", []))
        if "x-via-jsl" in header:
            return Block("jiasule", status, "X-Via-JSL header")
        if "__jsluid" in cookies:
            return Block("jiasule", status, "__jsluid cookie")
        if JSL_BODY.search(head):
            return Block("jiasule", status, "__jsl cookie script")
    if status in CHALLENGE_STATUSES and small:
        m = RUISHU.search(head)
        if m:
            return Block("ruishu", status, m.group(0).decode("latin-1"))
        m = WAF_TITLE.search(head)
        if m:
            return Block("waf", status, m.group(0).decode("utf-8", "replace"))
        if len(body) <= 4096:
            m = WAF_TEXT.search(head)
            if m:
                return Block("waf", status, m.group(0).decode("utf-8", "replace"))
        if status == 200 and len(body) <= 2048 and SESSION_GATE.search(head):
            return Block("session_gate", status, "非法请求 soft 404")
    return None


def _header_lookup(headers: Mapping[str, Iterable[str] | str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in headers.items():
        key = (name.decode("latin-1") if isinstance(name, bytes) else name).lower()
        values = [value] if isinstance(value, str | bytes) else list(value)
        out.setdefault(key, []).extend(v.decode("latin-1") if isinstance(v, bytes) else v for v in values)
    return out
