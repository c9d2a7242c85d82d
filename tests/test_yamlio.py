"""Located YAML: lines are remembered, and only plain, bounded data is accepted."""

from __future__ import annotations

import copy
import pickle
import time
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from peru_digest.yamlio import (
    MAX_DEPTH,
    Located,
    LocatedList,
    YamlSyntaxError,
    _LineLoader,
    clip,
    load_yaml,
    simple_mapping,
)

from .conftest import seed_articles

ALIAS_MESSAGE = "YAML anchors and aliases (`&name`, `*name`) are not allowed"


def alias_bomb(levels: int = 9) -> str:
    """A few hundred bytes that expand to 9**levels strings when aliases are followed."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghijk"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join([*lines, f"title: *{previous}"])


def refusal(text: str) -> tuple[int | None, str, str]:
    with pytest.raises(YamlSyntaxError) as raised:
        load_yaml(text)
    return raised.value.line, raised.value.message, raised.value.hint


def test_a_mapping_remembers_the_line_of_each_key() -> None:
    data = load_yaml("# a comment\ntitle: x\ntopics:\n  - a\n")
    assert isinstance(data, Located)
    assert (data.line, data.line_of("title"), data.line_of("topics")) == (2, 2, 3)
    assert data.line_of("missing") == 2


def test_dates_stay_text_for_the_field_checks_to_parse() -> None:
    assert load_yaml("date: 2021-07-28") == {"date": "2021-07-28"}


def test_an_alias_bomb_is_refused_at_once_without_expanding_it() -> None:
    text = alias_bomb()
    assert len(text) < 600
    started = time.process_time()
    assert refusal(text) == (1, ALIAS_MESSAGE, "write the value out in full where it is needed")
    assert time.process_time() - started < 0.5


def test_a_single_alias_is_refused_at_the_line_of_its_anchor() -> None:
    assert refusal("a: 1\nb: &x [1]\nc: *x\n")[:2] == (2, ALIAS_MESSAGE)


def test_an_alias_used_as_a_key_is_refused() -> None:
    assert refusal("- a: &k b\n- *k: c\n")[:2] == (1, ALIAS_MESSAGE)


def test_a_self_referencing_alias_is_refused() -> None:
    assert refusal("a: &r [*r]")[:2] == (1, ALIAS_MESSAGE)


def test_an_anchor_nothing_refers_to_changes_nothing() -> None:
    assert load_yaml("a: &x 1") == {"a": 1}


QUOTES = "put the whole value in quotes"
COMMENT_HINT = f"{QUOTES} (a comment is written with a space after its #: `  # …`)"


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        (
            "x: 1\ntitle: Peru #1 in exports of copper\n",
            (2, "invalid YAML: `title` stops before `#1 in exports of copper`: YAML reads ` #` "
                "and what follows as a comment", COMMENT_HINT),
        ),
        (
            "- name: Castillo wins #peru\n",
            (1, "invalid YAML: `name` stops before `#peru`: YAML reads ` #` and what follows as "
                "a comment", COMMENT_HINT),
        ),
        (
            "a: 1\rtitle: Peru\t#1 in exports\r",
            (2, "invalid YAML: `title` stops before `#1 in exports`: YAML reads ` #` "
                "and what follows as a comment", COMMENT_HINT),
        ),
        (
            "title: #1 Hit in Lima\n",
            (1, "invalid YAML: `title` has no value: YAML reads `#1 Hit in Lima` as a comment",
             QUOTES),
        ),
        (
            "x: 1\n\ntitle: &Co buys mine\n",
            (3, "invalid YAML: YAML reads `&Co` as an anchor's name, not as part of `title`",
             QUOTES),
        ),
    ],
)  # fmt: skip
def test_text_yaml_would_silently_drop_is_refused_at_its_line(
    text: str, refused: tuple[int, str, str]
) -> None:
    assert refusal(text) == refused


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("name: Mision Verdad  # an outlet\n", {"name": "Mision Verdad"}),
        ("base_url: https://x.org/ #TODO\n", {"base_url": "https://x.org/"}),
        ("time_zone: America/Lima #Peru\n", {"time_zone": "America/Lima"}),
        ("name: Mision Verdad # an outlet\n", {"name": "Mision Verdad"}),
        ("topics: # none yet\n", {"topics": None}),
        ('title: "Peru #1 in exports"\n', {"title": "Peru #1 in exports"}),
        ("title: 'Peru #1'  # quoted\n", {"title": "Peru #1"}),
        ("title: Peru#1 in exports\n", {"title": "Peru#1 in exports"}),
        ("title: >\n  Peru #1 in exports\n", {"title": "Peru #1 in exports\n"}),
    ],
)
def test_comments_written_as_comments_and_quoted_hashtags_are_read_as_yaml_reads_them(
    text: str, read: dict[str, Any]
) -> None:
    assert load_yaml(text) == read


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("title: *Breaking* news\n", "`*`"),
        ("title: !Important news\n", "`!`"),
        ("title: @home\n", "`@`"),
        ("title: `quoted`\n", "a backtick"),
    ],
)
def test_a_value_starting_with_a_sign_yaml_reads_as_its_own_gets_the_quotes_hint(
    text: str, sign: str
) -> None:
    assert (
        refusal(text)[2]
        == f"{QUOTES}: YAML gives {sign} at the start of a value a meaning of its own"
    )


def test_a_double_bang_tag_keeps_its_own_hint() -> None:
    assert refusal("title: !!int x\n")[2] == "write the value without its `!!` tag"


def test_nesting_up_to_the_limit_is_accepted() -> None:
    inner = "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1)
    assert load_yaml(f"a: {inner}") is not None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: " + "[" * 200 + "]" * 200, 1),
        ("a: " + "{a: " * 200 + "1" + "}" * 200, 1),
        ("\n".join(" " * depth + "a:" for depth in range(200)) + " 1", 11),
    ],
    ids=["flow-lists", "flow-mappings", "block-mappings"],
)
def test_nesting_deeper_than_the_limit_is_refused(text: str, line: int) -> None:
    assert refusal(text) == (
        line,
        "YAML nested more than 10 levels deep",
        "write it flatter: no setting needs lists or mappings this deep",
    )


@pytest.mark.parametrize("text", ["? [a]\n: 1", "{a: 1}: 2", "[a, b]: c"])
def test_a_key_that_is_a_list_or_a_mapping_is_refused(text: str) -> None:
    assert refusal(text) == (
        1,
        "a YAML key must be plain text, not a list or a mapping",
        "write the key as a word, then a colon",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!int x", "invalid YAML: 'x' is not a valid int"),
        ("a: !!float x", "invalid YAML: 'x' is not a valid float"),
        ("a: !!timestamp 2021-13-01", "invalid YAML: '2021-13-01' is not a valid timestamp"),
        ("a: " + "1" * 5000, "invalid YAML: '" + "1" * 79 + "…' is not a valid int"),
        ("a: 0x" + "f" * 20000, "invalid YAML: '0x" + "f" * 77 + "…' is not a valid int"),
        ("a: " + "1:0" * 300, "invalid YAML: '" + ("1:0" * 30)[:79] + "…' is not a valid int"),
        ("x: 1\na: !!bool maybe", "invalid YAML: 'maybe' is not a valid bool"),
        ("a: !!int ''", "invalid YAML: '' is not a valid int"),
        ("a: !!timestamp foo", "invalid YAML: 'foo' is not a valid timestamp"),
        ("a: !!timestamp {=: x}", "invalid YAML: a mapping is not a valid timestamp"),
        ("a: !!map ''", "invalid YAML: expected a mapping node, but found scalar"),
        ("- [!!set abc]", "invalid YAML: expected a mapping node, but found scalar"),
    ],
    ids=[
        "int-tag",
        "float-tag",
        "impossible-timestamp",
        "five-thousand-digits",
        "a-hexadecimal-number-of-any-length",
        "a-base-60-number-whose-cost-is-its-square",
        "bool-tag",
        "empty-int",
        "timestamp-tag",
        "timestamp-of-a-mapping",
        "empty-map",
        "set-of-text",
    ],
)
def test_a_value_its_tag_cannot_read_is_a_syntax_error(text: str, message: str) -> None:
    assert refusal(text) == (
        text.count("\n") + 1,
        message,
        "write the value without its `!!` tag",
    )


def test_a_duplicate_key_is_named_but_never_quoted_at_length() -> None:
    key = "k" * 1000
    assert refusal(f"{key}: 1\n{key}: 2") == (
        2,
        "invalid YAML: found duplicate key `" + "k" * 79 + "…`",
        "keep one of the two lines",
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [("null: 1\n~: 2", "~"), ("1: a\n01: b", "01"), ("yes: a\ntrue: b", "true")],
)
def test_two_keys_yaml_reads_as_one_are_duplicates(text: str, key: str) -> None:
    assert refusal(text) == (
        2,
        f"invalid YAML: found duplicate key `{key}`",
        "keep one of the two lines",
    )


def test_a_key_that_is_no_text_is_named_as_written_at_its_line() -> None:
    data = load_yaml("title: x\nnull: 1\n1: a\ntrue: b\n")  # True is 1 to Python, not to YAML
    assert (dict(data), data.key_lines) == (
        {"title": "x", "null": 1, "1": "a", "true": "b"},
        {"title": 1, "null": 2, "1": 3, "true": 4},
    )


def test_clip_keeps_short_text_and_cuts_long_text_with_an_ellipsis() -> None:
    assert clip("short") == "short"
    assert clip("x" * 80) == "x" * 80
    assert clip("x" * 81) == "x" * 79 + "…"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("- slug: a\n  name: A\n\tkeywords: [x]\n", 3),
        ("title: x\n\tdate: 2021-07-01\n", 2),
        ("topics:\n\t- election\n", 2),
    ],
    ids=["list-item-key", "mapping-key", "list-item"],
)
def test_a_tab_that_indents_is_named_at_its_own_line(text: str, line: int) -> None:
    with pytest.raises(YamlSyntaxError) as raised:
        load_yaml(text)
    assert (raised.value.line, raised.value.message, raised.value.hint) == (
        line,
        "invalid YAML: a tab on this line: YAML indents with spaces only",
        "replace the tab with spaces",
    )


def test_a_tab_inside_a_value_is_the_value_s() -> None:
    assert load_yaml('a: x\tb\nc: "d\te"\n') == {"a": "x\tb", "c": "d\te"}


def test_a_non_breaking_space_after_a_key_is_named_only_where_yaml_gave_up() -> None:
    """One inside a folded text is the text's: the error elsewhere is reported as it is."""
    text = 'a: >-\n  one\n  Note:\u00a0two\nb: 1\nc: "unclosed\n'
    with pytest.raises(YamlSyntaxError) as raised:
        load_yaml(text)
    assert raised.value.line == 5
    assert "no-break space" not in raised.value.message
    with pytest.raises(YamlSyntaxError) as raised:
        load_yaml("a: 1\ntitle:\u00a0NBSP after colon\ndate: 2021-01-01\n")
    assert (raised.value.line, raised.value.message) == (
        2,
        "invalid YAML: a no-break space after `title:`, where YAML needs an ordinary space",
    )


