"""The deploy files and the serve environment they rely on, checked without nginx (the browser suite's
`test_deploy_nginx.py` runs them for real)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentoire_app.cli.serve_cmd import reflex_environment

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def test_behind_a_proxy_the_browser_is_sent_to_the_public_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_BASE_URL", "https://agentoire.example/")
    assert reflex_environment(3001)["REFLEX_API_URL"] == "https://agentoire.example"


def test_without_a_public_address_reflex_keeps_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGENTOIRE_BASE_URL", raising=False)
    monkeypatch.delenv("REFLEX_API_URL", raising=False)
    assert "REFLEX_API_URL" not in reflex_environment(3001)


def test_the_site_proxies_to_the_upstream_the_other_file_declares() -> None:
    upstream = (DEPLOY / "nginx" / "agentoire-upstream.conf").read_text()
    site = (DEPLOY / "nginx" / "agentoire-site.conf").read_text()
    [name] = re.findall(r"^upstream (\w+) \{", upstream, re.M)
    assert set(re.findall(r"proxy_pass http://(\w+);", site)) == {name}
    assert "location /_event" in site and "$http_upgrade" in site
    assert site.count("{") == site.count("}") and upstream.count("{") == upstream.count("}")
