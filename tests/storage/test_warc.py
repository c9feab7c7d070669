"""WARC 1.1 writing with warcio: records, revisits, rotation, and recovery after a crash."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from storage.warc import (
    PROFILE_IDENTICAL,
    PROFILE_NOT_MODIFIED,
    RevisitOf,
    WarcFileWriter,
    complete_members,
    read_record,
    recover_open_files,
    warc_files,
)

WARCIO = [sys.executable, "-m", "warcio.cli"]
WHEN = datetime(2025, 3, 31, 8, 0, 0, 123456, tzinfo=UTC)


def warcio_check(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*WARCIO, "check", "-v", *map(str, paths)], capture_output=True, text=True)


def write_page(writer: WarcFileWriter, url: str, body: bytes):
    return writer.write_exchange(
        url=url,
        method="GET",
        request_target="/" + url.split("/", 3)[-1],
        request_headers=[("Host", url.split("/")[2]), ("User-Agent", "nianbao-test")],
        request_body=b"",
        status_line="200 OK",
        response_headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
        body=io.BytesIO(body),
        body_length=len(body),
        when=WHEN,
        ip_address="127.0.0.1",
    )


def records(path: Path) -> list[dict]:
    out = []
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            out.append(
                {
                    "type": rec.rec_type,
                    "uri": rec.rec_headers.get_header("WARC-Target-URI"),
                    "version": rec.rec_headers.protocol,
                    "headers": dict(rec.rec_headers.headers),
                    "payload": rec.content_stream().read(),
                }
            )
    return out


def test_exchange_is_written_as_response_and_request_and_passes_warcio_check(tmp_path):
    writer = WarcFileWriter(tmp_path, "t", info={"nianbao-run": "7"})
    body = "<html>北京市科委2024年报</html>".encode()
    resp, req = write_page(writer, "https://kw.beijing.gov.cn/a.html", body)
    writer.close()
    (path,) = warc_files(tmp_path)
    recs = records(path)
    assert [r["type"] for r in recs] == ["warcinfo", "response", "request"]
    assert all(r["version"] == "WARC/1.1" for r in recs)
    assert b"nianbao-run: 7" in recs[0]["payload"]
    assert recs[1]["payload"] == body
    assert recs[1]["headers"]["WARC-Date"] == "2025-03-31T08:00:00.123456Z"
    assert recs[1]["headers"]["WARC-IP-Address"] == "127.0.0.1"
    assert recs[2]["headers"]["WARC-Concurrent-To"] == resp.record_id
    assert resp.payload_digest and resp.payload_digest.startswith("sha1:")
    assert warcio_check(path).returncode == 0
    # The stored location reads back the record.
    fh, rec = read_record(path, resp.offset)
    with fh:
        assert rec.rec_headers.get_header("WARC-Record-ID") == resp.record_id
        assert rec.content_stream().read() == body


def test_revisits_carry_the_1_1_profiles_and_refer_to_the_original(tmp_path):
    writer = WarcFileWriter(tmp_path, "t")
    resp, _ = write_page(writer, "https://a.gov.cn/x", b"same payload")
    original = RevisitOf(resp.record_id, "https://a.gov.cn/x", resp.warc_date, resp.payload_digest)
    same, _ = writer.write_revisit(
        url="http://a.gov.cn/x",
        refers_to=original,
        not_modified=False,
        status_line="200 OK",
        response_headers=[("Content-Type", "text/html")],
        when=WHEN,
        request_target="/x",
    )
    not_modified, _ = writer.write_revisit(
        url="https://a.gov.cn/x",
        refers_to=original,
        not_modified=True,
        status_line="304 Not Modified",
        response_headers=[("ETag", '"v1"')],
        when=WHEN,
        request_target="/x",
    )
    writer.close()
    (path,) = warc_files(tmp_path)
    revisits = [r for r in records(path) if r["type"] == "revisit"]
    assert [r["headers"]["WARC-Profile"] for r in revisits] == [PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED]
    for r in revisits:
        assert r["headers"]["WARC-Refers-To"] == resp.record_id
        assert r["headers"]["WARC-Refers-To-Target-URI"] == "https://a.gov.cn/x"
        assert r["headers"]["WARC-Payload-Digest"] == resp.payload_digest
        assert r["payload"] == b""  # headers only, the body is in the original record
    assert same.record_type == not_modified.record_type == "revisit"
    assert warcio_check(path).returncode == 0


def test_resource_record_for_a_file(tmp_path):
    writer = WarcFileWriter(tmp_path, "t")
    data = "金凤区科技局 2018 年政府信息公开工作年度报告".encode() * 50
    loc = writer.write_resource(
        uri="file:///data/seeds/004.txt",
        body=io.BytesIO(data),
        body_length=len(data),
        content_type="text/plain",
        when=WHEN,
    )
    writer.close()
    (path,) = warc_files(tmp_path)
    rec = records(path)[1]
    assert rec["type"] == "resource" and rec["uri"] == "file:///data/seeds/004.txt"
    assert rec["payload"] == data and rec["headers"]["Content-Type"] == "text/plain"
    assert loc.record_type == "resource"
    assert warcio_check(path).returncode == 0


def test_files_rotate_by_size_and_each_starts_with_warcinfo(tmp_path):
    writer = WarcFileWriter(tmp_path, "t", max_bytes=1500)
    locations = [write_page(writer, f"https://a.gov.cn/{i}", bytes(range(256)) * 4)[0] for i in range(6)]
    writer.close()
    paths = warc_files(tmp_path)
    assert len(paths) > 1
    assert [p.name for p in paths] == sorted(writer.closed_files)
    for path in paths:
        assert records(path)[0]["type"] == "warcinfo"
    assert warcio_check(*paths).returncode == 0
    assert {loc.filename for loc in locations} == {p.name for p in paths}


def test_an_open_file_is_named_open_and_locked_until_closed(tmp_path):
    writer = WarcFileWriter(tmp_path, "t")
    write_page(writer, "https://a.gov.cn/x", b"x")
    (open_file,) = tmp_path.glob("*.open")
    assert recover_open_files(tmp_path) == []  # the live writer holds its lock
    assert open_file.exists()
    writer.close()
    assert not list(tmp_path.glob("*.open"))


def _write_then_cut(directory: Path, cut_from_end: int) -> tuple[Path, int]:
    """Write a file as a crashed process would leave it: .open, its last record cut short."""
    writer = WarcFileWriter(directory, "crash")
    for i in range(5):
        write_page(writer, f"https://a.gov.cn/{i}", f"第{i}页".encode() * 200)
    name = writer.current_name
    writer._fh.close()  # noqa: SLF001 - simulate the process dying: no rename, lock released
    path = directory / (name + ".open")
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.truncate(size - cut_from_end)
    return path, size


@pytest.mark.parametrize("cut", [1, 7, 60, 200])
def test_recovery_keeps_every_complete_record_and_cuts_the_rest(tmp_path, cut):
    path, _ = _write_then_cut(tmp_path, cut)
    (recovered,) = recover_open_files(tmp_path)
    final = tmp_path / recovered.name
    assert not path.exists() and final.exists()
    kinds = [r["type"] for r in records(final)]
    # warcinfo + 5 × (response, request), the last record lost to the cut
    assert kinds == ["warcinfo"] + ["response", "request"] * 4 + ["response"]
    assert recovered.records == 10 and recovered.truncated_bytes > 0
    assert warcio_check(final).returncode == 0


def test_recovery_of_garbage_after_the_last_record(tmp_path):
    path, _ = _write_then_cut(tmp_path, 0)
    with open(path, "ab") as fh:
        fh.write(b"\x00" * 4096)  # what a crash can leave on some filesystems
    (recovered,) = recover_open_files(tmp_path)
    assert recovered.records == 11 and recovered.truncated_bytes == 4096
    assert warcio_check(tmp_path / recovered.name).returncode == 0


def test_recovery_of_a_file_with_nothing_complete_removes_it(tmp_path):
    (tmp_path / "x-00001.warc.gz.open").write_bytes(b"\x1f\x8b\x08\x00partial")
    (recovered,) = recover_open_files(tmp_path)
    assert recovered.removed and not list(tmp_path.iterdir())


def test_complete_members_on_a_cut_inside_the_gzip_header(tmp_path):
    path, _ = _write_then_cut(tmp_path, 0)
    data = path.read_bytes()
    with open(path, "rb") as fh:
        members = complete_members(fh)
    assert len(members) == 11 and members[-1][1] == len(data)
    with open(path, "ab") as fh:
        fh.write(b"\x1f\x8b")
    with open(path, "rb") as fh:
        assert complete_members(fh) == members


def test_a_failed_write_leaves_no_half_record(tmp_path):
    writer = WarcFileWriter(tmp_path, "t")
    write_page(writer, "https://a.gov.cn/ok", b"fine")

    class Broken(io.BytesIO):
        """Reads fine while warcio computes the digests, fails half-way through the write."""

        seeks = 0  # warcio seeks once before and once after its digest pass

        def seek(self, *args):  # noqa: ANN002, ANN202
            self.seeks += 1
            return super().seek(*args)

        def read(self, n=-1):  # noqa: ANN001, ANN202
            if self.seeks >= 2 and self.tell() > 10:
                raise OSError("disk went away")
            return super().read(min(n, 11) if n and n > 0 else 11)

    with pytest.raises(OSError):
        writer.write_exchange(
            url="https://a.gov.cn/broken",
            method="GET",
            request_target="/broken",
            request_headers=[],
            request_body=b"",
            status_line="200 OK",
            response_headers=[],
            body=Broken(b"y" * 100),
            body_length=100,
            when=WHEN,
        )
    write_page(writer, "https://a.gov.cn/after", b"after")
    writer.close()
    (path,) = warc_files(tmp_path)
    assert [r["uri"] for r in records(path)][1:] == ["https://a.gov.cn/ok"] * 2 + [
        "https://a.gov.cn/after"
    ] * 2
    assert warcio_check(path).returncode == 0
