"""Subscriber safety: each build compares its feeds with the ones it replaces, and warns of
what feed readers would make of the change, naming the article and what to do."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from peru_digest import build as build_module
from peru_digest import subscribers
from peru_digest.build import BuildResult, build
from peru_digest.cli import main
from peru_digest.errors import DigestError
from peru_digest.subscribers import (
    Item,
    Published,
    compare,
    feed_change,
    published_file,
    read_feed,
)
from peru_digest.urls import Format

from .conftest import TEMPLATES, WriteArticle

Capture = pytest.CaptureFixture[str]
INAUGURATION = "articles/2021/2021-07-28-inauguration.md"
RUNOFF = "articles/2021/2021-06-06-runoff-day.md"
COUNT = "articles/2021/2021-06-06-count-begins.md"
INAUGURATION_ID = "urn:uuid:00000000-0000-4000-8000-000000000001"
RUNOFF_ID = "urn:uuid:246d792d-fb53-5443-bb0e-cfc49505d571"  # derived from its url
COUNT_ID = "urn:uuid:4655af09-04ad-5f84-b992-81eb09f5e7dc"
FEED_FILES: dict[Format, str] = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}


def build_site(content: Path, **options: object) -> BuildResult:
    """Build into ``public`` beside ``content``, as an editor's ``build`` does."""
    output = Path(os.path.relpath(content.parent / "public"))
    return build(content, TEMPLATES, output, search=False, **options)  # type: ignore[arg-type]


def feed_warnings(result: BuildResult) -> list[str]:
    """The warnings about feeds, as printed."""
    return [str(w) for w in result.warnings if "no topic" not in w.message]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def located(content: Path, relative: str) -> str:
    return (content / relative).as_posix()


