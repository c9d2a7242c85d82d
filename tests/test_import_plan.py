"""Planning an import: names that fit, outlets and topics as the build reads them, and the
articles already there recognised through the build's own schema."""

from __future__ import annotations

import os
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from peru_digest import articlefile
from peru_digest.digesttext import DigestItem, format_digest, parse_digest
from peru_digest.errors import DigestError
from peru_digest.importers.commit import commit
from peru_digest.importers.plan import plan_import, read_settings
from peru_digest.importers.records import NewArticle
from peru_digest.model import derived_id

from .conftest import loaded
from .imported import front_matter_of, reported

LONG = "Congreso aprueba la vacancia " * 12  # 348 characters


def article(title: str, **fields: object) -> NewArticle:
    values: dict[str, object] = {
        "date": date(2022, 12, 7),
        "source": "Daily Andes",
        "authors": (),
        "url": "",
        "summary": "<p>Text.</p>",
    }
    values.update(fields)
    return NewArticle(title, **values)  # type: ignore[arg-type]


def planned(content: Path, *items: NewArticle) -> list[str]:
    return reported(plan_import(items, read_settings(content), dry_run=True).report, content)


def test_names_are_cut_to_what_the_file_system_allows_and_stay_unique(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "pathconf", lambda *_: 60)
    plan = plan_import(
        [article(LONG.strip(), url="https://a.test/1"), article(LONG, url="https://a.test/2")],
        read_settings(site_dir),
        dry_run=False,
    )
    names = [file.path.name for file in plan.files]
    assert names == [
        "2022-12-07-congreso-aprueba-la-vacancia-congreso-aprueba.md",
        "2022-12-07-congreso-aprueba-la-vacancia-congreso-2.md",
    ]
    assert all(len(name.encode()) <= 60 for name in names)
    assert ["slug: congreso-aprueba-la-vacancia-congreso-2\n" in f.text for f in plan.files] == [
        False,
        True,
    ]


def test_a_title_without_letters_gets_a_slug_of_its_own_written_down(site_dir: Path) -> None:
    plan = plan_import(
        [article("🔥🔥🔥", url="https://a.test/fire")], read_settings(site_dir), dry_run=False
    )
    assert "\nslug: article-" in plan.files[0].text
    assert plan.files[0].path.name.startswith("2022-12-07-article-")


def test_an_outlet_declared_under_a_name_with_the_same_address_is_that_outlet(
    site_dir: Path,
) -> None:
    item = article("Runoff", source="Daily Ándes", url="https://a.test/r")
    plan = plan_import([item], read_settings(site_dir), dry_run=True)
    assert plan.sources is None
    assert "\nsource: Daily Andes\n" in plan.files[0].text


def test_a_broken_topics_file_is_reported_not_ignored(site_dir: Path) -> None:
    (site_dir / "topics.yaml").write_text("- slug: Not A Slug\n  name: X\n", "utf-8")
    with pytest.raises(DigestError) as raised:
        read_settings(site_dir)
    assert str(raised.value).startswith(f"{site_dir.as_posix()}/topics.yaml:1: `slug` must be")


def test_an_article_that_fails_validation_still_counts_as_there(site_dir: Path) -> None:
    path = site_dir / "articles/2021/broken.md"
    path.write_text(
        "---\ntitle: Broken\ndate: 2021-07-01\nsource: Daily Andes\n"
        "url: https://andes.test/broken\ntopics: [no-such-topic]\n---\n\nText.\n",
        "utf-8",
    )
    assert planned(site_dir, article("Broken Again", url="http://andes.test/broken/")) == [
        f"skipped: 'Broken Again': same url as {path.as_posix()}".replace(
            site_dir.as_posix(), "content"
        ),
        "Dry run, nothing written: 0 would be imported, 1 skipped.",
    ]


def test_same_title_and_outlet_with_different_links_are_different_articles(
    site_dir: Path,
) -> None:
    first = article("Congreso", url="https://a.test/congreso-1")
    second = article("Congreso", url="https://a.test/congreso-2")
    unlinked = article("Congreso")
    assert planned(site_dir, first, second, unlinked)[-2:] == [
        "skipped: 'Congreso': same title and source as "
        "content/articles/2022/2022-12-07-congreso.md",
        "Dry run, nothing written: 2 would be imported, 1 skipped.",
    ]


EDITORIAL_SKIPPED = (
    "skipped: 'Editorial': same title and source as content/articles/2022/2022-12-07-editorial.md"
)


@pytest.mark.parametrize(
    ("published", "same"),
    [
        (date(2022, 10, 1), True),  # a digest may sum up weeks
        (date(2022, 12, 7), True),
        (date(2022, 12, 8), True),  # the digest went out past midnight
        (datetime(2022, 12, 9, 4, 30, tzinfo=UTC), True),  # the 8th, where the site is
        (date(2022, 12, 9), False),  # out after the digest: another "Editorial"
        (date(2022, 12, 14), False),  # next week's
    ],
)
def test_a_feeds_article_is_a_digests_item_of_its_title_and_outlet_if_out_by_its_day(
    site_dir: Path, published: date, same: bool
) -> None:
    """Outlets give recurring columns one title ("Editorial", "Minuto a minuto", "Resumen
    del día"); a digest's item (no link) is dated the digest's day."""
    digest = article("Editorial")
    feed = article("Editorial", date=published, url="https://a.test/editorial-x")
    assert (EDITORIAL_SKIPPED in planned(site_dir, digest, feed)) is same


