"""End to end: the small fixture site builds into a complete, linked, deterministic site."""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from peru_digest.build import build
from peru_digest.errors import DigestError
from peru_digest.linkcheck import broken_links
from peru_digest.workers import BUILD_GC_THRESHOLDS, MIN_PARALLEL, collected_seldom

from .conftest import FIXTURES, TEMPLATES, WriteArticle, read


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_every_page_of_the_site_is_written(public: Path) -> None:
    written = [path for path in tree_digest(public) if not path.startswith("pagefind/")]
    assert sorted(written) == [
        ".peru-digest-output",
        "2021/06/index.html",
        "2021/06/runoff-day/index.html",
        "2021/06/the-count-begins/index.html",
        "2021/07/inauguration-a-new-era/index.html",
        "2021/07/index.html",
        "2021/index.html",
        "404.html",
        "archive/index.html",
        "atom.xml",
        "authors/ana-quispe/atom.xml",
        "authors/ana-quispe/feed.xml",
        "authors/ana-quispe/index.html",
        "authors/index.html",
        "authors/luis-mamani/index.html",
        "editions/2021-W22/index.html",
        "editions/2021-W30/index.html",
        "editions/atom.xml",
        "editions/feed.xml",
        "editions/index.html",
        "editions/latest/index.html",
        "favicon.svg",
        "feed.json",
        "feed.xml",
        "feeds.opml",
        "feeds/index.html",
        "index.html",
        "page/2/index.html",
        "robots.txt",
        "sitemap.xml",
        "sources/daily-andes/atom.xml",
        "sources/daily-andes/feed.xml",
        "sources/daily-andes/index.html",
        "sources/index.html",
        "sources/lima-weekly/atom.xml",
        "sources/lima-weekly/feed.xml",
        "sources/lima-weekly/index.html",
        "style.css",
        "topics/election/atom.xml",
        "topics/election/feed.xml",
        "topics/election/index.html",
        "topics/index.html",
        "topics/quiet/atom.xml",
        "topics/quiet/feed.xml",
        "topics/quiet/index.html",
    ]


def test_home_is_newest_first_under_date_headings_and_paginated(public: Path) -> None:
    home = read(public, "index.html")
    assert home.index("Inauguration: ‘A New Era’") < home.index("The Count Begins")
    assert '<h2><time datetime="2021-07-28">28 July 2021</time></h2>' in home
    assert '<h2><time datetime="2021-06-06">6 June 2021</time></h2>' in home
    assert "Runoff Day" not in home
    assert '<a rel="next" href="./page/2/">Older →</a>' in home
    second = read(public, "page/2/index.html")
    assert "Runoff Day" in second
    assert '<a rel="prev" href="../../">← Newer</a>' in second


def test_drafts_are_left_out(public: Path) -> None:
    assert not any("Draft Note" in text for text in map(Path.read_text, public.rglob("*.html")))


def test_an_article_page_links_to_the_whole_article_and_its_neighbours(public: Path) -> None:
    page = read(public, "2021/07/inauguration-a-new-era/index.html")
    assert "<h1>Inauguration: ‘A New Era’</h1>" in page
    assert 'href="https://andes.test/inauguration?ref=1&amp;x=2">Read the whole article' in page
    assert '<a href="../../../sources/daily-andes/">Daily Andes</a>' in page
    assert '<time datetime="2021-07-28T00:00:00-05:00">28 July 2021</time>' in page


def test_the_count_pages_show_item_counts(public: Path) -> None:
    archive = read(public, "archive/index.html")
    assert '<a href="../2021/">2021</a> <span class="count">3 articles</span>' in archive
    assert '<a href="../2021/06/">June 2021</a> <span class="count">2 articles</span>' in archive
    topics = read(public, "topics/index.html")
    assert (
        '<a href="../topics/quiet/">Quiet Topic</a> <span class="count">0 articles</span>' in topics
    )
    assert "<p>No articles yet.</p>" in read(public, "topics/quiet/index.html")


def test_every_internal_link_resolves(public: Path) -> None:
    assert broken_links(public, "https://digest.test/") == []


def test_the_feed_is_valid_rss_with_the_newest_items(public: Path) -> None:
    feed = feedparser.parse(read(public, "feed.xml"))
    assert feed.bozo is False
    assert feed.version == "rss20"
    assert [e.title for e in feed.entries] == [
        "Inauguration: ‘A New Era’",
        "The Count Begins",
        "Runoff Day",
    ]
    first = feed.entries[0]
    assert first.link == "https://digest.test/2021/07/inauguration-a-new-era/"
    assert first.id == "urn:uuid:00000000-0000-4000-8000-000000000001"
    assert first.published == "Wed, 28 Jul 2021 00:00:00 -0500"
    assert feed.entries[1].published == "Sun, 06 Jun 2021 22:30:00 -0500"
    assert feed.feed.links[1].href == "https://digest.test/feed.xml"
    assert feed.feed.links[1].rel == "self"


