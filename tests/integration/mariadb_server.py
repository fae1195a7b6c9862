"""A throwaway MariaDB server for tests and demos (Python standard library only).

Usage:

    from mariadb_server import MariaDB

    with MariaDB(extra_args=["--log-bin-compress=ON"]) as db:
        db.execute("CREATE DATABASE d")
        rows = db.sql("SELECT @@version")          # [['10.11.…-log']]
        files = db.save_binlogs("/tmp/out")        # mariadb-binlog --raw copies

Lifecycle: `start()` creates a temp dir, runs mariadb-install-db, starts mariadbd on a free loopback
port with the binlog settings mysql-cdc needs (ROW, FULL image, FULL metadata, CRC32) and relaxed
durability, and waits (bounded) for a ping. `stop()` shuts the server down (SIGTERM, then SIGKILL)
and removes the temp dir; it runs from the context manager, at interpreter exit and on SIGTERM/SIGINT.
If the test process is SIGKILLed (a ctest timeout), the kernel kills mariadbd too (PR_SET_PDEATHSIG)
and the next start() removes the orphaned temp dir.

Connection facts for clients: `host`, `port`, `socket`, and a TCP user `user`/`password` with all
privileges (including REPLICATION SLAVE and BINLOG MONITOR); root@localhost has no password and is
used over the socket by `sql()`.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

TEMP_PREFIX = "mysql-cdc-mariadb-"
OWNER_FILE = "owner.pid"
PR_SET_PDEATHSIG = 1

# The settings mysql-cdc requires (DESIGN.md, "Server checks") plus relaxed durability, which makes
# workloads fast and does not change what is written to the binlog.
BASE_ARGS = [
    "--server-id=1",
    "--log-bin=mysql-bin",
    "--binlog-format=ROW",
    "--binlog-row-image=FULL",
    "--binlog-row-metadata=FULL",
    "--binlog-checksum=CRC32",
    "--innodb-flush-log-at-trx-commit=2",
    "--sync-binlog=0",
    "--innodb-buffer-pool-size=64M",
    "--innodb-log-file-size=16M",
    "--skip-name-resolve",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
]


class MariaDBError(RuntimeError):
    pass


def find_tool(name: str) -> str:
    """Absolute path of a MariaDB program; /usr/sbin is not on every PATH (ctest, sudo)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if not found:
        raise MariaDBError(
            f"'{name}' not found: install Debian's MariaDB 10.11 "
            "(apt-get install -y mariadb-server mariadb-client, or run scripts/setup.sh)")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_orphaned_dirs() -> None:
    """Removes temp dirs left by a harness that was killed before it could clean up."""
    for path in Path(tempfile.gettempdir()).glob(TEMP_PREFIX + "*"):
        try:
            owner = int((path / OWNER_FILE).read_text().strip())
        except (OSError, ValueError):
            continue
        if not _pid_alive(owner):
            shutil.rmtree(path, ignore_errors=True)


def _drop_privileges_and_die_with_parent(uid: int | None, gid: int | None):
    libc = ctypes.CDLL(None, use_errno=True)

    def preexec() -> None:
        if uid is not None:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
        # Set after setuid: a credential change clears the parent-death signal.
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    return preexec


