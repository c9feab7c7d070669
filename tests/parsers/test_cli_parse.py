"""`nianbao parse`: summary, --json (one object / an array), exit codes and reasons."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"


def seed(key: str) -> str:
    return str(next(SEEDS.glob(f"{key}_*.txt")))


def run(*args: str):
    return CliRunner().invoke(cli, ["parse", *args])


def test_summary_names_agency_year_template_facts_checks_and_warnings():
    result = run(seed("004"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "金凤区科技局" in out and "2018" in out and "T2008" in out
    assert "facts     65" in out
    assert "0 failed" in out
    assert "label:(二)设置政府信息公开工作人员数" in out


def test_json_for_one_file_is_the_document():
    result = run("--json", seed("001"))
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["template"] == "T2021" and doc["year"] == 2024
    assert {"table": "applications", "row": "new_received", "col": "total", "value": 22}.items() <= next(
        f for f in doc["facts"] if f["row"] == "new_received" and f["col"] == "total"
    ).items()


def test_json_for_several_files_is_an_array():
    result = run("--json", seed("002"), seed("003"))
    assert result.exit_code == 0
    docs = json.loads(result.output)
    assert [d["agency"] for d in docs] == ["北京市丰台区科学技术和信息化局", "中关村科技园区管理委员会"]


def test_a_file_that_is_not_a_report_exits_1_with_the_reason(tmp_path):
    junk = tmp_path / "notice.html"
    junk.write_text("<html><body><p>网站维护通知</p></body></html>", encoding="utf-8")
    result = run(str(junk), seed("000"))
    assert result.exit_code == 1
    assert "not_a_report" in result.output
    assert "北京市科学技术委员会" in result.output  # the good file is still reported


def test_missing_file_exits_1():
    result = run("/nonexistent/report.pdf")
    assert result.exit_code == 1
    assert "cannot read the file" in result.output
