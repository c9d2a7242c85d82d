"""What each page tells readers, search engines and link previews."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from peru_digest import sitemap
from peru_digest.build import build

from .conftest import FIXTURES, TEMPLATES, WriteArticle, read

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def json_ld(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_an_article_page_describes_itself_for_previews_and_search_engines(public: Path) -> None:
    page = read(public, "2021/06/the-count-begins/index.html")
    assert "<title>The Count Begins · Test Digest</title>" in page
    assert '<meta name="description" content="The count began late at night.">' in page
    assert '<link rel="canonical" href="https://digest.test/2021/06/the-count-begins/">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="The Count Begins">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert json_ld(page) == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "The Count Begins",
        "datePublished": "2021-06-06T22:30:00-05:00",
        "author": [
            {
                "@type": "Person",
                "name": "Ana Quispe",
                "url": "https://digest.test/authors/ana-quispe/",
            },
            {
                "@type": "Person",
                "name": "Luis Mamani",
                "url": "https://digest.test/authors/luis-mamani/",
            },
        ],
        "publisher": {"@type": "Organization", "name": "Lima Weekly"},
        "isBasedOn": "https://lima-weekly.test/count",
        "url": "https://digest.test/2021/06/the-count-begins/",
        "description": "The count began late at night.",
    }


def test_json_ld_cannot_close_its_script_element(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_article(
        "evil.md",
        'title: "</script><script>alert(1)</script>"\ndate: 2021-07-02\nsource: Lima Weekly\n'
        "url: https://l.test/evil\ntopics: [election]",
    )
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    page = read(tmp_path / "out", "2021/07/script-script-alert-1-script/index.html")
    assert page.count("<script") == 1  # only the JSON-LD element itself
    assert json_ld(page)["headline"] == "</script><script>alert(1)</script>"


def test_related_articles_share_topics_first_then_are_near_in_time(public: Path) -> None:
    page = read(public, "2021/06/runoff-day/index.html")
    related = re.findall(r'<li><a href="\.\./\.\./\.\./([^"]+)">', page.split("Related")[1])
    assert related == ["2021/06/the-count-begins/", "2021/07/inauguration-a-new-era/"]


def test_list_pages_are_paginated_with_previous_and_next(public: Path) -> None:
    topic = read(public, "topics/election/index.html")
    assert "<title>Election · Test Digest</title>" in topic
    assert '<meta name="description" content="Votes &amp; counts.">' in topic
    home2 = read(public, "page/2/index.html")
    assert "<title>Latest articles (page 2 of 2) · Test Digest</title>" in home2
    assert '<nav class="pager" aria-label="Pages">' in home2


def test_the_404_page_helps_the_reader_on_from_any_address(public: Path) -> None:
    page = read(public, "404.html")
    assert "<h1>Page not found</h1>" in page
    # Served for any missing address, so its links start from the site's root.
    assert '<a href="/topics/">Browse by topic</a>' in page
    assert '<link rel="stylesheet" href="/style.css">' in page


def test_a_sitemap_past_50000_addresses_becomes_an_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", 2)
    entries = [sitemap.SitemapEntry(f"https://d.test/{n}/") for n in range(5)]
    files = [
        (path, b"".join(chunks()).decode())
        for path, chunks in sitemap.sitemap_files(entries, "https://d.test/", lambda entry: entry)
    ]
    assert [path for path, _ in files] == [
        "sitemap.xml",
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-3.xml",
    ]
    assert "<loc>https://d.test/sitemap-3.xml</loc>" in files[0][1]
    assert files[3][1].count("<loc>") == 1


def test_a_built_sitemap_past_its_limit_lists_every_page_once_across_its_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = tmp_path / "whole"
    build(FIXTURES / "corpus", TEMPLATES, whole, now=NOW, search=False)
    monkeypatch.setattr(sitemap, "MAX_URLS", 40)
    split = tmp_path / "split"
    build(FIXTURES / "corpus", TEMPLATES, split, now=NOW, search=False)

    def addresses(text: str) -> list[str]:
        return re.findall(r"<loc>([^<]*)</loc>", text)

    parts = sorted(split.glob("sitemap-*.xml"), key=lambda path: int(path.stem[8:]))
    assert len(parts) > 2
    index = addresses(read(split, "sitemap.xml"))
    assert index == [f"https://digest.example/{part.name}" for part in parts]
    listed = [address for part in parts for address in addresses(part.read_text("utf-8"))]
    assert listed == addresses(read(whole, "sitemap.xml"))


def test_an_article_without_a_link_is_published_without_a_read_more_button(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_article(
        "nolink.md",
        "title: No Link Yet\ndate: 2021-07-02\nsource: Lima Weekly\ntopics: [election]",
        "Pasted from a digest.",
    )
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    page = read(tmp_path / "out", "2021/07/no-link-yet/index.html")
    assert "<h1>No Link Yet</h1>" in page
    assert "Read the whole article" not in page
    assert "isBasedOn" not in json_ld(page)
    assert json_ld(page)["url"] == "https://digest.test/2021/07/no-link-yet/"
