"""Clustering quality of the story decider on labelled real news, beside a TF-IDF baseline, in one run.

    python bench/stories_quality.py [--items tests/fixtures/stories/items.jsonl] [--gold …/gold_reviewed.tsv …/gold.tsv]

Each item goes through the app's own cleaning (`html_to_text`, `shorten`: what `article.summary` holds),
then through `stories.assign` in published order, exactly as a refresh would. Scores: pairwise precision,
recall and F1 (pairs of items put together), B-cubed F1, and the lenient pairwise F1 against the gold
`storyline_id`, each against the reviewed labels (`gold_reviewed.tsv`, changes in `labels-changes.tsv`)
and the first labelling (`gold.tsv`); and the same scores for each day clustered on its own. The baseline is the usual online method: TF-IDF cosine of title + summary over all words,
join the most similar earlier item's story above a threshold (best threshold reported, which flatters it).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentoire_app.ingest.clean import html_to_text
from agentoire_app.models.text import shorten
from agentoire_app.stories.assign import StoryAssigner, StoryRule, order_for_assignment
from agentoire_app.stories.features import (
    ArticleFeatures,
    DocumentFrequencies,
    article_features,
    cosine,
    weighted,
)

T = TypeVar("T")
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "stories"


def load(items_path: Path) -> list[dict[str, str]]:
    items = [json.loads(line) for line in items_path.read_text().splitlines() if line.strip()]
    for item in items:
        item["summary"] = shorten(html_to_text(item["description"]))
        item["title"] = html_to_text(item["title"])
    return items


def features(items: list[dict[str, str]]) -> list[ArticleFeatures]:
    return [article_features(i, item["title"], item["summary"], published_at=datetime.fromisoformat(item["published"]),
                             source=item["source"]) for i, item in enumerate(items)]


def cluster(feats: list[ArticleFeatures], rule: StoryRule) -> dict[int, int]:
    assigner = StoryAssigner(DocumentFrequencies(feats), rule=rule)
    return {a.key: assigner.assign(a)[0] for a in order_for_assignment(feats)}


def baseline(feats: list[ArticleFeatures], threshold: float) -> dict[int, int]:
    """Plain TF-IDF, every word alike, no names and no windows: the method to beat."""
    plain = [ArticleFeatures(f.key, f.published_at, f.source, {t: 1.0 for t in f.terms}, frozenset(), ())
             for f in feats]
    df = DocumentFrequencies(plain)
    vectors = {f.key: weighted(f, df) for f in plain}
    labels: dict[int, int] = {}
    for f in order_for_assignment(plain):
        best = max(((cosine(vectors[f.key], vectors[k]), k) for k in labels), default=(0.0, -1))
        labels[f.key] = labels[best[1]] if best[0] >= threshold else f.key
    return labels


def pairs(labels: dict[int, str] | dict[int, int]) -> set[tuple[int, int]]:
    groups: dict[object, list[int]] = defaultdict(list)
    for key, label in labels.items():
        groups[label].append(key)
    return {pair for members in groups.values() for pair in combinations(sorted(members), 2)}


def scores(predicted: dict[int, int], gold: dict[int, str]) -> dict[str, float]:
    p, g = pairs(predicted), pairs(gold)
    precision = len(p & g) / len(p) if p else 1.0
    recall = len(p & g) / len(g) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    by_pred: dict[int, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for key, label in predicted.items():
        by_pred[label].add(key)
    for key, glabel in gold.items():
        by_gold[glabel].add(key)
    bp = sum(len(by_pred[predicted[k]] & by_gold[gold[k]]) / len(by_pred[predicted[k]]) for k in gold) / len(gold)
    br = sum(len(by_pred[predicted[k]] & by_gold[gold[k]]) / len(by_gold[gold[k]]) for k in gold) / len(gold)
    return {"precision": precision, "recall": recall, "f1": f1, "bcubed_f1": 2 * bp * br / (bp + br)}


def read_gold(path: Path, index: dict[str, int]) -> tuple[dict[int, str], dict[int, str]]:
    """(story label, storyline label) of each item the file names."""
    rows = list(csv.DictReader(path.open(), delimiter="\t"))
    return ({index[r["url"]]: r["cluster_id"] for r in rows if r["url"] in index},
            {index[r["url"]]: r["storyline_id"] for r in rows if r["url"] in index})


def only(labels: dict[int, T], keys: set[int]) -> dict[int, T]:
    return {k: v for k, v in labels.items() if k in keys}


def rounded(s: dict[str, float]) -> dict[str, float]:
    return {m: round(v, 3) for m, v in s.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=Path, default=FIXTURES / "items.jsonl")
    parser.add_argument("--gold", type=Path, nargs="+",
                        default=[FIXTURES / "gold_reviewed.tsv", FIXTURES / "gold.tsv"],
                        help="label files, scored in turn (the first is the one --errors lists against)")
    parser.add_argument("--errors", action="store_true", help="list wrongly merged and wrongly split pairs")
    args = parser.parse_args()
    items = load(args.items)
    index = {item["url"]: i for i, item in enumerate(items)}
    feats = features(items)
    ours = cluster(feats, StoryRule())
    days = sorted({f.published_at.date() for f in feats})
    # Each day clustered on its own, as if it were all the decider had seen: a rule tuned on one day
    # must hold on the other.
    per_day = {day: {f.key for f in feats if f.published_at.date() == day} for day in days}
    day_runs = {day: cluster([f for f in feats if f.key in keys], StoryRule()) for day, keys in per_day.items()}
    thresholds = [t / 100 for t in range(10, 80, 5)]
    baselines = {t: baseline(feats, t) for t in thresholds}
    results: dict[str, dict[str, object]] = {}
    for path in args.gold:
        gold, storyline = read_gold(path, index)
        best = max(thresholds, key=lambda t: scores(baselines[t], gold)["f1"])
        results[path.name] = {
            "stories": rounded(scores(ours, gold)),
            "stories_vs_storylines": rounded(scores(ours, storyline)),
            **{f"day {day}": rounded(scores(day_runs[day], only(gold, keys))) for day, keys in per_day.items()},
            "tfidf_baseline_best_threshold": rounded(scores(baselines[best], gold)) | {"threshold": best},
        }
    print(json.dumps(results, indent=2))
    gold, _ = read_gold(args.gold[0], index)
    print(f"{len(items)} items, {len(set(gold.values()))} gold stories ({args.gold[0].name}), "
          f"{len(set(ours.values()))} found")
    if args.errors:
        p, g = pairs(ours), pairs(gold)
        for kind, wrong in (("merged, should be apart", p - g), ("apart, should be together", g - p)):
            print(f"\n## {kind}: {len(wrong)}")
            for a, b in sorted(wrong):
                print(f"  {items[a]['title'][:70]!r}\n  {items[b]['title'][:70]!r}\n"
                      f"    shared names: {sorted(feats[a].names & feats[b].names)}")


if __name__ == "__main__":
    main()
