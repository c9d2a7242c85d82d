"""Markdown to safe HTML: the sanitizer's URL policy, and the limits that keep Markdown fast."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from peru_digest.inputfile import MAX_ARTICLE_BYTES
from peru_digest.markup import (
    _RELATIVE_URL,
    MAX_ANGLE_BRACKETS,
    MAX_BRACKETS,
    MAX_INDENT,
    MAX_PARAGRAPH,
    RAW_TEXT,
    SHOWN_AS_TEXT,
    MarkdownLimit,
    MarkdownRenderer,
    absolutize,
    beyond_limits,
    plain_text,
    rebased,
    sanitize,
    simple_paragraphs,
    urls_in,
    well_nested,
)

from .conftest import seed_articles

BASE = "https://digest.test/2021/07/x/"


@pytest.mark.parametrize(
    "cite",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\nscript:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
    ],
)
def test_a_cite_with_a_scheme_href_may_not_have_is_dropped(cite: str) -> None:
    html = f'<blockquote cite="{cite}">said</blockquote><q cite="{cite}">this</q>'
    assert sanitize(html) == "<blockquote>said</blockquote><q>this</q>"


@pytest.mark.parametrize("cite", ["https://source.test/a", "mailto:desk@source.test", "page"])
def test_a_cite_that_href_could_have_is_kept(cite: str) -> None:
    assert sanitize(f'<q cite="{cite}">x</q>') == f'<q cite="{cite}">x</q>'


def test_absolutize_makes_a_relative_cite_absolute_and_drops_a_script_one() -> None:
    html = '<q cite="page">a</q><q cite="javascript:x">b</q><a href="other">c</a>'
    assert absolutize(html, BASE) == (
        f'<q cite="{BASE}page">a</q><q>b</q>'
        f'<a href="{BASE}other" rel="nofollow noopener noreferrer">c</a>'
    )


@pytest.mark.parametrize(
    ("href", "root", "shown"),
    [
        ("../other/", "../../", "../../2021/08/other/"),  # a sibling article, from a month list
        ("../other/", "./", "./2021/08/other/"),  # from the home page
        ("#part", "../", "../2021/08/this/#part"),  # the article's own anchor
        ("/elsewhere/", "../", "/elsewhere/"),  # from the host's root: the same everywhere
        ("../../../../../x", "./", "./x"),  # above the root: where a browser stops
        ("//rpp.pe/a", "../", "//rpp.pe/a"),  # the same from every page
    ],
)
def test_a_summary_link_written_for_its_article_leads_there_from_any_list(
    href: str, root: str, shown: str
) -> None:
    html = f'<p><a href="{href}">x</a></p>'
    assert rebased(html, "2021/08/this/", root) == (
        f'<p><a href="{shown}" rel="nofollow noopener noreferrer">x</a></p>'
    )


@pytest.mark.parametrize("href", ["https://rpp.pe/a", "mailto:a@b.pe"])
def test_a_summary_without_relative_links_is_shown_as_it_is(href: str) -> None:
    html = f'<p><a href="{href}" rel="nofollow noopener noreferrer">x</a></p>'
    assert rebased(html, "2021/08/this/", "../") is html


def test_markdown_raw_html_cite_goes_through_the_same_policy() -> None:
    render = MarkdownRenderer()
    assert render('<blockquote cite="javascript:alert(1)">Quoted.</blockquote>') == (
        "<blockquote>Quoted.</blockquote>"
    )


def test_ordinary_text_is_within_every_limit() -> None:
    text = "A [link](https://x.test/) and [another][1].\n\n[1]: https://y.test/\n\n- a\n    - b"
    assert beyond_limits(text) == []


def test_each_limit_is_reported_at_the_first_line_of_its_paragraph() -> None:
    long = "word " * (MAX_PARAGRAPH // 5 + 1)
    text = f"Fine.\n\n{long.strip()}\n\n{'[' * (MAX_BRACKETS + 1)}\n\n" + " " * 65 + "deep"
    assert beyond_limits(text) == [
        MarkdownLimit(
            3,
            f"paragraph of {len(long) - 1:,} characters; at most 5,000",
            "split it with blank lines",
        ),
        MarkdownLimit(
            5,
            "paragraph with 33 `[`; at most 32",
            "write a bracket that is not a link as \\[, or split the paragraph",
        ),
        MarkdownLimit(
            7,
            "line nested deeper than 64 columns of indentation and list markers",
            "Markdown nests a list or code block at every marker and every 4 columns",
        ),
    ]


def test_escaped_brackets_do_not_count_and_tabs_count_four_columns() -> None:
    assert beyond_limits("\\[" * 200) == []
    assert beyond_limits("\t" * 16 + "x") == []
    assert [limit.line for limit in beyond_limits("a\r\n\r\n" + "\t" * 17 + "x")] == [3]


def test_lines_separated_only_by_white_space_are_separate_paragraphs() -> None:
    paragraph = "[" * MAX_BRACKETS
    assert beyond_limits(f"{paragraph}\n  \t\n{paragraph}") == []


# The worst inputs found for Python-Markdown (README "Security model" has the figures): each
# filled to the limits, over a whole article file, renders in well under a second; before the
# limits, 8 KB of them took from 1 to 11 s, growing with the square of the length.
def whole_file(paragraph: str) -> str:
    return "\n\n".join([paragraph] * (MAX_ARTICLE_BYTES // (len(paragraph) + 2)))


def spread(token: str, count: int) -> str:
    """``count`` times ``token``, spaced out over paragraphs of plain words."""
    words = "lorem ipsum dolor sit amet " * 40
    return "\n\n".join(token + words for _ in range(count))


FILLER = "x" * (MAX_PARAGRAPH - 4 * MAX_BRACKETS)
WORST_WITHIN_LIMITS = {
    "brackets": whole_file("[" * MAX_BRACKETS + FILLER),
    "images": whole_file("![" * MAX_BRACKETS + FILLER),
    "unclosed links": whole_file("[x](" * MAX_BRACKETS + FILLER),
    "reference brackets": whole_file("[a][" * (MAX_BRACKETS // 2) + FILLER),
    "angle brackets": spread("<a", MAX_ANGLE_BRACKETS),
    "autolinks": spread("<http://", MAX_ANGLE_BRACKETS),
    "unclosed attributes": spread("<a x='", MAX_ANGLE_BRACKETS),
    "emphasis": whole_file("*a " * (MAX_PARAGRAPH // 3)),
    "nested emphasis": whole_file("*" * 2000 + "a" + "*" * 2000),
    "code spans": whole_file("`a` " * (MAX_PARAGRAPH // 4)),
    "entities": whole_file("&#" * (MAX_PARAGRAPH // 2)),
    "deep list": "\n".join("    " * level + "- a" for level in range(16)),
    "list markers": "- " * (MAX_INDENT // 2) + "a",
}


@pytest.mark.parametrize("text", WORST_WITHIN_LIMITS.values(), ids=WORST_WITHIN_LIMITS.keys())
def test_the_worst_markdown_within_the_limits_renders_quickly(text: str) -> None:
    assert beyond_limits(text) == []
    render = MarkdownRenderer()
    started = time.process_time()  # CPU time: other work on a shared machine does not count
    render(text)
    assert time.process_time() - started < 2.0


def test_list_markers_on_one_line_count_as_nesting() -> None:
    assert beyond_limits("1. " * 600 + "a") == [
        MarkdownLimit(
            1,
            "line nested deeper than 64 columns of indentation and list markers",
            "Markdown nests a list or code block at every marker and every 4 columns",
        )
    ]


def test_too_many_angle_brackets_are_reported_at_the_first_one_past_the_limit() -> None:
    text = "a\n" + "<b>x</b>\n" * 60
    assert beyond_limits(text) == [
        MarkdownLimit(
            52, "more than 100 `<` in the summary", "write a `<` that starts no HTML tag as &lt;"
        )
    ]


# Text in pieces Markdown might read as markup, among arbitrary characters.
PIECES = [
    *"\n#>=-+*1.)`_[]!<>&\\ \u00a0\u2003(",
    *["[...]", "[…]", "[...](", "[...]:", "2021.", "\n\n", "    ", "\n    \n", "Perú", "x.y"],
    *["*", "**", "***", "*x*", "**x y**", "* ", " *", "_x_", "![", "](", "[a](", "[x]", "[x]:"],
    *["https://a.pe/b?c=d#e", "[a b](https://a.pe/b)", "[a](/b)", ")", "\n* ", "\n1) "],
    *"\t\r\x02\x03",  # Markdown reads \r as a line break and deletes U+0002 and U+0003
]
PLAIN_TEXT = st.lists(
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
        max_size=6,
    )
    | st.sampled_from(PIECES),
    max_size=30,
).map("".join)


@given(PLAIN_TEXT)
@example("Hello world.\nSecond line.\n\nPara two.")
@example("1999. A year\n\nmore")
@example("Text\n===")
@example("x  \ny")
@example("0\n\u00a0")
@example("    \n0")
@example("*Perú* votes: **Castillo** leads, says [the count](https://onpe.gob.pe/x?a=1#b)!")
@example("*a**b* and **a***")
@example("x *y *z* and * w *")
@example("[a](b)c ![d](e) [...](f)")
@example("**x**\n* y")
@example("a\rb")
@example("a\x02b *c\x03*")
def test_the_fast_path_for_simple_paragraphs_is_what_markdown_makes(text: str) -> None:
    fast = simple_paragraphs(text)
    if fast is not None:
        engine = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        assert fast == engine.convert(text)


def test_most_real_summaries_take_the_fast_path() -> None:
    bodies = [body for _, body in seed_articles()]
    assert sum(simple_paragraphs(body) is not None for body in bodies) >= len(bodies) // 2


def test_what_sanitizing_leaves_is_valid_html() -> None:
    render = MarkdownRenderer()
    assert render('[x](javascript:alert(1)), ![](https://a.pe/p.gif) <img src="b.png">') == (
        '<p><a>x</a>, <img alt="" src="https://a.pe/p.gif"> <img alt="" src="b.png"></p>'
    )
    # an attribute's value that says "href=" or "src=" is no such attribute
    assert render('<a href="javascript:x" title="see href=here">x</a>') == (
        '<p><a title="see href=here">x</a></p>'
    )
    assert render('![chart](javascript:alert(1)) <img title="a src=b" src="data:x">!') == (
        "<p> !</p>"  # an image without a source is none: HTML requires one
    )


def test_a_backslash_in_an_address_is_the_slash_browsers_read_it_as() -> None:
    """Browsers read ``\\host/x`` as ``//host/x``: written so, the link leads to the same
    place from the article's page, list pages and feeds."""
    html = MarkdownRenderer()(r"[a](\evil.example/x) [b](..\other/)")
    assert html == (
        '<p><a href="/evil.example/x" rel="nofollow noopener noreferrer">a</a> '
        '<a href="../other/" rel="nofollow noopener noreferrer">b</a></p>'
    )
    assert rebased(html, "2021/08/a/", "../../") == html.replace(
        "../other/", "../../2021/08/other/"
    )
    render = MarkdownRenderer()
    assert render('<a href="&#92;&#92;evil.example/x">e</a>') == (  # a reference to one too
        '<p><a href="//evil.example/x" rel="nofollow noopener noreferrer">e</a></p>'
    )
    assert render(r"[q](https://a.pe/buscar?q=C:\dir#a\b)") == (  # the query's are its own
        '<p><a href="https://a.pe/buscar?q=C:\\dir#a\\b" rel="nofollow noopener noreferrer">q'
        "</a></p>"
    )


