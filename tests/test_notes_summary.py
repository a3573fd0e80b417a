"""The article page's body under its summary: the summary's words are never shown twice, the rest stays."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agentoire_app.ingest.clean import html_to_text
from agentoire_app.notes.summary import body_without_summary, make_summary

LEAD = "Acme released Orca 2.1, a 70B model, under the Apache 2.0 licence."


def test_the_lead_is_cut_and_the_paragraph_after_it_kept_with_its_markup() -> None:
    body = f'<p>{LEAD} It runs on <a href="https://orca.example">one GPU</a>.</p><p>More &amp; later.</p>'
    assert body_without_summary(LEAD, body) == (
        '<p>It runs on <a href="https://orca.example">one GPU</a>.</p><p>More &amp; later.</p>')


def test_a_lead_that_spans_markup_is_cut_across_it() -> None:
    body = "<p><strong>Acme</strong> released Orca 2.1, a 70B model, under the <em>Apache 2.0</em> licence.</p><p>Next.</p>"
    assert body_without_summary(LEAD, body) == "<p>Next.</p>"


def test_a_body_that_is_only_the_summary_is_not_shown() -> None:
    assert body_without_summary(LEAD, f"<p>{LEAD}</p>") == ""


def test_a_kicker_before_the_lead_stays_and_the_lead_goes() -> None:
    body = f"<p>Exclusive.</p><p>{LEAD}</p><p>It ships today.</p>"
    summary = make_summary(dek_text="", body_text=html_to_text(body))
    assert summary == f"{LEAD} It ships today."
    assert body_without_summary(LEAD, body) == "<p>Exclusive.</p><p>It ships today.</p>"
    assert body_without_summary(summary, body) == "<p>Exclusive.</p>"


def test_a_summary_cut_short_takes_the_rest_of_its_sentence() -> None:
    body = f"<p>{LEAD} Then another sentence.</p>"
    assert body_without_summary("Acme released Orca 2.1, a 70B mo…", body) == "<p>Then another sentence.</p>"


def test_a_summary_from_elsewhere_leaves_the_body_whole() -> None:
    body = f"<p>{LEAD}</p>"
    assert body_without_summary("A dek written by the editors for this story.", body) == body


@settings(deadline=200, max_examples=200)
@given(st.text(alphabet="ab <>&;/p.\u00e9", max_size=300), st.text(alphabet="ab .", max_size=60))
def test_hostile_markup_never_grows_into_tags(body_text: str, summary: str) -> None:
    # Text between tags is re-escaped when cut: no '<' of the text can become markup.
    body = "<p>" + body_text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>"
    shown = body_without_summary(summary, body)
    assert shown.count("<") <= body.count("<")
