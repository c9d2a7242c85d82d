"""Rebuilds through the cache: the same bytes as a clean build, and only what changed is written."""

from __future__ import annotations

import copy
import dataclasses
import os
import pickle
import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest import build as build_module
from peru_digest import cache as cache_module
from peru_digest import loading, output, render, replan
from peru_digest import workers as workers_module
from peru_digest.build import BuildResult, build
from peru_digest.cache import (
    FILE_NAME,
    RACY_NS,
    FileState,
    Joined,
    Outputs,
    builds_in_turn,
    version_of,
)
from peru_digest.errors import Report
from peru_digest.loading import Readings, unchanged

from .conftest import FIXTURES, TEMPLATES

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NEW_ARTICLE = """---
title: A New Article
date: 2021-07-29
source: Reuters
url: https://reuters.test/new
topics: [economy]
---

Just in.
"""


@dataclass(frozen=True)
class Project:
    content: Path
    templates: Path
    output: Path
    cache: Path
    scratch: Path

    def build(self, now: datetime | None = NOW, **options: object) -> BuildResult:
        return build(
            self.content,
            self.templates,
            self.output,
            cache=self.cache,
            now=now,
            search=False,
            **options,  # type: ignore[arg-type]
        )

    def clean_build(self, now: datetime | None = NOW) -> dict[str, bytes]:
        """What a build from nothing gives for the content as it is now."""
        fresh = self.scratch / f"clean-{len(list(self.scratch.iterdir()))}"
        build(self.content, self.templates, fresh, now=now, search=False)
        return tree(fresh)

    def article(self, name: str) -> Path:
        return next((self.content / "articles").rglob(name))


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: a file written again gets new ones."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            state = path.stat()
            found[path.relative_to(folder).as_posix()] = (state.st_ino, state.st_mtime_ns)
    return found


