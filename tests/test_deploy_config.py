"""The deploy files and the serve environment they rely on, checked without nginx (the browser suite's
`test_deploy_nginx.py` runs them for real)."""

from __future__ import annotations

import re

import pytest
from deploy_paths import NGINX_SITE, NGINX_UPSTREAM

from agentoire_app.cli.serve_cmd import reflex_environment


def test_behind_a_proxy_the_browser_is_sent_to_the_public_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_BASE_URL", "https://agentoire.example/")
    assert reflex_environment(3001)["REFLEX_API_URL"] == "https://agentoire.example"


def test_without_a_public_address_reflex_keeps_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGENTOIRE_BASE_URL", raising=False)
    monkeypatch.delenv("REFLEX_API_URL", raising=False)
    assert "REFLEX_API_URL" not in reflex_environment(3001)


def test_the_site_proxies_to_the_upstream_the_other_file_declares() -> None:
    upstream = NGINX_UPSTREAM.read_text()
    site = NGINX_SITE.read_text()
    [name] = re.findall(r"^upstream (\w+) \{", upstream, re.M)
    assert set(re.findall(r"proxy_pass http://(\w+);", site)) == {name}
    assert "location /_event" in site and "$http_upgrade" in site
    assert site.count("{") == site.count("}") and upstream.count("{") == upstream.count("}")


def _proxy_headers(block: str) -> set[str]:
    return {name.lower() for name in re.findall(r"^\s*proxy_set_header\s+(\S+)", block, re.M)}


def test_every_location_forwards_the_scheme_host_and_client_nginx_saw() -> None:
    """nginx inherits no `proxy_set_header` into a location that sets one of its own, so a location that
    adds a header (the websocket's upgrade) must repeat the forwarded ones, or the app loses them there."""
    site = NGINX_SITE.read_text()
    locations = re.findall(r"^\s*location [^{]+\{(.*?)^\s*\}", site, re.M | re.S)
    server_level = _proxy_headers(re.sub(r"^\s*location [^{]+\{.*?^\s*\}", "", site, flags=re.M | re.S))
    forwarded = {"host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"}
    assert forwarded <= server_level
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site  # TLS ends at nginx: it knows the scheme
    assert "proxy_redirect http://$http_host/ $scheme://$http_host/;" in site
    for block in locations:
        own = _proxy_headers(block)
        assert not own or forwarded <= own, block
