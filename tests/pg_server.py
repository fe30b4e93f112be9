"""A throwaway PostgreSQL server for tests and benchmarks (no systemd, no passwords).

``initdb -A trust`` into a temporary folder and ``pg_ctl start`` on 127.0.0.1 and a free port;
everything is removed on exit. PostgreSQL refuses to run as root, so as root the server runs as
the ``postgres`` user (``runuser``). ``VANBAN_TEST_PG_URL`` (a superuser URL, e.g.
``postgresql://postgres@127.0.0.1:5432/postgres``) skips all of this and uses that server.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class Unavailable(Exception):
    """No PostgreSQL server can be had here; the message says why."""


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return versions[-1] if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Yield the URL of a fresh superuser database on a private server; stop it afterwards."""
    env_url = os.environ.get("VANBAN_TEST_PG_URL")
    if env_url:
        yield env_url
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise Unavailable("PostgreSQL server binaries (initdb, pg_ctl) not installed; "
                          "install the Debian package 'postgresql' or set VANBAN_TEST_PG_URL")
    prefix: list[str] = []
    user = None
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        try:
            import pwd

            pwd.getpwnam("postgres")
            user = "postgres"
        except (KeyError, ImportError):
            user = None
        if not runuser or user is None:
            raise Unavailable("running as root without a 'postgres' user (or runuser): PostgreSQL "
                              "cannot run as root; set VANBAN_TEST_PG_URL")
        prefix = [runuser, "-u", user, "--"]
    base = Path(tempfile.mkdtemp(prefix="vanban-pg-"))
    if user:
        shutil.chown(base, user=user)
    data = base / "data"
    port = _free_port()
    log = base / "server.log"
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    try:
        subprocess.run([*prefix, initdb, "-D", str(data), "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust",
                        "-U", "postgres"], check=True, capture_output=True, env=env, timeout=120)
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                        f"-p {port} -c listen_addresses=127.0.0.1 -k {base} -c fsync=off "
                        f"-c synchronous_commit=off -c full_page_writes=off", "start"],
                       check=True, capture_output=True, env=env, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as err:
        detail = getattr(err, "stderr", b"") or b""
        shutil.rmtree(base, ignore_errors=True)
        raise Unavailable(f"could not start a throwaway PostgreSQL: {err} {detail.decode(errors='replace')[-400:]}"
                          ) from None
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, env=env, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def _admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def create_database(server_url: str) -> str:
    """A new empty database on the server; returns its URL."""
    name = "vanban_" + uuid.uuid4().hex[:12]
    with _admin(server_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
    head, _slash, _db = server_url.rpartition("/")
    return f"{head}/{name}"


def drop_database(server_url: str, url: str) -> None:
    name = url.rpartition("/")[2]
    with _admin(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