@pytest.mark.parametrize(
    "link",
    [
        "[a](https:evil.example)",
        "[a](HTTP:/evil.example/x)",
        '<a href="https:evil.example">a</a>',
        '<a href="ht&#9;tps:evil.example">a</a>',
        '<img src="http:evil.example/x.png" alt="a">',
    ],
)
def test_an_http_address_without_the_slashes_before_its_host_is_dropped(link: str) -> None:
    """``https:evil.example`` is a path on the page's host where the page is served over
    https, and the host evil.example where it is not: it would lead somewhere else from the
    article's page, a list and a feed."""
    html = MarkdownRenderer()(link)
    assert "evil" not in html
    assert rebased(html, "2021/08/a/", "../../") == html


# What _RELATIVE_URL means, written plainly (and forty times slower).
PLAINLY_RELATIVE = re.compile(r'(?:href|src|cite)="(?![a-z][a-z0-9+.-]*:)', re.IGNORECASE)
ATTRIBUTE_PIECES = [*'="ahx1+:/ ', "href", "HREF", "src", "Src", "cite", "ref", "http:", "../"]


@given(st.lists(st.sampled_from(ATTRIBUTE_PIECES), max_size=10).map("".join))
@example('<a href="../x">')
@example('<img SRC="https://a.pe/p.gif"> <q cite="p">')
def test_a_relative_address_is_found_where_the_plain_pattern_finds_one(html: str) -> None:
    assert (_RELATIVE_URL.search(html) is None) == (PLAINLY_RELATIVE.search(html) is None)


