"""Simulated laptops for Locust: sign in, a first sync of a demo-sized caseload, then a sync every
CASEWORKER_LOAD_INTERVAL seconds (pull, then push 5-20 new follow-up tasks). One sync in ten comes
back from a day offline: 200 mutations, and the answer to its refresh is lost, so it retries the
spent refresh token (which the server must answer alike). A 503 with Retry-After is waited out and
counted apart from errors. Every request's time and every accepted push are logged with the clock,
so the runner can tell the ramp-up (sign-ins, first syncs) from the steady everyday syncs."""

from __future__ import annotations

import json
import os
import random
import threading
import time
import uuid
from collections import Counter
from typing import Any

from locust import HttpUser, constant_pacing, events, task

PROTOCOL = {"X-Caseworker-Protocol": "1"}
PASSWORD = os.environ.get("CASEWORKER_LOAD_PASSWORD", "")
INTERVAL = float(os.environ.get("CASEWORKER_LOAD_INTERVAL", "60"))
USERNAMES = [name for name in os.environ.get("CASEWORKER_LOAD_USERS", "").split(",") if name]
PROCESSES = int(os.environ.get("CASEWORKER_LOAD_PROCESSES", "1"))
COUNTS: Counter[str] = Counter()  # mutations pushed, 503s waited out; written to CASEWORKER_LOAD_COUNTS
REQUESTS: list[tuple[float, str, float, bool]] = []  # (clock, "METHOD name", ms, succeeded)
PUSHED: list[tuple[float, int]] = []  # (clock, mutations accepted)
_lock = threading.Lock()
_next_user = 0


def _username(environment: Any) -> str:
    """Each laptop its own liaison; with several Locust processes, process k takes every k-th name."""
    global _next_user
    index = getattr(environment.runner, "worker_index", 0) if PROCESSES > 1 else 0
    with _lock:
        name = USERNAMES[(index + _next_user * PROCESSES) % len(USERNAMES)]
        _next_user += 1
    return name


@events.request.add_listener
def _log_request(request_type: str, name: str, response_time: float, exception: Any, **_kwargs: Any) -> None:
    REQUESTS.append((time.time(), f"{request_type} {name}", response_time, exception is None))


@events.quitting.add_listener
def _write_counts(environment: Any, **_kwargs: Any) -> None:
    path = os.environ.get("CASEWORKER_LOAD_COUNTS")
    if path:  # one file per process, merged by the runner
        with open(f"{path}.{os.getpid()}", "w") as out:
            json.dump({"counts": dict(COUNTS), "requests": REQUESTS, "pushed": PUSHED}, out)


class Laptop(HttpUser):
    wait_time = constant_pacing(INTERVAL)

    def on_start(self) -> None:
        self.device_id = str(uuid.uuid4())
        self.cursor = 0
        self.case_ids: list[str] = []
        self.client.verify = os.environ.get("CASEWORKER_LOAD_CA", True)
        self.username = _username(self.environment)
        self.tokens: dict[str, Any] = {}
        self._first_sync()
        # Laptops do not all sync at the same second: spread them over one interval.
        time.sleep(random.uniform(0, INTERVAL))

    def _first_sync(self) -> None:
        """Sign in and pull the whole caseload; a laptop that could not tries again at its next sync."""
        if not self.tokens:
            body = {"username": self.username, "password": PASSWORD, "device_id": self.device_id, "device_name": "load"}
            self.tokens = self._call("POST", "/v1/auth/token", json=body)
        if self.tokens:
            self._pull(first=True)

    def _call(self, method: str, path: str, name: str | None = None, **kwargs: Any) -> Any:
        """One request; a 503 with Retry-After is waited out (up to three times) and counted apart."""
        for _ in range(4):
            with self.client.request(
                method, path, name=name or path, headers=self._headers(path), catch_response=True, **kwargs
            ) as response:
                if response.status_code == 503 and "Retry-After" in response.headers:
                    response.success()  # not an error: the server asked to come back later
                    COUNTS["503_retry_after"] += 1
                    time.sleep(min(float(response.headers["Retry-After"]), 30.0))
                    continue
                if response.status_code != 200:
                    response.failure(f"{response.status_code} {response.text[:80]}")
                    return {}
                return response.json()
        return {}

    def _headers(self, path: str) -> dict[str, str]:
        if path.startswith("/v1/auth/"):
            return PROTOCOL
        return {**PROTOCOL, "Authorization": f"Bearer {self.tokens.get('access_token', '')}"}

    def _pull(self, first: bool = False) -> None:
        name = "/v1/sync/pull (first sync)" if first else "/v1/sync/pull"
        while True:
            page = self._call("GET", "/v1/sync/pull", name=name, params={"cursor": self.cursor})
            if not page:
                return
            self.case_ids.extend(grant["case_id"] for grant in page.get("grants", []))
            self.cursor = page["next_cursor"]
            if not page["has_more"]:
                return

    def _push(self, count: int, name: str = "/v1/sync/push") -> None:
        if not self.case_ids:
            return
        mutations = [
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": "task",
                "row_id": str(uuid.uuid4()),
                "case_id": random.choice(self.case_ids),
                "base_version": 0,
                "changes": {
                    "title": {"base": None, "new": f"Follow up {random.randint(1, 10**6)}"},
                    "due_on": {"base": None, "new": "2026-12-01"},
                },
            }
            for _ in range(count)
        ]
        if self._call("POST", "/v1/sync/push", name=name, json={"mutations": mutations}):
            COUNTS["mutations"] += count
            PUSHED.append((time.time(), count))

    @task
    def sync(self) -> None:
        if not self.tokens or self.cursor == 0:
            self._first_sync()
            return
        if random.random() < 0.1:
            self._back_from_a_day_offline()
            return
        self._push(random.randint(5, 20))
        self._pull()

    def _back_from_a_day_offline(self) -> None:
        spent = self.tokens.get("refresh_token", "")
        body = {"refresh_token": spent, "device_id": self.device_id}
        self._call("POST", "/v1/auth/refresh", name="/v1/auth/refresh (answer lost)", json=body)
        self.tokens = (
            self._call("POST", "/v1/auth/refresh", name="/v1/auth/refresh (retried)", json=body) or self.tokens
        )
        self._push(200, name="/v1/sync/push (200, back from a day offline)")
        self._pull()
