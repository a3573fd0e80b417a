"""`GET /api/palette?q=…`: the palette's search, as JSON, for the page script (assets/agentoire.js).

A plain HTTP endpoint rather than a Reflex event: the palette lives outside React so a keystroke costs
one small fetch (aborted when the next keystroke arrives) and no state round trip.
"""

from __future__ import annotations

from dataclasses import asdict

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..db import session_scope
from ..services.palette import palette_search, recent_defaults


async def palette(request: Request) -> JSONResponse:
    query = request.query_params.get("q", "")

    def read() -> list[dict[str, object]]:
        with session_scope() as session:
            hits = palette_search(query, session=session) if query.strip() else recent_defaults(session=session)
            return [asdict(hit) for hit in hits]

    hits = await anyio.to_thread.run_sync(read)
    return JSONResponse({"query": query, "results": hits}, headers={"Cache-Control": "no-store"})


def build_palette_api() -> Starlette:
    return Starlette(routes=[Route("/api/palette", palette)])