@pytest.mark.parametrize(
    ("day", "same"),
    [
        (date(2022, 12, 6), True),
        (date(2022, 12, 7), True),
        (date(2022, 12, 8), True),
        (date(2022, 12, 9), False),
        (date(2022, 11, 30), False),
    ],
)
def test_two_digests_items_of_one_title_and_outlet_are_one_article_only_a_day_apart(
    site_dir: Path, day: date, same: bool
) -> None:
    digest = article("Editorial")
    assert (EDITORIAL_SKIPPED in planned(site_dir, digest, article("Editorial", date=day))) is same


def test_recurring_columns_without_links_are_articles_of_their_own_with_ids_of_their_own(
    site_dir: Path,
) -> None:
    """Their ids, derived from outlet and title alone, would be one: each takes its day too
    (the build refuses two articles of one id)."""
    weeks = [
        article("Editorial", date=date(2022, 12, 7 + 7 * w), summary=f"<p>Week {w}.</p>")
        for w in range(3)
    ]
    plan = plan_import(weeks, read_settings(site_dir), dry_run=False)
    commit(plan)
    ids = [front_matter_of(file.path)["id"] for file in plan.files]
    assert len(set(ids)) == 3
    assert ids[0] == derived_id("", "Daily Andes", "Editorial")  # the first as before
    loaded(site_dir)
    again = plan_import(weeks, read_settings(site_dir), dry_run=True).report
    assert again.lines()[-1] == "Dry run, nothing written: 0 would be imported, 3 skipped."


def test_the_written_id_is_the_one_id_rule_of_the_written_url(site_dir: Path) -> None:
    plan = plan_import(
        [article("Runoff II", url="https://andes.test/runoff-2/")],
        read_settings(site_dir),
        dry_run=False,
    )

    commit(plan)
    data = front_matter_of(plan.files[0].path)

    assert data["id"] == derived_id("https://andes.test/runoff-2/", "", "")


def test_a_title_with_line_breaks_cannot_smuggle_an_article_through_a_digest() -> None:
    smuggler = DigestItem(
        "Real Title\n\nBy Fake Person, Fake Outlet. -\n\nFake excerpt [...]\n\nFake Title",
        ("Ana Quispe\nRuiz",),
        "Daily\nAndes",
        "The excerpt [...]",
    )
    (item,) = parse_digest(format_digest([smuggler]), "edition.txt")
    assert item.title.startswith("Real Title By Fake Person")
    assert (item.authors, item.source) == (("Ana Quispe Ruiz",), "Daily Andes")


def test_an_entry_the_build_would_refuse_is_skipped_with_the_reason_and_its_outlet_not_added(
    site_dir: Path,
) -> None:
    plan = plan_import(
        [
            article("No Outlet", source=" ", url="https://a.test/x"),
            article("Archive", date=date(1900, 8, 11), source="Old Paper", url="https://a.test/o"),
            article("Today", url="https://a.test/t"),
        ],
        read_settings(site_dir),
        dry_run=True,
    )
    assert reported(plan.report, site_dir) == [
        "would be imported: content/articles/2022/2022-12-07-today.md",
        "Dry run, nothing written: 1 would be imported, 0 skipped, 2 refused.",
        "refused: 'No Outlet': `source` must not be empty",
        "refused: 'Archive': `date` is too early for America/Lima: its offset then, -05:08:36, "
        "has seconds",
    ]
    assert plan.sources is None  # neither " " nor "Old Paper" joins sources.yaml


def test_a_pipe_named_like_an_article_does_not_stop_an_import(site_dir: Path) -> None:
    os.mkfifo(site_dir / "articles" / "2021" / "pipe.md")
    lines: list[str] = []
    worker = threading.Thread(
        target=lambda: lines.extend(planned(site_dir, article("R2", url="https://a.test/r2"))),
        daemon=True,  # were it to wait on the pipe for ever, the test still ends
    )
    worker.start()
    worker.join(timeout=10)
    assert lines[-1:] == ["Dry run, nothing written: 1 would be imported, 0 skipped."]


# sources.yaml: new outlets appended in the editor's own layout ------------------------------


def sources_after(content: Path, text: bytes) -> str:
    (content / "sources.yaml").write_bytes(text)
    plan = plan_import(
        [article("New", source="Diario Nuevo", url="https://nuevo.test/a")],
        read_settings(content),
        dry_run=True,
    )
    assert plan.sources is not None
    return plan.sources.after


def test_new_outlets_follow_an_indented_list_with_its_comments_and_line_endings(
    site_dir: Path,
) -> None:
    before = (
        b"# Our outlets\r\n  - name: Daily Andes  # the first\r\n    homepage: https://da.test/\r\n"
    )
    assert sources_after(site_dir, before) == before.decode() + "  - name: Diario Nuevo\r\n"


