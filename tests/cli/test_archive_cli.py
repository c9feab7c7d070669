"""The archive commands end to end: db upgrade, ingest, search, show, export, status, reparse."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from cli.main import cli
from storage import migrations
from storage.db import Database

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"
ARCHIVE_COMMANDS = {"db", "ingest", "search", "show", "export", "status", "reparse"}


@pytest.fixture
def env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        "NIANBAO_DATABASE_URL": database_url,
        "NIANBAO_DATA_DIR": str(data_dir),
        "NIANBAO_MAX_FILE_BYTES": "",
    }


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ingested(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    code, out, err = run(env, "ingest", str(seeds))
    assert code == 0, err
    return env


def test_help_lists_every_archive_command():
    result = CliRunner().invoke(cli, ["--help"])
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert listed >= ARCHIVE_COMMANDS


def test_db_upgrade_on_an_empty_database_then_again(empty_database_url, data_dir):
    env = {"NIANBAO_DATABASE_URL": empty_database_url, "NIANBAO_DATA_DIR": str(data_dir)}
    code, out, _ = run(env, "db", "upgrade")
    head = migrations.head_revision()
    before = f"{int(head) - 1:04d}"
    assert code == 0 and f"upgraded from empty to {head}" in out
    code, out, _ = run(env, "db", "upgrade")
    assert code == 0 and "nothing to do" in out
    code, out, _ = run(env, "db", "downgrade")
    assert code == 0 and f"downgraded from {head} to {before}" in out
    code, out, _ = run(env, "db", "current")
    assert f"revision {before}" in out and f"newest revision: {head}" in out


def test_commands_on_a_database_without_schema_say_what_to_do(empty_database_url, data_dir):
    env = {"NIANBAO_DATABASE_URL": empty_database_url, "NIANBAO_DATA_DIR": str(data_dir)}
    code, _, err = run(env, "search", "信息公开")
    assert code == 3 and "no nianbao schema yet: run `nianbao db upgrade`" in err


def test_ingest_twice_stores_no_new_blob(env, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    code, out, _ = run(env, "ingest", str(seeds))
    assert code == 0 and "5 archived (5 new blobs)" in out and "5 new reports" in out
    blobs = sorted(p.name for p in (Path(env["NIANBAO_DATA_DIR"]) / "blobs").rglob("*.zst"))
    code, out, _ = run(env, "ingest", str(seeds))
    assert code == 0 and "0 archived (0 new blobs), 5 already archived" in out
    assert sorted(p.name for p in (Path(env["NIANBAO_DATA_DIR"]) / "blobs").rglob("*.zst")) == blobs


def test_search_json_finds_the_seed_reports(ingested):
    code, out, _ = run(ingested, "search", "信息公开", "--json")
    assert code == 0
    data = json.loads(out)
    found = {(h["agency"], h["year"]) for h in data["hits"]}
    assert len(found) == 5 and ("金凤区科技局", 2018) in found
    hit = data["hits"][0]
    assert {"agency", "year", "title", "snippet", "highlights", "url"} <= set(hit)
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == "信息公开"


def test_search_text_output_and_filters(ingested):
    code, out, _ = run(ingested, "search", "行政复议", "--agency", "丰台", "--year", "2020")
    assert code == 0 and "北京市丰台区科学技术和信息化局" in out and "【行政复议】" in out
    assert "金凤区" not in out
    code, out, _ = run(ingested, "search", "没有这样的词语组合")
    assert code == 0 and "no hits" in out


def test_export_csv_has_one_row_per_fact_with_provenance(ingested):
    code, out, _ = run(ingested, "export", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    db = Database(ingested["NIANBAO_DATABASE_URL"])
    with db.engine.connect() as conn:
        n_facts = conn.execute(text("SELECT count(*) FROM fact_current")).scalar()
    db.dispose()
    assert len(rows) == n_facts > 500
    row = next(r for r in rows if r["agency"] == "金凤区科技局")
    assert row["year"] == "2018" and row["source_url"].startswith("file://")
    assert row["warc_file"].endswith(".warc.gz") and row["warc_offset"] and len(row["sha256"]) == 64
    assert row["parser_version"] and row["crawl_run_id"] and row["fetched_at"]
    assert {"table", "row", "col", "value", "raw"} <= set(row)


def test_export_jsonl_and_parquet(ingested, tmp_path):
    code, out, _ = run(ingested, "export", "--format", "jsonl", "--year", "2024")
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and lines and {x["year"] for x in lines} == {2024}
    assert isinstance(lines[0]["value"], int | float | type(None))
    target = tmp_path / "facts.parquet"
    code, _, err = run(ingested, "export", "--format", "parquet", "-o", str(target))
    assert code == 0 and "facts written" in err
    import pyarrow.parquet as pq

    table = pq.read_table(target)
    assert table.num_rows > 500 and "source_url" in table.column_names
    code, _, err = run(ingested, "export", "--format", "parquet")
    assert code == 1 and "give a file" in err


def test_show_gives_versions_provenance_facts_and_checks(ingested):
    code, out, _ = run(ingested, "show", "1", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["report_id"] == 1 and d["versions"] and d["facts"] and d["checks"]
    parsed = d["versions"][0]["parsed_from"]
    assert parsed["final_url"].startswith("file://") and parsed["warc_file"] and parsed["sha256"]
    code, out, _ = run(ingested, "show", "1")
    assert code == 0 and "versions:" in out and "WARC" in out and "checks:" in out
    code, _, err = run(ingested, "show", "999")
    assert code == 1 and "no report 999" in err


def test_status_counts_and_disk_use(ingested):
    code, out, _ = run(ingested, "status", "--json")
    st = json.loads(out)
    assert code == 0 and st["counts"]["reports"] == 5 and st["counts"]["blobs"] == 5
    assert st["last_runs"]["ingest"]["status"] == "finished"
    assert st["disk"]["warc_files"] == 1 and st["disk"]["blobs_bytes"] > 0
    code, out, _ = run(ingested, "status")
    assert code == 0 and "reports   5" in out


def test_reparse_only_touches_versions_of_older_parsers(ingested):
    db = Database(ingested["NIANBAO_DATABASE_URL"])
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE report_version SET parser_version = '0.0.1' WHERE id = 1"))
    code, out, _ = run(ingested, "reparse")
    assert code == 0 and "version 1:" in out and "version 2:" not in out
    with db.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM report_version WHERE parser_version = '0.0.1'")).scalar()
            == 0
        )
        kinds = [k for (k,) in conn.execute(text("SELECT kind FROM event WHERE kind = 'reparsed'"))]
    assert kinds == ["reparsed"]
    code, out, _ = run(ingested, "reparse", "--all", "-q")
    assert code == 0 and "0 versions changed, 5 unchanged" in out
    db.dispose()


def test_bad_files_exit_non_zero_and_lose_nothing(env, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "zero.pdf").write_bytes(b"")
    code, out, err = run(env, "ingest", str(inputs))
    assert code == 1 and "zero.pdf: empty file (0 bytes)" in err
    assert "5 archived" in out and "1 rejected" in out


def test_a_file_above_the_limit_is_refused(env, tmp_path):
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 5000)
    code, _, err = run({**env, "NIANBAO_MAX_FILE_BYTES": "4096"}, "ingest", str(big))
    assert code == 1 and "larger than the limit of 4,096 bytes" in err


def test_strict_makes_parse_failures_an_error(env, tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text("关于举办科技活动周的通知\n", encoding="utf-8")
    code, out, _ = run(env, "ingest", str(notice))
    assert code == 0 and "1 not parsed" in out
    notice2 = tmp_path / "notice2.txt"
    notice2.write_text("关于开展安全检查的通知\n", encoding="utf-8")
    code, _, _ = run(env, "ingest", "--strict", str(notice2))
    assert code == 1


def test_an_unreachable_database_is_named_without_password(data_dir):
    env = {
        "NIANBAO_DATABASE_URL": "postgresql://reader:hunter2@127.0.0.1:1/nianbao",
        "NIANBAO_DATA_DIR": str(data_dir),
    }
    code, _, err = run(env, "status")
    assert (
        code == 3
        and "cannot connect to the database at postgresql+psycopg://reader:***@127.0.0.1:1/nianbao" in err
    )
    assert "hunter2" not in err


def test_a_read_only_data_directory(database_url, tmp_path):
    from tests.storage.helpers import read_only_directory

    data = tmp_path / "ro"
    data.mkdir()
    env = {"NIANBAO_DATABASE_URL": database_url, "NIANBAO_DATA_DIR": str(data)}
    with read_only_directory(data):
        code, _, err = run(env, "ingest", str(SEEDS))
    assert code == 3 and "cannot write blobs under" in err


def test_an_unreadable_file(tmp_path):
    """Permission bits do not stop root, so as root the CLI runs as `nobody` for this one."""
    work = Path(tempfile.mkdtemp(prefix="nianbao-unreadable-", dir="/tmp"))
    try:
        work.chmod(0o777)
        secret = work / "secret.txt"
        secret.write_text("北京市测试局2020年政府信息公开工作年度报告", encoding="utf-8")
        secret.chmod(0o000)
        data = work / "data"
        cmd = [sys.executable, "-m", "cli.main", "ingest", str(secret)]
        env = {
            **os.environ,
            "NIANBAO_DATA_DIR": str(data),
            "NIANBAO_DATABASE_URL": f"sqlite:///{data}/nianbao.db",
        }
        prefix: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv")
            prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        repo = Path(__file__).resolve().parents[2]
        up = subprocess.run(
            prefix + [sys.executable, "-m", "cli.main", "db", "upgrade"],
            env=env,
            cwd=repo,
            capture_output=True,
            text=True,
        )
        assert up.returncode == 0, up.stderr
        done = subprocess.run(prefix + cmd, env=env, cwd=repo, capture_output=True, text=True)
        assert done.returncode == 1, done.stderr
        assert "secret.txt: cannot read (permission denied)" in done.stderr
    finally:
        shutil.rmtree(work, ignore_errors=True)
