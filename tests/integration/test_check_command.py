#!/usr/bin/env python3
"""Issue 13: `mysql-cdc check` checks the Kafka side and the watched tables' keys, and both
`check` and the daemon warn about configuration names that look like settings but are not.
A real MariaDB, the test broker (librdkafka's mock cluster, tests/support/kafka_test_broker).

  keys      a table with a PRIMARY KEY (ok), one keyed by a UNIQUE NOT NULL index the server
            promotes (ok, says so, no warning), one without any key and one whose only UNIQUE
            index has a NULL-able column (warn: keyed by the whole row); exit 0
  kafka     broker up and the topic present (ok, its partition count); a missing topic the
            broker auto-creates (ok, created); a missing topic it will not create (FAIL, how to
            create it); no listener on the brokers' port (FAIL naming the bootstrap list and
            librdkafka's reason, within a bounded time); a bad KAFKA_CONFIG_FILE property (FAIL
            naming it); a KAFKA_TOPIC_TEMPLATE that makes an invalid topic name (FAIL in check;
            the daemon stops at once with one line, before it waits for the brokers)
  typos     MYSQL_TABEL in the environment: a warn line in check and a warning in the daemon's
            log, both naming MYSQL_TABLE; MYSQL_TABEL alone (MYSQL_TABLE missing): the error
            keeps the hint; .env keys KAFKA_BROKER and GREETING: one warning each; PATH, HOME,
            MYSQL_PWD in the environment: none

    tests/integration/test_check_command.py --mysql-cdc BUILD/src/mysql-cdc \\
        --broker BUILD/tests/support/kafka_test_broker [--keep]
"""

from __future__ import annotations

import re
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, run_once,  # noqa: E402
                            start_mariadb)
from kafka_broker import KafkaBroker, KafkaBrokerError  # noqa: E402
from script_frame import Checklist, require_files, run_in_work_dir, script_arguments  # noqa: E402

BOUND = 60  # no run of `check` may take longer; the broker checks are bounded far below it

DDL = """
CREATE DATABASE d;
CREATE TABLE d.keyed (id INT PRIMARY KEY, v INT);
CREATE TABLE d.promoted (v INT, email VARCHAR(60) NOT NULL, UNIQUE KEY uk_email (email));
CREATE TABLE d.keyless (a INT, b VARCHAR(10));
CREATE TABLE d.null_unique (a INT NULL, b INT NOT NULL, UNIQUE KEY u_a (a));
CREATE TABLE d.odd$name (id INT PRIMARY KEY);
"""

check = Checklist()


def lines_of(out: str, prefix: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(prefix)]


def run_check(mysql_cdc: str, env: dict, work: Path, what: str) -> tuple[int | None, str, float]:
    rc, out, err, took = run_once(mysql_cdc, env, work, ["check"], timeout=BOUND)
    print(f"  check ({what}): exit {rc} after {took:.1f} s", flush=True)
    for line in out.splitlines():
        if line.startswith(("FAIL", "warn")) or "kafka" in line or "key of" in line:
            print("    | " + line[:240])
    return rc, out + err, took


def closed_port() -> int:
    with socket.socket() as s:  # nobody listens on it once closed
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kafka_env(db, work: Path, bootstrap: str, topic: str | None = "cdc", props: str = "",
              **extra: str) -> dict:
    env = daemon_env(db, work, database="d", tables="keyed", OUTPUT_SINK="kafka",
                     KAFKA_BROKERS=bootstrap, **extra)
    env.pop("OUTPUT_FILE")
    if topic is not None:
        env["output"] = topic
    if props:
        work.mkdir(parents=True, exist_ok=True)
        path = work / "kafka.properties"
        path.write_text(props)
        env["KAFKA_CONFIG_FILE"] = str(path)
    return env


