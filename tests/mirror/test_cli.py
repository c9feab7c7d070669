"""`nianbao mirror` commands: manifest, build, and serve as a person runs it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from cli.main import cli
from mirror.testing import fetch


def test_manifest_command_writes_the_epoch_asked_for(tmp_path):
    out = tmp_path / "m.json"
    res = CliRunner().invoke(
        cli, ["mirror", "manifest", "--epoch", "2023", "--scenario", "new_report", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    m = json.loads(out.read_text(encoding="utf-8"))
    assert m["epoch"] == 2023 and m["scenarios"] == ["new_report"]


def test_build_command_writes_static_files(tmp_path):
    res = CliRunner().invoke(cli, ["mirror", "build", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    page = tmp_path / "kw.beijing.gov.cn" / "zwgk/zfxxgk/zfxxgknb/index.html"
    assert "title-list-box" in page.read_text(encoding="utf-8")
    assert (tmp_path / "manifest.json").exists()


def test_serve_prints_how_to_use_it_and_serves(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("http_proxy", "https_proxy")}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from cli.main import main; main()", "mirror", "serve", "--port", "0", "--epoch", "2023"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    try:
        deadline, lines = time.time() + 120, []
        while time.time() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "proxy" in line and "http://" in line:
                break
        proxy = re.search(r"http://127\.0\.0\.1:\d+", "".join(lines)).group(0)
        assert "epoch 2023" in "".join(lines)
        r = fetch(proxy, "http://kw.beijing.gov.cn/col/col10126/index.html")
        assert r.status == 200 and "jpage(" in r.text()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(10)
