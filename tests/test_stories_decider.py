"""The story decider on real items: same event joins, same company with different news stays apart,
reprints always join, the window bounds how late an article may join, and order of arrival changes nothing."""

from __future__ import annotations

import random
from datetime import timedelta

from stories_items import features, item, items

from agentoire_app.stories.assign import StoryAssigner, order_for_assignment
from agentoire_app.stories.features import ArticleFeatures, DocumentFrequencies, article_features


def _everything() -> list[ArticleFeatures]:
    """The whole labelled set: the IDF that says which names are rare is a real day's."""
    return [features(i, raw) for i, raw in enumerate(items())]


def _group(chosen: list[ArticleFeatures], background: list[ArticleFeatures] | None = None) -> dict[int, int]:
    everyone = background if background is not None else _everything()
    assigner = StoryAssigner(DocumentFrequencies([*everyone, *chosen]))
    return {a.key: assigner.assign(a)[0] for a in order_for_assignment(chosen)}


def _key(start: str, source: str | None = None) -> int:
    raw = item(start, source)
    return items().index(raw)


def test_reports_of_one_launch_from_different_outlets_are_one_story() -> None:
    keys = [_key("Meet Snapdragon X2 Plus"), _key("CES 2026: Qualcomm Introduces Snapdragon X2 Plus"),
            _key("CES 2026: Qualcomm brings Snapdragon X2 Plus")]
    everything = _everything()
    stories = _group([everything[k] for k in keys], everything)
    assert len(set(stories.values())) == 1


def test_one_funding_style_figure_ties_reports_together() -> None:
    keys = [_key("Exclusive-Samsung to double"), _key("Samsung to Double Galaxy AI"),
            _key("Samsung to double number of mobile AI devices")]
    everything = _everything()
    assert len(set(_group([everything[k] for k in keys], everything).values())) == 1


def test_same_company_different_news_stays_apart() -> None:
    everything = _everything()
    cases = [
        ("Exclusive-Samsung to double", "Samsung Unveils AI-Powered Home Ecosystem"),
        ("Nvidia Reportedly Combatting GPU Shortages", "Everything NVIDIA announced at CES 2026"),
        ("Microsoft Edge is getting a Copilot", 'Microsoft Office renamed to "Microsoft 365'),
        ("SwitchBot says its humanoid household robot", "SwitchBot’s AI audio recorder"),
    ]
    for first, second in cases:
        stories = _group([everything[_key(first)], everything[_key(second)]], everything)
        assert len(set(stories.values())) == 2, (first, second)


def test_a_reprint_under_another_url_always_joins() -> None:
    raw = item("Viral Reddit Post About Food Delivery Apps Was an AI Scam")
    original = features(1, raw)
    # the same headline with different punctuation and an empty lead: nothing but the headline to go on
    reprint = article_features(2, raw["title"].upper() + "!", "", published_at=original.published_at,
                               source="Elsewhere")
    assert len(set(_group([original, reprint]).values())) == 1


def test_a_late_report_joins_an_open_story_but_not_one_closed_by_the_window() -> None:
    first = features(1, item("Plaud NotePin S Launched"))
    late = features(2, item("Plaud's latest AI wearable"), shift=timedelta(days=2))
    too_late = features(3, item("Plaud's latest AI wearable"), shift=timedelta(days=6),
                        title="Plaud NotePin S wearable gets a button for flagging key moments")
    assert len(set(_group([first, late]).values())) == 1
    assert len(set(_group([first, too_late]).values())) == 2


def test_the_order_of_arrival_does_not_change_the_stories() -> None:
    everything = _everything()
    reference = _group(everything, everything)
    shuffled = everything[:]
    random.Random(7).shuffle(shuffled)
    again = _group(shuffled, everything)
    assert reference == again
