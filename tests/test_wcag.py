"""WCAG 2.2 AA as an auditor checks it, in a real Chromium: what axe cannot see.

Each test names its success criterion. They visit the seed site's every kind of page
(``PAGE_KINDS``) where the criterion concerns every page, and the page a reader meets the
problem on where it concerns one: the search page's results, a printed article.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Page, expect

from .browser import (
    DESKTOP,
    PAGE_KINDS,
    PHONE,
    SEARCH_QUERY,
    NewPage,
    PageWatch,
    contrast,
    luminance,
)

pytestmark = pytest.mark.browser

RESULT_LINK = ".pagefind-ui__result-link"
LOADING = ".pagefind-ui__loading"
SEARCH_INPUT = ".pagefind-ui__search-input"


def body_style(page: Page, prop: str) -> str:
    value = page.evaluate("p => getComputedStyle(document.body).getPropertyValue(p)", prop)
    assert isinstance(value, str)
    return value


def wait_for_search_results(page: Page) -> None:
    """Until Pagefind has rendered its results, every one filled in (no loading placeholder)."""
    expect(page.locator(RESULT_LINK).first).to_be_visible()
    expect(page.locator(LOADING)).to_have_count(0)


# ------------------------------------------------------------- 4.1.3 Status Messages


def test_a_screen_reader_hears_how_many_results_a_search_found(
    kinds_site: str, new_page: NewPage
) -> None:
    page = new_page()
    watch = PageWatch(page)
    page.goto(kinds_site + PAGE_KINDS["search"])
    status = page.get_by_role("status")
    expect(status).to_have_count(1)  # in the page from the start, so readers watch it
    wait_for_search_results(page)
    expect(status).to_have_text(f"4 results for {SEARCH_QUERY}")

    page.locator(SEARCH_INPUT).fill("Peru")
    expect(status).to_have_text("15 results for Peru")
    page.locator(SEARCH_INPUT).fill("quokka")
    expect(status).to_have_text("No results for quokka")
    expect(status).not_to_be_in_viewport()  # Pagefind's own line shows it to the eye
    assert watch.take() == []


# ------------------------------------------------------------ 3.1.2 Language of Parts


def test_search_results_are_read_in_the_articles_language_on_a_spanish_site(
    spanish_site: str, new_page: NewPage
) -> None:
    # The seed's articles are English (articles_language: en), the pages Spanish (language: es).
    page = new_page()
    page.goto(spanish_site + PAGE_KINDS["search"])
    wait_for_search_results(page)
    expect(page.locator(".pagefind-ui__results")).to_have_attribute("lang", "en")
    expect(page.locator(".pagefind-ui__results")).to_have_attribute("dir", "ltr")
    language_of = "element => element.closest('[lang]').lang"
    assert page.locator(RESULT_LINK).first.evaluate(language_of) == "en"
    # Pagefind's own words stay the page's.
    assert page.locator(".pagefind-ui__message").evaluate(language_of) == "es"
    assert page.locator(SEARCH_INPUT).evaluate(language_of) == "es"


def test_search_results_carry_no_lang_of_their_own_where_the_articles_are_the_pages_language(
    kinds_site: str, new_page: NewPage
) -> None:
    page = new_page()
    page.goto(kinds_site + PAGE_KINDS["search"])
    wait_for_search_results(page)
    assert page.locator(".pagefind-ui__results").evaluate("e => e.hasAttribute('lang')") is False


# ------------------------------------------- forced colours (Windows high contrast), 1.4.11

# What is drawn as a shape on a coloured background: forced colours draw no backgrounds.
SHAPED = {
    "article": ["#main .read-more a", "#main .tags a", ".search-box button"],
    "search": [".pagefind-ui__button"],
}
BORDER = """element => {
  const style = getComputedStyle(element);
  return [style.borderTopStyle, parseFloat(style.borderTopWidth), style.borderTopColor];
}"""


@pytest.mark.parametrize("kind", SHAPED)
def test_in_forced_colours_a_button_or_a_topic_keeps_its_outline(
    kinds_site: str, new_page: NewPage, kind: str
) -> None:
    page = new_page(forced_colors="active")
    page.goto(kinds_site + ("search/?q=Peru" if kind == "search" else PAGE_KINDS[kind]))
    assert page.evaluate("matchMedia('(forced-colors: active)').matches") is True
    if kind == "search":
        wait_for_search_results(page)
    background = luminance(body_style(page, "background-color"))
    for selector in SHAPED[kind]:
        shapes = page.locator(selector)
        expect(shapes.first).to_be_visible()
        for index in range(shapes.count()):
            style, width, colour = shapes.nth(index).evaluate(BORDER)
            assert style == "solid" and width >= 1, f"{selector} has no border: {style} {width}"
            ratio = contrast(luminance(colour), background)
            assert ratio >= 3, f"{selector}'s border is {colour}: {ratio:.2f}:1"


# ---------------------------------------------------------------------------- print

PAPER = "rgb(255, 255, 255)"  # a browser prints no backgrounds unless asked to
ARTICLE_URL = "https://popularresistance.org/dirty-tricks-campaign-in-peru-to-deny-the-lefts-presidential-victory/"
PRINTED_TEXT = ["h1", "#main .meta", "#main .text", "#main .read-more a", "#main .tags a"]
AFTER = "element => getComputedStyle(element, '::after').content"
# The text's colour and the background drawn behind it, if "Background graphics" is ticked.
INK = """element => {
  let under = element;
  while (under && getComputedStyle(under).backgroundColor.startsWith("rgba")) {
    under = under.parentElement;
  }
  return [getComputedStyle(element).color, under ? getComputedStyle(under).backgroundColor : ""];
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_printed_article_is_its_text_and_where_to_read_it_black_on_white(
    kinds_site: str, new_page: NewPage, scheme: Literal["light", "dark"]
) -> None:
    page = new_page()
    page.goto(kinds_site + PAGE_KINDS["article"])
    page.emulate_media(media="print", color_scheme=scheme)
    assert page.evaluate("matchMedia('print').matches") is True

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    read_more = page.locator("#main .read-more a")
    assert read_more.get_attribute("href") == ARTICLE_URL
    assert read_more.evaluate(AFTER) == f'"{ARTICLE_URL}"'  # paper cannot follow a link
    for clutter in (
        page.get_by_role("navigation", name="Site"),
        page.get_by_role("search"),
        page.get_by_role("complementary", name="Related articles"),
        page.get_by_role("contentinfo"),
    ):
        expect(clutter).to_be_hidden()
    for selector in PRINTED_TEXT:
        colour, background = page.locator(selector).first.evaluate(INK)
        for under in (PAPER, background or PAPER):
            ratio = contrast(luminance(colour), luminance(under))
            assert ratio >= 4.5, f"{selector} prints {colour} on {under}: {ratio:.2f}:1 ({scheme})"


def test_a_printed_list_has_no_pager(kinds_site: str, new_page: NewPage) -> None:
    page = new_page()
    page.goto(kinds_site + PAGE_KINDS["home"])
    pager = page.get_by_role("navigation", name="Pages")
    expect(pager).to_be_visible()
    page.emulate_media(media="print")
    expect(pager).to_be_hidden()
    expect(page.locator("#main article h3").first).to_be_visible()


# ------------------------------------------------------------------- 2.4.3 Focus Order


def test_a_keyboard_reader_who_loads_more_results_lands_on_the_first_new_one(
    kinds_site: str, new_page: NewPage
) -> None:
    page = new_page()
    page.goto(kinds_site + "search/?q=Peru")  # every seed article: five shown, then ten
    wait_for_search_results(page)
    links = page.locator(RESULT_LINK)
    expect(links).to_have_count(5)
    more = page.get_by_role("button", name="Load more results")
    links.last.focus()
    page.keyboard.press("Tab")
    expect(more).to_be_focused()

    page.keyboard.press("Enter")
    expect(links).to_have_count(10)
    expect(links.nth(5)).to_be_focused()
    expect(links.nth(5)).to_be_in_viewport()
    page.keyboard.press("Shift+Tab")
    expect(links.nth(4)).to_be_focused()  # the order is the results' order


# ------------------------- 2.4.7 Focus Visible, 2.4.11 Focus Not Obscured, 1.4.11 its contrast

# What the focused element shows, and the background its ring is drawn on (the nearest opaque
# one around it: the ring lies outside the element).
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getClientRects()[0] || element.getBoundingClientRect();
  const whole = element.getBoundingClientRect();
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  let under = element.parentElement;
  while (under && getComputedStyle(under).backgroundColor.startsWith("rgba")) {
    under = under.parentElement;
  }
  const label = element.textContent || element.getAttribute("placeholder") || "";
  return {
    name: `${element.tagName} ${label.trim().slice(0, 40)}`,
    body: element === document.body,
    outline: [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor],
    background: getComputedStyle(under || document.body).backgroundColor,
    // Scrolled to whole pixels, an element may stand a fraction of one past the edge.
    in_view: whole.top > -1 && whole.left > -1 && whole.bottom < innerHeight + 1
      && whole.right < innerWidth + 1,
    on_top: top !== null && (top === element || element.contains(top) || top.contains(element)),
  };
}"""
READERS: dict[str, dict[str, Any]] = {
    "light-desktop": {"color_scheme": "light"},
    "dark-phone": {"color_scheme": "dark", "viewport": PHONE},
    "forced-colours": {"forced_colors": "active"},
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("path", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_every_stop_of_the_tab_key_shows_a_ring_in_sight_on_every_kind_of_page(
    kinds_site: str, new_page: NewPage, path: str, reader: str
) -> None:
    page = new_page(**READERS[reader])
    page.goto(kinds_site + path)
    if path.startswith("search/"):
        wait_for_search_results(page)
    stops: list[str] = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["body"] or focused["name"] in stops[:1]:
            break
        stops.append(focused["name"])
        name = focused["name"]
        style, width, colour = focused["outline"]
        assert style == "solid" and width >= 2, f"{name}: no focus ring ({style} {width}px)"
        ratio = contrast(luminance(colour), luminance(focused["background"]))
        assert ratio >= 3, f"{name}: its ring is {colour} on {focused['background']}: {ratio:.2f}:1"
        assert focused["in_view"], f"{name} is focused out of sight"
        assert focused["on_top"], f"{name} is focused under something else"
    assert len(stops) >= 10, stops  # the skip link, the site's title, its nav, the search box


# ------------------------------------------------ 1.4.10 Reflow, 1.4.12 Text Spacing

# 1280 CSS px at 400% zoom: the width WCAG names for reflow.
NARROWEST = {"width": 320, "height": 256}
# The least spacing a reader may ask for, every property at once.
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"""
# Elements that reach past the page's right edge, or that hide part of what they hold.
CUT_OFF = """() => {
  const found = [];
  for (const element of document.querySelectorAll("body *")) {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (style.visibility === "hidden" || box.width === 0 || element.closest(".skip")) continue;
    const name = `${element.tagName}.${element.className}`;
    if (box.right > document.documentElement.clientWidth + 1) found.push(`${name} overflows`);
    const clips = style.overflowX !== "visible" || style.overflowY !== "visible";
    const larger = element.scrollWidth > element.clientWidth + 1
      || element.scrollHeight > element.clientHeight + 1;
    if (clips && larger && element.clientWidth > 1) found.push(`${name} clips its text`);
  }
  return found;
}"""