def test_the_same_content_builds_byte_identical_output(site_dir: Path, tmp_path: Path) -> None:
    build(site_dir, TEMPLATES, tmp_path / "one")
    build(site_dir, TEMPLATES, tmp_path / "two")
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_a_summary_link_to_another_article_works_on_every_page_that_shows_the_summary(
    site_dir: Path, tmp_path: Path, write_article: WriteArticle
) -> None:
    write_article(
        "2021/2021-06-07-aftermath.md",
        "title: Aftermath\ndate: 2021-06-07\nsource: Daily Andes\n"
        "url: https://andes.test/aftermath\ntopics: [election]",
        "After [the runoff](../runoff-day/), [the count](../the-count-begins/#top) and "
        "[the inauguration](../../07/inauguration-a-new-era/).",
    )
    public = tmp_path / "public"
    build(site_dir, TEMPLATES, public, search=False)
    assert broken_links(public, "https://digest.test/") == []
    home = read(public, "index.html")
    assert 'href="./2021/06/runoff-day/"' in home
    assert 'href="../../2021/06/runoff-day/"' in read(public, "topics/election/index.html")
    assert 'href="../runoff-day/"' in read(public, "2021/06/aftermath/index.html")


def test_a_rebuild_replaces_the_old_site_and_leaves_no_temporary_folders(
    site_dir: Path, public: Path
) -> None:
    (public / "stale.html").write_text("old", encoding="utf-8")
    build(site_dir, TEMPLATES, public)
    assert not (public / "stale.html").exists()
    assert sorted(p.name for p in public.parent.iterdir()) == ["content", "public"]


def test_a_failed_build_leaves_the_previous_site_untouched(
    site_dir: Path, public: Path, write_article: WriteArticle
) -> None:
    before = tree_digest(public)
    write_article("broken.md", "title: [")
    with pytest.raises(DigestError):
        build(site_dir, TEMPLATES, public)
    assert tree_digest(public) == before
    assert sorted(p.name for p in public.parent.iterdir()) == ["content", "public"]


def test_a_file_name_that_is_not_utf8_is_one_problem_shown_escaped_not_a_crash(
    site_dir: Path, public: Path, write_article: WriteArticle
) -> None:
    before = tree_digest(public)
    write_article(os.fsdecode(b"bad\xffname.md"), "title: T\ndate: 2021-07-01\nsource: Lima Weekly")
    with pytest.raises(DigestError) as raised:
        build(site_dir, TEMPLATES, public, cache=site_dir.parent / "cache")
    assert [str(p).replace(f"{site_dir}/", "") for p in raised.value.problems] == [
        "articles/bad\\xffname.md: the file's name is not UTF-8 text\n"
        "  hint: rename the file (its name's bytes that are not UTF-8 are shown as \\xNN)"
    ]
    assert tree_digest(public) == before


def test_a_build_reports_the_articles_problems_beside_a_broken_settings_file(
    site_dir: Path, public: Path, write_article: WriteArticle
) -> None:
    before = tree_digest(public)
    (site_dir / "topics.yaml").write_text("- slug: x\n")
    for number in range(MIN_PARALLEL):  # enough to be read in worker processes
        write_article(
            f"ok-{number}.md", f"title: T{number}\ndate: 2021-07-01\nsource: Lima Weekly\n"
        )
    write_article("zz.md", "title: Z\ndate: 2021-07-01\nsource: Nobody\ntopics: [x, y]\n")
    with pytest.raises(DigestError) as raised:
        build(site_dir, TEMPLATES, public, cache=site_dir.parent / "cache")
    assert [str(p).replace(f"{site_dir}/", "") for p in raised.value.problems] == [
        "articles/zz.md:4: unknown source `Nobody`\n"
        "  hint: declare it in sources.yaml (declared there: Daily Andes, Lima Weekly)",
        "topics.yaml:1: an entry is missing `name`\n"
        "  hint: add `name:` as the site should write it",
    ]
    assert tree_digest(public) == before


