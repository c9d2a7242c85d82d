"""Time builds of peru-digest on the shared synthetic corpus, optionally against Hugo and Pelican.

Usage: bench_build.py [N] [--runs K] [--peers] [--keep] [--profile] [--workdir DIR]
       bench_build.py --sweep 1000,10000,100000 [--runs K] [--peers]

1. Generates N articles with the shared peer kit (``gen_corpus.py`` via ``make_sites.sh``;
   found at ``../shared/bench`` beside the repository, or wherever PERU_DIGEST_BENCH_KIT says)
   and converts its Hugo posts into our content format (deterministic).
2. Times K rounds of clean builds: the CLI (``peru-digest build``, a subprocess, as editors run
   it) with and without search, and ``build()`` in-process with and without search; each moves
   the old output away first, outside the timing (and passes ``--clean`` once the CLI has it).
3. Then K rounds of incremental builds on the CLI: a clean build, then no change, one article
   edited, one added, one deleted, each undone before the next; for each, what it wrote.
4. With ``--peers``: Hugo and Pelican (from a throwaway venv) on the same corpus, same rounds,
   interleaved with ours; ratios ours/peer are medians of the per-round ratios.
5. Peak memory of every process of each build (Pagefind and workers included), from /proc.

Prints tables (with the speed issue's targets) and writes ``benchmarks/results/latest.json``
(and ``bench-N.json``). ``--sweep`` times clean builds only, at each N, and writes
``results/sweep.json`` and the plot ``docs/bench-sweep.svg``.
Machines are shared and noisy: read medians and ratios, not single runs.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import inspect
import io
import itertools
import json
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpus import convert, kit_folder, kit_lists, make_corpus
from memory import TreeSampler, reset_own_peak
from peers import Peers, find_peers, version
from peru_digest.build import BuildResult, build
from plot import write_plot
from scenarios import Change, plan_changes
from snapshot import EXAMPLES, Writes, compare, mentioning, snapshot

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
TEMPLATES = REPO / "templates"
BUILT_LINE = re.compile(r"Built (\d+) articles into (\d+) pages and (\d+) feeds")
FEED_SUFFIXES = (".xml", ".json")
PERU_DIGEST = Path(sys.executable).parent / "peru-digest"
API_OPTIONS = frozenset(inspect.signature(build).parameters)
DETECTED_OPTIONS = ("--clean",)  # used when `peru-digest build --help` lists them


# Measuring ---------------------------------------------------------------------------------


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds, of every process of the build (workers, Pagefind)
    sys: float  # of which system (kernel) seconds: mostly the file system
    peak_mib: float  # the largest resident set of any one process (VmHWM), children included
    peak_by: str  # that process's name: peru-digest, python (in-process), pagefind, hugo...
    tree_mib: float  # the largest sum of resident sets of the whole tree at one moment
    pages: int = 0
    feeds: int = 0
    files: int = 0
    writes: Writes | None = None  # incremental scenarios: what happened to each output file
    mentions: tuple[int, int] | None = None  # files mentioning the change, before and after
    leftovers: list[str] = field(default_factory=list)  # a few of those after, if any
    check: str = ""  # "ok", or what is wrong with the change's effect on the output


@dataclass
class Variant:
    name: str
    samples: list[Sample] = field(default_factory=list)

    def median(self, attribute: str) -> float | None:
        values = [getattr(s, attribute) for s in self.samples]
        present = [v for v in values if v is not None]
        return statistics.median(present) if present else None

    def largest(self) -> Sample:
        """The round with the largest peak memory: a ceiling is about the worst case."""
        return max(self.samples, key=lambda s: s.peak_mib)


def count_outputs(folder: Path) -> tuple[int, int, int]:
    """(HTML pages, feeds, all files) under ``folder``; search index files count as files."""
    pages = feeds = files = 0
    for root, _, names in os.walk(folder):
        in_search = "pagefind" in Path(root).relative_to(folder).parts
        for name in names:
            files += 1
            if in_search:
                continue
            pages += name.endswith(".html")
            feeds += name.endswith(FEED_SUFFIXES) and name not in {"sitemap.xml"}
    return pages, feeds, files


def move_away(output: Path, trash: Path) -> None:
    """Make the next build a clean one; old outputs are deleted at the very end.

    Not between runs: on ext4, creating files soon after deleting many is several times
    slower (the inode allocator skips recently deleted inodes), which would tax whichever
    build comes next.
    """
    if output.exists():
        output.rename(trash / f"old-{time.monotonic_ns()}")


def run_process(
    command: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None
) -> tuple[Sample, str]:
    """Run ``command``; wall time, CPU from wait4, peak memory of every process in its tree.

    wait4's CPU times cover the child and every grandchild it waited for (the Pagefind
    binary), so, unlike getrusage(RUSAGE_CHILDREN), they are per run rather than cumulative.
    Its ru_maxrss is not used: it includes the bench's own memory (see memory.py).
    """
    with open(log, "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env)
        with TreeSampler(process.pid) as sampler:
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        problem = log.with_suffix(".err").read_text(errors="replace")[-2000:]
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{problem}")
    peak = sampler.peak
    tree_cpu, tree_system = sampler.cpu()  # with the workers, which wait4 does not see
    cpu = max(usage.ru_utime + usage.ru_stime, tree_cpu)
    system = max(usage.ru_stime, tree_system)
    sample = Sample(wall, cpu, system, peak.mib, peak.by, peak.tree_mib)
    return sample, log.read_text(errors="replace")


def with_counts(sample: Sample, output: Path, reported: tuple[int, int] | None) -> Sample:
    pages, feeds, files = count_outputs(output)
    if reported is not None:
        pages, feeds = reported
    sample.pages, sample.feeds, sample.files = pages, feeds, files
    return sample


def cpu_now() -> tuple[float, float]:
    """(user + system, system) seconds of this process and its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    system = own.ru_stime + kids.ru_stime
    return own.ru_utime + kids.ru_utime + system, system


