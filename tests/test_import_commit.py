"""An import is all or nothing: a failure or an interruption at any step leaves content/ as
it was; a file that is there is never replaced."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from peru_digest.cli import EXIT_INTERRUPTED, main
from peru_digest.errors import DigestError
from peru_digest.importers.commit import TEMPORARY_SUFFIX, commit
from peru_digest.importers.feed import import_feed, parse_feed
from peru_digest.importers.feedentries import entry_candidates, feed_context
from peru_digest.importers.fetch import Limits
from peru_digest.importers.plan import ImportPlan, plan_import, read_settings

from .conftest import FIXTURES
from .imported import snapshot

LONG_TITLES = str(FIXTURES / "feeds" / "long_titles.xml")  # a new year folder and a new outlet
TODAY = date(2024, 5, 6)
NOW = datetime(2024, 5, 6, 12, tzinfo=UTC)  # the CLI's clock
STEPS = ("open", "mkdir", "link", "replace", "chmod")  # every file-system step a commit takes


class InjectedError(Exception):
    """Stands for whatever stops an import half-way."""


def failing_at(
    step: int, monkeypatch: pytest.MonkeyPatch, make: Callable[[], BaseException]
) -> Callable[[], int]:
    """Make the ``step``-th file-system call of the import raise; returns the calls counted."""
    calls = 0

    def wrap(name: str) -> None:
        real = getattr(os, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == step:
                raise make()
            return real(*args, **kwargs)

        monkeypatch.setattr(os, name, counted)

    for name in STEPS:
        wrap(name)
    return lambda: calls


def import_plan(site_dir: Path) -> ImportPlan:
    """What importing LONG_TITLES would write, planned but not yet committed."""
    settings = read_settings(site_dir)
    parsed, _, _ = parse_feed(LONG_TITLES, Limits())
    context = feed_context(parsed, LONG_TITLES, None, TODAY, settings.config.sources)
    return plan_import(entry_candidates(parsed.entries, context), settings, dry_run=False)


def leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.rglob(f"*{TEMPORARY_SUFFIX}")]


def total_steps(site_dir: Path, tmp_path: Path) -> int:
    """How many file-system calls a whole import of LONG_TITLES makes (in a scratch copy)."""
    scratch = tmp_path / "scratch"
    shutil.copytree(site_dir, scratch)
    with pytest.MonkeyPatch.context() as patch:
        counted = failing_at(0, patch, InjectedError)
        import_feed(LONG_TITLES, scratch, now=NOW, dry_run=False)
        return counted()


def test_an_import_interrupted_at_any_step_leaves_content_as_it_was(
    site_dir: Path, tmp_path: Path
) -> None:
    before = snapshot(site_dir)
    steps = total_steps(site_dir, tmp_path)
    assert steps >= 8  # two temporary files, sources.yaml's, a folder, two links, a replace
    for step in range(1, steps + 1):
        with pytest.MonkeyPatch.context() as patch:
            failing_at(step, patch, KeyboardInterrupt)
            with pytest.raises(KeyboardInterrupt):
                import_feed(LONG_TITLES, site_dir, now=NOW, dry_run=False)
        assert snapshot(site_dir) == before, f"interrupted at step {step}"
        assert not (site_dir / "articles" / "2022").exists()


def test_a_failed_write_at_any_step_is_one_line_and_leaves_content_as_it_was(
    site_dir: Path,
) -> None:
    before = snapshot(site_dir)
    plan = import_plan(site_dir)
    with pytest.MonkeyPatch.context() as patch:
        counted = failing_at(0, patch, InjectedError)
        commit(plan)
        steps = counted()
    shutil.rmtree(site_dir)
    shutil.copytree(FIXTURES / "site", site_dir)
    assert steps >= 8  # three temporary files, a folder, two links, a mode, a replace
    for step in range(1, steps + 1):
        plan = import_plan(site_dir)
        with pytest.MonkeyPatch.context() as patch:
            failing_at(step, patch, lambda: OSError(errno.ENOSPC, "No space left on device"))
            with pytest.raises(DigestError) as raised:
                commit(plan)
        assert str(raised.value) == (
            "content: cannot write: No space left on device\n"
            "  hint: nothing was imported; free some space, then run the import again"
        )
        assert snapshot(site_dir) == before, f"failed at step {step}"


def test_a_read_only_content_folder_is_one_clear_problem(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where nothing can be written, removing a file never made fails as read-only too."""
    before = snapshot(site_dir)
    plan = import_plan(site_dir)

    def read_only(path: Any, *_: Any, **__: Any) -> Any:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    for name in ("open", "unlink"):  # no file can be written or removed
        monkeypatch.setattr(os, name, read_only)
    with pytest.raises(DigestError) as raised:
        commit(plan)
    assert str(raised.value).endswith(
        ".import-tmp: cannot write: Read-only file system\n"
        f"  hint: nothing was imported; make `{site_dir.as_posix()}/articles` writable, then"
        " run the import again"
    )
    monkeypatch.undo()
    assert snapshot(site_dir) == before