@pytest.fixture(autouse=True)
def beside_the_content(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds run from the folder that holds ``content`` and ``public``, as an editor's do:
    messages name ``public/…``."""
    monkeypatch.chdir(site_dir.parent)


@pytest.fixture
def built(site_dir: Path) -> Path:
    """The fixture site, published once into ``public``; the content folder is returned."""
    assert feed_warnings(build_site(site_dir)) == []
    return site_dir


# Reading feeds as readers do -----------------------------------------------------------------


@pytest.mark.parametrize("kind", FEED_FILES)
def test_each_format_is_read_by_its_address_and_the_ids_links_titles_and_dates_readers_see(
    built: Path, kind: Format
) -> None:
    data = (built.parent / "public" / FEED_FILES[kind]).read_bytes()
    feed = read_feed(data, kind)
    assert feed is not None
    assert feed.url == f"https://digest.test/{FEED_FILES[kind]}"
    assert feed.items == [
        Item(
            INAUGURATION_ID,
            "https://digest.test/2021/07/inauguration-a-new-era/",
            "Inauguration: ‘A New Era’",
            datetime(2021, 7, 28, 5, tzinfo=UTC),
        ),
        Item(
            COUNT_ID,
            "https://digest.test/2021/06/the-count-begins/",
            "The Count Begins",
            datetime(2021, 6, 7, 3, 30, tzinfo=UTC),
        ),
        Item(
            RUNOFF_ID,
            "https://digest.test/2021/06/runoff-day/",
            "Runoff Day",
            datetime(2021, 6, 6, 5, tzinfo=UTC),
        ),
    ]


@pytest.mark.parametrize("kind", FEED_FILES)
@pytest.mark.parametrize(
    "data", [b"<html><body>Moved</body></html>", b'{"title": "no items"}', b"\xff\xfe", b""]
)
def test_what_is_not_a_feed_of_its_format_is_not_read(kind: Format, data: bytes) -> None:
    assert read_feed(data, kind) is None


@pytest.mark.parametrize("kind", FEED_FILES)
def test_an_id_changed_at_the_same_link_is_seen_in_every_format(
    built: Path, tmp_path: Path, kind: Format
) -> None:
    edit(built / INAUGURATION, INAUGURATION_ID, "urn:uuid:00000000-0000-4000-8000-000000000002")
    build(built, TEMPLATES, tmp_path / "next", search=False)
    path = FEED_FILES[kind]
    new = (tmp_path / "next" / path).read_bytes()
    change = feed_change(tmp_path / "public", path, kind, new, window=3)
    assert change is not None
    assert [(old.id, new_id) for old, new_id in change.reids] == [
        (INAUGURATION_ID, "urn:uuid:00000000-0000-4000-8000-000000000002")
    ]
    assert (change.vanished, change.added) == (
        (),
        ("urn:uuid:00000000-0000-4000-8000-000000000002",),
    )


def test_a_feed_equal_to_the_published_one_or_with_none_published_is_not_compared(
    built: Path,
) -> None:
    public = built.parent / "public"
    data = (public / "feed.xml").read_bytes()
    assert feed_change(public, "feed.xml", "rss", data, window=3) is None
    assert feed_change(public, "topics/new/feed.xml", "rss", data, window=3) is None


def test_only_a_regular_file_of_a_feed_s_size_is_read_as_the_published_feed(
    tmp_path: Path,
) -> None:
    (tmp_path / "feed.xml").write_bytes(b"<rss/>")
    os.mkfifo(tmp_path / "pipe.xml")  # read whole, it would never end
    (tmp_path / "zero.xml").symlink_to("/dev/zero")  # nor would this
    (tmp_path / "large.xml").write_bytes(b"x" * 11)
    assert published_file(tmp_path / "feed.xml") == b"<rss/>"
    assert published_file(tmp_path / "pipe.xml") is None
    assert published_file(tmp_path / "zero.xml") is None
    assert published_file(tmp_path / "large.xml", limit=10) is None
    assert published_file(tmp_path / "gone.xml") is None


def test_a_feed_at_another_address_is_not_compared(built: Path) -> None:
    (built / COUNT).unlink()
    edit(built / "site.yaml", "https://digest.test/", "https://digest.example/")
    assert feed_warnings(build_site(built)) == []


def test_check_of_one_site_is_not_compared_with_another_site_published(
    built: Path, tmp_path: Path, capsys: Capture
) -> None:
    other = tmp_path / "other"
    shutil.copytree(built, other)
    edit(other / "site.yaml", "https://digest.test/", "https://other.test/")
    (other / COUNT).unlink()
    public = ["--output", str(tmp_path / "public")]
    status, _, err = run(capsys, "check", *site_args(other), *public)
    assert status == 0
    assert "gone" not in err


# Pushed out or taken out ---------------------------------------------------------------------


def item(number: int, day: int) -> Item:
    return Item(f"id-{number}", f"https://s.test/{number}/", f"Article {number}", moment(day))


def moment(day: int) -> datetime:
    return datetime(2021, 6, day, tzinfo=UTC)


def test_an_item_pushed_out_of_a_full_feed_by_newer_ones_is_no_loss() -> None:
    old = [item(3, 3), item(2, 2), item(1, 1)]
    new = [item(4, 4), item(3, 3), item(2, 2)]
    assert compare("feed.xml", old, new, window=3).vanished == ()


def test_an_item_gone_from_a_feed_that_is_not_full_vanished() -> None:
    old = [item(3, 3), item(2, 2), item(1, 1)]
    assert compare("feed.xml", old, [item(3, 3), item(2, 2)], window=3).vanished == (item(1, 1),)


def test_an_item_gone_from_a_full_feed_that_is_newer_than_its_oldest_vanished() -> None:
    old = [item(3, 3), item(2, 2), item(1, 1)]
    new = [item(4, 4), item(3, 3), item(1, 1)]
    assert compare("feed.xml", old, new, window=3).vanished == (item(2, 2),)


def test_an_item_gone_on_the_day_of_a_full_feeds_oldest_item_vanished() -> None:
    old = [item(3, 3), item(2, 2), item(1, 2)]
    new = [item(4, 4), item(3, 3), item(2, 2)]
    assert compare("feed.xml", old, new, window=3).vanished == (item(1, 2),)


def test_the_ids_new_to_a_feed_are_counted_in_its_order() -> None:
    old = [item(3, 3), item(2, 2)]
    new = [item(5, 5), item(4, 4), item(3, 3)]
    assert compare("feed.xml", old, new, window=3).added == ("id-5", "id-4")


# The warnings, naming the article ------------------------------------------------------------


def test_a_first_build_warns_nothing_about_feeds(site_dir: Path) -> None:
    assert feed_warnings(build_site(site_dir)) == []


def test_an_edit_that_keeps_every_id_warns_nothing(built: Path) -> None:
    edit(built / RUNOFF, "title: Runoff Day", "title: Runoff Day in Peru")
    edit(built / COUNT, "The count began", "The count of votes began")
    assert feed_warnings(build_site(built)) == []


def test_an_id_changed_in_the_front_matter_names_the_article_at_its_id_line(
    built: Path,
) -> None:
    new_id = "urn:uuid:00000000-0000-4000-8000-000000000002"
    edit(built / INAUGURATION, INAUGURATION_ID, new_id)
    assert feed_warnings(build_site(built)) == [
        f"{located(built, INAUGURATION)}:8: its feed id changed from `{INAUGURATION_ID}` to "
        f"`{new_id}` while its link stayed: subscribers of 5 feeds get it again as a new item\n"
        f"  hint: change `id:` back to `{INAUGURATION_ID}`: an id is set once, never changed"
    ]


def test_a_corrected_url_that_changes_a_derived_id_asks_for_the_old_id(built: Path) -> None:
    edit(built / RUNOFF, "url: https://andes.test/runoff", "url: https://andes.test/runoff-day")
    [warning] = feed_warnings(build_site(built))
    assert warning.startswith(
        f"{located(built, RUNOFF)}:2: its feed id changed from `{RUNOFF_ID}` to `urn:uuid:"
    )
    assert warning.endswith(
        "` while its link stayed: subscribers of 9 feeds get it again as a new item\n"
        f"  hint: add `id: {RUNOFF_ID}` to its front matter: the id it was published with"
    )


def test_an_article_moved_to_a_new_address_and_id_is_found_by_its_title(built: Path) -> None:
    edit(built / RUNOFF, "url: https://andes.test/runoff", "url: https://andes.test/r\nslug: r")
    [warning] = feed_warnings(build_site(built))
    assert f"{located(built, RUNOFF)}:2: its feed id changed from `{RUNOFF_ID}` to " in warning
    assert "` along with its address: subscribers of 9 feeds get it again as a new item" in warning


def test_a_deleted_article_is_named_by_its_title_and_id(built: Path) -> None:
    (built / COUNT).unlink()
    assert feed_warnings(build_site(built)) == [
        f"public/atom.xml: “The Count Begins” ({COUNT_ID}) is gone while among the newest "
        "items of 7 feeds: its article was deleted, or its id and title both changed; "
        "subscribers who have it find its page gone\n"
        f"  hint: if its article moved, write `id: {COUNT_ID}` into its front matter; "
        "if it was deleted on purpose, nothing more is needed"
    ]


def test_an_article_made_a_draft_is_named_at_its_draft_line(built: Path) -> None:
    edit(built / COUNT, "topics: [election]", "topics: [election]\ndraft: true")
    assert feed_warnings(build_site(built)) == [
        f"{located(built, COUNT)}:8: left out as a draft while among the newest items of 7 "
        "feeds: subscribers who have it find its page gone\n"
        "  hint: remove `draft: true` unless it is meant to leave the site (preview drafts with "
        "--drafts in another --output)"
    ]


def test_an_article_moved_into_the_future_is_named_at_its_date_line(built: Path) -> None:
    edit(built / COUNT, "date: 2021-06-06T22:30:00-05:00", "date: 2031-06-06")
    result = build_site(built, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert feed_warnings(result) == [
        f"{located(built, COUNT)}:3: left out as dated in the future (2031-06-06) while among "
        "the newest items of 7 feeds: subscribers who have it find its page gone\n"
        "  hint: correct `date:` unless it is meant to leave the site until then (preview with "
        "--future in another --output)"
    ]


def test_newer_articles_pushing_older_ones_out_warn_nothing(
    built: Path, write_article: WriteArticle
) -> None:
    write_article(
        "2021/new.md",
        "title: New\ndate: 2021-07-01\nsource: Lima Weekly\nurl: https://l.test/n\n"
        "topics: [election]",
    )
    assert feed_warnings(build_site(built)) == []


def test_an_article_filed_under_another_topic_warns_nothing(built: Path) -> None:
    edit(built / COUNT, "topics: [election]", "topics: [quiet]")
    assert feed_warnings(build_site(built)) == []


def test_an_edition_gone_with_its_weeks_articles_is_told_as_an_edition(site_dir: Path) -> None:
    now = datetime(2021, 9, 1, tzinfo=UTC)
    build_site(site_dir, now=now)
    (site_dir / INAUGURATION).unlink()
    [edition] = [w for w in feed_warnings(build_site(site_dir, now=now)) if "editions/" in w]
    assert edition == (
        "public/editions/atom.xml: “Edition 2021-W30: 26 July – 1 August 2021” "
        "(urn:uuid:6595a801-77d3-5610-8560-8380745882c3) is gone while among the newest items "
        "of 2 feeds: no article of its week is left (deleted, or dated in another week); "
        "subscribers who have it find its page gone\n"
        "  hint: if that was meant, nothing more is needed"
    )


def new_in_august(
    write_article: WriteArticle, days: tuple[str, ...], source: str, host: str, topic: str
) -> None:
    """An article of ``source`` on each of these days of August 2021, with an id of its own."""
    for day in days:
        write_article(
            f"2021/new-{day}.md",
            f"title: New {day}\ndate: 2021-08-{day}\nsource: {source}\n"
            f"url: https://{host}/{day}\nid: urn:new:{day}\ntopics: [{topic}]",
        )


def test_more_than_half_of_a_full_feed_new_at_once_is_a_flood(
    built: Path, write_article: WriteArticle
) -> None:
    new_in_august(write_article, ("01", "02"), "Lima Weekly", "l.test", "election")
    assert feed_warnings(build_site(built)) == [
        "public/atom.xml: 2 of its 3 items are new at once (the same in 6 other feeds): "
        "subscribers get them all as unread\n"
        f"  hint: new: {located(built, 'articles/2021/new-02.md')}, "
        f"{located(built, 'articles/2021/new-01.md')}; if they are not news (old articles "
        "imported, ids changed), check their dates and ids"
    ]


def test_half_of_a_full_feed_new_at_once_is_no_flood(
    site_dir: Path, write_article: WriteArticle
) -> None:
    edit(site_dir / "site.yaml", "feed_items: 3", "feed_items: 4")
    build_site(site_dir, drafts=True)
    for day in ("01", "02"):
        write_article(
            f"2021/new-{day}.md",
            f"title: New {day}\ndate: 2021-08-{day}\nsource: Lima Weekly\nurl: https://l.test/{day}",
        )
    assert feed_warnings(build_site(site_dir, drafts=True)) == []


# Strict builds, check, and speed -------------------------------------------------------------


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def site_args(content: Path) -> list[str]:
    return ["--content", str(content), "--templates", str(TEMPLATES), "--no-search"]


def build_args(content: Path) -> list[str]:
    output, cache = content.parent / "public", content.parent / "cache"
    return ["build", *site_args(content), "--output", str(output), "--cache", str(cache)]


def without_content_warnings(content: Path) -> None:
    """Give the fixture site's two articles without a topic one."""
    edit(content / INAUGURATION, "topics: []", "topics: [election]")
    edit(
        content / "articles/2021/2021-08-01-draft-note.md",
        "draft: true",
        "draft: true\ntopics: [quiet]",
    )


def published(public: Path) -> dict[str, bytes]:
    return {
        p.relative_to(public).as_posix(): p.read_bytes() for p in public.rglob("*") if p.is_file()
    }


def test_a_strict_build_fails_on_a_feed_warning_and_leaves_the_site_as_it_was(
    site_dir: Path, capsys: Capture
) -> None:
    output = site_dir.parent / "public"
    without_content_warnings(site_dir)
    assert run(capsys, *build_args(site_dir))[0] == 0
    before = published(output)
    (site_dir / COUNT).unlink()
    status, out, err = run(capsys, *build_args(site_dir), "--strict")
    assert (status, out) == (1, "")
    assert err.startswith(f"{output}/atom.xml: “The Count Begins” ({COUNT_ID}) is gone")
    assert err.endswith("1 problem found. Nothing was built; the previous site is as it was.\n")
    assert published(output) == before
    status, _, err = run(capsys, *build_args(site_dir))
    assert status == 0
    assert err.count("warning: ") == 1
    build(site_dir, TEMPLATES, site_dir.parent / "clean", search=False)
    assert published(output) == published(site_dir.parent / "clean")
    status, _, err = run(capsys, *build_args(site_dir), "--strict")  # nothing changed since
    assert (status, err) == (0, "")


def test_a_strict_build_fails_on_a_content_warning_before_drawing_anything(
    site_dir: Path, capsys: Capture
) -> None:
    status, out, err = run(capsys, *build_args(site_dir), "--strict")
    assert (status, out) == (1, "")
    assert err.endswith("2 problems found. Nothing was built; the previous site is as it was.\n")
    assert not (site_dir.parent / "public").exists()


def test_a_strict_build_with_a_problem_says_the_warnings_that_are_problems_too_in_one_run(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("bad.md", "title: Bad\ndate: 2021-8-1\nsource: Reuters\nurl: https://x.test/b")
    with pytest.raises(DigestError) as raised:
        build_site(site_dir, strict=True)
    assert [(Path(p.path).name, p.message) for p in raised.value.problems] == [
        ("2021-07-28-inauguration.md", "no topic"),
        ("2021-08-01-draft-note.md", "no topic"),
        ("bad.md", "`date` is not a valid date: '2021-8-1'"),
        ("bad.md", "unknown source `Reuters`"),
    ]


def test_a_strict_build_with_nothing_changed_still_fails_on_the_content_warnings(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    an_hour_ago = time.time() - 3600  # so that the next build may trust nothing changed
    for path in site_dir.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    cache = site_dir.parent / "cache"
    assert len(build_site(site_dir, cache=cache).warnings) == 2

    def load_site(*_: object) -> None:
        raise AssertionError("nothing changed: nothing is read again")

    monkeypatch.setattr(build_module, "load_site", load_site)
    with pytest.raises(DigestError) as raised:
        build_site(site_dir, cache=cache, strict=True)
    assert [problem.message for problem in raised.value.problems] == ["no topic", "no topic"]


def test_check_compares_the_feeds_with_the_published_site_and_strict_fails_on_it(
    built: Path, capsys: Capture
) -> None:
    public = built.parent / "public"
    before = published(public)
    edit(built / INAUGURATION, INAUGURATION_ID, "urn:uuid:00000000-0000-4000-8000-000000000002")
    check = ["check", *site_args(built), "--output", str(public)]
    status, _, err = run(capsys, *check)
    assert status == 0
    assert f"warning: {located(built, INAUGURATION)}:8: its feed id changed from" in err
    status, _, err = run(capsys, *check, "--strict")
    assert status == 1
    assert err.endswith("3 problems found. The check failed.\n")
    assert published(public) == before


def test_a_rebuild_with_one_article_edited_reads_only_the_feeds_that_changed(
    site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = tmp_path / "public"
    options = {"cache": tmp_path / "cache", "now": datetime(2026, 1, 1, tzinfo=UTC)}
    build_site(site_dir, **options)
    before = published(public)
    read: list[int] = []
    original: Callable[[bytes, Format], Published | None] = subscribers.read_feed

    def counted(data: bytes, kind: Format) -> Published | None:
        read.append(len(data))
        return original(data, kind)

    monkeypatch.setattr(subscribers, "read_feed", counted)
    edit(site_dir / RUNOFF, "*Turnout* was high.", "*Turnout* was very high.")
    build_site(site_dir, **options)
    after = published(public)
    feeds = [path for path in after if path.endswith(("feed.xml", "atom.xml", "feed.json"))]
    changed = [path for path in feeds if after[path] != before[path]]
    assert len(read) == 2 * len(changed) == 22
    assert len(feeds) == 15


def test_one_new_item_is_no_flood_even_in_a_feed_of_one_item(
    site_dir: Path, write_article: WriteArticle
) -> None:
    """With ``feed_items: 1`` each new article, and each week's new edition, is the whole
    feed: that is news as usual, and ``build --strict`` must not refuse it."""
    edit(site_dir / "site.yaml", "feed_items: 3", "feed_items: 1")
    assert feed_warnings(build_site(site_dir)) == []
    write_article(
        "2021/next.md",
        "title: Next\ndate: 2021-08-05\nsource: Lima Weekly\nurl: https://l.test/next\n"
        "topics: [election]",
    )
    assert feed_warnings(build_site(site_dir)) == []


def test_two_new_items_in_a_feed_of_two_are_a_flood(
    site_dir: Path, write_article: WriteArticle
) -> None:
    edit(site_dir / "site.yaml", "feed_items: 3", "feed_items: 2")
    build_site(site_dir)
    new_in_august(write_article, ("04", "05"), "Daily Andes", "andes.test", "quiet")
    assert feed_warnings(build_site(site_dir)) == [
        "public/atom.xml: 2 of its 2 items are new at once (the same in 6 other feeds): "
        "subscribers get them all as unread\n"
        f"  hint: new: {located(site_dir, 'articles/2021/new-05.md')}, "
        f"{located(site_dir, 'articles/2021/new-04.md')}; if they are not news (old articles "
        "imported, ids changed), check their dates and ids"
    ]
