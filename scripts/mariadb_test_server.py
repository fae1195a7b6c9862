#!/usr/bin/env python3
"""Starts a throwaway MariaDB 10.11 with the binlog settings mysql-cdc needs, for trying things by hand.

    scripts/mariadb_test_server.py                       # prints how to connect, runs until Ctrl-C
    scripts/mariadb_test_server.py --compress            # log_bin_compress=ON (compressed events)
    scripts/mariadb_test_server.py --run -- CMD ARGS...  # runs CMD with MYSQL_HOST/PORT/USER/PASSWORD
                                                         # (and MARIADB_SOCKET) set, then stops
    scripts/mariadb_test_server.py --server-arg=--gtid-strict-mode=ON ...

The server lives in a temp dir that is removed when it stops. The library behind it is
tests/integration/mariadb_server.py (used by the tests).
"""
import argparse
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from mariadb_server import MariaDB  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compress", action="store_true", help="--log-bin-compress=ON, min length 10")
    ap.add_argument("--server-arg", action="append", default=[], help="extra mariadbd flag")
    ap.add_argument("--run", action="store_true", help="run the command after -- against the server")
    argv = sys.argv[1:]
    cmd = argv[argv.index("--") + 1:] if "--" in argv else []
    args = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    if args.run != bool(cmd):
        ap.error("--run needs a command after --, and a command needs --run")
    extra = args.server_arg + (["--log-bin-compress=ON", "--log-bin-compress-min-len=10"]
                               if args.compress else [])
    with MariaDB(extra_args=extra, name="manual") as db:
        env = {"MYSQL_HOST": db.host, "MYSQL_PORT": str(db.port), "MYSQL_USER": db.user,
               "MYSQL_PASSWORD": db.password, "MARIADB_SOCKET": db.socket}
        if cmd:
            return subprocess.run(cmd, env={**os.environ, **env}).returncode
        print(f"MariaDB {db.sql('SELECT VERSION()')[0][0]} is running (datadir {db.datadir}).")
        print("  " + " ".join(f"{k}={v}" for k, v in env.items()))
        print(f"  client: mariadb -h{db.host} -P{db.port} -u{db.user} -p{db.password}")
        print("Ctrl-C stops it and removes its files.", flush=True)
        try:
            signal.pause()
        except (KeyboardInterrupt, SystemExit):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