@pytest.mark.parametrize("language", ["en", "es"])  # Spanish words are longer
@pytest.mark.parametrize("path", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_every_kind_of_page_reflows_at_400_percent_zoom_with_a_readers_text_spacing(
    kinds_site: str, spanish_site: str, new_page: NewPage, path: str, language: str
) -> None:
    page = new_page(viewport=NARROWEST)
    page.goto((kinds_site if language == "en" else spanish_site) + path)
    if path.startswith("search/"):
        wait_for_search_results(page)
    for spacing in ("", TEXT_SPACING):
        if spacing:
            page.add_style_tag(content=spacing)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert (width, page.evaluate(CUT_OFF)) == (NARROWEST["width"], []), (
            f"with a reader's text spacing: {bool(spacing)}"
        )


# ---------------------------------------------------------- 2.5.8 Target Size (Minimum)

# Each control smaller than 24 × 24 px that is not a link within a line of text, with the other
# controls its 24 px circle would touch (the criterion's spacing exception).
CROWDED = """() => {
  const controls = [...document.querySelectorAll("a[href], button, input")].filter((c) => {
    const box = c.getBoundingClientRect();
    return box.width > 0 && getComputedStyle(c).visibility !== "hidden" && !c.closest(".skip");
  });
  const inLine = (control) => {
    const line = control.parentElement.closest("p, li, h1, h2, h3");
    if (getComputedStyle(control).display !== "inline" || !line) return false;
    const own = [...line.querySelectorAll("a, button")].map((c) => c.textContent.length);
    return line.textContent.trim().length > own.reduce((a, b) => a + b, 0) + 3;
  };
  const boxes = controls.map((c) => c.getBoundingClientRect());
  const small = (box) => box.width < 24 || box.height < 24;
  const found = [];
  controls.forEach((control, i) => {
    const box = boxes[i];
    if (!small(box) || inLine(control)) return;
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const touched = controls.filter((other, j) => {
      if (j === i) return false;
      const o = boxes[j];
      const dx = Math.max(o.left - x, 0, x - o.right), dy = Math.max(o.top - y, 0, y - o.bottom);
      const circles = small(o)
        && Math.hypot(o.left + o.width / 2 - x, o.top + o.height / 2 - y) < 24;
      return Math.hypot(dx, dy) < 12 || circles;
    });
    if (touched.length) {
      found.push(`${control.textContent.trim()} (${box.width}×${box.height}) touches `
        + touched.map((t) => t.textContent.trim()).join(", "));
    }
  });
  return found;
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE, NARROWEST], ids=["desktop", "phone", "320"])
@pytest.mark.parametrize("path", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_every_control_is_24_px_or_has_room_around_it(
    kinds_site: str, new_page: NewPage, path: str, viewport: dict[str, int]
) -> None:
    page = new_page(viewport=viewport)
    page.goto(kinds_site + path)
    if path.startswith("search/"):
        wait_for_search_results(page)
    assert page.evaluate(CROWDED) == []


# --------------------------------------- 2.4.1 Bypass Blocks, 2.4.2 Page Titled, 1.3.1


def test_the_skip_link_takes_the_keyboard_past_the_header_into_the_articles(
    kinds_site: str, new_page: NewPage
) -> None:
    page = new_page()
    page.goto(kinds_site)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.get_by_role("main").get_by_role("link").first
    expect(first).to_be_focused()


def test_every_page_has_a_title_of_its_own(kinds_site_folder: Path) -> None:
    # editions/latest/ is a copy of the newest edition's page (its canonical address).
    titles: dict[str, list[str]] = {}
    for page in sorted(kinds_site_folder.rglob("*.html")):
        address = page.relative_to(kinds_site_folder).as_posix()
        if address.startswith(("editions/latest/", "pagefind/")):
            continue
        html = page.read_text("utf-8")
        (title,) = re.findall(r"<title>([^<]*)</title>", html)
        titles.setdefault(title, []).append(address)
    assert {t: pages for t, pages in titles.items() if len(pages) > 1} == {}


OUTLINE = """() => ({
  levels: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => +h.tagName[1]),
  landmarks: ["header.site-header", "main", "footer.site-footer"].map(
    (s) => document.querySelectorAll(s).length),
  outside: [...document.body.children].filter((e) => !e.matches(
    ".skip, header.site-header, main, footer.site-footer, script")).map((e) => e.tagName),
})"""


@pytest.mark.parametrize("path", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_every_kind_of_page_has_one_h1_no_skipped_level_and_its_landmarks(
    kinds_site: str, new_page: NewPage, path: str
) -> None:
    page = new_page()
    page.goto(kinds_site + path)
    if path.startswith("search/"):
        wait_for_search_results(page)
    outline = page.evaluate(OUTLINE)
    levels = outline["levels"]
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b - a <= 1 for a, b in pairwise(levels)), levels
    assert outline["landmarks"] == [1, 1, 1]
    assert outline["outside"] == []  # everything but the skip link is in a landmark
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)


# ------------------------------------------------------------------- without JavaScript


def test_without_javascript_the_search_page_says_so_and_offers_the_lists(
    kinds_site: str, new_page: NewPage
) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(kinds_site + PAGE_KINDS["search"])
    # Playwright's roles and text skip <noscript> whatever the browser does: read what it drew.
    assert "Search needs JavaScript." in page.get_by_role("main").inner_text()
    links = page.locator("#search a")
    assert links.all_inner_texts() == ["topic", "outlet", "month"]
    for index in range(links.count()):
        expect(links.nth(index)).to_be_visible()
    footer = page.get_by_role("contentinfo")
    expect(footer).to_be_in_viewport()  # no room kept for results that never come


def test_a_keyboard_reader_who_clears_the_search_is_back_in_the_search_box(
    kinds_site: str, new_page: NewPage
) -> None:
    # Pagefind's Clear button turns transparent once the box is empty, focused or not.
    page = new_page()
    page.goto(kinds_site + PAGE_KINDS["search"])
    wait_for_search_results(page)
    box = page.locator(SEARCH_INPUT)
    box.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Clear")).to_be_focused()
    page.keyboard.press("Enter")
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    page.keyboard.type("Castillo")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d+ results for Castillo$"))