@pytest.mark.parametrize(
    ("link", "href", "in_feeds"),
    [
        ("[a](https:///example.org/page)", "https://example.org/page", "https://example.org/page"),
        (
            '<a href="HTTPS:////example.org/p">a</a>',
            "HTTPS://example.org/p",
            "HTTPS://example.org/p",
        ),
        ('<a href="///evil.example/x">a</a>', "//evil.example/x", "https://evil.example/x"),
        ('<a href=" ///evil.example/x">a</a>', "//evil.example/x", "https://evil.example/x"),
        ("[a](/a///b)", "/a///b", "https://peru.test/a///b"),  # a path's slashes are its own
    ],
)
def test_slashes_before_a_host_are_the_two_browsers_read(
    link: str, href: str, in_feeds: str
) -> None:
    """Browsers read ``https:///host`` as ``https://host``, where Python's urljoin finds no
    host, and the feeds' checker refused the whole build over one such typo."""
    html = MarkdownRenderer()(link)
    assert html == f'<p><a href="{href}" rel="nofollow noopener noreferrer">a</a></p>'
    assert urls_in(absolutize(html, "https://peru.test/2021/08/a/")) == [in_feeds]


@pytest.mark.parametrize(
    "link",
    [
        '<a href="//:80/">a</a>',
        '<a href="//@/">a</a>',
        '<a href="// evil.example">a</a>',
        '<a href="//">a</a>',
        '<a href="https:///">a</a>',
        "[a](//[::1)",  # no URL parser reads it: dropped, without a word on standard error
    ],
)
def test_an_address_in_which_browsers_find_no_host_is_dropped(
    link: str, capfd: pytest.CaptureFixture[str]
) -> None:
    assert MarkdownRenderer()(link) == "<p><a>a</a></p>"
    assert capfd.readouterr().err == ""


