"""Batched capture (storage/capture_batch.py, what a crawl uses) leaves the archive as capturing the same
exchanges one by one with `record_exchange` does: same records, rows, URL states and answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from storage.archive import Archive, HttpExchange
from storage.capture_batch import record_exchanges
from storage.errors import FileTooLarge
from storage.models import Blob, Fetch, UrlState
from storage.settings import Settings
from storage.warc import read_record
from tests.conftest import empty_all_tables

T0 = datetime(2025, 3, 31, 8, 0, tzinfo=UTC)


def page(url: str, body: bytes, status: int = 200, minute: int = 0, **headers: str) -> HttpExchange:
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
        fetched_at=T0 + timedelta(minutes=minute),
    )


# Batches of one crawl and of the next: new URLs, twins (the same payload elsewhere), a URL twice in one
# batch, 404s, then 304s, changed content, and a 304 after a 304 (its revisit refers to the original).
BATCHES = [
    [
        page("https://a.gov.cn/1.html", b"one", ETag='"e1"'),
        page("https://a.gov.cn/2.html", b"two", Last_Modified="Mon, 31 Mar 2025 08:00:00 GMT"),
        page("https://a.gov.cn/404", b"not found", status=404),
        page("https://a.gov.cn/3.html", b"three", minute=1),
        page("https://a.gov.cn/3.html", b"three, again changed", minute=2),
    ],
    [
        page("http://a.gov.cn/1.html", b"one", minute=3),  # the same payload at a twin URL: a revisit
        page("https://a.gov.cn/1.html", b"", status=304, minute=4),
        page("https://a.gov.cn/2.html", b"two, changed", minute=5),
        page("https://a.gov.cn/404", b"", status=404, minute=6),
    ],
    [
        page("https://a.gov.cn/1.html", b"", status=304, minute=7, ETag='"e1"'),
        page("https://a.gov.cn/3.html", b"three, again changed", minute=8),
    ],
]


def archive_state(archive: Archive) -> dict:
    """The archive's rows without ids, offsets and file names: what must not depend on batching."""
    with archive.db.session() as s:
        fetches = s.scalars(select(Fetch).order_by(Fetch.id)).all()
        by_id = {f.id: i for i, f in enumerate(fetches)}
        rows = []
        for f in fetches:
            _fh, rec = read_record(archive.settings.warc_dir / f.warc_file, f.warc_offset)
            with _fh:
                refers_to = rec.rec_headers.get_header("WARC-Refers-To-Target-URI")
            rows.append(
                (
                    f.url,
                    f.final_url,
                    f.status,
                    f.sha256,
                    f.size,
                    f.wire_size,
                    f.media_type,
                    f.etag,
                    f.last_modified,
                    f.warc_record_type,
                    f.payload_digest,
                    by_id.get(f.revisit_of_id),
                    f.fetched_at,
                    rec.rec_type,
                    refers_to,
                )
            )
        states = sorted(
            (
                u.url,
                u.first_seen,
                u.last_seen,
                u.last_changed,
                u.etag,
                u.last_modified,
                u.sha256,
                u.status,
                by_id.get(u.fetch_id),
            )
            for u in s.scalars(select(UrlState))
        )
        blobs = sorted((b.sha256, b.size, b.media_type) for b in s.scalars(select(Blob)))
    return {"fetches": rows, "url_state": states, "blobs": blobs}


def answers(records: list) -> list:
    return [
        (r.url, r.status, r.sha256, r.revisit, r.changed, r.new_blob, r.warc.record_type) for r in records
    ]


def test_batches_leave_the_archive_as_single_captures_do(database_url, tmp_path):
    with Archive(Settings(database_url=database_url, data_dir=tmp_path / "one")) as archive:
        run = archive.open_run("crawl", source="s")
        single = [answers([archive.record_exchange(run, e, source="s") for e in batch]) for batch in BATCHES]
        archive.close_run(run)
        expected = archive_state(archive)
    empty_all_tables(database_url)
    with Archive(Settings(database_url=database_url, data_dir=tmp_path / "batched")) as archive:
        run = archive.open_run("crawl", source="s")
        batched = []
        for batch in BATCHES:
            results = record_exchanges(archive, run, batch, ["s"] * len(batch))
            assert not [r for r in results if isinstance(r, Exception)]
            batched.append(answers(results))
        archive.close_run(run)
        got = archive_state(archive)
    assert batched == single
    assert got == expected
    # What the sequence means, spelled out for a few of them:
    first, second, third = batched
    assert [a[4] for a in first] == [True, True, False, True, True]  # new content (the 404 has none)
    assert second[0][3] and second[1][3] and not second[1][4]  # twin and 304: revisits, nothing changed
    assert second[2][4]  # 2.html changed
    assert third[0][3] and not third[1][4]
    # The 304 after a 304 refers to the first response, not to the revisit in between.
    assert got["fetches"][-2][11] == 0 and got["fetches"][-2][14] == "https://a.gov.cn/1.html"


def test_one_bad_exchange_does_not_keep_the_others_out(database_url, tmp_path):
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data", max_file_bytes=10)
    with Archive(settings) as archive:
        run = archive.open_run("crawl", source="s")
        results = record_exchanges(
            archive,
            run,
            [page("https://a.gov.cn/ok", b"small"), page("https://a.gov.cn/big", b"x" * 11)],
            ["s", "s"],
        )
        archive.close_run(run)
        assert isinstance(results[1], FileTooLarge)
        assert results[0].changed and archive.read_blob(results[0].sha256) == b"small"
        with archive.db.session() as s:
            assert s.scalars(select(Fetch.url)).all() == ["https://a.gov.cn/ok"]


def test_a_url_state_created_meanwhile_falls_back_to_one_at_a_time(database_url, tmp_path):
    """Another writer creating a URL's state between our read and our insert: the batch is written again
    one exchange at a time (each then sees the row) instead of failing."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time: no other writer can get in between")
    with Archive(Settings(database_url=database_url, data_dir=tmp_path / "data")) as archive:
        run = archive.open_run("crawl", source="s")
        import storage.capture_batch as cb

        original = cb._update_url_states
        calls = []

        class Racing:
            """The real session and connection; the other writer commits its row for /x just before our
            url_state insert."""

            def __init__(self, real):  # noqa: ANN001
                self.real = real

            def connection(self):  # noqa: ANN202
                return Racing(self.real.connection())

            def get_bind(self):  # noqa: ANN202
                return self.real.get_bind()

            def execute(self, statement, *args):  # noqa: ANN001, ANN202
                if (
                    "raced" not in calls
                    and getattr(statement, "is_insert", False)
                    and statement.table.name == "url_state"
                ):
                    with Archive(archive.settings) as other:
                        other_run = other.open_run("crawl", source="s")
                        other.record_exchange(other_run, page("https://a.gov.cn/x", b"theirs"))
                        other.close_run(other_run)
                    calls.append("raced")
                return self.real.execute(statement, *args)

        def racing(s, batch, fetch_rows, ids):  # noqa: ANN001, ANN202
            calls.append(len(batch))
            return original(Racing(s), batch, fetch_rows, ids)

        cb._update_url_states = racing
        try:
            results = record_exchanges(
                archive,
                run,
                [page("https://a.gov.cn/x", b"ours"), page("https://a.gov.cn/y", b"y")],
                ["s", "s"],
            )
        finally:
            cb._update_url_states = original
        archive.close_run(run)
        assert not [r for r in results if isinstance(r, Exception)]
        assert calls == [2, "raced", 1, 1]
        assert archive.url_state("https://a.gov.cn/x").sha256 == results[0].sha256
