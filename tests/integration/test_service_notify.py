#!/usr/bin/env python3
"""Issue 13: the daemon's systemd notifications (sd_notify, src/app/service_notifier.h), read
from a unix datagram socket given as NOTIFY_SOCKET, as systemd's Type=notify reads them.

  1. Server down (a closed port): STATUS=connecting arrives, READY=1 never does, the daemon
     exits non-zero and says why in a last STATUS=failed line.
  2. Server up: READY=1 arrives once, only after the daemon connected and saved the server's
     position (the state file exists and the log says "streaming from" by then), with
     STATUS=streaming from <the saved position>; WATCHDOG=1 pings come every half of
     WATCHDOG_USEC while it streams and changes are written.
  3. The server restarts: STATUS=reconnecting, then STATUS=streaming again (no second READY=1).
  4. SIGTERM: STOPPING=1 before the process exits 0.
  5. INITIAL_SNAPSHOT=true on a new state directory: READY=1 comes with STATUS=initial snapshot
     of the table (the snapshot may take hours: readiness does not wait for it), streaming after.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import Daemon, DaemonError, daemon_env, start_mariadb  # noqa: E402
from mariadb_server import MariaDBError, free_port  # noqa: E402
from script_frame import Checklist, require_files, script_arguments  # noqa: E402

WATCHDOG_USEC = 1_000_000


class NotifySocket:
    """A bound AF_UNIX datagram socket; a thread keeps every message with its arrival time."""

    def __init__(self, path: Path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.2)
        self.messages: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        self.done = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.done:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            with self.lock:
                self.messages.append((time.monotonic(), data.decode(errors="replace")))

    def close(self) -> None:
        self.done = True
        self.thread.join(timeout=5)
        self.sock.close()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def assignments(self) -> list[tuple[float, str, str]]:
        """(time, KEY, value) of every line of every message so far."""
        with self.lock:
            msgs = list(self.messages)
        out = []
        for t, m in msgs:
            for line in m.split("\n"):
                if "=" in line:
                    k, v = line.split("=", 1)
                    out.append((t, k, v))
        return out

    def values(self, key: str) -> list[str]:
        return [v for _, k, v in self.assignments() if k == key]

    def wait_for(self, key: str, value_prefix: str = "", timeout: float = 60,
                 daemon: Daemon | None = None) -> tuple[float, str] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for t, k, v in self.assignments():
                if k == key and v.startswith(value_prefix):
                    return t, v
            if daemon is not None and not daemon.running():
                # The process may have sent it just before exiting: look once more.
                hits = [(t, v) for t, k, v in self.assignments()
                        if k == key and v.startswith(value_prefix)]
                return hits[0] if hits else None
            time.sleep(0.02)
        return None


def run(mysql_cdc: str, work: Path, check: Checklist) -> None:
    notify = NotifySocket(work / "notify.sock")
    try:
        server_down(mysql_cdc, work, notify, check)
        notify.clear()
        with start_mariadb("notify") as db:
            db.execute("CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v INT);"
                       "INSERT INTO d.t VALUES (1, 1), (2, 2);")
            streaming(mysql_cdc, work, db, notify, check)
            notify.clear()
            snapshot_first(mysql_cdc, work, db, notify, check)
    finally:
        notify.close()


def server_down(mysql_cdc: str, work: Path, notify: NotifySocket, check: Checklist) -> None:
    class Closed:  # a server nobody listens for
        host, port, user, password = "127.0.0.1", free_port(), "cdc", "x"
    env = daemon_env(Closed, work / "down", database="d", tables="t",
                     NOTIFY_SOCKET=str(notify.path))
    d = Daemon(mysql_cdc, env, work / "down")
    d.start()
    try:
        d.proc.wait(timeout=60)
    except Exception:
        d.stop()
    time.sleep(0.3)  # the reader thread takes the last datagrams
    check(d.exit_code() not in (0, None), "server down: the daemon exits non-zero",
          f"exit {d.exit_code()}")
    connecting = notify.values("STATUS")
    check(any(s.startswith(f"connecting to 127.0.0.1:{Closed.port}") for s in connecting),
          "server down: STATUS=connecting to the configured host:port", str(connecting))
    check(not notify.values("READY"), "server down: no READY=1",
          str(notify.assignments()))
    check(bool(connecting) and connecting[-1].startswith("failed: "),
          "server down: the last STATUS says why it failed", str(connecting))


def streaming(mysql_cdc: str, work: Path, db, notify: NotifySocket, check: Checklist) -> None:
    env = daemon_env(db, work / "stream", database="d", tables="t",
                     NOTIFY_SOCKET=str(notify.path), WATCHDOG_USEC=str(WATCHDOG_USEC))
    d = Daemon(mysql_cdc, env, work / "stream")
    d.start()
    try:
        ready = notify.wait_for("READY", "1", timeout=60, daemon=d)
        check(ready is not None, "READY=1 arrives once the daemon streams", d.log_tail())
        if ready is None:
            return
        # What was true when READY=1 was sent is still true now; what was not yet true then
        # shows in the order of the daemon's log and the socket's messages.
        state = d.state()
        check(state is not None, "READY=1: the server's position was saved before it", "")
        check("streaming from" in d.runs[-1].stderr(),
              "READY=1: the log said 'streaming from' before it", d.log_tail())
        statuses = [(t, v) for t, k, v in notify.assignments() if k == "STATUS"]
        before = [v for t, v in statuses if t <= ready[0]]
        check(any(v.startswith("connecting to ") for v in before),
              "STATUS=connecting came before READY=1", str(statuses))
        ready_status = [v for t, v in statuses if t == ready[0]]
        if state is not None:
            pos = f"{state['log_file']}:{state['log_pos']}"
            check(any(v == f"streaming from {pos}" for v in ready_status),
                  f"READY=1 came with STATUS=streaming from {pos}", str(ready_status))

        db.execute("INSERT INTO d.t VALUES (3, 3), (4, 4);")
        d.wait_caught_up(db)
        pings_before = len(notify.values("WATCHDOG"))
        time.sleep(2.0)
        pings = len(notify.values("WATCHDOG")) - pings_before
        # Every half period: about 4 in 2 s; at least 2 leaves room for a busy machine.
        check(2 <= pings <= 6, "WATCHDOG=1 every half of WATCHDOG_USEC while streaming",
              f"{pings} pings in 2 s")

        notify.clear()
        db.restart()
        again = notify.wait_for("STATUS", "streaming from", timeout=60, daemon=d)
        statuses = notify.values("STATUS")
        check(any(s.startswith("reconnecting: ") for s in statuses),
              "server restart: STATUS=reconnecting", str(statuses))
        check(again is not None, "server restart: STATUS=streaming again", str(statuses))
        check(not notify.values("READY"), "server restart: no second READY=1", str(statuses))
        db.execute("INSERT INTO d.t VALUES (5, 5);")
        d.wait_caught_up(db)

        notify.clear()
        rc, secs = d.sigterm(timeout=30)
        time.sleep(0.3)
        stopping = notify.values("STOPPING")
        check(rc == 0, "SIGTERM: exit 0", f"exit {rc}\n{d.log_tail()}")
        check(stopping == ["1"], "SIGTERM: STOPPING=1 once", str(notify.assignments()))
    except (DaemonError, MariaDBError) as e:
        check(False, "streaming scenario", str(e))
    finally:
        d.stop()


def snapshot_first(mysql_cdc: str, work: Path, db, notify: NotifySocket,
                   check: Checklist) -> None:
    env = daemon_env(db, work / "snap", database="d", tables="t", INITIAL_SNAPSHOT="true",
                     NOTIFY_SOCKET=str(notify.path))
    d = Daemon(mysql_cdc, env, work / "snap")
    d.start()
    try:
        ready = notify.wait_for("READY", "1", timeout=60, daemon=d)
        check(ready is not None, "snapshot: READY=1 arrives", d.log_tail())
        if ready is None:
            return
        with_ready = [v for t, k, v in notify.assignments() if k == "STATUS" and t == ready[0]]
        check(with_ready == ["initial snapshot of d.t"],
              "snapshot: READY=1 came with STATUS=initial snapshot of d.t", str(with_ready))
        later = notify.wait_for("STATUS", "streaming from", timeout=60, daemon=d)
        check(later is not None and later[0] > ready[0],
              "snapshot: STATUS=streaming from ... after it", str(notify.assignments()))
        check(notify.values("READY") == ["1"], "snapshot: READY=1 once",
              str(notify.assignments()))
        rc, _ = d.sigterm(timeout=30)
        check(rc == 0, "snapshot: SIGTERM exits 0", d.log_tail())
    except DaemonError as e:
        check(False, "snapshot scenario", str(e))
    finally:
        d.stop()


def main() -> int:
    args = script_arguments(__doc__).parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    check = Checklist(bracketed=True)
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cdc-notify-") as tmp:
        work = Path(tmp)
        try:
            run(args.mysql_cdc, work, check)
        except MariaDBError as e:
            check(False, "MariaDB", str(e))
    return check.report(f"OK: systemd notifications ({time.monotonic() - t0:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
