"""The output folder: what a build may replace, and a swap that readers never see half-done."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from peru_digest.build import build
from peru_digest.cli import main
from peru_digest.errors import RefusedError
from peru_digest.output import MARKER, MARKER_TEXT, check_output, is_mount_point, mirror

from .conftest import FIXTURES, TEMPLATES


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout-like folder as the current folder: content, templates, an editor's notes."""
    shutil.copytree(FIXTURES / "site", tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    (tmp_path / "notes.txt").write_text("uncommitted notes", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    return tmp_path


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def refusal(capsys: pytest.CaptureFixture[str], output: str) -> str:
    """Run ``build --output OUTPUT``; expect exit 1 and return standard error."""
    assert main(["build", "--no-search", "-q", "--output", output]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize(
    ("output", "why"),
    [
        (".", "it is or contains the current folder"),
        ("", "it is or contains the current folder"),
        ("..", "it is or contains the current folder"),
        ("content", "it is or contains {project}/content"),
        ("templates", "it is or contains {project}/templates"),
        ("home", "it is or contains the home folder"),
        ("content/public", "it is inside {project}/content"),
        ("templates/static", "it is inside {project}/templates"),
    ],
)
def test_a_build_never_replaces_a_folder_it_reads_or_that_holds_them(
    project: Path, capsys: pytest.CaptureFixture[str], output: str, why: str
) -> None:
    before = listing(project)
    err = refusal(capsys, output)
    shown = output or "."
    reason = why.format(project=project.resolve().as_posix())
    if "inside" in why:
        expected = f"error: refusing to build into {shown}: {reason}; "
        expected += "choose a folder outside it with --output\n"
    else:
        expected = f"error: refusing to build into {shown}: {reason}; "
        expected += "choose an empty or new folder with --output\n"
    assert err == expected
    assert listing(project) == before


def test_a_build_never_turns_a_file_into_a_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refusal(capsys, "notes.txt")
    assert err == "error: refusing to build into notes.txt: it is a file, not a folder\n"
    assert (project / "notes.txt").read_text(encoding="utf-8") == "uncommitted notes"


def test_a_folder_of_someone_elses_files_is_not_replaced(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "site").mkdir()
    (project / "site" / "mine.html").write_text("mine", encoding="utf-8")
    err = refusal(capsys, "site")
    assert err == (
        "error: refusing to replace site: it is not empty and was not built by peru-digest "
        f"(no {MARKER} file); move it away, or choose another folder with --output\n"
    )
    assert listing(project / "site") == ["mine.html"]


def test_a_folder_of_someone_elses_files_where_the_spare_copy_goes_is_not_emptied(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spare = project / ".site-spare"
    spare.mkdir()
    (spare / "notes.txt").write_text("mine", encoding="utf-8")
    err = refusal(capsys, "site")
    assert err == (
        f"error: refusing to keep the site's spare copy in {spare.as_posix()}: it is not empty "
        f"and was not built by peru-digest (no {MARKER} file); move it away, or choose another "
        "folder with --output\n"
    )
    assert listing(spare) == ["notes.txt"]


def test_a_cache_inside_the_content_folder_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = project / "content" / ".cache"
    assert main(["build", "--no-search", "--cache", str(cache)]) == 1
    assert capsys.readouterr().err == (
        f"error: refusing to keep the build cache in {cache.as_posix()}: it is inside "
        f"{(project / 'content').as_posix()}, which each build reads; choose a folder outside "
        "it with --cache\n"
    )
    assert not cache.exists()


def test_a_cache_folder_of_someone_elses_files_is_refused_and_left_as_it_is(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = project / "home"
    for name in ("search/notes.txt", "photos/a.jpg", "b.txt", "c.txt", "d.txt"):
        (home / name).parent.mkdir(exist_ok=True)
        (home / name).write_text("mine", encoding="utf-8")
    before = listing(home)
    assert main(["build", "--no-search", "--output", "out", "--cache", str(home)]) == 1
    assert capsys.readouterr().err == (
        f"error: refusing to keep the build cache in {home.as_posix()}: it holds files a build "
        "did not make (b.txt, c.txt, d.txt, …), which the cache would replace; choose a new or "
        "empty folder with --cache\n"
    )
    assert listing(home) == before
    assert not (project / "out").exists()


@pytest.mark.parametrize("where", ["the-project", "the-root", "a-file"])
def test_a_cache_where_none_can_be_is_refused_naming_the_cache_not_the_output(
    project: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    cache = {"the-project": project, "the-root": Path("/"), "a-file": project / "notes.txt"}[where]
    (project / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["build", "--no-search", "--output", "out", "--cache", str(cache)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: refusing to keep the build cache in {cache.as_posix()}: ")
    assert err.endswith(" with --cache\n")
    if where == "a-file":
        assert err == (
            f"error: refusing to keep the build cache in {cache.as_posix()}: it is a file, not a "
            "folder; choose a new or empty folder with --cache\n"
        )
    assert not (project / "out").exists()
    assert (project / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_cache_folder_a_build_made_is_used_and_tagged_even_from_before_tags(
    project: Path,
) -> None:
    cache = project / "cache"
    args = ["build", "--no-search", "-q", "--output", "out", "--cache", str(cache)]
    assert main(args) == 0
    assert (
        (cache / "CACHEDIR.TAG")
        .read_text("utf-8")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    )
    (cache / "CACHEDIR.TAG").unlink()  # as a cache made before tags were
    assert main(args) == 0
    assert (cache / "CACHEDIR.TAG").is_file()
    (cache / "search").mkdir(exist_ok=True)
    (cache / "search" / "stale-pack").write_text("", encoding="utf-8")
    assert main([*args[:2], *args[3:]]) == 0  # tagged: what is in it is the build's own


def test_the_content_folder_is_never_the_spare_copy(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = project / ".public-spare"
    (project / "content").rename(content)
    (content / MARKER).write_text("", encoding="utf-8")  # even marked as a site
    before = listing(content)
    assert main(["build", "--content", str(content), "--no-search"]) == 1
    assert capsys.readouterr().err == (
        f"error: refusing to keep the site's spare copy in {content.as_posix()}: it is or "
        f"contains {content.as_posix()}; rename it, or choose another folder with --output\n"
    )
    assert listing(content) == before


def test_the_root_folder_and_the_home_folder_are_refused_before_anything_happens(
    project: Path,
) -> None:
    for folder in (Path("/"), Path.home(), Path("~").expanduser()):
        with pytest.raises(RefusedError):
            check_output(folder, [project / "content", project / "templates"])


@pytest.mark.parametrize("state", ["missing", "empty", "an earlier build"])
def test_a_build_goes_into_a_missing_or_empty_folder_or_over_an_earlier_build(
    project: Path, state: str
) -> None:
    output = project / "site"
    if state != "missing":
        output.mkdir()
    if state == "an earlier build":
        build(project / "content", project / "templates", output, search=False)
        (output / "stale.html").write_text("old", encoding="utf-8")
    assert main(["build", "--no-search", "-q", "--output", "site"]) == 0
    assert (output / "index.html").is_file()
    assert (output / MARKER).is_file()
    assert not (output / "stale.html").exists()


def test_serve_refuses_the_same_folders(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--output", ".", "--port", "0"]) == 1
    assert capsys.readouterr().err.startswith("error: refusing to build into .: ")


def test_a_symlinked_output_keeps_its_link_and_its_target_gets_the_site(project: Path) -> None:
    web_root = project / "www" / "site"
    web_root.mkdir(parents=True)
    (project / "public").symlink_to(web_root, target_is_directory=True)
    for _ in range(2):
        assert main(["build", "--no-search", "-q"]) == 0
        assert (project / "public").is_symlink()
        assert (web_root / "index.html").is_file()
    assert sorted(p.name for p in web_root.parent.iterdir()) == [".site-spare", "site"]


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(project: Path) -> None:
    leftovers = [".public.peru-digest-build-x1y2z3w4", ".public.peru-digest-old-abcdefgh"]
    earlier = [".public-build-x1", ".public-new-abc", ".public-old-def"]  # marked as sites
    for name in leftovers + earlier:
        (project / name / "deep").mkdir(parents=True)
        (project / name / "deep" / "page.html").write_text("left over", encoding="utf-8")
    for name in earlier:
        (project / name / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    (project / ".public.peru-digest-build-notes.txt").write_text("a file", encoding="utf-8")
    assert main(["build", "--no-search", "-q"]) == 0
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".public")) == [
        ".public-spare",  # kept on purpose: the next build starts from it
        ".public.peru-digest-build-notes.txt",
    ]


@pytest.mark.parametrize(
    "name", [".public-old-backup", ".public-build-2021", ".public-new-design", ".public-old-x"]
)
def test_an_editors_own_folder_named_like_an_old_leftover_is_never_removed(
    project: Path, name: str
) -> None:
    (project / name).mkdir()
    (project / name / "notes.txt").write_text("my notes", encoding="utf-8")
    assert main(["build", "--no-search", "-q"]) == 0
    assert main(["build", "--no-search", "-q", "--clean"]) == 0
    assert (project / name / "notes.txt").read_text(encoding="utf-8") == "my notes"


def test_an_old_file_that_cannot_be_removed_is_a_warning_naming_the_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--no-search", "-q"]) == 0
    (project / "public" / "stuck.html").write_text("immutable", encoding="utf-8")
    real_unlink = os.unlink

    def unlink(path: str | Path, *, dir_fd: int | None = None) -> None:
        if Path(path).name == "stuck.html":
            raise PermissionError(1, "Operation not permitted")
        real_unlink(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", unlink)
    assert main(["build", "--no-search", "--clean"]) == 0  # a clean build removes the old site
    err = capsys.readouterr().err
    stray = [p for p in project.iterdir() if p.name.startswith(".public.peru-digest-old-")]
    assert len(stray) == 1
    assert (
        f"warning: {stray[0].as_posix()}: could not remove the old build folder "
        f"({stray[0].as_posix()}/stuck.html: Operation not permitted)\n"
        "  hint: remove it by hand\n"
    ) in err
    assert not (project / "public" / "stuck.html").exists()


def test_a_reader_polling_during_builds_never_finds_a_page_missing(project: Path) -> None:
    assert main(["build", "--no-search", "-q"]) == 0
    page = project / "public" / "index.html"
    misses, reads = 0, 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal misses, reads
        while not stop.is_set():
            try:
                page.read_bytes()
            except FileNotFoundError:
                misses += 1
            reads += 1

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for _ in range(15):
            build(project / "content", project / "templates", project / "public", search=False)
    finally:
        stop.set()
        reader.join()
    assert reads > 100
    assert misses == 0


def add_many_articles(content: Path, count: int = 1500) -> None:
    """Enough new pages that a signal comes while they are written."""
    for number in range(count):
        (content / "articles" / f"n{number}.md").write_text(
            f"---\ntitle: New {number}\ndate: 2021-05-05\nsource: Daily Andes\n"
            f"url: https://andes.test/n{number}\ntopics: [election]\n---\nNew.\n",
            encoding="utf-8",
        )


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def left_running(project: Path, wait: float = 10) -> list[str]:
    """The command lines of processes still running for a build in ``project`` (its worker
    processes name its folder) once they had ``wait`` seconds to end."""
    deadline = time.monotonic() + wait
    while True:
        running = []
        for entry in Path("/proc").iterdir():
            try:
                command = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
            except OSError:
                continue  # ended meanwhile
            if str(project).encode() in command and int(entry.name) != os.getpid():
                running.append(command.replace(b"\0", b" ").decode(errors="replace")[:200])
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.1)


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
@pytest.mark.parametrize(
    ("how", "writing", "spare"),
    [
        ("--clean", ".public.peru-digest-build-*/2021/05/new-100", False),
        ("--clean", ".public-spare/2021/05/new-100", True),
        ("--no-search", ".public-spare/2021/05/new-100", True),
    ],
    ids=["afresh-into-a-new-folder", "afresh-into-the-spare", "into-the-spare"],
)
def test_a_build_stopped_while_writing_leaves_the_old_site_whole_and_the_next_build_right(  # noqa: PLR0917
    project: Path, sent: signal.Signals, how: str, writing: str, spare: bool, tmp_path: Path
) -> None:
    assert main(["build", "--no-search", "-q"]) == 0
    if not spare:  # a build that writes every file makes its folders anew only without a spare
        shutil.rmtree(project / ".public-spare")
    before = files(project / "public")
    add_many_articles(project / "content")
    command = [sys.executable, "-m", "peru_digest.cli", "build", "--no-search", "-q", how]
    process = subprocess.Popen(command, cwd=project)
    deadline = time.monotonic() + 60
    while not any(project.glob(writing)) and time.monotonic() < deadline:
        time.sleep(0.002)
    process.send_signal(sent)
    assert process.wait(timeout=60) == (-9 if sent == signal.SIGKILL else 130)
    if sent != signal.SIGKILL:
        assert not list(project.glob(".public.peru-digest-build-*"))
    assert left_running(project) == []
    assert files(project / "public") == before
    assert main(["build", "--no-search", "-q"]) == 0
    assert not list(project.glob(".public.peru-digest-build-*"))
    clean = tmp_path / "clean"
    build(project / "content", project / "templates", clean, search=False)
    assert files(project / "public") == files(clean)


@pytest.mark.parametrize(
    ("number", "reason", "hint"),
    [
        (
            errno.ENOSPC,
            "No space left on device",
            "free some space or fix the permissions, or build elsewhere with --output",
        ),
        (  # a checkout in a folder nested deep enough that a page's path passes 4,096 bytes
            errno.ENAMETOOLONG,
            "File name too long",
            "build into a folder with a shorter path, with --output",
        ),
    ],
)
def test_a_full_disk_is_one_clear_problem_and_the_old_site_stays(  # noqa: PLR0917
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    number: int,
    reason: str,
    hint: str,
) -> None:
    assert main(["build", "--no-search", "-q"]) == 0
    before = files(project / "public")
    (project / "content" / "articles" / "2021" / "2021-06-06-runoff-day.md").write_text(
        "---\ntitle: Runoff Day\ndate: 2021-06-06\nsource: Daily Andes\n"
        "url: https://andes.test/runoff\ntopics: [election]\n---\n\nChanged.\n",
        encoding="utf-8",
    )

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(number, reason)

    monkeypatch.setattr("peru_digest.render.write_file", full)
    capsys.readouterr()  # the first build's warnings
    assert main(["build", "--no-search", "-q"]) == 1
    assert capsys.readouterr().err == (
        f"public: cannot write the site: {reason}\n"
        f"  hint: {hint}\n"
        "1 problem found. Nothing was built; the previous site is as it was.\n"
    )
    assert files(project / "public") == before


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_will_not_hold_a_new_folder_is_one_clear_problem(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``/proc`` answers "no such file or directory" to a new folder in it."""
    assert main(["build", "--no-search", "-q", "--output", "/proc/peru-digest-site"]) == 1
    assert capsys.readouterr().err == (
        "/proc/peru-digest-site: cannot write the site: No such file or directory\n"
        "  hint: free some space or fix the permissions, or build elsewhere with --output\n"
        "1 problem found. Nothing was built; the previous site is as it was.\n"
    )


def folder_inodes(*roots: Path) -> set[int]:
    return {p.stat().st_ino for root in roots for p in [root, *root.rglob("*")] if p.is_dir()}


def test_a_clean_build_over_a_site_reuses_its_folders_and_keeps_nothing_stale(
    project: Path, tmp_path: Path
) -> None:
    assert main(["build", "--no-search", "-q"]) == 0
    (project / ".public-spare" / "stray.html").write_text("left over", encoding="utf-8")
    (project / ".public-spare" / "2021" / "stray").mkdir()
    before = folder_inodes(project / "public", project / ".public-spare")

    assert main(["build", "--no-search", "-q", "--clean"]) == 0

    after = folder_inodes(project / "public", project / ".public-spare")
    assert after <= before  # writing every file made no folder: the spare's were reused
    build(project / "content", project / "templates", tmp_path / "clean", search=False)
    assert files(project / "public") == files(tmp_path / "clean")
    assert files(project / ".public-spare") == files(tmp_path / "clean")  # the next spare


def test_a_mirror_is_the_source_in_hard_links_whatever_the_copy_held(tmp_path: Path) -> None:
    source, copy = tmp_path / "source", tmp_path / "copy"
    for path, text in {"a/index.html": "A", "a/b/index.html": "B", "x": "X", "c": "C"}.items():
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        (source / path).write_text(text, encoding="utf-8")
    (copy / "a" / "gone").mkdir(parents=True)
    (copy / "a" / "gone" / "index.html").write_text("old", encoding="utf-8")
    (copy / "a" / "index.html").write_text("old A", encoding="utf-8")
    (copy / "x").mkdir()  # a folder where the source has a file
    (copy / "c" / "d").mkdir(parents=True)
    (copy / "stale.txt").write_text("old", encoding="utf-8")

    mirror(source, copy)

    assert listing(copy) == listing(source)
    for path in ("a/index.html", "a/b/index.html", "x", "c"):
        assert (copy / path).stat().st_ino == (source / path).stat().st_ino


def test_a_clean_build_never_writes_through_a_link_left_in_the_spare(project: Path) -> None:
    assert main(["build", "--no-search", "-q"]) == 0
    notes = project / "home" / "notes"
    (notes / "07").mkdir(parents=True)
    (notes / "07" / "index.html").write_text("the editor's own", encoding="utf-8")
    shutil.rmtree(project / ".public-spare" / "2021")
    (project / ".public-spare" / "2021").symlink_to(notes)

    assert main(["build", "--no-search", "-q", "--clean"]) == 0

    assert listing(notes) == ["07", "07/index.html"]
    assert (notes / "07" / "index.html").read_text(encoding="utf-8") == "the editor's own"


def test_a_spare_copy_that_cannot_be_made_leaves_the_new_site_published_with_a_warning(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once the new site is swapped in, a failure is no longer "nothing was built"."""
    assert main(["build", "--no-search", "-q"]) == 0
    article = project / "content" / "articles" / "2021" / "2021-07-28-inauguration.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('title: "', 'title: "Retitled ', 1), encoding="utf-8")

    def no_links(*_: object) -> None:  # a file system without hard links (exFAT, SMB)
        raise OSError(errno.EPERM, "Operation not permitted")

    with monkeypatch.context() as patched:
        patched.setattr(os, "link", no_links)
        assert main(["build", "--no-search", "-q"]) == 0
    err = capsys.readouterr().err
    spare = (project / ".public-spare").as_posix()
    assert (
        f"warning: {spare}: the new site is published, but its spare copy could not be made: "
        "Operation not permitted"
    ) in err
    assert "Retitled" in (project / "public" / "index.html").read_text(encoding="utf-8")

    assert main(["build", "--no-search", "-q"]) == 0
    assert main(["build", "--no-search", "-q", "--clean", "--output", "again"]) == 0
    assert listing(project / "public") == listing(project / "again")
    for name in listing(project / "public"):
        if (project / "public" / name).is_file():
            assert (project / "public" / name).read_bytes() == (
                project / "again" / name
            ).read_bytes()


def test_a_mount_point_is_refused_naming_a_folder_inside_it(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Docker volume (`-v ./public:/app/public`) cannot be renamed away: EBUSY, every time."""
    (project / "volume").mkdir()
    mounted = (project / "volume").resolve()
    ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == mounted or ismount(path))
    assert refusal(capsys, "volume") == (
        "error: refusing to build into volume: it is a mount point, which cannot be replaced "
        "whole; build into a folder inside it (--output volume/site) and serve that\n"
    )
    assert listing(project / "volume") == []


def test_a_bind_mount_of_a_folder_of_the_same_file_system_is_a_mount_point_too(
    tmp_path: Path,
) -> None:
    """``os.path.ismount`` compares devices; a bind mount (``mount --bind public public``, a
    volume of the host's own disk) has its parent's. Linux's mountinfo lists it."""
    (tmp_path / "with space").mkdir()
    (tmp_path / "plain").mkdir()
    mounts = tmp_path / "mountinfo"
    mounted = str(tmp_path / "with space").replace(" ", "\\040")
    mounts.write_text(
        "22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/root rw\n"
        f"96 22 259:1 /srv/site {mounted} rw,relatime shared:1 - ext4 /dev/root rw\n",
        encoding="utf-8",
    )
    assert is_mount_point(tmp_path / "with space", mounts)
    assert not is_mount_point(tmp_path / "plain", mounts)
    assert is_mount_point(Path("/"), tmp_path / "missing")  # by its device
    assert not is_mount_point(tmp_path / "plain", tmp_path / "missing")


def test_a_clean_build_gives_the_site_folders_the_mode_folders_get_now(project: Path) -> None:
    """A build under ``umask 077`` made its folders private; later builds must not keep them
    so, where a web server running as another user reads the site."""
    before = os.umask(0o077)
    try:
        assert main(["build", "--no-search", "-q"]) == 0
    finally:
        os.umask(before)
    os.umask(0o022)
    try:
        assert main(["build", "--no-search", "-q", "--clean"]) == 0
        assert main(["build", "--no-search", "-q", "--clean"]) == 0
    finally:
        os.umask(before)
    folders = [path for path in (project / "public").rglob("*") if path.is_dir()]
    assert folders
    assert {oct(path.stat().st_mode & 0o777) for path in folders} == {"0o755"}


def modes(folder: Path) -> set[tuple[str, str]]:
    """The kinds and modes of a folder and of everything in it: ("folder", "0o755")..."""
    return {
        ("folder" if path.is_dir() else "file", oct(path.stat().st_mode & 0o777))
        for path in [folder, *folder.rglob("*")]
    }


@pytest.mark.parametrize(
    ("umask", "file", "folder"),
    [
        (0o077, "0o644", "0o755"),  # a private login's: hardened servers set it
        (0o027, "0o644", "0o755"),
        (0o022, "0o644", "0o755"),
        (0o002, "0o664", "0o775"),  # a group that builds the site together may write in it
    ],
)
def test_the_site_can_be_read_by_a_web_server_whatever_the_umask(
    project: Path, umask: int, file: str, folder: str
) -> None:
    """A web server reads the site as another user, and ``rsync -a`` keeps the modes: under
    ``umask 077`` the site's files were 0600 and its folders 0700, every page forbidden."""
    before = os.umask(umask)
    try:
        assert main(["build", "-q"]) == 0  # the search index's files too
        article = project / "content/articles/2021/2021-06-06-count-begins.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("The Count Begins", "The Count Starts"), encoding="utf-8")
        assert main(["build", "-q"]) == 0  # written into the spare, swapped in
        assert os.umask(umask) == umask  # the build gave the umask back as it was
    finally:
        os.umask(before)
    assert modes(project / "public") == {("file", file), ("folder", folder)}


def test_a_site_whose_folder_cannot_be_written_beside_says_which_folder_to_change(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deploy layout: ``public`` a link to the web server's ``www/peru``, which the editor
    may write in, but not ``www``, where each build makes the new site and swaps it in. The
    error named ``public`` and said "fix the permissions", of a folder that had them right."""
    (project / "www/peru").mkdir(parents=True)
    (project / "public").symlink_to(project / "www/peru")
    www = (project / "www").resolve()
    made_here = tempfile.mkdtemp

    def forbidden(*args: Any, **kwargs: Any) -> str:  # as when www is root's, 0755
        if kwargs.get("dir") == www:
            raise PermissionError(errno.EACCES, "Permission denied", str(www / "x"))
        return str(made_here(*args, **kwargs))

    monkeypatch.setattr(tempfile, "mkdtemp", forbidden)
    assert main(["build", "--no-search", "-q"]) == 1
    assert capsys.readouterr().err == (
        f"public: cannot write the site: each build makes the new site beside {www}/peru and "
        f"swaps the two, and {www} cannot be written (Permission denied)\n"
        f"  hint: make {www} writable for you (the site's spare copy, .peru-spare, is kept "
        "there too), or build into a folder inside the site's: --output public/site, and "
        "serve that\n"
        "1 problem found. Nothing was built; the previous site is as it was.\n"
    )
    assert listing(project / "www") == ["peru"]


def version_control_of(folder: Path) -> dict[str, tuple[int, bytes]]:
    """A ``.git`` folder's files: inode and bytes, to tell it was kept, never copied."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.read_bytes())
        for p in (folder / ".git").rglob("*")
        if p.is_file()
    }


def checked_out(folder: Path) -> None:
    """What ``git init`` and a first commit leave, as far as a build can tell."""
    (folder / ".git" / "objects" / "ab").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (folder / ".git" / "objects" / "ab" / "cdef").write_bytes(b"\x78\x01unpushed commit")


@pytest.mark.parametrize("how", ["--clean", "an article added", "an article deleted"])
def test_a_site_deployed_as_a_git_checkout_keeps_its_git_folder_through_every_build(
    project: Path, tmp_path: Path, how: str
) -> None:
    assert main(["build", "--no-search", "-q"]) == 0
    checked_out(project / "public")
    kept = version_control_of(project / "public")
    articles = project / "content" / "articles"
    if how == "an article added":
        add_many_articles(project / "content", count=1)
    if how == "an article deleted":
        (articles / "2021" / "2021-07-28-inauguration.md").unlink()

    for _ in range(2):  # the second: nothing changed since, nothing written
        assert main(["build", "--no-search", "-q", *([how] if how == "--clean" else [])]) == 0
        assert version_control_of(project / "public") == kept

    assert not (project / ".public-spare" / ".git").exists()  # never linked: git writes in place
    build(project / "content", project / "templates", tmp_path / "clean", search=False)
    site = {path: data for path, data in files(project / "public").items() if ".git/" not in path}
    assert site == files(tmp_path / "clean")


def test_a_no_change_build_after_a_git_checkout_was_made_in_the_site_writes_nothing(
    project: Path,
) -> None:
    assert main(["build", "--no-search", "-q"]) == 0
    checked_out(project / "public")
    assert main(["build", "--no-search", "-q"]) == 0  # the site's folder changed: written anew
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (project / "public").rglob("*")}
    assert main(["build", "--no-search", "-q"]) == 0
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (project / "public").rglob("*")}
    assert after == before


def test_a_folder_holding_only_a_fresh_git_checkout_is_built_into(project: Path) -> None:
    checked_out(project / "public")
    kept = version_control_of(project / "public")
    assert main(["build", "--no-search", "-q"]) == 0
    assert (project / "public" / "index.html").is_file()
    assert version_control_of(project / "public") == kept


def test_a_git_folder_a_killed_build_left_in_its_stage_is_brought_back_not_removed(
    project: Path,
) -> None:
    """A build moves ``.git`` into its new site just before the swap; killed between the two,
    the next build finds it in the stage it removes as a leftover."""
    assert main(["build", "--no-search", "-q"]) == 0
    checked_out(project / "public")
    kept = version_control_of(project / "public")
    stage = project / ".public.peru-digest-build-k1ll3d00"
    stage.mkdir()
    (project / "public" / ".git").rename(stage / ".git")

    assert main(["build", "--no-search", "-q"]) == 0

    assert version_control_of(project / "public") == kept
    assert not stage.exists()


def test_a_swap_that_fails_leaves_the_git_folder_in_the_published_site(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--no-search", "-q"]) == 0
    checked_out(project / "public")
    kept = version_control_of(project / "public")

    def failing(*_: object) -> bool:
        raise OSError(errno.EACCES, "Permission denied", "public")

    monkeypatch.setattr("peru_digest.output.exchange", failing)
    assert main(["build", "--no-search", "-q", "--clean"]) == 1
    assert "public: cannot write the site: Permission denied\n" in capsys.readouterr().err
    assert version_control_of(project / "public") == kept


def test_a_git_folder_among_the_static_files_is_never_published(project: Path) -> None:
    static = project / "templates" / "static"
    (static / ".git").mkdir(parents=True)
    (static / ".git" / "config").write_text("[remote] url = secret\n", encoding="utf-8")
    (static / ".well-known").mkdir()
    (static / ".well-known" / "security.txt").write_text("Contact: x\n", encoding="utf-8")
    assert main(["build", "--no-search", "-q"]) == 0
    assert not (project / "public" / ".git").exists()
    assert (project / "public" / ".well-known" / "security.txt").is_file()