def timed_in_process(work: Callable[[], None]) -> Sample:
    """Wall, CPU, and peak memory of this process (its high-water mark reset first: it holds
    the bench's own data too) and of the children it starts (Pagefind)."""
    gc.collect()
    reset_own_peak()
    with TreeSampler(os.getpid()) as sampler:
        (cpu, system), started = cpu_now(), time.perf_counter()
        work()
        wall, (cpu_end, system_end) = time.perf_counter() - started, cpu_now()
    peak = sampler.peak
    # The sampled tree includes this process and its workers; getrusage, what was waited for.
    tree_cpu, tree_system = sampler.cpu()
    cpu, system = max(cpu_end - cpu, tree_cpu), max(system_end - system, tree_system)
    return Sample(wall, cpu, system, peak.mib, peak.by, peak.tree_mib)


def write_floor(built: Path, dest: Path) -> Sample:
    """The same files as ``built``, written by plain Python: what the disk alone costs."""
    files = [
        (path.relative_to(built), path.read_bytes())
        for path in sorted(built.rglob("*"))
        if path.is_file()
    ]

    def write_all() -> None:
        for relative, data in files:
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    return timed_in_process(write_all)


@dataclass
class Bench:
    """One workspace: our content and output, the peers' sites, and the timings."""

    work: Path
    content: Path
    n: int
    peers: Peers = field(default_factory=Peers)
    cli_options: frozenset[str] = frozenset()
    variants: dict[str, Variant] = field(default_factory=dict)

    @property
    def trash(self) -> Path:
        return self.work / "trash"

    def record(self, name: str | None, sample: Sample) -> None:
        """Keep the sample under ``name``; None is an untimed preparation."""
        if name is None:
            return
        self.variants.setdefault(name, Variant(name)).samples.append(sample)
        print(f"  {name:<34} {sample.wall:8.2f} s", flush=True)

    @property
    def ours_output(self) -> Path:
        return self.work / "ours" / "public"

    def ours_cli(self, name: str | None, *, search: bool, clean: bool) -> Sample:
        """``peru-digest build``; a clean build moves the old site away and, where the CLI
        has ``--clean``, ignores its build cache. The cache stays in the work folder: the
        working directory is that folder, and so is XDG_CACHE_HOME."""
        output = self.ours_output
        if clean:
            move_away(output, self.trash)
        command = [
            str(PERU_DIGEST),
            "build",
            *("--content", str(self.content), "--templates", str(TEMPLATES)),
            *("--output", str(output)),
            *([] if search else ["--no-search"]),
            *(["--clean"] if clean and "--clean" in self.cli_options else []),
        ]
        env = os.environ | {"XDG_CACHE_HOME": str(self.work / "cache")}
        sample, stdout = run_process(command, self.work, self.work / "logs" / "ours.out", env)
        built = BUILT_LINE.search(stdout)
        reported = (int(built.group(2)), int(built.group(3))) if built else None
        self.record(name, with_counts(sample, output, reported))
        return sample

    def ours_api(self, name: str | None, *, search: bool, clean: bool) -> None:
        """``build()`` in-process; ``clean=True`` is passed on if build() has that keyword."""
        output = self.work / "api" / "public"
        if clean:
            move_away(output, self.trash)
        extra: dict[str, object] = {"clean": True} if clean and "clean" in API_OPTIONS else {}
        if "cache" in API_OPTIONS:  # as serve builds: with the cache a rebuild relies on
            extra["cache"] = self.work / "api" / "cache"
        results: list[BuildResult] = []
        builder: Callable[..., BuildResult] = build  # keywords that only some versions have
        sample = timed_in_process(
            lambda: results.append(builder(self.content, TEMPLATES, output, search=search, **extra))
        )
        self.record(name, with_counts(sample, output, (results[0].pages, results[0].feeds)))

    def floor(self, name: str) -> None:
        """Rewrite our last clean CLI output with plain Python (mkdir + write per file)."""
        dest = self.work / "floor"
        move_away(dest, self.trash)
        sample = write_floor(self.work / "ours" / "public", dest)
        self.record(name, with_counts(sample, dest, None))

    def hugo(self, name: str | None, *, clean: bool) -> None:
        site = self.work / "peers" / "hugo"
        if clean:
            move_away(site / "public", self.trash)
        command = [str(self.peers.hugo), "--quiet", "-d", "public"]
        sample, _ = run_process(command, site, self.work / "logs" / "hugo.out")
        self.record(name, with_counts(sample, site / "public", None))

    def pelican(self, name: str) -> None:
        site = self.work / "peers" / "pelican"
        move_away(site / "output", self.trash)
        command = [str(self.peers.pelican), "content", "-s", "pelicanconf.py", "-o", "output", "-q"]
        sample, _ = run_process(command, site, self.work / "logs" / "pelican.out")
        self.record(name, with_counts(sample, site / "output", None))


