"""Referrals: added as referred, moved through their statuses under the domain's rules."""

from __future__ import annotations

from datetime import date

import pytest
from services_kit import Household

from caseworker_app.domain import Referral, ValidationError
from caseworker_app.domain.vocabulary import ReferralStatus
from caseworker_app.services import referrals
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.models import ReferralRow


def test_a_referral_moves_from_referred_to_completed(store: LocalStore, household: Household) -> None:
    ref = referrals.add_referral(
        store,
        household.case.id,
        "food_backpack",
        referred_on=date(2026, 11, 2),
        person_id=household.ana.id,
        agency="Riverbend Food Bank",
    )
    assert ref.status is ReferralStatus.REFERRED
    for status, day in (("accepted", 4), ("in_progress", 9), ("completed", 30)):
        ref = referrals.move_referral(store, ref.id, status, on=date(2026, 11, day), seen=ref)
    stored = store.repo.get(Referral, ref.id)
    assert (stored.status, stored.status_on) == (ReferralStatus.COMPLETED, date(2026, 11, 30))
    with pytest.raises(ValidationError, match="closed"):
        referrals.move_referral(store, ref.id, "in_progress", on=date(2026, 12, 1), seen=stored)
    actions = [e["action"] for e in store.repo.audit_events(case_id=household.case.id)]
    assert actions == ["create", "move_referral", "move_referral", "move_referral"]


def test_moves_the_domain_does_not_allow_are_refused(store: LocalStore, household: Household) -> None:
    ref = referrals.add_referral(store, household.case.id, "mental_health", referred_on=date(2026, 11, 2))
    with pytest.raises(ValidationError, match="can become: accepted, declined"):
        referrals.move_referral(store, ref.id, "completed", on=date(2026, 11, 3), seen=ref)
    with pytest.raises(ValidationError, match="before the referral date"):
        referrals.move_referral(store, ref.id, "accepted", on=date(2026, 10, 3), seen=ref)
    with pytest.raises(ValidationError, match="not one of"):
        referrals.add_referral(store, household.case.id, "yoga", referred_on=date(2026, 11, 2))
    with pytest.raises(ValidationError, match="own action"):
        referrals.edit_referral(store, ref.id, {"status": "declined"}, seen=ref)
    assert store.repo.get(Referral, ref.id).status is ReferralStatus.REFERRED


def test_a_move_made_meanwhile_elsewhere_is_kept(store: LocalStore, household: Household) -> None:
    ref = referrals.add_referral(store, household.case.id, "transportation", referred_on=date(2026, 11, 2))
    with store.db.transaction(remote=True) as session:  # the agency declined it; a sync brought it
        row = session.get(ReferralRow, ref.id)
        assert row is not None
        row.status = "declined"
    referrals.move_referral(store, ref.id, "accepted", on=date(2026, 11, 5), seen=ref)
    stored = store.repo.get(Referral, ref.id)
    assert (stored.status, stored.status_on) == (ReferralStatus.DECLINED, None)
