"""Schemathesis against the OpenAPI schema: generated valid and invalid requests never get a 5xx."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from serverkit import World, build_world

from caseworker_server.config import Settings

EXAMPLES = 20


def test_generated_requests_never_get_a_server_error(database_url: str) -> None:
    from schemathesis import GenerationMode

    world = build_world(database_url, Settings(docs=True))
    try:
        _fuzz(world, GenerationMode)
    finally:
        world.client.close()
        world.db.dispose()


def _fuzz(world: World, GenerationMode: Any) -> None:

    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    device = world.login("liaison")
    headers = device.headers
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            def check(case: object, with_auth: bool, operation: object = operation) -> None:
                sent = dict(headers) if with_auth else {"X-Caseworker-Protocol": "1"}
                response = case.call(headers=sent)  # type: ignore[attr-defined]
                if response.status_code >= 500:
                    failures.append(f"{operation.method.upper()} {operation.path} -> {response.status_code}")  # type: ignore[attr-defined]

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy, with_auth=st.booleans())
            def run(case: object, with_auth: bool) -> None:
                check(case, with_auth)

            try:
                run()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to get wrong (no parameters)
    assert operations >= 8
    assert not failures, failures[:5]