def case_keys(mysql_cdc: str, db, work: Path) -> None:
    env = daemon_env(db, work, database="d", tables="keyed,promoted,keyless,null_unique")
    rc, out, _ = run_check(mysql_cdc, env, work, "keys")
    check(rc == 0, "keys: warnings alone do not fail check", out)
    check("ok    key of `d`.`keyed`: PRIMARY KEY (`id`)" in out,
          "keys: a PRIMARY KEY is named", out)
    promoted = lines_of(out, "ok    key of `d`.`promoted`: ")
    check(len(promoted) == 1 and "UNIQUE index `uk_email` (`email`)" in promoted[0]
          and "uses it as the primary key" in promoted[0],
          "keys: a promoted UNIQUE NOT NULL index is named as the key", out)
    check(not lines_of(out, "warn  key of `d`.`promoted`"),
          "keys: no warning for the promoted index", out)
    for table in ("keyless", "null_unique"):
        warn = lines_of(out, f"warn  key of `d`.`{table}`: ")
        check(len(warn) == 1 and "keyed by the whole row" in warn[0]
              and "another key and partition" in warn[0] and "compacted topic" in warn[0]
              and f"ALTER TABLE `d`.`{table}` ADD PRIMARY KEY" in warn[0],
              f"keys: {table} gets one warning saying what it means and what to do", out)
    check(not [line for line in out.splitlines() if "kafka" in line],
          "keys: no Kafka lines when Kafka is not configured", out)

    # The daemon says the same once at start.
    d = Daemon(mysql_cdc, env, work / "daemon")
    try:
        d.start()
        line = d.wait_for_log(r"key of `d`.`keyless`: no PRIMARY KEY")
        d.wait_for_log("streaming from")
        d.sigterm()
        check(" warn" in line or "[warn" in line or "warning" in line,
              "keys: the daemon logs the keyless table as a warning", line)
        check("key of `d`.`promoted`" not in d.all_logs(),
              "keys: the daemon does not warn about the promoted index", d.log_tail())
    finally:
        d.stop()


def case_patterns(mysql_cdc: str, db, work: Path) -> None:
    """Issue 14: `check` shows what each MYSQL_TABLE pattern matches, and checks those tables."""
    env = daemon_env(db, work, database="d", tables="k%,/d\\.null_.*/,audit_%",
                     MYSQL_TABLE_EXCLUDE="keyless")
    rc, out, _ = run_check(mysql_cdc, env, work, "patterns")
    check(rc == 0, "patterns: check passes (a pattern matching nothing only warns)", out)
    check("ok    pattern k%: d.keyed; excluded: d.keyless" in out,
          "patterns: a LIKE pattern lists its tables and the excluded ones", out)
    check("ok    pattern /d\\.null_.*/: d.null_unique" in out,
          "patterns: a regular expression lists its tables", out)
    check(len(lines_of(out, "warn  pattern audit_%: no table (yet)")) == 1,
          "patterns: a pattern matching nothing is a warning", out)
    check("key of `d`.`keyed`" in out and "key of `d`.`null_unique`" in out
          and "key of `d`.`keyless`" not in out,
          "patterns: the tables they match are checked, the excluded one is not", out)


