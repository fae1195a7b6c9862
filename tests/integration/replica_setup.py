"""A primary and a GTID replica of it, both throwaway MariaDB servers of mariadb_server.py
(Python standard library only).

Usage:

    from replica_setup import start_primary_and_replica, wait_replica_caught_up
    # failover: kill_server(primary); promote(replica); restart_killed(primary);
    #           demote(primary, replica)   # the old primary replicates from the new one

    primary, replica = start_primary_and_replica("snap")
    try:
        primary.execute("CREATE DATABASE d; ...")       # replicated
        wait_replica_caught_up(primary, replica)        # replica applied all of the primary's binlog
        replica_status(replica)["Slave_SQL_Running"]    # SHOW SLAVE STATUS as a dict
    finally:
        replica.stop()
        primary.stop()

(Not `with primary, replica:`: MariaDB.__enter__ calls start() again, which would start two new
servers.)

Both servers get the harness's BASE_ARGS (ROW binlog, FULL images, ...); the replica's extra
`--server-id=2` comes after them on mariadbd's command line, and mariadbd takes the last value of an
option given twice, so no change to mariadb_server.py is needed. The replica also writes its own
binlog (--log-slave-updates), like a replica a CDC reader could fail over to.

Replication: each server's start() already wrote a few GTIDs of its own (CREATE USER of the test
user) in domain 0. The replica must not replay the primary's (the user exists on both), so the
replica forgets its own binlog (RESET MASTER), sets gtid_slave_pos to the primary's current
gtid_binlog_pos, and replicates from there with MASTER_USE_GTID=slave_pos as the harness's TCP user
(ALL PRIVILEGES, so REPLICATION SLAVE). Everything the test does on the primary afterwards reaches
the replica.
"""

from __future__ import annotations

import subprocess
import time

from daemon_harness import start_mariadb
from mariadb_server import MariaDB, MariaDBError


class ReplicaError(AssertionError):
    pass


def primary_gtid_pos(primary: MariaDB) -> str:
    return primary.sql("SELECT @@GLOBAL.gtid_binlog_pos")[0][0] or ""


def replica_status(replica: MariaDB) -> dict[str, str | None]:
    """SHOW SLAVE STATUS as {column: value}; {} when no replication is configured. (sql() skips
    column names, so this runs the client with them: a header line, then a value line.)"""
    args = [a for a in replica.client_args() if a != "--skip-column-names"]
    res = subprocess.run(args, input="SHOW SLAVE STATUS;", capture_output=True, text=True,
                         timeout=60)
    if res.returncode != 0:
        raise MariaDBError(f"SHOW SLAVE STATUS failed: {res.stderr.strip()}")
    lines = res.stdout.splitlines()
    if len(lines) < 2:
        return {}
    return {name: (None if value == "NULL" else value)
            for name, value in zip(lines[0].split("\t"), lines[1].split("\t"))}


def _gtid_map(text: str) -> dict[tuple[int, int], int]:
    """'0-1-17,1-2-3' -> {(domain, server): seq}."""
    out = {}
    for item in (text or "").replace("\n", "").split(","):
        item = item.strip()
        if item:
            domain, server, seq = (int(x) for x in item.split("-"))
            out[(domain, server)] = seq
    return out


def _domains(text: str) -> dict[int, int]:
    """'0-1-17' -> {0: 17}: per domain, the sequence number of the last GTID."""
    return {domain: seq for (domain, _server), seq in _gtid_map(text).items()}


def setup_replication(primary: MariaDB, replica: MariaDB, timeout: float = 60) -> None:
    """Makes `replica` a GTID replica of `primary` from the primary's current position."""
    start_pos = primary_gtid_pos(primary)
    replica.execute(
        "STOP SLAVE; RESET SLAVE ALL; RESET MASTER;"
        f"SET GLOBAL gtid_slave_pos = '{start_pos}';"
        f"CHANGE MASTER TO MASTER_HOST = '{primary.host}', MASTER_PORT = {primary.port},"
        f" MASTER_USER = '{primary.user}', MASTER_PASSWORD = '{primary.password}',"
        " MASTER_CONNECT_RETRY = 1, MASTER_USE_GTID = slave_pos;"
        "START SLAVE;")
    deadline = time.monotonic() + timeout
    st: dict = {}
    while time.monotonic() < deadline:
        st = replica_status(replica)
        if st.get("Slave_IO_Running") == "Yes" and st.get("Slave_SQL_Running") == "Yes":
            return
        if st.get("Last_IO_Error") or st.get("Last_SQL_Error"):
            break
        time.sleep(0.2)
    raise ReplicaError(f"replication did not start within {timeout:.0f} s: "
                       f"{_status_brief(st)}\nreplica log:\n{replica.log_tail()}")


def _status_brief(st: dict) -> str:
    keys = ("Slave_IO_Running", "Slave_SQL_Running", "Last_IO_Error", "Last_SQL_Error",
            "Gtid_IO_Pos", "Using_Gtid", "Seconds_Behind_Master")
    return ", ".join(f"{k}={st.get(k)!r}" for k in keys)