# Raw HTML that would hide the text after it (README "An article"): every word an editor wrote
# reaches the page, but for comments and the scripts and styles that end, which are left out.
@pytest.mark.parametrize("tag", sorted(RAW_TEXT | SHOWN_AS_TEXT))
def test_a_tag_that_would_take_in_the_rest_of_the_summary_is_shown_as_written(tag: str) -> None:
    text = f"The page's <{tag}> element was edited.\n\nA second paragraph."
    assert MarkdownRenderer()(text) == (
        f"<p>The page's &lt;{tag}&gt; element was edited.</p>\n<p>A second paragraph.</p>"
    )


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Hi <script>alert(1)</script> there", "<p>Hi  there</p>"),
        ("Hi <STYLE>p { color: red }</Style > there", "<p>Hi  there</p>"),
        ("a <title>x y</title> z", "<p>a x y z</p>"),
        ('<iframe src="https://video.test/1"></iframe>\n\nAfter.', "\n\n<p>After.</p>"),
        ("a <!-- a note --> b", "<p>a  b</p>"),
    ],
    ids=["script", "style", "title", "frame", "comment"],
)
def test_an_element_that_ends_is_left_to_the_sanitizer(text: str, html: str) -> None:
    assert MarkdownRenderer()(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("a <script>x</scripts> b", "<p>a &lt;script&gt;x&lt;/scripts&gt; b</p>"),
        # U+017F: a long s, which Python's case-blind matching takes for an s and HTML does not
        ("a <script>x</\u017fcript> b", "<p>a &lt;script&gt;x&lt;/\u017fcript&gt; b</p>"),
        # a script's `<!--` may keep its end tag from ending it: shown rather than guessed at
        ("<div><script><!--</script>x</div>\n\nb", "&lt;script&gt;&lt;!--x\n\n<p>b</p>"),
        ("a <style>x</style b='> c", "<p>a &lt;style&gt;x&lt;/style b='&gt; c</p>"),
        ("a <title>x <b>y</b></title> z", "<p>a &lt;title&gt;x <b>y</b> z</p>"),
        ("a <script>x\n\ny</script> z", "<p>a &lt;script&gt;x</p>\n<p>y z</p>"),
    ],
    ids=[
        "other-name",
        "long-s",
        "script-comment",
        "end-tag-left-open",
        "markup-before-it",
        "paragraph-end-before-it",
    ],
)
def test_a_raw_text_element_whose_end_tag_is_not_the_next_markup_is_shown_as_written(
    text: str, html: str
) -> None:
    assert MarkdownRenderer()(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Start <?php echo 1 ?> end.", "<p>Start &lt;?php echo 1 ?&gt; end.</p>"),
        ("<div>a <!DOCTYPE html> b</div>", "a &lt;!DOCTYPE html&gt; b"),
        ("<div>a <![CDATA[ x ]]> b</div>", "a &lt;![CDATA[ x ]]&gt; b"),
        ("<div>a </ x> b</div>", "a &lt;/ x&gt; b"),
        ("<div>a <!-- never closed\n\nb</div>", "a &lt;!-- never closed\n\nb"),
        ('a <a title="x> y "z" w\n\nnext', '<p>a &lt;a title="x&gt; y "z" w</p>\n<p>next</p>'),
    ],
    ids=["processing-instruction", "doctype", "cdata", "end-tag-without-name", "comment",
         "quote-left-open"],
)  # fmt: skip
def test_markup_html_would_drop_with_the_text_after_it_is_shown_as_written(
    text: str, html: str
) -> None:
    assert MarkdownRenderer()(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "Start <b>bold never closed.\n\nSecond paragraph.",
            "<p>Start <b>bold never closed.</b></p>\n<p>Second paragraph.</p>",
        ),
        ("<ul>\na list with no item\n</ul>", "\n\na list with no item\n\n"),
        ("a <li>b</li> c", "<p>a </p>\nb\n c<p></p>"),
        (
            '<a href="https://a.pe/">x <a href="https://b.pe/">y</a></a>',
            '<p><a href="https://a.pe/" rel="nofollow noopener noreferrer">x </a>'
            '<a href="https://b.pe/" rel="nofollow noopener noreferrer">y</a></p>',
        ),
        ("<h2></h2>\n\nx", "\n\n\n\n<p>x</p>"),
    ],
    ids=["unclosed-bold", "text-in-a-list", "item-outside-a-list", "link-in-a-link", "empty"],
)
def test_raw_html_left_open_or_out_of_place_loses_its_tags_not_its_text(
    text: str, html: str
) -> None:
    assert MarkdownRenderer()(text) == html