def test_a_non_breaking_space_after_a_key_is_named_when_its_value_wraps() -> None:
    text = (
        "title:\u00a0Peru's Congress votes on\n  the vacancy motion\ndate: 2021-09-01\nsource: X\n"
    )
    with pytest.raises(YamlSyntaxError) as raised:
        load_yaml(text)
    assert (raised.value.line, raised.value.message) == (
        1,
        "invalid YAML: a no-break space after `title:`, where YAML needs an ordinary space",
    )


class _PyYaml(yaml.SafeLoader):
    """PyYAML's own reading of values, dates kept as text as ours keeps them; each key as
    written (`~:` is "~", where PyYAML's None names no line, and `true:` and `1:` are two
    keys, where Python takes True for 1)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        return {str(key.value): self.construct_object(value, deep) for key, value in node.value}


_PyYaml.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


SCALARS = st.one_of(
    st.text(max_size=8), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)
)
DOCUMENTS = st.dictionaries(
    st.one_of(st.text(max_size=6), st.integers(), st.booleans()),
    st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
        max_leaves=8,
    ),
    max_size=6,
).map(lambda data: yaml.safe_dump(data, allow_unicode=True))


@given(DOCUMENTS)
@example('title: "x"\ntopics: [a, 1, null, "2021-07-28"]\ndraft: false\n')
@example("base: &b {a: 1}\nother:\n  <<: {c: 2}\n  d: 3\n")
@example("1: one\ntrue: yes\n~: nothing\n!!str 2: two\nx: !!str 3\n")
@example("date: 2021-07-28 10:00:00\nwhen: !!timestamp 2021-07-28\n")
@example("a: [[b, c], {d: [e]}]\n")
def test_front_matter_is_read_as_pyyaml_reads_it(text: str) -> None:
    try:
        expected = yaml.load(text, Loader=_PyYaml)
    except yaml.YAMLError:
        return
    try:
        assert load_yaml(text) == expected
    except YamlSyntaxError as error:  # only what our files refuse: aliases, duplicates
        assert "alias" in error.message or "duplicate" in error.message


@pytest.mark.parametrize("written", ["3:0", "010", "0x1F", "1_000", "1.10", "1.5e+3", "+12"])
def test_a_number_keeps_the_text_it_was_written_as_through_pickle_and_copy(
    written: str,
) -> None:
    """Numbers travel to worker processes (a lint bound, a setting): pickled, they stay the
    same number with the same text."""
    value = load_yaml(f"n: {written}\n")["n"]
    for again in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value), copy.copy(value)):
        assert (again, type(again), again.written) == (value, type(value), written)


# Pieces of simple front-matter values, and of what makes a line anything but simple.
VALUE_PIECES = [
    *"\"\\ \t#:,-[]{}!&*?|>'%@`=~;$()/+._",
    *["\u00a0", "\u2028", "\u0085", "\ufeff", "\x7f", "\x1b", "\U0001f600", "é", "ñ", "’", "—"],
    *["'", "''", "¿", "“", "\u3000", "\u200b"],
    *["a", "Ana Quispe", "2021", "1.5", "0x1F", "3:0", "yes", "No", "on", "null", "~", "<<"],
    *["2021-07-28T10:00:00-05:00", "https://a.pe/b?c=d#e", ": ", " #", ", ", '", "', "[", "]"],
]
WORDS = st.sampled_from(["Ana", "Quispe", "Perú", "2021", " ", "-", ".", "/", "’s", "b"])
TEXT = st.lists(
    st.one_of(WORDS, WORDS, WORDS, st.sampled_from(VALUE_PIECES), st.text(max_size=2)), max_size=6
).map("".join)
VALUES = st.one_of(
    TEXT,
    TEXT.map(lambda text: f'"{text}"'),
    TEXT.map(lambda text: f"'{text}'"),
    st.lists(
        TEXT | TEXT.map(lambda text: f'"{text}"' if "'" in text else f"'{text}'"), max_size=3
    ).map(lambda items: "[" + ", ".join(items) + "]"),
)
SIMPLE_LINES = st.lists(
    st.tuples(
        st.sampled_from(["title", "date", "authors", "topics", "a_1", "x"] * 3 + ["on", "1a"]),
        st.sampled_from([": "] * 6 + [":  ", ":", " : "]),
        VALUES,
        st.sampled_from([""] * 12 + [" ", " # note", "\n"]),
    ).map("".join),
    min_size=1,
    max_size=3,
).map("\n".join)


@given(SIMPLE_LINES)
@example('title: "Castillo: a teacher"\ndate: 2021-07-28T10:00:00-05:00\nslug: a-b')
@example('authors: ["Ana Quispe", "Luis Gil"]\ntopics: [economy, politics]\nurl: https://a.pe/b')
@example("title: yes\ntopics: [2021]")
@example("title: Perú's vote, and after\ntitle: again")
@example('topics: [ "a" ,b ]\nauthors: []')
@example("k" * 1025 + ": v")  # libyaml refuses a key this long
@example("title: 'Peru: ‘This Is The Beginning’'\ntitle2: Pedro Castillo’s Victory")
@example("title: 'It''s'\nauthors: ['O''Brien', Ana]\ntopics: ['']")
@example("title: ¿Qué pasa?\nsource: “El Comercio”\nx: a\u3000b")
@example("topics: [a?b]")  # PyYAML's pure-Python parser refuses it
def test_simple_front_matter_is_read_as_the_yaml_parser_reads_it(text: str) -> None:
    """Simple lines skip the YAML parser; whatever they give, the parser gives too."""
    fast = simple_mapping(text)
    if fast is None:
        return
    slow = yaml.load(text, Loader=_LineLoader)
    assert (fast, fast.line, fast.key_lines) == (slow, slow.line, slow.key_lines)
    for key, value in slow.items():
        assert type(fast[key]) is type(value)
        if isinstance(value, list):
            listed = fast[key]
            assert isinstance(value, LocatedList) and isinstance(listed, LocatedList)
            assert [type(item) for item in listed] == [type(item) for item in value]
            assert (listed.line, listed.item_lines) == (value.line, value.item_lines)


def test_most_article_files_skip_the_yaml_parser() -> None:
    fronts = [front for front, _ in seed_articles()]
    assert sum(simple_mapping(front) is not None for front in fronts) >= len(fronts) // 2


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        (
            "title: x\ntopics:\n  - coup-threats\n - election-2021\nurl: y\n",
            (4, "invalid YAML: did not find expected key while parsing a block mapping"),
        ),
        (
            "a: 1\ntitle:T81\nb: 2\n",
            (2, "invalid YAML: no space after `title:`, so YAML reads no key here"),
        ),
        (
            "title:T81\nb: 2\n",
            (1, "invalid YAML: no space after `title:`, so YAML reads no key here"),
        ),
        (
            "description: >\n  ratio:3 of\n x: [\n",
            (3, "invalid YAML: did not find expected key while parsing a block mapping"),
        ),
        (
            "  title: T80\nb: 2\n",
            (1, "invalid YAML: the first line is indented, and the lines after it are not"),
        ),
        (
            "- name: A\n...\n---\n- name: B\n",  # a second document, after an end
            (3, "invalid YAML: a second document starts here, and a file is read as one"),
        ),
        (
            "- name: A\n---\n- name: B\n",
            (2, "invalid YAML: a second document starts here, and a file is read as one"),
        ),
        (
            "- name: A\n...  # end\n\n# later\n- name: B\n",  # lines after the end
            (2, "invalid YAML: `...` ends the document here, but more lines follow"),
        ),
        (
            "title: a\u2028b\nx: 1\n",  # an editor shows one line; YAML reads two
            (
                1,
                "invalid YAML: this line holds an invisible line break, U+2028 LINE SEPARATOR, "
                "read as its end",
            ),
        ),
    ],
)
def test_a_syntax_error_is_named_at_the_line_that_causes_it(
    text: str, refused: tuple[int, str]
) -> None:
    assert refusal(text)[:2] == refused


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_lines_are_counted_as_editors_count_them_past_a_break_only_yaml_sees(
    separator: str,
) -> None:
    """YAML also ends lines at U+2028, U+2029 and NEL; an editor shows them inside a line."""
    read = load_yaml(f'title: "a{separator}b"\nx: 1\n\ny: [2]\n')
    assert read.key_lines == {"title": 1, "x": 2, "y": 4}
    assert refusal(f'title: "a{separator}b"\nx: 1\ny: [a, b\nz: 2\n')[0] == 3
    assert refusal(f'title: "a{separator}b"\rx: 1\ry: [a, b\rz: 2\r')[0] == 3  # lone CRs
    assert refusal(f'x: "a{separator}b"\r\ntitle: Peru #1\r\n')[0] == 2
