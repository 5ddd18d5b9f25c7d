"""Writing report PDFs: optional AES-256 password, atomic write next to the target, audit event.

`export_visit_summary` and `export_case_history` are the use cases the CLI and
the desktop app call; `write_pdf` is the file-writing part on its own.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import logging
import os
import secrets
import tempfile
import threading
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from pypdf import PdfReader, PdfWriter

from caseworker_app.domain.passwords import MIN_PDF_PASSWORD_LENGTH, pdf_password_problem
from caseworker_app.i18n import _
from caseworker_app.services.reports.audience import Audience
from caseworker_app.services.reports.bundle import (
    AgencyBranding,
    RecordSource,
    case_history_data,
    visit_summary_data,
)
from caseworker_app.services.reports.case_history import render_case_history
from caseworker_app.services.reports.errors import ExportCancelled, ExportError
from caseworker_app.services.reports.language import DocumentText, check_written_language
from caseworker_app.services.reports.visit_summary import render_visit_summary
from caseworker_app.services.staff import StaffMember
from caseworker_app.settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

__all__ = [
    "AuditLog",
    "ExportError",
    "agency_branding",
    "export_case_history",
    "export_visit_summary",
    "write_pdf",
]


def password_required(settings: Settings, audience: Audience | str) -> bool:
    """Whether IT policy requires a password on exports for `audience` (by default: the internal copy)."""
    required = {a.strip() for a in str(settings.get("export_password_audiences")).split(",")}
    return Audience(audience).value in required


def agency_branding(settings: Settings) -> AgencyBranding:
    """The agency's name and logo as IT configured them, for every exported page."""
    logo = str(settings.get("agency_logo"))
    return AgencyBranding(name=str(settings.get("agency_name")), logo_path=Path(logo) if logo else None)


