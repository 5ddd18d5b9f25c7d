"""The deploy/ recipe started on this machine's loopback: HAProxy (TLS) -> nodes -> PgBouncer -> PostgreSQL.

Every process is started from the files in deploy/ (the HAProxy config as is, the PgBouncer config
with its addresses, ports and files overridden, each node from the ExecStart line of the systemd
unit), so the tests and the load benchmark exercise what a county installs. Loopback only.
"""

from __future__ import annotations

import configparser
import datetime as dt
import ipaddress
import os
import pwd
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
HAPROXY_CONFIG = DEPLOY / "haproxy" / "caseworker.cfg"
PGBOUNCER_CONFIG = DEPLOY / "pgbouncer" / "pgbouncer.ini"
NODE_UNIT = DEPLOY / "systemd" / "caseworker-server@.service"
LOOPBACK = "127.0.0.1"


class FleetError(RuntimeError):
    """A part of the fleet is missing or did not start; the message says which."""


def require_loopback(host: str) -> None:
    """Refuse any address off this machine: the fleet and its load stay on loopback."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise FleetError(f"{host} is not a loopback address; the fleet runs on this machine only.")


def missing_tools() -> list[str]:
    return [tool for tool in ("haproxy", "pgbouncer") if shutil.which(tool) is None]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], what: str, log: Path, timeout: float = 30, host: str = LOOPBACK
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket() as sock:
            if sock.connect_ex((host, port)) == 0:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            raise FleetError(f"{what} did not start: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.1)


def self_signed_pem(folder: Path, host: str = LOOPBACK) -> tuple[Path, Path]:
    """A throw-away certificate for `host`: (certificate for clients to trust, certificate+key for HAProxy)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "caseworker.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host)), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cert_file, pem_file = folder / "agency.crt", folder / "haproxy.pem"
    cert_file.write_bytes(cert_pem)
    pem_file.write_bytes(cert_pem + key_pem)
    pem_file.chmod(0o600)
    return cert_file, pem_file


def node_command(port: int, workers: int) -> list[str]:
    """The ExecStart line of caseworker-server@.service for instance `port`, run from this Python."""
    exec_start = next(
        line.split("=", 1)[1] for line in NODE_UNIT.read_text().splitlines() if line.startswith("ExecStart=")
    )
    words = shlex.split(exec_start.replace("%i", str(port)))
    if "--workers" in words:
        words[words.index("--workers") + 1] = str(workers)
    return [sys.executable, "-m", "caseworker_server.cli", *words[1:]]


@dataclass
class Node:
    url: str  # the node's own http address
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class Fleet:
    url: str  # HAProxy's https address, what laptops are configured with
    ca_file: Path  # the certificate laptops trust
    nodes: list[Node]  # behind HAProxy
    database_url: str  # what the nodes use: through PgBouncer
    logs: Path  # every part's log, for a failure's details


def _start(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def pgbouncer(postgres_url: str, folder: Path) -> Iterator[str]:
    """PgBouncer from deploy/pgbouncer/pgbouncer.ini in front of the database of `postgres_url`
    (trust sign-in on loopback, as the test PostgreSQL); yields the URL that goes through it."""
    url = make_url(postgres_url)
    require_loopback(url.host or "")
    config = configparser.ConfigParser(interpolation=None, comment_prefixes=(";", "#"))
    config.optionxform = str  # type: ignore[assignment,method-assign]
    config.read(PGBOUNCER_CONFIG)
    port = free_port()
    config["databases"] = {url.database or "": f"host={url.host} port={url.port or 5432} dbname={url.database}"}
    config["pgbouncer"].update(
        listen_addr=LOOPBACK,
        listen_port=str(port),
        unix_socket_dir="",
        auth_type="trust",
        auth_file=str(folder / "userlist.txt"),
        logfile="",
        pidfile="",
    )
    (folder / "userlist.txt").write_text(f'"{url.username}" ""\n')
    ini = folder / "pgbouncer.ini"
    with ini.open("w") as out:
        config.write(out)
    command = ["pgbouncer", str(ini)]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        for file in folder.iterdir():
            os.chown(file, user.pw_uid, user.pw_gid)
        command[1:1] = ["-u", "postgres"]
    log = folder / "pgbouncer.log"
    process = _start(command, log)
    try:
        wait_for_port(port, process, "PgBouncer", log)
        yield url.set(port=port).render_as_string(hide_password=False)
    finally:
        _stop(process)


@contextmanager
def node(database_url: str, folder: Path, workers: int = 1) -> Iterator[Node]:
    """One caseworker-server node as caseworker-server@.service starts it."""
    port = free_port()
    home = folder / f"node-{port}"
    home.mkdir(mode=0o700)
    log = folder / f"node-{port}.log"
    process = _start(
        node_command(port, workers),
        log,
        {"CASEWORKER_DATABASE_URL": database_url, "CASEWORKER_SERVER_HOME": str(home)},
    )
    base = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise FleetError(f"node on port {port} did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield Node(base, process)
    finally:
        _stop(process)


@contextmanager
def haproxy(nodes: list[str], folder: Path, host: str = LOOPBACK) -> Iterator[tuple[str, Path]]:
    """HAProxy with deploy/haproxy/caseworker.cfg and a throw-away certificate: (https address, certificate)."""
    require_loopback(host)
    if len(nodes) != 2:
        raise FleetError("deploy/haproxy/caseworker.cfg names two nodes; add server lines for more.")
    cert, pem = self_signed_pem(folder, host)
    port = free_port()
    env = {
        "CASEWORKER_HAPROXY_BIND": f"{host}:{port}",
        "CASEWORKER_HAPROXY_PEM": str(pem),
        **{f"CASEWORKER_NODE{n}": node.removeprefix("http://") for n, node in enumerate(nodes, 1)},
    }
    log = folder / "haproxy.log"
    process = _start(["haproxy", "-db", "-f", str(HAPROXY_CONFIG)], log, env)
    url = f"https://{host}:{port}"
    try:
        wait_for_port(port, process, "HAProxy", log, host=host)
        deadline = time.monotonic() + 30
        trust = ssl.create_default_context(cafile=str(cert))
        while httpx.get(f"{url}/v1/health", verify=trust, timeout=5).status_code != 200:
            if time.monotonic() > deadline:
                raise FleetError("HAProxy does not reach the nodes")
            time.sleep(0.2)
        yield url, cert
    finally:
        _stop(process)


@contextmanager
def fleet(
    postgres_url: str, *, nodes: int = 2, workers: int = 1, folder: Path | None = None, host: str = LOOPBACK
) -> Iterator[Fleet]:
    """The whole recipe over the (already migrated) database of `postgres_url`; HAProxy listens on `host`."""
    require_loopback(host)
    missing = missing_tools()
    if missing:
        raise FleetError(f"{' and '.join(missing)} not installed (apt-get install haproxy pgbouncer)")
    with ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="caseworker-fleet-")))
        bouncer_dir = folder / "pgbouncer"
        bouncer_dir.mkdir(exist_ok=True)
        through_bouncer = stack.enter_context(pgbouncer(postgres_url, bouncer_dir))
        started = [stack.enter_context(node(through_bouncer, folder, workers)) for _ in range(nodes)]
        url, cert = stack.enter_context(haproxy([n.url for n in started], folder, host))
        yield Fleet(url, cert, started, through_bouncer, folder)
