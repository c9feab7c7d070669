"""The content-addressed blob store: names, dedupe, streaming, size limit, crash leftovers."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys

import pytest
import zstandard

from storage.blobs import BlobStore
from storage.errors import DataDirNotWritable, FileTooLarge
from tests.storage.helpers import read_only_directory


def test_put_bytes_names_the_blob_by_the_sha256_of_the_bytes(tmp_path):
    store = BlobStore(tmp_path)
    data = "北京市科学技术委员会2018年政府信息公开工作年度报告".encode() * 100
    stored = store.put_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    assert stored.sha256 == sha and stored.size == len(data) and stored.created
    path = tmp_path / sha[:2] / sha[2:4] / f"{sha}.zst"
    assert path.is_file()
    assert (
        zstandard.ZstdDecompressor().decompress(path.read_bytes()) == data
    )  # plain zstd, readable by anyone
    assert stored.stored_size == path.stat().st_size < len(data)
    assert store.read(sha) == data and store.verify(sha)


def test_the_same_bytes_twice_are_one_blob(tmp_path):
    store = BlobStore(tmp_path)
    first = store.put_bytes(b"same bytes")
    second = store.put_stream(io.BytesIO(b"same bytes"))
    assert first.created and not second.created
    assert list(store.iter_sha256()) == [first.sha256]
    assert not list((tmp_path / ".tmp").iterdir())


class CountingStream(io.RawIOBase):
    """Yields `total` bytes in chunks and records the largest read, to show nothing is read whole."""

    def __init__(self, total: int):
        self.remaining = total
        self.largest_read = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            raise AssertionError("the store asked for the whole stream at once")
        self.largest_read = max(self.largest_read, n)
        n = min(n, self.remaining)
        self.remaining -= n
        return b"x" * n


def test_put_stream_reads_in_chunks(tmp_path):
    store = BlobStore(tmp_path)
    stream = CountingStream(20 * 1024 * 1024)
    stored = store.put_stream(stream)
    assert stored.size == 20 * 1024 * 1024
    assert stream.largest_read <= 1024 * 1024


def test_a_stream_over_the_limit_is_refused_and_leaves_nothing(tmp_path):
    store = BlobStore(tmp_path, max_bytes=3 * 1024 * 1024)
    stream = CountingStream(50 * 1024 * 1024)
    with pytest.raises(FileTooLarge, match="limit of 3,145,728 bytes"):
        store.put_stream(stream)
    assert stream.remaining > 40 * 1024 * 1024  # stopped soon after the limit, not at the end
    assert list(store.iter_sha256()) == []
    assert list((tmp_path / ".tmp").iterdir()) == []


def test_expected_sha256_mismatch_keeps_nothing(tmp_path):
    store = BlobStore(tmp_path)
    with pytest.raises(ValueError, match="content changed"):
        store.put_stream(io.BytesIO(b"abc"), expected_sha256="0" * 64)
    assert list(store.iter_sha256()) == []


def test_verify_detects_a_damaged_blob(tmp_path):
    store = BlobStore(tmp_path)
    sha = store.put_bytes(b"payload " * 1000).sha256
    path = store.path_for(sha)
    path.write_bytes(path.read_bytes()[:-8])
    assert not store.verify(sha)


def test_parts_of_dead_processes_are_removed_and_live_ones_kept(tmp_path):
    store = BlobStore(tmp_path)
    tmp = tmp_path / ".tmp"
    tmp.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    (tmp / f"{dead_pid}-abc.part").write_bytes(b"half a blob")
    (tmp / f"{os.getppid()}-def.part").write_bytes(b"someone else's blob in progress")
    assert store.remove_stale_parts() == 1
    assert sorted(p.name for p in tmp.iterdir()) == [f"{os.getppid()}-def.part"]


def test_a_read_only_directory_gives_a_clear_error(tmp_path):
    root = tmp_path / "blobs"
    root.mkdir()
    with read_only_directory(root):
        store = BlobStore(root)
        with pytest.raises(DataDirNotWritable, match="cannot write blobs under"):
            store.put_bytes(b"data")
        with pytest.raises(DataDirNotWritable):
            store.ensure_writable()


def test_path_for_refuses_what_is_not_a_digest(tmp_path):
    with pytest.raises(ValueError):
        BlobStore(tmp_path).path_for("../../etc/passwd")