class AuditLog(Protocol):
    """Where export events go; the store's Repository.audit has this shape."""

    def audit(
        self,
        action: str,
        *,
        case_id: str | None = None,
        entity: str | None = None,
        row_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None: ...


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """The same PDF, AES-256 encrypted: it opens only with `password`."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    # A random owner password: nobody can lift the restrictions without the user password.
    writer.encrypt(user_password=password, owner_password=secrets.token_urlsafe(24), algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _os_error_message(err: OSError, folder: Path, target: Path) -> str:
    if err.errno == errno.ENOSPC:
        return (
            f"Not enough disk space to save {target.name} in {folder}; free some space and try again "
            "(any earlier file of that name is unchanged)."
        )
    if err.errno == errno.EDQUOT:
        return f"Your disk quota is full; cannot save {target.name} in {folder}."
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Cannot write to {folder}: permission denied. Choose another folder."
    if err.errno == errno.ENAMETOOLONG:
        return f"The file name {target.name} is too long; choose a shorter name."
    reason = err.strerror or type(err).__name__
    return f"Could not save {target}: {reason}."


def write_pdf(
    pdf: bytes,
    out_path: Path,
    password: str | None,
    *,
    before_commit: Callable[[bytes], None] | None = None,
) -> bytes:
    """Write the PDF to `out_path` atomically, encrypted when a password is given.

    The temp file lives in the target's own folder (so nothing lands in /tmp and
    the final rename is atomic), is fsynced, then replaces the target. On any
    failure it is removed and an existing file at `out_path` stays as it was.
    `before_commit` runs with the final bytes just before the rename (the audit
    event): if it raises, nothing is written. Returns the bytes written.
    """
    target = Path(out_path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if password is not None and not password:
        raise ExportError("The PDF password is empty; enter a password or export without one.")
    problem = pdf_password_problem(password) if password is not None else None
    if problem:
        raise ExportError(problem)
    if not folder.exists():
        raise ExportError(f"The folder {folder} does not exist; create it or choose another.")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder; choose a folder to save the PDF in.")
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name for the PDF.")
    if target.is_symlink() and target.exists():
        target = target.resolve()  # replace the file the link points to, and keep the link
        folder = target.parent
    if target.exists() and not target.is_file():
        # A device (/dev/full), a pipe or a socket: renaming over it would replace it with a file.
        raise ExportError(f"{target} is not a regular file; choose a file name for the PDF.")
    data = encrypt_pdf(pdf, password) if password else pdf

    temp_name: str | None = None
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if before_commit is not None:
            before_commit(data)
        os.replace(temp_name, target)
        temp_name = None
        _fsync_folder(folder)
    except OSError as err:
        raise ExportError(_os_error_message(err, folder, target)) from err
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    return data


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not possible (nor needed) on Windows."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _step(progress: Progress | None, cancel: threading.Event | None, fraction: float, message: str) -> None:
    if cancel is not None and cancel.is_set():
        raise ExportCancelled(_("Export cancelled; no file was written."))
    if progress is not None:
        progress(fraction, message)


def _export(
    kind: str,
    render: Callable[[], tuple[bytes, str, str, dict[str, Any]]],
    out_path: Path,
    audience: Audience,
    password: str | None,
    audit: AuditLog,
    progress: Progress | None,
    cancel: threading.Event | None,
    require_password: bool = False,
) -> Path:
    _step(progress, cancel, 0.05, _("Reading the records"))
    pdf, case_id, row_id, extra = render()
    if require_password and not password:
        raise ExportError(
            f"Your agency requires a password on every {audience.value} export; give one"
            f" of at least {MIN_PDF_PASSWORD_LENGTH} characters."
        )
    _step(progress, cancel, 0.8, _("Saving the PDF"))
    target = Path(out_path).expanduser().absolute()

    def record_event(data: bytes) -> None:
        _step(None, cancel, 0.9, "")
        audit.audit(
            "export",
            case_id=case_id,
            entity="Visit" if kind == "visit_summary" else "Case",
            row_id=row_id,
            detail={
                "report": kind,
                "audience": audience.value,
                "path": str(target),
                "encrypted": password is not None,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                **extra,
            },
        )

    write_pdf(pdf, target, password, before_commit=record_event)
    log.info("Exported a %s (%s audience)", kind, audience.value)
    _step(progress, None, 1.0, _("Saved"))
    return target


def export_visit_summary(
    source: RecordSource,
    visit_id: str,
    out_path: Path,
    *,
    audience: Audience,
    agency: AgencyBranding,
    audit: AuditLog,
    password: str | None = None,
    require_password: bool = False,
    family_shows_household_members: bool = False,
    family_shares_placement_details: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    staff: Mapping[str, StaffMember] | None = None,
    language: str | None = None,
) -> Path:
    """Render a visit summary for `audience` in `language` (a code; None: the language in use),
    write it, and record the export. Returns the path. A language without a catalog is refused."""
    written = check_written_language(language) if language else None

    def render() -> tuple[bytes, str, str, dict[str, Any]]:
        data = visit_summary_data(source, visit_id, agency, staff)
        _step(progress, cancel, 0.3, _("Laying out the summary"))
        pdf = render_visit_summary(
            data,
            audience,
            family_shows_household_members=family_shows_household_members,
            family_shares_placement_details=family_shares_placement_details,
            language=written,
        )
        return pdf, data.case.id, data.visit.id, {"draft": data.is_draft, "language": DocumentText(written).language}

    return _export(
        "visit_summary", render, out_path, Audience(audience), password, audit, progress, cancel, require_password
    )


def export_case_history(
    source: RecordSource,
    case_id: str,
    start: date,
    end: date,
    out_path: Path,
    *,
    audience: Audience,
    agency: AgencyBranding,
    audit: AuditLog,
    password: str | None = None,
    require_password: bool = False,
    family_shows_household_members: bool = False,
    family_shares_placement_details: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    staff: Mapping[str, StaffMember] | None = None,
    language: str | None = None,
) -> Path:
    """Render a case history for start..end and `audience` in `language`, write it, and record the export."""
    written = check_written_language(language) if language else None

    def render() -> tuple[bytes, str, str, dict[str, Any]]:
        data = case_history_data(source, case_id, start, end, agency, staff)
        _step(progress, cancel, 0.3, _("Laying out the case history"))
        pdf = render_case_history(
            data,
            audience,
            family_shows_household_members=family_shows_household_members,
            family_shares_placement_details=family_shares_placement_details,
            language=written,
        )
        period = {"from": start.isoformat(), "to": end.isoformat(), "language": DocumentText(written).language}
        return pdf, data.case.id, data.case.id, period

    return _export(
        "case_history", render, out_path, Audience(audience), password, audit, progress, cancel, require_password
    )