OURS_CLI = "ours CLI clean"
OURS_CLI_NOSEARCH = "ours CLI clean --no-search"
OURS_CLI_REF = "ours CLI clean, before changes"
OURS_CLI_AGAIN = "ours CLI no-change rebuild"
OURS_CLI_EDIT = "ours CLI one article edited"
OURS_CLI_ADD = "ours CLI one article added"
OURS_CLI_DELETE = "ours CLI one article deleted"
INCREMENTAL = (OURS_CLI_AGAIN, OURS_CLI_EDIT, OURS_CLI_ADD, OURS_CLI_DELETE)
OURS_API = "ours build() clean"
OURS_API_NOSEARCH = "ours build() clean, no search"
OURS_API_AGAIN = "ours build() no-change rebuild"
HUGO = "hugo clean"
HUGO_AGAIN = "hugo no-change rebuild"
PELICAN = "pelican clean"
FLOOR = "floor: same files, plain writes"
RATIOS = [
    (OURS_CLI, HUGO),
    (OURS_CLI_NOSEARCH, HUGO),
    (OURS_API_NOSEARCH, HUGO),
    (OURS_CLI_AGAIN, HUGO_AGAIN),
    *((name, OURS_CLI_REF) for name in INCREMENTAL),
    (OURS_CLI, PELICAN),
    (OURS_CLI_NOSEARCH, PELICAN),
]