@pytest.fixture
def project(tmp_path: Path) -> Project:
    shutil.copytree(FIXTURES / "corpus", tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    (tmp_path / "scratch").mkdir()
    made = Project(
        tmp_path / "content",
        tmp_path / "templates",
        tmp_path / "public",
        tmp_path / "cache",
        tmp_path / "scratch",
    )
    made.build()
    return made


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_summary(p: Project) -> None:
    replace_in(next((p.content / "articles" / "2021").glob("*.md")), "\n\n", "\n\nEdited. ")


def retitle(p: Project) -> None:
    replace_in(next((p.content / "articles" / "2022").glob("*.md")), 'title: "', 'title: "New: ')


def add(p: Project) -> None:
    (p.content / "articles" / "2021" / "new.md").write_text(NEW_ARTICLE, encoding="utf-8")


def delete(p: Project) -> None:
    next((p.content / "articles" / "2020").glob("*.md")).unlink()


def rename(p: Project) -> None:
    old = next((p.content / "articles" / "2019").glob("*.md"))
    old.rename(old.with_name("renamed.md"))


def change_template(p: Project) -> None:
    replace_in(p.templates / "base.html", "Skip to content", "Skip to the articles")


def change_setting(p: Project) -> None:
    replace_in(p.content / "site.yaml", "title: News Digest", "title: The News Digest")


def rename_topic(p: Project) -> None:
    replace_in(p.content / "topics.yaml", 'name: "Economy"', 'name: "The Economy"')


def change_outlet(p: Project) -> None:
    replace_in(p.content / "sources.yaml", "https://www.reuters.example/", "https://reuters.test/")


def change_language(p: Project) -> None:
    replace_in(p.content / "site.yaml", "language: en", "language: es")


def change_week_start(p: Project) -> None:
    path = p.content / "site.yaml"
    path.write_text(path.read_text("utf-8") + "week_start: sunday\n", "utf-8")


def write_authors(p: Project) -> None:
    (p.content / "authors.yaml").write_text(
        "- name: Noémie Johansson\n  aliases: [N. Johansson]\n  description: Wrote most.\n"
        "- name: Kenji Haddad\n  desk: true\n",
        encoding="utf-8",
    )


def rename_author(p: Project) -> None:
    path = next(path for path in p.content.rglob("*.md") if "Kenji Haddad" in path.read_text())
    replace_in(path, "Kenji Haddad", "K. Haddad")


def change_stylesheet(p: Project) -> None:
    path = p.templates / "static" / "style.css"
    path.write_text(path.read_text("utf-8") + "\n/* changed */\n", "utf-8")


def file_to_folder(p: Project) -> None:
    (p.templates / "static" / "favicon.svg").unlink()
    (p.templates / "static" / "favicon.svg").mkdir()
    (p.templates / "static" / "favicon.svg" / "icon.svg").write_text("<svg/>", "utf-8")


CHANGES: dict[str, Callable[[Project], None]] = {
    "a summary edited": edit_summary,
    "a title changed": retitle,
    "an article added": add,
    "an article deleted": delete,
    "an article file renamed": rename,
    "a template changed": change_template,
    "a setting changed": change_setting,
    "the language changed": change_language,
    "a topic renamed": rename_topic,
    "an outlet changed": change_outlet,
    "a static file changed": change_stylesheet,
    "a static file became a folder": file_to_folder,
    "the week starts on another day": change_week_start,
    "authors.yaml written": write_authors,
    "an author renamed in an article": rename_author,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_rebuild_after_a_change_equals_a_clean_build(
    project: Project, change: Callable[[Project], None]
) -> None:
    change(project)
    project.build()
    assert tree(project.output) == project.clean_build()


def test_a_rebuild_after_several_changes_in_a_row_equals_a_clean_build(project: Project) -> None:
    for change in (edit_summary, add, change_template, file_to_folder, delete, retitle):
        change(project)
        project.build()
        assert tree(project.output) == project.clean_build()


def test_rebuilds_in_one_process_that_keeps_what_it_read_equal_clean_builds(
    project: Project,
) -> None:
    age(project.content)  # files a build can trust, so the readings are used
    readings = Readings()  # as serve keeps it from build to build
    project.build(readings=readings)
    for change in (edit_summary, add, rename, change_setting, delete, retitle):
        change(project)
        project.build(readings=readings)
        assert tree(project.output) == project.clean_build()


def edit_summaries(p: Project, *names: str) -> None:
    for name in names:
        replace_in(p.article(name), "\n---\n", "\n---\nEdited again. ")


NEWEST = "2023-12-08T07:55:52+02:00"  # the newest article of the corpus, in its week


def test_a_process_that_keeps_its_plan_puts_edited_summaries_in_it_as_a_clean_build_would(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(project.content)
    readings = Readings()
    project.build(readings=readings)
    replanned: list[object] = []
    monkeypatch.setattr(build_module, "replanned", spy(replan.replanned, replanned))
    newest = next(p for p in project.content.rglob("*.md") if NEWEST in p.read_text("utf-8"))
    # on list pages, in related articles, in feeds and in an edition; twice the same one
    for names in (("*00090.md",), ("*00090.md", "*00019.md"), (newest.name,)):
        edit_summaries(project, *names)
        project.build(readings=readings)
        assert tree(project.output) == project.clean_build()
    assert len(replanned) == 3
    assert None not in replanned  # each plan was the last one with the edited articles put in
    retitle(project)  # a title sorts and shows: the site is planned again
    project.build(readings=readings)
    assert tree(project.output) == project.clean_build()
    assert len(replanned) == 3


def test_a_kept_plan_is_not_used_once_a_week_has_ended(project: Project) -> None:
    age(project.content)
    readings = Readings()
    in_the_week = datetime.fromisoformat(NEWEST) + timedelta(hours=1)
    project.build(in_the_week, readings=readings)
    edit_summaries(project, "*00090.md")
    week_after = in_the_week + timedelta(days=8)  # the week's edition is out
    project.build(week_after, readings=readings)
    assert tree(project.output) == project.clean_build(week_after)


def spy(function: Callable[..., Any], results: list[object]) -> Callable[..., Any]:
    """``function``, noting what each call returns."""

    def called(*args: object, **kwargs: object) -> Any:
        results.append(function(*args, **kwargs))
        return results[-1]

    return called


def test_builds_with_two_caches_into_one_output_each_find_the_site_they_left_replaced(
    project: Project,
) -> None:
    other = dataclasses.replace(project, cache=project.scratch / "other-cache")
    elsewhere = "https://elsewhere.test/"  # every page of the other builds differs
    project.build()
    other.build(base_url=elsewhere)  # the published site and its spare trade places
    edit_summary(project)
    other.build(base_url=elsewhere)  # and back: the first cache's folders are where they were
    project.build()
    assert tree(project.output) == project.clean_build()


def test_a_build_stopped_right_after_its_swap_is_never_taken_for_the_last_good_one(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(project.content)
    project.build()
    real_swap = output.swap_in

    def swap_then_stop(folder: Path, target: Path) -> Path | None:
        real_swap(folder, target)
        raise KeyboardInterrupt  # as if killed before the build noted anything

    monkeypatch.setattr(output, "swap_in", swap_then_stop)
    path = project.article("*.md")
    first = path.read_text("utf-8")
    for text in ("Second.", "Third."):
        path.write_text(first.replace("\n---\n", f"\n---\n{text} ", 1), "utf-8")
        with pytest.raises(KeyboardInterrupt):
            project.build()
    monkeypatch.setattr(output, "swap_in", real_swap)
    path.write_text(first, "utf-8")  # back to what the last build that finished saw
    project.build()
    assert tree(project.output) == project.clean_build()


def test_a_process_that_builds_again_after_a_clean_build_reads_only_the_new_cache(
    project: Project,
) -> None:
    edit_summary(project)
    project.build(workers=1)  # drawn in this process, which keeps its renderer for the build
    project.build(workers=1, clean=True)  # a new cache: nothing may be read from the old one
    retitle(project)
    edit_summary(project)
    project.build(workers=1)
    assert tree(project.output) == project.clean_build()


def test_what_a_process_read_is_not_trusted_with_a_cache_made_anew(project: Project) -> None:
    age(project.content)
    readings = Readings()
    project.build(readings=readings)
    project.build(clean=True, readings=readings)  # a new cache, which has no summary yet
    edit_summary(project)
    project.build(readings=readings)
    assert tree(project.output) == project.clean_build()


@given(
    st.integers(0, 2**64 - 1),
    st.integers(-(2**63) * 10**9, (2**63 - 1) * 10**9),
    st.integers(-(2**63) * 10**9, (2**63 - 1) * 10**9),
    st.integers(0, 2**64 - 1),
)
def test_a_file_s_state_keeps_any_numbers_the_file_system_can_give(
    size: int, mtime_ns: int, ctime_ns: int, inode: int
) -> None:
    state = FileState(size, mtime_ns, ctime_ns, inode)

    assert (state.size, state.mtime_ns, state.ctime_ns, state.inode) == (
        size, mtime_ns, ctime_ns, inode,
    )  # fmt: skip
    assert pickle.loads(pickle.dumps(state)) == state == copy.deepcopy(state)
    assert state != FileState(size, mtime_ns, ctime_ns, inode ^ 1)


def test_a_file_dated_past_2262_is_read_and_noted(project: Project) -> None:
    article = project.article("*.md")
    try:
        os.utime(article, (2**40, 2**40))  # in some 36,000 years: beyond 64-bit nanoseconds
    except (OSError, OverflowError):
        pytest.skip("this file system cannot date a file that far ahead")
    assert os.stat(article).st_mtime_ns > 2**63

    first = project.build()
    assert project.build().written == 0
    assert first.articles > 0


def test_the_outputs_noted_keep_each_pair_of_digests_as_its_32_bytes() -> None:
    pair = ("0123456789abcdef" * 2, "fedcba9876543210" * 2)
    outputs = Outputs([("index.html", pair), ("pagefind/x.pf_meta", ("x", "")), ("a", ("", ""))])

    assert outputs == {"index.html": pair, "pagefind/x.pf_meta": ("x", ""), "a": ("", "")}
    assert outputs.rows["index.html"] == bytes.fromhex(pair[0] + pair[1])
    assert outputs.copy() == outputs and outputs.copy().rows is not outputs.rows


@given(st.tuples(st.text(max_size=40), st.text(max_size=40)))
def test_any_pair_of_strings_comes_back_from_the_outputs_noted_as_it_was(
    pair: tuple[str, str],
) -> None:
    outputs = Outputs([("page.html", pair), ("upper.html", ("AB" * 16, "cd" * 16))])
    assert outputs["page.html"] == pair
    assert outputs["upper.html"] == ("AB" * 16, "cd" * 16)


def test_records_kept_apart_read_as_one() -> None:
    drawn = Outputs([("index.html", ("a" * 32, "b" * 32))])
    indexed = Outputs([("pagefind/x.pf_meta", ("c" * 32, "d" * 32))])
    joined = Joined(drawn, indexed)

    assert dict(joined) == {**drawn, **indexed}
    assert list(joined) == ["index.html", "pagefind/x.pf_meta"]
    assert len(joined) == 2
    assert "pagefind/x.pf_meta" in joined and "gone.html" not in joined
    with pytest.raises(KeyError):
        joined["gone.html"]


def test_outputs_noted_again_are_compared_as_kept_and_only_changed_rows_are_written(
    project: Project,
) -> None:
    with cache_db(project.cache) as db:
        before = dict(db.execute("SELECT path, fingerprint || digest FROM outputs"))
        db.execute("UPDATE outputs SET fingerprint = 'by hand' WHERE path = 'index.html'")
        drawn = Outputs(  # as the cache gave them, and as a build records what it drew
            (path, (fingerprint, digest))
            for path, fingerprint, digest in db.execute("SELECT * FROM outputs")
        )
    indexed = Outputs([("pagefind/new.pf_meta", ("x", "not hex"))])
    noted = drawn.copy()
    drawn["index.html"] = ("0" * 32, "1" * 32)
    del drawn["feed.xml"]

    with cache_module.Cache.open(project.cache, project.content, clean=False, notices=[]) as store:
        store.note_outputs(Joined(drawn, indexed), noted)
        after = dict(store.db.execute("SELECT path, fingerprint || digest FROM outputs"))

    assert after == {
        **{path: row for path, row in before.items() if path != "feed.xml"},
        "index.html": "0" * 32 + "1" * 32,
        "pagefind/new.pf_meta": "xnot hex",
    }


@contextmanager
def cache_db(cache: Path) -> Iterator[sqlite3.Connection]:
    """The cache's database, its changes committed and the connection closed after the block
    (``sqlite3.connect`` as a context manager commits but leaves it open)."""
    db = sqlite3.connect(cache / FILE_NAME)
    try:
        with db:
            yield db
    finally:
        db.close()


def count_compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from here on, with this process's compiled
    templates forgotten (as a new process, or a new worker, starts)."""
    compiled: list[str] = []
    compile_source = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, name: Any = None, *args: Any) -> Any:
        compiled.append(name)
        return compile_source(self, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    monkeypatch.setattr(render.COMPILED, "kept", {})
    return compiled


def test_a_rebuild_takes_the_templates_compiled_by_the_last_build_from_the_cache(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = count_compiled(monkeypatch)
    retitle(project)
    project.build(workers=1)
    assert compiled == []
    assert tree(project.output) == project.clean_build()


def test_a_cache_keeps_the_compiled_templates_of_its_own_build_alone(project: Project) -> None:
    other = project.scratch / "other"
    shutil.copytree(project.templates, other / "templates")
    build(project.content, other / "templates", other / "public", cache=other / "cache")

    def kept(cache: Path) -> set[str]:
        with cache_db(cache) as db:
            rows = db.execute("SELECT key FROM blobs").fetchall()
        return {key for (key,) in rows if key.startswith("template:")}

    templates = len(list(project.templates.glob("*.html")))
    assert 1 < len(kept(project.cache)) <= templates
    assert 1 < len(kept(other / "cache")) <= templates
    assert not kept(project.cache) & kept(other / "cache")


def test_a_template_changed_since_it_was_compiled_is_compiled_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = count_compiled(monkeypatch)
    change_template(project)
    project.build(workers=1)
    assert compiled == ["base.html"]
    assert tree(project.output) == project.clean_build()


def test_a_damaged_compiled_template_in_the_cache_is_compiled_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    with cache_db(project.cache) as db:
        damaged = db.execute("UPDATE blobs SET value = x'6a32ff' WHERE key LIKE 'template:%'")
        assert damaged.rowcount > 1
    compiled = count_compiled(monkeypatch)
    retitle(project)
    result = project.build(workers=1)
    assert sorted(compiled) == sorted(set(compiled)) and "base.html" in compiled
    assert result.notices == ()
    assert tree(project.output) == project.clean_build()
    compiled.clear()
    monkeypatch.setattr(render.COMPILED, "kept", {})
    edit_summary(project)
    project.build(workers=1)
    assert compiled == []  # kept again, whole


def test_a_rebuild_with_nothing_changed_writes_no_file(project: Project) -> None:
    before = stamps(project.output)
    result = project.build()
    assert result.written == 0
    assert stamps(project.output) == before


def test_a_rebuild_writes_only_the_files_whose_bytes_change(project: Project) -> None:
    before_bytes, before = tree(project.output), stamps(project.output)
    edit_summary(project)
    project.build()
    after_bytes, after = tree(project.output), stamps(project.output)
    changed = {path for path in after_bytes if after_bytes[path] != before_bytes.get(path)}
    rewritten = {path for path in after if after[path] != before.get(path)}
    assert rewritten == changed
    assert 0 < len(changed) < len(after_bytes) / 10


def test_after_a_rebuild_its_spare_is_already_the_published_site(project: Project) -> None:
    """So the next build, an edit in ``serve`` after the search index, say, starts at once."""
    edit_summary(project)
    project.build()
    spare = project.output.parent / f".{project.output.name}{output.SPARE_SUFFIX}"
    published = stamps(project.output)
    assert stamps(spare) == published  # the very same files: hard links


def test_a_deleted_article_leaves_no_page_and_no_mention(project: Project) -> None:
    victim = next((project.content / "articles" / "2020").glob("*.md"))
    title = victim.read_text("utf-8").split('title: "', 1)[1].split('"', 1)[0]
    victim.unlink()
    project.build()
    mentions = [path for path, data in tree(project.output).items() if title.encode() in data]
    assert mentions == []


def test_an_article_that_comes_back_is_read_again(project: Project) -> None:
    victim = next((project.content / "articles" / "2020").glob("*.md"))
    kept = victim.read_bytes()
    victim.unlink()
    project.build()
    victim.write_bytes(kept)
    project.build()
    assert tree(project.output) == project.clean_build()


def test_an_edit_with_its_modification_time_put_back_is_still_seen(project: Project) -> None:
    """Equal size and equal modification time must not hide an edit (rsync -t, touch -r)."""
    path = next((project.content / "articles" / "2021").glob("*.md"))
    state = path.stat()
    replace_in(path, "a", "b")  # same size
    os.utime(path, ns=(state.st_atime_ns, state.st_mtime_ns))
    project.build()
    assert tree(project.output) == project.clean_build()


def test_a_new_generator_version_rebuilds_everything_with_a_notice(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "generator_version", lambda: "another version")
    result = project.build()
    assert result.notices == (
        f"the build cache {project.cache / FILE_NAME} is from another version of peru-digest; "
        "it was rebuilt",
    )
    assert tree(project.output) == project.clean_build()


def test_a_changed_catalog_is_a_new_generator_version(tmp_path: Path) -> None:
    """Catalogs are read once per process, like the code: a changed one rebuilds everything."""
    package = tmp_path / "peru_digest"
    shutil.copytree(Path(cache_module.__file__).parent, package)
    before = version_of(package)
    replace_in(package / "locale/es/LC_MESSAGES/messages.po", "Artículos", "Más artículos")
    assert version_of(package) != before


def corrupt(path: Path) -> None:
    path.write_bytes(b"this is not a database " * 100)


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def unreadable(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize(
    ("damage", "notice"),
    [
        (corrupt, "could not be read (file is not a database); it was rebuilt"),
        (unreadable, "could not be read (not a file); it was rebuilt"),
    ],
    ids=["corrupt", "unreadable"],
)
def test_a_damaged_cache_is_rebuilt_with_a_notice(
    project: Project, damage: Callable[[Path], None], notice: str
) -> None:
    for leftover in project.cache.glob(f"{FILE_NAME}-*"):
        leftover.unlink()
    damage(project.cache / FILE_NAME)
    result = built_right_after_an_edit(project)
    assert result.notices == (f"the build cache {project.cache / FILE_NAME} {notice}",)
    assert project.build().notices == ()


def built_right_after_an_edit(project: Project) -> BuildResult:
    """A summary edited, then built: the site must be what a clean build gives."""
    edit_summary(project)
    result = project.build()
    assert tree(project.output) == project.clean_build()
    return result


def test_a_truncated_cache_is_rebuilt_with_a_notice(project: Project) -> None:
    with cache_db(project.cache) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    truncate(project.cache / FILE_NAME)
    result = built_right_after_an_edit(project)
    assert result.notices == (
        f"the build cache {project.cache / FILE_NAME} could not be read "
        "(database disk image is malformed); it was rebuilt",
    )


@pytest.mark.parametrize(
    ("state", "found"), [("x'0102'", "2 bytes"), ("5", "int"), ("'text'", "str")]
)
def test_a_cache_with_a_file_s_state_of_the_wrong_kind_is_made_anew_with_a_notice(
    project: Project, state: str, found: str
) -> None:
    with cache_db(project.cache) as db:
        db.execute(f"UPDATE reading SET state = {state}")
    result = built_right_after_an_edit(project)
    assert result.notices == (
        f"the build cache failed (a file's state is {found}, not 40 bytes); this build did "
        "without it, and it was made anew",
    )
    assert project.build().notices == ()


def test_a_cache_that_fails_during_a_build_costs_one_build_more_and_names_its_error(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run, runs = build_module.run, []

    def failing_run(*args: Any) -> BuildResult:
        runs.append(args)
        if len(runs) == 1:
            raise sqlite3.OperationalError("disk I/O error")
        return real_run(*args)

    monkeypatch.setattr(build_module, "run", failing_run)
    result = project.build()
    assert result.notices == (
        "the build cache failed (disk I/O error); this build did without it, and it was made anew",
    )
    assert len(runs) == 2
    assert tree(project.output) == project.clean_build()


def test_a_cache_of_another_content_folder_is_not_used(project: Project, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(project.content, other)
    replace_in(other / "site.yaml", "title: News Digest", "title: Another Digest")
    result = build(other, project.templates, tmp_path / "other-public", cache=project.cache)
    assert result.notices == (
        f"the build cache {project.cache / FILE_NAME} is for another content folder "
        f"({project.content.resolve()}); it was rebuilt",
    )


def test_clean_ignores_the_cache_and_writes_everything(project: Project) -> None:
    before = stamps(project.output)
    result = project.build(clean=True)
    after = stamps(project.output)
    assert result.notices == ()
    assert all(after[path] != before[path] for path in after)
    assert tree(project.output) == project.clean_build()


def test_builds_that_share_a_cache_take_turns(project: Project) -> None:
    edit_summary(project)
    finished = threading.Event()

    def build_then_say_so() -> None:
        project.build()
        finished.set()

    with builds_in_turn(project.cache):
        waiting = threading.Thread(target=build_then_say_so)
        waiting.start()
        assert not finished.wait(1.0)  # held back while another build has the cache
    waiting.join(60)
    assert finished.is_set()
    assert tree(project.output) == project.clean_build()


def test_the_cache_notes_only_the_outputs_that_changed_yet_knows_them_all(
    project: Project,
) -> None:
    edit_summary(project)
    project.build()
    noted = outputs_noted(project)
    project.build(clean=True)  # notes every output anew
    assert noted == outputs_noted(project)


def outputs_noted(project: Project) -> dict[str, tuple[str, str]]:
    with cache_db(project.cache) as db:
        rows = db.execute("SELECT path, fingerprint, digest FROM outputs").fetchall()
    return {path: (fingerprint, digest) for path, fingerprint, digest in rows}


def test_a_parallel_build_equals_a_single_process_build(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(workers_module, "MIN_PARALLEL", 1)  # hand even a small site to workers
    write_authors(project)  # workers must see authors.yaml too
    build(project.content, project.templates, tmp_path / "one", workers=1, search=False)
    build(project.content, project.templates, tmp_path / "two", workers=2, search=False)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_a_build_that_fails_while_writing_keeps_the_live_site_and_the_next_one_is_right(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree(project.output)
    edit_summary(project)
    add(project)
    writes = 0
    real_write = output.write_file

    def failing_write(*args: object, **kwargs: object) -> None:
        nonlocal writes
        writes += 1
        if writes == 3:
            raise KeyboardInterrupt
        real_write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("peru_digest.render.write_file", failing_write)
    with pytest.raises(KeyboardInterrupt):
        project.build(workers=1)
    assert tree(project.output) == before
    monkeypatch.undo()
    project.build()
    assert tree(project.output) == project.clean_build()


def test_a_file_noted_within_the_timestamp_tick_of_its_change_is_read_again() -> None:
    """Timestamps are coarse: a file changed again in the same tick as the one noted would
    look unchanged, so a note taken that soon after a change is not trusted."""
    state = FileState(size=10, mtime_ns=5_000_000_000, ctime_ns=5_000_000_000, inode=7)
    assert unchanged(state, state.mtime_ns + RACY_NS + 1, state)
    assert not unchanged(state, state.mtime_ns + 1_000, state)
    assert not unchanged(state, state.mtime_ns + RACY_NS + 1, None)


def test_a_file_touched_but_not_changed_writes_no_file(project: Project) -> None:
    before = stamps(project.output)
    for path in [project.templates / "base.html", *project.content.rglob("*.md")][:20]:
        path.touch()
    assert project.build().written == 0
    assert stamps(project.output) == before


def age(folder: Path) -> None:
    """Make every file's timestamps say it has not changed for an hour."""
    an_hour_ago = time.time_ns() - 3600 * 10**9
    for path in folder.rglob("*"):
        os.utime(path, ns=(an_hour_ago, an_hour_ago))


def write_an_hour_ago(path: Path, text: str) -> None:
    """Write a file whose timestamps say it has not changed for an hour: a build trusts them,
    and skips its work when nothing else changed (a file changed seconds ago is read again)."""
    path.write_text(text, encoding="utf-8")
    an_hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(an_hour_ago, an_hour_ago))


def test_an_article_dated_in_the_future_appears_when_its_day_comes_without_any_change(
    project: Project,
) -> None:
    # Due on Friday 2 January 2026, before the week under way at NOW ends (its edition is due
    # on Monday 5 January): the article's day is the next moment the site changes by itself.
    later = project.content / "articles" / "2021" / "later.md"
    write_an_hour_ago(later, NEW_ARTICLE.replace("2021-07-29", "2026-01-02"))
    early = project.build()
    assert [path for path, _ in early.left_out] == ["articles/2021/later.md"]
    assert project.build().written == 0
    late = project.build(now=datetime(2026, 1, 2, 12, tzinfo=UTC))
    assert late.left_out == ()
    assert (project.output / "2026" / "01" / "a-new-article" / "index.html").is_file()


def test_an_article_that_was_due_leaves_again_when_the_clock_goes_back(project: Project) -> None:
    """``SOURCE_DATE_EPOCH`` set to an earlier moment (a commit's) than the last build's."""
    later = project.content / "articles" / "2021" / "later.md"
    write_an_hour_ago(later, NEW_ARTICLE.replace("2021-07-29", "2026-01-02"))
    project.build(now=datetime(2026, 1, 2, 12, tzinfo=UTC))
    earlier = datetime(2026, 1, 1, 12, tzinfo=UTC)
    back = project.build(now=earlier)
    assert [path for path, _ in back.left_out] == ["articles/2021/later.md"]
    assert not (project.output / "2026" / "01" / "a-new-article").exists()
    assert tree(project.output) == project.clean_build(now=earlier)
    assert project.build(now=earlier).written == 0  # and then nothing changed again


def test_a_build_given_no_clock_after_one_given_a_clock_builds_all_there_is(
    project: Project,
) -> None:
    """Without a clock (the Python API's ``now=None``) nothing is dated in the future: what
    the last build's clock left out is built now, though no file changed."""
    later = project.content / "articles" / "2021" / "later.md"
    write_an_hour_ago(later, NEW_ARTICLE.replace("2021-07-29", "2026-01-02"))
    assert [path for path, _ in project.build().left_out] == ["articles/2021/later.md"]
    assert project.build(now=None).left_out == ()
    assert tree(project.output) == project.clean_build(now=None)


def test_a_file_added_or_a_folder_renamed_by_hand_deep_in_the_site_is_gone_after_a_build(
    project: Project,
) -> None:
    """The README's promise, for every folder (the site's own folder is known by its
    identity): not kept by a build that finds nothing changed, nor passed to the spare."""
    age(project.content)
    age(project.templates)
    project.build()  # the inputs are trusted now: a build with nothing changed skips its work
    (project.output / "2021" / "hand").mkdir()
    (project.output / "2021" / "hand" / "notes.html").write_text("x", encoding="utf-8")
    editions = project.output / "editions"
    (editions / "latest").rename(editions / "latest-old")
    project.build()
    assert tree(project.output) == project.clean_build()
    for number in range(2):  # and neither comes back from the spare
        replace_in(project.article("*.md"), "\n\n", f"\n\nEdited {number}. ")
        project.build()
        assert tree(project.output) == project.clean_build()
    assert project.build().written == 0


def test_a_file_of_the_site_changed_by_hand_in_place_is_written_again(project: Project) -> None:
    """Unchanged files are hard links shared by the site and its spare: an edit in place (a
    deploy step appending a snippet) changes both, and no digest of the cache sees it."""
    robots, page = project.output / "robots.txt", project.output / "topics" / "index.html"
    for changed in (robots, page):
        with changed.open("a", encoding="utf-8") as appended:
            appended.write("<!-- added by hand -->\n")
    assert project.build().written == 2  # nothing else changed: the two files, again
    assert tree(project.output) == project.clean_build()
    assert project.build().written == 0
    with robots.open("a", encoding="utf-8") as appended:
        appended.write("# again\n")
    path = project.article("*.md")
    path.write_text(path.read_text("utf-8").replace("\n---\n", "\n---\nEdited. ", 1), "utf-8")
    assert project.build().written > 1
    assert tree(project.output) == project.clean_build()


def test_a_search_index_file_changed_by_hand_is_written_again_after_a_build_without_index(
    tmp_path: Path,
) -> None:
    """``serve`` first builds the pages without the index: that build must not note the
    changed file as good, or no later build would write it again."""
    content, cache, output = tmp_path / "content", tmp_path / "cache", tmp_path / "public"
    shutil.copytree(FIXTURES / "site", content)
    build(content, TEMPLATES, output, cache=cache, now=NOW)
    entry = output / "pagefind" / "pagefind-entry.json"
    entry.write_text(entry.read_text("utf-8").replace("{", "{ ", 1), "utf-8")  # in place
    build(content, TEMPLATES, output, cache=cache, now=NOW, index=False, readings=Readings())
    build(content, TEMPLATES, output, cache=cache, now=NOW)
    clean = tmp_path / "clean"
    build(content, TEMPLATES, clean, now=NOW)
    assert tree(output) == tree(clean)


def test_a_search_index_file_changed_by_hand_is_written_again(tmp_path: Path) -> None:
    content, cache, output = tmp_path / "content", tmp_path / "cache", tmp_path / "public"
    shutil.copytree(FIXTURES / "site", content)
    build(content, TEMPLATES, output, cache=cache, now=NOW)
    entry = output / "pagefind" / "pagefind-entry.json"
    entry.write_text(entry.read_text("utf-8").replace("{", "{ ", 1), "utf-8")  # in place
    assert build(content, TEMPLATES, output, cache=cache, now=NOW).written >= 1
    clean = tmp_path / "clean"
    build(content, TEMPLATES, clean, now=NOW)
    assert tree(output) == tree(clean)


def test_pages_can_go_live_before_the_search_index_catches_up(tmp_path: Path) -> None:
    """What ``serve`` does: pages first, then the index (a few seconds later)."""
    content, cache, output = tmp_path / "content", tmp_path / "cache", tmp_path / "public"
    shutil.copytree(FIXTURES / "site", content)
    build(content, TEMPLATES, output, cache=cache, now=NOW)
    index_before = {p: s for p, s in stamps(output).items() if p.startswith("pagefind/")}
    page = output / "2021" / "06" / "runoff-day" / "index.html"
    replace_in(next(content.rglob("*runoff*.md")), "Voters went", "Voters in Cusco went")
    build(content, TEMPLATES, output, cache=cache, now=NOW, index=False)
    assert "Voters in Cusco went" in page.read_text("utf-8")
    assert {p: s for p, s in stamps(output).items() if p.startswith("pagefind/")} == index_before
    build(content, TEMPLATES, output, cache=cache, now=NOW)
    clean = tmp_path / "clean"
    build(content, TEMPLATES, clean, now=NOW)
    assert tree(output) == tree(clean)


def test_a_week_that_ends_brings_its_edition_without_any_change(project: Project) -> None:
    # Tuesday of the week from Monday 29 December 2025 to Sunday 4 January 2026.
    this_week = project.content / "articles" / "2021" / "this-week.md"
    write_an_hour_ago(this_week, NEW_ARTICLE.replace("2021-07-29", "2025-12-30"))
    project.build()
    assert not (project.output / "editions" / "2026-W01").exists()
    assert project.build().written == 0  # nothing changed, and the week is not over
    sunday_night = datetime(2026, 1, 4, 23, 59, tzinfo=UTC)
    assert project.build(now=sunday_night).written == 0
    monday = datetime(2026, 1, 5, tzinfo=UTC)
    assert project.build(now=monday).written > 0
    assert (project.output / "editions" / "2026-W01" / "index.html").is_file()
    assert tree(project.output) == project.clean_build(now=monday)


@pytest.mark.parametrize("cached", [False, True], ids=["read-afresh", "from-the-cache"])
def test_articles_that_name_the_same_authors_or_topics_share_one_list_of_them(
    project: Project, cached: bool
) -> None:
    """A large site repeats the same few lists of names a hundred thousand times: each is
    held once."""
    with (
        workers_module.Workers(1) as pool,
        cache_module.Cache.open(
            project.cache, project.content, clean=not cached, notices=[]
        ) as store,
    ):
        site = loading.load_site(project.content, Report(), store, pool)
    for field in ("authors", "topics"):
        named = Counter(getattr(article, field) for article in site.articles)
        assert any(count > 1 for names, count in named.items() if names), field  # can fail
        held = {id(getattr(article, field)) for article in site.articles}
        assert len(held) == len(named), field
