#!/usr/bin/env python3
"""src/mysql/ against a real MariaDB 10.11: connections, server checks, the binlog stream.

Drives tools/binlog_tail (a thin CLI over Connection, run_server_checks, check_position_available,
current_binlog_position and BinlogClient) against throwaway servers from mariadb_server.py:

  connect      the harness user (native password), an ed25519 user, an explicit
               mysql_native_password user; wrong password -> FailedPrecondition naming the user;
               unreachable port -> Unavailable naming host:port
  check        passes on the harness server; then one misconfiguration at a time gives its
               message: binlog_format MIXED / STATEMENT, binlog_row_image MINIMAL,
               binlog_row_metadata MINIMAL, no REPLICATION SLAVE, no BINLOG MONITOR, unknown
               table, and (a second server started with --skip-log-bin) binary logging off
  stream       events from a position land at the offsets SHOW BINLOG EVENTS gives (ANNOTATE_ROWS
               left out unless asked for), across a FLUSH BINARY LOGS rotation; heartbeats
  failures     a purged position -> DataLoss (both the pre-check and the dump); KILL of the dump
               connection -> Unavailable; stop() from another thread ends a blocked read
  tls          a server with a certificate: REQUIRED, VERIFY_CA and VERIFY_IDENTITY connect;
               VERIFY_CA with another CA is refused; REQUIRED against a server without TLS fails
  secrets      no password appears in any output

Usage: test_mysql_client.py --binlog-tail PATH
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mariadb_server import MariaDB, free_port  # noqa: E402

DB, TABLE = "cdc_test", "orders"
PASSWORDS: list[str] = []
FAILURES: list[str] = []
CHECKED = 0


def check(cond: bool, what: str, output: str = "") -> None:
    global CHECKED
    CHECKED += 1
    if cond:
        print(f"ok    {what}")
    else:
        FAILURES.append(what)
        print(f"FAIL  {what}\n{output}")


class Tail:
    def __init__(self, exe: str, db: MariaDB):
        self.exe, self.db = exe, db

    def args(self, user: str, password: str, port: int | None = None) -> list[str]:
        return [self.exe, "--host", self.db.host, "--port", str(port or self.db.port),
                "--user", user, "--password", password, "--connect-timeout", "3"]

    def run(self, *cmd: str, user: str | None = None, password: str | None = None,
            port: int | None = None, timeout: float = 60) -> tuple[int, str]:
        res = subprocess.run(self.args(user or self.db.user, password or self.db.password, port)
                             + list(cmd), capture_output=True, text=True, timeout=timeout)
        out = res.stdout + res.stderr
        leaked = [pw for pw in PASSWORDS if pw in out]
        if leaked:
            check(False, f"no password in the output of {cmd[0]}", out)
        return res.returncode, out


def events(out: str) -> list[dict[str, str]]:
    rows = []
    for line in out.splitlines():
        if line.startswith("event "):
            rows.append(dict(kv.split("=", 1) for kv in line.split()[1:]))
    return rows


def test_connect(t: Tail, db: MariaDB) -> None:
    rc, out = t.run("connect")
    check(rc == 0 and "mariadb=1" in out, "harness user connects", out)
    db.execute("INSTALL SONAME 'auth_ed25519';"
               "CREATE USER ed@'%' IDENTIFIED VIA ed25519 USING PASSWORD('ed-pass-1');"
               "CREATE USER nat@'%' IDENTIFIED WITH mysql_native_password "
               "USING PASSWORD('nat-pass-1');")
    PASSWORDS.extend(["ed-pass-1", "nat-pass-1"])
    rc, out = t.run("connect", user="ed", password="ed-pass-1")
    check(rc == 0 and "user=ed@%" in out, "ed25519 user connects", out)
    rc, out = t.run("connect", user="nat", password="nat-pass-1")
    check(rc == 0 and "user=nat@%" in out, "mysql_native_password user connects", out)
    PASSWORDS.append("not-the-password")
    rc, out = t.run("connect", password="not-the-password")
    check(rc == 3 and "failed precondition: MySQL refused user 'cdc'@'127.0.0.1'" in out
          and "MYSQL_USER/MYSQL_PASSWORD" in out, "wrong password: refused user message", out)
    rc, out = t.run("--ssl-mode", "required", "connect")
    check(rc == 3 and "did not agree to TLS" in out, "TLS required, server without TLS", out)
    port = free_port()
    rc, out = t.run("connect", port=port)
    check(rc == 3 and "unavailable: cannot connect to MySQL at 127.0.0.1:" + str(port) in out,
          "unreachable port: Unavailable naming host:port", out)


def check_fails(t: Tail, what: str, expected: str, *extra: str, user=None, password=None):
    rc, out = t.run("check", "--table", f"{DB}.{TABLE}", *extra, user=user, password=password)
    check(rc == 3 and expected in out, what, out)


def test_checks(t: Tail, db: MariaDB) -> None:
    rc, out = t.run("check", "--table", f"{DB}.{TABLE}")
    check(rc == 0 and "FAIL" not in out and "binlog_checksum: CRC32" in out,
          "checks pass on a correctly configured server", out)
    for var, bad, wanted in [("binlog_format", "MIXED", "ROW"),
                             ("binlog_format", "STATEMENT", "ROW"),
                             ("binlog_row_image", "MINIMAL", "FULL"),
                             ("binlog_row_metadata", "MINIMAL", "FULL")]:
        db.execute(f"SET GLOBAL {var} = '{bad}'")
        try:
            check_fails(t, f"{var}={bad} gives its message",
                        f"{var} is {bad}, CDC needs {wanted}: run SET GLOBAL {var} = '{wanted}'")
        finally:
            db.execute(f"SET GLOBAL {var} = '{wanted}'")
    PASSWORDS.extend(["pw-noslave", "pw-nomon"])
    db.execute("CREATE USER noslave@'%' IDENTIFIED BY 'pw-noslave';"
               f"GRANT BINLOG MONITOR ON *.* TO noslave@'%'; GRANT SELECT ON {DB}.* TO noslave@'%';"
               "CREATE USER nomon@'%' IDENTIFIED BY 'pw-nomon';"
               f"GRANT REPLICATION SLAVE ON *.* TO nomon@'%'; GRANT SELECT ON {DB}.* TO nomon@'%';")
    check_fails(t, "no REPLICATION SLAVE: the GRANT to run",
                "run GRANT REPLICATION SLAVE ON *.* TO 'noslave'@'%'",
                user="noslave", password="pw-noslave")
    check_fails(t, "no BINLOG MONITOR: the GRANT to run",
                "run GRANT BINLOG MONITOR ON *.* TO 'nomon'@'%'", user="nomon", password="pw-nomon")
    rc, out = t.run("position", user="nomon", password="pw-nomon")
    check(rc == 3 and "failed precondition" in out and "BINLOG MONITOR" in out,
          "SHOW MASTER STATUS without BINLOG MONITOR is FailedPrecondition", out)
    rc, out = t.run("tail", "--file", db.binlog_files()[-1], "--pos", "4", "--count", "1",
                    user="noslave", password="pw-noslave")
    check(rc == 3 and "failed precondition" in out and "REPLICATION SLAVE" in out,
          "dump without REPLICATION SLAVE is FailedPrecondition", out)
    rc, out = t.run("check", "--table", f"{DB}.nope")
    check(rc == 3 and f"table `{DB}`.`nope` does not exist (MYSQL_TABLE)" in out,
          "unknown table gives its message", out)
    rc, out = t.run("check", "--table", f"{DB}.{TABLE}", "--server-id", "1")
    check(rc == 3 and "server id 1 is already used" in out, "server id clash", out)


def binlog_offsets(db: MariaDB, file: str, pos: int) -> list[tuple[int, int]]:
    rows = db.sql(f"SHOW BINLOG EVENTS IN '{file}' FROM {pos}")
    kinds = {"Annotate_rows": 160, "Table_map": 19, "Write_rows_v1": 23, "Xid": 16,
             "Gtid": 162, "Query": 2, "Rotate": 4, "Update_rows_v1": 24, "Delete_rows_v1": 25}
    return [(int(r[1]), kinds.get(r[2], -1)) for r in rows]


def test_stream(t: Tail, db: MariaDB) -> None:
    file, pos = db.sql("SHOW MASTER STATUS")[0][:2]
    rc, out = t.run("position")
    check(rc == 0 and f"position {file} {pos}" in out, "current_binlog_position", out)
    db.execute(f"INSERT INTO {DB}.{TABLE} VALUES (10, 'x'), (11, 'y');"
               f"UPDATE {DB}.{TABLE} SET v = 'z' WHERE id = 10; DELETE FROM {DB}.{TABLE} WHERE id = 11;")
    expected = binlog_offsets(db, file, int(pos))
    real = [e for e in expected if e[1] != 4]  # the file's end has no ROTATE yet
    want = [e for e in real if e[1] != 160]
    rc, out = t.run("tail", "--file", file, "--pos", pos, "--count", str(len(want) + 2))
    got = [(int(e["offset"]), int(e["type"])) for e in events(out) if e["artificial"] == "0"]
    check(rc == 0 and got == want, "events land at SHOW BINLOG EVENTS offsets, no ANNOTATE_ROWS",
          f"{out}\nwant {want}")
    rc, out = t.run("tail", "--file", file, "--pos", pos, "--count", str(len(real) + 2),
                    "--annotate")
    got = [(int(e["offset"]), int(e["type"])) for e in events(out) if e["artificial"] == "0"]
    check(rc == 0 and got == real and any(k == 160 for _, k in got),
          "--annotate also sends ANNOTATE_ROWS", out)
    # A rows event over 16 MiB arrives in several protocol packets that the library joins.
    db.execute("SET GLOBAL max_allowed_packet = 67108864")
    db.execute(f"CREATE TABLE {DB}.big (id INT PRIMARY KEY, b LONGBLOB);"
               f"INSERT INTO {DB}.big VALUES (1, REPEAT('x', 20000000));")
    file2, pos2 = db.sql("SHOW MASTER STATUS")[0][:2]
    big = [e for e in binlog_offsets(db, file, int(pos)) if e[1] not in (4, 160)]
    rc, out = t.run("tail", "--file", file, "--pos", pos, "--count", str(len(big) + 2))
    sizes = [int(e["size"]) for e in events(out) if e["type"] == "23"]
    check(rc == 0 and file2 == file and max(sizes, default=0) > 20000000,
          "a 20 MB rows event arrives whole", out[-2000:])
    db.execute(f"FLUSH BINARY LOGS; INSERT INTO {DB}.{TABLE} VALUES (12, 'r');")
    new_file = db.binlog_files()[-1]
    rc, out = t.run("tail", "--file", file, "--pos", pos, "--count", str(len(big) + 12))
    evs = events(out)
    rotated = [e for e in evs if e["file"] == new_file and e["type"] == "23"]
    check(rc == 0 and len(rotated) == 1, "follows a rotation into the next file", out)
    rc, out = t.run("tail", "--file", new_file, "--pos", "4", "--count", "40", "--heartbeat-ms",
                    "100", "--stop-after-ms", "2500")
    check("type=27" in out and "stopped on request" in out and rc == 3,
          "heartbeats arrive on an idle stream; stop() ends a blocked read", out)


def test_failures(t: Tail, db: MariaDB) -> None:
    old = db.binlog_files()[0]
    db.execute("FLUSH BINARY LOGS; FLUSH BINARY LOGS;")
    newest = db.binlog_files()[-1]
    # PURGE skips a file a dump thread still has open, and the server may not yet have noticed
    # that an earlier client of this test is gone: end such threads and retry (bounded).
    deadline = time.monotonic() + 20
    while True:
        for (tid,) in db.sql("SELECT ID FROM information_schema.PROCESSLIST "
                             "WHERE COMMAND = 'Binlog Dump'"):
            db.execute(f"KILL CONNECTION {tid};")
        db.execute(f"PURGE BINARY LOGS TO '{newest}'")
        if old not in db.binlog_files() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    rc, out = t.run("check-position", old, "1234")
    check(rc == 3 and f"data loss: the saved position {old}:1234 is no longer on the server "
          f"(purged; oldest is {newest})" in out and "FORCE_SNAPSHOT=true" in out,
          "purged position: check_position_available says DataLoss", out)
    rc, out = t.run("tail", "--file", old, "--pos", "4", "--count", "5")
    check(rc == 3 and "data loss" in out and "no longer on the server" in out,
          "purged position: the dump says DataLoss", out)
    rc, out = t.run("check-position", newest, "4")
    check(rc == 0 and "position available" in out, "an existing position is available", out)

    # A user of its own, so a dump thread the server still keeps for an earlier client of this
    # test cannot be mistaken for this one.
    PASSWORDS.append("pw-killed")
    db.execute("CREATE USER killed@'%' IDENTIFIED BY 'pw-killed';"
               "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO killed@'%';")
    proc = subprocess.Popen(t.args("killed", "pw-killed") +
                            ["tail", "--file", newest, "--pos", "4", "--server-id", "4242"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline, ids = time.monotonic() + 20, []
    while time.monotonic() < deadline and not ids:
        ids = [r[0] for r in db.sql("SELECT ID FROM information_schema.PROCESSLIST "
                                    "WHERE COMMAND = 'Binlog Dump' AND USER = 'killed'")]
        time.sleep(0.2)
    for i in ids:
        db.execute(f"KILL {i}")
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out = proc.communicate()[0] + "\n(binlog_tail still running 30 s after KILL)"
    check(ids and proc.returncode == 3 and "error: unavailable:" in out,
          "KILL of the dump connection gives Unavailable", out)


def test_binlog_off(t_exe: str) -> None:
    with MariaDB(extra_args=["--skip-log-bin"], name="nobinlog") as db:
        db.execute(f"CREATE DATABASE {DB}; CREATE TABLE {DB}.{TABLE} (id INT PRIMARY KEY)")
        t = Tail(t_exe, db)
        rc, out = t.run("check", "--table", f"{DB}.{TABLE}")
        check(rc == 3 and "Binary logging must be enabled for CDC" in out,
              "binary logging off gives its message", out)
        rc, out = t.run("position")
        check(rc == 3 and "Binary logging must be enabled for CDC" in out,
              "current_binlog_position with binary logging off", out)


def make_certs(d: Path) -> None:
    """A CA and a server certificate for 127.0.0.1, and an unrelated CA."""
    def ssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)
    for ca in ("ca", "other-ca"):
        ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={ca}",
            "-keyout", f"{ca}-key.pem", "-out", f"{ca}.pem")
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", "server-key.pem", "-out", "server.csr")
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
        "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.pem")
    for f in d.iterdir():
        f.chmod(0o644)
    d.chmod(0o755)


def test_tls(t_exe: str) -> None:
    with tempfile.TemporaryDirectory(prefix="mysql-cdc-tls-") as tmp:
        d = Path(tmp)
        make_certs(d)
        args = [f"--ssl-ca={d}/ca.pem", f"--ssl-cert={d}/server.pem", f"--ssl-key={d}/server-key.pem"]
        with MariaDB(extra_args=args, name="tls") as db:
            t = Tail(t_exe, db)
            for mode in ("required", "verify_ca", "verify_identity"):
                rc, out = t.run("--ssl-mode", mode, "--ssl-ca", f"{d}/ca.pem", "connect")
                check(rc == 0 and "connected" in out and "tls=TLS" in out,
                      f"TLS {mode} connects", out)
            rc, out = t.run("--ssl-mode", "verify_ca", "--ssl-ca", f"{d}/other-ca.pem", "connect")
            check(rc == 3 and "failed precondition: TLS connection" in out,
                  "TLS verify_ca with the wrong CA is refused", out)
            rc, out = t.run("--ssl-mode", "verify_ca", "connect")
            check(rc == 3 and "needs MYSQL_SSL_CA" in out, "verify_ca without a CA file", out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--binlog-tail", required=True)
    exe = ap.parse_args().binlog_tail
    with MariaDB(name="mysqlclient") as db:
        PASSWORDS.append(db.password)
        db.execute(f"CREATE DATABASE {DB}; CREATE TABLE {DB}.{TABLE} "
                   "(id INT PRIMARY KEY, v VARCHAR(20)); "
                   f"INSERT INTO {DB}.{TABLE} VALUES (1, 'a')")
        t = Tail(exe, db)
        test_connect(t, db)
        test_checks(t, db)
        test_stream(t, db)
        test_failures(t, db)
    test_binlog_off(exe)
    test_tls(exe)
    print(f"\n{CHECKED - len(FAILURES)}/{CHECKED} checks passed")
    for f in FAILURES:
        print(f"FAILED: {f}")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
