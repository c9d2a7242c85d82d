"""What a reader sees: the real seed site (and a hostile one) in a real Chromium.

One build of content/, one local HTTP server and one browser serve the whole module.
Screenshots for people to look at land in tests/artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from peru_digest.build import build

from .browser import (
    DESKTOP,
    PHONE,
    NewPage,
    PageWatch,
    as_datetime,
    contrast,
    luminance,
    seed_articles,
    serve,
)
from .conftest import ROOT, TEMPLATES

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
NEWEST = "Peru: ‘This Is The Beginning Of A Soft Coup’"
OLDEST = "Peru Electoral Authorities Extend Deadline For Fujimori Fraud Claims"
JOURNEY_ARTICLE = "Dirty Tricks Campaign In Peru To Deny The Left’s Presidential Victory"
JOURNEY = [
    "",
    "topics/",
    "topics/fraud-claims/",
    "2021/06/dirty-tricks-campaign-in-peru-to-deny-the-lefts-presidential-victory/",
    "archive/",
    "2021/06/",
]
ARTICLE = "2021/09/peru-this-is-the-beginning-of-a-soft-coup/"


# ----------------------------------------------------------------------------- helpers


def list_headings(page: Page) -> list[str]:
    return page.locator("main article h3 a").all_text_contents()


def body_style(page: Page, prop: str) -> str:
    value = page.evaluate("p => getComputedStyle(document.body).getPropertyValue(p)", prop)
    assert isinstance(value, str)
    return value


def has_no_horizontal_scroll(page: Page) -> bool:
    result = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert isinstance(result, bool)
    return result


def png_width(path: Path) -> int:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big")


# ------------------------------------------------------------------------------- tests


def test_home_lists_all_fifteen_seed_articles_newest_first(
    seed_site: str, new_page: NewPage
) -> None:
    page = new_page()
    page.goto(seed_site)
    titles = page.locator("main article h3 a")
    expect(titles).to_have_count(15)
    expect(titles.first).to_have_text(NEWEST)
    expect(titles.last).to_have_text(OLDEST)
    assert list_headings(page) == [a["title"] for a in seed_articles()]


def test_a_reader_finds_an_article_by_topic_and_then_its_month(
    seed_site: str, new_page: NewPage
) -> None:
    page = new_page()
    watch = PageWatch(page)
    nav = page.get_by_role("navigation", name="Site")
    main = page.get_by_role("main")
    heading = page.get_by_role("heading", level=1)
    visited = []

    page.goto(seed_site)
    visited.append(page.url)

    nav.get_by_role("link", name="Topics", exact=True).click()
    expect(heading).to_have_text("Topics")
    visited.append(page.url)

    main.get_by_role("link", name="Fraud Claims", exact=True).click()
    expect(heading).to_have_text("Fraud Claims")
    visited.append(page.url)
    fraud = [a for a in seed_articles() if "fraud-claims" in a["topics"]]
    assert list_headings(page) == [a["title"] for a in fraud]

    main.get_by_role("link", name=JOURNEY_ARTICLE, exact=True).click()
    expect(heading).to_have_text(JOURNEY_ARTICLE)
    visited.append(page.url)
    (article,) = [a for a in seed_articles() if a["title"] == JOURNEY_ARTICLE]
    read_more = main.get_by_role("link", name=re.compile(r"^Read the whole article at "))
    expect(read_more).to_have_text(re.compile(f"at {re.escape(article['source'])}"))
    expect(read_more).to_have_attribute("href", article["url"])

    nav.get_by_role("link", name="Archive", exact=True).click()
    expect(heading).to_have_text("Archive")
    visited.append(page.url)

    main.get_by_role("link", name="June 2021", exact=True).click()
    expect(heading).to_have_text("June 2021")
    visited.append(page.url)
    june = [a for a in seed_articles() if as_datetime(a["date"]).strftime("%Y-%m") == "2021-06"]
    assert len(june) == 6
    assert list_headings(page) == [a["title"] for a in june]

    assert visited == [seed_site + path for path in JOURNEY]
    assert watch.take() == []


@pytest.mark.parametrize("path", JOURNEY)
def test_every_page_on_the_journey_loads_cleanly_and_is_styled(
    seed_site: str, new_page: NewPage, path: str
) -> None:
    page = new_page()
    watch = PageWatch(page)
    page.goto(seed_site + path, wait_until="load")
    assert watch.take() == []
    assert "Georgia" in body_style(page, "font-family")
    assert body_style(page, "background-color") == "rgb(253, 252, 249)"  # --bg, light


@pytest.mark.parametrize("path", ["", ARTICLE])
def test_a_phone_has_no_horizontal_scroll(seed_site: str, new_page: NewPage, path: str) -> None:
    page = new_page(viewport=PHONE)
    page.goto(seed_site + path)
    assert page.evaluate("window.innerWidth") == PHONE["width"]
    assert has_no_horizontal_scroll(page)


def test_the_skip_link_shows_when_a_keyboard_reader_tabs_in(
    seed_site: str, new_page: NewPage
) -> None:
    page = new_page(viewport=PHONE)
    page.goto(seed_site)
    skip = page.get_by_role("link", name="Skip to content")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport(ratio=1)
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["y"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    page.keyboard.press("Enter")
    expect(page).to_have_url(seed_site + "#main")


def test_dark_mode_has_a_dark_background_and_readable_text(
    seed_site: str, new_page: NewPage
) -> None:
    page = new_page(color_scheme="dark")
    page.goto(seed_site)
    background = luminance(body_style(page, "background-color"))
    text = luminance(body_style(page, "color"))
    assert background < 0.2
    assert contrast(text, background) >= 7


SHOTS = [
    (f"{name}-{device}", path, viewport)
    for name, path in [("home", ""), ("article", ARTICLE)]
    for device, viewport in [("phone", PHONE), ("desktop", DESKTOP)]
]


@pytest.mark.parametrize(("shot", "path", "viewport"), SHOTS, ids=[s[0] for s in SHOTS])
def test_screenshots_are_written_for_people_to_look_at(
    seed_site: str, new_page: NewPage, shot: str, path: str, viewport: dict[str, int]
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = SCREENSHOTS / f"{shot}.png"
    png.unlink(missing_ok=True)
    page = new_page(viewport=viewport)
    page.goto(seed_site + path)
    page.screenshot(path=png, full_page=True)
    assert png.stat().st_size > 0
    assert png_width(png) >= viewport["width"]


EVIL_TITLE = '<script>window.pwned=1</script>Evil <img src=x onerror="window.pwned=2">'
LONG_ADDRESS = "https://www.gob.pe/institucion/pcm/normas-legales/" + "decreto-supremo-" * 12


def test_a_long_address_in_a_summary_or_title_never_widens_a_phone_page(
    site_dir: Path, tmp_path: Path, new_page: NewPage
) -> None:
    (site_dir / "articles" / "2021" / "2021-08-16-long.md").write_text(
        f"---\ntitle: Decree {'x' * 120}\ndate: 2021-08-16\nsource: Daily Andes\n"
        f"url: https://andes.test/long\ntopics: [election]\n---\n\nThe decree: {LONG_ADDRESS}\n",
        encoding="utf-8",
    )
    output = tmp_path / "public"
    build(site_dir, TEMPLATES, output, search=False)
    with serve(output) as url:
        page = new_page(viewport=PHONE)
        for path in ("", "2021/08/decree-" + "x" * 120 + "/", "topics/election/"):
            page.goto(url + path)
            assert has_no_horizontal_scroll(page), path


EVIL_BODY = """\
<script>window.pwned=3</script>

