"""Specification of handing work to worker processes: order kept, little given out ahead."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from typing import Any

import pytest

from peru_digest.workers import AHEAD, MIN_PARALLEL, Workers


class Deferred(Future[Any]):
    """Work that is done when its result is first asked for, unless cancelled before."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work

    def result(self, timeout: float | None = None) -> Any:
        if not self.done():
            self.set_result(self.work())
        return super().result(timeout)


class Recording(Executor):
    """Stands in for the process pool, remembering each task given to it."""

    def __init__(self) -> None:
        self.futures: list[Deferred] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = Deferred(lambda: fn(*args, **kwargs))
        self.futures.append(future)
        return future


def doubled(factor: int, batch: Sequence[int]) -> list[int]:
    return [factor * item for item in batch]


def pool_of(count: int) -> tuple[Workers, Recording]:
    workers, recording = Workers(count), Recording()
    workers._pool = recording  # the process pool, stood in for
    return workers, recording


def test_results_come_in_the_order_of_the_items() -> None:
    workers, _ = pool_of(2)
    items = list(range(MIN_PARALLEL * 3))
    assert list(workers.map(doubled, 2, items)) == [2 * item for item in items]


@pytest.mark.parametrize("count", [MIN_PARALLEL * 3, MIN_PARALLEL - 1], ids=["workers", "here"])
def test_a_list_drained_leaves_as_it_is_given_out_and_the_results_keep_their_order(
    count: int,
) -> None:
    workers, _ = pool_of(2)
    items = list(range(count))
    results = workers.map(doubled, 2, items, drain=True)
    assert next(results) == 0
    assert len(items) < count  # what was given out is no longer held here
    assert [0, *results] == [2 * item for item in range(count)]
    assert items == []


def test_only_a_few_batches_are_given_out_ahead_of_the_one_awaited() -> None:
    workers, recording = pool_of(2)
    results = workers.map(doubled, 1, list(range(MIN_PARALLEL * 10)))
    next(results)
    assert len(recording.futures) == 2 * AHEAD  # not all 40 batches at once


def test_a_caller_that_stops_early_leaves_the_rest_of_the_work_undone() -> None:
    workers, recording = pool_of(2)
    results = workers.map(doubled, 1, list(range(MIN_PARALLEL * 10)))
    next(results)
    results.close()
    assert len(recording.futures) > 1
    assert all(future.cancelled() for future in recording.futures[1:])


ARENAS = """
import ctypes, os, sys, tempfile, threading
from peru_digest.workers import frugal_malloc
if sys.argv[1] == "one":
    frugal_malloc()
kept = []
def allocate():
    kept.append([bytes(1000) for _ in range(1000)])
threads = [threading.Thread(target=allocate) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "info.xml").encode()
    stream = libc.fopen(path, b"w")
    libc.malloc_info(0, ctypes.c_void_p(stream))
    libc.fclose(ctypes.c_void_p(stream))
    print(open(path).read().count("<heap nr="))
"""


def needs_glibc(function: str, version: str = "") -> pytest.MarkDecorator:
    """Skip (loudly; never in CI) where the C library has no such function."""
    return pytest.mark.skipif(
        not hasattr(ctypes.CDLL(None), function) and os.environ.get("CI") != "true",
        reason=f"NOT TESTED: this C library is not glibc{version} (no {function})",
    )


def printed(script: str, mode: str) -> str:
    """What a Python script prints, run in a process of its own with ``mode`` as argument."""
    command = [sys.executable, "-c", script, mode]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


@needs_glibc("malloc_info")
def test_the_threads_of_a_command_share_one_malloc_arena() -> None:
    """glibc keeps what a thread freed in its own arena: 60 MiB at 100,000 articles."""
    assert int(printed(ARENAS, "default")) > 1  # each thread its own: what the test can tell
    assert int(printed(ARENAS, "one")) == 1


MAPPED = """
import ctypes, sys
from peru_digest.workers import frugal_malloc
class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
if sys.argv[1] == "frugal":
    frugal_malloc()
freed = bytearray(4 << 20)
del freed
held = bytearray(4 << 20)
print(libc.mallinfo2().hblkhd >= 4 << 20)
"""


@needs_glibc("mallinfo2", " 2.33 or later")
def test_a_command_s_large_blocks_keep_pages_of_their_own_after_one_is_freed() -> None:
    """Otherwise glibc serves them from its heap, which keeps what is freed."""
    # By default glibc raised its threshold when the first block was freed: what the test
    # can tell apart.
    assert printed(MAPPED, "default") == "False\n"
    assert printed(MAPPED, "frugal") == "True\n"


def test_a_worker_leaves_ctrl_c_to_the_build() -> None:
    """Ctrl-C reaches the whole process group; the build stops its workers, which must not
    each print a KeyboardInterrupt traceback of their own."""
    code = (
        "import os, signal\n"
        "from peru_digest.workers import start_worker\n"
        "start_worker(os.getppid())\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "True\n", "")


WARM_UP = """
import os, signal, sys
from peru_digest.workers import Workers

def servers():
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{entry}/stat").read()
            command = open(f"/proc/{entry}/cmdline", "rb").read()
        except OSError:  # ended meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"forkserver" in command:
            found.append(entry)
    return found

def ignores_ctrl_c(process):
    status = open(f"/proc/{process}/status").read()
    ignored = int(status.split("SigIgn:")[1].split()[0], 16)
    return bool(ignored & 1 << (signal.SIGINT - 1))

Workers(int(sys.argv[1])).warm_up(int(sys.argv[2]))
found = servers()
print(len(found), all(ignores_ctrl_c(process) for process in found))
print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)
"""


@pytest.mark.skipif(
    not os.path.isdir("/proc/self") and os.environ.get("CI") != "true",
    reason="NOT TESTED: no /proc to list a process's children in",
)
@pytest.mark.parametrize(
    ("count", "items", "servers"), [(1, MIN_PARALLEL, 0), (2, MIN_PARALLEL - 1, 0),
                                    (2, MIN_PARALLEL, 1)]
)  # fmt: skip
def test_warming_up_starts_the_server_workers_are_forked_from_only_when_it_will_serve(
    count: int, items: int, servers: int
) -> None:
    """It imports this package while the build reads: not for one worker (this process
    itself), nor for a site too small to hand work out. It ignores Ctrl-C from its start
    (else, still importing, it would print a traceback of its own), and this process does
    not."""
    command = [sys.executable, "-c", WARM_UP, str(count), str(items)]
    done = subprocess.run(command, capture_output=True, check=True, text=True)
    assert done.stdout == f"{servers} True\nTrue\n"


def test_a_warmed_up_pool_gives_the_results_of_a_cold_one() -> None:
    with Workers(2) as pool:
        pool.warm_up(MIN_PARALLEL)
        items = list(range(MIN_PARALLEL + 1))
        assert list(pool.map(doubled, 2, items)) == [2 * n for n in items]
