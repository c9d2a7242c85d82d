"""Where a clean build's time and memory go, step by step, in this process:

    .venv/bin/python benchmarks/build_steps.py CONTENT [--no-search]

For each step of ``build()`` (read, plan, fingerprint, prepare output, draw, search, swap) it
prints the seconds the step took, this process's resident set after it, and the largest it has
been so far (``ru_maxrss``: the high-water mark, which a step's passing peak raises). Worker
and Pagefind processes are not counted: ``bench_build.py`` measures every process. The build
goes into a temporary folder, with a fresh cache beside it.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

from peru_digest import build as build_module
from peru_digest.workers import frugal_malloc

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Reporting(build_module.Stopwatch):
    def lap(self, step: str) -> None:
        super().lap(step)
        seconds = self.laps[-1][1]
        print(f"{step:<16} {seconds:7.1f} s   resident {resident_mib():6.0f} MiB"
              f"   highest so far {peak_mib():6.0f} MiB", flush=True)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--no-search", dest="search", action="store_false")
    args = parser.parse_args()
    build_module.Stopwatch = Reporting  # type: ignore[misc]
    frugal_malloc()  # as the command does
    with tempfile.TemporaryDirectory(prefix="build-steps-") as scratch:
        build_module.build(
            args.content,
            TEMPLATES,
            Path(scratch) / "public",
            cache=Path(scratch) / "cache",
            clean=True,
            search=args.search,
        )
        print(f"{'whole build':<16} highest {peak_mib():.0f} MiB (this process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
