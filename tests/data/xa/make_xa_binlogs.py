#!/usr/bin/env python3
"""Writes mariadb-10.11-xa.000001 and .000002 next to this script: a real MariaDB 10.11 binlog
with XA transactions interleaved with ordinary ones, read by tests/unit/app/xa_gate_test.cpp.

    tests/data/xa/make_xa_binlogs.py      # starts a throwaway server (tests/integration/)

Table d.t (id INT PRIMARY KEY, v VARCHAR(20)). In binlog order:
  INSERT 1 | XA 'a' PREPARE (10, 11) | XA 'b' PREPARE (20) | INSERT 2 | XA COMMIT 'b' |
  XA 'c' PREPARE (30), XA ROLLBACK 'c' | XA 'd' COMMIT ONE PHASE (40) | FLUSH BINARY LOGS |
  XA COMMIT 'a' | INSERT 3 | XA 'a' again: PREPARE (50), COMMIT | XA 'e' PREPARE (60), left
  prepared.
Committed, in commit order: 1, 2, 20, 40, 10, 11, 3, 50. Never: 30, 60.
Every XA COMMIT/ROLLBACK runs in a session of its own (each execute() is one client run).
"""
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "integration"))
from mariadb_server import MariaDB  # noqa: E402


def xa_prepare(db, xid, ids):
    rows = ",".join(f"({i},'xa-{xid}-{i}')" for i in ids)
    db.execute(f"XA START '{xid}'; INSERT INTO d.t VALUES {rows}; XA END '{xid}'; "
               f"XA PREPARE '{xid}';")


def main() -> int:
    with MariaDB(name="xa-fixture") as db:
        db.execute("RESET MASTER")
        db.execute("CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(20))")
        db.execute("INSERT INTO d.t VALUES (1, 'plain-1')")
        xa_prepare(db, "a", [10, 11])
        xa_prepare(db, "b", [20])
        db.execute("INSERT INTO d.t VALUES (2, 'plain-2')")
        db.execute("XA COMMIT 'b'")
        xa_prepare(db, "c", [30])
        db.execute("XA ROLLBACK 'c'")
        db.execute("XA START 'd'; INSERT INTO d.t VALUES (40, 'xa-d-40'); XA END 'd'; "
                   "XA COMMIT 'd' ONE PHASE;")
        db.execute("FLUSH BINARY LOGS")
        db.execute("XA COMMIT 'a'")
        db.execute("INSERT INTO d.t VALUES (3, 'plain-3')")
        xa_prepare(db, "a", [50])
        db.execute("XA COMMIT 'a'")
        xa_prepare(db, "e", [60])
        files = db.binlog_files()[:2]
        with tempfile.TemporaryDirectory() as tmp:
            saved = db.save_binlogs(tmp, files)
            for i, path in enumerate(saved, 1):
                shutil.copy(path, os.path.join(HERE, f"mariadb-10.11-xa.{i:06d}"))
        db.execute("XA ROLLBACK 'e'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
