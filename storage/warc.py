"""WARC 1.1 files, written with warcio: the archival master copy of every exchange and imported file.

One writer per crawl run. Every file starts with a `warcinfo` record; every record is its own gzip
member (`WARCWriter(gzip=True)`), which is what makes crash recovery possible. Files are named
`<prefix>-<seq>.warc.gz`, written as `<name>.open` (exclusively flock'ed) and renamed when closed or
rotated by size. Records are never rewritten.

Record kinds written here:
- `request` + `response` for an HTTP exchange (the request carries `WARC-Concurrent-To`);
- `revisit` with profile `identical-payload-digest` when the payload was archived before, or
  `server-not-modified` for a 304 (the WARC-Profile URIs are the 1.1 ones: warcio issue #94);
- `resource` for an imported file, with its `file://` URI.

Durability: `write_*` returns only after the records are flushed and fsync'd, so a database row that
points at a location is committed after the bytes it points at are on disk. `recover_open_files()`
finishes a file left `.open` by a crash: it keeps every complete gzip member (hence record), cuts the
tail, and renames the file, after which `warcio check` passes.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from storage.blobs import fsync_dir

WARC_VERSION = "WARC/1.1"
PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
OPEN_SUFFIX = ".open"
READ_CHUNK = 1024 * 1024

Headers = Iterable[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class WarcLocation:
    """Where one record lives: enough to read it back with warcio or replay it with pywb."""

    filename: str  # final name, relative to the WARC directory
    offset: int
    length: int  # of the gzip member
    record_id: str
    record_type: str
    payload_digest: str | None
    warc_date: str


@dataclass(frozen=True, slots=True)
class RevisitOf:
    """The earlier record a revisit refers to."""

    record_id: str | None
    target_uri: str
    warc_date: str
    payload_digest: str


def warc_date(moment: datetime) -> str:
    moment = moment.astimezone(UTC).replace(tzinfo=None)
    return datetime_to_iso_date(moment, use_micros=True)


class WarcFileWriter:
    """Writes one run's records into size-rotated WARC files. Thread-safe; one instance per run."""

    def __init__(
        self,
        directory: Path | str,
        prefix: str,
        *,
        max_bytes: int = 1024**3,
        info: dict[str, str] | None = None,
    ):
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.info = dict(info or {})
        self._lock = threading.Lock()
        self._fh: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._name: str | None = None
        self._seq = 0
        self.closed_files: list[str] = []

    # --- public API ----------------------------------------------------------------------------

    def write_exchange(
        self,
        *,
        url: str,
        method: str,
        request_target: str,
        request_headers: Headers,
        request_body: bytes,
        status_line: str,
        response_headers: Headers,
        body: BinaryIO,
        body_length: int,
        when: datetime,
        protocol: str = "HTTP/1.1",
        ip_address: str | None = None,
        sync: bool = True,
    ) -> tuple[WarcLocation, WarcLocation]:
        """A `response` record and its `request`; returns (response, request) locations.

        `sync=False` leaves the fsync to a later `sync()` (batches: one fsync for many records)."""
        with self._lock:
            writer = self._current_writer()
            date = warc_date(when)
            extra = {"WARC-Date": date}
            if ip_address:
                extra["WARC-IP-Address"] = ip_address
            resp = writer.create_warc_record(
                url,
                "response",
                payload=body,
                length=body_length,
                http_headers=StatusAndHeaders(status_line, list(response_headers), protocol=protocol),
                warc_headers_dict=extra,
            )
            req = self._request_record(
                writer, url, method, request_target, request_headers, request_body, date
            )
            req.rec_headers.add_header("WARC-Concurrent-To", resp.rec_headers.get_header("WARC-Record-ID"))
            locs = self._write([resp, req], sync=sync)
            return locs[0], locs[1]

    def write_revisit(
        self,
        *,
        url: str,
        refers_to: RevisitOf,
        not_modified: bool,
        status_line: str,
        response_headers: Headers,
        when: datetime,
        method: str = "GET",
        request_target: str | None = None,
        request_headers: Headers = (),
        protocol: str = "HTTP/1.1",
        ip_address: str | None = None,
        sync: bool = True,
    ) -> tuple[WarcLocation, WarcLocation | None]:
        """A `revisit` record (headers only) referring to an earlier capture, plus its request."""
        with self._lock:
            writer = self._current_writer()
            date = warc_date(when)
            extra = {"WARC-Date": date}
            if ip_address:
                extra["WARC-IP-Address"] = ip_address
            if refers_to.record_id:
                extra["WARC-Refers-To"] = refers_to.record_id
            rec = writer.create_revisit_record(
                url,
                refers_to.payload_digest,
                refers_to.target_uri,
                refers_to.warc_date,
                http_headers=StatusAndHeaders(status_line, list(response_headers), protocol=protocol),
                warc_headers_dict=extra,
            )
            # warcio issue #94: older warcio versions write the 1.0 profile URI even for WARC/1.1.
            rec.rec_headers.replace_header(
                "WARC-Profile", PROFILE_NOT_MODIFIED if not_modified else PROFILE_IDENTICAL
            )
            records = [rec]
            if request_target is not None:
                req = self._request_record(writer, url, method, request_target, request_headers, b"", date)
                req.rec_headers.add_header("WARC-Concurrent-To", rec.rec_headers.get_header("WARC-Record-ID"))
                records.append(req)
            locs = self._write(records, sync=sync)
            return locs[0], (locs[1] if len(locs) > 1 else None)

    def write_resource(
        self,
        *,
        uri: str,
        body: BinaryIO,
        body_length: int,
        content_type: str,
        when: datetime,
        extra_headers: dict[str, str] | None = None,
    ) -> WarcLocation:
        """A `resource` record: an imported file, its bytes as they are on disk."""
        with self._lock:
            writer = self._current_writer()
            headers = {"WARC-Date": warc_date(when), **(extra_headers or {})}
            rec = writer.create_warc_record(
                uri,
                "resource",
                payload=body,
                length=body_length,
                warc_content_type=content_type,
                warc_headers_dict=headers,
            )
            return self._write([rec])[0]

    def write_identical_resource_revisit(
        self, *, uri: str, refers_to: RevisitOf, when: datetime, content_type: str
    ) -> WarcLocation:
        """A `revisit` for a file whose bytes were archived before (no HTTP headers)."""
        with self._lock:
            writer = self._current_writer()
            extra = {"WARC-Date": warc_date(when), "Content-Type": content_type}
            if refers_to.record_id:
                extra["WARC-Refers-To"] = refers_to.record_id
            rec = writer.create_revisit_record(
                uri,
                refers_to.payload_digest,
                refers_to.target_uri,
                refers_to.warc_date,
                warc_headers_dict=extra,
            )
            rec.rec_headers.replace_header("WARC-Profile", PROFILE_IDENTICAL)
            return self._write([rec])[0]

    def sync(self) -> None:
        """Make every record written so far durable (after writes with `sync=False`)."""
        with self._lock:
            if self._fh is not None:
                self._fh.flush()
                os.fsync(self._fh.fileno())

    def close(self) -> None:
        with self._lock:
            self._close_current()

    @property
    def current_name(self) -> str | None:
        return self._name

    # --- internals -----------------------------------------------------------------------------

    @staticmethod
    def _request_record(writer, url, method, target, headers, body: bytes, date: str):
        from io import BytesIO

        return writer.create_warc_record(
            url,
            "request",
            payload=BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(f"{method} {target} HTTP/1.1", list(headers), is_http_request=True),
            warc_headers_dict={"WARC-Date": date},
        )

    def _write(self, records: list, *, sync: bool = True) -> list[WarcLocation]:
        assert self._fh is not None and self._writer is not None and self._name is not None
        locs: list[WarcLocation] = []
        start_of_batch = self._fh.tell()
        try:
            for rec in records:
                offset = self._fh.tell()
                self._writer.write_record(rec)
                h = rec.rec_headers
                locs.append(
                    WarcLocation(
                        filename=self._name,
                        offset=offset,
                        length=self._fh.tell() - offset,
                        record_id=h.get_header("WARC-Record-ID"),
                        record_type=h.get_header("WARC-Type"),
                        payload_digest=h.get_header("WARC-Payload-Digest"),
                        warc_date=h.get_header("WARC-Date"),
                    )
                )
            self._fh.flush()
            if sync:
                os.fsync(self._fh.fileno())
        except BaseException:
            # A failed write (disk full, a stream that broke) must not leave half a record behind.
            self._fh.seek(start_of_batch)
            self._fh.truncate()
            raise
        return locs

    def _current_writer(self) -> WARCWriter:
        if self._fh is not None and self._fh.tell() >= self.max_bytes:
            self._close_current()
        if self._writer is None:
            self._open_next()
        assert self._writer is not None
        return self._writer

    def _open_next(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            self._seq += 1
            name = f"{self.prefix}-{self._seq:05d}.warc.gz"
            path = self.directory / (name + OPEN_SUFFIX)
            if (self.directory / name).exists():
                continue
            try:
                fh = open(path, "xb")  # noqa: SIM115 - kept open until the file is closed or rotated
            except FileExistsError:
                continue
            break
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        fsync_dir(self.directory)
        self._fh, self._name = fh, name
        self._writer = WARCWriter(fh, gzip=True, warc_version=WARC_VERSION)
        info = {
            "software": "nianbao (warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "hostname": socket.gethostname(),
            **self.info,
        }
        self._write([self._writer.create_warcinfo_record(name, info)])

    def _close_current(self) -> None:
        if self._fh is None or self._name is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        final = self.directory / self._name
        os.replace(self.directory / (self._name + OPEN_SUFFIX), final)
        fsync_dir(self.directory)
        self._fh.close()  # releases the flock
        self.closed_files.append(self._name)
        self._fh = self._writer = self._name = None


# --- reading back -----------------------------------------------------------------------------


def read_record(path: Path | str, offset: int):
    """The record at `offset` as a warcio ArcWarcRecord whose content stream must be read at once."""
    from warcio.archiveiterator import ArchiveIterator

    fh = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    fh.seek(offset)
    return fh, next(iter(ArchiveIterator(fh)))


# --- crash recovery ---------------------------------------------------------------------------


def complete_members(fh: BinaryIO) -> list[tuple[int, int]]:
    """(start, end) of each complete gzip member holding a WARC record, up to the first broken one."""
    members: list[tuple[int, int]] = []
    pos = 0
    buf = b""
    while True:
        start = pos
        d = zlib.decompressobj(31)
        first_bytes = b""
        while True:
            if not buf:
                buf = fh.read(READ_CHUNK)
                if not buf:
                    return members  # end of file inside (or before) a member
            try:
                out = d.decompress(buf)
            except zlib.error:
                return members
            if len(first_bytes) < 5:
                first_bytes += out[: 5 - len(first_bytes)]
            if d.eof:
                used = len(buf) - len(d.unused_data)
                pos += used
                buf = d.unused_data
                break
            pos += len(buf)
            buf = b""
        if not first_bytes.startswith(b"WARC/"):
            return members
        members.append((start, pos))


@dataclass(frozen=True, slots=True)
class RecoveredFile:
    name: str
    records: int
    truncated_bytes: int
    removed: bool  # nothing complete was left: the file was deleted


def recover_open_files(directory: Path | str) -> list[RecoveredFile]:
    """Finish every `.open` WARC file whose writer is gone (its flock is free)."""
    directory = Path(directory)
    recovered: list[RecoveredFile] = []
    if not directory.is_dir():
        return recovered
    for path in sorted(directory.glob("*.warc.gz" + OPEN_SUFFIX)):
        try:
            fh = open(path, "r+b")  # noqa: SIM115 - closed by the `with fh` below
        except OSError:
            continue
        with fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live writer holds it
            size = os.fstat(fh.fileno()).st_size
            members = complete_members(fh)
            keep = members[-1][1] if members else 0
            final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
            if keep == 0:
                path.unlink()
                recovered.append(RecoveredFile(final.name, 0, size, removed=True))
                continue
            fh.truncate(keep)
            fh.flush()
            os.fsync(fh.fileno())
            os.replace(path, final)
            recovered.append(RecoveredFile(final.name, len(members), size - keep, removed=False))
    if recovered:
        fsync_dir(directory)
    return recovered


def disk_usage(directory: Path | str) -> int:
    directory = Path(directory)
    if not directory.is_dir():
        return 0
    return sum(p.stat().st_size for p in directory.iterdir() if p.is_file())


def warc_files(directory: Path | str) -> list[Path]:
    directory = Path(directory)
    return sorted(directory.glob("*.warc.gz")) if directory.is_dir() else []


def now_utc() -> datetime:
    return datetime.now(UTC)