def clean_round(bench: Bench, *, full: bool = True) -> None:
    """Clean builds; ours and each peer alternate, so a noisy minute hits both sides.
    Not ``full`` (the sweep): without the floor and the in-process builds."""
    steps: list[Callable[[], object]] = [lambda: bench.ours_cli(OURS_CLI, search=True, clean=True)]
    if bench.peers.hugo:
        steps.append(lambda: bench.hugo(HUGO, clean=True))
    steps.append(lambda: bench.ours_cli(OURS_CLI_NOSEARCH, search=False, clean=True))
    if full:
        steps.append(lambda: bench.floor(FLOOR))
    if bench.peers.pelican:
        steps.append(lambda: bench.pelican(PELICAN))
    if full:
        steps += [
            lambda: bench.ours_api(OURS_API, search=True, clean=True),
            lambda: bench.ours_api(OURS_API_NOSEARCH, search=False, clean=True),
        ]
    for step in steps:
        step()


def prepare_rebuilds(bench: Bench) -> None:
    """Untimed: leave a search-on output in place for build()'s no-change rebuilds."""
    bench.ours_api(None, search=True, clean=False)


def incremental_round(bench: Bench, changes: list[Change]) -> None:
    """A clean CLI build (the reference for this round's ratios), then no change, an edit,
    an addition and a deletion, each timed on the CLI and each undone before the next.

    After all clean rounds: today ours replaces the whole site and deletes the old one on
    every build, and on ext4 that slows file creation for minutes after."""
    bench.ours_cli(OURS_CLI_REF, search=True, clean=True)
    if bench.peers.hugo:
        bench.hugo(HUGO_AGAIN, clean=False)
    # Untimed first: the last round's changes were undone with the same bytes and times, but
    # their files' inodes and change times are new, so the timed build would not be a no-change one.
    bench.ours_api(None, search=True, clean=False)
    bench.ours_api(OURS_API_AGAIN, search=True, clean=False)
    for change in changes:
        run_change(bench, change)


def run_change(bench: Bench, change: Change) -> None:
    """Time one scenario, then see what it wrote; undo it and rebuild, untimed."""
    output = bench.ours_output
    before = snapshot(output, digests=True)
    found_before = mentioning(output, change.needles) if change.needles else []
    change.apply()
    sample = bench.ours_cli(change.name, search=True, clean=False)
    sample.writes = compare(before, output)
    if change.needles:
        found = mentioning(output, change.needles)
        sample.mentions = (len(found_before), len(found))
        sample.leftovers = found[:EXAMPLES] if change.expect == "gone" else []
        sample.check = verdict(change.expect, len(found_before), len(found))
    print(f"    {sample.writes.summary()}{mentions_note(sample)}", flush=True)
    if change.changes_corpus:
        change.undo()
        bench.ours_cli(None, search=True, clean=False)


def verdict(expect: str, before: int, after: int) -> str:
    """Whether the output shows the change: a deleted article is gone, an edit is present."""
    if expect == "gone":
        if before == 0:
            return "not found even before: the check sees nothing"
        return "ok" if after == 0 else f"still mentioned in {after} files"
    return "ok" if after > 0 else "not in the output"


def mentions_note(sample: Sample) -> str:
    if sample.mentions is None:
        return ""
    before, after = sample.mentions
    return f"; files mentioning it: {before} before, {after} after: {sample.check}"


def paired_ratio(bench: Bench, ours: str, peer: str) -> float | None:
    """The median of per-round ratios ours/peer (rounds are interleaved)."""
    a, b = bench.variants.get(ours), bench.variants.get(peer)
    if a is None or b is None:
        return None
    return statistics.median(x.wall / y.wall for x, y in zip(a.samples, b.samples, strict=True))


# The speed issue's targets ----------------------------------------------------------------

MEMORY_CEILING_MIB = 250
MAX_GROWTH_10K_TO_100K = 12


@dataclass(frozen=True)
class Target:
    goal: str
    measured: str
    met: bool | None  # None: not measured in this run


