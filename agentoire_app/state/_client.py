"""The one place a Reflex event learns who sent it: the socket's peer and, through trusted proxies only,
`X-Forwarded-For` (see `services.clients.client_address`)."""

from __future__ import annotations

from reflex.istate.data import RouterData

from ..services.clients import client_address, client_key_for
from ..settings import get_settings


def router_client_address(router: RouterData) -> str:
    """The client's address for this connection.

    Reflex records the socket's peer as the `asgi-scope-client` header and puts its own guess in
    `session.client_ip` (which follows `X-Forwarded-For` only when `trusted_proxy_hops` is configured);
    the peer is the fact to start from, the operator's proxy list decides what else to believe.
    """
    headers = router.headers.raw_headers
    peer = headers.get("asgi-scope-client") or router.session.client_ip
    return client_address(peer, headers.get("x-forwarded-for"), get_settings().trusted_proxies)


def router_client_key(router: RouterData, *, salt: str) -> str:
    """A hashed key for rate limits; `salt` keeps each limit's keys apart."""
    return client_key_for(router_client_address(router), salt=salt)
