#!/usr/bin/env python3
"""Issue 11, defect 8: `mysql-cdc decode` on corrupt binlog files gives one clear error with the
offset and a non-zero exit, never a crash, a huge allocation or invalid JSON.

A real MariaDB 10.11 with binlog_checksum=NONE (nothing catches corrupt bytes) writes a table
and a row; the saved binlog is then corrupted three ways:

  claim-4g   an event header claims 4 GiB and the file ends 275 bytes later: decode runs
             under a 200 MB address-space limit (RLIMIT_AS) and must exit 1 with the offset
             (before the fix: std::bad_alloc, SIGABRT; 4.2 GB RSS without the limit). The
             same bytes through a pipe, where there is no file size to check against.
  truncated  the file ends inside an event: exit 1, the offset and the sizes.
  bad-utf8   the table's and a column's names replaced by bytes that are not UTF-8: every
             output line must be valid UTF-8 JSON, the names carrying U+FFFD.

    test_decode_corrupt.py --mysql-cdc BUILD/src/mysql-cdc
"""
from __future__ import annotations

import argparse
import json
import resource
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mariadb_server import MariaDB  # noqa: E402

LIMIT = 200 << 20
TABLE_MAP = 19


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def events(data: bytes) -> list[tuple[int, int, int]]:
    """(offset, type, size) of each event of a binlog file."""
    out, pos = [], 4
    while pos + 19 <= len(data):
        size = struct.unpack_from("<I", data, pos + 9)[0]
        out.append((pos, data[pos + 4], size))
        pos += size
    return out


def decode(mysql_cdc: str, path: str, stdin=None, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([mysql_cdc, "decode", *extra, path], stdin=stdin, capture_output=True,
                          preexec_fn=limited, timeout=120)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mysql-cdc", required=True)
    args = ap.parse_args()
    failures: list[str] = []

    def check(name: str, ok: bool, detail: str) -> None:
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
        if not ok:
            failures.append(name)

    with MariaDB(extra_args=["--binlog-checksum=NONE"], name="decode-corrupt") as db, \
            tempfile.TemporaryDirectory(prefix="decode-corrupt-") as w:
        db.execute("CREATE DATABASE dc; CREATE TABLE dc.tQQt (id INT PRIMARY KEY, "
                   "cZZc VARCHAR(20)) CHARSET utf8mb4; INSERT INTO dc.tQQt VALUES (7, 'seven');"
                   "FLUSH BINARY LOGS;")
        path = db.save_binlogs(w, db.binlog_files()[:1])[0]
        data = path.read_bytes()
        good = decode(args.mysql_cdc, str(path), None, "--table", "dc.*")
        check("the uncorrupted file decodes", good.returncode == 0 and
              good.stdout.count(b"\n") == 1, f"exit {good.returncode}: {good.stderr!r}")

        # A header claiming 4 GiB, 275 bytes before the end of the file.
        tm = [e for e in events(data) if e[1] == TABLE_MAP][0]
        crafted = bytearray(data[:tm[0] + 275])
        struct.pack_into("<I", crafted, tm[0] + 9, 0xFFFFFFF0)
        claim = Path(w) / "claim-4g.bin"
        claim.write_bytes(bytes(crafted))
        r = decode(args.mysql_cdc, str(claim))
        err = r.stderr.decode(errors="replace").strip()
        check("claim-4g: exit 1 with the offset, under a 200 MB limit",
              r.returncode == 1 and f"offset {tm[0]}" in err and "4294967280" in err
              and len(err.splitlines()) == 1, f"exit {r.returncode}: {err[-300:]}")
        with open(claim, "rb") as f:
            r = decode(args.mysql_cdc, "/dev/stdin", f)
        err = r.stderr.decode(errors="replace").strip()
        check("claim-4g through a pipe: exit 1 with the offset", r.returncode == 1
              and f"offset {tm[0]}" in err, f"exit {r.returncode}: {err[-300:]}")

        # The file ends inside the row event.
        last = [e for e in events(data) if e[1] in (23, 30)][0]  # WRITE_ROWS v1/v2
        cut = Path(w) / "truncated.bin"
        cut.write_bytes(data[:last[0] + last[2] // 2])
        r = decode(args.mysql_cdc, str(cut))
        err = r.stderr.decode(errors="replace").strip()
        check("truncated: exit 1 with the offset and sizes", r.returncode == 1
              and f"offset {last[0]}" in err and f"says {last[2]} bytes" in err,
              f"exit {r.returncode}: {err[-300:]}")

        # Names that are not UTF-8 (same lengths, so every size field still holds).
        bad = data.replace(b"tQQt", b"t\xff\xfet").replace(b"cZZc", b"c\xc3(c")
        assert len(bad) == len(data)
        badp = Path(w) / "bad-utf8.bin"
        badp.write_bytes(bad)
        r = decode(args.mysql_cdc, str(badp), None, "--table", "dc.*")
        lines = r.stdout.splitlines()
        try:
            parsed = [json.loads(line.decode("utf-8")) for line in lines]
            problem = ""
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            parsed, problem = [], f"not UTF-8 JSON: {e}: {lines[:1]!r}"
        check("bad-utf8: every line is valid UTF-8 JSON", r.returncode == 0 and len(lines) == 1
              and not problem, problem or f"exit {r.returncode}, {len(lines)} lines, "
              f"{r.stderr!r}")
        if parsed:
            ev = parsed[0]
            check("bad-utf8: names carry U+FFFD", ev["table"] == "t\ufffd\ufffdt" and
                  ev["columnnames"] == ["id", "c\ufffd(c"] and ev["columnvalues"] == [7, "seven"],
                  json.dumps(ev))
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
