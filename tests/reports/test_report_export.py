"""Exports: AES-256 passwords, atomic writes that leave nothing behind, clear errors, audit events."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.services.reports import (
    Audience,
    ExportCancelled,
    ExportError,
    export_case_history,
    export_visit_summary,
    render_visit_summary,
    visit_summary_data,
    write_pdf,
)


@pytest.fixture
def summary_pdf(family: Any, agency: Any) -> bytes:
    return render_visit_summary(visit_summary_data(family.source(), family.visit.id, agency), Audience.FULL)


@pytest.fixture(autouse=True)
def private_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temp folder for the test: the export must leave nothing in it."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def only_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_encrypted_pdf_opens_only_with_its_password(
    summary_pdf: bytes, tmp_path: Path, pdf_text: Any
) -> None:
    out = tmp_path / "summary.pdf"
    write_pdf(summary_pdf, out, "s3cret-Ωmega")
    content = out.read_bytes()

    reader = PdfReader(io.BytesIO(content))
    assert reader.is_encrypted
    encrypt: Any = reader.trailer["/Encrypt"]
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not PdfReader(io.BytesIO(content)).decrypt("wrong password")
    assert "Ana María García-Ivanova" in pdf_text(content, "s3cret-Ωmega")
    assert b"Ana Mar" not in content and b"Visit summary" not in content


def test_plain_export_is_the_pdf_as_rendered(summary_pdf: bytes, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    write_pdf(summary_pdf, out, None)
    assert out.read_bytes() == summary_pdf
    assert not PdfReader(out).is_encrypted


def test_an_empty_password_is_refused(summary_pdf: bytes, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="password is empty"):
        write_pdf(summary_pdf, tmp_path / "summary.pdf", "")
    assert only_files(tmp_path) == ["system-temp"]


def test_atomic_write_leaves_no_temp_files_anywhere(
    summary_pdf: bytes, tmp_path: Path, private_tempdir: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    write_pdf(summary_pdf, folder / "summary.pdf", "pw-long-enough")
    write_pdf(summary_pdf, folder / "summary.pdf", None)  # replacing an existing file
    assert only_files(folder) == ["summary.pdf"]
    assert only_files(private_tempdir) == []


@pytest.mark.parametrize(
    ("failing", "err", "message"),
    [
        ("replace", errno.ENOSPC, "Not enough disk space to save summary.pdf"),
        ("fsync", errno.ENOSPC, "Not enough disk space to save summary.pdf"),
        ("mkstemp", errno.EACCES, "permission denied. Choose another folder."),
        ("replace", errno.EIO, "Could not save"),
    ],
)
def test_failed_write_keeps_the_original_and_cleans_up(
    summary_pdf: bytes,
    tmp_path: Path,
    private_tempdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing: str,
    err: int,
    message: str,
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "summary.pdf"
    out.write_bytes(b"the earlier export")

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(err, os.strerror(err))

    target = {"replace": (os, "replace"), "fsync": (os, "fsync"), "mkstemp": (tempfile, "mkstemp")}[failing]
    monkeypatch.setattr(*target, fail)
    with pytest.raises(ExportError) as caught:
        write_pdf(summary_pdf, out, "pw-long-enough")

    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert out.read_bytes() == b"the earlier export"
    assert only_files(folder) == ["summary.pdf"]
    assert only_files(private_tempdir) == []


def test_missing_folder_is_a_one_line_error(summary_pdf: bytes, tmp_path: Path) -> None:
    with pytest.raises(ExportError) as caught:
        write_pdf(summary_pdf, tmp_path / "no-such-folder" / "summary.pdf", None)
    folder = tmp_path / "no-such-folder"
    assert str(caught.value) == f"The folder {folder} does not exist; create it or choose another."


def test_a_folder_as_the_target_is_a_one_line_error(summary_pdf: bytes, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a folder; give a file name"):
        write_pdf(summary_pdf, tmp_path, None)


def test_export_records_an_audit_event(
    family: Any, agency: Any, audit_log: Any, tmp_path: Path, pdf_text: Any
) -> None:
    out = tmp_path / "visit.pdf"
    written = export_visit_summary(
        family.source(), family.visit.id, out, audience=Audience.SCHOOL, agency=agency, audit=audit_log,
        password="pw-school-1",
    )
    assert written == out
    [event] = audit_log.events
    assert event["action"] == "export"
    assert (event["case_id"], event["entity"], event["row_id"]) == (family.case.id, "Visit", family.visit.id)
    detail = event["detail"]
    assert detail["report"] == "visit_summary"
    assert detail["audience"] == "school"
    assert detail["path"] == str(out)
    assert detail["encrypted"] is True
    assert detail["draft"] is False
    assert detail["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    # Who and when come from the audit log itself (the store stamps actor and time).
    assert "Prepared for the school" in pdf_text(out.read_bytes(), "pw-school-1")


def test_case_history_export_records_the_period(
    family: Any, agency: Any, audit_log: Any, tmp_path: Path
) -> None:
    progress: list[float] = []
    export_case_history(
        family.source(), family.case.id, date(2025, 1, 1), date(2025, 3, 31), tmp_path / "history.pdf",
        audience=Audience.FULL, agency=agency, audit=audit_log, progress=lambda f, _m: progress.append(f),
    )
    [event] = audit_log.events
    assert event["detail"]["report"] == "case_history"
    assert (event["detail"]["from"], event["detail"]["to"]) == ("2025-01-01", "2025-03-31")
    assert progress[-1] == 1.0 and progress == sorted(progress)


def test_no_file_when_the_audit_event_cannot_be_recorded(
    family: Any, agency: Any, tmp_path: Path
) -> None:
    class BrokenAudit:
        def audit(self, action: str, **kwargs: Any) -> None:
            raise CaseworkerError("The profile is locked; unlock it and try again.")

    with pytest.raises(CaseworkerError, match="locked"):
        export_visit_summary(family.source(), family.visit.id, tmp_path / "visit.pdf",
                             audience=Audience.FULL, agency=agency, audit=BrokenAudit())
    assert only_files(tmp_path) == ["system-temp"]


def test_cancelled_export_writes_nothing(family: Any, agency: Any, audit_log: Any, tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ExportCancelled):
        export_visit_summary(family.source(), family.visit.id, tmp_path / "visit.pdf", audience=Audience.FULL,
                             agency=agency, audit=audit_log, cancel=cancel)
    assert audit_log.events == []
    assert only_files(tmp_path) == ["system-temp"]


def test_unknown_visit_is_a_one_line_error_and_no_event(
    family: Any, agency: Any, audit_log: Any, tmp_path: Path
) -> None:
    with pytest.raises(CaseworkerError) as caught:
        export_visit_summary(family.source(), "no-such-visit", tmp_path / "visit.pdf", audience=Audience.FULL,
                             agency=agency, audit=audit_log)
    assert "\n" not in str(caught.value) and "no-such-visit" in str(caught.value)
    assert audit_log.events == []


def test_inverted_date_range_is_a_one_line_error(
    family: Any, agency: Any, audit_log: Any, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="start date 2025-03-01 is after the end date 2025-01-01"):
        export_case_history(family.source(), family.case.id, date(2025, 3, 1), date(2025, 1, 1),
                            tmp_path / "h.pdf", audience=Audience.FULL, agency=agency, audit=audit_log)


@pytest.mark.parametrize("kind", ["fifo", "link-to-device"])
def test_a_device_or_pipe_as_target_is_refused_and_left_alone(summary_pdf: bytes, tmp_path: Path, kind: str) -> None:
    # `--out /dev/full` once replaced the device node with a file; a link to a device is the safe stand-in.
    out = tmp_path / "summary.pdf"
    if kind == "fifo":
        os.mkfifo(out)
    else:
        out.symlink_to("/dev/null")
    with pytest.raises(ExportError, match="is not a regular file"):
        write_pdf(summary_pdf, out, None)
    if kind == "fifo":
        assert stat.S_ISFIFO(os.stat(out).st_mode)
    else:
        assert out.is_symlink() and os.readlink(out) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "system-temp") == ["summary.pdf"]


def test_a_link_to_an_earlier_export_is_kept_and_its_file_replaced(summary_pdf: bytes, tmp_path: Path) -> None:
    real = tmp_path / "real.pdf"
    real.write_bytes(b"the earlier export")
    link = tmp_path / "summary.pdf"
    link.symlink_to(real)
    write_pdf(summary_pdf, link, None)
    assert link.is_symlink() and real.read_bytes() == summary_pdf


def test_a_short_pdf_password_is_refused(summary_pdf: bytes, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    with pytest.raises(ExportError, match="at least 8"):
        write_pdf(summary_pdf, out, "x")
    assert not out.exists()


def test_policy_requires_a_password_on_internal_exports_by_default(
    family: Any, agency: Any, audit_log: Any, tmp_path: Path
) -> None:
    from caseworker_app.services.reports.export import password_required
    from caseworker_app.settings import Settings

    settings = Settings(tmp_path)
    assert password_required(settings, Audience.FULL) and not password_required(settings, Audience.SCHOOL)
    out = tmp_path / "visit.pdf"
    with pytest.raises(ExportError, match="requires a password"):
        export_visit_summary(
            family.source(), family.visit.id, out, audience=Audience.FULL, agency=agency, audit=audit_log,
            require_password=password_required(settings, Audience.FULL),
        )
    assert not out.exists() and audit_log.events == []
