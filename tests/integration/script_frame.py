"""What every integration test script does around its checks (Python standard library only).

Usage:

    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    seed = pick_seed(args.seed)                     # printed, so a failure can be rerun
    work, t0 = Path(tempfile.mkdtemp(prefix="name-")), time.monotonic()
    ... problems.append("...") ...
    return finish(problems, work, args.keep, t0, f" with seed {seed}")

or, for scripts made of many small named checks:

    check = Checklist()
    check(rc == 0, "a clean stop exits 0", log)
    return check.report("all state layout checks passed")

The texts of the problems are the tests' own; these helpers only print them the same way
everywhere.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable
from typing import Callable


def require_files(**flags: str | None) -> bool:
    """Every program given on the command line exists (flag name -> path); says which does not."""
    for flag, path in flags.items():
        if not path or not Path(path).is_file():
            print(f"error: --{flag.replace('_', '-')} {path} does not exist", file=sys.stderr)
            return False
    return True


def pick_seed(given: int | None) -> int:
    """The seed from --seed, or a random one; printed either way so a failing run can be
    repeated."""
    seed = given if given is not None else int.from_bytes(os.urandom(4), "little")
    print(f"seed {seed} (rerun with --seed {seed})", flush=True)
    return seed


def finish(problems: list[str], work: Path, keep: bool, t0: float, what: str = "",
           ok_note: str = "", limit: int | None = None, indent: bool = False) -> int:
    """The end of a scenario: "FAILED<what> (<time>; files in <work>):" and the first `limit`
    problems (`indent` lines up the continuation lines of multi-line ones), or
    "OK<what><ok_note> (<time>)"; the exit code. The work directory stays for a look when a
    check failed or `keep` asks for it; otherwise it is removed."""
    took = f"{time.monotonic() - t0:.0f} s"
    if problems:
        print(f"FAILED{what} ({took}; files in {work}):")
        for p in problems[:limit]:
            print("  - " + (p.replace("\n", "\n    ") if indent else p))
        return 1
    if keep:
        print(f"files in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"OK{what}{ok_note} ({took})")
    return 0


def run_in_work_dir(run: Callable[[Path], list[str]], prefix: str, keep: bool,
                    failures: tuple[type[BaseException], ...], what: str = "",
                    limit: int | None = None, indent: bool = False) -> int:
    """`run` in a new work directory; it returns the problems, and an exception of `failures`
    is its one problem. Ends as finish() does."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    t0 = time.monotonic()
    try:
        problems = run(work)
    except failures as e:
        problems = [str(e)]
    return finish(problems, work, keep, t0, what, limit=limit, indent=indent)


class Checklist:
    """Named checks that print ok or FAIL as they run and keep the failures for the end.
    A failure reads "[what] detail" (`bracketed`) or "what: detail"; the detail is cut to its
    last (`tail`) or first 3000 characters."""

    def __init__(self, bracketed: bool = False, tail: bool = True):
        self.problems: list[str] = []
        self._bracketed = bracketed
        self._tail = tail

    def __call__(self, ok: bool, what: str, detail: str = "") -> None:
        print(("ok    " if ok else "FAIL  ") + what, flush=True)
        if ok:
            return
        cut = detail[-3000:] if self._tail else detail[:3000]
        if self._bracketed:
            self.problems.append(f"[{what}] {cut}")
        else:
            self.problems.append(what + (": " + cut if detail else ""))

    def report(self, passed: str) -> int:
        """The failures and exit code 1, or `passed` and 0."""
        if self.problems:
            print(f"\n{len(self.problems)} problem(s):")
            for p in self.problems:
                print(" -", p)
            return 1
        print(f"\n{passed}")
        return 0


def script_arguments(doc: str, seed_help: str | None = None,
                     keep: bool = True) -> argparse.ArgumentParser:
    """The options of a daemon scenario: --mysql-cdc, --seed (with `seed_help`) and --keep (the
    work directory). The script adds its own."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True)
    if seed_help:
        ap.add_argument("--seed", type=int, help=seed_help)
    if keep:
        ap.add_argument("--keep", action="store_true", help="keep the work directory")
    return ap
