"""No text an editor or a feed puts into the content runs as script for a reader: the well-known
ways of slipping script into a page (markup, event handlers, script addresses, breaking out of
an attribute, a title or a JSON-LD block, parser confusions that sanitizers have missed), each
put into every field a page shows, and every page of the site opened in Chromium, the search
page's results included. Each way sets ``window.pwned`` to its own number if it ever runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from peru_digest.build import build

from .browser import NewPage, PageWatch, serve
from .conftest import TEMPLATES, WriteArticle

pytestmark = pytest.mark.browser

WAYS = [
    "<script>window.pwned=1</script>",
    "<img src=x onerror=window.pwned=2>",
    "<svg/onload=window.pwned=3>",
    '"><script>window.pwned=4</script>',
    "'><img src=x onerror=window.pwned=5>",
    "</title><script>window.pwned=6</script>",
    "</script><script>window.pwned=7</script>",
    "<!--<script>window.pwned=8</script>-->",
    '<a href="javascript:window.pwned=9">j9</a>',
    "[j10](javascript:window.pwned=10)",
    "[j11](jav&#x09;ascript:window.pwned=11)",
    '<iframe srcdoc="<script>parent.pwned=12</script>"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.pwned=13>",
    '<noscript><p title="</noscript><img src=x onerror=window.pwned=14>">',
    "<details open ontoggle=window.pwned=15>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.pwned=16">',
    '<base href="javascript:window.pwned=17//">',
    '<object data="javascript:window.pwned=18"></object>',
    '<form action="javascript:window.pwned=19"><button>j19</button></form>',
    "<input autofocus onfocus=window.pwned=20>",
    "<template><script>window.pwned=21</script></template>",
    "<svg><script>window.pwned=22</script></svg>",
    "<xmp><img src=x onerror=window.pwned=23></xmp>",
    "<!--><img src=x onerror=window.pwned=24>-->",
    "<scr<script>ipt>window.pwned=25</script>",
    "<IMG SRC=JaVaScRiPt:window.pwned=26>",
    '<a href="&#106;avascript:window.pwned=27">j27</a>',
    '<svg><a xlink:href="javascript:window.pwned=28"><text y="9">j28</text></a></svg>',
    "<select><template shadowrootmode=open><img src=x onerror=window.pwned=29></template>",
    "<javascript:window.pwned=30>",
    '<a href=" \tjavascript:window.pwned=31">j31</a>',
    "\u2028</script><script>window.pwned=32</script>",
    "{{ 7*7 }}{% raw %}<style>@import 'javascript:window.pwned=33'</style>",
    '<div style="background:url(javascript:window.pwned=34)">j34</div>',
    "]]><script>window.pwned=35</script><![CDATA[",
    "&lt;script&gt;window.pwned=36&lt;/script&gt;",
]
ONE_LINE = [way for way in WAYS if way.isprintable()]  # for names and titles: one line


def hostile_site(site_dir: Path, write_article: WriteArticle) -> None:
    """Every way, in the site's title and description, an outlet's, a topic's and an author's
    name and description, and in articles' titles, bylines and summaries."""
    settings = yaml.safe_load((site_dir / "site.yaml").read_text(encoding="utf-8"))
    settings.update(title="Digest " + ONE_LINE[3], description=" ".join(ONE_LINE[:12]))
    write_yaml(site_dir / "site.yaml", settings)
    outlet = {"name": "Outlet " + ONE_LINE[0], "homepage": "https://o.test/"}
    append_yaml(site_dir / "sources.yaml", [{**outlet, "description": " ".join(ONE_LINE)}])
    append_yaml(
        site_dir / "topics.yaml",
        [{"slug": "evil", "name": "Topic " + ONE_LINE[1], "description": " ".join(ONE_LINE)}],
    )
    write_yaml(
        site_dir / "authors.yaml",
        [{"name": "Author " + ONE_LINE[2], "description": " ".join(ONE_LINE)}],
    )
    for number in range(0, len(ONE_LINE), 6):  # six ways to a title: fewer pages to open
        ways = " ".join(ONE_LINE[number : number + 6])
        front = {
            "title": f"Evil {number} {ways}",
            "date": f"2021-08-{1 + number:02d}",
            "source": "Outlet " + ONE_LINE[0],
            "authors": ["Author " + ONE_LINE[2], f"Writer {number} {ways}"],
            "url": f"https://o.test/{number}",
            "topics": ["evil"],
        }
        write_article(
            f"2021/evil-{number}.md",
            yaml.safe_dump(front, allow_unicode=True, width=10_000),
            "Evil summary.\n\n" + "\n\n".join(WAYS),
        )


def write_yaml(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, width=10_000), encoding="utf-8")


def append_yaml(path: Path, entries: list[dict[str, str]]) -> None:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) + entries
    write_yaml(path, entries)


def click_what_stays_here(page: Page) -> None:
    """Click every link, button and summary in the articles' texts that would not leave the
    page (a script address runs where it is; another page would end the check)."""
    found = page.locator("main .text a, main .text button, main .text summary")
    for index in range(found.count()):
        element = found.nth(index)
        if element.is_visible() and element.evaluate(STAYS_HERE):
            element.click(timeout=2000, no_wait_after=True)


NOT_THERE = re.compile(r"/x(?:'|$)")  # the address of <img src=x>, as a problem names it

# The lists that show the summaries; each article page shows its own (the same one).
CLICKED = {"index.html", "topics/evil/index.html", "2021/08/index.html"}
STAYS_HERE = """e => e.tagName !== 'A' || !e.hasAttribute('href') || e.protocol === 'javascript:'
    || e.href.split('#')[0] === location.href.split('#')[0]"""


def test_no_way_of_slipping_script_into_any_field_runs_on_any_page_or_in_search(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path, new_page: NewPage
) -> None:
    hostile_site(site_dir, write_article)
    output = tmp_path / "public"
    build(site_dir, TEMPLATES, output)
    pages = sorted(path.relative_to(output).as_posix() for path in output.rglob("*.html"))
    pages = [page for page in pages if not page.startswith("pagefind/")]

    with serve(output) as url:
        page = new_page()
        watch = PageWatch(page)
        for path in pages:
            page.goto(url + path.removesuffix("index.html"))
            if path in CLICKED or path.startswith("2021/08/evil-0-"):
                click_what_stays_here(page)
            assert page.evaluate("typeof window.pwned") == "undefined", path
        page.goto(url + "search/?q=evil")
        expect(page.locator(".pagefind-ui__result").first).to_be_visible()
        expect(page.locator(".pagefind-ui__result-title").first).to_contain_text("Evil")
        assert page.evaluate("typeof window.pwned") == "undefined", "search"
        # what is left of <img src=x> once sanitized: an image that is not there, harmless
        assert [seen for seen in watch.take() if not NOT_THERE.search(seen)] == []
