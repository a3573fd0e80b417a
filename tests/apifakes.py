"""Loopback fakes of the APIs the tool checks read, on the scripted `FeedServer`.

Bodies follow the public documentation of each API (only the fields we read, plus a few we don't, as real
answers carry many): GitHub REST "Get a repository" and "Get the latest release", PyPI's JSON API
(`/pypi/{name}/json`), the npm registry packument and its downloads API, Hugging Face's
`/api/models/{id}`. Each API lives under its own prefix, which is the base URL the settings take.
"""

from __future__ import annotations

import json
from typing import Any

from feedserver import FeedServer

from agentoire_app.settings import CheckApis

JSON = {"Content-Type": "application/json; charset=utf-8"}


def apis_for(server: FeedServer, token: str | None = None) -> CheckApis:
    return CheckApis(github=server.url("/gh"), pypi=server.url("/pypi"), npm=server.url("/npm"),
                     npm_downloads=server.url("/npmdl"), huggingface=server.url("/hf"), github_token=token)


def github_repo(full_name: str, *, stars: int = 95300, pushed_at: str = "2026-11-28T10:00:00Z",
                archived: bool = False) -> dict[str, Any]:
    owner, name = full_name.split("/")
    return {"id": 1, "name": name, "full_name": full_name, "owner": {"login": owner},
            "html_url": f"https://github.com/{full_name}", "stargazers_count": stars, "watchers_count": stars,
            "forks_count": 1200, "open_issues_count": 87, "pushed_at": pushed_at, "archived": archived,
            "license": {"key": "mit", "name": "MIT License", "spdx_id": "MIT"}, "topics": ["llm", "agents"],
            "default_branch": "main"}


def serve_github(server: FeedServer, full_name: str, *, etag: str | None = '"r1"', release: str | None = "v0.3.1",
                 released_at: str = "2026-11-19T12:00:00Z", **repo: Any) -> None:
    server.route(f"/gh/repos/{full_name}", json.dumps(github_repo(full_name, **repo)), headers={
        **JSON, "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999", "X-RateLimit-Reset": "1767225600"},
        etag=etag)
    if release:
        server.route(f"/gh/repos/{full_name}/releases/latest", json.dumps(
            {"tag_name": release, "name": release, "published_at": released_at, "created_at": released_at,
             "draft": False, "prerelease": False}), headers=JSON, etag=f'"rel-{release}"')
    else:  # no release yet: GitHub answers 404
        server.route(f"/gh/repos/{full_name}/releases/latest", json.dumps({"message": "Not Found"}), status=404,
                     headers=JSON)


def serve_pypi(server: FeedServer, name: str, version: str = "1.4.0", at: str = "2026-11-20T08:30:00.123456Z") -> None:
    server.route(f"/pypi/pypi/{name}/json", json.dumps({
        "info": {"name": name, "version": version, "summary": "x", "license": "MIT"},
        "urls": [{"filename": f"{name}-{version}.tar.gz", "upload_time_iso_8601": at, "packagetype": "sdist"}],
        "releases": {version: []}}), headers=JSON, etag='"p1"')


def serve_npm(server: FeedServer, name: str, version: str = "2.1.0", at: str = "2026-11-21T09:00:00.000Z",
              weekly: int = 48211) -> None:
    server.route(f"/npm/{name}", json.dumps({"name": name, "dist-tags": {"latest": version},
                                             "time": {"created": "2024-01-01T00:00:00.000Z", version: at},
                                             "versions": {version: {}}}), headers=JSON)
    server.route(f"/npmdl/downloads/point/last-week/{name}", json.dumps(
        {"downloads": weekly, "start": "2026-11-23", "end": "2026-11-29", "package": name}), headers=JSON)


def serve_huggingface(server: FeedServer, model: str, likes: int = 812, downloads: int = 120_000) -> None:
    server.route(f"/hf/api/models/{model}", json.dumps({"id": model, "modelId": model, "likes": likes,
                                                        "downloads": downloads,
                                                        "lastModified": "2026-11-25T00:00:00.000Z",
                                                        "tags": ["transformers"]}), headers=JSON)