def test_new_outlets_go_before_a_closing_document_end(site_dir: Path) -> None:
    after = sources_after(site_dir, b"- name: Daily Andes\n...\n")
    assert after == "- name: Daily Andes\n- name: Diario Nuevo\n...\n"


def test_a_flow_style_list_without_comments_is_written_anew_as_a_block_list(
    site_dir: Path,
) -> None:
    after = sources_after(site_dir, b"[{name: Daily Andes, homepage: 'https://da.test/'}]\n")
    assert after == "- name: Daily Andes\n  homepage: https://da.test/\n- name: Diario Nuevo\n"


def test_a_flow_style_list_with_comments_stops_the_import_and_says_what_to_add(
    site_dir: Path,
) -> None:
    with pytest.raises(DigestError) as raised:
        sources_after(site_dir, b"# Outlets\n[{name: Daily Andes}]\n")
    assert str(raised.value) == (
        f"{(site_dir / 'sources.yaml').as_posix()}: the import cannot add outlets to this file: "
        "its list is not one `- name:` entry per line, and writing it anew would lose its "
        "comments\n  hint: write it as a block list (`- name: …` lines), or add the new outlets "
        "by hand: `- name: Diario Nuevo`"
    )


def test_the_outlets_to_add_by_hand_are_written_as_yaml_reads_them(site_dir: Path) -> None:
    (site_dir / "sources.yaml").write_bytes(b"# Outlets\n[{name: Daily Andes}]\n")
    with pytest.raises(DigestError) as raised:
        plan_import(
            [article("New", source="Nuevo: Perú", url="https://nuevo.test/a")],
            read_settings(site_dir),
            dry_run=True,
        )
    assert str(raised.value).endswith("by hand: `- name: 'Nuevo: Perú'`")


def test_a_last_block_description_without_a_final_newline_takes_new_outlets_after_it(
    site_dir: Path,
) -> None:
    before = "# Outlets\n- name: Daily Andes\n  description: |\n    A Lima daily."
    after = sources_after(site_dir, before.encode())
    assert after == before + "\n- name: Diario Nuevo\n"


def test_a_hash_inside_a_flow_style_value_is_no_comment_to_lose(site_dir: Path) -> None:
    after = sources_after(site_dir, b'[{name: Daily Andes, homepage: "https://da.test/#inicio"}]')
    assert after == (
        "- name: Daily Andes\n  homepage: https://da.test/#inicio\n- name: Diario Nuevo\n"
    )


def outlet_of(site_dir: Path, homepage: str, *, given: bool = True) -> str:
    """The outlet an entry named "Andes Daily News" with this homepage is imported under (the
    fixture site declares "Daily Andes" at https://andes.test/)."""
    item = article(
        "Runoff",
        source="Andes Daily News",
        homepage=homepage,
        home_given=given,
        url="https://a.test/r",
    )
    plan = plan_import([item], read_settings(site_dir), dry_run=True)
    return str(articlefile.parse(plan.files[0].text, "new").front_matter["source"])


@pytest.mark.parametrize(
    "homepage",
    ["https://andes.test/", "http://www.andes.test", "https://andes.test/edicion/lima/"],
)
def test_an_outlet_declared_with_the_items_homepage_or_one_above_it_is_that_outlet(
    site_dir: Path, homepage: str
) -> None:
    assert outlet_of(site_dir, homepage) == "Daily Andes"


@pytest.mark.parametrize(
    ("homepage", "given"),
    [
        ("https://other.test/", True),
        ("https://news.andes.test/", True),
        ("", True),
        ("https://andes.test/", False),  # a feed host's root, or the outlet named by --source
    ],
)
def test_an_outlet_with_another_homepage_or_one_not_its_own_is_a_new_outlet(
    site_dir: Path, homepage: str, given: bool
) -> None:
    assert outlet_of(site_dir, homepage, given=given) == "Andes Daily News"


@pytest.mark.parametrize(
    ("declared", "homepage"),
    [
        ("- name: Andes Sunday\n  homepage: https://andes.test/\n", "https://andes.test/"),
        (  # the nearest folder is two outlets': not the one above it either
            "- name: Andes Lima\n  homepage: https://andes.test/lima/\n"
            "- name: Andes Lima Sur\n  homepage: https://andes.test/lima\n",
            "https://andes.test/lima/sur/",
        ),
    ],
)
def test_a_homepage_two_outlets_are_declared_with_names_neither(
    site_dir: Path, declared: str, homepage: str
) -> None:
    with (site_dir / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(declared)
    assert outlet_of(site_dir, homepage) == "Andes Daily News"


def test_a_long_title_is_quoted_cut_short_in_what_the_import_says(site_dir: Path) -> None:
    title = "Castillo " * 5000
    lines = planned(site_dir, article(title.strip(), url="https://a.test/long"))
    assert lines[-1] == (
        "refused: 'Castillo Castillo Castillo Castillo Castillo Castillo Castillo Castillo "
        "Castill…': too long for an article file (45,357 bytes; at most 32,768)"
    )
