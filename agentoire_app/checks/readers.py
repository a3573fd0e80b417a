"""What to check for a tool, and what each API's answer means: pure functions, no network.

Shapes follow each API's public documentation: GitHub's "get a repository" (`stargazers_count`,
`forks_count`, `open_issues_count`, `pushed_at`, `archived`, `license.spdx_id`, `topics`, `full_name`) and
"get the latest release" (`tag_name`, `published_at`); PyPI's JSON API (`info.version`, `urls[].
upload_time_iso_8601`); the npm registry's packument (`dist-tags.latest`, `time[version]`) and its
downloads API (`downloads`); Hugging Face's `/api/models/{id}` and `/api/spaces/{id}` (`likes`,
`downloads`, `lastModified`). Anything missing or mistyped reads as unknown (None), never as an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..catalog.records import github_repository
from ..discovery.extract import classify_link
from ..models import to_stored

KINDS = ("github", "huggingface", "pypi", "npm", "homepage")


@dataclass(frozen=True)
class Target:
    """One thing to read about a tool: which API (`kind`) and what to ask it for (`ident`)."""

    kind: str
    ident: str


def targets_for(homepage: str, repository: str) -> list[Target]:
    """The sources a tool's links point at, each once, plus its homepage for liveness."""
    found: dict[str, Target] = {}
    for url in (repository, homepage):
        link = classify_link(url) if url else None
        if link is None or link[1] in found:
            continue
        key, kind, _, _ = link
        ident = key.split(":", 1)[1]
        if kind == "github":
            ident = github_repository(url).removeprefix("https://github.com/")
        elif kind == "huggingface":
            ident = ident if ident.startswith("spaces/") else f"models/{ident}"
        found[kind] = Target(kind, ident)
    if homepage and classify_link(homepage) is None:
        found["homepage"] = Target("homepage", homepage)
    return list(found.values())


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any, limit: int = 100) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return to_stored(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def github_repo_facts(data: Any) -> dict[str, Any]:
    data = data if isinstance(data, dict) else {}
    licence = data.get("license") if isinstance(data.get("license"), dict) else {}
    topics = data.get("topics") if isinstance(data.get("topics"), list) else []
    return {"stars": _int(data.get("stargazers_count")), "forks": _int(data.get("forks_count")),
            "open_issues": _int(data.get("open_issues_count")), "pushed_at": _date(data.get("pushed_at")),
            "archived": data.get("archived") if isinstance(data.get("archived"), bool) else None,
            "license": _str(licence.get("spdx_id"), 60),
            "topics": [t[:50] for t in topics if isinstance(t, str)][:20]}


def github_full_name(data: Any) -> str | None:
    return _str(data.get("full_name"), 200) if isinstance(data, dict) else None


def github_release_facts(data: Any) -> dict[str, Any]:
    data = data if isinstance(data, dict) else {}
    return {"latest_version": _str(data.get("tag_name")),
            "latest_release_at": _date(data.get("published_at") or data.get("created_at"))}


def pypi_facts(data: Any) -> dict[str, Any]:
    data = data if isinstance(data, dict) else {}
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    files = data.get("urls") if isinstance(data.get("urls"), list) else []
    uploaded = [_date(f.get("upload_time_iso_8601")) for f in files if isinstance(f, dict)]
    return {"latest_version": _str(info.get("version")),
            "latest_release_at": max((d for d in uploaded if d is not None), default=None)}


def npm_facts(data: Any) -> dict[str, Any]:
    data = data if isinstance(data, dict) else {}
    tags = data.get("dist-tags") if isinstance(data.get("dist-tags"), dict) else {}
    times = data.get("time") if isinstance(data.get("time"), dict) else {}
    version = _str(tags.get("latest"))
    return {"latest_version": version, "latest_release_at": _date(times.get(version)) if version else None}


def npm_download_facts(data: Any) -> dict[str, Any]:
    return {"downloads": _int(data.get("downloads")) if isinstance(data, dict) else None}


def huggingface_facts(data: Any) -> dict[str, Any]:
    data = data if isinstance(data, dict) else {}
    return {"likes": _int(data.get("likes")), "downloads": _int(data.get("downloads")),
            "pushed_at": _date(data.get("lastModified"))}
