"""The search index by sections: merged, it is what one Pagefind run writes; a rebuild indexes
only the sections that changed and gives the bytes of a clean build."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from peru_digest import pagefind_merge, search
from peru_digest.build import BuildResult, build
from peru_digest.cache import Cache, digest_of
from peru_digest.errors import DigestError
from peru_digest.pagefind_format import Cbor, decode, unpack
from peru_digest.pagefind_service import PagefindService
from peru_digest.search import search_html

from .conftest import FIXTURES, SEED_SITE, TEMPLATES

NOW = datetime(2026, 1, 1, tzinfo=UTC)
INDEX_FILES = (".pf_meta", ".pf_index", ".pf_fragment")  # gzip: compared by their payloads
PUBLISHED = re.compile(r'<meta property="article:published_time" content="([^"]+)">')
LANG = re.compile(r'<html lang="([^"]+)">')
IMAGE = "\n\n![A ballot box](https://images.example/ballot.png) Polls opened at dawn.\n"
ACCENTED = "\n\nLa elección en Perú; the election in Peru: Perú, Peru, perú.\n"


@dataclass(frozen=True)
class Project:
    content: Path
    output: Path
    cache: Path
    scratch: Path

    def build(self, **options: Any) -> BuildResult:
        return build(self.content, TEMPLATES, self.output, cache=self.cache, now=NOW, **options)

    def clean_index(self, **options: Any) -> dict[str, bytes]:
        """The search index a build from nothing makes of the content as it is now."""
        fresh = self.scratch / f"clean-{len(list(self.scratch.iterdir()))}"
        build(self.content, TEMPLATES, fresh / "public", cache=fresh / "cache", now=NOW, **options)
        return tree(fresh / "public" / "pagefind")

    def articles(self, year: str) -> list[Path]:
        return sorted((self.content / "articles" / year).glob("*.md"))


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Project:
    shutil.copytree(FIXTURES / "corpus", tmp_path / "content")
    (tmp_path / "scratch").mkdir()
    return Project(
        tmp_path / "content", tmp_path / "public", tmp_path / "cache", tmp_path / "scratch"
    )


@pytest.fixture
def sections_of(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Set the most pages a section holds (the fixture corpus has at most 6 a month)."""
    return lambda pages: monkeypatch.setattr(search, "SECTION_PAGES", pages)


@pytest.fixture
def report(monkeypatch: pytest.MonkeyPatch) -> Callable[[], search.IndexingReport]:
    """What the Pagefind processes of the last search index built did."""
    made: list[search.Indexing] = []

    class Watched(search.Indexing):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(search, "Indexing", Watched)
    return lambda: made[-1].report


def month_of(article: Path) -> str:
    """The month folder an article's page goes in, as a section name starts: ``2021-03``."""
    date = re.search(r"^date: (\d{4})-(\d\d)", article.read_text("utf-8"), re.M)
    assert date is not None
    return f"{date[1]}-{date[2]}"


def append_to_summary(article: Path, text: str) -> None:
    article.write_text(article.read_text("utf-8").rstrip("\n") + text, encoding="utf-8")


# One Pagefind run over the whole site, for reference -----------------------------------------


def article_pages(site: Path) -> list[tuple[str, str]]:
    """(file, HTML) of every article page, in the index's order: month folder, publication
    time, path."""
    pages = []
    for path in site.glob("*/*/*/index.html"):
        html = path.read_text("utf-8")
        published = PUBLISHED.search(html)
        assert published is not None
        file = path.relative_to(site).as_posix()
        pages.append((file[:7], datetime.fromisoformat(published[1]), file, html))
    return [(file, html) for _, _, file, html in sorted(pages)]


def one_pagefind_run(site: Path) -> dict[str, bytes]:
    """The bundle Pagefind writes for all the article pages, whole, in the index's order."""
    pages = article_pages(site)
    language = LANG.search(pages[0][1])
    assert language is not None
    executable = search.pagefind_executable()
    assert executable is not None
    with PagefindService(executable) as service:
        index = service.new_index({"force_language": language[1].lower()})
        service.add_files(index, pages)
        return service.get_files(index)


def payloads(bundle: dict[str, bytes]) -> dict[str, bytes]:
    """Each file's bytes, an index file's uncompressed (our zlib need not be Pagefind's)."""
    return {p: unpack(b) if p.endswith(INDEX_FILES) else b for p, b in bundle.items()}


