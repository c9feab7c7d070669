"""`nianbao ingest` killed with SIGKILL half-way, then run again: nothing partial, nothing orphaned,
every WARC file passes `warcio check`, every file archived once and judged by the parser."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.blobs import BlobStore
from storage.db import Database
from storage.models import Blob, CrawlRun, Fetch
from storage.warc import read_record, warc_files

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "data" / "seeds"


def make_inputs(directory: Path, n: int) -> list[Path]:
    """Big incompressible files (slow enough to be killed mid-file) between the real seed reports."""
    directory.mkdir()
    rng = random.Random(1234)
    paths = []
    for i in range(n):
        path = directory / f"{i:03d}_attachment.bin"
        path.write_bytes(rng.randbytes(1_200_000 + rng.randrange(400_000)))
        paths.append(path)
    for seed in sorted(SEEDS.iterdir()):
        paths.append(Path(shutil.copy(seed, directory / f"{n // 2:03d}_{seed.name}")))
    return paths


def ingest_until(env: dict[str, str], directory: Path, kill_after_lines: int | None) -> tuple[int, str]:
    """Run `nianbao ingest`; SIGKILL it once it has reported `kill_after_lines` files.
    Returns the exit status and what it wrote to stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "ingest", str(directory)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for seen, _line in enumerate(proc.stdout, start=1):
        if kill_after_lines is not None and seen >= kill_after_lines:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait()
    if kill_after_lines is not None:
        assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    return proc.returncode, proc.stderr.read() if proc.stderr else ""


def check_blob_store_has_no_partial_blob(blobs: BlobStore) -> None:
    for sha in blobs.iter_sha256():
        assert blobs.verify(sha), f"blob {sha} is not complete"


@pytest.mark.slow
def test_sigkill_half_way_then_rerun(database_url, tmp_path):
    inputs = make_inputs(tmp_path / "in", 24)
    data = tmp_path / "data"
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "NIANBAO_DATABASE_URL": database_url,
        "NIANBAO_DATA_DIR": str(data),
    }
    blobs = BlobStore(data / "blobs")

    ingest_until(env, tmp_path / "in", kill_after_lines=5)
    check_blob_store_has_no_partial_blob(blobs)  # killed: .part files may exist, final names are complete
    assert list((data / "warc").glob("*.open")), "the killed run left its WARC file open"
    ingest_until(env, tmp_path / "in", kill_after_lines=14)
    check_blob_store_has_no_partial_blob(blobs)
    status, stderr = ingest_until(env, tmp_path / "in", kill_after_lines=None)
    assert status == 0, stderr
    assert "left open by a crash was closed" in stderr

    # Crash leftovers are gone: no .part, no .open, and every WARC file is valid.
    assert not list((data / "blobs" / ".tmp").glob("*.part"))
    assert not list((data / "warc").glob("*.open"))
    files = warc_files(data / "warc")
    assert len(files) >= 3
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, files)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr

    db = Database(database_url)
    try:
        with db.session() as s:
            fetches = s.scalars(select(Fetch)).all()
            blob_rows = {b.sha256: b for b in s.scalars(select(Blob))}
            runs = s.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
    finally:
        db.dispose()

    # Every file archived exactly once, each judged by the parser (parsed, or failed with a reason).
    uris = sorted(p.resolve().as_uri() for p in inputs)
    assert sorted(f.final_url for f in fetches) == uris
    assert all(f.parse_status in ("parsed", "failed") for f in fetches)
    assert sum(f.parse_status == "parsed" for f in fetches) == 5
    # No orphan row: every fetch points at a blob row, a blob file with those bytes, and a readable
    # WARC record of them; every blob row has its file and every blob file its row.
    by_uri = {p.resolve().as_uri(): p for p in inputs}
    for f in fetches:
        assert f.sha256 in blob_rows
        assert f.sha256 == hashlib.sha256(by_uri[f.final_url].read_bytes()).hexdigest()
        assert blobs.verify(f.sha256)
        fh, rec = read_record(data / "warc" / f.warc_file, f.warc_offset)
        with fh:
            assert rec.rec_headers.get_header("WARC-Record-ID") == f.warc_record_id
            assert rec.rec_headers.get_header("WARC-Target-URI") == f.final_url
    assert set(blob_rows) == set(blobs.iter_sha256())
    # The killed runs are marked as such; the last one finished.
    assert [r.status for r in runs] == ["interrupted", "interrupted", "finished"]


def test_two_ingests_at_once_share_the_archive(database_url, tmp_path):
    """Two processes writing the same archive: no lost row, no 'database is locked', one blob per content."""
    shared = make_inputs(tmp_path / "a", 6)
    other = tmp_path / "b"
    other.mkdir()
    for p in shared[:4]:  # the same bytes under other names: both runs may store them at once
        shutil.copy(p, other / ("copy_" + p.name))
    data = tmp_path / "data"
    env = {**os.environ, "NIANBAO_DATABASE_URL": database_url, "NIANBAO_DATA_DIR": str(data)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "cli.main", "ingest", "-q", str(d)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in (tmp_path / "a", other)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    db = Database(database_url)
    try:
        with db.session() as s:
            fetches = s.scalars(select(Fetch)).all()
            blob_rows = {b.sha256 for b in s.scalars(select(Blob))}
    finally:
        db.dispose()
    assert len(fetches) == len(shared) + 4
    assert blob_rows == {f.sha256 for f in fetches} == set(BlobStore(data / "blobs").iter_sha256())
    files = warc_files(data / "warc")
    assert len(files) == 2  # one per run
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, files)], capture_output=True
    )
    assert check.returncode == 0
