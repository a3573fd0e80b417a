"""The public-address rule on its own: every non-public range, every spelling of an IPv4 address."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentoire_app.net.addresses import (
    PublicAddressRule,
    check_public_url,
    is_public_address,
    literal_address,
)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.1",
    "0.0.0.0", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "fec0::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "2002:7f00:1::1", "64:ff9b::a00:1",
])
def test_non_public_addresses(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses(address: str) -> None:
    assert is_public_address(address)


@pytest.mark.parametrize(("host", "address"), [
    ("2130706433", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("127.1", "127.0.0.1"),
    ("0x7f000001", "127.0.0.1"), ("10.0x10.1", "10.16.0.1"), ("[::1]", "::1"), ("127.0.0.1.", "127.0.0.1"),
])
def test_every_ipv4_spelling_is_read_as_inet_aton_reads_it(host: str, address: str) -> None:
    assert literal_address(host) == ipaddress.ip_address(address)


@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4), st.sampled_from(["{:d}", "0{:o}", "0x{:x}"]))
def test_literal_address_agrees_with_inet_aton(parts: list[int], spelling: str) -> None:
    host = ".".join(spelling.format(p) for p in parts)
    try:
        expected = ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        assert literal_address(host) is None
    else:
        assert literal_address(host) == expected


def test_names_are_judged_by_every_address_they_resolve_to() -> None:
    rule = PublicAddressRule()
    assert rule.host_problem("feeds.example", ["93.184.215.14"]) is None
    assert "non-public address (10.0.0.1)" in (rule.host_problem("feeds.example", ["93.184.215.14", "10.0.0.1"])
                                               or "")
    assert rule.host_problem("localhost") == "host localhost is this machine"
    assert check_public_url("http://x.localhost/") == "host x.localhost is this machine"


def test_also_public_declares_exactly_the_networks_it_names() -> None:
    rule = PublicAddressRule(also_public=(ipaddress.ip_network("127.0.0.1/32"),))
    assert rule.is_public("127.0.0.1") and rule.is_public("::ffff:127.0.0.1")
    assert not rule.is_public("127.0.0.2") and not rule.is_public("10.0.0.1")
    assert rule.host_problem("localhost") is not None  # a name that means this machine stays private