A [link](javascript:window.pwned=4) and <a href="#" onclick="window.pwned=5">y</a>.

<svg onload="window.pwned=6"><circle r="1"/></svg>
"""

STAYS_ON_PAGE = """a => !a.hasAttribute('href') || a.protocol === 'javascript:'
    || a.href.split('#')[0] === location.href.split('#')[0]"""


def test_no_script_in_a_title_or_summary_ever_runs(
    site_dir: Path, tmp_path: Path, new_page: NewPage
) -> None:
    article = site_dir / "articles" / "2021" / "2021-08-15-evil.md"
    title = yaml.safe_dump({"title": EVIL_TITLE}, allow_unicode=True, width=1000).strip()
    article.write_text(
        f"---\n{title}\ndate: 2021-08-15\nsource: Daily Andes\n"
        f"url: https://andes.test/evil\ntopics: [election]\n---\n\n{EVIL_BODY}",
        encoding="utf-8",
    )
    output = tmp_path / "public"
    build(site_dir, TEMPLATES, output)

    with serve(output) as url:
        page = new_page()
        watch = PageWatch(page)
        page.goto(url)
        evil_link = page.get_by_role("main").get_by_role("link", name=re.compile("Evil"))
        expect(evil_link).to_have_text(EVIL_TITLE)
        article_url = url + str(evil_link.get_attribute("href")).removeprefix("./")

        for address in (url, article_url, url + "topics/election/"):
            page.goto(address)
            links = page.locator("main .text a")
            for index in range(links.count()):
                link = links.nth(index)
                if link.evaluate(STAYS_ON_PAGE):
                    link.click()
            assert page.evaluate("typeof window.pwned") == "undefined", address
            assert watch.take() == [], address

        page.goto(article_url)
        expect(page.get_by_role("heading", level=1)).to_have_text(EVIL_TITLE)
        expect(page.get_by_role("heading", level=1)).to_contain_text("<script>")
        assert page.evaluate("typeof window.pwned") == "undefined"
