"""Who a client is, and how often it tried: the address behind trusted proxies, a hashed key, attempt counts.

Behind a reverse proxy every connection comes from the proxy, so one rate-limit key would cover every
reader. `X-Forwarded-For` is believed only when the peer is a proxy the operator named
(`AGENTOIRE_TRUSTED_PROXIES`); the client is then the right-most address not in that set, since each
trusted proxy appends the address it saw and anything left of that may be written by the client itself.

Attempts are rows in the database (`Attempt`), so a limit holds across app workers and restarts.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import Attempt, utcnow
from ..settings import ProxyNetwork

UNKNOWN_CLIENT = "unknown"


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(value.strip().strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _trusted(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: Sequence[ProxyNetwork]) -> bool:
    return any(ip.version == net.version and ip in net for net in proxies)


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: Sequence[ProxyNetwork]) -> str:
    """The client's address: the TCP peer, or, when the peer is a trusted proxy, the right-most untrusted
    address in `X-Forwarded-For` (an unparseable hop ends the walk: the last trusted address stands)."""
    address = (peer or "").strip()
    current = _ip(address)
    if current is None:
        return address or UNKNOWN_CLIENT
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    while _trusted(current, trusted_proxies) and hops:
        nearer = _ip(hops.pop())
        if nearer is None:
            break
        current = nearer
    return str(current)


def client_key_for(address: str | None, *, salt: str = "agentoire-submissions") -> str:
    """A client's rate-limit key: a hash of its address, so the database stores no IP addresses."""
    return hashlib.sha256(f"{salt}:{address or UNKNOWN_CLIENT}".encode()).hexdigest()


def count_attempts(action: str, client_key: str, *, window: timedelta, session: Session,
                   now: datetime | None = None) -> int:
    """How many times `client_key` tried `action` within `window` before `now`."""
    since = (now or utcnow()) - window
    return int(session.exec(select(sa.func.count()).select_from(Attempt).where(
        Attempt.action == action, Attempt.client_key == client_key, col(Attempt.at) >= since)).one())


def record_attempt(action: str, client_key: str, *, session: Session, now: datetime | None = None,
                   forget_before: datetime | None = None) -> None:
    """Note one try (committed); rows older than `forget_before` are dropped so the table stays small."""
    if forget_before is not None:
        session.execute(sa.delete(Attempt).where(col(Attempt.action) == action, col(Attempt.at) < forget_before))
    session.add(Attempt(action=action, client_key=client_key, at=now or utcnow()))
    session.commit()


def clear_attempts(action: str, client_key: str, *, session: Session) -> None:
    """Forget `client_key`'s tries at `action` (a successful sign-in wipes the failures before it)."""
    session.execute(sa.delete(Attempt).where(col(Attempt.action) == action, col(Attempt.client_key) == client_key))
    session.commit()
