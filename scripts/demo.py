#!/usr/bin/env python3
"""The demo behind scripts/demo.sh: a throwaway MariaDB, the mysql-cdc daemon following its
binlog, and a few changes streaming out as JSON events, live.

    scripts/demo.py --mysql-cdc build/src/mysql-cdc            # events on stdout
    scripts/demo.py --mysql-cdc build/src/mysql-cdc --kafka tests/support/kafka_test_broker
                                                               # events into a Kafka topic

With --kafka the daemon publishes to the topic `demo-orders` of a local Kafka-protocol test
broker, and kcat (an independent consumer) prints what arrived, with keys and position headers.
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
from mariadb_server import MariaDB  # noqa: E402

SETUP = """CREATE DATABASE shop;
CREATE TABLE shop.orders (
  id INT PRIMARY KEY,
  customer VARCHAR(50) NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  status ENUM('new','paid','shipped') NOT NULL,
  created DATETIME(3) NOT NULL,
  note TEXT
);
CREATE TABLE shop.audit (id INT PRIMARY KEY);"""

CHANGES = [
    "INSERT INTO shop.orders VALUES (1, 'Ada', 19.90, 'new', '2024-05-01 10:00:00.250', NULL)",
    "INSERT INTO shop.orders VALUES (2, 'Grace', 120.00, 'new', '2024-05-01 10:05:00', 'gift €')",
    "INSERT INTO shop.audit VALUES (1)",  # not watched: no event
    "UPDATE shop.orders SET status = 'paid' WHERE id = 1",
    "UPDATE shop.orders SET status = 'shipped', note = 'sent' WHERE id = 1",
    "DELETE FROM shop.orders WHERE id = 2",
]
EXPECTED_EVENTS = 5


def daemon_env(db, state_dir, extra):
    env = dict(os.environ, MYSQL_HOST=db.host, MYSQL_PORT=str(db.port), MYSQL_USER=db.user,
               MYSQL_PASSWORD=db.password, MYSQL_DATABASE="shop", MYSQL_TABLE="orders",
               Quix__State__Dir=state_dir, LOG_LEVEL="warn")
    env.update(extra)
    return env


def run(args, db, work):
    kafka = None
    extra = {"OUTPUT_SINK": "stdout"}
    if args.kafka:
        from kafka_broker import KafkaBroker, consume
        kafka = KafkaBroker(args.kafka).start()
        kafka.create_topic("demo-orders", 3)
        extra = {"KAFKA_BROKERS": kafka.bootstrap, "output": "demo-orders"}
    state_dir = os.path.join(work, "state")
    print("== mysql-cdc (the daemon) follows the binlog; its events appear below as they stream:",
          flush=True)
    daemon = subprocess.Popen([args.mysql_cdc], env=daemon_env(db, state_dir, extra),
                              stdin=subprocess.DEVNULL, stdout=None if not kafka else
                              subprocess.DEVNULL)
    try:
        time.sleep(1.5)  # connected and streaming from the current position
        for statement in CHANGES:
            print(f"   mariadb> {statement};", flush=True)
            db.execute(statement + ";")
            time.sleep(0.7)  # past the 500 ms flush interval: each event shows up on its own
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=30)
    state = [f for f in os.listdir(state_dir) if f.endswith(".json")]
    print(f"== SIGTERM: the daemon flushed and exited {code}; it resumes from "
          f"{os.path.join('state', state[0])}:")
    with open(os.path.join(state_dir, state[0])) as f:
        print("   " + f.read().replace("\n", "\n   ").rstrip())
    if kafka:
        messages = consume(kafka.bootstrap, "demo-orders")
        print("== kcat read the topic demo-orders (partition, key, headers, value):")
        by_position = sorted(messages, key=lambda m: (int(m.headers.get("mysql-cdc.pos", 0)),
                                                      int(m.headers.get("mysql-cdc.row", 0))))
        for m in by_position:
            print(f"   p{m.partition} key={m.key} pos={m.headers.get('mysql-cdc.pos')} {m.value}")
        kafka.stop()
        return 0 if code == 0 and len(messages) == EXPECTED_EVENTS else 1
    return code


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--kafka", metavar="KAFKA_TEST_BROKER",
                    help="publish to a local test broker (tests/support/kafka_test_broker)")
    args = ap.parse_args()
    with MariaDB(name="demo") as db, tempfile.TemporaryDirectory(prefix="mysql-cdc-demo-") as work:
        print(f"== started MariaDB {db.sql('SELECT VERSION()')[0][0]} on {db.host}:{db.port} "
              "(binlog_format=ROW, binlog_row_image=FULL, binlog_row_metadata=FULL)")
        db.execute(SETUP)
        code = run(args, db, work)
    print("== the server was stopped and its files removed")
    return code


if __name__ == "__main__":
    sys.exit(main())