def case_kafka(mysql_cdc: str, broker: str, db, work: Path) -> None:
    with KafkaBroker(broker) as kafka:
        kafka.create_topic("cdc", 3)
        env = kafka_env(db, work / "up", kafka.bootstrap)
        rc, out, _ = run_check(mysql_cdc, env, work / "up", "broker up, topic present")
        check(rc == 0, "kafka up: check passes", out)
        check("ok    kafka producer: built from the defaults" in out,
              "kafka up: the producer is built", out)
        check(f"ok    kafka brokers: {kafka.bootstrap} answered" in out,
              "kafka up: the brokers answer", out)
        check("ok    kafka topic cdc: exists, 3 partitions" in out,
              "kafka up: the topic exists with its partition count", out)

        env = kafka_env(db, work / "auto", kafka.bootstrap, topic="fresh")
        rc, out, _ = run_check(mysql_cdc, env, work / "auto", "topic auto-created")
        check(rc == 0 and "ok    kafka topic fresh: did not exist; the broker created it when "
              "asked for it (auto.create.topics.enable), 4 partitions" in out,
              "kafka auto-create: a topic the broker creates on demand is ok", out)

        kafka.set_topic_error("gone", "UNKNOWN_TOPIC_OR_PART")
        env = kafka_env(db, work / "gone", kafka.bootstrap, topic="gone",
                        props="mysql-cdc.connect.timeout.ms=3000\n")
        rc, out, took = run_check(mysql_cdc, env, work / "gone", "topic cannot be created")
        fail = lines_of(out, "FAIL  kafka topic gone: ")
        check(rc == 1 and len(fail) == 1 and "does not exist and cannot be created" in fail[0]
              and "kafka-topics.sh --bootstrap-server " + kafka.bootstrap in fail[0],
              "kafka missing topic: FAIL saying how to create it, exit 1", out)
        check(took < 30, f"kafka missing topic: bounded time ({took:.1f} s)")

        # Brokers configured but another sink: they are checked, with a warning; no topic named.
        env = daemon_env(db, work / "file-sink", database="d", tables="keyed",
                         KAFKA_BROKERS=kafka.bootstrap)
        rc, out, _ = run_check(mysql_cdc, env, work / "file-sink", "brokers with the file sink")
        check(rc == 0 and "warn  kafka: KAFKA_BROKERS is set but OUTPUT_SINK is file: the daemon "
              "does not write to Kafka" in out and f"ok    kafka brokers: {kafka.bootstrap}" in out
              and "kafka topic" not in out,
              "kafka with the file sink: a warning, the brokers checked, no topic", out)

        props = "linger.mss=10\n"
        env = kafka_env(db, work / "badprop", kafka.bootstrap, props=props)
        rc, out, _ = run_check(mysql_cdc, env, work / "badprop", "bad property")
        fail = lines_of(out, "FAIL  kafka settings: ")
        check(rc == 1 and len(fail) == 1 and "Kafka property linger.mss" in fail[0]
              and str(work / "badprop" / "kafka.properties") in fail[0],
              "kafka bad property: FAIL naming the property and the file", out)
        env = kafka_env(db, work / "badown", kafka.bootstrap,
                        props="mysql-cdc.topic.partition=3\n")
        rc, out, _ = run_check(mysql_cdc, env, work / "badown", "bad property of ours")
        check(rc == 1 and "mysql-cdc.topic.partition" in "".join(
            lines_of(out, "FAIL  kafka settings: ")),
            "kafka bad property of ours: FAIL naming it", out)

        env = kafka_env(db, work / "template", kafka.bootstrap, topic=None,
                        KAFKA_TOPIC_TEMPLATE="cdc.{schema}.{table}",
                        MYSQL_TABLE="keyed,odd$name")
        rc, out, _ = run_check(mysql_cdc, env, work / "template", "invalid topic name")
        fail = lines_of(out, "FAIL  kafka topic cdc.d.odd$name (table d.odd$name): ")
        check(rc == 1 and len(fail) == 1 and "not a valid Kafka topic name" in fail[0]
              and "'$'" in fail[0] and "KAFKA_TOPIC_TEMPLATE" in fail[0],
              "kafka invalid topic: FAIL naming the topic and the character", out)
        check("ok    kafka topic cdc.d.keyed (table d.keyed): " in out,
              "kafka invalid topic: the valid topic is still checked", out)

    # The daemon refuses the invalid name before it waits for brokers (here: none listening).
    port = closed_port()
    env = kafka_env(db, work / "template-daemon", f"127.0.0.1:{port}", topic=None,
                    KAFKA_TOPIC_TEMPLATE="cdc.{schema}.{table}", MYSQL_TABLE="keyed,odd$name")
    rc, out, err, took = run_once(mysql_cdc, env, work / "template-daemon", timeout=BOUND)
    errors = [line for line in err.splitlines() if re.search(r"\berror\b", line)]
    print(f"  daemon (invalid topic): exit {rc} after {took:.1f} s: {errors[-1:]}", flush=True)
    check(rc not in (0, None) and len(errors) == 1
          and '"cdc.d.odd$name" is not a valid Kafka topic name' in errors[0]
          and "KAFKA_TOPIC_TEMPLATE" in errors[0],
          "daemon invalid topic: one clear error line, non-zero exit", err)
    check(took < 10 and "cannot reach" not in err,
          f"daemon invalid topic: fails before waiting for the brokers ({took:.1f} s)", err)

    # No listener: check gives up within its own bound (10 s), under the 30 s default wait.
    env = kafka_env(db, work / "down", f"127.0.0.1:{port}")
    rc, out, took = run_check(mysql_cdc, env, work / "down", "brokers down")
    fail = lines_of(out, "FAIL  kafka brokers: ")
    check(rc == 1 and len(fail) == 1
          and f"cannot reach the Kafka brokers 127.0.0.1:{port} within 10 s" in fail[0]
          and re.search(r"refused|down|Connect", fail[0]) is not None,
          "kafka down: FAIL with the bootstrap list and librdkafka's reason", out)
    check(took < 25, f"kafka down: bounded time ({took:.1f} s)")
    check("ok    connection:" in out, "kafka down: the MySQL checks still ran", out)