def searchable(bundle: Path) -> dict[str, Any]:
    """What a search can find in a bundle, whatever the order of its pages: each page's
    fragment, and for each word (and spelling) where it occurs on which page."""
    entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
    ((language, info),) = entry["languages"].items()
    meta = decoded(bundle / f"pagefind.{info['hash']}.pf_meta")
    assert isinstance(meta, list)
    _, pages, chunks, filters, sorts, fields = meta
    urls, fragments = [], {}
    for name, count in listed(pages):
        fragment = json.loads(unpack((bundle / "fragment" / f"{name}.pf_fragment").read_bytes()))
        urls.append(fragment["url"])
        fragments[fragment["url"]] = (count, fragment)
    words: dict[str, Any] = {}
    for _, _, name in listed(chunks):
        (found,) = listed(decoded(bundle / "index" / f"{name}.pf_index"))
        for word, postings, variants in listed(found):
            spellings = {form: where(urls, places) for form, places in listed(variants)}
            words[str(word)] = (where(urls, postings), spellings)
    return dict(language=language, fields=fields, filters=filters, sorts=sorts,
                fragments=fragments, words=words)  # fmt: skip


def decoded(path: Path) -> Cbor:
    value, _ = decode(unpack(path.read_bytes()))
    return value


def listed(value: Cbor) -> list[Any]:
    assert isinstance(value, list)
    return value


def where(urls: list[str], postings: Cbor) -> dict[str, tuple[tuple[int, ...], ...]]:
    page = 0
    found: dict[str, tuple[tuple[int, ...], ...]] = {}
    for delta, locations, meta_locations in listed(postings):
        page += delta
        found[urls[page]] = (tuple(locations), tuple(meta_locations))
    return found


# The merge --------------------------------------------------------------------------------


def spanish_with_an_image(content: Path) -> None:
    """The corpus in Spanish (another stemmer, a language tag with a region), with accented
    spellings of a word in several sections and an image in one (a meta field only its pages
    have)."""
    settings = content / "site.yaml"
    settings.write_text(settings.read_text("utf-8").replace("language: en", "language: es-PE"))
    articles = sorted((content / "articles").rglob("*.md"))
    for article in articles[::15]:
        append_to_summary(article, ACCENTED)
    append_to_summary(articles[40], IMAGE)


SITES: dict[str, tuple[Path, Callable[[Path], None] | None, int]] = {
    "the corpus, 2 pages a section": (FIXTURES / "corpus", None, 2),
    "the seed site's real text, 3 pages a section": (SEED_SITE, None, 3),
    "Spanish, accents, an image": (FIXTURES / "corpus", spanish_with_an_image, 4),
}


@pytest.mark.parametrize(("source", "change", "pages"), SITES.values(), ids=SITES.keys())
def test_the_merged_index_is_what_one_pagefind_run_over_the_same_pages_writes(  # noqa: PLR0917
    tmp_path: Path,
    sections_of: Callable[[int], None],
    report: Callable[[], search.IndexingReport],
    source: Path,
    change: Callable[[Path], None] | None,
    pages: int,
) -> None:
    # Pagefind names every file after a hash of its payload: a format our merge does not
    # reproduce exactly gives other names, or other payloads, and this fails.
    shutil.copytree(source, tmp_path / "content")
    if change is not None:
        change(tmp_path / "content")
    sections_of(pages)
    site = tmp_path / "public"
    build(tmp_path / "content", TEMPLATES, site, cache=tmp_path / "cache", now=NOW)
    assert len(report().indexed) > 1

    merged, reference = tree(site / "pagefind"), one_pagefind_run(site)
    assert sorted(merged) == sorted(reference)
    assert payloads(merged) == payloads(reference)


def test_search_finds_what_pagefind_over_the_whole_site_finds(
    tmp_path: Path, sections_of: Callable[[int], None]
) -> None:
    # Pagefind's own command line, as the site was indexed before sections: the pages come in
    # the order the file system lists them, so only the numbering of the pages may differ.
    sections_of(2)
    site = tmp_path / "public"
    build(FIXTURES / "corpus", TEMPLATES, site, cache=tmp_path / "cache", now=NOW)
    executable = search.pagefind_executable()
    assert executable is not None
    whole = tmp_path / "whole"
    subprocess.run(
        [executable, "--site", site, "--output-path", whole, "--glob", "*/*/*/index.html",
         "--silent"],
        check=True,
    )  # fmt: skip

    ours = searchable(site / "pagefind")
    assert ours == searchable(whole)
    assert len(ours["fragments"]) == 120


# Rebuilds ---------------------------------------------------------------------------------


def edit(project: Project) -> str:
    article = project.articles("2021")[3]
    append_to_summary(article, "\n\nA sentence about quinoa exports.\n")
    return month_of(article)