@pytest.mark.parametrize(
    ("html", "nested"),
    [
        ("<b>x<p>y</p></b>", "x<p>y</p>"),  # a block in an inline element
        ("<i><b><p>y</p></b></i>", "<p>y</p>"),
        ("<p>x<del><ul><li>y</li></ul></del></p>", " x<del><ul><li>y</li></ul></del> "),
        ("<div><del><p>y</p></del></div>", "<div><del><p>y</p></del></div>"),  # allowed there
        ("<li>a</li><li>b</li>", " a b "),  # items outside a list
        ("<ol>x<li>a</li></ol>", " x a "),  # text in a list
        ("<td>a</td>", " a "),  # a cell outside a row
        ("<table><tbody><tr></tr></tbody></table>", " "),  # a row without cells
        ("<table><tbody><tr><td>a</td></tr></tbody><thead><tr><td>b</td></tr></thead></table>",
         " a b "),  # a head after the rows
        ('<a href="x">a <a href="y">b</a></a>', '<a href="x">a b</a>'),
        ('<h3> <img alt="" src="x.png"> </h3>', ' <img alt="" src="x.png"> '),  # no text
        ('<h3><img alt="Logo" src="x.png"></h3>', '<h3><img alt="Logo" src="x.png"></h3>'),
        ("<p>a</p><ul><li>b <em>c</em></li></ul>", "<p>a</p><ul><li>b <em>c</em></li></ul>"),
    ],
)  # fmt: skip
def test_an_element_html_does_not_allow_where_it_stands_gives_way_to_its_content(
    html: str, nested: str
) -> None:
    """Each block that gives way leaves a line break, so that no two words join."""
    assert re.sub(r"\s+", " ", well_nested(html)) == nested


