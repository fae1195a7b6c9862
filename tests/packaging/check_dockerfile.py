#!/usr/bin/env python3
"""What can be checked of packaging/Dockerfile without a container engine (issue 13):

  - two stages: the build from debian:12, the runtime from debian:12-slim; a non-root USER, the
    state directory as a VOLUME and as Quix__State__Dir, EXPOSE of METRICS_PORT, a HEALTHCHECK
    on /healthz at that port, the .deb installed in the runtime stage and no other package;
  - every COPY source exists in the build context (the repository) and .dockerignore does not
    leave it out;
  - the build stage's packages are the "# build" and "# libraries" sections of
    scripts/apt-packages.txt (the awk program of the Dockerfile, run on that file), each a real
    Debian package (apt-cache), and they hold every library the build resolves: the Dockerfile's
    cmake flags are configured here in a scratch directory, and each file CMake found (config
    directories, pkg-config libraries) must belong to one of those packages (dpkg -S).

Usage: check_dockerfile.py SOURCE_DIR
"""

from __future__ import annotations

import fnmatch
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

problems: list[str] = []


def check(ok: bool, what: str, detail: str = "") -> None:
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        problems.append(what + (": " + detail if detail else ""))


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out, current = [], ""
    for line in text.splitlines():
        if line.lstrip().startswith("#") and not current:
            continue
        current += line.rstrip("\\").strip() + " " if line.endswith("\\") else line.strip()
        if line.endswith("\\"):
            continue
        if current.strip():
            word, _, rest = current.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
        current = ""
    return out


def ignored(path: str, patterns: list[str]) -> bool:
    for p in patterns:
        p = p.rstrip("/")
        parts = path.split("/")
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            if fnmatch.fnmatch(prefix, p) or fnmatch.fnmatch(prefix, p.replace("**/", "")):
                return True
    return False


def main() -> int:
    src = Path(sys.argv[1]).resolve()
    dockerfile = src / "packaging" / "Dockerfile"
    steps = instructions(dockerfile.read_text())
    froms = [a for i, a in steps if i == "FROM"]
    check(len(froms) == 2 and froms[0].startswith("debian:12 ") and froms[1] == "debian:12-slim",
          "stages: build FROM debian:12, runtime FROM debian:12-slim", str(froms))
    runtime = steps[[n for n, (i, _) in enumerate(steps) if i == "FROM"][-1]:]
    rt = {i: [a for j, a in runtime if j == i] for i, _ in runtime}
    users = rt.get("USER", [])
    check(bool(users) and users[-1] not in ("root", "0"), "runtime: a non-root USER", str(users))
    env = " ".join(rt.get("ENV", []))
    state = re.search(r"Quix__State__Dir=(\S+)", env)
    port = re.search(r"METRICS_PORT=(\d+)", env)
    check(state is not None and any(state.group(1) in v for v in rt.get("VOLUME", [])),
          "runtime: Quix__State__Dir is a VOLUME", f"{env} / {rt.get('VOLUME')}")
    check(port is not None and port.group(1) in rt.get("EXPOSE", []),
          "runtime: EXPOSE of METRICS_PORT", f"{env} / {rt.get('EXPOSE')}")
    health = " ".join(rt.get("HEALTHCHECK", []))
    check("/healthz" in health and "METRICS_PORT" in health,
          "runtime: HEALTHCHECK on /healthz at METRICS_PORT", health)
    runs = " ".join(rt.get("RUN", []))
    installs = re.findall(r"apt-get install ([^&]*)", runs)
    check(len(installs) == 1 and [w for w in installs[0].split() if not w.startswith("-")]
          == ["/tmp/mysql-cdc_*.deb"], "runtime: installs the .deb and nothing else", str(installs))

    # COPY sources.
    patterns = [l.strip() for l in (src / ".dockerignore").read_text().splitlines()
                if l.strip() and not l.startswith("#")]
    for inst, args in steps:
        if inst != "COPY" or args.startswith("--from"):
            continue
        for source in shlex.split(args)[:-1]:
            exists = (src / source).exists()
            check(exists and not ignored(source, patterns),
                  f"COPY {source}: in the context" + ("" if exists else " (missing)"))

    # The build stage's packages.
    run_build = " ".join(a for i, a in steps[:[n for n, (i, _) in enumerate(steps)
                                                 if i == "FROM"][-1]] if i == "RUN")
    awk = re.search(r"awk '([^']*)'", run_build)
    check(awk is not None and "apt-packages.txt" in run_build,
          "build: packages read from scripts/apt-packages.txt by awk")
    if awk is None:
        return report()
    listed = subprocess.run(["awk", awk.group(1), str(src / "scripts" / "apt-packages.txt")],
                            capture_output=True, text=True, check=True).stdout.split()
    check({"cmake", "g++", "dpkg-dev", "file", "libmariadb-dev", "librdkafka-dev",
           "libsystemd-dev"} <= set(listed), "build: the sections hold the compiler, cmake, "
          "dpkg-dev and file (cpack) and the libraries", str(listed))
    # apt-cache policy prints "Candidate: (none)" for a name no source provides.
    policy = subprocess.run(["apt-cache", "policy", *listed], capture_output=True,
                            text=True).stdout
    known = {m.group(1) for m in re.finditer(r"^(\S+):\n\s+Installed: .*\n\s+Candidate: (?!\(none\))",
                                             policy, re.M)}
    unknown = [p for p in listed if p not in known]
    check(not unknown, f"build: all {len(listed)} packages are Debian's", str(unknown))
    flags = re.search(r"cmake -S /src -B /build ([^&]*)", run_build)
    check(flags is not None, "build: configures with cmake -S /src -B /build")
    if flags is None:
        return report()
    with tempfile.TemporaryDirectory(prefix="cdc-docker-cmake-") as tmp:
        conf = subprocess.run(["cmake", "-S", str(src), "-B", tmp, *flags.group(1).split()],
                              capture_output=True, text=True)
        check(conf.returncode == 0, "the Dockerfile's cmake flags configure", conf.stderr[-2000:])
        cache = (Path(tmp) / "CMakeCache.txt").read_text() if conf.returncode == 0 else ""
    found = re.findall(r"^[A-Za-z0-9_]+(?:_DIR:PATH|:FILEPATH)=(/usr/(?:lib|share|include)\S+)$",
                       cache, re.M)
    owners: dict[str, set[str]] = {}
    for path in found:
        target = Path(path)
        probe = str(next(target.iterdir())) if target.is_dir() else str(target)
        out = subprocess.run(["dpkg", "-S", probe], capture_output=True, text=True).stdout
        owners[path] = {o.strip() for o in out.split(":")[0].split(",") if o.strip()}
    dependencies = {p: o for p, o in owners.items()
                    if not any(x in p for x in ("/bin/", "cmake-3", "/ccache"))}
    uncovered = {p: sorted(o) for p, o in dependencies.items() if o and not (o & set(listed))}
    check(bool(dependencies) and not uncovered,
          f"build: every library CMake resolved ({len(dependencies)}) comes from a listed package",
          str(uncovered))
    return report()


def report() -> int:
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        for p in problems:
            print(" -", p)
        return 1
    print("OK: packaging/Dockerfile")
    return 0


if __name__ == "__main__":
    sys.exit(main())