def ratio_target(bench: Bench, goal: str, ours: str, other: str, limit: float) -> Target:
    ratio = paired_ratio(bench, ours, other)
    if ratio is None:
        return Target(goal, "not measured", None)
    return Target(goal, f"{ratio:.3f}", ratio <= limit)


def writes_target(bench: Bench, name: str, goal: str, count: Callable[[Writes], int]) -> Target:
    """``count`` files must be 0 in every round."""
    variant = bench.variants.get(name)
    if variant is None:
        return Target(goal, "not measured", None)
    worst = max(count(s.writes or Writes()) for s in variant.samples)
    return Target(goal, f"{worst} files (largest of the rounds)", worst == 0)


def deleted_target(bench: Bench) -> Target:
    goal = "a deleted article's page and every mention of it are gone"
    variant = bench.variants.get(OURS_CLI_DELETE)
    if variant is None:
        return Target(goal, "not measured", None)
    checks = [s.check for s in variant.samples]
    left = max((s.mentions or (0, 0))[1] for s in variant.samples)
    return Target(goal, f"{left} files still mention it", all(c == "ok" for c in checks))


def memory_target(bench: Bench) -> Target:
    """The largest process of any subprocess build of ours (in-process ones hold the bench)."""
    goal = f"peak memory of any process ≤ {MEMORY_CEILING_MIB} MiB"
    ours = [v for v in bench.variants.values() if v.name.startswith("ours CLI")]
    if not ours:
        return Target(goal, "not measured", None)
    variant = max(ours, key=lambda v: v.largest().peak_mib)
    worst = variant.largest()
    measured = f"{worst.peak_mib:.0f} MiB ({worst.peak_by}, {variant.name})"
    return Target(goal, measured, worst.peak_mib <= MEMORY_CEILING_MIB)


def touched(writes: Writes) -> int:
    return writes.written + writes.removed


def same_bytes(writes: Writes) -> int:
    return writes.same_bytes


def targets(bench: Bench) -> list[Target]:
    found = [
        ratio_target(bench, "clean --no-search ≤ 1.0× Hugo", OURS_CLI_NOSEARCH, HUGO, 1.0),
        ratio_target(bench, "clean with search ≤ 1.5× Hugo", OURS_CLI, HUGO, 1.5),
        ratio_target(bench, "clean ≥ 5× faster than Pelican (≤ 0.2×)", OURS_CLI, PELICAN, 0.2),
        ratio_target(bench, "no-change rebuild ≤ 0.1× clean", OURS_CLI_AGAIN, OURS_CLI_REF, 0.1),
        writes_target(bench, OURS_CLI_AGAIN, "no-change rebuild writes no file", touched),
    ]
    for name, what in ((OURS_CLI_EDIT, "edit"), (OURS_CLI_ADD, "add"), (OURS_CLI_DELETE, "delete")):
        goal = f"one {what} writes only files whose bytes change"
        found += [
            ratio_target(bench, f"one {what} ≤ 0.2× clean", name, OURS_CLI_REF, 0.2),
            writes_target(bench, name, goal, same_bytes),
        ]
    return [*found, deleted_target(bench), memory_target(bench)]


def targets_table(found: list[Target], n: int) -> str:
    marks = {True: "met", False: "NOT MET", None: "-"}
    rows = [f"the speed issue's targets (stated for N=10000; this run: N={n}):"]
    rows += [f"  {marks[t.met]:<8} {t.goal:<58} {t.measured}" for t in found if t.met is not None]
    if missing := sum(t.met is None for t in found):
        rows.append(f"  ({missing} not measured in this run)")
    return "\n".join(rows)


# Reporting ---------------------------------------------------------------------------------


def fmt(value: float | None, width: int, decimals: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.{decimals}f}"


