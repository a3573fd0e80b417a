"""The Starlette app Reflex mounts through `api_transformer`; each route delegates to services."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..db import session_scope
from ..services.stats import status_counts


async def health(_request: Request) -> JSONResponse:
    """Liveness plus the two numbers a monitor cares about; 503 when the database does not answer."""
    import anyio

    def read() -> dict[str, int]:
        with session_scope() as session:
            return status_counts(session=session)

    try:
        counts = await anyio.to_thread.run_sync(read)
    except Exception as exc:
        return JSONResponse({"status": "error", "error": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok", **counts}, headers={"Cache-Control": "no-store"})


def build_api() -> Starlette:
    return Starlette(routes=[Route("/api/health", health)])