def case_typos(mysql_cdc: str, db, work: Path) -> None:
    hint = "MYSQL_TABEL is not a setting of mysql-cdc: did you mean MYSQL_TABLE?"
    env = daemon_env(db, work / "both", database="d", tables="keyed", MYSQL_TABEL="keyless",
                     HOME="/root", MYSQL_PWD="x", KAFKA_HOME="/opt/kafka")
    rc, out, _ = run_check(mysql_cdc, env, work / "both", "MYSQL_TABEL")
    warns = lines_of(out, "warn  configuration: ")
    check(rc == 0 and warns == ["warn  configuration: environment variable " + hint],
          "typos: check warns once about MYSQL_TABEL, naming MYSQL_TABLE (and nothing else)", out)

    d = Daemon(mysql_cdc, env, work / "both-daemon")
    try:
        d.start()
        line = d.wait_for_log(re.escape(hint))
        d.wait_for_log("streaming from")
        d.sigterm()
        check("warn" in line, "typos: the daemon logs the warning at start", line)
        check("MYSQL_PWD" not in d.all_logs() and "KAFKA_HOME" not in d.all_logs(),
              "typos: other programs' variables are not reported", d.log_tail())
    finally:
        d.stop()

    env = daemon_env(db, work / "only", database="d", tables="keyed")
    env["MYSQL_TABEL"] = env.pop("MYSQL_TABLE")
    rc, out, _ = run_check(mysql_cdc, env, work / "only", "MYSQL_TABEL alone")
    check(rc == 2 and "MYSQL_TABLE" in out and "mysql-cdc: environment variable " + hint in out,
          "typos: MYSQL_TABLE missing: the error keeps the hint", out)

    dot = work / "dotenv"
    dot.mkdir(parents=True, exist_ok=True)
    (dot / ".env").write_text("KAFKA_BROKER=127.0.0.1:9\nGREETING=hello\n")
    env = daemon_env(db, dot, database="d", tables="keyed")
    rc, out, _ = run_check(mysql_cdc, env, dot, ".env keys")
    warns = lines_of(out, "warn  configuration: ")
    check(rc == 0 and len(warns) == 2
          and ".env key KAFKA_BROKER is not a setting of mysql-cdc: did you mean KAFKA_BROKERS?"
          in warns[1 if warns[0].find("GREETING") >= 0 else 0]
          and any(".env key GREETING is not a setting" in w for w in warns),
          "typos: every unknown .env key warns, naming the closest setting", out)


def main() -> int:
    ap = script_arguments(__doc__)
    ap.add_argument("--broker", required=True, help="the kafka_test_broker binary")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc, broker=args.broker):
        return 2

    def run(work: Path) -> list[str]:
        with start_mariadb("check-command") as db:
            db.execute(DDL)
            for name, case in (("keys", lambda w: case_keys(args.mysql_cdc, db, w)),
                               ("patterns", lambda w: case_patterns(args.mysql_cdc, db, w)),
                               ("kafka", lambda w: case_kafka(args.mysql_cdc, args.broker, db, w)),
                               ("typos", lambda w: case_typos(args.mysql_cdc, db, w))):
                print(f"case {name}", flush=True)
                t0 = time.monotonic()
                try:
                    case(work / name)
                except (DaemonError, KafkaBrokerError) as e:  # the case's remaining checks
                    check(False, f"{name}: ran to the end", str(e))
                print(f"  ({time.monotonic() - t0:.0f} s)", flush=True)
        return check.problems

    return run_in_work_dir(run, "check-command-", args.keep, (DaemonError, KafkaBrokerError))


if __name__ == "__main__":
    sys.exit(main())
