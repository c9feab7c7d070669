"""Anti-bot signatures of sites.md §5 and §7.7, as the pages look on the wire."""

from __future__ import annotations

from crawler.antibot import detect_block

RUISHU_BODY = (
    b"<html><head><meta id=\"x1\" content=\"SEED\" r='m'><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};"
    b'$_ts.nsd=1;$_ts.cd="AAAA";</script><script src="/Ab12/xyz.js" r=\'m\'></script></head></html>'
    b"<script>_$aa();</script>"
)


def test_ruishu_on_412_202_and_200() -> None:
    for status in (412, 202, 200):
        block = detect_block(status, {"Set-Cookie": "Ab12Cd34eFS=6xxxx; path=/"}, RUISHU_BODY)
        assert block is not None and block.kind == "ruishu" and block.status == status


def test_jiasule() -> None:
    body = b"<script>document.cookie='__jsluid_s=abc';location.reload();</script>"
    assert detect_block(521, {"X-Via-JSL": "e5d3, -"}, body).kind == "jiasule"
    assert detect_block(521, {"Set-Cookie": ["__jsluid_s=abc; path=/"]}, b"").kind == "jiasule"
    assert detect_block(521, {}, body).kind == "jiasule"


def test_waf_pages() -> None:
    page = (
        "<html><head><title>安全验证</title></head><body>您的访问行为异常，请稍后再试</body></html>".encode()
    )
    assert detect_block(403, {}, page).kind == "waf"
    assert detect_block(200, {}, page).kind == "waf"
    assert detect_block(200, {}, "<p>请求过于频繁</p>".encode()).kind == "waf"


def test_session_gate_soft_404() -> None:
    assert detect_block(200, {}, "非法请求 404！".encode()).kind == "session_gate"


def test_ordinary_answers_are_not_blocks() -> None:
    assert detect_block(404, {}, b"<html>Not Found</html>") is None
    assert detect_block(500, {}, b"error") is None
    assert detect_block(403, {}, b"Forbidden") is None
    report = ("<html><title>2023年政府信息公开工作年度报告</title>" + "验证码登录功能上线。" * 2000).encode()
    assert detect_block(200, {}, report) is None  # a long page that mentions captchas is a page
    assert detect_block(200, {"Content-Type": "application/pdf"}, b"%PDF-1.7 $_ts.cd=" + b"x" * 20000) is None
