"""Look for a newer version on the agency's signed update feed (TUF) and offer it only once TUF verifies it.

The feed's root of trust ships inside the app (update-root.json beside this module in a bundle); every
later piece (timestamp, snapshot, targets, the installer itself) must chain to it, be unexpired, and
never roll back to older metadata. Anything else is refused and nothing is offered.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from caseworker_app import __version__
from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import _
from caseworker_app.settings import Settings

log = logging.getLogger(__name__)

SHIPPED_ROOT = Path(__file__).resolve().with_name("update-root.json")
LATEST = "latest.json"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class UpdateError(CaseworkerError):
    """The feed could not be checked or failed verification; nothing was downloaded or installed."""


@dataclass(frozen=True)
class UpdateOffer:
    version: str
    installer: Path  # verified against the signed targets metadata


@dataclass(frozen=True)
class UpdateCheck:
    offer: UpdateOffer | None
    reason: str  # what to tell the user when nothing is offered


def platform_key(platform: str = sys.platform) -> str:
    if platform == "win32":
        return "windows-msi"
    if platform == "darwin":
        return "macos-pkg"
    return "linux-deb"


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        problem = _("The update feed names a version '{version}' this app cannot compare.").format(version=text)
        raise UpdateError(problem) from None


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        return url.rstrip("/")
    raise UpdateError(
        _("The update feed address {address} must start with https:// (ask IT to fix the policy).").format(address=url)
    )


def check_for_update(
    settings: Settings,
    cache_dir: Path,
    *,
    current: str = __version__,
    trusted_root: Path | None = None,
    platform: str | None = None,
) -> UpdateCheck:
    """Ask the feed for the newest version; download and verify its installer if it is newer than `current`."""
    if settings.get("updates_managed_by_it"):
        return UpdateCheck(None, _("IT installs updates on this computer."))
    url = str(settings.get("updates_url") or "")
    if not url:
        return UpdateCheck(None, _("No update feed is configured."))
    base = _check_url(url)
    root = trusted_root or SHIPPED_ROOT
    if not root.is_file():
        raise UpdateError(_("This build carries no update signing root, so it cannot check for updates."))

    from tuf.api.exceptions import DownloadError, DownloadLengthMismatchError, RepositoryError
    from tuf.ngclient.updater import Updater

    metadata_dir = cache_dir / "metadata"
    metadata_dir.mkdir(parents=True, exist_ok=True)
    if not (metadata_dir / "root.json").exists():
        shutil.copyfile(root, metadata_dir / "root.json")  # later roots are fetched and chained from it
    downloads = cache_dir / "downloads"
    downloads.mkdir(exist_ok=True)
    updater = Updater(str(metadata_dir), f"{base}/metadata/", str(downloads), f"{base}/targets/", bootstrap=None)
    wanted = platform or platform_key()
    try:
        updater.refresh()
        info = updater.get_targetinfo(LATEST)
        if info is None:
            raise UpdateError(_("The update feed does not say which version is newest."))
        latest = json.loads(Path(updater.download_target(info, str(cache_dir / LATEST))).read_text("utf-8"))
        version = str(latest["version"])
        if _version(version) <= _version(current):
            return UpdateCheck(None, _("Caseworker {version} is up to date.").format(version=current))
        name = latest.get("installers", {}).get(wanted)
        if not name:
            no_installer = _("Version {version} has no installer for this system yet.").format(version=version)
            return UpdateCheck(None, no_installer)
        target = updater.get_targetinfo(str(name))
        if target is None:
            raise UpdateError(
                _("The installer for version {version} is not signed by the update feed.").format(version=version)
            )
        path = updater.find_cached_target(target) or updater.download_target(target)
    except (RepositoryError, DownloadLengthMismatchError) as exc:  # the latter: more bytes than signed for
        log.warning("Update feed refused: %s", type(exc).__name__)
        raise UpdateError(
            _(
                "The update feed failed its signature checks ({reason}); "
                "nothing was downloaded or installed. Tell IT."
            ).format(reason=f"{type(exc).__name__}: {exc}")
        ) from exc
    except DownloadError as exc:
        raise UpdateError(
            _("The update feed at {address} could not be reached; try again later.").format(address=base)
        ) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise UpdateError(_("The update feed's version list is damaged; nothing was downloaded.")) from exc
    log.info("Update %s verified", version)
    return UpdateCheck(UpdateOffer(version, Path(path)), _("Version {version} is available.").format(version=version))
