"""What tells one event from another besides shared words, on real items: a preview or live blog is not
the event's report, headlines whose numbers or kinds of event disagree are two events, a name spelt in a
Title Case headline is still a name, and the meaning of two reports joins them when their words differ."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from stories_items import features, item, items

from agentoire_app.stories.assign import StoryAssigner, conflicting, order_for_assignment
from agentoire_app.stories.features import (
    ArticleFeatures,
    DocumentFrequencies,
    article_features,
    headline_actions,
    headline_kind,
    headline_numbers,
)
from agentoire_app.stories.meaning import alike, meaning


def _everything() -> list[ArticleFeatures]:
    return [features(i, raw) for i, raw in enumerate(items())]


def _stories(*title_starts: str) -> int:
    """How many stories the decider makes of these items, against the whole labelled window's IDF."""
    everything = _everything()
    chosen = [everything[items().index(item(start))] for start in title_starts]
    assigner = StoryAssigner(DocumentFrequencies(everything))
    return len({assigner.assign(a)[0] for a in order_for_assignment(chosen)})


def _fold_all(title: str) -> list[str]:
    return list(article_features(0, title, "", published_at=datetime(2026, 1, 5, tzinfo=UTC), source="x").title_key)


def test_how_to_watch_pieces_form_their_own_story_apart_from_the_keynote_news() -> None:
    assert headline_kind("How to Watch Nvidia's CES 2026 Keynote Live") == "preview"
    assert headline_kind("CES 2026: When, Where to Watch Nvidia CEO Jensen Huang’s Keynote") == "preview"
    assert headline_kind("Nvidia's CES 2026 keynote live - all the latest news") == "live"
    assert headline_kind("Jensen Huang Says Nvidia’s New Vera Rubin Chips Are in ‘Full Production’") == ""
    assert _stories("How to watch the NVIDIA CES 2026 press conference", "CES 2026: When, Where to Watch Nvidia") == 1
    assert _stories("How to watch the NVIDIA CES 2026 press conference", "Everything NVIDIA announced at CES") == 2
    assert _stories("CES 2026: When, Where to Watch Nvidia", "Nvidia Details New A.I. Chips") == 2


def test_headlines_whose_numbers_disagree_report_different_things() -> None:
    assert headline_numbers(_fold_all("NVIDIA is reportedly bringing back 2021's RTX 3060 GPU")) == {"3060"}
    assert headline_numbers(_fold_all("Samsung to double mobile AI devices in 2026")) == frozenset()  # years say nothing
    assert _stories("AMD adds Ryzen 7 9850X3D", "AMD’s Ryzen AI 400 processors") == 2
    assert _stories("PC gamers face a miserable new year as Nvidia RTX 5000",
                    "NVIDIA is reportedly bringing back 2021's RTX 3060") == 2
    # a shared figure is no conflict
    assert _stories("Samsung to Double Galaxy AI Mobile Devices to 800", "Exclusive-Samsung to double mobile") == 1


def test_a_partnership_and_an_unveiling_by_one_maker_are_two_events() -> None:
    assert headline_actions(_fold_all("Boston Dynamics and DeepMind form new AI partnership")) == {"deal"}
    assert headline_actions(_fold_all("Hyundai and Boston Dynamics unveil humanoid robot Atlas at CES")) == {"launch"}
    assert headline_actions(_fold_all("Google Gemini Is Taking Control of Humanoid Robots")) == frozenset()
    everything = _everything()
    deal = everything[items().index(item("Boston Dynamics and DeepMind form new AI partnership"))]
    unveiling = everything[items().index(item("Hyundai and Boston Dynamics unveil humanoid robot Atlas"))]
    debut = everything[items().index(item("Boston Dynamics' New Atlas Robot Make Public Debut"))]
    assert conflicting(deal, unveiling)
    assert not conflicting(unveiling, debut)  # both say launch
    assert _stories("Boston Dynamics and DeepMind form new AI partnership",
                    "Hyundai and Boston Dynamics unveil humanoid robot Atlas") == 2


def test_a_name_in_a_title_case_headline_is_a_name_when_the_window_never_writes_it_in_lower_case() -> None:
    everything = _everything()
    rubin = everything[items().index(item("Nvidia New Rubin Platform Shows Memory"))]
    assert "rubin" not in rubin.names  # Title Case: its spelling alone cannot tell
    window = DocumentFrequencies(everything)
    assert "rubin" in window.names(rubin)
    assert "memory" not in window.names(rubin)  # written in lower case elsewhere in the window


def test_reports_of_one_event_mean_alike_even_in_different_words() -> None:
    uk = meaning("UK regulator asks X about reports its AI makes sexualised images of children")
    britain = meaning("Britain demands Elon Musk's Grok answers concerns about sexualised photos")
    robot = meaning("Mammotion unveils smarter robot lawn mowers at CES")
    assert alike(uk, britain) > alike(uk, robot)
    assert abs(alike(uk, uk) - 1.0) < 1e-5


def test_reports_naming_their_maker_only_at_sentence_starts_still_join() -> None:
    """Both Mammotion reports write the name only where every word is capitalised (a headline's first
    word, a sentence start): the window, which never writes it in lower case, makes it a name."""
    assert _stories("Mammotion unveils smarter robot lawn mowers", "My favorite no-boundary- wire robot mower") == 1


def test_loading_the_meaning_model_leaves_the_apps_logging_alone() -> None:
    """The embedding library configures root logging when imported; the app's stays as it was."""
    probe = ("import logging, agentoire_app.stories.meaning as m; m.meaning('x'); "
             "root = logging.getLogger(); print(len(root.handlers), root.level)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", str(logging.WARNING)]


WITHOUT_THE_MODEL = """
import sys
sys.modules["wordllama"] = None  # `import wordllama` now fails, as when the package is not installed
sys.path.insert(0, sys.argv[1])
from stories_items import features, item, items
from agentoire_app.stories.assign import StoryAssigner, order_for_assignment
from agentoire_app.stories.features import DocumentFrequencies
from agentoire_app.stories.meaning import meaning
everything = [features(i, raw) for i, raw in enumerate(items())]
def stories(*starts):
    chosen = [everything[items().index(item(s))] for s in starts]
    assigner = StoryAssigner(DocumentFrequencies(everything))
    return len({assigner.assign(a)[0] for a in order_for_assignment(chosen)})
print(meaning("x"), stories("Samsung to Double Galaxy AI Mobile Devices to 800", "Exclusive-Samsung to double mobile"),
      stories("AMD adds Ryzen 7 9850X3D", "AMD’s Ryzen AI 400 processors"))
"""


def test_without_the_embedding_package_stories_are_grouped_on_words_alone() -> None:
    """The model is optional: without it there is no vector, and the words-only threshold still joins two
    reports of one event and keeps apart two of one maker's different news."""
    tests = str(Path(__file__).resolve().parent)
    out = subprocess.run([sys.executable, "-c", WITHOUT_THE_MODEL, tests], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["None", "1", "2"]
