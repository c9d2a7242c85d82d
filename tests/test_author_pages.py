"""Author pages on the fixture site: Ana Quispe wrote two articles, Luis Mamani one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from peru_digest.build import build
from peru_digest.cli import main
from peru_digest.errors import DigestError

from .conftest import TEMPLATES, WriteArticle, read
from .test_editions import main_text

BASE = "https://digest.test/"
LATER = "date: 2021-07-01\nsource: Daily Andes\n"


def write_authors(site_dir: Path, text: str) -> None:
    (site_dir / "authors.yaml").write_text(text, encoding="utf-8")


def test_the_authors_page_lists_every_author_with_a_count(public: Path) -> None:
    page = read(public, "authors/index.html")
    assert main_text(page) == "Authors Ana Quispe 2 articles Luis Mamani 1 article"
    assert '<a href="../authors/ana-quispe/">Ana Quispe</a>' in page
    assert '<a href="../authors/luis-mamani/">Luis Mamani</a>' in page
    assert '<a href="../authors/" aria-current="page">Authors</a>' in page


def test_an_author_page_lists_the_authors_articles_newest_first(public: Path) -> None:
    page = read(public, "authors/ana-quispe/index.html")
    assert "<title>Ana Quispe · Test Digest</title>" in page
    assert '<link rel="canonical" href="https://digest.test/authors/ana-quispe/">' in page
    titles = re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', page)
    assert titles == ["The Count Begins", "Runoff Day"]


def test_an_author_with_more_than_one_article_has_feeds(public: Path) -> None:
    page = read(public, "authors/ana-quispe/index.html")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Ana Quispe (Atom)" '
        'href="../../authors/ana-quispe/atom.xml">'
    ) in page
    feed = read(public, "authors/ana-quispe/feed.xml")
    assert "<title>Test Digest: articles by Ana Quispe</title>" in feed
    assert feed.count("<item>") == 2
    assert f'xmlUrl="{BASE}authors/ana-quispe/atom.xml"' in read(public, "feeds.opml")


def test_an_author_with_one_article_is_listed_but_has_no_feed(public: Path) -> None:
    page = read(public, "authors/luis-mamani/index.html")
    assert "Luis Mamani (RSS)" not in page and "authors/luis-mamani/feed.xml" not in page
    assert not (public / "authors/luis-mamani/feed.xml").exists()
    assert "luis-mamani" not in read(public, "feeds/index.html")
    assert "luis-mamani" not in read(public, "feeds.opml")


def test_bylines_link_to_the_author_pages(public: Path) -> None:
    article = read(public, "2021/06/the-count-begins/index.html")
    assert (
        '· by <a href="../../../authors/ana-quispe/">Ana Quispe</a>, '
        '<a href="../../../authors/luis-mamani/">Luis Mamani</a>'
    ) in article
    home = read(public, "page/2/index.html")
    assert '· by <a href="../../authors/ana-quispe/">Ana Quispe</a>' in home


def test_author_pages_are_paginated_like_topics(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_article("more.md", f"title: More\n{LATER}authors: [Ana Quispe]\nurl: https://a.test/m")
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    second = read(tmp_path / "out", "authors/ana-quispe/page/2/index.html")
    assert "<title>Ana Quispe (page 2 of 2) · Test Digest</title>" in second
    assert "Runoff Day" in second


def test_a_desk_byline_is_shown_without_a_link_or_a_page(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_article(
        "desk.md", f"title: Desk\n{LATER}authors: [Staff, Daily Andes]\nurl: https://a.test/d"
    )
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    out = tmp_path / "out"
    assert "· by Staff, Daily Andes" in read(out, "2021/07/desk/index.html")
    assert not (out / "authors/staff").exists() and not (out / "authors/daily-andes").exists()
    data = json.loads(
        read(out, "2021/07/desk/index.html").split('ld+json">')[1].split("</script>")[0]
    )
    assert data["author"] == [
        {"@type": "Organization", "name": "Staff"},
        {"@type": "Organization", "name": "Daily Andes"},
    ]


def test_authors_yaml_can_make_a_byline_a_desk(site_dir: Path, tmp_path: Path) -> None:
    write_authors(site_dir, "- name: Luis Mamani\n  desk: true\n")
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    out = tmp_path / "out"
    assert '<a href="../../../authors/ana-quispe/">Ana Quispe</a>, Luis Mamani' in read(
        out, "2021/06/the-count-begins/index.html"
    )
    assert not (out / "authors/luis-mamani").exists()
    assert main_text(read(out, "authors/index.html")) == "Authors Ana Quispe 2 articles"


def test_authors_yaml_gathers_spellings_under_one_name_with_its_description(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_authors(
        site_dir, "- name: Ana Quispe Huamán\n  aliases: [Ana Quispe]\n  description: Reports.\n"
    )
    write_article("more.md", f"title: More\n{LATER}authors: [ANA QUISPE]\nurl: https://a.test/m")
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    out = tmp_path / "out"
    page = read(out, "authors/ana-quispe-huaman/index.html")
    assert '<p class="intro">Reports.</p>' in page
    assert "Ana Quispe Huamán 3 articles" in main_text(read(out, "authors/index.html"))
    assert '">Ana Quispe Huamán</a>' in read(out, "2021/07/more/index.html")
    assert "<dc:creator>Ana Quispe Huamán</dc:creator>" in read(out, "feed.xml")


def test_a_problem_in_authors_yaml_is_reported_with_the_other_settings(
    site_dir: Path, tmp_path: Path
) -> None:
    write_authors(site_dir, "- name: Ana Quispe\n  desk: sometimes\n")
    settings = site_dir / "site.yaml"
    settings.write_text(settings.read_text("utf-8") + "page_size: 0\n", "utf-8")
    with pytest.raises(DigestError) as raised:
        build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    assert [str(p).replace(f"{site_dir}/", "") for p in raised.value.problems] == [
        "authors.yaml:2: `desk` must be true or false, not the text 'sometimes'\n"
        "  hint: write true or false",
        "site.yaml:8: invalid YAML: found duplicate key `page_size`\n"
        "  hint: keep one of the two lines",
    ]


def test_check_warns_of_two_names_that_look_like_one_person(
    site_dir: Path, write_article: WriteArticle, capsys: pytest.CaptureFixture[str]
) -> None:
    write_article("more.md", f"title: More\n{LATER}authors: [A. Quispe]\nurl: https://a.test/m")
    content = ["--content", str(site_dir), "--templates", str(TEMPLATES), "--no-search"]
    assert main(["check", *content]) == 0
    err = capsys.readouterr().err
    assert (
        f"warning: {site_dir}/articles/more.md:5: `A. Quispe` looks like the same person as "
        f"`Ana Quispe` ({site_dir}/articles/2021/2021-06-06-count-begins.md)\n"
        "  hint: if so, add `A. Quispe` to the aliases of `Ana Quispe` in authors.yaml; "
        "if they are two people, list both in authors.yaml\n"
    ) in err
    assert main(["check", "--strict", *content]) == 1