def table(bench: Bench, runs: int, context: dict[str, Any]) -> str:
    hugo = " ".join((context["hugo"] or "no hugo").split()[:2])
    pelican = f"pelican {context['pelican']}" if context["pelican"] else "no pelican"
    head = (
        f"N={bench.n} articles, {runs} runs, {context['cpus']} CPUs, "
        f"Python {context['python']}, {hugo}, {pelican}, output on {context['file_system']}"
    )
    rows = [
        head,
        f"{'median of runs':<32} {'wall s':>7} {'CPU s':>7} {'sys s':>6} {'ms/art':>7} "
        f"{'peak MiB':>8} {'by':<11} {'tree MiB':>8} {'pages':>6} {'feeds':>6} {'files':>6}",
    ]
    for variant in bench.variants.values():
        last, worst = variant.samples[-1], variant.largest()
        wall = variant.median("wall")
        rows.append(
            f"{variant.name:<32} {fmt(wall, 7, 2)} {fmt(variant.median('cpu'), 7, 2)} "
            f"{fmt(variant.median('sys'), 6, 2)} "
            f"{fmt(None if wall is None else wall * 1000 / bench.n, 7, 2)} "
            f"{worst.peak_mib:8.0f} {worst.peak_by[:11]:<11} {worst.tree_mib:8.0f} "
            f"{last.pages:>6} {last.feeds:>6} {last.files:>6}"
        )
    rows += incremental_table(bench)
    ratios = [(a, b, paired_ratio(bench, a, b)) for a, b in RATIOS]
    shown = [(a, b, r) for a, b, r in ratios if r is not None]
    if shown:
        rows.append("paired wall ratio, median of per-run ratios:")
        rows += [f"  {a} / {b}: {r:.2f}" for a, b, r in shown]
    return "\n".join(rows)


def incremental_table(bench: Bench) -> list[str]:
    """Per scenario: paired ratio to the round's clean build, and the last round's writes."""
    present = [bench.variants[name] for name in INCREMENTAL if name in bench.variants]
    if not present:
        return []
    rows = [
        "incremental builds (CLI, search on); files of the last round:",
        f"  {'scenario':<30} {'/ clean':>7} {'created':>8} {'changed':>8} {'same':>6} "
        f"{'removed':>8} {'untouched':>9}  check",
    ]
    for variant in present:
        ratio, last = paired_ratio(bench, variant.name, OURS_CLI_REF), variant.samples[-1]
        writes = last.writes or Writes()
        rows.append(
            f"  {variant.name:<30} {fmt(ratio, 7, 3)} {writes.created:>8} {writes.changed:>8} "
            f"{writes.same_bytes:>6} {writes.removed:>8} {writes.untouched:>9}  "
            f"{last.check or unchanged_check(writes)}"
        )
    return [*rows, "  (same: written again with the same bytes)"]


def unchanged_check(writes: Writes) -> str:
    """The no-change rebuild's check: it writes and removes nothing."""
    touched = writes.written + writes.removed
    return "ok: nothing written" if touched == 0 else f"{touched} files written or removed"


def context_info(peers: Peers) -> dict[str, Any]:
    def first_line(command: list[str]) -> str | None:
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO)
        except (OSError, subprocess.CalledProcessError):
            return None
        return done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "hugo": version(peers.hugo, "version") if peers.hugo else None,
        "pelican": version(peers.pelican) if peers.pelican else None,
        "commit": first_line(["git", "rev-parse", "HEAD"]),
        "dirty": bool(first_line(["git", "status", "--porcelain", "--", "src", "templates"])),
    }


def file_system(folder: Path) -> str:
    """The type of the file system that holds ``folder`` (ext4, tmpfs...), from /proc/mounts."""
    best, kind = "", "?"
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return kind
    for line in mounts:
        fields = line.split()
        point = fields[1]
        inside = str(folder).startswith(point.rstrip("/") + "/") or str(folder) == point
        if len(fields) > 2 and inside and len(point) > len(best):
            best, kind = point, fields[2]
    return kind


def summary(variant: Variant, n: int) -> dict[str, Any]:
    """Medians of the rounds, the largest peak memory, and every sample."""
    worst = variant.largest()
    return {
        "median_wall_s": variant.median("wall"),
        "median_cpu_s": variant.median("cpu"),
        "median_sys_s": variant.median("sys"),
        "peak_mib": worst.peak_mib,
        "peak_by": worst.peak_by,
        "peak_tree_mib": worst.tree_mib,
        "ms_per_article": (variant.median("wall") or 0) * 1000 / n,
        "samples": [asdict(s) for s in variant.samples],
    }


