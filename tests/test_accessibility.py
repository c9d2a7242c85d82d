"""Accessibility and search, in a real Chromium: axe-core on every kind of page of the seed
site in light and dark mode, a reader searching from the header, and search on a site hosted
under a sub-path.

axe-core is the copy bundled with axe-playwright-python, injected into the page; every
request off 127.0.0.1 is refused (see ``new_page``), so nothing is fetched from the network.
The browser, the served seed site and the page opener are the shared fixtures of browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from peru_digest.build import build

from .browser import (
    PAGE_KINDS,
    SEARCH_QUERY,
    NewPage,
    PageWatch,
    composite,
    contrast,
    luminance,
    seed_articles,
    serve,
)
from .conftest import SEED_SITE, TEMPLATES

pytestmark = pytest.mark.browser

CONTENT = SEED_SITE
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
AXE = Axe.from_file(AXE_FILE_PATH)  # the package's bundled axe.min.js, never a CDN
AXE_VERSION = re.search(r"axe v(\S+)", AXE_FILE_PATH.read_text(encoding="utf-8")[:200])

SUB_PATH = "peru/"
SPANISH_KINDS = ("home", "home-page-2", "article", "search")  # of PAGE_KINDS

RESULT = ".pagefind-ui__result"
RESULT_LINK = ".pagefind-ui__result-link"
RESULT_EXCERPT = ".pagefind-ui__result-excerpt"
LOADING = ".pagefind-ui__loading"
READ_MORE = re.compile(r"^Read the whole article at ")
SEARCH_BOXES = {  # selector: placeholder
    "#site-search": "e.g. Fujimori",  # in the header of every page
    ".pagefind-ui__search-input": "Search",  # the search page's own, from Pagefind
}
PLACEHOLDER_STYLE = """field => {
  const placeholder = getComputedStyle(field, "::placeholder");
  return [placeholder.color, placeholder.opacity, getComputedStyle(field).backgroundColor];
}"""


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed site built for https://example.org/peru/ into ``host/peru``, with ``host``
    served; yields the served root URL (ending in /), above the site's own folder."""
    host = tmp_path_factory.mktemp("sub-path") / "host"
    build(CONTENT, TEMPLATES, host / SUB_PATH.strip("/"), base_url="https://example.org/peru/")
    with serve(host) as url:
        yield url


# ----------------------------------------------------------------------------- helpers


def wait_for_search_results(page: Page) -> None:
    """Until Pagefind has rendered its results, every one filled in (no loading placeholder)."""
    expect(page.locator(RESULT_LINK).first).to_be_visible()
    expect(page.locator(LOADING)).to_have_count(0)


def assert_no_axe_violations(page: Page, where: str) -> None:
    response = AXE.run(page, options=AXE_OPTIONS).response
    assert AXE_VERSION is not None
    assert response["testEngine"] == {"name": "axe-core", "version": AXE_VERSION[1]}
    assert response["passes"], "axe ran no rules at all"
    violations = response["violations"]
    assert len(violations) == 0, (
        f"{len(violations)} WCAG 2.1 A/AA violation(s) on {where}:\n" + axe_report(violations)
    )


