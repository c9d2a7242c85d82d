"""A summary as an article's body: sanitized, without trackers, its addresses absolute."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest.importers.summaries import (
    MAX_DEPTH,
    SUMMARY_WORDS,
    first_sentence,
    is_blank,
    opening,
    summary_html,
    without_title,
    words_of,
)
from peru_digest.markup import beyond_limits

BASE = "https://news.test/2022/story/"


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        (
            '<p>Text.</p><img src="https://pixel.wp.com/b.gif?x=1" width="1" height="1">',
            "<p>Text.</p>",
        ),
        ('<p>Text.<img src="https://stats.other.test/c" width="1" height="1"></p>', "<p>Text.</p>"),
        (
            '<p>Text.</p><p><img src="https://www.google-analytics.com/__utm.gif"></p>',
            "<p>Text.</p>",
        ),
        (
            '<p>Text.</p><a href="http://feeds.feedburner.com/~ff/x?a=1">'
            '<img src="http://feeds.feedburner.com/~ff/x?d=1"></a>',
            "<p>Text.</p>",
        ),
        (
            "<p>Text.</p><p>The post <a href='https://w.test/a'>A</a> appeared first on "
            "<a href='https://w.test'>W</a>.</p>",
            "<p>Text.</p>",
        ),
        ("<p>Texto.</p><p>La entrada X se publicó primero en Y.</p>", "<p>Texto.</p>"),
        (
            '<p>Photo: <img src="photo.jpg" width="320" height="180"></p>',
            f'<p>Photo: <img alt="" src="{BASE}photo.jpg" width="320" height="180"></p>',
        ),
        ("Loose *text* and [a](b).", "<p>Loose *text* and [a](b).</p>"),
        (  # WordPress's "more" link, with the title it hides for screen readers
            '<p>…de la región. <a href="https://wayka.pe/dos/" class="more-link">Seguir leyendo '
            '<span class="screen-reader-text">Dos</span></a></p>',
            "<p>…de la región.</p>",
        ),
        ('<p>Lima.</p><p><a href="https://g.test/x">Continue reading...</a></p>', "<p>Lima.</p>"),
        (
            'Excerpt [&#8230;] <a href="https://x.test/">Leer más &raquo;</a>',
            "<p>Excerpt [...]</p>",
        ),
        ("<p>Texto largo [&#8230;]</p><p> </p>", "<p>Texto largo [...]</p>"),
        (  # a link that ends a summary but says what it links to stays
            '<p>See <a href="https://x.test/r">the report</a></p>',
            '<p>See <a href="https://x.test/r" rel="nofollow noopener noreferrer">the report'
            "</a></p>",
        ),
        (  # so does a "read more" in the middle of the text
            '<p><a href="https://x.test/r">Read more</a> on the mine, then vote.</p>',
            '<p><a href="https://x.test/r" rel="nofollow noopener noreferrer">Read more</a> on '
            "the mine, then vote.</p>",
        ),
        (  # a feed that escaped its HTML twice: every reference read once more
            "<p>Lima&amp;#8217;s mayor said&amp;#160;the AT&amp;amp;T deal was off.</p>",
            "<p>Lima’s mayor said&nbsp;the AT&amp;T deal was off.</p>",
        ),
        (  # one that did not may mean what it shows
            "<p>Type &amp;amp; in your source.</p>",
            "<p>Type &amp;amp; in your source.</p>",
        ),
        (  # and a last link that says more than "read more"
            '<p>Lee más: <a href="https://x.test/b">Lee más sobre la vacancia</a></p>',
            '<p>Lee más: <a href="https://x.test/b" rel="nofollow noopener noreferrer">Lee más '
            "sobre la vacancia</a></p>",
        ),
        (  # before the blog's footer and a tracker, which go first
            '<p>Texto [&#8230;] <a href="https://x.test/a">Read more</a></p><p>The post <a '
            'href="https://x.test/a">T</a> appeared first on <a href="https://x.test/">S</a>.</p>'
            '<img src="https://pixel.wp.com/b.gif" width="1" height="1">',
            "<p>Texto [...]</p>",
        ),
        (  # and before the line breaks that end it, which show nothing
            '<p>Castillo won.<br><a href="https://x.test/a">Leer más »</a><br/><br></p>',
            "<p>Castillo won.</p>",
        ),
        ("<p>Line one<br>line two<br></p><p><br></p>", "<p>Line one<br>line two</p>"),
        (  # in the blocks the sanitizer does not keep, as many feeds wrap their text
            "<div>Text <a href='https://x.test/m'>Read more</a><br></div>",
            "<p>Text</p>",
        ),
        ("<p>Text [&#8230;]<br></p><div></div>", "<p>Text [...]</p>"),
        (
            '<div>One.</div><div>Two [&#8230;] <a href="https://x.test/a">Leer más</a></div>',
            "<p>One.</p>\n<p>Two [...]</p>",
        ),
    ],
)
def test_summary_html(raw: str, body: str) -> None:
    assert summary_html(raw, BASE) == body


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        (  # Blogger's posts: lines in <div>s, headings the sanitizer does not keep
            "<div>Puno amaneció con paro.</div><div>Los dirigentes exigen.</div>"
            "<h5>Cusco</h5>En Cusco fue menor.",
            "<p>Puno amaneció con paro.</p>\n<p>Los dirigentes exigen.</p>\n<h4>Cusco</h4>\n"
            "<p>En Cusco fue menor.</p>",
        ),
        (
            '<figure><img src="a.jpg"><figcaption>Foto: Andina</figcaption></figure>Texto',
            f'<p><img alt="" src="{BASE}a.jpg"></p>\n<p>Foto: Andina</p>\n<p>Texto</p>',
        ),
        ("<dl><dt>Término</dt><dd>Definición</dd></dl>", "<p>Término</p>\n<p>Definición</p>"),
        ("Uno<center>Dos</center>", "<p>Uno</p>\n<p>Dos</p>"),
        ("<h1>Castillo</h1><p>Texto.</p>", "<h2>Castillo</h2>\n<p>Texto.</p>"),
        ('<div title="a>b">Uno</div>Dos', "<p>Uno</p>\n<p>Dos</p>"),
        ("<b>Uno<div>Dos</div>Tres</b>", "<p><b>Uno Dos Tres</b></p>"),  # no paragraph in a <b>
        (
            "<blockquote><div>Uno</div><div>Dos</div></blockquote>",
            "<blockquote>Uno Dos</blockquote>",
        ),
    ],
)
def test_blocks_the_sanitizer_drops_still_part_their_text(raw: str, body: str) -> None:
    """Without a break where a dropped block ended, "paro.</div><div>Los" reads "paro.Los"."""
    assert summary_html(raw, BASE) == body


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "<p>&nbsp;</p>",
        " <p>\u00a0</p> ",
        '<img src="http://feeds.feedburner.com/~r/x/~4/y" height="1" width="1" alt=""/>',
        "<script>alert(1)</script>",
        " [&#8230;]",  # WordPress's description of a post that is all video or photos
        "<p>…</p>",
        "<p>[...]</p><p>— · —</p>",
    ],
)
def test_a_summary_with_no_words_is_empty(raw: str) -> None:
    assert summary_html(raw, BASE) == ""
    assert is_blank(raw) or "script" in raw


@pytest.mark.parametrize(
    ("html", "title"),
    [
        ("<p>Dina Boluarte habló. El anuncio llegó tarde.</p>", "Dina Boluarte habló"),
        (
            "<p>La embajada de EE.UU. en Lima pidió calma. Y más.</p>",
            "La embajada de EE.UU. en Lima pidió calma",
        ),
        ("<p>¿Qué sigue? Nadie sabe.</p>", "¿Qué sigue?"),
        ("<p>One sentence only</p>", "One sentence only"),
        ("<p>" + "word " * 100 + "</p>", ("word " * 40).strip() + "…"),
    ],
)
def test_first_sentence(html: str, title: str) -> None:
    assert first_sentence(html) == title


@given(st.text(max_size=300))
def test_any_summary_becomes_markup_without_script(raw: str) -> None:
    body = summary_html(raw, BASE)
    assert "<script" not in body.lower()
    assert summary_html(body, BASE) == body or not body  # cleaning again changes nothing


def test_a_short_summary_has_no_opening_to_cut() -> None:
    assert opening("<p>Castillo juramenta.</p>\n<p>Dos párrafos.</p>") is None


def test_a_long_summary_keeps_its_first_whole_blocks_up_to_the_word_limit() -> None:
    blocks = [f"<p>{' '.join(['palabra'] * 40)} {n}.</p>" for n in range(10)]  # 41 words each
    assert opening("\n".join(blocks), most=100) == "\n".join(blocks[:2])


def test_a_first_block_longer_than_the_limit_is_cut_as_text() -> None:
    long = "<p><b>Lima</b> " + " ".join(f"w{n}" for n in range(300)) + "</p>"
    assert opening(long, most=5) == "<p>Lima w0 w1 w2 w3 [...]</p>"


def test_an_opening_keeps_within_the_limits_markdown_needs() -> None:
    """Short paragraphs, but more `<` than a summary may hold: blocks are kept while within."""
    link = '<a href="https://x.pe/">a</a>'
    blocks = [f"<p>{link * 6}</p>" for _ in range(20)]  # 240 `<`, 120 words
    cut = opening("\n".join(blocks))
    assert cut is not None
    assert not beyond_limits(cut)
    assert cut.startswith(blocks[0])


LONG = "<p>" + " ".join(f"w{n}" for n in range(200)) + "</p>"


@pytest.mark.parametrize(
    "first",
    [
        '<p><img src="https://x.pe/a.jpg" alt=""></p>',
        '<figure><img src="https://x.pe/a.jpg" alt=""><figcaption>Foto: Ana</figcaption></figure>',
        "<h2>LIMA</h2>",
    ],
    ids=["photo", "figure", "heading"],
)
def test_an_opening_that_starts_with_few_words_takes_in_the_next_blocks(first: str) -> None:
    cut = opening(first + "\n" + LONG)
    assert cut is not None
    assert len(cut.split("\n")) == 2
    assert len(words_of(cut)) >= SUMMARY_WORDS - 2
    assert cut.endswith(" [...]</p>")


def test_a_long_list_first_is_cut_with_its_items_apart() -> None:
    items = "".join(f"<li>item {n}</li>" for n in range(500))
    assert opening(f"<ul>{items}</ul>", most=4) == "<p>item 0 item 1 [...]</p>"


def test_a_gallery_too_large_to_keep_is_passed_over_for_the_text_after_it() -> None:
    gallery = "<p>" + '<a href="https://x.pe/g"><img src="https://x.pe/g.jpg" alt=""></a>' * 40
    cut = opening(gallery + "</p>\n" + LONG)
    assert cut is not None
    assert cut.startswith("<p>w0 w1 ") and cut.endswith(" [...]</p>")


def test_footnote_brackets_in_a_cut_block_do_not_count_as_markdown_links() -> None:
    notes = "<p>" + " ".join(f"dato [{n}]" for n in range(100)) + "</p>"
    cut = opening(notes)
    assert cut is not None
    assert not beyond_limits(cut)
    assert "dato &#91;0&#93; dato &#91;1&#93;" in cut


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ("<h3>El  Gabinete</h3>\n<p>Texto.</p>", "<p>Texto.</p>"),  # the title again: gone
        ("<h2>Otro título</h2>\n<p>Texto.</p>", "<h2>Otro título</h2>\n<p>Texto.</p>"),
        ("<p>El gabinete</p>\n<p>Texto.</p>", "<p>El gabinete</p>\n<p>Texto.</p>"),  # no heading
        ("<h3>El gabinete</h3>", "<h3>El gabinete</h3>"),  # nothing else: kept
    ],
)
def test_a_first_heading_that_says_the_title_again_goes(html: str, kept: str) -> None:
    assert without_title(html, "El gabinete") == kept


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        (  # an apostrophe in an unquoted attribute value quotes nothing
            "<div class=Peru's>Castillo's cabinet.</div><p>More.</p>",
            "<p>Castillo's cabinet.</p>\n<p>More.</p>",
        ),
        (  # a paragraph of no letters still shows (and its link still leads somewhere)
            '<div>Read</div><div><a href="https://x.org/">→</a></div><div>—</div>',
            '<p>Read</p>\n<p><a href="https://x.org/" rel="nofollow noopener noreferrer">→</a>'
            "</p>\n<p>—</p>",
        ),
        (  # a tag written inside an attribute's value is no tag
            '<a href="https://x.org/buscar?q=<div>peru</div>">l</a>',
            '<p><a href="https://x.org/buscar?q=&lt;div&gt;peru&lt;/div&gt;" '
            'rel="nofollow noopener noreferrer">l</a></p>',
        ),
    ],
)
def test_dropped_blocks_are_found_as_browsers_parse_them(raw: str, body: str) -> None:
    assert summary_html(raw, BASE) == body


DROPPED_BLOCKS = st.sampled_from(
    [
        "<div>", "</div>", "<figure>", "</figure>", "<figcaption>", "<dl>", "<dt>", "<dd>",
        "<section title='a>b'>", "<div class=a'b>", "<div ", "<center>", "<b>", "</b>", "<em>",
        "</em>", "<br>", "<a href='/x'>", "</a>", "<img src='a.jpg'>", " ", "a", "Texto", "…",
        "→", "\ue000", "&#xE000;",
    ]
)  # fmt: skip


@given(st.lists(DROPPED_BLOCKS, max_size=25))
def test_parting_at_dropped_blocks_leaves_no_mark_and_holds_on_cleaning_again(
    pieces: list[str],
) -> None:
    body = summary_html("".join(pieces), BASE)
    assert "\ue000" not in body
    assert summary_html(body, BASE) == body


def test_a_summary_with_a_long_run_of_spaces_keeps_it_whole() -> None:
    # 100,000 spaces: the end's pattern, when it went quadratic, took 2.9 s on 20,000
    html = "<p>Lima" + " " * 100_000 + "vota.</p>"
    assert summary_html(html, BASE) == html


def test_a_summary_of_thousands_of_blocks_keeps_each_and_cuts_its_end() -> None:
    summary = summary_html("<div>Lima</div>" * 5_000 + "<div>vota [&#8230;]<br></div>", BASE)
    assert summary.count("<p>Lima</p>") == 5_000
    assert summary.endswith("\n<p>vota [...]</p>")


def test_a_summary_nested_deeper_than_any_outlet_writes_keeps_its_words_not_its_depth() -> None:
    """Its walks are recursive: 1,000 nested tags were an internal error (RecursionError)."""
    nested = "<em>" * 5_000 + 'Lima vota <a href="https://x.test/a">Read more</a>' + "</em>" * 5_000
    body = summary_html(f"<p>{nested}</p>", BASE)
    depth = MAX_DEPTH - 1  # within the paragraph; deeper tags go, the link's among them
    assert body == "<p>" + "<em>" * depth + "Lima vota Read more" + "</em>" * depth + "</p>"