def ratios(bench: Bench) -> dict[str, float]:
    return {f"{a} / {b}": r for a, b in RATIOS if (r := paired_ratio(bench, a, b)) is not None}


def write_json(bench: Bench, runs: int, context: dict[str, Any]) -> Path:
    data = {
        "n": bench.n,
        "runs": runs,
        "context": context,
        "variants": {v.name: summary(v, bench.n) for v in bench.variants.values()},
        "paired_ratios": ratios(bench),
        "targets": [asdict(t) for t in targets(bench)],
    }
    RESULTS.mkdir(exist_ok=True)
    text = json.dumps(data, indent=2) + "\n"
    (RESULTS / f"bench-{bench.n}.json").write_text(text, encoding="utf-8")
    latest = RESULTS / "latest.json"
    latest.write_text(text, encoding="utf-8")
    return latest


def profile(bench: Bench, top: int = 25) -> Path:
    """One in-process clean build (search on) under cProfile: top functions both ways."""
    output = bench.work / "profile" / "public"
    profiler = cProfile.Profile()
    profiler.enable()
    build(bench.content, TEMPLATES, output, search=True)
    profiler.disable()
    report = io.StringIO()
    stats = pstats.Stats(profiler, stream=report)
    for order in ("cumulative", "tottime"):
        report.write(f"\n==== sorted by {order}, top {top} ====\n")
        stats.sort_stats(order).print_stats(top)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"profile-{bench.n}.txt"
    path.write_text(report.getvalue(), encoding="utf-8")
    stats.dump_stats(RESULTS / f"profile-{bench.n}.pstats")
    return path


# Main --------------------------------------------------------------------------------------


def cli_options() -> frozenset[str]:
    """Which of DETECTED_OPTIONS this version's ``peru-digest build --help`` lists."""
    done = subprocess.run(
        [str(PERU_DIGEST), "build", "--help"], capture_output=True, text=True, check=True
    )
    listed = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", done.stdout))
    return frozenset(option for option in DETECTED_OPTIONS if option in listed)


def clean_means(options: frozenset[str]) -> str:
    if "--clean" in options:
        return "clean builds: `peru-digest build --clean`, the old output moved away"
    return "clean builds: `peru-digest build` (no --clean yet), the old output moved away"


def sizes(text: str) -> list[int]:
    """'1000,10000,100000' → [1000, 10000, 100000]."""
    return sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})


def arguments(argv: Iterable[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "n", type=int, nargs="?", default=10_000, help="number of articles (default 10000)"
    )
    parser.add_argument(
        "--sweep",
        type=sizes,
        metavar="N,N,...",
        help="instead: clean builds only (ours with and without search, and the peers) at "
        "each N (the positional N is then ignored); writes results/sweep.json and the plot "
        "docs/bench-sweep.svg",
    )
    parser.add_argument("--runs", type=int, default=3, help="rounds of timing (default 3)")
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also time Hugo (/usr/bin/hugo) and Pelican (installed in a throwaway venv)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--workdir", type=Path, help="where to make the temporary folder (default: system temp)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also profile one in-process build (cProfile)"
    )
    return parser.parse_args(None if argv is None else list(argv))


def main(argv: Iterable[str] | None = None) -> int:
    args = arguments(argv)
    kit = kit_folder()
    top = Path(tempfile.mkdtemp(prefix="peru-digest-bench-", dir=args.workdir))
    try:
        peers = find_peers(args.peers, top / "tools")
        options = cli_options()
        print(clean_means(options), flush=True)
        if args.sweep:
            run_sweep(kit, top, args.sweep, peers, options, runs=args.runs)
        else:
            bench = prepare(kit, top, args.n, peers, options)
            run_all(bench, args.runs, profiled=args.profile)
    finally:
        if args.keep:
            print(f"kept {top}")
        else:
            print("removing the temporary folder (slow on a virtual disk)...", flush=True)
            shutil.rmtree(top, ignore_errors=True)
    return 0


