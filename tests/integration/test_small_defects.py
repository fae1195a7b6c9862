#!/usr/bin/env python3
"""Issue 11, defects 7 and 11, against one MariaDB with a watched table d.t:

  stdout, reader gone   OUTPUT_SINK=stdout into a pipe whose reader reads the first changes and
                        exits; more changes follow: the daemon must exit non-zero with a message
                        (Broken pipe), its state file must not pass the changes it could not
                        write, and a restart with a working stdout delivers them (none lost);
  stdout, disk full     the same with stdout on /dev/full (No space left on device);
  one OUTPUT_FILE       a second daemon with its own state directory but the first one's
                        OUTPUT_FILE is refused, naming the file and the holder's pid;
  truncation logged     bytes after the checkpoint in OUTPUT_FILE are removed at start, and the
                        log says how many;
  localhost             MYSQL_HOST=localhost with the server's MYSQL_PORT (the server listens on
                        127.0.0.1 at a random port, its socket is not at the default path):
                        connects over TCP, `check` passes and changes stream;
  Kafka config file     a mistyped secret key (sasl.pasword=...) is refused without its value
                        appearing anywhere in the output.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, _die_with_parent, clean_env, daemon_env, ids_of,  # noqa: E402
                            master_status, read_events, run_once, start_mariadb)
from script_frame import Checklist  # noqa: E402

BOUND = 30.0
check = Checklist(bracketed=True)


def state_of(work: Path) -> dict:
    files = sorted((work / "state").glob("binlog_position_*.json"))
    return json.loads(files[0].read_text()) if files else {}


def insert(db, first: int, last: int, what: str) -> None:
    db.execute("".join(f"INSERT INTO d.t VALUES ({i}, '{what} {i}');"
                       for i in range(first, last + 1)))


def wait_exit(proc: subprocess.Popen, timeout: float = BOUND) -> int | None:
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None


def start_stdout_daemon(mysql_cdc: str, env: dict, work: Path, stdout, stderr_name: str
                        ) -> subprocess.Popen:
    """The daemon with its standard output on `stdout` (a file or subprocess.PIPE) and its log
    in work/<stderr_name>."""
    with open(work / stderr_name, "wb") as err:
        return subprocess.Popen([mysql_cdc], cwd=str(work), env=clean_env(env),
                                stdin=subprocess.DEVNULL, stdout=stdout, stderr=err,
                                preexec_fn=_die_with_parent())


def stdout_env(db, work: Path) -> dict:
    env = daemon_env(db, work, database="d", tables="t", OUTPUT_SINK="stdout",
                     FLUSH_INTERVAL_MS="100")
    env.pop("OUTPUT_FILE")
    return env


def wait_first_state(work: Path) -> None:
    """Until the first run has saved its starting position (nothing to write yet)."""
    deadline = time.monotonic() + BOUND
    while not state_of(work) and time.monotonic() < deadline:
        time.sleep(0.05)


def error_lines_of(log: str) -> list[str]:
    return [l for l in log.splitlines() if " error " in l]


def check_checkpoint_not_past(work: Path, label: str, before: tuple[str, int],
                              changes: str) -> None:
    """The saved position is not past `before`, where the changes not written start."""
    st = state_of(work)
    check((st.get("log_file"), st.get("log_pos")) <= before,
          f"{label}: the checkpoint is not past the changes not written",
          f"state {st}, {changes} start at {before}")


def restart_delivers(mysql_cdc: str, env: dict, work: Path, db, want: list[int],
                     label: str) -> None:
    """A restart with stdout into a file delivers every change of `want`."""
    out = work / "restart.stdout"
    with open(out, "wb") as fo:
        proc = start_stdout_daemon(mysql_cdc, env, work, fo, "restart.stderr")
    try:
        deadline = time.monotonic() + 60
        target = master_status(db)
        while time.monotonic() < deadline and proc.poll() is None:
            st = state_of(work)
            if (st.get("log_file"), st.get("log_pos")) == target and st.get("skip_rows", 0) == 0:
                break
            time.sleep(0.1)
        proc.terminate()
        rc = wait_exit(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    got = ids_of(read_events(out))
    missing = [i for i in want if i not in got]
    check(rc == 0 and not missing, f"{label}: a restart with a working stdout delivers them",
          f"rc={rc}, missing {missing}, got {got}\n{(work / 'restart.stderr').read_text()}")


def stdout_reader_gone(mysql_cdc: str, db, work: Path) -> None:
    label = "stdout, reader gone"
    env = stdout_env(db, work)
    proc = start_stdout_daemon(mysql_cdc, env, work, subprocess.PIPE, "daemon.stderr")
    try:
        wait_first_state(work)
        insert(db, 1, 5, "read")
        seen = [json.loads(proc.stdout.readline()) for _ in range(5)]
        proc.stdout.close()  # the reader is gone
        before = master_status(db)
        insert(db, 6, 40, "not read")
        rc = wait_exit(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    log = (work / "daemon.stderr").read_text()
    errors = error_lines_of(log)
    check(ids_of(seen) == [1, 2, 3, 4, 5], f"{label}: the reader saw the first changes",
          f"{seen}")
    check(rc not in (0, None) and len(errors) == 1 and "cannot write to standard output" in
          errors[0] and "Broken pipe" in errors[0],
          f"{label}: exits non-zero with one message", f"rc={rc}\n{log}")
    check_checkpoint_not_past(work, label, before, "changes not read")
    restart_delivers(mysql_cdc, env, work, db, list(range(6, 41)), label)


def stdout_disk_full(mysql_cdc: str, db, work: Path) -> None:
    label = "stdout, disk full"
    env = stdout_env(db, work)
    with open("/dev/full", "wb") as full:
        proc = start_stdout_daemon(mysql_cdc, env, work, full, "daemon.stderr")
    try:
        wait_first_state(work)
        before = master_status(db)
        insert(db, 100, 120, "disk full")
        rc = wait_exit(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    log = (work / "daemon.stderr").read_text()
    errors = error_lines_of(log)
    check(rc not in (0, None) and len(errors) == 1 and "No space left on device" in errors[0],
          f"{label}: exits non-zero with one message", f"rc={rc}\n{log}")
    check_checkpoint_not_past(work, label, before, "changes")
    restart_delivers(mysql_cdc, env, work, db, list(range(100, 121)), label)


def one_output_file(mysql_cdc: str, db, work: Path) -> None:
    label = "one OUTPUT_FILE"
    shared = work / "shared.jsonl"
    first = Daemon(mysql_cdc, daemon_env(db, work / "a", database="d", tables="t",
                                         OUTPUT_FILE=str(shared)), work / "a")
    try:
        first.start()
        first.wait_for_log("streaming from")
        env_b = daemon_env(db, work / "b", database="d", tables="t", OUTPUT_FILE=str(shared))
        rc, out, err, secs = run_once(mysql_cdc, env_b, work / "b", timeout=15)
        errors = [l for l in err.splitlines() if " error " in l]
        pid = first.proc.pid
        check(rc not in (0, None) and len(errors) == 1 and str(shared) in errors[0]
              and "in use by" in errors[0] and f"pid {pid}" in errors[0],
              f"{label}: a second daemon is refused, naming the file and the holder",
              f"rc={rc} after {secs:.1f} s\n{err}")
        first.ensure_running()
        insert(db, 200, 202, "shared")
        first.wait_caught_up(db)
        first.sigterm()
        check(ids_of(read_events(shared))[-3:] == [200, 201, 202],
              f"{label}: the first daemon goes on", f"{read_events(shared)}")
    finally:
        first.stop()


def truncation_logged(mysql_cdc: str, db, work: Path) -> None:
    label = "truncation logged"
    d = Daemon(mysql_cdc, daemon_env(db, work, database="d", tables="t"), work)
    try:
        d.start()
        d.wait_for_log("streaming from")
        insert(db, 300, 302, "kept")
        d.wait_caught_up(db)
        d.sigterm()
        kept = d.output_file.read_bytes()
        tail = b'{"written after the checkpoint": "and never covered by one"}\n{"partial'
        with open(d.output_file, "ab") as f:
            f.write(tail)
        d.start()
        line = d.wait_for_log("removed its last")
        d.sigterm()
        check(f"removed its last {len(tail)} bytes" in line and str(d.output_file) in line
              and "after the last checkpoint" in line,
              f"{label}: the log says how many bytes were removed", d.log_tail())
        check(d.output_file.read_bytes() == kept, f"{label}: the file is back at the checkpoint")
    finally:
        d.stop()


def localhost(mysql_cdc: str, db, work: Path) -> None:
    label = "MYSQL_HOST=localhost"
    env = daemon_env(db, work, database="d", tables="t", MYSQL_HOST="localhost")
    rc, out, err, _ = run_once(mysql_cdc, env, work, ["check"], timeout=BOUND)
    check(rc == 0 and f"ok    connection: localhost:{db.port}" in out,
          f"{label}: `check` connects over TCP to the port", out + err)
    d = Daemon(mysql_cdc, env, work)
    try:
        d.start()
        d.wait_for_log("streaming from")
        insert(db, 400, 400, "localhost")
        d.wait_caught_up(db)
        d.sigterm()
        check(ids_of(read_events(d.output_file)) == [400], f"{label}: changes stream",
              d.log_tail())
    except Exception as e:  # noqa: BLE001 - reported as a failed check
        check(False, f"{label}: the daemon streams", f"{e}")
    finally:
        d.stop()


def kafka_config_secret(mysql_cdc: str, db, work: Path) -> None:
    label = "Kafka config file"
    secret = "Kc7-unique-Secret-Value-quux"
    conf = work / "kafka.properties"
    conf.write_text(f"security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                    f"sasl.username=cdc\nsasl.pasword={secret}\n")
    env = daemon_env(db, work, database="d", tables="t", OUTPUT_SINK="kafka",
                     KAFKA_BROKERS="127.0.0.1:1", output="out",
                     KAFKA_CONFIG_FILE=str(conf))
    env.pop("OUTPUT_FILE")
    rc, out, err, _ = run_once(mysql_cdc, env, work, timeout=BOUND)
    check(rc not in (0, None) and "sasl.pasword" in err and secret not in out + err,
          f"{label}: a mistyped secret key is refused without its value", f"rc={rc}\n{err}")
    print(f"     {err.strip().splitlines()[-1] if err.strip() else ''}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--only", help="run only the case of this name (e.g. localhost)")
    args = ap.parse_args()
    with start_mariadb("small-defects", attempts=3) as db, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db.execute("CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(100));")
        for n, case in enumerate((stdout_reader_gone, stdout_disk_full, one_output_file,
                                  truncation_logged, localhost, kafka_config_secret)):
            if args.only and case.__name__ != args.only:
                continue
            case_dir = work / f"{n}-{case.__name__}"
            case_dir.mkdir()
            try:
                case(args.mysql_cdc, db, case_dir)
            except Exception as e:  # noqa: BLE001 - one case's setup failure is its failure
                check(False, f"{case.__name__}: ran to the end", repr(e))
    return check.report("all small-defect checks passed")


if __name__ == "__main__":
    sys.exit(main())