def add(project: Project) -> str:
    article = project.content / "articles" / "2021" / "new.md"
    article.write_text(
        "---\ntitle: A New Article\ndate: 2021-07-29T12:00:00Z\nsource: Reuters\n"
        "url: https://reuters.test/new\ntopics: [economy]\n---\n\nJust in: quinoa.\n",
        encoding="utf-8",
    )
    return month_of(article)


def delete(project: Project) -> str:
    article = project.articles("2020")[2]
    month = month_of(article)
    article.unlink()
    return month


CHANGES = {"an article edited": edit, "an article added": add, "an article deleted": delete}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_rebuild_indexes_only_the_section_that_changed_and_equals_a_clean_build(
    project: Project, change: Callable[[Project], str], report: Callable[[], search.IndexingReport]
) -> None:
    project.build()
    assert len(report().indexed) == report().sections > 40

    month = change(project)
    project.build()
    assert report().indexed == [f"{month}-0"]
    assert report().processes == 1
    assert tree(project.output / "pagefind") == project.clean_index()


def test_a_change_pagefind_does_not_read_indexes_nothing_and_writes_no_search_file(
    project: Project, report: Callable[[], search.IndexingReport]
) -> None:
    # A new footer changes every page, but not what Pagefind reads of one.
    templates = project.scratch / "templates"
    shutil.copytree(TEMPLATES, templates)
    project.build()
    base = templates / "base.html"
    base.write_text(base.read_text("utf-8").replace("Subscribe to a feed", "Follow us"), "utf-8")
    before = inodes(project.output / "pagefind")

    build(project.content, templates, project.output, cache=project.cache, now=NOW)
    assert report().indexed == []
    assert inodes(project.output / "pagefind") == before


