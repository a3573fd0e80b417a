"""The catalog importers on hostile input: they never raise and never take more than linear time.

A backtracking pattern turns a list of a few kilobytes into minutes of CPU; a per-example hypothesis
deadline fails such a pattern long before anyone waits for it. The inputs are sized so that a quadratic
pattern (let alone an exponential one) cannot finish inside the deadline, while the linear ones stay
well under it on a busy machine: the old heading pattern took minutes on one heading with 20,000
spaces, the old link pattern a second on 20,000 brackets.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentoire_app.catalog.awesome_agents import parse_awesome_agents
from agentoire_app.catalog.markdown import looks_like_markdown_list, parse_markdown
from agentoire_app.catalog.ours import parse_ours
from agentoire_app.catalog.records import ParsedCatalog, normalize_url

LINEAR = settings(deadline=timedelta(milliseconds=500), max_examples=40,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Characters that Markdown lists give meaning to, plus enough letters to make names and hosts.
MARKDOWN_TOKENS = st.sampled_from([*'[]()!#|-*+<>:"` \t\n.x/a', "https://", "](", "**", "— ", "\n- [", "\n## "])
# Pieces that, repeated, drive a backtracking pattern to rescan the rest of the line from every start.
PATHOLOGICAL = (
    "[a", "![", "[[x]", "[a](", "x[a](x)", "[a](b ", '[a](b "', "[#opensource](", " ",
    "img.shields.io/github/stars/", "[![", "- [a](<[u](u)>) ", "#", "|", "(", "a ", "\t#",
)
PREFIXES = ("# L\n## Tools\n- ", "# L\n## T", "# L\n## T\n| [a](https://a.io) | d | ", "# ", "# L\n## T\n|",
            "# L\n## T\n- [a](https://a.io) ")


def parsed_ok(parsed: ParsedCatalog) -> None:
    """What every importer promises whatever it read: usable records, and a count for each skip."""
    for record in parsed.records:
        assert record.name and normalize_url(record.homepage) == record.homepage
    assert parsed.skipped >= 0


@LINEAR
@given(st.lists(MARKDOWN_TOKENS, min_size=1000, max_size=5000).map("".join))
def test_markdown_of_any_shape_parses_without_raising_in_linear_time(text: str) -> None:
    looks_like_markdown_list(text)
    parsed_ok(parse_markdown(text, fallback_source="file:hostile.md"))


@LINEAR
@given(st.sampled_from(PREFIXES), st.sampled_from(PATHOLOGICAL), st.integers(20_000, 40_000))
def test_a_crafted_pathological_line_parses_in_linear_time(prefix: str, piece: str, size: int) -> None:
    text = prefix + piece * (size // len(piece)) + "\n- [fine](https://fine.example) - still read\n"
    looks_like_markdown_list(text)
    parsed_ok(parse_markdown(text, fallback_source="file:hostile.md"))


SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40) | st.sampled_from(
    ["https://ok.example", "www.ok.example", "[u](u)", "<[https://x.example](https://x.example)>", "http://[::1",
     "coding-agents", "2024-05-01", "9999-12-31T23:59:59-23:00", "open-source"])
JSONISH: st.SearchStrategy[Any] = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


def entries(keys: list[str]) -> st.SearchStrategy[Any]:
    """Entries that mostly have our keys (with any values) and sometimes are anything at all."""
    return st.dictionaries(st.sampled_from(keys), JSONISH, max_size=len(keys)) | JSONISH


OUR_KEYS = ["name", "slug", "homepage", "repository", "category", "tags", "pricing", "open_source", "license",
            "source", "added", "tagline", "description"]
AGENT_KEYS = ["project", "project_description", "project_is_open_source", "sources", "categories"]
SOURCES = st.lists(st.dictionaries(st.sampled_from(["source", "source_url"]), JSONISH, max_size=2) | JSONISH,
                   max_size=4)


@LINEAR
@given(st.lists(entries(OUR_KEYS), min_size=1, max_size=300))
def test_our_format_with_any_values_never_raises(tools: list[Any]) -> None:
    parsed = parse_ours({"tools": tools}, "", source="file:hostile.yaml")
    parsed_ok(parsed)
    assert len(parsed.records) + parsed.skipped == len(tools)
    assert {r.source for r in parsed.records} <= {"file:hostile.yaml"}


@LINEAR
@given(st.lists(entries(AGENT_KEYS) | st.fixed_dictionaries({"project": JSONISH, "sources": SOURCES}),
                min_size=1, max_size=300))
def test_awesome_agents_with_any_values_never_raises(agents: list[Any]) -> None:
    parsed = parse_awesome_agents({"agents": agents}, "")
    parsed_ok(parsed)
    assert len(parsed.records) + parsed.skipped == len(agents)