def axe_report(violations: list[dict[str, Any]]) -> str:
    """One block per violation: id, impact and rule, then each failing node's target."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}] {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " >> ".join(str(part) for part in node["target"])
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------- tests


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_axe_finds_no_wcag_a_or_aa_violations_on_any_kind_of_page(
    kinds_site: str, new_page: NewPage, path: str, scheme: str
) -> None:
    page = new_page(color_scheme=scheme)
    watch = PageWatch(page)
    page.goto(kinds_site + path)
    assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches") is True
    if path.startswith("search/"):
        wait_for_search_results(page)
    assert_no_axe_violations(page, f"/{path} ({scheme})")
    assert watch.take() == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", SPANISH_KINDS)
def test_axe_finds_no_wcag_a_or_aa_violations_on_the_spanish_pages(
    spanish_site: str, new_page: NewPage, kind: str, scheme: str
) -> None:
    page = new_page(color_scheme=scheme)
    watch = PageWatch(page)
    page.goto(spanish_site + PAGE_KINDS[kind])
    expect(page.locator("html")).to_have_attribute("lang", "es")
    if kind == "search":
        wait_for_search_results(page)
    assert_no_axe_violations(page, f"the Spanish {kind} page ({scheme})")
    assert watch.take() == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("box", SEARCH_BOXES)
def test_a_search_box_placeholder_is_as_readable_as_text(
    kinds_site: str, new_page: NewPage, box: str, scheme: str
) -> None:
    # axe leaves placeholder text alone; WCAG 1.4.3 asks 4.5:1 of it, as of any text.
    page = new_page(color_scheme=scheme)
    page.goto(kinds_site + "search/")
    field = page.locator(box)
    expect(field).to_be_visible()
    expect(field).to_have_attribute("placeholder", SEARCH_BOXES[box])

    colour, opacity, background = field.evaluate(PLACEHOLDER_STYLE)
    seen = composite(colour, float(opacity), background)
    ratio = contrast(luminance(seen), luminance(background))
    assert ratio >= 4.5, f"{box}::placeholder is {seen} on {background}: {ratio:.2f}:1 ({scheme})"


def test_a_reader_searches_from_the_header_and_reaches_the_outlet_link(
    seed_site: str, new_page: NewPage
) -> None:
    page = new_page()
    watch = PageWatch(page)
    page.goto(seed_site)

    header = page.get_by_role("banner")
    header.get_by_role("searchbox", name="Search articles").fill(SEARCH_QUERY)
    header.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(f"{seed_site}search/?q={SEARCH_QUERY}")

    wait_for_search_results(page)
    results = page.locator(RESULT)
    assert results.count() >= 3
    for index in range(results.count()):
        result = results.nth(index)
        title = result.locator(RESULT_LINK).inner_text()
        excerpt = result.locator(RESULT_EXCERPT).inner_text()
        assert SEARCH_QUERY.lower() in f"{title}\n{excerpt}".lower(), (title, excerpt)

    first = page.locator(RESULT_LINK).first
    clicked = first.inner_text().strip()
    href = first.get_attribute("href")
    assert href is not None
    first.click()
    expect(page).to_have_url(seed_site + href.removeprefix("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(clicked)

    (article,) = [a for a in seed_articles() if a["title"] == clicked]
    read_more = page.get_by_role("main").get_by_role("link", name=READ_MORE)
    expect(read_more).to_have_attribute("href", article["url"])
    expect(read_more).to_contain_text(article["source"])
    assert watch.take() == []


def test_a_spanish_reader_searches_in_spanish_and_reaches_the_outlet_link(
    spanish_site: str, new_page: NewPage
) -> None:
    page = new_page()
    watch = PageWatch(page)
    page.goto(spanish_site)

    header = page.get_by_role("banner")
    expect(header.get_by_role("searchbox", name="Buscar artículos")).to_have_attribute(
        "placeholder", "p. ej., Fujimori"
    )
    header.get_by_role("searchbox", name="Buscar artículos").fill(SEARCH_QUERY)
    header.get_by_role("button", name="Buscar", exact=True).click()
    expect(page).to_have_url(f"{spanish_site}search/?q={SEARCH_QUERY}")
    wait_for_search_results(page)
    # Pagefind's own words follow <html lang="es">.
    expect(page.locator(".pagefind-ui__search-input")).to_have_attribute("placeholder", "Buscar")
    expect(page.locator(".pagefind-ui__message")).to_have_text(
        re.compile(rf"^\d+ resultados encontrados para {SEARCH_QUERY}$")
    )

    page.locator(RESULT_LINK).first.click()
    read_more = page.get_by_role("main").get_by_role(
        "link", name=re.compile(r"^Leer el artículo completo en ")
    )
    expect(read_more).to_be_visible()
    expect(page.get_by_role("heading", name="Artículos relacionados")).to_be_visible()
    assert watch.take() == []


def test_search_works_on_a_site_hosted_under_a_sub_path(
    sub_path_site: str, new_page: NewPage
) -> None:
    page = new_page()
    watch = PageWatch(page)
    page.goto(f"{sub_path_site}{SUB_PATH}search/?q=Castillo")
    wait_for_search_results(page)

    links = page.locator(RESULT_LINK)
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs
    assert all(href is not None and href.startswith(f"/{SUB_PATH}") for href in hrefs), hrefs

    first = links.first
    title = first.inner_text().strip()
    target = sub_path_site + str(hrefs[0]).removeprefix("/")
    with page.expect_response(target) as response:
        first.click()
    assert response.value.status == 200
    expect(page).to_have_url(target)
    expect(page.locator("article.article h1")).to_have_text(title)
    expect(page.get_by_role("main").get_by_role("link", name=READ_MORE)).to_be_visible()
    assert watch.take() == []
