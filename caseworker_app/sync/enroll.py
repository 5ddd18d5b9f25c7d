"""Enrolling a profile with the agency's sync server: register the device, keep the refresh token."""

from __future__ import annotations

import platform
import uuid

from caseworker_app.i18n import _
from caseworker_app.store.local_store import WORKER_KEY, LocalStore
from caseworker_app.sync.errors import SignInRequired, SyncError
from caseworker_app.sync.protocol import TokenRequest, TokenResponse
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.transport import Transport, transport_for_profile


def enroll(
    store: LocalStore,
    server_url: str,
    username: str,
    password: str,
    transport: Transport | None = None,
    *,
    device_name: str = "",
) -> SyncState:
    """Sign in once with the server password; afterwards the device-bound refresh token is enough."""
    state = SyncState.load(store)
    if state.enrolled and state.username and state.username != username:
        raise SyncError(
            _("This profile belongs to {owner}; use another profile folder for {username}.").format(
                owner=state.username, username=username
            )
        )
    device_id = state.device_id or str(uuid.uuid4())
    device_name = device_name.strip() or state.device_name or default_device_name(device_id)
    own_transport = transport is None
    transport = transport or transport_for_profile(store.profile.home, server_url)
    try:
        tokens = transport.call(
            "POST",
            "/v1/auth/token",
            TokenResponse,
            body=TokenRequest(username=username, password=password, device_id=device_id, device_name=device_name),
        )
    except SignInRequired as exc:
        advice = what_to_ask_it(exc.code, username, device_id)
        if advice is None:
            raise
        raise SignInRequired(advice, code=exc.code) from exc
    finally:
        if own_transport:
            transport.close()
    state.server_url = server_url.rstrip("/")
    state.username = tokens.user.username
    state.device_id = device_id
    state.device_name = device_name
    state.refresh_token = tokens.refresh_token
    if tokens.wipe_key:
        state.wipe_key = tokens.wipe_key
    state.save(store)
    store.set_setting(WORKER_KEY, tokens.user.username)
    store.repo.actor = tokens.user.username
    store.repo.audit("enroll", detail={"server": state.server_url})
    return state


def default_device_name(device_id: str = "") -> str:
    """The computer's name, and a short id so two laptops of one name stay apart in IT's list."""
    name = platform.node() or "laptop"
    return f"{name} {device_id[:8]}" if device_id else name


def what_to_ask_it(code: str | None, username: str, device_id: str) -> str | None:
    """For a refusal only IT can lift: what to ask them for, in words and as their command."""
    if code == "device_revoked":
        return _(
            "IT has revoked this laptop's access to the sync server; your local work is safe. "
            "Ask IT to enable the device again ('caseworker-server device enable {device_id} --user {username}'), "
            "then run 'caseworker enroll' again."
        ).format(device_id=device_id, username=username)
    if code == "account_disabled":
        # Disabling ended every session of the account: after enabling, the laptop signs in anew.
        return _(
            "The account {username} is disabled on the sync server; your local work is safe. "
            "Ask IT to enable it ('caseworker-server user enable {username}'), then run 'caseworker enroll' again."
        ).format(username=username)
    return None