class MariaDB:
    def __init__(self, extra_args: list[str] | tuple[str, ...] = (), name: str = "mariadb",
                 startup_timeout: float = 60.0, user: str = "cdc", password: str = "cdc-test-pw"):
        self.extra_args = list(extra_args)
        self.name = name
        self.startup_timeout = startup_timeout
        self.user = user
        self.password = password
        self.host = "127.0.0.1"
        self.port: int | None = None
        self.tmpdir: Path | None = None
        self.proc: subprocess.Popen | None = None
        self._run_as: tuple[int, int] | None = None

    @property
    def datadir(self) -> Path:
        return self.tmpdir / "data"

    @property
    def socket(self) -> str:
        return str(self.tmpdir / "mysqld.sock")

    @property
    def error_log(self) -> Path:
        return self.tmpdir / "error.log"

    @property
    def server_tmpdir(self) -> Path:
        return self.tmpdir / "tmp"

    def __enter__(self) -> "MariaDB":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "MariaDB":
        remove_orphaned_dirs()
        self.tmpdir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX + self.name + "-"))
        (self.tmpdir / OWNER_FILE).write_text(f"{os.getpid()}\n")
        atexit.register(self.stop)
        _install_signal_handlers()
        try:
            self._prepare_dir()
            self._install_db()
            self._launch_with_retry()
            self.execute(
                f"CREATE USER '{self.user}'@'%' IDENTIFIED BY '{self.password}';"
                f"GRANT ALL PRIVILEGES ON *.* TO '{self.user}'@'%';")
        except BaseException:
            self.stop()
            raise
        return self

    def _prepare_dir(self) -> None:
        # mariadbd refuses to run as root; as root we run it (and install-db) as the mysql user,
        # which must own the temp dir (mkdtemp makes it 0700 root).
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("mysql")
            except KeyError:
                raise MariaDBError("running as root needs the 'mysql' user that Debian's "
                                   "mariadb-server package creates: apt-get install -y mariadb-server")
            self._run_as = (pw.pw_uid, pw.pw_gid)
            os.chown(self.tmpdir, pw.pw_uid, pw.pw_gid)
        # A temp dir of its own: with the shared /tmp, two servers installing at once clashed on
        # '/tmp/#sql-temptable-...' files (mariadb-install-db failed now and then).
        self.server_tmpdir.mkdir()
        if self._run_as:
            os.chown(self.server_tmpdir, *self._run_as)

    def _run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess:
        uid, gid = self._run_as if self._run_as else (None, None)
        return subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=timeout, preexec_fn=_drop_privileges_and_die_with_parent(uid, gid))

    def _install_db(self) -> None:
        res = self._run([find_tool("mariadb-install-db"), "--no-defaults", f"--datadir={self.datadir}",
                         "--auth-root-authentication-method=normal", "--skip-test-db",
                         "--skip-name-resolve", f"--tmpdir={self.server_tmpdir}"], timeout=120)
        if res.returncode != 0:
            raise MariaDBError(f"mariadb-install-db failed (exit {res.returncode}):\n"
                               f"{res.stdout[-2000:]}\n{res.stderr[-2000:]}")

    def _launch_with_retry(self, attempts: int = 3) -> None:
        # Another process may take the free port between free_port() and mariadbd's bind.
        for attempt in range(attempts):
            self._launch(free_port())
            try:
                self._wait_ready()
                return
            except MariaDBError:
                if attempt + 1 == attempts or "Address already in use" not in self.log_tail():
                    raise

    def _launch(self, port: int) -> None:
        self.port = port
        args = [find_tool("mariadbd"), "--no-defaults", f"--datadir={self.datadir}",
                f"--socket={self.socket}", f"--port={self.port}", "--bind-address=127.0.0.1",
                f"--tmpdir={self.server_tmpdir}",
                f"--pid-file={self.tmpdir / 'mysqld.pid'}", f"--log-error={self.error_log}",
                *BASE_ARGS, *self.extra_args]
        uid, gid = self._run_as if self._run_as else (None, None)
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL,
                                     preexec_fn=_drop_privileges_and_die_with_parent(uid, gid))

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise MariaDBError(f"mariadbd exited with {self.proc.returncode} during start-up; "
                                   f"its log:\n{self.log_tail()}")
            res = subprocess.run([find_tool("mariadb-admin"), "--no-defaults", "-uroot",
                                  f"--socket={self.socket}", "--connect-timeout=2", "ping"],
                                 stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10)
            if res.returncode == 0:
                return
            time.sleep(0.2)
        raise MariaDBError(f"mariadbd did not answer a ping within {self.startup_timeout:.0f} s; "
                           f"its log:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.error_log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no error log)"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()                 # mariadbd shuts down cleanly on SIGTERM
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def restart(self, extra_args: list[str] | None = None) -> None:
        """Stops and starts mariadbd on the same datadir and port (server-restart tests)."""
        if extra_args is not None:
            self.extra_args = list(extra_args)
        self.proc.terminate()
        self.proc.wait(timeout=60)
        self._launch(self.port)
        self._wait_ready()

    def client_args(self, database: str | None = None) -> list[str]:
        args = [find_tool("mariadb"), "--no-defaults", "-uroot", f"--socket={self.socket}",
                "--batch", "--skip-column-names", "--default-character-set=utf8mb4"]
        return args + ([database] if database else [])

    def execute(self, script: str, database: str | None = None, timeout: float = 300) -> str:
        """Runs SQL (several statements allowed) and returns the client's raw batch output."""
        res = subprocess.run(self.client_args(database), input=script, capture_output=True,
                             text=True, timeout=timeout)
        if res.returncode != 0:
            raise MariaDBError(f"SQL failed: {res.stderr.strip()}\n--- statement(s):\n{script[:4000]}")
        return res.stdout

    def sql(self, query: str, database: str | None = None) -> list[list[str | None]]:
        """Rows of the last result set as text; NULL is None. The client's batch mode prints a
        string 'NULL' like a NULL: select HEX(col) when the difference matters."""
        out = self.execute(query, database)
        return [[None if f == "NULL" else _unescape(f) for f in line.split("\t")]
                for line in out.splitlines()]

    def binlog_files(self) -> list[str]:
        return [row[0] for row in self.sql("SHOW BINARY LOGS")]

    def save_binlogs(self, dest: str | os.PathLike, files: list[str] | None = None) -> list[Path]:
        """Copies binlogs over the replication protocol with `mariadb-binlog --raw
        --read-from-remote-server` (as a replica would receive them), into dest; returns paths."""
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        files = files if files is not None else self.binlog_files()
        saved = []
        for name in files:
            res = subprocess.run(
                [find_tool("mariadb-binlog"), "--no-defaults", "--raw", "--read-from-remote-server",
                 f"--host={self.host}", f"--port={self.port}", f"--user={self.user}",
                 f"--password={self.password}", f"--result-file={dest}/", name],
                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
            path = dest / name
            if res.returncode != 0 or not path.is_file():
                raise MariaDBError(f"mariadb-binlog --raw could not save {name} "
                                   f"(exit {res.returncode}): {res.stderr.strip()}")
            saved.append(path)
        return saved

    def __repr__(self) -> str:
        return f"MariaDB(host={self.host}, port={self.port}, socket={self.socket if self.tmpdir else None})"


def _unescape(field: str) -> str:
    if "\\" not in field:
        return field
    out, i = [], 0
    table = {"n": "\n", "t": "\t", "\\": "\\", "0": "\0"}
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            out.append(table.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


_handlers_installed = False


def _install_signal_handlers() -> None:
    """SIGTERM/SIGINT/SIGHUP raise SystemExit so `with` blocks and atexit clean up."""
    global _handlers_installed
    if _handlers_installed:
        return
    _handlers_installed = True

    def handler(signum, _frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(sig, handler)
