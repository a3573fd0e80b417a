"""Which hosts and addresses count as public: the one rule behind every "may we go there?" question.

Fetching on behalf of the public (a submitted source, a redirect, a feed a page announces) must never
reach the machine itself or the network around it: loopback, RFC 1918, link-local (cloud metadata lives
at 169.254.169.254), unique-local and site-local IPv6, CGNAT, multicast, the unspecified and reserved
ranges, and IPv6 forms that carry such an IPv4 address (mapped, compatible, 6to4, NAT64). Names are
judged by what they resolve to (every address, not just the first), plus `localhost` and `*.localhost`
by name, since RFC 6761 lets a resolver answer those without asking DNS. A host written as a number is
read the way `inet_aton` (and so getaddrinfo, curl and browsers) reads it: `2130706433`, `0177.0.0.1`,
`0x7f.1` and `127.1` are all 127.0.0.1.

`PublicAddressRule.also_public` is the one seam: networks to count as public anyway. Production leaves it
empty; tests, whose "internet" is a server on 127.0.0.1, declare that one address public.

The check resolves the name before the connection does, so a DNS answer that changes in between
(rebinding) is not covered; that would need the resolved address pinned into the transport.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# Suffixes that only mean something on a private network (mDNS, split-horizon DNS, reverse zones).
LOCAL_NAME_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home", ".intranet", ".corp", ".arpa")
# IPv6 ranges that Python's `is_global` lets through but that reach no public host of their own.
_NOT_GLOBAL_V6 = (
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible (deprecated): ::127.0.0.1
    ipaddress.IPv6Network("fec0::/10"),  # site-local (deprecated, still routed inside some networks)
)
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?", re.IGNORECASE)


def literal_address(host: str) -> Address | None:
    """The address `host` spells out, or None for a name. Brackets, a zone (`%eth0`) and a final dot are
    ignored; IPv4 may be written in any form `inet_aton` accepts (1 to 4 parts, decimal, octal or hex)."""
    host = host.strip().strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if not _NUMERIC_HOST.fullmatch(host):
        return None
    try:
        parts = [int(p, 16) if p[:2].lower() == "0x" else int(p, 8) if p[:1] == "0" else int(p)
                 for p in host.split(".")]
    except ValueError:  # "0x" alone, or an 8 or 9 in an octal part: inet_aton refuses it too
        return None
    *head, last = parts  # a.b.c.d, or a.b.c (c fills 16 bits), a.b (b fills 24), a (32)
    if any(p > 255 for p in head) or last >= 1 << (8 * (4 - len(head))):
        return None
    value = last
    for i, part in enumerate(head):
        value |= part << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, compatible, 6to4, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in net for net in (*_NAT64, _NOT_GLOBAL_V6[0])) and address != ipaddress.IPv6Address("::"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_local_name(host: str) -> bool:
    """A host name that only means something on a private network: localhost, a local suffix, or no dot.

    Judged from the name alone, for places that must not resolve (public output, form validation).
    """
    host = host.rstrip(".").lower()
    return host in LOCAL_NAMES or host.endswith(LOCAL_NAME_SUFFIXES) or "." not in host


@dataclass(frozen=True)
class PublicAddressRule:
    """The rule, with `also_public`: networks to count as public anyway (empty in production)."""

    also_public: tuple[Network, ...] = ()

    def is_public(self, address: Address | str) -> bool:
        """True for an address any stranger on the internet could reach too."""
        if isinstance(address, str):
            parsed = literal_address(address)
            if parsed is None:
                raise ValueError(f"not an IP address: {address!r}")
            address = parsed
        if any(address.version == net.version and address in net for net in self.also_public):
            return True
        if isinstance(address, ipaddress.IPv6Address):
            embedded = _embedded_ipv4(address)
            if embedded is not None:
                return self.is_public(embedded)
            if any(address in net for net in _NOT_GLOBAL_V6):
                return False
        return address.is_global and not address.is_multicast

    def host_problem(self, host: str, resolved: Iterable[str] | None = None) -> str | None:
        """Why `host` (with the addresses it resolved to, for a name) is not public, or None.

        `resolved` None means "not resolved yet": only what the host says by itself is judged.
        """
        host = host.strip().strip("[]").rstrip(".").lower()
        literal = literal_address(host)
        if literal is not None:
            if self.is_public(literal):
                return None
            spelled = "" if str(literal) == host else f" ({literal})"
            return f"{host} is a non-public address{spelled}"
        if host in LOCAL_NAMES or host.endswith(".localhost"):
            return f"host {host} is this machine"
        if resolved is None:
            return None
        addresses = list(dict.fromkeys(resolved))
        if not addresses:
            return f"host {host} does not resolve"
        for address in addresses:
            if not self.is_public(address):
                return f"host {host} resolves to a non-public address ({address})"
        return None

    def check_url(self, url: str) -> Refusal | None:
        """Why `url` may not be fetched on behalf of the public, or None when it may (blocking: resolves)."""
        refusal, host = self._judge_unresolved(url)
        if not host:
            return refusal
        try:
            addresses = resolve_blocking(host)
        except (OSError, UnicodeError) as exc:
            return Refusal(f"host {host} does not resolve ({exc})", private=False)
        return self._judge_resolved(host, addresses)

    async def check_url_async(self, url: str) -> Refusal | None:
        """`check_url` with the name resolved off the event loop."""
        refusal, host = self._judge_unresolved(url)
        if not host:
            return refusal
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            return Refusal(f"host {host} does not resolve ({exc})", private=False)
        return self._judge_resolved(host, (str(info[4][0]) for info in infos))

    def _judge_unresolved(self, url: str) -> tuple[Refusal | None, str]:
        """What the URL says by itself, and the host still to resolve ("" when the answer is already known)."""
        problem = url_shape_problem(url)
        if problem:
            return Refusal(problem, private=False), ""
        host = urlsplit(url).hostname or ""
        problem = self.host_problem(host)
        if problem:
            return Refusal(problem, private=True), ""
        return None, "" if literal_address(host) is not None else host

    def _judge_resolved(self, host: str, addresses: Iterable[str]) -> Refusal | None:
        addresses = list(addresses)
        problem = self.host_problem(host, addresses)
        return None if problem is None else Refusal(problem, private=bool(addresses))


@dataclass(frozen=True)
class Refusal:
    """Why a URL may not be fetched for the public; `private` when it names or reaches a non-public address
    (rather than being malformed or unresolvable)."""

    reason: str
    private: bool

    def __str__(self) -> str:
        return self.reason


def url_shape_problem(url: str) -> str | None:
    """Why `url` is not an http(s) URL with a host, or None."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as exc:
        return f"malformed URL: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"only http and https URLs are allowed, got {parts.scheme or 'no scheme'!r}"
    if not parts.hostname:
        return "URL has no host"
    return None


def resolve_blocking(host: str) -> list[str]:
    """Every address `host` resolves to (raises OSError or UnicodeError when it does not)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


PUBLIC = PublicAddressRule()


def is_public_address(address: Address | str) -> bool:
    """The rule for one address, with no exceptions declared."""
    return PUBLIC.is_public(address)


def check_public_url(url: str) -> str | None:
    """Why `url` may not be fetched on behalf of the public, or None (blocking: it resolves the name)."""
    refusal = PUBLIC.check_url(url)
    return None if refusal is None else refusal.reason
