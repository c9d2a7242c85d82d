"""What a reader sees of hostile content: pages built from names, titles and summaries written
to break them, checked as they are drawn and in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from peru_digest.build import build

from .browser import NewPage, serve
from .conftest import TEMPLATES, WriteArticle, read

NARROW = {"width": 320, "height": 640}  # the narrowest phones still in use
LONG_WORD = "Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .map(e => e.tagName + " " + e.textContent.trim().slice(0, 30))"""


def long_names_site(site_dir: Path, write_article: WriteArticle) -> None:
    """An author, an outlet, a topic and a title each one unbroken word too long for a phone."""
    with (site_dir / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(f"- name: Outlet{LONG_WORD}\n")
    with (site_dir / "topics.yaml").open("a", encoding="utf-8") as topics:
        topics.write(f"- slug: long\n  name: Topic{LONG_WORD}\n")
    for day in (10, 11):  # two, so that each is the other's related article
        write_article(
            f"2021/2021-08-{day}-long.md",
            f"title: Title{LONG_WORD} {day}\ndate: 2021-08-{day}\nsource: Outlet{LONG_WORD}\n"
            f"authors: [Author{LONG_WORD}]\nurl: https://l.test/{day}\ntopics: [long]",
        )


@pytest.mark.browser
def test_no_page_is_wider_than_a_narrow_phone_whatever_the_length_of_its_words(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path, new_page: NewPage
) -> None:
    long_names_site(site_dir, write_article)
    output = tmp_path / "public"
    build(site_dir, TEMPLATES, output, search=False)
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("index.html"))
    assert "authors/index.html" in pages

    overflowing = {}
    with serve(output) as url:
        page = new_page(viewport=NARROW)
        for path in pages:
            page.goto(url + path)
            if found := page.evaluate(OVERFLOWING):
                overflowing[path] = found
    assert overflowing == {}


def test_two_authors_whose_names_transliterate_alike_each_have_their_own_page(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    for day, name in ((1, "王伟"), (2, "汪伟")):
        write_article(
            f"2021/2021-08-0{day}-wang.md",
            f"title: Report {day}\ndate: 2021-08-0{day}\nsource: Lima Weekly\n"
            f"authors: [{name}]\nurl: https://l.test/{day}\ntopics: [election]",
        )
    output = tmp_path / "public"
    build(site_dir, TEMPLATES, output, search=False)

    first = read(output, "authors/wang-wei-61454f33/index.html")
    second = read(output, "authors/wang-wei-5ef0dd31/index.html")
    assert "<h1>王伟</h1>" in first
    assert "Report 1" in first
    assert "Report 2" not in first
    assert "<h1>汪伟</h1>" in second
    assert "Report 2" in second
    assert "Report 1" not in second
    assert '· by <a href="../../../authors/wang-wei-5ef0dd31/">汪伟</a>' in read(
        output, "2021/08/report-2/index.html"
    )


def built_in(site_dir: Path, tmp_path: Path, languages: str) -> Path:
    """The site built with ``languages`` in site.yaml in place of ``language: en``."""
    settings = site_dir / "site.yaml"
    settings.write_text(
        settings.read_text("utf-8").replace("language: en", languages), encoding="utf-8"
    )
    output = tmp_path / "public"
    build(site_dir, TEMPLATES, output, search=False)
    return output


def test_pages_in_a_language_written_right_to_left_say_so(site_dir: Path, tmp_path: Path) -> None:
    output = built_in(site_dir, tmp_path, "language: ar\narticles_language: en")

    article = read(output, "2021/06/runoff-day/index.html")
    assert '<html lang="ar" dir="rtl">' in article
    assert '<h1 lang="en" dir="ltr">Runoff Day</h1>' in article
    assert '<div class="text" lang="en" dir="ltr">' in article
    month = read(output, "2021/06/index.html")
    assert (
        '<h3 lang="en" dir="ltr"><a href="../../2021/06/runoff-day/">Runoff Day</a></h3>' in month
    )


def test_articles_written_right_to_left_on_pages_written_left_to_right_say_so(
    site_dir: Path, tmp_path: Path
) -> None:
    output = built_in(site_dir, tmp_path, "language: en\narticles_language: he")

    article = read(output, "2021/06/runoff-day/index.html")
    assert '<html lang="en">' in article
    assert '<h1 lang="he" dir="rtl">Runoff Day</h1>' in article
    assert '<div class="text" lang="he" dir="rtl">' in article
    editions_feed = read(output, "editions/atom.xml")
    assert '&lt;h3 lang="he" dir="rtl"&gt;' in editions_feed
