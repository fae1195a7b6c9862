#!/usr/bin/env python3
"""Issue 3, acceptance criterion 4: every misconfiguration gives its one-line message and a
non-zero exit, within a bounded time, tested one by one; passwords never appear in any output.

Server cases (a throwaway MariaDB with the right settings, changed one at a time with SET GLOBAL
or a user of its own; and one server started with --skip-log-bin):

  binlog off, binlog_format STATEMENT / MIXED, binlog_row_image MINIMAL, binlog_row_metadata
  MINIMAL, missing REPLICATION SLAVE, missing BINLOG MONITOR (REPLICATION CLIENT), both missing,
  wrong password, closed port, unresolvable host, unknown table, saved position purged (FLUSH
  + PURGE BINARY LOGS TO), saved position past the end of its file, corrupt state files, a
  second instance on the same state directory

For each: the daemon exits non-zero within 30 s, writes exactly one error line (every stderr line
is a whole log line), and that line holds the key phrases (variable, value, the line to run);
`mysql-cdc check` (where the server is reachable) exits non-zero and says the same on a FAIL line.

Configuration cases: one bad value per run (MYSQL_PORT=abc, MYSQL_PORT=70000, ...): exit 2 at
once, one line naming the variable and the value (never the value of MYSQL_PASSWORD).

Passwords: every account used has the same distinctive password, the wrong-password case uses
another distinctive one, one normal run streams changes at LOG_LEVEL=trace (text and JSON logs)
and then stops; neither password may appear in any stdout, stderr, state or output file.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, master_status,  # noqa: E402
                            read_events, run_once, start_mariadb, write_seed_state)
from mariadb_server import MariaDBError, free_port  # noqa: E402
from script_frame import finish, require_files, script_arguments  # noqa: E402

SECRET = "Pw7q-unique-S3cr3t-xyzzy"
WRONG = "Pw7q-wrong-N0tIt-plugh"
BOUND = 30.0          # seconds a failing run may take
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trace|debug|info|warning|error"
                      r"|critical) ")


class Checker:
    def __init__(self, mysql_cdc: str, work: Path):
        self.mysql_cdc, self.work = mysql_cdc, work
        self.problems: list[str] = []
        self.outputs: list[tuple[str, str]] = []    # (label, text) of every run, for leaks
        self.n = 0
        self.passed = 0

    def dir(self, label: str) -> Path:
        self.n += 1
        d = self.work / f"{self.n:02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', label)[:40]}"
        d.mkdir(parents=True, exist_ok=True)
        return d

    def run(self, label: str, env: dict, workdir: Path, args: list[str] = (),
            timeout: float = BOUND):
        rc, out, err, secs = run_once(self.mysql_cdc, env, workdir, list(args), timeout)
        self.outputs.append((label, out + err))
        return rc, out, err, secs

    def fail(self, label: str, why: str, out: str = "", err: str = "") -> None:
        tail = "\n".join((out + err).splitlines()[-8:])
        self.problems.append(f"[{label}] {why}" + (f"\n      output:\n      " +
                                                    tail.replace("\n", "\n      ") if tail else ""))

    def expect_daemon_failure(self, label: str, env: dict, phrases: list[str],
                              workdir: Path | None = None, check_cmd: bool = True) -> None:
        """The daemon fails with one error line holding every phrase; so does `check`."""
        workdir = workdir or self.dir(label)
        rc, out, err, secs = self.run(label, env, workdir)
        ok = True
        if rc is None:
            self.fail(label, f"did not exit within {BOUND:.0f} s", out, err)
            return
        if rc == 0:
            self.fail(label, "exited 0", out, err)
            ok = False
        lines = [l for l in err.splitlines() if l.strip()]
        stray = [l for l in lines if not LOG_LINE.match(l)]
        errors = [l for l in lines if LOG_LINE.match(l) and LOG_LINE.match(l).group(1)
                  in ("error", "critical")]
        if stray:
            self.fail(label, f"stderr has lines that are not log lines (a multi-line message?): "
                             f"{stray[:3]}", out, err)
            ok = False
        if len(errors) != 1:
            self.fail(label, f"{len(errors)} error lines, want exactly 1", out, err)
            ok = False
        else:
            missing = [p for p in phrases if p not in errors[0]]
            if missing:
                self.fail(label, f"the error line lacks {missing}: {errors[0]}")
                ok = False
        if check_cmd:
            crc, cout, cerr, _ = self.run(label + " (check)", env, workdir, ["check"])
            fails = [l for l in cout.splitlines() if l.startswith("FAIL")]
            if crc in (0, None):
                self.fail(label, f"`mysql-cdc check` exited {crc}", cout, cerr)
                ok = False
            elif not any(all(p in l for p in phrases) for l in fails):
                self.fail(label, f"`mysql-cdc check` has no FAIL line with {phrases}", cout, cerr)
                ok = False
        if ok:
            self.passed += 1
            msg = errors[0].split(None, 2)[2]
            print(f"  ok  {label} (exit {rc}, {secs:.1f} s): {msg[:150]}"
                  f"{'…' if len(msg) > 150 else ''}", flush=True)

    def expect_config_failure(self, label: str, env: dict, phrases: list[str]) -> None:
        workdir = self.dir(label)
        rc, out, err, secs = self.run(label, env, workdir)
        lines = [l for l in err.splitlines() if l.strip()]
        if rc is None:
            self.fail(label, f"did not exit within {BOUND:.0f} s: the bad value was accepted",
                      out, err)
        elif rc == 0:
            self.fail(label, "exited 0", out, err)
        elif len(lines) != 1:
            self.fail(label, f"{len(lines)} stderr lines, want exactly 1", out, err)
        elif missing := [p for p in phrases if p not in lines[0]]:
            self.fail(label, f"the message lacks {missing}: {lines[0]}")
        elif secs > 5:
            self.fail(label, f"took {secs:.1f} s to reject a configuration value")
        else:
            self.passed += 1
            print(f"  ok  {label} (exit {rc}): {lines[0][:150]}", flush=True)


# (label, env changes (None removes), phrases the one line must hold)
CONFIG_CASES = [
    ("MYSQL_PORT=abc", {"MYSQL_PORT": "abc"}, ["MYSQL_PORT", "abc"]),
    ("MYSQL_PORT=70000", {"MYSQL_PORT": "70000"}, ["MYSQL_PORT", "70000", "65535"]),
    ("MYSQL_PORT=0", {"MYSQL_PORT": "0"}, ["MYSQL_PORT", "0"]),
    ("MYSQL_PORT=-1", {"MYSQL_PORT": "-1"}, ["MYSQL_PORT", "-1"]),
    ("SNAPSHOT_BATCH_SIZE=0", {"SNAPSHOT_BATCH_SIZE": "0"}, ["SNAPSHOT_BATCH_SIZE"]),
    ("SNAPSHOT_BATCH_SIZE=lots", {"SNAPSHOT_BATCH_SIZE": "lots"}, ["SNAPSHOT_BATCH_SIZE", "lots"]),
    ("FLUSH_INTERVAL_MS=-1", {"FLUSH_INTERVAL_MS": "-1"}, ["FLUSH_INTERVAL_MS", "-1"]),
    ("FLUSH_INTERVAL_MS=0", {"FLUSH_INTERVAL_MS": "0"}, ["FLUSH_INTERVAL_MS"]),
    ("FLUSH_INTERVAL_MS=1s", {"FLUSH_INTERVAL_MS": "1s"}, ["FLUSH_INTERVAL_MS", "1s"]),
    ("FLUSH_MAX_CHANGES=0", {"FLUSH_MAX_CHANGES": "0"}, ["FLUSH_MAX_CHANGES"]),
    ("FLUSH_MAX_BYTES=12XB", {"FLUSH_MAX_BYTES": "12XB"}, ["FLUSH_MAX_BYTES", "12XB"]),
    ("FLUSH_MAX_BYTES=1", {"FLUSH_MAX_BYTES": "1"}, ["FLUSH_MAX_BYTES"]),
    ("OUTPUT_SINK=bogus", {"OUTPUT_SINK": "bogus"}, ["OUTPUT_SINK", "bogus", "file"]),
    ("OUTPUT_SINK=file without OUTPUT_FILE", {"OUTPUT_FILE": None}, ["OUTPUT_FILE"]),
    ("OUTPUT_SINK=kafka without brokers", {"OUTPUT_SINK": "kafka", "output": "t"},
     ["KAFKA_BROKERS"]),
    ("INITIAL_SNAPSHOT=maybe", {"INITIAL_SNAPSHOT": "maybe"}, ["INITIAL_SNAPSHOT", "maybe"]),
    ("FORCE_SNAPSHOT=maybe", {"FORCE_SNAPSHOT": "maybe"}, ["FORCE_SNAPSHOT", "maybe"]),
    ("SKIP_UNKNOWN_EVENTS=perhaps", {"SKIP_UNKNOWN_EVENTS": "perhaps"},
     ["SKIP_UNKNOWN_EVENTS", "perhaps"]),
    ("MYSQL_SSL_MODE=bogus", {"MYSQL_SSL_MODE": "bogus"}, ["MYSQL_SSL_MODE", "bogus"]),
    ("MYSQL_SSL_CA=missing file", {"MYSQL_SSL_CA": "/nonexistent/ca.pem"},
     ["MYSQL_SSL_CA", "/nonexistent/ca.pem"]),
    ("LOG_LEVEL=loud", {"LOG_LEVEL": "loud"}, ["LOG_LEVEL", "loud"]),
    ("LOG_FORMAT=xml", {"LOG_FORMAT": "xml"}, ["LOG_FORMAT", "xml"]),
    ("MYSQL_TABLE=,", {"MYSQL_TABLE": ","}, ["MYSQL_TABLE"]),
    ("MYSQL_TABLE=t1,,t1b", {"MYSQL_TABLE": "t1,,t1b"}, ["MYSQL_TABLE"]),
    ("MYSQL_TABLE=a.b.c", {"MYSQL_TABLE": "a.b.c"}, ["MYSQL_TABLE", "a.b.c"]),
    ("MYSQL_TABLE twice", {"MYSQL_TABLE": "t1,d.t1"}, ["MYSQL_TABLE", "d.t1"]),
    ("MYSQL_TABLE unset", {"MYSQL_TABLE": None}, ["MYSQL_TABLE"]),
    ("MYSQL_HOST unset", {"MYSQL_HOST": None}, ["MYSQL_HOST"]),
    ("MYSQL_USER unset", {"MYSQL_USER": None}, ["MYSQL_USER"]),
    ("unqualified table, no schema", {"MYSQL_DATABASE": None}, ["MYSQL_TABLE", "t1",
                                                                "MYSQL_SCHEMA"]),
    ("MYSQL_DATABASE != MYSQL_SCHEMA", {"MYSQL_SCHEMA": "e"}, ["MYSQL_DATABASE", "MYSQL_SCHEMA"]),
    ("MYSQL_SERVER_ID=0", {"MYSQL_SERVER_ID": "0"}, ["MYSQL_SERVER_ID"]),
    ("MYSQL_SERVER_ID=4294967296", {"MYSQL_SERVER_ID": "4294967296"},
     ["MYSQL_SERVER_ID", "4294967296"]),
    ("MYSQL_HEARTBEAT_SECONDS=-5", {"MYSQL_HEARTBEAT_SECONDS": "-5"},
     ["MYSQL_HEARTBEAT_SECONDS", "-5"]),
    ("MYSQL_CONNECT_TIMEOUT_SECONDS=0", {"MYSQL_CONNECT_TIMEOUT_SECONDS": "0"},
     ["MYSQL_CONNECT_TIMEOUT_SECONDS"]),
    ("METRICS_PORT=70000", {"METRICS_PORT": "70000"}, ["METRICS_PORT", "70000"]),
    ("KAFKA_COMPRESSION=brotli", {"KAFKA_COMPRESSION": "brotli"},
     ["KAFKA_COMPRESSION", "brotli"]),
]

SCHEMA_SQL = """
CREATE DATABASE d; CREATE DATABASE e;
CREATE TABLE d.t1 (id INT PRIMARY KEY, v VARCHAR(20));
CREATE TABLE e.t1 (id INT PRIMARY KEY, v VARCHAR(20));
"""


def with_changes(env: dict, changes: dict) -> dict:
    out = dict(env)
    for k, v in changes.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def server_cases(c: Checker, db) -> None:
    def env_for(label: str, **changes) -> tuple[dict, Path]:
        wd = c.dir(label)
        return with_changes(daemon_env(db, wd, database="d", tables="t1", MYSQL_USER="cdcx",
                                       MYSQL_PASSWORD=SECRET), changes), wd

    for var, value, wanted in (("binlog_format", "STATEMENT", "ROW"),
                               ("binlog_format", "MIXED", "ROW"),
                               ("binlog_row_image", "MINIMAL", "FULL"),
                               ("binlog_row_metadata", "MINIMAL", "FULL")):
        label = f"{var} {value}"
        db.execute(f"SET GLOBAL {var} = '{value}';")
        try:
            env, wd = env_for(label)
            c.expect_daemon_failure(label, env, [var, value, wanted,
                                                 f"SET GLOBAL {var} = '{wanted}'"], wd)
        finally:
            db.execute(f"SET GLOBAL {var} = '{wanted}';")

    grants = {
        "missing REPLICATION SLAVE": ("norepl", "BINLOG MONITOR", ["REPLICATION SLAVE"]),
        "missing BINLOG MONITOR": ("nomon", "REPLICATION SLAVE", ["BINLOG MONITOR"]),
        "missing both": ("nopriv", None, ["REPLICATION SLAVE", "BINLOG MONITOR"]),
    }
    for label, (user, grant, missing) in grants.items():
        db.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{SECRET}';"
                   f"GRANT SELECT ON d.* TO '{user}'@'%';"
                   + (f"GRANT {grant} ON *.* TO '{user}'@'%';" if grant else ""))
        env, wd = env_for(label, MYSQL_USER=user)
        c.expect_daemon_failure(label, env, [
            *missing, f"GRANT {', '.join(missing)} ON *.* TO '{user}'@'%'"], wd)

    env, wd = env_for("wrong password", MYSQL_PASSWORD=WRONG)
    c.expect_daemon_failure("wrong password", env, ["cdcx", "MYSQL_PASSWORD", "Access denied"],
                            wd)
    port = free_port()
    env, wd = env_for("closed port", MYSQL_PORT=str(port))
    c.expect_daemon_failure("closed port", env, [f"127.0.0.1:{port}"], wd)
    env, wd = env_for("unresolvable host", MYSQL_HOST="no-such-host.invalid")
    c.expect_daemon_failure("unresolvable host", env, ["no-such-host.invalid"], wd)
    env, wd = env_for("unknown table", MYSQL_TABLE="t1,nosuch")
    c.expect_daemon_failure("unknown table", env, ["`d`.`nosuch`", "does not exist"], wd)
    env, wd = env_for("unknown schema-qualified table", MYSQL_TABLE="t1,zz.t9")
    c.expect_daemon_failure("unknown schema-qualified table", env, ["`zz`.`t9`"], wd)

    # A saved position whose binlog was purged: a normal run saves it, then it is purged.
    env, wd = env_for("purged position")
    d = Daemon(c.mysql_cdc, env, wd)
    try:
        d.start()
        saved = d.wait_for_state()
        d.wait_for_log("streaming from")
        rc, _ = d.sigterm()
    finally:
        d.stop()
    c.outputs.append(("purged position (first run)", d.all_logs()))
    db.execute("INSERT INTO d.t1 VALUES (1, 'gone');")
    db.execute("FLUSH BINARY LOGS;")
    # The server may not have noticed yet that the stopped daemon's dump connection is gone,
    # and PURGE skips a binlog a dump thread still has open: kill such threads and retry until
    # the file is gone (bounded).
    current = master_status(db)[0]
    deadline = time.monotonic() + 20
    while True:
        for (tid,) in db.sql("SELECT ID FROM information_schema.PROCESSLIST "
                             "WHERE COMMAND = 'Binlog Dump'"):
            db.execute(f"KILL CONNECTION {tid};")
        time.sleep(0.5)
        db.execute(f"PURGE BINARY LOGS TO '{current}';")
        if saved["log_file"] not in db.binlog_files() or time.monotonic() > deadline:
            break
    logs = db.binlog_files()
    if saved["log_file"] in logs or rc != 0:
        c.fail("purged position", f"setup failed: {saved['log_file']} still in {logs}, rc {rc}")
    else:
        c.expect_daemon_failure("purged position", env,
                                ["no longer on the server", "purged",
                                 f"{saved['log_file']}:{saved['log_pos']}"], wd)

    env, wd = env_for("position past the end of its file")
    write_seed_state(wd / "state" / "binlog_position_d_t1.json", current, 987654321)
    c.expect_daemon_failure("position past the end of its file", env,
                            [f"{current}:987654321", "past the end"], wd)

    for label, text in (("corrupt state: not JSON", "{ this is not json"),
                        ("corrupt state: empty file", ""),
                        ("corrupt state: log_pos a string",
                         '{"log_file": "mysql-bin.000001", "log_pos": "4", "timestamp": 0}'),
                        ("corrupt state: no log_file", '{"log_pos": 4}')):
        env, wd = env_for(label)
        path = wd / "state" / "binlog_position_d_t1.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        c.expect_daemon_failure(label, env, [str(path), "corrupt"], wd)
        if path.read_text() != text:
            c.fail(label, "the corrupt state file was changed")

    # A second instance on the same state directory.
    env, wd = env_for("second instance")
    d = Daemon(c.mysql_cdc, env, wd)
    try:
        d.start()
        d.wait_for_state()
        c.expect_daemon_failure("second instance", dict(env, OUTPUT_FILE=str(wd / "other.jsonl")),
                                ["another mysql-cdc", str(d.proc.pid)], wd, check_cmd=False)
        if not d.running():
            c.fail("second instance", f"the first instance died:\n{d.log_tail()}")
        d.sigterm()
    finally:
        d.stop()
    c.outputs.append(("second instance (first)", d.all_logs()))


def config_cases(c: Checker, db) -> None:
    wd0 = c.work / "config"
    base = daemon_env(db, wd0, database="d", tables="t1", MYSQL_USER="cdcx",
                      MYSQL_PASSWORD=SECRET)
    for label, changes, phrases in CONFIG_CASES:
        c.expect_config_failure(label, with_changes(base, changes), phrases)
    # The same through flags, where the value of the password flag must not be echoed.
    rc, out, err, _ = c.run("flag --mysql-port=abc", base, c.dir("flags"),
                            ["--mysql-port=abc", f"--mysql-password={WRONG}"])
    if rc in (0, None) or "--mysql-port" not in err or "abc" not in err:
        c.fail("flag --mysql-port=abc", f"exit {rc}, want non-zero naming --mysql-port", out, err)
    else:
        c.passed += 1
        print(f"  ok  flag --mysql-port=abc (exit {rc}): {err.strip()[:150]}")


def password_runs(c: Checker, db) -> None:
    """Normal runs that stream changes with the most verbose logs, text and JSON."""
    for fmt in ("text", "json"):
        wd = c.dir(f"normal run, LOG_FORMAT={fmt}")
        env = daemon_env(db, wd, database="d", tables="t1,e.t1", MYSQL_USER="cdcx",
                         MYSQL_PASSWORD=SECRET, LOG_LEVEL="trace", LOG_FORMAT=fmt)
        d = Daemon(c.mysql_cdc, env, wd)
        try:
            d.start()
            d.wait_for_state()
            d.wait_for_log("streaming from")
            i = 100 if fmt == "text" else 200
            db.execute(f"INSERT INTO d.t1 VALUES ({i}, '{fmt}'); UPDATE d.t1 SET v = 'x' "
                       f"WHERE id = {i}; DELETE FROM d.t1 WHERE id = {i};"
                       f"INSERT INTO e.t1 VALUES ({i}, '{fmt}');")
            d.wait_caught_up(db)
            rc, _ = d.sigterm()
            if rc != 0 or len(read_events(d.output_file)) != 4:
                c.fail(f"normal run {fmt}", f"exit {rc}, {len(read_events(d.output_file))} "
                                            f"events (want 0 and 4)\n{d.log_tail()}")
        finally:
            d.stop()
        c.outputs.append((f"normal run {fmt}", d.all_logs()))
        rc, out, err, _ = c.run(f"check {fmt}", env, wd, ["check"])
        if rc != 0:
            c.fail(f"check {fmt}", f"`mysql-cdc check` exited {rc} on a good setup", out, err)
    # The password as a flag, and in a .env file of the working directory (the seed's way).
    wd = c.dir("password flag")
    env = daemon_env(db, wd, database="d", tables="t1", MYSQL_USER="cdcx", LOG_LEVEL="trace")
    env.pop("MYSQL_PASSWORD")
    rc, out, err, _ = c.run("check --mysql-password", env, wd,
                            ["check", f"--mysql-password={SECRET}"])
    if rc != 0:
        c.fail("check --mysql-password", f"exited {rc} on a good setup", out, err)
    wd = c.dir("dotenv")
    env = daemon_env(db, wd, database="d", tables="t1", MYSQL_USER="cdcx",
                     MYSQL_PASSWORD=SECRET, LOG_LEVEL="trace")
    (wd / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    rc, out, err, _ = c.run("check with .env", {}, wd, ["check"])
    if rc != 0:
        c.fail("check with .env", f"exited {rc} with the setup in ./.env", out, err)
    (wd / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items())
                             .replace(SECRET, WRONG))
    rc, out, err, _ = c.run("wrong password in .env", {}, wd)
    if rc in (0, None) or "Access denied" not in err:
        c.fail("wrong password in .env", f"exit {rc}, want a refusal", out, err)
    (wd / ".env").unlink()       # the leak check reads every file under the work directory


def leak_check(c: Checker) -> None:
    leaks = []
    for label, text in c.outputs:
        for secret in (SECRET, WRONG):
            if secret in text:
                line = next(l for l in text.splitlines() if secret in l)
                leaks.append(f"{label}: {line[:200]}")
    for path in c.work.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (SECRET, WRONG):
                if secret.encode() in data:
                    leaks.append(f"file {path}")
    if leaks:
        c.problems.append("a password appears in the output:\n      " + "\n      ".join(leaks))
    else:
        print(f"  ok  no password in {len(c.outputs)} runs' stdout/stderr nor in any file under "
              f"the work directory")


def main() -> int:
    ap = script_arguments(__doc__)
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    work = Path(tempfile.mkdtemp(prefix="daemon-errors-"))
    c = Checker(args.mysql_cdc, work)
    t0 = time.monotonic()
    try:
        with start_mariadb("errors") as db:
            db.execute(SCHEMA_SQL + f"CREATE USER 'cdcx'@'%' IDENTIFIED BY '{SECRET}';"
                                    f"GRANT ALL PRIVILEGES ON *.* TO 'cdcx'@'%';")
            print("configuration:", flush=True)
            config_cases(c, db)
            print("server:", flush=True)
            server_cases(c, db)
            print("passwords:", flush=True)
            password_runs(c, db)
        print("binlog off:", flush=True)
        with start_mariadb("nobinlog", ["--skip-log-bin"]) as db:
            log_bin = db.sql("SELECT @@log_bin")[0][0]
            if log_bin != "0":
                c.fail("binlog off", f"test bug: @@log_bin is {log_bin} with --skip-log-bin")
            else:
                db.execute(SCHEMA_SQL + f"CREATE USER 'cdcx'@'%' IDENTIFIED BY '{SECRET}';"
                                        f"GRANT ALL PRIVILEGES ON *.* TO 'cdcx'@'%';")
                wd = c.dir("binlog off")
                env = daemon_env(db, wd, database="d", tables="t1", MYSQL_USER="cdcx",
                                 MYSQL_PASSWORD=SECRET)
                c.expect_daemon_failure("binlog off", env,
                                        ["Binary logging must be enabled for CDC"], wd)
        leak_check(c)
    except (DaemonError, MariaDBError) as e:
        c.problems.append(f"{type(e).__name__}: {e}")
    return finish(c.problems, work, args.keep, t0, f": {c.passed} cases passed")


if __name__ == "__main__":
    sys.exit(main())
