"""A cheap question to the sync server: does it answer (not a captive portal, not a proxy page)?"""

from __future__ import annotations

from pathlib import Path

from caseworker_app.sync.errors import SyncError
from caseworker_app.sync.transport import transport_for_profile

PROBE_TIMEOUT_S = 2.0


def server_answers(home: Path, server_url: str) -> bool:
    """True if the server's health endpoint answers as ours; no token, no retries, a short timeout."""
    try:
        transport = transport_for_profile(
            home, server_url, connect_timeout=PROBE_TIMEOUT_S, read_timeout=PROBE_TIMEOUT_S, retries=0
        )
    except SyncError:
        return False
    try:
        answer = transport.call_json("GET", "/v1/health")
    except SyncError:
        return False
    finally:
        transport.close()
    return isinstance(answer, dict) and answer.get("status") == "ok"
