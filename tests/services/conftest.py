"""Service tests run against a real encrypted store holding one household."""

from __future__ import annotations

import pytest
from services_kit import Household, make_household

from caseworker_app.store.local_store import LocalStore


@pytest.fixture
def household(store: LocalStore) -> Household:
    return make_household(store)
