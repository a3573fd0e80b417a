"""The source row's rules as a specification, without a database: state + fetch outcome + clock → fields."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from agentoire_app.ingest import schedule
from agentoire_app.ingest.fetch import FetchResult
from agentoire_app.ingest.parse import ParsedFeed
from agentoire_app.ingest.source_rules import SourceState, decide, error_line, new_source_fields
from agentoire_app.models import Source
from agentoire_app.models.news import SOURCE_ETAG_CHARS, SOURCE_TITLE_CHARS, SOURCE_URL_CHARS
from agentoire_app.models.text import storable

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
BASE = 900
URL = "https://example.com/feed"


def _decide(state: SourceState, fetched: FetchResult, parsed: ParsedFeed | None = None, error: str = "",
            note: str = ""):  # type: ignore[no-untyped-def]
    return decide(state, fetched, parsed, error, now=NOW, base=BASE, rng=random.Random(7), note=note)


def _feed(**kwargs) -> ParsedFeed:  # type: ignore[no-untyped-def]
    return ParsedFeed(**{"title": "A feed", "site_url": "https://example.com/", "ttl_minutes": None, **kwargs})


def test_a_success_resets_the_error_count_keeps_the_validators_and_waits_the_base_interval() -> None:
    update = _decide(SourceState(URL, error_count=3), FetchResult(URL, "ok", etag='"v1"', last_modified="Sat"),
                     _feed())
    assert update.fields == {
        "last_fetched_at": NOW, "error_count": 0, "etag": '"v1"', "last_modified": "Sat", "interval_seconds": None,
        "next_fetch_at": NOW + timedelta(seconds=BASE), "last_status": "ok", "last_error": "",
        "title": "A feed", "site_url": "https://example.com/",
    }
    assert update.move_to is None


def test_a_success_keeps_a_title_and_site_the_operator_already_has() -> None:
    update = _decide(SourceState(URL, title="Mine", site_url="https://mine.example/"), FetchResult(URL, "ok"),
                     _feed())
    assert "title" not in update.fields and "site_url" not in update.fields


def test_a_success_shows_the_parse_warning_and_the_note_side_by_side() -> None:
    update = _decide(SourceState(URL), FetchResult(URL, "ok"), _feed(warning="bozo\x00"), note="kept 200")
    assert update.fields["last_error"] == "bozo; kept 200"


def test_a_long_feed_ttl_lengthens_the_interval_up_to_the_cap() -> None:
    update = _decide(SourceState(URL), FetchResult(URL, "ok"), _feed(ttl_minutes=24 * 60))
    assert update.fields["interval_seconds"] == schedule.MAX_INTERVAL
    assert update.fields["next_fetch_at"] == NOW + timedelta(seconds=schedule.MAX_INTERVAL)


def test_a_304_keeps_the_interval_the_last_full_fetch_learned() -> None:
    update = _decide(SourceState(URL, interval_seconds=3600), FetchResult(URL, "not_modified", etag='"v1"'))
    assert update.fields["last_status"] == "not_modified"
    assert update.fields["last_error"] == ""
    assert update.fields["interval_seconds"] == 3600
    assert update.fields["next_fetch_at"] == NOW + timedelta(seconds=3600)
    assert "title" not in update.fields


def test_an_error_counts_and_backs_off_exponentially_with_jitter() -> None:
    update = _decide(SourceState(URL, error_count=2), FetchResult(URL, "error", error="HTTP 500"))
    assert update.fields["last_status"] == "error"
    assert update.fields["error_count"] == 3
    expected = schedule.backoff_seconds(BASE, 3, random.Random(7))
    assert update.fields["next_fetch_at"] == NOW + timedelta(seconds=expected)
    assert BASE * 4 * 0.8 <= expected <= BASE * 4 * 1.2
    assert "etag" not in update.fields  # the validators of the last good fetch stay


def test_an_error_honours_retry_after_within_its_bounds() -> None:
    update = _decide(SourceState(URL), FetchResult(URL, "error", error="HTTP 429", retry_after=5))
    assert update.fields["next_fetch_at"] == NOW + timedelta(seconds=schedule.MIN_RETRY_AFTER)


def test_a_body_that_is_not_a_feed_is_an_error_even_after_a_200() -> None:
    update = _decide(SourceState(URL), FetchResult(URL, "ok"), None, error="an HTML page\x00, not a feed")
    assert update.fields["last_status"] == "error"
    assert update.fields["last_error"] == "an HTML page, not a feed"


def test_a_410_retires_the_source_and_sets_no_next_fetch() -> None:
    update = _decide(SourceState(URL, error_count=1), FetchResult(URL, "gone", error="HTTP 410 Gone"))
    assert update.fields == {"last_fetched_at": NOW, "retired": True, "last_status": "gone",
                             "last_error": "HTTP 410 Gone", "error_count": 2}


def test_a_permanent_redirect_proposes_the_new_url_cut_to_the_column() -> None:
    target = "https://example.org/" + "a" * 2000
    update = _decide(SourceState(URL), FetchResult(URL, "ok", permanent_url=target), _feed())
    assert update.move_to == target[:SOURCE_URL_CHARS]
    assert _decide(SourceState(URL), FetchResult(URL, "ok", permanent_url=URL), _feed()).move_to is None


def test_server_text_is_cut_to_its_column_and_rid_of_nul() -> None:
    update = _decide(SourceState(URL), FetchResult(URL, "ok", etag="e\x00" * 600), _feed(title="T\x00" * 600))
    assert update.fields["etag"] == "e" * SOURCE_ETAG_CHARS
    assert update.fields["title"] == "T" * SOURCE_TITLE_CHARS


def test_an_empty_validator_is_no_validator() -> None:
    assert _decide(SourceState(URL), FetchResult(URL, "ok", etag=""), _feed()).fields["etag"] is None


def test_a_new_source_is_due_at_once_and_never_fetched() -> None:
    fields = new_source_fields(URL, title="x" * 400, site_url="", added_by="public", now=NOW)
    source = Source(**fields)
    assert (source.next_fetch_at, source.last_status, source.error_count, source.retired) == (NOW, "never", 0, False)
    assert source.title == "x" * SOURCE_TITLE_CHARS


def test_the_source_table_declares_the_sizes_the_rules_cut_to() -> None:
    columns = Source.__table__.c  # type: ignore[attr-defined]
    assert columns.url.type.length == SOURCE_URL_CHARS
    assert columns.title.type.length == SOURCE_TITLE_CHARS
    assert columns.etag.type.length == SOURCE_ETAG_CHARS


def test_storable_drops_nul_and_cuts_only_when_asked() -> None:
    assert storable("a\x00b") == "ab"
    assert storable("abcdef", 3) == "abc"
    assert storable("a\x00bcd", 3) == "abc"  # NUL goes first, so the cut keeps three real characters


def test_our_own_error_lines_are_one_short_line() -> None:
    line = error_line("could not store", ValueError("first\nsecond" + "x" * 1000))
    assert line.startswith("could not store: ValueError: first")
    assert "\n" not in line and len(line) <= 500