def prepare(kit: Path, top: Path, n: int, peers: Peers, options: frozenset[str]) -> Bench:
    """TOP/nN: the peers' sites from the kit, our content converted from Hugo's."""
    work = top / f"n{n}"
    for folder in ("trash", "logs"):
        (work / folder).mkdir(parents=True)
    started = time.perf_counter()
    make_corpus(kit, n, work / "peers")
    count = convert(
        work / "peers" / "hugo" / "content" / "posts", work / "content", *kit_lists(kit)
    )
    print(f"corpus: {count} articles in {time.perf_counter() - started:.1f} s ({work})")
    return Bench(work, work / "content", count, peers, options)


def run_all(bench: Bench, runs: int, *, profiled: bool) -> None:
    for run in range(1, runs + 1):
        print(f"clean builds, round {run}/{runs}", flush=True)
        clean_round(bench)
    if profiled:  # before the rebuilds, which leave the file system slow for a while
        print(f"profile: {profile(bench)}", flush=True)
    prepare_rebuilds(bench)
    changes = plan_changes(bench.content, INCREMENTAL)
    for run in range(1, runs + 1):
        print(f"incremental builds, round {run}/{runs}", flush=True)
        incremental_round(bench, changes)
    report(bench, runs)


def report(bench: Bench, runs: int) -> dict[str, Any]:
    """Print the tables, write the JSON; returns the context."""
    context = context_info(bench.peers) | {
        "file_system": file_system(bench.work),
        "cli_options_used": sorted(bench.cli_options),
        "api_clean_keyword": "clean" in API_OPTIONS,
    }
    print()
    print(table(bench, runs, context))
    print(targets_table(targets(bench), bench.n))
    print(f"\nwrote {write_json(bench, runs, context)}")
    return context


def run_sweep(
    kit: Path, top: Path, ns: list[int], peers: Peers, options: frozenset[str], *, runs: int
) -> None:
    """Clean builds at each N; after each, results/sweep.json and the plot are rewritten,
    so that a sweep cut short still leaves what it measured."""
    sweep: dict[str, Any] = {"sizes": ns, "runs": runs, "results": {}}
    for n in ns:
        bench = prepare(kit, top, n, peers, options)
        for run in range(1, runs + 1):
            print(f"N={n}: clean builds, round {run}/{runs}", flush=True)
            clean_round(bench, full=False)
        sweep["context"] = report(bench, runs)
        sweep["results"][str(n)] = {
            "variants": {v.name: summary(v, bench.n) for v in bench.variants.values()},
            "paired_ratios": ratios(bench),
        }
        sweep["growth"] = growth(sweep)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "sweep.json").write_text(json.dumps(sweep, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS / 'sweep.json'} and {write_plot(sweep)}", flush=True)
    print(growth_table(sweep["growth"]))


def growth(sweep: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per variant, median wall time at each N over that at the N before it."""
    done = [n for n in sweep["sizes"] if str(n) in sweep["results"]]
    found: dict[str, dict[str, float]] = {}
    for smaller, larger in itertools.pairwise(done):
        before = sweep["results"][str(smaller)]["variants"]
        after = sweep["results"][str(larger)]["variants"]
        for name in before.keys() & after.keys():
            ratio = after[name]["median_wall_s"] / before[name]["median_wall_s"]
            found.setdefault(name, {})[f"{smaller}->{larger}"] = ratio
    return found


def growth_table(found: dict[str, dict[str, float]]) -> str:
    rows = ["growth of the median wall time from one N to the next (linear: the ratio of N):"]
    for name, steps in sorted(found.items()):
        rows.append(f"  {name:<32} " + ", ".join(f"{s}: {r:.2f}x" for s, r in steps.items()))
    tenfold = found.get(OURS_CLI, {}).get("10000->100000")
    if tenfold is not None:
        verdict = "met" if tenfold <= MAX_GROWTH_10K_TO_100K else "NOT MET"
        rows.append(f"target: 100,000 clean ≤ {MAX_GROWTH_10K_TO_100K}× 10,000: {verdict}")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
