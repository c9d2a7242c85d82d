"""The settings files: each mistake named with its file, line and fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from peru_digest.config import load_config
from peru_digest.errors import DigestError, Report

from .conftest import WriteArticle, problems_for
from .test_content import deadline


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "site.yaml",
            ("base_url: https://digest.test/\n", ""),
            "site.yaml:1: site.yaml is missing `base_url`\n"
            "  hint: add `base_url: https://example.org/`",
        ),
        (
            "site.yaml",
            ("America/Lima", "Lima"),
            "site.yaml:5: `time_zone` is not a known time zone: 'Lima'\n"
            "  hint: use an IANA name such as America/Lima",
        ),
        (
            "site.yaml",
            ("feed_items: 3", "feed_items: 0"),
            "site.yaml:6: `feed_items` must be a whole number of at least 1, not 0\n"
            "  hint: write a number such as 20, without quotes",
        ),
        (
            "site.yaml",
            ("page_size: 2", "page_size: 2\nfeed_content: everything"),
            "site.yaml:8: `feed_content` must be `full` or `summary`, not 'everything'\n"
            "  hint: write one of these words",
        ),
        (
            "site.yaml",
            ("language: en", "langauge: en"),
            "site.yaml:4: unknown key `langauge` in site.yaml\n  hint: did you mean `language`?",
        ),
        (
            "topics.yaml",
            ("- slug: quiet", "- slug: Quiet Topic"),
            "topics.yaml:5: `slug` must be a slug, not 'Quiet Topic'\n"
            "  hint: write it as `quiet-topic`",
        ),
        (
            "topics.yaml",
            ("- slug: quiet", "- slug: election"),
            "topics.yaml:5: `election` is listed twice\n  hint: delete one of the two entries",
        ),
        (
            "topics.yaml",
            ("- slug: quiet", "- just-a-word\n- slug: quiet"),
            "topics.yaml:5: an entry must be a mapping of `key: value` lines\n"
            "  hint: write one `key: value` a line, each key at the start of its line",
        ),
        (
            "sources.yaml",
            ("- name: Lima Weekly", "- name: Daily-Andes"),
            "sources.yaml:4: `Daily-Andes` and `Daily Andes` would share the address "
            "`daily-andes`\n  hint: rename one of them",
        ),
        (
            "sources.yaml",
            ("homepage: https://andes.test/", "homepage: andes.test"),
            "sources.yaml:2: `homepage` must be an absolute http(s) URL, not 'andes.test'\n"
            "  hint: write it like https://example.org/page",
        ),
        (
            "sources.yaml",
            ("- name: Lima Weekly", "  name: Lima Weekly"),
            "sources.yaml:4: invalid YAML: found duplicate key `name`\n"
            "  hint: keep one of the two lines",
        ),
        (
            "site.yaml",
            ("America/Lima", "localtime"),  # this machine's zone, not IANA's
            "site.yaml:5: `time_zone` is not a known time zone: 'localtime'\n"
            "  hint: use an IANA name such as America/Lima",
        ),
        (
            "site.yaml",
            ("America/Lima", "America"),  # a folder of zones
            "site.yaml:5: `time_zone` is not a known time zone: 'America'\n"
            "  hint: use an IANA name such as America/Lima",
        ),
        (
            "site.yaml",
            ("base_url: https://digest.test/", "base_url: ''"),
            "site.yaml:3: `base_url` must not be empty\n"
            "  hint: write the address of the site's home page, like https://example.org/digest/",
        ),
        (
            "topics.yaml",
            ("slug: election", "slug: '..'"),
            "topics.yaml:2: `slug` must be a slug, not '..'\n"
            "  hint: use lower-case letters, digits and hyphens, like `peru-2021`",
        ),
        (
            "site.yaml",
            ("base_url: https://digest.test/", 'base_url: "https://[::1"'),
            "site.yaml:3: `base_url` must be an absolute http(s) URL, not 'https://[::1'\n"
            "  hint: write it like https://example.org/page",
        ),
        (
            "sources.yaml",
            ("homepage: https://andes.test/", 'homepage: "https://[::1"'),
            "sources.yaml:2: `homepage` must be an absolute http(s) URL, not 'https://[::1'\n"
            "  hint: write it like https://example.org/page",
        ),
        (
            "sources.yaml",
            ("homepage: https://andes.test/", "homepage: https://andes test/"),
            "sources.yaml:2: `homepage` must not contain spaces or control characters, "
            "not 'https://andes test/'\n"
            "  hint: write a space in a path as %20; a host name has none",
        ),
        (
            "site.yaml",
            ("language: en", "language: en_US"),
            "site.yaml:4: `language` must be a language tag, not 'en_US'\n"
            "  hint: write it with hyphens: `en-US`",
        ),
        (
            "site.yaml",
            ("language: en", "language: ../../x"),
            "site.yaml:4: `language` must be a language tag, not '../../x'\n"
            "  hint: write a BCP 47 tag such as en, es or pt-BR",
        ),
        (
            "site.yaml",
            ("title: Test Digest", 'title: "Test\\nDigest"'),
            "site.yaml:1: `title` must be one line\n  hint: join its lines into one",
        ),
        (
            "topics.yaml",
            ("name: Election", 'name: "Elec\\x1btion"'),
            "topics.yaml:3: `name` contains a control character (U+001B)\n"
            "  hint: delete it: it is invisible, and feeds cannot carry it",
        ),
        (
            "sources.yaml",
            ("- name: Lima Weekly", '- name: "Lima\\nWeekly"'),
            "sources.yaml:4: `name` must be one line\n  hint: join its lines into one",
        ),
        (
            "topics.yaml",
            ("- slug: quiet", "- slug: &q quiet\n  keywords: [*q]"),
            "topics.yaml:5: YAML anchors and aliases (`&name`, `*name`) are not allowed\n"
            "  hint: write the value out in full where it is needed",
        ),
        (
            "site.yaml",
            ("feed_items: 3", "feed_items: [" + "1, " * 500 + "1]"),
            "site.yaml:6: `feed_items` must be a whole number of at least 1, not a list\n"
            "  hint: write a number such as 20, without quotes",
        ),
    ],
    ids=[
        "missing-base-url",
        "unknown-time-zone",
        "zero-feed-items",
        "bad-feed-content",
        "misspelt-key",
        "topic-slug-not-a-slug",
        "topic-twice",
        "topic-that-is-no-mapping",
        "sources-sharing-a-slug",
        "relative-homepage",
        "key-given-twice",
        "time-zone-of-this-machine",
        "time-zone-that-is-a-folder",
        "empty-base-url",
        "topic-slug-with-nothing-to-keep",
        "base-url-with-unclosed-ipv6-bracket",
        "homepage-with-unclosed-ipv6-bracket",
        "homepage-with-space-in-host",
        "language-not-bcp-47",
        "language-that-is-a-path",
        "site-title-over-two-lines",
        "topic-name-with-control-character",
        "source-name-over-two-lines",
        "alias",
        "long-value-shown-by-kind",
    ],
)
def test_each_settings_mistake_is_reported_exactly(
    site_dir: Path, file: str, change: tuple[str, str], expected: str
) -> None:
    replace_in(site_dir / file, *change)
    assert problems_for(site_dir) == [expected]


def test_an_entry_listed_twice_is_found_even_when_the_first_has_problems_of_its_own(
    site_dir: Path,
) -> None:
    replace_in(site_dir / "sources.yaml", "homepage: https://andes.test/", "homepage: andes.test")
    replace_in(site_dir / "sources.yaml", "- name: Lima Weekly", "- name: Daily Andes")
    assert problems_for(site_dir) == [
        "sources.yaml:2: `homepage` must be an absolute http(s) URL, not 'andes.test'\n"
        "  hint: write it like https://example.org/page",
        "sources.yaml:4: `Daily Andes` is listed twice\n  hint: delete one of the two entries",
    ]


def test_a_settings_key_with_no_value_is_reported_not_taken_for_its_default(
    site_dir: Path,
) -> None:
    replace_in(site_dir / "topics.yaml", "description: Votes & counts.", "description:")
    replace_in(site_dir / "site.yaml", "page_size: 2", "page_size: ~")
    assert problems_for(site_dir) == [
        "site.yaml:7: `page_size` has no value\n"
        "  hint: write its value after the colon, or delete the line",
        "topics.yaml:4: `description` has no value\n"
        "  hint: write its value after the colon, or delete the line",
    ]


def test_every_wrong_keyword_of_a_topic_is_reported_at_its_line(site_dir: Path) -> None:
    replace_in(site_dir / "topics.yaml", "  description: Votes & counts.\n",
               '  description: Votes & counts.\n  keywords:\n    - vote\n    - [x]\n    - ""\n'
               "    - count\n    - {a: b}\n")  # fmt: skip
    assert problems_for(site_dir) == [
        "topics.yaml:7: `keywords` item 2 must be text, not a list\n"
        "  hint: write the text after the colon, in quotes if it starts with [ or { or holds `: `",
        "topics.yaml:8: `keywords` item 3 must not be empty\n"
        "  hint: write the text after the colon",
        "topics.yaml:10: `keywords` item 5 must be text, not a mapping\n"
        "  hint: write the text after the colon, in quotes if it starts with [ or { or holds `: `",
    ]


def test_an_unknown_key_of_site_yaml_is_named_short_with_every_key_it_may_hold(
    site_dir: Path,
) -> None:
    replace_in(site_dir / "site.yaml", "page_size: 2", "page_size: 2\n" + "x" * 300 + ": 1")
    assert problems_for(site_dir) == [
        "site.yaml:8: unknown key `" + "x" * 79 + "…` in site.yaml\n"
        "  hint: known keys: title, description, base_url, language, articles_language, "
        "time_zone, feed_items, page_size, feed_content, week_start, lint"
    ]


def test_an_unknown_outlet_or_topic_is_named_short(
    site_dir: Path, write_article: WriteArticle
) -> None:
    long = "Z" * 500
    write_article("long.md", f"title: T\ndate: 2021-07-01\nsource: {long}\ntopics: [{long}]")
    assert [problem.split("\n")[0] for problem in problems_for(site_dir)] == [
        f"articles/long.md:4: unknown source `{'Z' * 79}…`",
        f"articles/long.md:5: unknown topic `{'Z' * 79}…`",
    ]


def test_a_missing_settings_file_says_what_to_do(site_dir: Path) -> None:
    (site_dir / "topics.yaml").unlink()
    assert problems_for(site_dir) == [
        "topics.yaml: file not found\n  hint: create it; see README.md"
    ]


def test_a_description_may_run_over_several_lines(site_dir: Path) -> None:
    replace_in(
        site_dir / "site.yaml",
        "description: A small site for the tests.",
        "description: |\n  Two\n  lines.",
    )
    assert load_config(site_dir, Report()).site.description == "Two\nlines."


def test_a_bad_base_url_option_is_blamed_on_the_option_not_on_site_yaml(site_dir: Path) -> None:
    with pytest.raises(DigestError) as raised:
        load_config(site_dir, Report(), base_url="https://[::1")
    assert [str(p) for p in raised.value.problems] == [
        "--base-url: must be an absolute http(s) URL, not 'https://[::1'\n"
        "  hint: write it like https://example.org/page"
    ]


def test_the_base_url_option_replaces_even_a_broken_one_in_site_yaml(site_dir: Path) -> None:
    replace_in(site_dir / "site.yaml", "base_url: https://digest.test/", "base_url: nowhere")
    config = load_config(site_dir, Report(), base_url="https://preview.test/peru")
    assert config.site.base_url == "https://preview.test/peru/"


def test_a_settings_file_that_is_a_fifo_is_reported_without_waiting(site_dir: Path) -> None:
    (site_dir / "topics.yaml").unlink()
    os.mkfifo(site_dir / "topics.yaml")
    with deadline(10):
        problems = problems_for(site_dir)
    assert problems == [
        "topics.yaml: not a regular file\n  hint: content files must be plain files"
    ]


@pytest.mark.parametrize("name", ["topics.yaml", "sources.yaml"])
def test_an_empty_list_file_declares_nothing(site_dir: Path, name: str) -> None:
    (site_dir / name).write_text("# nothing yet\n", encoding="utf-8")
    problems = problems_for(site_dir)
    assert problems
    assert all("unknown topic" in p or "unknown source" in p for p in problems)


def test_a_settings_file_of_the_wrong_shape_is_reported_where_its_content_begins(
    site_dir: Path,
) -> None:
    """Sources written as one mapping under a heading (a common slip), site.yaml as a list."""
    (site_dir / "sources.yaml").write_text("# outlets\n\nsources:\n  - name: A\n")
    (site_dir / "site.yaml").write_text("# settings\n\n- title: A\n")
    assert problems_for(site_dir) == [
        "site.yaml:3: site.yaml must be a mapping of `key: value` lines\n"
        "  hint: write one `key: value` a line, each key at the start of its line",
        "sources.yaml:3: must be a list of entries, each starting `- name:`\n"
        "  hint: write each entry as a `- name: …` line, its other keys below it, indented two "
        "spaces",
    ]


def test_an_empty_site_yaml_says_what_it_must_hold(site_dir: Path) -> None:
    (site_dir / "site.yaml").write_text("", encoding="utf-8")
    assert problems_for(site_dir) == [
        "site.yaml: site.yaml must be a mapping of `key: value` lines\n"
        "  hint: write one `key: value` a line, each key at the start of its line"
    ]
