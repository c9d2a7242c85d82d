"""Every core: large batches of work go to worker processes, small ones stay in this one.

Workers are started from a clean server process (``forkserver``), never forked from a build
that may be running threads (``serve``). A task is a function of this package and its
arguments; results come back in the order the work was given, so the output never depends on
which worker finished first.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import multiprocessing.context
import os
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a batch is done in this process: starting workers would cost more.
MIN_PARALLEL = 400
# Items a worker takes at a time, at most. Pages drawn together share articles (a page is
# drawn with those of its time), whose views and cards a worker makes once: batches of 400
# rather than 100 left fewer of them made again in the other worker (draw 6% quicker).
BATCH = 400
# Batches given out at a time, per worker: enough to keep every worker busy,
# few enough that results never pile up while this process is busy with earlier ones (a
# summary read at 100,000 articles would otherwise wait in memory for its turn).
AHEAD = 4
# A build makes millions of small objects that mostly live until it ends and seldom form
# cycles; the cycle collector at its usual pace walked them again and again (a fifth of a
# rebuild in ``serve``). During a build it looks at the youngest objects every 20,000 new
# ones, and at the older ones far less often.
BUILD_GC_THRESHOLDS = (20_000, 20, 1000)


@contextmanager
def collected_seldom() -> Iterator[None]:
    """The cycle collector at a build's pace inside the block, as it was after. A build that
    starts while another one's block has set the pace leaves it to that one to put back (two
    builds in two threads must not leave the build's pace for good)."""
    before = gc.get_threshold()
    if before == BUILD_GC_THRESHOLDS:
        yield
        return
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


M_ARENA_MAX = -8  # glibc's mallopt() setting: how many malloc arenas threads may have
M_MMAP_THRESHOLD = -3  # glibc's mallopt() setting: blocks this large get pages of their own
MMAP_THRESHOLD = 128 * 1024  # glibc's own first value


