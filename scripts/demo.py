#!/usr/bin/env python3
"""The demo behind scripts/demo.sh: a throwaway MariaDB, a few changes, and `mysql-cdc decode`
turning the server's binlog into JSON change events.

    scripts/demo.py --mysql-cdc build/src/mysql-cdc
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from mariadb_server import MariaDB  # noqa: E402

SETUP = """CREATE DATABASE shop;
CREATE TABLE shop.orders (
  id INT PRIMARY KEY,
  customer VARCHAR(50) NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  status ENUM('new','paid','shipped') NOT NULL,
  created DATETIME(3) NOT NULL,
  note TEXT
);"""

CHANGES = [
    "INSERT INTO shop.orders VALUES (1, 'Ada', 19.90, 'new', '2024-05-01 10:00:00.250', NULL)",
    "INSERT INTO shop.orders VALUES (2, 'Grace', 120.00, 'new', '2024-05-01 10:05:00', 'gift €')",
    "UPDATE shop.orders SET status = 'paid' WHERE id = 1",
    "UPDATE shop.orders SET status = 'shipped', note = 'sent' WHERE id = 1",
    "DELETE FROM shop.orders WHERE id = 2",
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mysql-cdc", required=True)
    args = ap.parse_args()
    with MariaDB(name="demo") as db, tempfile.TemporaryDirectory(prefix="mysql-cdc-demo-") as out:
        print(f"== started MariaDB {db.sql('SELECT VERSION()')[0][0]} on {db.host}:{db.port} "
              "(binlog_format=ROW, binlog_row_image=FULL, binlog_row_metadata=FULL)")
        db.execute(SETUP)
        for statement in CHANGES:
            print(f"   mariadb> {statement};")
            db.execute(statement + ";")
        db.execute("FLUSH BINARY LOGS;")
        files = db.save_binlogs(out)
        cmd = [args.mysql_cdc, "decode", "--table", "shop.orders", *map(str, files)]
        print(f"== saved the binlog with mariadb-binlog --raw; decoding it:\n   "
              f"mysql-cdc decode --table shop.orders {' '.join(f.name for f in files)}\n", flush=True)
        res = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        print(res.stdout, end="")
        if res.returncode != 0:
            print(f"error: mysql-cdc decode exited {res.returncode}", file=sys.stderr)
            return res.returncode
        if len(res.stdout.splitlines()) != len(CHANGES):
            print(f"error: expected {len(CHANGES)} change events, decode printed "
                  f"{len(res.stdout.splitlines())}", file=sys.stderr)
            return 1
    print("\n== the server was stopped and its files removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