def test_a_build_reports_the_templates_syntax_errors_beside_the_articles_problems(
    site_dir: Path, public: Path, tmp_path: Path, write_article: WriteArticle
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "list.html").write_text("ok\n{% if %}\n", encoding="utf-8")
    write_article("zz.md", "title: Z\ndate: 2021-07-01\nsource: Nobody\n")
    before = tree_digest(public)
    with pytest.raises(DigestError) as raised:
        build(site_dir, templates, public, cache=tmp_path / "cache")
    assert [str(p).replace(f"{tmp_path}/", "") for p in raised.value.problems] == [
        "content/articles/zz.md:4: unknown source `Nobody`\n"
        "  hint: declare it in sources.yaml (declared there: Daily Andes, Lima Weekly)",
        "templates/list.html:2: Expected an expression, got 'end of statement block'",
    ]
    assert tree_digest(public) == before


def test_a_template_error_names_the_template_line_and_keeps_the_old_site(
    site_dir: Path, public: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    for path in TEMPLATES.iterdir():
        if path.is_file():
            (templates / path.name).write_bytes(path.read_bytes())
    (templates / "404.html").write_text("{{ no_such_thing }}\n", encoding="utf-8")
    before = tree_digest(public)
    with pytest.raises(DigestError) as raised:
        build(site_dir, templates, public)
    assert [str(p) for p in raised.value.problems] == [
        f"{templates}/404.html:1: cannot render 404.html: 'no_such_thing' is undefined"
    ]
    assert tree_digest(public) == before


def test_every_template_s_mistake_is_told_once_in_one_run_with_how_many_pages_it_failed(
    site_dir: Path, public: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "404.html").write_text("{{ no_such_thing }}\n", encoding="utf-8")
    (templates / "terms.html").write_text("ok\n{{ 1 // 0 }}\n", encoding="utf-8")
    before = tree_digest(public)
    with pytest.raises(DigestError) as raised:
        build(site_dir, templates, public)
    assert [str(p).replace(f"{templates}/", "") for p in raised.value.problems] == [
        "404.html:1: cannot render 404.html: 'no_such_thing' is undefined",
        "terms.html:2: cannot render authors/index.html and 2 other pages: "
        "ZeroDivisionError: integer division or modulo by zero",
    ]
    assert tree_digest(public) == before


def test_an_article_updated_after_now_is_a_problem_unless_building_the_future(
    site_dir: Path, public: Path, tmp_path: Path
) -> None:
    """`updated: 2099-01-01` (for 2021) would date every feed it is in 2099, for good."""
    article = site_dir / "articles" / "2021" / "2021-07-28-inauguration.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("date: 2021-07-28\n", "date: 2021-07-28\nupdated: 2099-01-01\n"),
        encoding="utf-8",
    )
    before = tree_digest(public)
    now = datetime(2021, 9, 1, 12, tzinfo=UTC)
    with pytest.raises(DigestError) as raised:
        build(site_dir, TEMPLATES, public, search=False, now=now)
    assert [str(p) for p in raised.value.problems] == [
        f"{article.as_posix()}:4: `updated` is later than now (2021-09-01T12:00:00+00:00): "
        "2099-01-01T00:00:00-05:00\n"
        "  hint: `updated` is when the summary last changed: write that date, or delete the "
        "line (--future builds it as it is)"
    ]
    assert tree_digest(public) == before
    build(site_dir, TEMPLATES, tmp_path / "future", search=False, now=now, future=True)


