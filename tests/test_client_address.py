"""Who a client is: X-Forwarded-For believed only from the operator's proxies, one rate-limit key per reader
(not per proxy), the moderator's sign-in limited per client, and a short token leaving moderation off."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import subprocess
import sys
from pathlib import Path

import pytest
import reflex as rx
from reflex import constants
from reflex.istate.data import RouterData
from sqlmodel import Session

from agentoire_app.services.clients import client_address
from agentoire_app.services.moderation import SIGN_IN_LIMIT
from agentoire_app.settings import SettingsError, get_settings
from agentoire_app.state.submit import ModerateState, SubmitState

PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8::/32"))
TOKEN = "correct horse battery staple, twice over"


@pytest.mark.parametrize(("peer", "forwarded", "client"), [
    ("203.0.113.9", "", "203.0.113.9"),
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not our proxy: its header is the client's own words
    ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # left of our proxy's entry: forgeable
    ("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.7", "198.51.100.1"),  # two trusted hops
    ("10.0.0.2", "10.0.0.9, 10.0.0.7", "10.0.0.9"),  # nothing but proxies: the farthest one
    ("10.0.0.2", "", "10.0.0.2"),
    ("10.0.0.2", "not-an-ip", "10.0.0.2"),
    ("2001:db8::1", "198.51.100.4", "198.51.100.4"),
    ("::ffff:10.0.0.2", "198.51.100.5", "198.51.100.5"),
])
def test_forwarded_for_is_honoured_only_from_trusted_proxies(peer: str, forwarded: str, client: str) -> None:
    assert client_address(peer, forwarded, PROXIES) == client


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_address("10.0.0.2", "198.51.100.1", ()) == "10.0.0.2"


def test_trusted_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_TRUSTED_PROXIES", " 10.0.0.0/8, 127.0.0.1 ,, ::1")
    assert [str(n) for n in get_settings().trusted_proxies] == ["10.0.0.0/8", "127.0.0.1/32", "::1/128"]
    monkeypatch.setenv("AGENTOIRE_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal")
    with pytest.raises(SettingsError, match=r"proxy\.internal"):
        get_settings()


def _state(cls: type[rx.State], peer: str, forwarded: str = "") -> rx.State:
    root = rx.State(_reflex_internal_init=True)  # type: ignore[call-arg]
    headers = {"asgi-scope-client": peer, **({"x-forwarded-for": forwarded} if forwarded else {})}
    root.router = RouterData.from_router_data({constants.RouteVar.CLIENT_IP: peer,
                                               constants.RouteVar.HEADERS: headers})
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    assert isinstance(state, cls)
    return state


def _key(peer: str, forwarded: str = "") -> str:
    state = _state(SubmitState, peer, forwarded)
    assert isinstance(state, SubmitState)
    return state._client_key()


def test_two_clients_of_the_submit_form_get_different_rate_limit_keys() -> None:
    assert _key("198.51.100.1") != _key("198.51.100.2")
    assert _key("198.51.100.1") == _key("198.51.100.1")


def test_behind_a_trusted_proxy_each_reader_has_its_own_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_TRUSTED_PROXIES", "127.0.0.1")
    assert _key("127.0.0.1", "198.51.100.1") != _key("127.0.0.1", "198.51.100.2")
    assert _key("127.0.0.1", "198.51.100.1") == _key("198.51.100.1")


def test_a_forged_header_from_an_untrusted_peer_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_TRUSTED_PROXIES", "127.0.0.1")
    assert _key("198.51.100.1", "203.0.113.50") == _key("198.51.100.1", "203.0.113.51") == _key("198.51.100.1")


def test_the_moderators_sign_in_is_limited_per_client(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_ADMIN_TOKEN", TOKEN)
    guesser = _state(ModerateState, "198.51.100.66")
    assert isinstance(guesser, ModerateState)
    for i in range(SIGN_IN_LIMIT):
        asyncio.run(guesser.sign_in({"token": f"guess number {i}"}))
        assert not guesser.authorized
    asyncio.run(guesser.sign_in({"token": TOKEN}))
    assert not guesser.authorized and "Too many failed sign-ins" in guesser.message
    moderator = _state(ModerateState, "198.51.100.7")
    assert isinstance(moderator, ModerateState)
    asyncio.run(moderator.sign_in({"token": TOKEN}))
    assert moderator.authorized


def test_a_short_token_turns_moderation_off(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    short = "short-but-set"
    monkeypatch.setenv("AGENTOIRE_ADMIN_TOKEN", short)
    state = _state(ModerateState, "198.51.100.7")
    assert isinstance(state, ModerateState)
    asyncio.run(state.load())
    asyncio.run(state.sign_in({"token": short}))
    assert not state.enabled and not state.authorized and state.pending == []


def test_serve_says_at_start_why_moderation_is_off(sqlite_url: str) -> None:
    env = {**os.environ, "AGENTOIRE_ADMIN_TOKEN": "short-but-set"}
    result = subprocess.run([str(Path(sys.executable).parent / "agentoire"), "serve", "--port", "70000"],
                            capture_output=True, text=True, timeout=120, env=env)
    first = result.stderr.strip().splitlines()[0]
    assert "AGENTOIRE_ADMIN_TOKEN is too short" in first and "moderation stays off" in first
    assert "short-but-set" not in result.stderr
