"""The session-lock seam against a real D-Bus daemon: logind's PrepareForSleep and Session.Lock lock the app.

A private dbus-daemon stands in for the system bus; a second connection owns the name
org.freedesktop.login1 and emits the signals as logind does.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from pytestqt.qtbot import QtBot

from caseworker_app.ui.lock import SessionWatch

LOGIND = "org.freedesktop.login1"


@pytest.fixture
def private_bus() -> Iterator[str]:
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.fail("dbus-daemon is needed for this test (apt-get install dbus)")
    process = subprocess.Popen([daemon, "--session", "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        address = process.stdout.readline().strip()
        assert address, "the bus did not start"
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)


def logind_on(address: str, name: str) -> QDBusConnection:
    bus = QDBusConnection.connectToBus(address, name)
    assert bus.isConnected()
    assert bus.registerService(LOGIND)
    return bus


@pytest.mark.parametrize(
    ("path", "interface", "member", "arguments", "why"),
    [
        ("/org/freedesktop/login1", f"{LOGIND}.Manager", "PrepareForSleep", [True], "suspending"),
        ("/org/freedesktop/login1/session/_31", f"{LOGIND}.Session", "Lock", [], "session locked"),
    ],
)
def test_logind_signals_ask_for_a_lock(
    qtbot: QtBot, private_bus: str, path: str, interface: str, member: str, arguments: list[object], why: str
) -> None:
    listener = QDBusConnection.connectToBus(private_bus, f"app-{member}")
    watch = SessionWatch()
    assert watch.listen(listener)
    logind = logind_on(private_bus, f"logind-{member}")
    signal = QDBusMessage.createSignal(path, interface, member)
    signal.setArguments(arguments)
    with qtbot.waitSignal(watch.lock_requested, timeout=10000) as caught:
        assert logind.send(signal)
    assert caught.args == [why]
    QDBusConnection.disconnectFromBus(f"app-{member}")
    QDBusConnection.disconnectFromBus(f"logind-{member}")


def test_waking_up_is_not_a_reason_to_lock(qtbot: QtBot, private_bus: str) -> None:
    listener = QDBusConnection.connectToBus(private_bus, "app-wake")
    watch = SessionWatch()
    assert watch.listen(listener)
    logind = logind_on(private_bus, "logind-wake")
    signal = QDBusMessage.createSignal("/org/freedesktop/login1", f"{LOGIND}.Manager", "PrepareForSleep")
    signal.setArguments([False])
    with qtbot.assertNotEmitted(watch.lock_requested, wait=1500):
        assert logind.send(signal)
    QDBusConnection.disconnectFromBus("app-wake")
    QDBusConnection.disconnectFromBus("logind-wake")


@pytest.mark.parametrize(
    ("message", "w_param", "why"),
    [(0x02B1, 0x7, "session locked"), (0x0218, 0x4, "suspending"), (0x02B1, 0x8, None), (0x0218, 0x7, None)],
)
def test_windows_session_messages_are_read_as_logind_signals_are(
    message: int, w_param: int, why: str | None
) -> None:
    """The Windows filter's decoding, fed a MSG structure as Qt hands it over (the API call itself runs
    only on Windows): lock and suspend ask for a lock; unlock (0x8) and resume (0x7) do not."""
    import ctypes
    import ctypes.wintypes

    from caseworker_app.ui.lock import _WindowsSessionFilter

    heard: list[str] = []
    native = _WindowsSessionFilter(heard.append)
    msg = ctypes.wintypes.MSG()
    msg.message, msg.wParam = message, w_param
    assert native.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(msg)) == (False, 0)
    assert heard == ([why] if why else [])
