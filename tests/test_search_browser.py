"""Search by sections in a real Chromium: what a rebuild takes out of the site, a reader can no
longer find."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from peru_digest.build import build

from .browser import NewPage, PageWatch, serve
from .conftest import FIXTURES, TEMPLATES

pytestmark = pytest.mark.browser

NOW = datetime(2026, 1, 1, tzinfo=UTC)
WORD = "quokka"  # in no article of the corpus


def test_a_deleted_article_is_found_no_more(tmp_path: Path, new_page: NewPage) -> None:
    content, site = tmp_path / "content", tmp_path / "public"
    shutil.copytree(FIXTURES / "corpus", content)
    victim = sorted((content / "articles" / "2020").glob("*.md"))[2]
    victim.write_text(victim.read_text("utf-8") + f"\nA {WORD} was seen in Lima.\n", "utf-8")
    title = re.search(r'^title: "(.*)"$', victim.read_text("utf-8"), re.M)
    assert title is not None

    def rebuild() -> None:
        build(content, TEMPLATES, site, cache=tmp_path / "cache", now=NOW)

    rebuild()
    with serve(site) as url:
        page = new_page()
        watch = PageWatch(page)
        page.goto(f"{url}search/?q={WORD}")
        expect(page.locator(".pagefind-ui__result-link")).to_have_text([title[1]])
        assert watch.take() == []

        victim.unlink()
        rebuild()
        page = new_page()
        watch = PageWatch(page)
        page.goto(f"{url}search/?q={WORD}")
        expect(page.locator(".pagefind-ui__message")).to_have_text(f"No results for {WORD}")
        expect(page.locator(".pagefind-ui__result")).to_have_count(0)
        assert watch.take() == []
