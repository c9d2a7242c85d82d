"""The real site, checked as a whole: valid HTML and CSS everywhere (the current Nu checker),
no broken link at any address.

The Nu HTML Checker is vnu.jar from npm's ``vnu-jar``, pinned in package.json and
package-lock.json; ``make test`` installs it with ``npm ci --ignore-scripts`` (its install script
would download a Java runtime; the system's Java runs it instead).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from peru_digest.build import build
from peru_digest.linkcheck import broken_links

from .browser import PAGE_KINDS, file_of
from .conftest import ROOT, SEED_SITE, TEMPLATES, WriteArticle, require_tool

CONTENT = SEED_SITE
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
VNU_VERSION = json.loads((ROOT / "package.json").read_text("utf-8"))["devDependencies"]["vnu-jar"]


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("real") / "public"
    build(CONTENT, TEMPLATES, output)
    return output


def nu_check(files: list[Path]) -> list[dict[str, Any]]:
    """Every message the Nu checker has about ``files`` (HTML, and CSS and SVG by extension)."""
    require_tool(
        shutil.which("java") is not None,
        "Java is needed for the Nu HTML Checker (apt-get install default-jre-headless)",
    )
    require_tool(
        VNU_JAR.is_file(),
        f"the Nu HTML Checker is not installed at {VNU_JAR.relative_to(ROOT)}: "
        "run `npm ci --ignore-scripts` (`make test` does, when npm is on the PATH)",
    )
    options = ["--format", "json", "--stdout", "--exit-zero-always"]
    options += ["--also-check-css", "--also-check-svg"]  # .css and .svg files too
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), *options, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["version"].startswith(f"{VNU_VERSION} "), (
        f"vnu.jar {report['version']} is installed, package.json asks for {VNU_VERSION}: "
        "run `npm ci --ignore-scripts`"
    )
    messages: list[dict[str, Any]] = report["messages"]
    return messages


def nu_report(messages: list[dict[str, Any]], root: Path) -> str:
    """One line per message: kind, file:line:column, text."""
    lines = []
    for message in messages:
        kind = "/".join(filter(None, [message["type"], message.get("subType")]))
        where = str(message.get("url", "")).removeprefix("file:").replace(f"{root}/", "")
        line = message.get("lastLine", "?")
        column = message.get("firstColumn", message.get("lastColumn", "?"))
        lines.append(f"- {kind} at {where}:{line}:{column}: {message['message']}")
    return "\n".join(lines)


def test_the_nu_checker_finds_no_error_and_no_warning_in_any_page_or_the_stylesheet(
    real_site: Path, kinds_site_folder: Path, spanish_site_folder: Path
) -> None:
    # The seed site as it is, and paged by 10 so that the home page's page 2 is checked too;
    # and that in Spanish.
    pages = sorted(real_site.rglob("*.html")) + sorted(kinds_site_folder.rglob("*.html"))
    pages += sorted(spanish_site_folder.rglob("*.html"))
    for site in (kinds_site_folder, spanish_site_folder):
        assert {site / file_of(path) for path in PAGE_KINDS.values()} <= set(pages)
    files = [*pages, real_site / "style.css", real_site / "favicon.svg"]

    messages = nu_check(files)

    root = real_site.parent.parent
    assert messages == [], (
        f"the Nu checker has {len(messages)} message(s) about {len(files)} files:\n"
        + nu_report(messages, root)
    )


def test_the_nu_checker_finds_nothing_in_pages_drawn_from_awkward_content(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    # What sanitizing leaves of hostile markup, and an address HTML refuses as written.
    write_article(
        "odd.md",
        "title: Odd\ndate: 2021-08-03\nsource: Lima Weekly\nurl: https://l.test/a|b^c?x={1}#f#g",
        '[x](javascript:alert(1)) <a href="javascript:x" title="see href=here">y</a> '
        "![chart](javascript:alert(1)) [bs](\\\\evil.example/x) ![](data:image/png;base64,AA)",
    )
    output = tmp_path / "public"
    build(site_dir, TEMPLATES, output, search=False)
    pages = [output / "index.html", output / "2021/08/odd/index.html"]

    messages = nu_check(pages)

    assert messages == [], nu_report(messages, output)


def test_the_nu_checker_reads_css_and_reports_an_unknown_property_and_value(
    tmp_path: Path,
) -> None:
    # A stylesheet the checker must reject, proving the gate above checks CSS at all;
    # color-scheme, which the old checker rejected, is accepted.
    bad = tmp_path / "bad.css"
    bad.write_text(":root { color-scheme: light dark; }\na { colr: red; color: bluee; }\n")
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><title>t</title><p>a</div>\n')

    messages = nu_check([bad, page])

    assert [(Path(m["url"]).name, m["type"], m["message"]) for m in messages] == [
        ("bad.css", "error", "CSS: “colr”: Property “colr” doesn't exist."),
        ("bad.css", "error", "CSS: “color”: “bluee” is not a “color” value."),
        ("bad.html", "error", "Stray end tag “div”."),
    ]


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


def test_the_sitemap_lists_every_page_but_copies_and_robots_names_it(real_site: Path) -> None:
    sitemap = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    latest = real_site / "editions" / "latest" / "index.html"  # a copy: canonical elsewhere
    pages = [p for p in real_site.rglob("index.html") if "search" not in p.parts and p != latest]
    assert sitemap.count("<loc>") == len(pages)
    assert "https://peru-digest.example.org/editions/latest/" not in sitemap
    assert "<loc>https://peru-digest.example.org/editions/2021-W35/</loc>" in sitemap
    assert (
        "<loc>https://peru-digest.example.org/2021/08/peru-on-the-lima-group/</loc>\n"
        "    <lastmod>2021-08-06T00:00:00-05:00</lastmod>"
    ) in sitemap
    robots = (real_site / "robots.txt").read_text(encoding="utf-8")
    assert robots.endswith("Sitemap: https://peru-digest.example.org/sitemap.xml\n")


def test_the_stylesheet_stays_small() -> None:
    assert (TEMPLATES / "static" / "style.css").stat().st_size < 20_000