def inodes(folder: Path) -> dict[str, int]:
    """Each file's inode: a file written again gets a new one."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    return {path.relative_to(folder).as_posix(): path.stat().st_ino for path in files}


def test_a_rebuild_reads_for_search_only_the_pages_whose_bytes_changed(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.build()
    read: list[str] = []
    reading = search.Indexing.read

    def counted(self: search.Indexing, page: str) -> bytes:
        read.append(page)
        return reading(self, page)

    monkeypatch.setattr(search.Indexing, "read", counted)
    edit(project)
    project.build()
    # The edited article's page, and those of articles that list it as related, of 120.
    assert 1 <= len(read) <= 5, read


def test_the_memo_keeps_each_page_s_search_digest_by_its_digest(tmp_path: Path) -> None:
    page, searched = digest_of(b"<p>a page</p>"), digest_of(b"what Pagefind reads")
    with Cache.open(tmp_path, tmp_path, clean=True, notices=[]) as store:
        memo = search.Memo(store)
        assert memo.get(page) is None
        memo.note(page, searched)
        memo.note("", searched)  # a record made by hand, not a digest: not kept
        memo.save()
        again = search.Memo(store)
    assert again.get(page) == searched
    assert again.rows == bytes.fromhex(page + searched)


def test_a_clean_build_indexes_every_section_again(
    project: Project, report: Callable[[], search.IndexingReport]
) -> None:
    project.build()
    project.build(clean=True)
    assert len(report().indexed) == report().sections


def test_a_damaged_pack_is_made_again_with_a_warning(
    project: Project, report: Callable[[], search.IndexingReport]
) -> None:
    project.build()
    edit(project)
    for words in (project.cache / search.PACKS).glob("*.words"):
        words.write_bytes(words.read_bytes()[:10])

    result = project.build()
    (warning,) = result.warnings
    assert warning.message.startswith("the search index's cache could not be read (pack ")
    assert warning.message.endswith("); it was rebuilt")
    assert len(report().indexed) == report().sections
    assert tree(project.output / "pagefind") == project.clean_index()


# Determinism and memory -------------------------------------------------------------------


def test_the_same_content_gives_the_same_bytes_whatever_the_sections_and_processes(
    project: Project, sections_of: Callable[[int], None]
) -> None:
    indexes = []
    for pages, workers in [(1000, 1), (2, 2), (5, 1), (3, 2)]:
        sections_of(pages)
        indexes.append(project.clean_index(workers=workers))
    assert all(index == indexes[0] for index in indexes[1:])


def test_a_pack_keeps_its_words_in_batches_of_a_few_kilobytes_and_merges_the_same(
    project: Project, sections_of: Callable[[int], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A merge holds one batch per section at once: batches of common words' long lists of
    # pages made it grow with the site.
    sections_of(5)
    index = project.clean_index()
    monkeypatch.setattr(pagefind_merge, "BATCH_BYTES", 40)
    project.build()
    assert tree(project.output / "pagefind") == index
    batches = [batch for words in project.cache.rglob("*.words") for batch in unpickled(words)]
    assert len(batches) > 20
    for batch in batches:  # the record that reaches the bound ends its batch
        assert sum(pagefind_merge.pages_size(record) for record in batch[:-1]) < 40


def unpickled(path: Path) -> Iterator[Any]:
    with path.open("rb") as stream:
        while True:
            try:
                yield pickle.load(stream)
            except EOFError:
                return


@pytest.mark.parametrize("pages", [2, 5])
def test_no_pagefind_process_is_given_more_than_a_section_s_worth_of_pages(
    project: Project,
    sections_of: Callable[[int], None],
    report: Callable[[], search.IndexingReport],
    pages: int,
) -> None:
    # Pagefind's memory grows with the pages it is given: capped here, it stays bounded.
    sections_of(pages)
    project.build()
    made = report()
    assert 0 < made.most_pages <= pages
    assert made.processes >= 120 // pages


# A deleted article, no article, no Pagefind ---------------------------------------------------


def test_a_deleted_article_cannot_be_found_any_more(project: Project) -> None:
    victim = project.articles("2020")[2]
    append_to_summary(victim, "\n\nZanzibarian quokkas.\n")
    slug = re.search(r"^slug: (\S+)", victim.read_text("utf-8"), re.M)
    assert slug is not None
    project.build()
    found = searchable(project.output / "pagefind")
    url = next(url for url in found["fragments"] if slug[1] in url)
    assert url in found["words"]["quokka"][0]

    victim.unlink()
    project.build()
    found = searchable(project.output / "pagefind")
    assert "quokka" not in found["words"]
    assert url not in found["fragments"]
    assert not any(url in where for where, _ in found["words"].values())


def test_a_site_without_articles_gets_an_empty_index(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "corpus", content)
    shutil.rmtree(content / "articles")
    (content / "articles").mkdir()
    build(content, TEMPLATES, tmp_path / "public", now=NOW)
    entry = json.loads((tmp_path / "public" / "pagefind" / "pagefind-entry.json").read_bytes())
    assert entry["languages"] == {}


def test_pagefind_stopping_is_a_problem_not_a_crash(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path("/bin/false"))
    with pytest.raises(DigestError) as raised:
        project.build()
    (problem,) = raised.value.problems
    assert problem.message.startswith("Pagefind failed: Pagefind stopped")
    assert not project.output.exists()


# What Pagefind is given of a page -----------------------------------------------------------

HEAD = '<!DOCTYPE html>\n<html lang="es">\n<head>\n<title>Una página · Sitio</title>\n</head>\n'
BODY = (
    '<article class="article" data-pagefind-body>\n<h1>Una página</h1>\n'
    '<p><abbr title="</article> > <p>">ONPE</abbr> y <em>JNE</em></p>\n'
    '<div data-pagefind-ignore><a href="../">Tema</a></div>\n</article>'
)


def page(before: str = "", after: str = "") -> str:
    return (
        f"{HEAD}<body>\n<header>{before}</header>\n<main>{BODY}\n{after}</main>\n</body>\n</html>\n"
    )


def given(html: str) -> str:
    """What Pagefind is given of a page."""
    return search_html(html.encode()).decode()


def test_pagefind_is_given_the_language_title_and_body_of_a_page() -> None:
    assert given(page(after='<aside><h2>Related</h2><a href="x">Other</a></aside>')) == (
        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">'
        f"<title>Una página · Sitio</title></head><body>{BODY}</body></html>"
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", '<p data-pagefind-meta="image:x.png">'),  # meta read anywhere on a page
        ('<span DATA-PAGEFIND-FILTER="author">A</span>', ""),  # any case
        ("<h1>Site name</h1>", ""),  # the first <h1> is the result's title
        ("", "<H1>Another title</H1>"),
        ("", '<img src="photo.jpg" alt="A photo">'),  # the first image after a title
        ("", "<div data-pagefind-body>Second body</div>"),
    ],
)
def test_a_page_with_more_that_pagefind_reads_is_given_whole(before: str, after: str) -> None:
    whole = page(before, after)
    assert given(whole) == whole


def test_the_body_ends_at_its_own_end_tag_not_at_a_nested_one() -> None:
    nested = page().replace("<p><abbr", "<ARTICLE><p>Inner</p></Article><br/><p><abbr")
    assert "<p>Inner</p></Article><br/><p><abbr" in given(nested)
    assert given(nested).endswith("</article></body></html>")


def test_a_page_whose_body_does_not_end_is_given_whole() -> None:
    broken = page().replace("\n</article>", "")
    assert given(broken) == broken