# Summaries made of words (each once), HTML and Markdown, spaced so that no word joins a tag.
WORD = st.integers(0, 999).map(lambda n: f"w{n}")
HTML_PIECES = [
    *[f"<{name}>" for name in sorted(RAW_TEXT | SHOWN_AS_TEXT)],
    *[f"</{name}>" for name in sorted(RAW_TEXT | SHOWN_AS_TEXT)],
    "<b>", "</b>", "<i>", "<em>", "</em>", "<p>", "</p>", "<div>", "</div>", "<ul>", "</ul>",
    "<ol>", "<li>", "</li>", "<h2>", "</h2>", "<pre>", "</pre>", "<code>", "<blockquote>",
    "</blockquote>", "<hr>", "<br>", "<q>", "<del>", "</del>", "<small>", "<table>", "</table>",
    "<tr>", "<td>", "</td>", "<th>", "<tbody>", "<thead>", "<tfoot>", "<caption>", "<col>",
    "<span>", "<font>", "<nobr>", "<center>", "<form>", "<button>", "<object>", "<marquee>",
    "<dl>", "<dd>", "<figure>", "<details>", "<option>", "<a>", "</a>",
    "<a href='https://x.test/'>", "<img src=x.png>", "<!DOCTYPE html>", "<!--", "-->", "<?",
    "<!", "</", "</>", "<", ">", '"', "'", "=", "&", "`",
    "\n", "\n\n", "- ", "1. ", "> ", "## ", "*", "    ",
]  # fmt: skip
SUMMARY_PIECES = st.lists(WORD | st.sampled_from(HTML_PIECES), max_size=24)
LEFT_OUT_UNTIL = {"<!--": "-->", "<script>": "</script>", "<style>": "</style>"}


def words_to_keep(pieces: list[str]) -> list[str]:
    """The words not in a comment, a script or a style that ends (what sanitizing takes out)."""
    words, until = [], None
    for piece in pieces:
        if until is None and piece in LEFT_OUT_UNTIL:
            until = LEFT_OUT_UNTIL[piece]
        elif piece == until:
            until = None
        elif until is None and re.fullmatch(r"w\d+", piece):
            words.append(piece)
    return words


@given(SUMMARY_PIECES, st.sampled_from([" ", "\n", " \n\n "]))
@example(["The", "<style>", "w1", "\n\n", "w2"], " ")
@example(["<b>", "w1", "\n\n", "w2"], " ")
@example(["<select>", "w1", "<p>", "w2"], " ")
@example(["<math>", "w1", "<a>", "w2"], "\n")
@example(["<script>", "w1", "`", "</script>", "`", "w2"], " ")
def test_every_word_of_a_summary_is_on_the_page_but_in_what_is_left_out_on_purpose(
    pieces: list[str], space: str
) -> None:
    html = MarkdownRenderer()(space.join(pieces))
    shown = set(plain_text(html).split())
    assert [word for word in words_to_keep(pieces) if word not in shown] == []


def nesting_faults(html: str) -> list[str]:
    """What HTML's content models refuse in ``html`` (the tags sanitizing keeps), and what a
    parser would build otherwise than written (but for the `<tbody>` it puts around rows)."""
    checker = _NestingChecker()
    checker.feed(html)
    checker.close()
    if _tags(sanitize(html)) != _tags(html):
        checker.faults.append("a parser reads it otherwise")
    return checker.faults


def _tags(html: str) -> list[str]:
    return [tag for tag in re.findall(r"</?[a-z0-9]+", html) if tag.strip("</") != "tbody"]


# HTML's content models, for the tags sanitizing keeps.
BLOCKS = {"blockquote", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre", "table", "tbody", "td",
          "th", "thead", "tr", "ul"}  # fmt: skip
PHRASING_ONLY = {"abbr", "b", "cite", "code", "em", "h2", "h3", "h4", "i", "p", "pre", "q", "s",
                 "small", "strong", "sub", "sup"}  # fmt: skip