def frugal_malloc() -> None:
    """Make glibc give back what this process frees, as a large build frees much of it.

    All threads allocate from one arena: glibc gives each thread that allocates an arena of
    its own (up to eight per core) and keeps what was freed in it; the threads that take in
    the workers' results, index for search and compress held some 60 MiB that way in a build
    of 100,000 articles (456 → 399 MiB at its highest). And a block of 128 KiB or more always
    gets pages of its own, returned when freed: glibc otherwise raises that threshold each
    time such a block is freed (up to 32 MiB), after which blocks of a few MB (a Pagefind
    answer, a feed) come from the heap and stay in it once freed (12 MiB after drawing
    100,000 articles, 8 more at the search step). Elsewhere than glibc, nothing changes."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return
    mallopt(M_ARENA_MAX, 1)
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Workers:
    """Runs batches of work, on worker processes when that pays; use as a context manager.

    ``count`` is how many processes at most (1: everything in this process).
    """

    def __init__(self, count: int | None = None) -> None:
        self.count = available_cores() if count is None else max(1, count)
        self._pool: Executor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Cancel what has not started and wait for what has: no worker writes after this."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    @contextmanager
    def stopped_on_error(self) -> Iterator[None]:
        """Stop the workers before an error (or Ctrl-C) leaves the block, so that the
        cleanup after it never races a worker still writing."""
        try:
            yield
        except BaseException:
            self.stop()
            raise

    def map(
        self,
        task: Callable[[Any, Sequence[T]], list[R]],
        setup: Any,
        items: Sequence[T],
        *,
        parallel: bool = True,
        drain: bool = False,
    ) -> Generator[R, None, None]:
        """``task(setup, batch)`` over ``items`` in batches; results in the order of ``items``.

        ``setup`` is what every batch needs (settings, paths): sent once per batch, so keep it
        small; it must be picklable. ``parallel=False`` keeps the work in this process.
        ``drain=True`` takes a list over: each batch leaves it once given out, so that what
        the items hold is let go of as the work goes, not when all of it is done. Any other
        sequence is sliced once per batch (in this process: read once, whole), so it may make
        its items as they are asked for.
        """
        if not parallel or self.count == 1 or len(items) < MIN_PARALLEL:
            results = task(setup, items if isinstance(items, list) else list(items))
            if drain and isinstance(items, list):
                items.clear()
            yield from results
            return
        pool = self._start()
        size = max(1, min(BATCH, -(-len(items) // (self.count * 4))))
        pending: deque[Future[list[R]]] = deque()
        try:
            for start in range(0, len(items), size):
                if len(pending) == self.count * AHEAD:  # awaited first: its error comes first
                    yield from pending.popleft().result()
                pending.append(pool.submit(task, setup, batch_of(items, start, size, drain)))
            while pending:
                yield from pending.popleft().result()
        finally:  # the caller stopped early (a problem, Ctrl-C): the rest is not wanted
            for future in pending:
                future.cancel()

    def warm_up(self, items: int) -> None:
        """Start the server that workers are forked from, when ``items`` (what the build may
        hand out at once) are enough to go to workers: it imports this package on another core
        while this process reads, not when the first batch waits for it (0.4 s on the
        benchmark's machine, then 0.03). A small site never starts it. Returns at once."""
        if items >= MIN_PARALLEL and self.count > 1 and self._pool is None:
            start_server()

    def _start(self) -> Executor:
        if self._pool is None:
            start_server()  # else the pool would start it, with Ctrl-C not yet ignored
            self._pool = ProcessPoolExecutor(
                max_workers=self.count,
                mp_context=worker_context(),
                initializer=start_worker,
                initargs=(os.getpid(),),
            )
        return self._pool


def start_server() -> None:
    """Start the server that workers are forked from, where they are (see
    :func:`worker_context`), unless it runs already. Ctrl-C reaches every process of the
    terminal's group, and the server ignores it itself only once it has imported what it
    preloads: it inherits ignoring it from its start, else it would print a traceback."""
    if worker_context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver  # noqa: PLC0415 - only where there is one

    with ctrl_c_ignored():
        forkserver.ensure_running()


@contextmanager
def ctrl_c_ignored() -> Iterator[None]:
    """Ctrl-C ignored while the block starts a process, which inherits that. Only the main
    thread may set it; elsewhere, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:  # None: a handler set outside Python, which cannot be set again
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


def worker_context() -> multiprocessing.context.BaseContext:
    """Workers start from a server that has imported what they need (``forkserver``), or
    where there is none, afresh (``spawn``)."""
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["peru_digest.loading", "peru_digest.render"])
    return context


def batch_of(items: Sequence[T], start: int, size: int, drain: bool) -> Sequence[T]:
    """``items[start:start + size]``; with ``drain``, the batch at the front, taken out of the
    list (which then starts at the next batch)."""
    if not (drain and isinstance(items, list)):
        return items[start : start + size]
    batch = items[:size]
    del items[:size]
    return batch


def start_worker(build: int) -> None:
    """In each worker (it serves one build): collect cycles at a build's pace, give back what
    is freed as the command does, leave Ctrl-C to the build, and end as soon as the build
    process ends. A build killed outright (``kill -9``, a CI job cancelled) cannot stop its
    workers, and they would wait for work forever, holding memory and the build cache's deleted
    files."""
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    frugal_malloc()
    # Ctrl-C reaches every process of the terminal's group: the build stops its workers
    # itself, and each would otherwise print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=wait_for_end, args=(build,), daemon=True).start()


def wait_for_end(process: int) -> None:
    try:
        handle = os.pidfd_open(process)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # not Linux 5.3 or later: look every second
        while alive(process):
            time.sleep(1)
    else:
        select.select([handle], [], [])
    os._exit(1)  # no cleanup: the build that needed this worker is gone


def alive(process: int) -> bool:
    try:
        os.kill(process, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - exists, owned by another user
        return True
    return True
