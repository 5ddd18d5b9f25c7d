"""Sign-in, token refresh, wipe reports and who-am-I."""

from __future__ import annotations

from fastapi import APIRouter

from caseworker_app.sync.protocol import RefreshRequest, TokenRequest, TokenResponse, UserInfo, WipeConfirmation
from caseworker_server import auth
from caseworker_server.errors import Refusal
from caseworker_server.web import DB, AccessToken, Address, Config, principal

router = APIRouter(tags=["auth"])


@router.post("/v1/auth/token", response_model=TokenResponse)
def token(body: TokenRequest, db: DB, config: Config, address: Address) -> TokenResponse:
    refusal: Refusal | None = None
    # The password is hashed outside any transaction: sign-ins do not queue on each other's hashing,
    # and no database connection waits on argon2.
    with db.read() as session:
        stored, known = auth.stored_hash_first(session, config, body.username, address)
    checked = auth.check_password(stored, known, body.password)
    with db.write() as session:
        try:
            return auth.login(
                session,
                config,
                username=body.username,
                password=body.password,
                device_uid=body.device_id,
                device_name=body.device_name,
                address=address,
                checked=checked,
            )
        except Refusal as exc:
            refusal = exc  # commit the failure count before refusing
    raise refusal


@router.post("/v1/auth/refresh", response_model=TokenResponse)
def refresh(body: RefreshRequest, db: DB, config: Config) -> TokenResponse:
    refusal: Refusal | None = None
    with db.write() as session:
        try:
            return auth.refresh(session, config, raw=body.refresh_token, device_uid=body.device_id)
        except Refusal as exc:
            refusal = exc  # commit a chain revocation before refusing
    raise refusal


@router.post("/v1/auth/wipe-confirmed")
def wipe_confirmed(body: WipeConfirmation, db: DB) -> dict[str, str]:
    with db.write() as session:
        auth.confirm_wipe(session, raw=body.refresh_token, device_uid=body.device_id)
    return {"status": "wiped"}


@router.get("/v1/me", response_model=UserInfo)
def me(raw: AccessToken, db: DB, config: Config) -> UserInfo:
    with db.read() as session:
        user = principal(db, config, session, raw).user
        return UserInfo(username=user.username, display_name=user.display_name, role=user.role)
