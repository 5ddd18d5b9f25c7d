"""`GET /v1/health`: for load balancers and monitoring; needs no protocol header and no token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from caseworker_app.sync.protocol import PROTOCOL_VERSION

router = APIRouter(tags=["health"])


@router.get("/v1/health")
def health() -> dict[str, Any]:
    return {"status": "ok", "protocol": PROTOCOL_VERSION}
