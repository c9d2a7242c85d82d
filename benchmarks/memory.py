"""Peak memory of every process in a tree, from /proc (Linux only; no psutil).

``ru_maxrss`` from ``wait4`` covers a child and the descendants *it waited for*, and
``getrusage(RUSAGE_CHILDREN)`` never resets, so neither gives the largest process of one
in-process build, nor sees a worker that nobody reaped. Instead a thread walks the tree every
few milliseconds (``/proc/PID/task/TID/children``) and keeps, per process, its ``VmHWM``: the
kernel's own high-water mark of its resident set, so a sample only has to see each process once
before it exits, not at its peak. What a process adds between the last sample and its exit is
missed.

``ru_maxrss`` is not used even for the direct child: for a child started with vfork, as
``subprocess`` does, the kernel folds the parent's high-water mark into the child's at exec, so
every child would look at least as large as the bench process itself (``/bin/true`` spawned by
a Python holding 300 MiB reports 313 MiB).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

PROC = Path("/proc")
INTERVAL = 0.02  # seconds between samples: Pagefind runs for seconds, workers longer
TICKS = os.sysconf("SC_CLK_TCK")  # the unit of /proc/PID/stat's CPU times


@dataclass
class Peak:
    """The largest single process (its VmHWM and name) and the largest sum seen at once."""

    mib: float = 0.0  # largest VmHWM of one process
    by: str = ""  # that process's command name
    tree_mib: float = 0.0  # largest sum of VmRSS over the tree in one sample
    processes: int = 0  # distinct processes seen
    per_process: dict[str, float] = field(default_factory=dict)  # "name pid" → VmHWM MiB


def status_fields(pid: int) -> tuple[str, float, float] | None:
    """(name, VmHWM MiB, VmRSS MiB) of ``pid``; None once it is gone or a zombie."""
    try:
        text = (PROC / str(pid) / "status").read_text()
    except OSError:
        return None
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        values[key] = value.strip()
    if "VmHWM" not in values:
        return None
    return values["Name"], kib(values["VmHWM"]) / 1024, kib(values.get("VmRSS", "0")) / 1024


def cpu_ticks(pid: int) -> tuple[int, int] | None:
    """(user + system, system) clock ticks ``pid`` itself has used; None once it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name, in brackets, may hold spaces
    user, system = int(fields[11]), int(fields[12])
    return user + system, system


def kib(value: str) -> int:
    """'1234 kB' → 1234."""
    return int(value.split(maxsplit=1)[0])


def children(pid: int) -> list[int]:
    """The direct children of every thread of ``pid``."""
    found: list[int] = []
    try:
        tasks = os.listdir(PROC / str(pid) / "task")
    except OSError:
        return found
    for task in tasks:
        try:
            text = (PROC / str(pid) / "task" / task / "children").read_text()
        except OSError:
            continue
        found += [int(child) for child in text.split()]
    return found


def tree(root: int) -> list[int]:
    """``root`` and all its descendants."""
    pending, seen = [root], []
    while pending:
        pid = pending.pop()
        seen.append(pid)
        pending += children(pid)
    return seen


def reset_own_peak() -> bool:
    """Reset this process's VmHWM to its current RSS (clear_refs 5); False if not allowed."""
    try:
        (PROC / "self" / "clear_refs").write_text("5")
    except OSError:
        return False
    return True


class TreeSampler:
    """``with TreeSampler(pid) as sampler: ...`` then ``sampler.peak`` and ``sampler.cpu()``.

    ``include_root=False`` leaves the root itself out (for in-process builds, whose own peak
    is read after ``reset_own_peak``, sampled all the same when included).

    CPU is counted here too, per process, because ``wait4`` and ``RUSAGE_CHILDREN`` count only
    the descendants someone waited for: a build's workers are children of multiprocessing's
    forkserver, which nobody waits for while the build runs.
    """

    def __init__(self, root: int, *, include_root: bool = True) -> None:
        self.root = root
        self.include_root = include_root
        self.peak = Peak()
        self._first: dict[int, tuple[int, int]] = {}  # the processes there before the block
        self._last: dict[int, tuple[int, int]] = {}  # the latest CPU ticks of each process
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-sampler", daemon=True)

    def __enter__(self) -> TreeSampler:
        self.sample()
        self._first = dict(self._last)
        self._thread.start()
        return self

    def cpu(self) -> tuple[float, float]:
        """(user + system, system) seconds the sampled processes used inside the block (what
        each did after its last sample is missed)."""
        total = system = 0
        for pid, (last_total, last_system) in self._last.items():
            first_total, first_system = self._first.get(pid, (0, 0))
            total += last_total - first_total
            system += last_system - first_system
        return total / TICKS, system / TICKS

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()  # whatever is still alive, once more

    def _run(self) -> None:
        while not self._stop.wait(INTERVAL):
            self.sample()

    def sample(self) -> None:
        total = 0.0
        for pid in tree(self.root):
            if pid == self.root and not self.include_root:
                continue
            fields, ticks = status_fields(pid), cpu_ticks(pid)
            if fields is None or ticks is None:
                continue
            self._last[pid] = ticks
            name, hwm, rss = fields
            total += rss
            self.note(f"{name} {pid}", name, hwm)
        self.peak.tree_mib = max(self.peak.tree_mib, total)

    def note(self, key: str, name: str, hwm_mib: float) -> None:
        peak = self.peak
        peak.per_process[key] = max(peak.per_process.get(key, 0.0), hwm_mib)
        peak.processes = len(peak.per_process)
        if hwm_mib > peak.mib:
            peak.mib, peak.by = hwm_mib, name
