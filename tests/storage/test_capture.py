"""Capturing exchanges and files: WARC records, blobs and fetch rows, consistent with each other."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from storage.archive import Archive, HttpExchange
from storage.errors import FileTooLarge, InputRejected
from storage.models import Blob, Fetch, UrlState
from storage.settings import Settings
from storage.warc import PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, read_record, warc_files

PAGE = "<html><body><div id='zoom'>北京市科学技术委员会2024年政府信息公开工作年度报告</div></body></html>".encode()


def page(url: str, body: bytes = PAGE, status: int = 200, **headers: str) -> HttpExchange:
    hdrs = [
        ("Content-Type", "text/html; charset=utf-8"),
        *[(k.replace("_", "-"), v) for k, v in headers.items()],
    ]
    return HttpExchange(
        url=url,
        status=status,
        response_headers=hdrs,
        body=body,
        request_headers=[("User-Agent", "nianbao-test")],
    )


def count(archive: Archive, model) -> int:  # noqa: ANN001
    with archive.db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def warc_record_of(archive: Archive, fetch_id: int):  # noqa: ANN201
    row = archive.fetch_row(fetch_id)
    fh, rec = read_record(archive.settings.warc_dir / row.warc_file, row.warc_offset)
    with fh:
        # raw_stream: the payload as stored (content_stream() would undo its Content-Encoding)
        return rec.rec_type, dict(rec.rec_headers.headers), rec.raw_stream.read(), row


def test_an_exchange_is_archived_in_warc_blob_and_fetch_row(archive):
    run = archive.open_run("crawl", source="kw.beijing.gov.cn")
    body = gzip.compress(PAGE)
    fetch = archive.record_exchange(
        run, page("https://kw.beijing.gov.cn/zwgk/t1.html", body, Content_Encoding="gzip", ETag='"v1"')
    )
    archive.close_run(run)
    # The blob holds the decoded bytes, named by their sha256.
    assert fetch.sha256 == hashlib.sha256(PAGE).hexdigest()
    assert archive.read_blob(fetch.sha256) == PAGE
    # The WARC record holds the body as received (still gzip'd), with its headers.
    rec_type, headers, payload, row = warc_record_of(archive, fetch.id)
    assert rec_type == "response" and payload == body
    assert headers["WARC-Target-URI"] == "https://kw.beijing.gov.cn/zwgk/t1.html"
    assert headers["WARC-Record-ID"] == row.warc_record_id
    # The row has the provenance.
    assert row.status == 200 and row.etag == '"v1"' and row.media_type == "text/html"
    assert row.size == len(PAGE) and row.wire_size == len(body)
    assert row.run_id == run.id and row.fetched_at.tzinfo is not None
    assert ["User-Agent", "nianbao-test"] in row.request_headers
    assert fetch.changed and fetch.new_blob and not fetch.revisit
    (path,) = warc_files(archive.settings.warc_dir)
    assert subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)]).returncode == 0


def test_the_same_payload_at_another_url_is_a_revisit_and_no_new_blob(archive):
    run = archive.open_run("crawl", source="kw.beijing.gov.cn")
    first = archive.record_exchange(run, page("https://kw.beijing.gov.cn/a.html"))
    twin = archive.record_exchange(run, page("http://kw.beijing.gov.cn/a.html"))
    archive.close_run(run)
    assert twin.revisit and not twin.new_blob and twin.sha256 == first.sha256
    rec_type, headers, payload, row = warc_record_of(archive, twin.id)
    assert rec_type == "revisit" and payload == b""
    assert headers["WARC-Profile"] == PROFILE_IDENTICAL
    assert headers["WARC-Refers-To-Target-URI"] == "https://kw.beijing.gov.cn/a.html"
    assert row.revisit_of_id == first.id
    assert count(archive, Blob) == 1 and count(archive, Fetch) == 2


def test_conditional_get_and_304_revisit(archive):
    run = archive.open_run("crawl", source="s")
    url = "https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/202503/t20250331_4050078.html"
    assert archive.conditional_headers(url) == {}
    first = archive.record_exchange(
        run, page(url, ETag='"abc"', Last_Modified="Mon, 31 Mar 2025 08:00:00 GMT")
    )
    assert archive.conditional_headers(url) == {
        "If-None-Match": '"abc"',
        "If-Modified-Since": "Mon, 31 Mar 2025 08:00:00 GMT",
    }
    again = archive.record_exchange(run, page(url, b"", status=304, ETag='"abc"'))
    archive.close_run(run)
    assert again.revisit and not again.changed and again.sha256 == first.sha256
    rec_type, headers, _, row = warc_record_of(archive, again.id)
    assert rec_type == "revisit" and headers["WARC-Profile"] == PROFILE_NOT_MODIFIED
    assert headers["WARC-Refers-To"] == archive.fetch_row(first.id).warc_record_id
    assert row.status == 304 and row.revisit_of_id == first.id
    state = archive.url_state(url)
    assert state.status == 304 and state.sha256 == first.sha256 and state.etag == '"abc"'
    assert state.last_changed == archive.fetch_row(first.id).fetched_at


def test_changed_content_updates_url_state(archive):
    run = archive.open_run("crawl", source="s")
    url = "https://a.gov.cn/report.html"
    one = archive.record_exchange(run, page(url, b"version one"))
    same = archive.record_exchange(run, page(url, b"version one"))
    two = archive.record_exchange(run, page(url, b"version two"))
    archive.close_run(run)
    assert one.changed and not same.changed and two.changed
    assert archive.url_state(url).sha256 == two.sha256
    assert archive.read_blob(one.sha256) == b"version one"  # nothing overwritten


def test_a_body_that_cannot_be_decoded_is_kept_as_received(archive):
    run = archive.open_run("crawl", source="s")
    broken = b"\x1f\x8b\x08\x00not really gzip"
    fetch = archive.record_exchange(run, page("https://a.gov.cn/x.pdf", broken, Content_Encoding="gzip"))
    archive.close_run(run)
    assert "could not decode Content-Encoding 'gzip'" in fetch.error
    assert archive.read_blob(fetch.sha256) == broken
    assert archive.fetch_row(fetch.id).error == fetch.error


def test_network_failures_are_recorded_without_bytes(archive):
    run = archive.open_run("crawl", source="s")
    fid = archive.record_failure(run, "https://gone.gov.cn/", "DNS lookup failed")
    archive.close_run(run)
    row = archive.fetch_row(fid)
    assert row.error == "DNS lookup failed" and row.status is None and row.warc_file is None


def test_record_file_archives_a_resource_and_is_idempotent(archive, tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes("北京市丰台区科学技术和信息化局2020年政府信息公开工作年度报告".encode())
    run = archive.open_run("ingest", source="files")
    first = archive.record_file(run, path)
    again = archive.record_file(run, path)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(path.read_bytes())
    twin = archive.record_file(run, copy)
    archive.close_run(run)
    assert first.final_url == path.resolve().as_uri() and first.new_blob and not first.revisit
    assert again.already_archived and again.id == first.id
    assert twin.revisit and not twin.new_blob and twin.sha256 == first.sha256
    rec_type, headers, payload, row = warc_record_of(archive, first.id)
    assert rec_type == "resource" and payload == path.read_bytes()
    assert headers["Content-Type"] == "text/plain" and row.method == "FILE"
    rec_type, headers, _, _ = warc_record_of(archive, twin.id)
    assert rec_type == "revisit" and headers["WARC-Refers-To-Target-URI"] == first.final_url
    assert count(archive, Fetch) == 2 and count(archive, Blob) == 1


def test_bad_files_are_refused_with_clear_messages(database_url, tmp_path):
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data", max_file_bytes=1000)
    with Archive(settings) as archive:
        run = archive.open_run("ingest", source="files")
        empty = tmp_path / "empty.pdf"
        empty.write_bytes(b"")
        big = tmp_path / "big.pdf"
        big.write_bytes(b"%PDF" + b"0" * 2000)
        with pytest.raises(InputRejected, match="empty file"):
            archive.record_file(run, empty)
        with pytest.raises(FileTooLarge, match="2,004 bytes is larger than the limit of 1,000"):
            archive.record_file(run, big)
        with pytest.raises(InputRejected, match="no such file"):
            archive.record_file(run, tmp_path / "missing.doc")
        with pytest.raises(InputRejected, match="not a regular file"):
            archive.record_file(run, tmp_path)
        archive.close_run(run)
        assert count(archive, Fetch) == 0 and count(archive, Blob) == 0
        assert list(archive.blobs.iter_sha256()) == []


def test_a_response_larger_than_the_limit_is_refused(database_url, tmp_path):
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data", max_file_bytes=100)
    with Archive(settings) as archive:
        run = archive.open_run("crawl", source="s")
        with pytest.raises(FileTooLarge):
            archive.record_exchange(run, page("https://a.gov.cn/big", b"x" * 101))
        archive.close_run(run)
        assert count(archive, Fetch) == 0


def test_close_run_names_its_warc_files_and_interrupted_runs_are_marked(archive, settings):
    run = archive.open_run("crawl", source="s")
    archive.record_exchange(run, page("https://a.gov.cn/1"))
    files = archive.close_run(run, stats={"pages": 1})
    assert files == [p.name for p in warc_files(settings.warc_dir)]
    with archive.db.session() as s:
        from storage.models import CrawlRun

        row = s.get(CrawlRun, run.id)
        assert row.status == "finished" and row.stats == {"pages": 1, "warc_files": files}
        # A run whose process died stays `running` until the next open_run on this host notices.
        ghost = CrawlRun(
            kind="crawl", started_at=row.started_at, status="running", hostname=row.hostname, pid=2**22 + 7
        )
        s.add(ghost)
    archive.open_run("crawl", source="s")
    with archive.db.session() as s:
        assert s.get(CrawlRun, ghost.id).status == "interrupted"


def test_url_state_rows_per_url(archive):
    run = archive.open_run("crawl", source="s")
    archive.record_exchange(run, page("https://a.gov.cn/1"))
    archive.record_exchange(run, page("https://a.gov.cn/1"))
    archive.record_exchange(run, page("https://a.gov.cn/404", b"not found", status=404))
    archive.close_run(run)
    with archive.db.session() as s:
        states = {u.url: u for u in s.scalars(select(UrlState))}
    assert set(states) == {"https://a.gov.cn/1", "https://a.gov.cn/404"}
    assert states["https://a.gov.cn/404"].status == 404 and states["https://a.gov.cn/404"].sha256 is None


def test_a_read_only_data_directory_is_reported_before_anything_is_written(database_url, tmp_path):
    from storage.errors import DataDirNotWritable
    from tests.storage.helpers import read_only_directory

    data = tmp_path / "ro"
    data.mkdir()
    with read_only_directory(data), Archive(Settings(database_url=database_url, data_dir=data)) as archive:
        with pytest.raises(DataDirNotWritable, match="cannot write"):
            archive.open_run("crawl", source="s")
        assert count(archive, Fetch) == 0


@pytest.fixture
def run_and_archive(archive):  # noqa: ANN201
    return archive, archive.open_run("crawl", source="s")


def test_payload_digest_lookup_ignores_revisits(run_and_archive):
    archive, run = run_and_archive
    a = archive.record_exchange(run, page("https://a.gov.cn/1"))
    b = archive.record_exchange(run, page("https://a.gov.cn/2"))
    c = archive.record_exchange(run, page("https://a.gov.cn/3"))
    archive.close_run(run)
    assert archive.fetch_row(b.id).revisit_of_id == a.id
    assert archive.fetch_row(c.id).revisit_of_id == a.id


def test_files_are_streamed_into_the_archive(database_url, tmp_path):
    """A 30 MB file goes through without being read whole (peak traced memory stays far below it)."""
    import tracemalloc

    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:
        for i in range(30):
            fh.write(hashlib.sha256(str(i).encode()).digest() * (1024 * 1024 // 32))
    with Archive(Settings(database_url=database_url, data_dir=tmp_path / "data")) as archive:
        run = archive.open_run("ingest", source="files")
        tracemalloc.start()
        fetch = archive.record_file(run, big)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        archive.close_run(run)
        assert fetch.size == 30 * 1024 * 1024
        assert peak < 12 * 1024 * 1024, f"peak {peak:,} bytes"
        assert archive.blobs.verify(fetch.sha256)
