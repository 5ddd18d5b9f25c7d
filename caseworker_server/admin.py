"""Administration shared by the CLI and the tests: users, case assignments, devices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker_app.domain.passwords import password_problem
from caseworker_server import access, auth
from caseworker_server.changelog import ChangeSet
from caseworker_server.errors import Invalid, NotFound
from caseworker_server.models import ROLES, Device, User, utcnow
from caseworker_server.reference import put_team_member


def get_user(session: Session, username: str) -> User:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise NotFound(f"No user named {username}.")
    return user


def check_password(password: str, username: str = "", display_name: str = "") -> None:
    """Refuse a weak account password; the user's names (and the app's) count as easy guesses."""
    problem = password_problem(password, related=(username, display_name))
    if problem:
        raise Invalid(problem)


def add_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    *,
    supervisor: str | None = None,
    display_name: str = "",
) -> User:
    if role not in ROLES:
        raise Invalid(f"Choose a role among: {', '.join(ROLES)}.")
    if not username or len(username) > 128 or not username.isprintable() or " " in username:
        raise Invalid("A username is 1 to 128 characters, without spaces.")
    check_password(password, username, display_name)
    if session.execute(select(User.id).where(User.username == username)).first() is not None:
        raise Invalid(f"A user named {username} already exists.")
    supervisor_id = None
    if supervisor:
        boss = get_user(session, supervisor)
        if boss.role != "supervisor":
            raise Invalid(f"{supervisor} is not a supervisor.")
        supervisor_id = boss.id
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        password_hash=auth.hash_password(password),
        supervisor_id=supervisor_id,
        disabled=False,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    changes = ChangeSet()
    put_team_member(session, changes, user)
    changes.stamp(session)
    return user


def set_disabled(session: Session, username: str, disabled: bool = True) -> None:
    """Disabling ends every session at once; enabling again revives none of them (they sign in anew).

    Enabling ends sessions too: an account disabled by an older server may still hold live tokens.
    """
    user = get_user(session, username)
    user.disabled = disabled
    auth.end_sessions(session, user)
    changes = ChangeSet()
    put_team_member(session, changes, user)
    changes.stamp(session)


def reset_password(session: Session, username: str, password: str) -> None:
    """A new password, and every session of the user ended: a lost laptop's tokens die with the old one."""
    check_password(password, username)
    user = get_user(session, username)
    user.password_hash = auth.hash_password(password)
    auth.end_sessions(session, user)


def assign(session: Session, case_id: str, username: str, actor: str = "admin") -> None:
    user = get_user(session, username)
    if user.disabled:
        raise Invalid(f"{username} is disabled; enable the account or choose someone else.")
    changes = ChangeSet()
    access.assign_case(session, changes, case_id.lower(), user, actor)
    changes.stamp(session)


def unassign(session: Session, case_id: str) -> None:
    changes = ChangeSet()
    access.unassign_case(session, changes, case_id.lower())
    changes.stamp(session)


@dataclass(frozen=True)
class DeviceRow:
    device_id: str
    username: str
    name: str
    last_seen_at: datetime | None
    state: str


def device_state(device: Device) -> str:
    if device.wipe_confirmed_at is not None:
        return "wiped"
    if device.wipe_requested_at is not None:
        return "wipe pending"
    if device.revoked_at is not None:
        return "revoked"
    return "active"


def list_devices(session: Session, username: str | None = None) -> list[DeviceRow]:
    stmt = select(Device, User.username).join(User, User.id == Device.user_id).order_by(User.username, Device.id)
    if username:
        stmt = stmt.where(User.username == username)
    return [
        DeviceRow(device.device_uid, name, device.name, device.last_seen_at, device_state(device))
        for device, name in session.execute(stmt).all()
    ]


def find_device(session: Session, device_id: str, username: str | None = None) -> Device:
    """The one device an admin command means. Laptops choose their ids, unique per account only:
    with the account named, only its device; without, the id must belong to one account."""
    stmt = select(Device, User.username).join(User, User.id == Device.user_id)
    stmt = stmt.where(Device.device_uid == device_id.strip().lower())
    if username:
        stmt = stmt.where(User.username == username)
    found = list(session.execute(stmt).all())
    if not found:
        owner = f" of {username}" if username else ""
        raise NotFound(f"No device{owner} with id {device_id}.")
    if len(found) > 1:
        names = ", ".join(sorted(name for _device, name in found))
        raise Invalid(f"Device {device_id} is registered to several users ({names}); name one with --user.")
    device: Device = found[0][0]
    return device


def revoke_device(session: Session, device_id: str, username: str | None = None) -> None:
    device = find_device(session, device_id, username)
    device.revoked_at = device.revoked_at or utcnow()
    auth.revoke_device_tokens(session, device)


def enable_device(session: Session, device_id: str, username: str | None = None) -> None:
    """Lift a revocation, so the laptop can enroll again (with its password); a wiped one cannot."""
    device = find_device(session, device_id, username)
    if device.wipe_requested_at is not None:
        raise Invalid(
            f"Device {device_id} was ordered wiped; it cannot be enabled again. "
            "Enrolling the laptop afresh registers it as a new device."
        )
    device.revoked_at = None  # its old tokens stay spent: only a new sign-in gets it back


def wipe_device(session: Session, device_id: str, username: str | None = None) -> None:
    """Order a wipe: from now on the device gets the signed order at every contact and nothing else
    (bar the last push of a sync under way); once it reports the wipe it is revoked."""
    device = find_device(session, device_id, username)
    device.wipe_requested_at = device.wipe_requested_at or utcnow()