@pytest.mark.parametrize(
    ("blocking", "link"), [("articles/2022", None), ("articles", None),
                           ("articles/2022", "nowhere"), ("articles/2022", "2022")]
)  # fmt: skip
def test_a_file_where_a_folder_is_needed_is_named_with_what_to_do(
    site_dir: Path, blocking: str, link: str | None
) -> None:
    """Running the import again cannot help: the file (or a broken link, or a link to
    itself) must be moved first."""
    plan = import_plan(site_dir)
    if blocking == "articles":
        shutil.rmtree(site_dir / "articles")
    if link is None:
        (site_dir / blocking).write_text("a note\n")
    else:
        (site_dir / blocking).symlink_to(link)
    before = snapshot(site_dir)
    with pytest.raises(DigestError) as raised:
        commit(plan)
    assert str(raised.value) == (
        f"{(site_dir / blocking).as_posix()}: cannot write: a file is where a folder is needed\n"
        "  hint: nothing was imported; rename or move that file, then run the import again"
    )
    assert snapshot(site_dir) == before


def terminated() -> BaseException:
    """SIGTERM to this process: the CLI's handler raises KeyboardInterrupt right here."""
    os.kill(os.getpid(), signal.SIGTERM)
    return InjectedError("the handler did not run")


def test_sigterm_during_an_import_leaves_content_as_it_was(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(site_dir)
    failing_at(3, monkeypatch, terminated)
    args = ["import-feed", LONG_TITLES, "--content", str(site_dir)]
    assert main(args) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "Interrupted.\n"
    assert snapshot(site_dir) == before


def test_sigterm_once_the_import_is_complete_leaves_it_complete_with_no_temporary_file(
    site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = tmp_path / "expected"
    shutil.copytree(site_dir, expected)
    import_feed(LONG_TITLES, expected, now=NOW, dry_run=False)
    real_unlink = os.unlink

    def terminated_while_tidying(path: Any, *args: Any, **kwargs: Any) -> None:
        if str(path).endswith(TEMPORARY_SUFFIX):
            os.kill(os.getpid(), signal.SIGTERM)
        real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", terminated_while_tidying)
    args = ["import-feed", LONG_TITLES, "--content", str(site_dir)]
    idle = threading.Event()  # another thread, which the kernel may hand the signal to
    other = threading.Thread(target=idle.wait, daemon=True)
    other.start()
    try:
        assert main(args) == EXIT_INTERRUPTED
    finally:
        idle.set()
    assert leftovers(site_dir) == []
    assert snapshot(site_dir).keys() == snapshot(expected).keys()


def test_a_file_that_appears_meanwhile_is_never_replaced(site_dir: Path) -> None:
    plan = import_plan(site_dir)
    before = snapshot(site_dir)
    editors = plan.files[1].path
    editors.parent.mkdir(parents=True)
    editors.write_text("an editor's notes\n", encoding="utf-8")
    with pytest.raises(DigestError) as raised:
        commit(plan)
    assert str(raised.value) == (
        f"{editors.as_posix()}: appeared during the import\n"
        "  hint: nothing was imported; run the import again"
    )
    assert editors.read_text(encoding="utf-8") == "an editor's notes\n"
    editors.unlink()
    editors.parent.rmdir()
    assert snapshot(site_dir) == before


def test_sources_yaml_changed_by_an_editor_meanwhile_is_left_as_they_wrote_it(
    site_dir: Path,
) -> None:
    plan = import_plan(site_dir)
    sources = site_dir / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + "\n- name: Added Meanwhile\n", "utf-8")
    before = snapshot(site_dir)
    with pytest.raises(DigestError) as raised:
        commit(plan)
    assert str(raised.value).startswith(f"{sources.as_posix()}: changed during the import\n")
    assert snapshot(site_dir) == before


def test_a_complete_import_leaves_no_temporary_file(site_dir: Path) -> None:
    import_feed(LONG_TITLES, site_dir, now=NOW, dry_run=False)
    assert leftovers(site_dir) == []
    assert (
        (site_dir / "sources.yaml")
        .read_text("utf-8")
        .endswith("- name: Perú Shimpo\n  homepage: https://www.perushimpo.com/\n")
    )


def test_a_sources_yaml_that_is_a_link_stays_a_link_and_its_file_changes(
    site_dir: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared" / "sources.yaml"
    shared.parent.mkdir()
    (site_dir / "sources.yaml").rename(shared)
    (site_dir / "sources.yaml").symlink_to(shared)
    import_feed(LONG_TITLES, site_dir, now=NOW, dry_run=False)
    assert (site_dir / "sources.yaml").readlink() == shared
    assert shared.read_text("utf-8").endswith(
        "- name: Perú Shimpo\n  homepage: https://www.perushimpo.com/\n"
    )
    assert leftovers(site_dir) == [] and leftovers(shared.parent) == []


def test_without_hard_links_files_are_still_created_never_replaced(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    report = import_feed(LONG_TITLES, site_dir, now=NOW, dry_run=False)
    assert len(report.imported) == 2
    assert all(Path(path).read_text("utf-8").startswith("---\n") for path in report.imported)
    assert leftovers(site_dir) == []