def test_an_article_updated_after_now_is_reported_with_the_other_files_problems(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_article(
        "later.md", "title: L\ndate: 2021-07-01\nupdated: 2099-01-01\nsource: Lima Weekly"
    )
    write_article("bad.md", "title: B\ndate: 2021-8-1\nsource: Lima Weekly")
    write_article(
        "draft.md",
        "title: D\ndate: 2021-07-01\nupdated: 2099-01-01\nsource: Lima Weekly\ndraft: true",
    )
    now = datetime(2021, 9, 1, 12, tzinfo=UTC)
    with pytest.raises(DigestError) as raised:
        build(site_dir, TEMPLATES, tmp_path / "out", search=False, now=now)
    assert [(Path(p.path).name, p.line, p.message[:30]) for p in raised.value.problems] == [
        ("bad.md", 3, "`date` is not a valid date: '2"),
        ("later.md", 4, "`updated` is later than now (2"),
    ]  # a draft is not published: its `updated` is no feed's date yet


def test_an_article_updated_after_now_is_named_at_its_front_matter_line_not_the_summary_s(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_article(
        "later.md",
        'title: L\ndate: 2021-07-01\nsource: Lima Weekly\n"updated" : 2099-01-01',
        body="updated: the minister resigned.",
    )
    with pytest.raises(DigestError) as raised:
        build(
            site_dir,
            TEMPLATES,
            tmp_path / "out",
            search=False,
            now=datetime(2021, 9, 1, tzinfo=UTC),
        )
    assert [(Path(p.path).name, p.line) for p in raised.value.problems] == [("later.md", 5)]


@pytest.mark.parametrize("name", ["topics", "2021", "pagefind"])
def test_a_static_file_named_as_a_folder_of_the_site_is_a_problem_however_built(
    site_dir: Path, tmp_path: Path, name: str
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(site_dir, templates, out, cache=cache, search=False)
    (templates / "static" / name).write_text("x", encoding="utf-8")
    every = [{}, {"clean": True}, {"search": True}]
    for options in every[2:] if name == "pagefind" else every:  # without search, a file is fine
        with pytest.raises(DigestError) as raised:
            build(site_dir, templates, out, cache=cache, **{"search": False, **options})  # type: ignore[arg-type]
        messages = [p.message for p in raised.value.problems]
        assert len(messages) == 1
        assert messages[0].startswith(("files are written in the folder", "the search index"))
    with pytest.raises(DigestError):
        build(site_dir, templates, tmp_path / "fresh", cache=tmp_path / "other", search=True)


def test_a_static_file_may_take_the_name_of_a_folder_the_last_build_wrote(
    site_dir: Path, tmp_path: Path
) -> None:
    """The search index's folder, left by a build with search, or a deleted article's."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(site_dir, templates, out, cache=cache, search=True)
    (templates / "static" / "pagefind").write_text("x", encoding="utf-8")
    build(site_dir, templates, out, cache=cache, search=False)
    (site_dir / "articles" / "2021" / "2021-07-28-inauguration.md").unlink()
    (templates / "static" / "2021" / "07").mkdir(parents=True)
    (templates / "static" / "2021" / "07" / "inauguration-a-new-era").write_text("x", "utf-8")
    build(site_dir, templates, out, cache=cache, search=False)
    clean = tmp_path / "clean"
    build(site_dir, templates, clean, search=False)
    assert tree_digest(out) == tree_digest(clean)


def test_the_base_url_can_be_overridden(site_dir: Path, tmp_path: Path) -> None:
    build(site_dir, TEMPLATES, tmp_path / "out", base_url="https://mirror.test/peru")
    feed = feedparser.parse((tmp_path / "out" / "feed.xml").read_text(encoding="utf-8"))
    assert feed.entries[0].link == "https://mirror.test/peru/2021/07/inauguration-a-new-era/"


def test_a_title_or_an_outlet_without_letters_still_gets_a_page_of_its_own(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    sources = site_dir / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + "- name: '!!!'\n", "utf-8")
    write_article(
        "fire.md",
        'title: "🔥🔥🔥"\ndate: 2021-06-10\nsource: "!!!"\nurl: https://x.test/f\n'
        "topics: [election]",
        "Hot.",
    )
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    out = tmp_path / "out"
    fire = [p for p in (out / "2021" / "06").iterdir() if p.name.startswith("article-")]
    assert len(fire) == 1
    assert "<h1>🔥🔥🔥</h1>" in (fire[0] / "index.html").read_text("utf-8")
    outlet = [p for p in (out / "sources").iterdir() if p.name.startswith("source-")]
    assert len(outlet) == 1
    assert "<h1>!!!</h1>" in (outlet[0] / "index.html").read_text("utf-8")
    assert "Hot." in read(out, "2021/06/index.html")  # the month page was not written over


def test_a_script_that_builds_without_a_main_guard_stops_with_a_message(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    for number in range(MIN_PARALLEL):  # enough files to be read in worker processes
        (content / "articles" / f"n{number}.md").write_text(
            f"---\ntitle: New {number}\ndate: 2021-05-05\nsource: Daily Andes\n"
            f"url: https://andes.test/n{number}\ntopics: [election]\n---\nNew.\n",
            encoding="utf-8",
        )
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from pathlib import Path\nfrom peru_digest.build import build\n"
        f"build(Path({str(content)!r}), Path({str(TEMPLATES)!r}), Path({str(tmp_path / 'out')!r}),"
        f" cache=Path({str(tmp_path / 'cache')!r}), search=False)\n",  # a cache: builds take turns
        encoding="utf-8",
    )
    ran = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert ran.returncode != 0
    assert (
        "build() was called while a worker process was importing the script that calls it; "
        'call build() under `if __name__ == "__main__":`'
    ) in ran.stderr


def test_builds_that_overlap_in_two_threads_leave_the_cycle_collector_as_it_was() -> None:
    before = gc.get_threshold()
    first, second = collected_seldom(), collected_seldom()
    first.__enter__()
    second.__enter__()  # another thread's build starts
    assert gc.get_threshold() == BUILD_GC_THRESHOLDS
    first.__exit__(None, None, None)  # the first one ends first
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before
