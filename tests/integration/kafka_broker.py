"""A throwaway Kafka-protocol broker for tests: librdkafka's mock cluster (tests/support/
kafka_test_broker), plus a kcat-based reader (Python standard library only).

Usage:

    from kafka_broker import KafkaBroker, consume

    with KafkaBroker(binary) as kafka:
        kafka.create_topic("cdc", 6)
        ... produce to kafka.bootstrap ...
        kafka.down(); time.sleep(5); kafka.up()      # an outage
        for m in consume(kafka.bootstrap, "cdc"):     # every message, via kcat
            m.partition, m.offset, m.key, m.value, m.headers

The broker keeps messages in memory: they are gone when it stops. It auto-creates a topic with 4
partitions when a producer asks for its metadata; create_topic() first to choose the count. The
process reads commands on stdin and exits when stdin closes, so it dies with the test (and a
PR_SET_PDEATHSIG makes sure of it when the test is SIGKILLed).
"""

from __future__ import annotations

import ctypes
import shutil
import signal
import subprocess
from dataclasses import dataclass, field

PR_SET_PDEATHSIG = 1


class KafkaBrokerError(RuntimeError):
    pass


def _die_with_parent():
    libc = ctypes.CDLL("libc.so.6", use_errno=True)

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    return preexec


class KafkaBroker:
    def __init__(self, binary: str, brokers: int = 1):
        self.binary = binary
        self.brokers = brokers
        self.proc: subprocess.Popen | None = None
        self.bootstrap = ""

    def __enter__(self) -> "KafkaBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "KafkaBroker":
        self.proc = subprocess.Popen(
            [self.binary, "--brokers", str(self.brokers)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, bufsize=1, preexec_fn=_die_with_parent())
        line = self.proc.stdout.readline().strip()
        if not line.startswith("bootstrap="):
            self.stop()
            raise KafkaBrokerError(f"{self.binary} did not print its address: {line!r}")
        self.bootstrap = line[len("bootstrap="):]
        return self

    def command(self, line: str) -> None:
        if self.proc is None or self.proc.poll() is not None:
            raise KafkaBrokerError("the test broker is not running")
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if answer != "ok":
            raise KafkaBrokerError(f"broker command {line!r}: {answer or 'no answer'}")

    def create_topic(self, name: str, partitions: int) -> None:
        self.command(f"create {name} {partitions}")

    def down(self, broker: str = "all") -> None:
        self.command(f"down {broker}")

    def up(self, broker: str = "all") -> None:
        self.command(f"up {broker}")

    def set_topic_error(self, topic: str, error: str) -> None:
        """Metadata reports `error` (e.g. UNKNOWN_TOPIC_OR_PART) for the topic from now on."""
        self.command(f"error {topic} {error}")

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.poll() is None:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
        except (subprocess.TimeoutExpired, BrokenPipeError):
            self.proc.kill()
            self.proc.wait()
        self.proc = None


@dataclass
class Message:
    partition: int
    offset: int
    key: str | None    # None: a null key
    value: str | None  # None: a null value (a tombstone)
    headers: dict[str, str] = field(default_factory=dict)
    timestamp_ms: int = -1  # the message's (producer's create) timestamp, where read


POSITION_HEADER = "mysql-cdc.position"
_POSITION_FIELDS = {"pos": "mysql-cdc.pos", "row": "mysql-cdc.row", "part": "mysql-cdc.part",
                    "server": "mysql-cdc.server-id", "gtid": "mysql-cdc.gtid"}


def unpack_position(value: str) -> dict[str, str]:
    """The header mysql-cdc.position (src/sink/kafka/kafka_position_header.h) as the separate
    headers earlier versions wrote: mysql-cdc.file, .pos and .row always, .part, .snapshot
    ("true"), .server-id and .gtid when present. ValueError when it does not follow the
    grammar, so that a test reading a bad header fails."""
    out = {"mysql-cdc.pos": "0", "mysql-cdc.row": "0"}
    seen = set()
    rest = value
    while not rest.startswith("file:"):
        field, sep, rest = rest.partition(" ")
        key = field.split(":", 1)[0]
        if not sep or key in seen:
            raise ValueError(f"bad {POSITION_HEADER} header: {value!r}")
        seen.add(key)
        if field == "snapshot":
            out["mysql-cdc.snapshot"] = "true"
            continue
        name, colon, v = field.partition(":")
        if not colon or name not in _POSITION_FIELDS or not v or \
                (name != "gtid" and not v.isdigit()):
            raise ValueError(f"bad {POSITION_HEADER} header: {value!r}")
        out[_POSITION_FIELDS[name]] = v
    if len(rest) <= len("file:"):
        raise ValueError(f"bad {POSITION_HEADER} header: {value!r}")
    out["mysql-cdc.file"] = rest[len("file:"):]
    return out


def _parse_headers(text: str) -> dict[str, str]:
    # kcat prints headers as name=value,name=value; our header values hold no ',' or '='
    # (file names, numbers, GTIDs). The packed position header is unpacked into the separate
    # headers of earlier versions, which is what the tests check.
    headers = {}
    for item in text.split(",") if text else []:
        name, _, value = item.partition("=")
        if name == POSITION_HEADER:
            headers.update(unpack_position(value))
        else:
            headers[name] = value
    return headers


def consume(bootstrap: str, topic: str, timeout: float = 120) -> list[Message]:
    """Every message of the topic, from the beginning, read by kcat (an independent client)."""
    kcat = shutil.which("kcat") or "kcat"
    # \x1f / \x1e separate fields and messages: keys and values are JSON, which may hold tabs
    # and newlines only escaped, but keep the separators out of band anyway.
    # %K and %S (key and value lengths) are -1 for null, which an empty %k/%s cannot tell.
    fmt = "%p\x1f%o\x1f%K\x1f%k\x1f%S\x1f%s\x1f%h\x1e"
    out = subprocess.run([kcat, "-b", bootstrap, "-C", "-t", topic, "-e", "-q", "-o", "beginning",
                          "-f", fmt], capture_output=True, timeout=timeout)
    if out.returncode != 0:
        raise KafkaBrokerError(f"kcat failed ({out.returncode}): {out.stderr.decode()[-2000:]}")
    messages = []
    for record in out.stdout.decode().split("\x1e"):
        if not record.strip("\n"):
            continue
        part, offset, klen, key, vlen, value, headers = record.lstrip("\n").split("\x1f")
        messages.append(Message(int(part), int(offset), None if klen == "-1" else key,
                                None if vlen == "-1" else value, _parse_headers(headers)))
    return messages
