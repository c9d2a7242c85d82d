"""The Jinja environment and drawing one page: escaping, strictness and the interface language."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from peru_digest.errors import DigestError
from peru_digest.group import ArticleData, ListData, NoData, Page
from peru_digest.i18n import interface
from peru_digest.model import Article, Site, Source, Summary, Topic
from peru_digest.render import (
    Failure,
    KeptGettext,
    Renderer,
    by_day,
    check_templates,
    escape,
    failure_problems,
    make_environment,
    shown,
)
from peru_digest.views import ArticleViews, FeedLink, Pager, site_view

from .conftest import LIMA, TEMPLATES, site_config

CONFIG = site_config(title="Test & Digest")
SITE = Site(
    CONFIG,
    MappingProxyType({"election": Topic("election", "Election", "")}),
    MappingProxyType({"Daily Andes": Source("daily-andes", "Daily Andes", "", "")}),
)
SUMMARIES = {"s": Summary("Voters went to the polls.", "<p>Voters went.</p>", "Voters went.")}


def article(slug: str, when: datetime, title: str = "Runoff Day") -> Article:
    return Article(
        path=f"articles/{slug}.md",
        title=title,
        date=when,
        source="Daily Andes",
        authors=(),
        url="https://andes.test/runoff",
        topics=("election",),
        slug=slug,
        written_id=f"urn:test:{slug}",
        summary_key="s",
    )


RUNOFF = article("runoff-day", datetime(2021, 6, 6, 22, 30, tzinfo=LIMA))


def renderer(site: Site = SITE, templates: Path = TEMPLATES) -> Renderer:
    env = make_environment(templates, site.config.language)
    return Renderer(env, site_view(site, search=False), ArticleViews(site, SUMMARIES))


def render(source: str, language: str = "en", **values: Any) -> str:
    return make_environment(TEMPLATES, language).from_string(source).render(**values)


def not_found(title: str = "Page not found") -> Page:
    return Page("404.html", "404.html", title, NoData(), anywhere=True)


# The environment ---------------------------------------------------------------------------


def test_every_value_is_escaped_for_html() -> None:
    assert render("<p>{{ x }}</p>", x='<b class="x">A & B</b>') == (
        "<p>&lt;b class=&#34;x&#34;&gt;A &amp; B&lt;/b&gt;</p>"
    )


class Safe:
    def __init__(self, html: str) -> None:
        self.html = html

    def __html__(self) -> str:
        return self.html


values = st.one_of(
    st.text(),
    st.text().map(Markup),
    st.text().map(Safe),
    st.integers(),
    st.floats(allow_nan=False),
    st.none(),
    st.booleans(),
)


@given(values)
def test_the_quick_escape_gives_what_markupsafe_gives(value: object) -> None:
    quick = escape(value)
    assert type(quick) is Markup
    assert quick == markupsafe.escape(value)


def test_templates_escape_with_the_quick_escape_in_blocks_macros_and_templates_they_extend(
    tmp_path: Path,
) -> None:
    (tmp_path / "base.html").write_text("<title>{{ x }}</title>{% block main %}{% endblock %}")
    (tmp_path / "page.html").write_text(
        '{% extends "base.html" %}{% macro m(v) %}<b>{{ v }}</b>{% endmacro %}'
        "{% block main %}{{ m(x) }}{% endblock %}"
    )
    for _ in range(2):  # compiled, then from the kept bytecode
        env = make_environment(tmp_path)
        for name in ("base.html", "page.html"):
            assert env.get_template(name).root_render_func.__globals__["escape"] is escape
        assert env.get_template("page.html").render(x="<i>") == (
            "<title>&lt;i&gt;</title><b>&lt;i&gt;</b>"
        )


def test_an_undefined_variable_raises_instead_of_printing_nothing() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'missing' is undefined"):
        render("{{ missing }}")


def test_a_missing_key_of_a_dict_raises_even_when_only_tested() -> None:
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
        render("{% if page.missing %}x{% endif %}", page={"title": "t"})


def test_a_dict_key_is_found_before_a_method_of_the_same_name() -> None:
    assert render("{{ d.items | join(',') }}", d={"items": ["a", "b"]}) == "a,b"


def test_the_i18n_extension_is_installed() -> None:
    env = make_environment(TEMPLATES)
    assert "jinja2.ext.InternationalizationExtension" in env.extensions


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Archive · Search · Topics"), ("es", "Archivo · Buscar · Temas")],
)
def test_templates_speak_the_site_language(language: str, words: str) -> None:
    source = '{{ _("Archive") }} · {% trans %}Search{% endtrans %} · {{ gettext("Topics") }}'
    assert render(source, language) == words


def test_values_put_into_a_translation_are_escaped() -> None:
    source = '{{ _("%(heading)s (page %(number)s of %(total)s)", heading=h, number=2, total=3) }}'
    assert render(source, "es", h="<i>Elección</i>") == (
        "&lt;i&gt;Elección&lt;/i&gt; (página 2 de 3)"
    )


@pytest.mark.parametrize(("language", "shown_as"), [("en", "12,345"), ("es", "12.345")])
def test_numbers_are_grouped_as_the_site_language_groups_them(language: str, shown_as: str) -> None:
    assert render("{{ 12345 | number }}", language) == shown_as


@pytest.mark.parametrize("language", ["en", "es"])
def test_translations_kept_from_page_to_page_are_what_jinja_would_give(language: str) -> None:
    source = (
        '{% for n in range(3) %}{{ _("Search") }} {{ gettext("Page not found") }} '
        '{{ _("%(heading)s (page %(number)s of %(total)s)", heading="<b>", number=n, total=3) }} '
        "{% trans count=n, number=n %}{{ number }} article{% pluralize count %}"
        "{{ number }} articles{% endtrans %} "
        '{% autoescape false %}{{ _("%(heading)s (page %(number)s of %(total)s)", heading="<b>", '
        "number=n, total=3) }}{% endautoescape %};{% endfor %}"
    )
    jinja = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    jinja.install_gettext_translations(interface(language).translations, newstyle=True)  # type: ignore[attr-defined]
    expected = jinja.from_string(source).render()
    assert "<b>" in expected and "&lt;b&gt;" in expected  # both ways of escaping are tried
    assert make_environment(TEMPLATES, language).from_string(source).render() == expected


@given(
    st.sampled_from(["by %(names)s", "%(a)s, 100%% %(b)s", "%(a)s is %(n)d", "%(n)5.1f: %(a)r"]),
    values,
    values,
    st.integers(-99, 99),
)
def test_a_message_is_filled_in_as_markupsafe_fills_it(
    message: str, a: object, b: object, n: int
) -> None:
    filled = {"names": a, "a": a, "b": b, "n": n, "unused": b}
    kept = KeptGettext(interface("en").translations)
    for _ in range(2):  # the way it takes is kept for the message
        assert kept.fill(Markup(message), filled) == Markup(message) % filled


def test_plural_messages_follow_the_count() -> None:
    source = '{% from "_macros.html" import count %}{{ count(1) }} / {{ count(1234) }}'
    assert render(source) == "1 article / 1,234 articles"
    assert render(source, "es") == "1 artículo / 1.234 artículos"


# Templates that fail -----------------------------------------------------------------------


def test_a_template_that_uses_an_undefined_name_fails_at_its_file_and_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "broken.html").write_text("<p>fine</p>\n<p>{{ nope }}</p>\n", "utf-8")
    draw = renderer(templates=tmp_path)

    with pytest.raises(DigestError) as raised:
        draw(Page("topics/index.html", "broken.html", "Topics", NoData()))

    (problem,) = raised.value.problems
    assert (problem.path, problem.line, problem.message) == (
        (tmp_path / "broken.html").as_posix(),
        2,
        "cannot render topics/index.html: 'nope' is undefined",
    )


def test_template_syntax_errors_and_missing_templates_are_all_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text("ok\n{% if %}\n", "utf-8")
    (tmp_path / "good.html").write_text("{{ 1 }}", "utf-8")

    problems = check_templates(make_environment(tmp_path), {"good.html", "bad.html", "gone.html"})

    assert [str(p) for p in problems] == [
        f"{tmp_path.as_posix()}/bad.html:2: Expected an expression, got 'end of statement block'",
        f"{tmp_path.as_posix()}/gone.html: template not found: gone.html\n"
        "  hint: run from the project's folder, or name the templates' folder with --templates",
    ]


def test_a_missing_templates_folder_is_one_problem_not_one_per_template(tmp_path: Path) -> None:
    """Run from another folder, a build would otherwise name every page template missing."""
    env = make_environment(tmp_path / "templates")

    problems = check_templates(env, {"article.html", "list.html", "base.html"})

    assert [str(p) for p in problems] == [
        f"{tmp_path.as_posix()}/templates: no such folder\n"
        "  hint: run from the project's folder, or name the templates' folder with --templates",
    ]


def test_one_mistake_that_failed_several_pages_is_one_problem_naming_one_page() -> None:
    failures = [
        Failure("list.html", 3, "'x' is undefined", "topics/b/"),
        Failure("list.html", 3, "'x' is undefined", "topics/a/"),
        Failure("list.html", 9, "'y' is undefined", "topics/a/"),
        Failure("base.html", 1, "'z' is undefined", "index.html"),
        Failure("base.html", 1, "'z' is undefined", "a/"),
        Failure("base.html", 1, "'z' is undefined", "b/"),
    ]
    assert [str(problem) for problem in failure_problems(failures)] == [
        "list.html:3: cannot render topics/a/ and 1 other page: 'x' is undefined",
        "list.html:9: cannot render topics/a/: 'y' is undefined",
        "base.html:1: cannot render a/ and 2 other pages: 'z' is undefined",
    ]


def test_a_template_and_what_it_includes_must_be_utf8_text(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text('{% include "_part.html" %}', "utf-8")
    (tmp_path / "_part.html").write_bytes(b"<p>ok</p>\n<p>Per\xfa</p>\n")  # Windows-1252

    problems = check_templates(make_environment(tmp_path), {"page.html"})

    assert [str(p) for p in problems] == [
        f"{tmp_path.as_posix()}/_part.html:2: not UTF-8 text (invalid start byte)\n"
        "  hint: save it as UTF-8"
    ]


def test_an_error_a_template_expression_raises_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "sums.html").write_text("<p>fine</p>\n<p>{{ 1 // 0 }}</p>\n", "utf-8")

    with pytest.raises(DigestError) as raised:
        renderer(templates=tmp_path)(Page("topics/index.html", "sums.html", "Topics", NoData()))

    (problem,) = raised.value.problems
    assert (problem.path, problem.line, problem.message) == (
        (tmp_path / "sums.html").as_posix(),
        2,
        "cannot render topics/index.html: ZeroDivisionError: integer division or modulo by zero",
    )


# Drawing pages -----------------------------------------------------------------------------


def test_html_in_a_page_title_is_escaped_in_the_page() -> None:
    text = renderer()(not_found("<script>alert(1)</script>"))

    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · Test &amp; Digest</title>" in text
    assert "<script>alert(1)" not in text


def test_html_in_an_article_title_is_escaped_and_its_json_ld_is_not_escaped_twice() -> None:
    hostile = replace(RUNOFF, title='<img src=x onerror="alert(1)">')
    page = Page(
        "2021/06/runoff-day/index.html", "article.html", hostile.title, ArticleData(hostile, ())
    )
    text = renderer()(page)

    assert "<h1>&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</h1>" in text
    assert "<img src=x" not in text
    assert (
        '<script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "NewsArticle", "headline": "\\u003cimg src=x onerror=\\"alert(1)\\"\\u003e",'
    ) in text
    assert "<p>Voters went.</p>" in text  # the sanitized summary, as it is


def test_a_page_served_at_any_address_links_from_the_root_path_of_the_base_url() -> None:
    text = renderer()(not_found())

    assert '<a href="/peru/topics/">Browse by topic</a>' in text
    assert '<link rel="canonical" href="https://example.org/peru/404.html">' in text


def test_a_spanish_site_draws_its_pages_in_spanish() -> None:
    spanish = replace(SITE, config=replace(CONFIG, language="es"))
    text = renderer(spanish)(Page("404.html", "404.html", "Página no encontrada", NoData()))

    assert '<html lang="es">' in text
    assert "<h1>Página no encontrada</h1>" in text
    assert "No hay ninguna página en esta dirección." in text
    assert "Page not found" not in text


def test_a_page_context_has_the_way_back_to_the_root_and_its_absolute_url() -> None:
    context = renderer().context(
        Page("2021/06/runoff-day/index.html", "article.html", "Runoff Day", ArticleData(RUNOFF, ()))
    )

    assert context["root"] == "../../../"
    assert context["page"] == {
        "path": "2021/06/runoff-day/",
        "title": "Runoff Day",
        "url": "https://example.org/peru/2021/06/runoff-day/",
    }


def test_every_page_announces_the_site_feeds_first_then_its_own() -> None:
    own = FeedLink(
        title="Election (RSS)", type="application/rss+xml", path="topics/election/feed.xml"
    )
    page = Page("topics/election/index.html", "404.html", "Election", NoData(), feeds=(own,))

    assert [f["path"] for f in renderer().context(page)["feeds"]] == [
        "feed.xml",
        "atom.xml",
        "feed.json",
        "topics/election/feed.xml",
    ]
    assert renderer().context(not_found())["feeds"][0]["title"] == "Test & Digest (RSS)"


def test_a_copy_of_a_page_names_the_original_as_its_url() -> None:
    copy = Page(
        "editions/latest/index.html", "404.html", "Latest", NoData(), canonical="editions/2021-W22/"
    )

    assert renderer().context(copy)["page"]["url"] == "https://example.org/peru/editions/2021-W22/"


def test_a_list_page_puts_articles_of_the_same_day_under_one_heading() -> None:
    articles = (
        article("c", datetime(2021, 6, 7, 8, 0, tzinfo=LIMA)),
        article("b", datetime(2021, 6, 6, 22, 0, tzinfo=LIMA)),
        article("a", datetime(2021, 6, 6, 9, 0, tzinfo=LIMA)),
    )
    pager = Pager(1, 1, prev_file=None, next_file=None)
    data = ListData("home", "Latest articles", articles, pager)
    context = renderer().context(Page("index.html", "list.html", "Latest articles", data))

    sections = context["sections"]  # type: ignore[typeddict-item]
    assert [(s["day"], s["label"], [a["path"] for a in s["articles"]]) for s in sections] == [
        ("2021-06-07", "7 June 2021", ["2021/06/c/"]),
        ("2021-06-06", "6 June 2021", ["2021/06/b/", "2021/06/a/"]),
    ]


def test_articles_of_one_day_apart_from_each_other_get_a_heading_each() -> None:
    views = ArticleViews(SITE, SUMMARIES)
    days = [datetime(2021, 6, d, tzinfo=LIMA) for d in (7, 6, 7)]
    sections = by_day([views(article(f"a-{n}", day)) for n, day in enumerate(days)])

    assert [s["day"] for s in sections] == ["2021-06-07", "2021-06-06", "2021-06-07"]


def test_an_article_page_shows_its_article_and_the_related_ones() -> None:
    other = article("other", datetime(2021, 6, 5, tzinfo=LIMA))
    page = Page(
        "2021/06/runoff-day/index.html", "article.html", "Runoff Day", ArticleData(RUNOFF, (other,))
    )

    assert shown(page) == (RUNOFF, other)
    assert shown(not_found()) == ()


def test_a_reused_card_is_the_macro_s_own_html_for_each_depth_of_page() -> None:
    env = make_environment(TEMPLATES)
    view = ArticleViews(SITE, SUMMARIES)(RUNOFF)
    source = (
        '{% from "_macros.html" import summary_card with context %}'
        "{{ reuse(summary_card, article) }}|{{ summary_card(article) }}"
    )
    site = site_view(SITE, search=False)
    drawn = {}
    for root in ("", "../../", "", "../../"):  # the second time, from what was kept
        reused, direct = (
            env.from_string(source).render(article=view, root=root, site=site).split("|")
        )
        assert reused == direct
        drawn[root] = reused
    assert 'href="2021/06/runoff-day/"' in drawn[""]
    assert 'href="../../2021/06/runoff-day/"' in drawn["../../"]


def test_reuse_tells_macros_of_the_same_name_apart_and_escapes_what_is_not_safe() -> None:
    env = make_environment(TEMPLATES)
    view = {"title": "<script>x</script>", "path": "a/"}
    text = env.from_string(
        "{% autoescape false %}{% macro card(a) %}<i>{{ a.title }}</i>{% endmacro %}"
        "{{ reuse(card, article) }}{% endautoescape %}"
    )
    page = env.from_string(
        "{% macro card(a) %}<b>{{ a.title }}</b>{% endmacro %}{{ reuse(card, article) }}"
    )
    assert text.render(article=view, root="") == "<i><script>x</script></i>"  # not escaped there
    assert page.render(article=view, root="") == "<b>&lt;script&gt;x&lt;/script&gt;</b>"


def test_a_translation_may_name_its_values_as_it_likes() -> None:
    source = (
        "{% trans n=3, message='m' %}{{ n }} {{ message }}{% pluralize n %}"
        "{{ n }} {{ message }}s{% endtrans %}"
    )
    assert render(source) == "3 ms"