def wait_replica_caught_up(primary: MariaDB, replica: MariaDB, timeout: float = 120) -> str:
    """Waits until the replica has applied every GTID of the primary's binlog (its
    gtid_slave_pos covers the primary's gtid_binlog_pos in every domain) with both replication
    threads running; returns that GTID position. Fails on a replication error."""
    deadline = time.monotonic() + timeout
    goal, have, st = "", "", {}
    while time.monotonic() < deadline:
        goal = primary_gtid_pos(primary)
        have = replica.sql("SELECT @@GLOBAL.gtid_slave_pos")[0][0] or ""
        st = replica_status(replica)
        if st.get("Last_SQL_Error") or st.get("Slave_SQL_Running") != "Yes":
            raise ReplicaError(f"replication stopped: {_status_brief(st)}")
        want, got = _domains(goal), _domains(have)
        if all(got.get(d, -1) >= seq for d, seq in want.items()):
            return have
        time.sleep(0.1)
    raise ReplicaError(f"the replica did not catch up within {timeout:.0f} s: primary at "
                       f"{goal!r}, replica at {have!r}; {_status_brief(st)}")


def start_primary_and_replica(name: str, primary_args: list[str] = (),
                              replica_args: list[str] = ()) -> tuple[MariaDB, MariaDB]:
    """Two started servers (stop() both when done), the second
    replicating from the first with GTIDs."""
    primary = start_mariadb(f"{name}-primary", list(primary_args))
    try:
        replica = start_mariadb(f"{name}-replica",
                                ["--server-id=2", "--log-slave-updates=ON", *replica_args])
    except BaseException:
        primary.stop()
        raise
    try:
        got = replica.sql("SELECT @@server_id")[0][0]
        if got != "2":
            raise ReplicaError(f"the replica runs with server_id {got}, not 2 (the extra "
                               f"--server-id did not override BASE_ARGS)")
        setup_replication(primary, replica)
    except BaseException:
        replica.stop()
        primary.stop()
        raise
    return primary, replica


def kill_server(db: MariaDB) -> None:
    """SIGKILLs mariadbd (a crash: no clean shutdown); its datadir and port stay for
    restart_killed()."""
    if db.proc is not None and db.proc.poll() is None:
        db.proc.kill()
        db.proc.wait(timeout=30)


def restart_killed(db: MariaDB) -> None:
    """Starts a SIGKILLed server again on its datadir and port (crash recovery runs)."""
    db._launch(db.port)
    db._wait_ready()


def promote(replica: MariaDB) -> None:
    """Makes a replica a primary: replication stopped and forgotten, writable."""
    replica.execute("STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = 0;")


def demote(old_primary: MariaDB, new_primary: MariaDB, timeout: float = 60) -> None:
    """Makes a former primary a GTID replica of `new_primary`, continuing after its own
    binlog's last transaction (gtid_slave_pos := gtid_binlog_pos, MASTER_USE_GTID=slave_pos)."""
    old_primary.execute(
        "STOP SLAVE; RESET SLAVE ALL;"
        "SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos;"
        f"CHANGE MASTER TO MASTER_HOST = '{new_primary.host}', MASTER_PORT = {new_primary.port},"
        f" MASTER_USER = '{new_primary.user}', MASTER_PASSWORD = '{new_primary.password}',"
        " MASTER_CONNECT_RETRY = 1, MASTER_USE_GTID = slave_pos;"
        "START SLAVE;")
    deadline = time.monotonic() + timeout
    st: dict = {}
    while time.monotonic() < deadline:
        st = replica_status(old_primary)
        if st.get("Slave_IO_Running") == "Yes" and st.get("Slave_SQL_Running") == "Yes":
            return
        if st.get("Last_IO_Error") or st.get("Last_SQL_Error"):
            break
        time.sleep(0.2)
    raise ReplicaError(f"the old primary did not start replicating within {timeout:.0f} s: "
                       f"{_status_brief(st)}\nits log:\n{old_primary.log_tail()}")


def _self_test() -> int:
    """python3 replica_setup.py: a primary and a replica, a few changes, caught up, equal."""
    t0 = time.monotonic()
    primary, replica = start_primary_and_replica("replica-selftest")
    try:
        primary.execute("CREATE DATABASE d;")
        primary.execute("CREATE TABLE d.t (id INT PRIMARY KEY, v INT);"
                        "INSERT INTO d.t SELECT seq, seq * 2 FROM seq_1_to_1000;"
                        "UPDATE d.t SET v = v + 1 WHERE id % 3 = 0; DELETE FROM d.t WHERE id < 10;", database="d")
        pos = wait_replica_caught_up(primary, replica)
        a = primary.sql("SELECT COUNT(*), SUM(v), SUM(id) FROM d.t")
        b = replica.sql("SELECT COUNT(*), SUM(v), SUM(id) FROM d.t")
        st = replica_status(replica)
        print(f"primary {primary_gtid_pos(primary)}, replica gtid_slave_pos {pos}, "
              f"Using_Gtid={st.get('Using_Gtid')}, primary {a}, replica {b}")
        if a != b or st.get("Using_Gtid") != "Slave_Pos":
            print("FAILED")
            return 1
    finally:
        replica.stop()
        primary.stop()
    print(f"OK ({time.monotonic() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(_self_test())