PARENTS = {"li": {"ol", "ul"}, "tr": {"tbody", "thead", "table"}, "td": {"tr"}, "th": {"tr"},
           "tbody": {"table"}, "thead": {"table"}}  # fmt: skip
ONLY_CHILDREN = {"ol": {"li"}, "ul": {"li"}, "table": {"thead", "tbody", "tr"}, "tbody": {"tr"},
                 "thead": {"tr"}, "tr": {"td", "th"}}  # fmt: skip


@dataclass
class _Open:
    name: str
    text: str = ""  # its text, and the alt text of its images
    elements: int = 0  # elements right in it


class _NestingChecker(HTMLParser):
    """Notes what HTML's content models refuse, a tag at a time."""

    def __init__(self) -> None:
        super().__init__()
        self.open = [_Open("")]
        self.faults: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [element.name for element in self.open]
        parent = names[-1]
        container = next((n for n in reversed(names) if n not in {"a", "del", "ins"}), "")
        if tag in BLOCKS and container in PHRASING_ONLY:
            self.faults.append(f"<{tag}> in <{container}>")
        if tag in PARENTS and parent not in PARENTS[tag]:
            self.faults.append(f"<{tag}> in <{parent}>")
        if parent in ONLY_CHILDREN and tag not in ONLY_CHILDREN[parent]:
            self.faults.append(f"<{tag}> in <{parent}>")
        if tag == "a" and "a" in names:
            self.faults.append("<a> in <a>")
        self.open[-1].elements += 1
        if tag == "img":
            self.handle_data(dict(attrs).get("alt") or "")
        elif tag not in {"br", "hr"}:
            self.open.append(_Open(tag))

    def handle_endtag(self, tag: str) -> None:
        element = self.open.pop()
        if element.name in {"h2", "h3", "h4"} and not element.text.strip():
            self.faults.append(f"empty <{element.name}>")
        if element.name in {"tr", "tbody", "thead"} and not element.elements:
            self.faults.append(f"<{element.name}> with nothing in it")

    def handle_data(self, data: str) -> None:
        if self.open[-1].name in ONLY_CHILDREN and data.strip():
            self.faults.append(f"text in <{self.open[-1].name}>")
        for element in self.open:
            element.text += data


@given(SUMMARY_PIECES, st.sampled_from([" ", "\n", " \n\n "]))
@example(["Start", "<b>", "w1", "\n\n", "w2"], " ")
@example(["<select>", "w1", "<p>", "w2"], " ")
@example(["- ", "w1", "<table>", "w2", "\n", "- ", "w3"], " ")
@example(["## "], " ")  # Markdown's own empty heading
def test_every_summary_is_nested_as_html_allows(pieces: list[str], space: str) -> None:
    html = MarkdownRenderer()(space.join(pieces))
    assert nesting_faults(html) == []


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Precio x<y and z>w fin", "<p>Precio x&lt;y and z&gt;w fin</p>"),
        ("Escriba <Nombre del ministro> aquí", "<p>Escriba &lt;Nombre del ministro&gt; aquí</p>"),
        ("US <US$ 5 millones> más", "<p>US &lt;US$ 5 millones&gt; más</p>"),
        ("<Y onmouseover=alert(1)>z</Y>", "<p>&lt;Y onmouseover=alert(1)&gt;z&lt;/Y&gt;</p>"),
        ("<y>\n\nDespués", "<p>&lt;y&gt;</p>\n<p>Después</p>"),
    ],
    ids=["comparison", "placeholder", "currency", "handler", "alone"],
)
def test_a_tag_of_a_name_html_has_no_element_for_is_shown_as_written(text: str, html: str) -> None:
    assert MarkdownRenderer()(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Word <o:p>texto</o:p> pegado", "<p>Word texto pegado</p>"),
        ("Un <amp-img>pie</amp-img> de foto", "<p>Un pie de foto</p>"),
        ("Un <FONT color=red>aviso</FONT>", "<p>Un aviso</p>"),
        ("x <SCRIPT>alert(1)</SCRIPT> y", "<p>x  y</p>"),
    ],
    ids=["word-processor", "custom-element", "obsolete-element", "script"],
)
def test_markup_of_html_or_of_a_namespace_goes_as_before(text: str, html: str) -> None:
    assert MarkdownRenderer()(text) == html
