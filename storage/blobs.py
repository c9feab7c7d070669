"""Content-addressed blob store: the decoded bytes of every fetch, once, zstd-compressed.

Layout: `<root>/ab/cd/<sha256>.zst`, where the sha256 is that of the *decoded* bytes (after any HTTP
Content-Encoding), so the same document fetched gzip'd or plain, or imported from a file, is one blob.

Crash safety: bytes are written to `<root>/.tmp/<pid>-<random>.part`, fsync'd, then renamed to the
final name (atomic on POSIX) and the directory fsync'd. A blob therefore exists under its final name
only when complete; a `.part` left by a killed process is removed by `remove_stale_parts()` when the
next store opens. The database row of a blob is committed by the caller only after `put_*` returns.

The store is a cache of what the WARC files hold (the archival master), but it is what the parser
reads: `open()` and `read()` give the decoded bytes back.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import os
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import zstandard

from storage.errors import DataDirNotWritable, FileTooLarge

CHUNK = 1024 * 1024
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# Level 3 (zstd's default): on the crawl's HTML pages 0.08 ms a page against 0.37 ms at level 6, for
# blobs ~8 % larger (ratio 13.5 instead of 14.7; measured on the crawl benchmark's 641 pages).
ZSTD_LEVEL = 3
# A `.part` this old is stale even if a process with its pid exists (the pid was reused).
STALE_PART_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size: int  # decoded bytes
    stored_size: int  # compressed bytes on disk
    created: bool  # False when the blob was already there


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_filesystem(path: Path) -> None:
    """Make everything written on the filesystem holding `path` durable, in one call.

    For batches (the crawler's captures): one `syncfs(2)` instead of an fsync per file and directory.
    Where syncfs is not available, `sync()`.
    """
    syncfs = _syncfs()
    if syncfs is None:
        os.sync()
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"syncfs({path}): {os.strerror(err)}")
    finally:
        os.close(fd)


@functools.cache
def _syncfs():  # noqa: ANN202 - a ctypes function, or None
    # Looked up once: loading libc costs more than the call itself.
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BlobStore:
    def __init__(self, root: Path | str, *, max_bytes: int | None = None):
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._tmp = self.root / ".tmp"
        self._tmp_ready = False
        # Blob directories known to exist (and, once durable, to stay): no mkdir call per blob.
        self._dirs_made: set[str] = set()
        self._local = threading.local()  # a zstd compressor per thread (they are not thread-safe)

    # --- paths ---------------------------------------------------------------------------------

    def path_for(self, sha256: str) -> Path:
        if not _SHA256_HEX.fullmatch(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return Path(f"{self.root}/{sha256[:2]}/{sha256[2:4]}/{sha256}.zst")

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    # --- writing -------------------------------------------------------------------------------

    def ensure_writable(self) -> None:
        """Raise DataDirNotWritable unless a blob could be written now."""
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
            probe = self._tmp / f"{os.getpid()}-probe-{uuid.uuid4().hex}.part"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise DataDirNotWritable(f"cannot write blobs under {self.root}: {exc.strerror or exc}") from exc

    def put_bytes(self, data: bytes, *, durable: bool = True) -> StoredBlob:
        """Store bytes already in memory: one hash, one compression call, one write.

        Same result and the same crash safety as `put_stream` (a `.part` file renamed into place), without
        the chunked reading that a stream needs."""
        if self.max_bytes is not None and len(data) > self.max_bytes:
            raise FileTooLarge(f"larger than the limit of {self.max_bytes:,} bytes")
        sha = hashlib.sha256(data).hexdigest()
        final = self.path_for(sha)
        try:
            return StoredBlob(sha, len(data), os.stat(final).st_size, created=False)
        except FileNotFoundError:
            pass
        compressed = self._compressor().compress(data)  # one frame, with the size and a checksum
        part = self._new_part()
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except OSError as exc:
            raise DataDirNotWritable(f"cannot write blobs under {self.root}: {exc.strerror or exc}") from exc
        try:
            try:
                view = memoryview(compressed)
                while view:
                    view = view[os.write(fd, view) :]
                if durable:
                    os.fsync(fd)
            finally:
                os.close(fd)
            self._make_dirs(final.parent, durable=durable)
            os.replace(part, final)
            if durable:
                fsync_dir(final.parent)
            return StoredBlob(sha, len(data), len(compressed), created=True)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(part)
            raise

    def _compressor(self) -> zstandard.ZstdCompressor:
        cctx = getattr(self._local, "cctx", None)
        if cctx is None:
            cctx = self._local.cctx = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True)
        return cctx

    def _new_part(self) -> str:
        if not self._tmp_ready:
            try:
                self._tmp.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DataDirNotWritable(
                    f"cannot write blobs under {self.root}: {exc.strerror or exc}"
                ) from exc
            self._tmp_ready = True
        return f"{self._tmp}/{os.getpid()}-{uuid.uuid4().hex}.part"

    def put_stream(
        self,
        stream: BinaryIO,
        *,
        expected_sha256: str | None = None,
        size_hint: int | None = None,
        durable: bool = True,
    ) -> StoredBlob:
        """Store what `stream` yields, reading it in chunks (never whole into memory).

        Raises FileTooLarge past `max_bytes` (nothing is kept), ValueError when `expected_sha256`
        is given and the bytes do not match it (a file changed while it was being read).
        `durable=False` skips the fsyncs: the caller makes a batch durable at once
        (`sync_filesystem`) before anything that refers to the blob is committed.
        """
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
            part = self._tmp / f"{os.getpid()}-{uuid.uuid4().hex}.part"
            fh = open(part, "xb")  # noqa: SIM115 - closed by the `with fh` below
        except OSError as exc:
            raise DataDirNotWritable(f"cannot write blobs under {self.root}: {exc.strerror or exc}") from exc
        digest = hashlib.sha256()
        size = 0
        try:
            with fh:
                cctx = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True)
                # One zstd frame (closing the writer ends it); the size, when known, goes in its header.
                with cctx.stream_writer(fh, size=size_hint or -1, closefd=False) as writer:
                    while chunk := stream.read(CHUNK):
                        size += len(chunk)
                        if self.max_bytes is not None and size > self.max_bytes:
                            raise FileTooLarge(f"larger than the limit of {self.max_bytes:,} bytes")
                        digest.update(chunk)
                        try:
                            writer.write(chunk)
                        except zstandard.ZstdError as exc:  # more bytes than the size announced
                            raise ValueError(f"content changed while reading ({exc})") from exc
                fh.flush()
                if durable:
                    os.fsync(fh.fileno())
            sha = digest.hexdigest()
            if expected_sha256 is not None and sha != expected_sha256:
                raise ValueError(f"content changed while reading: sha256 {sha}, expected {expected_sha256}")
            final = self.path_for(sha)
            stored_size = part.stat().st_size
            if final.is_file():
                part.unlink()
                return StoredBlob(sha, size, final.stat().st_size, created=False)
            self._make_dirs(final.parent, durable=durable)
            os.replace(part, final)
            if durable:
                fsync_dir(final.parent)
            return StoredBlob(sha, size, stored_size, created=True)
        except BaseException:
            with contextlib.suppress(OSError):
                part.unlink()
            raise

    def _make_dirs(self, leaf: Path, *, durable: bool = True) -> None:
        # New directory entries must be durable too, or a rename into them could vanish on power loss.
        # A directory made durable here once is not looked at again (blob directories are never removed);
        # one made without (`durable=False`) is made durable by the caller's `sync_filesystem`.
        key = str(leaf)
        if key in self._dirs_made:
            return
        created: list[Path] = []
        p = leaf
        while not p.exists():
            created.append(p)
            p = p.parent
        leaf.mkdir(parents=True, exist_ok=True)
        if durable:
            for d in reversed(created):
                fsync_dir(d.parent)
        self._dirs_made.add(key)

    def remove_stale_parts(self) -> int:
        """Delete `.part` files of processes that are gone; returns how many were removed."""
        if not self._tmp.is_dir():
            return 0
        removed = 0
        now = time.time()
        for part in self._tmp.glob("*.part"):
            pid_text = part.name.split("-", 1)[0]
            pid = int(pid_text) if pid_text.isdigit() else None
            if pid == os.getpid():
                continue
            try:
                too_old = now - part.stat().st_mtime > STALE_PART_SECONDS
                if pid is None or too_old or not _pid_alive(pid):
                    part.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    # --- reading -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def open(self, sha256: str) -> Iterator[BinaryIO]:
        """The decoded bytes as a stream."""
        with open(self.path_for(sha256), "rb") as fh:
            reader = zstandard.ZstdDecompressor().stream_reader(fh)
            try:
                yield reader  # type: ignore[misc]
            finally:
                reader.close()

    def read(self, sha256: str) -> bytes:
        with self.open(sha256) as stream:
            return stream.read()

    def verify(self, sha256: str) -> bool:
        """True when the blob decodes to bytes with that sha256."""
        digest = hashlib.sha256()
        try:
            with self.open(sha256) as stream:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
        except (OSError, zstandard.ZstdError):
            return False
        return digest.hexdigest() == sha256

    def iter_sha256(self) -> Iterator[str]:
        for path in self.root.glob("??/??/*.zst"):
            yield path.name[: -len(".zst")]

    def disk_usage(self) -> int:
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())
