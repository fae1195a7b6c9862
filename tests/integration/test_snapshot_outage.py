#!/usr/bin/env python3
"""Issue 11, defect 10: the server restarted in the middle of the initial snapshot.

A throwaway MariaDB holds d.big (200,000 rows of 600 bytes: more than the daemon buffers; a
VARCHAR key, read by queries with the key as a literal, where the old code lost the error text). The
daemon snapshots it with INITIAL_SNAPSHOT=true to stdout, which this test reads slowly: after
20,000 rows it stops reading (the daemon then waits on the pipe, mid-snapshot), kills the
reader's connection (KILL CONNECTION) and reads on; up to 50,000 rows it kills the daemon's
connections every 30 ms; after 80,000 rows it stops again, restarts the server, and reads on.
Checked:

  error text  the log names the server's error (not "(error 0: )") and says the snapshot is
              retried; the daemon does not exit
  resume      the retry resumes after the last completed chunk ("resuming after key"), the
              snapshot completes and the stream follows (a row inserted afterwards arrives)
  content     applying the output by key gives exactly the table's rows
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon_harness import clean_env, daemon_env, start_mariadb, _die_with_parent  # noqa: E402
from script_frame import Checklist  # noqa: E402

ROWS = 200_000
check = Checklist()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True)
    args = ap.parse_args()
    with start_mariadb("snapshot-outage") as db, tempfile.TemporaryDirectory() as work:
        db.execute("CREATE DATABASE d; CREATE TABLE d.big (id VARCHAR(20) PRIMARY KEY, v VARCHAR(700)); "
                   f"INSERT INTO d.big SELECT seq, CONCAT('row-', seq, REPEAT('x', 600)) FROM d.seq_1_to_{ROWS}")
        env = daemon_env(db, work, "d", "big", OUTPUT_SINK="stdout", INITIAL_SNAPSHOT="true",
                         SNAPSHOT_BATCH_SIZE="500", FLUSH_INTERVAL_MS="20")
        env.pop("OUTPUT_FILE")
        stderr_path = Path(work) / "daemon.stderr"
        with open(stderr_path, "w") as err:
            proc = subprocess.Popen([args.mysql_cdc], cwd=work, env=clean_env(env),
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=err, preexec_fn=_die_with_parent())
        lines: list[bytes] = []

        def read_until(count: int) -> None:
            while len(lines) < count:
                line = proc.stdout.readline()
                if not line:
                    return
                lines.append(line)

        # 1. The reader's connection killed, while the daemon waits on the pipe mid-snapshot.
        read_until(20_000)
        time.sleep(1)
        # The reader is then idle between two queries (waiting for room in its buffer): the
        # next query finds the connection gone.
        for (conn_id,) in db.sql("SELECT id FROM information_schema.processlist "
                                 "WHERE user = 'cdc'"):
            db.execute(f"KILL CONNECTION {conn_id}")
        # 2. Connections killed every 30 ms while rows flow (a kill between two queries made
        #    the old code report "(error 0: )" and stop).
        stop_killing = threading.Event()

        def kill_loop() -> None:
            while not stop_killing.is_set():
                for (conn_id,) in db.sql("SELECT id FROM information_schema.processlist "
                                         "WHERE user = 'cdc'"):
                    try:
                        db.execute(f"KILL CONNECTION {conn_id}")
                    except Exception:
                        pass  # already gone
                time.sleep(0.03)

        killer = threading.Thread(target=kill_loop, daemon=True)
        killer.start()
        read_until(50_000)
        stop_killing.set()
        killer.join()
        # 3. The server restarted, likewise.
        read_until(80_000)
        time.sleep(1)
        db.restart()
        reader_done = threading.Event()

        def read_rest() -> None:
            for line in proc.stdout:
                lines.append(line)
            reader_done.set()

        threading.Thread(target=read_rest, daemon=True).start()
        deadline = time.monotonic() + 180
        log = ""
        while time.monotonic() < deadline and proc.poll() is None:
            log = stderr_path.read_text(errors="replace")
            if "snapshot complete" in log:
                break
            time.sleep(0.2)
        time.sleep(0.5)
        log = stderr_path.read_text(errors="replace")
        check(proc.poll() is None, "the daemon survives the server restart during the snapshot",
              log)
        check(log.count("retrying the snapshot") >= 2, "the log says the snapshot is retried, twice",
              log)
        check("(error 0: )" not in log, "no error without the server's text", log)
        check("Lost connection" in log or "gone away" in log or "shutdown" in log.lower()
              or "killed" in log.lower(), "the server's error text is logged", log)
        check(log.count("resuming after key") >= 2, "each retry resumes after the last chunk", log)
        check("snapshot complete" in log, "the snapshot completes", log)
        if proc.poll() is None:
            db.execute("INSERT INTO d.big VALUES ('0', 'after')")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not any(b'"after"' in l for l in lines[-5:]):
                time.sleep(0.1)
            proc.terminate()
            proc.wait(timeout=30)
        reader_done.wait(10)
        content = {}
        for line in lines:
            e = json.loads(line)
            vals = dict(zip(e["columnnames"], e["columnvalues"]))
            if e["kind"] == "delete":
                content.pop(e["oldkeys"]["keyvalues"][0], None)
            else:
                content[vals["id"]] = vals["v"]
        want = {i: v for i, v in db.sql("SELECT id, v FROM d.big")}
        missing = [k for k in want if content.get(k) != want[k]]
        extra = [k for k in content if k not in want]
        check(not missing and not extra, "applied by key the output equals the table",
              f"{len(missing)} missing/different (e.g. {missing[:5]}), {len(extra)} extra")
    return check.report("all snapshot outage checks passed")


if __name__ == "__main__":
    sys.exit(main())
