"""The records that travel to worker processes and into the build cache come back whole."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest.cache import FileState
from peru_digest.content import KeyLines
from peru_digest.group import ArticleData, ListData, Page
from peru_digest.loading import Outcome, Record
from peru_digest.model import Article, Summary, derived_id, pickled_as_tuple
from peru_digest.render import Job
from peru_digest.views import Pager

LIMA = ZoneInfo("America/Lima")
ARTICLE = Article(
    path="articles/2021/castillo.md",
    title="Castillo leads the count",
    date=datetime(2021, 6, 7, 10, tzinfo=LIMA),
    source="El Comercio",
    authors=("Ana Quispe", "Luis Gil"),
    url="https://elcomercio.pe/x",
    topics=("election",),
    slug="castillo-leads",
    written_id="urn:uuid:1",
    summary_key="k",
    updated=datetime(2021, 6, 8, tzinfo=UTC),
    auto_topics=True,
)
SUMMARY = Summary("*x*", "<p><em>x</em></p>", "x")
RECORD = Record(ARTICLE, KeyLines({"title": 2}), (), ())
RECORDS = [
    ARTICLE,
    SUMMARY,
    RECORD,
    Outcome("articles/a.md", FileState(1, 2, 3, 4), 5, "d", RECORD, SUMMARY),
    Outcome("articles/b.md", None, 5, "d", Record(None, KeyLines({}), (), ()), None),
    Job(
        "2021/06/castillo-leads/index.html",
        Page("2021/06/castillo-leads/index.html", "article.html", "t", ArticleData(ARTICLE, ())),
        None,
    ),
    Job(
        "topics/election/index.html",
        Page(
            "topics/election/index.html",
            "list.html",
            "Election",
            ListData(
                "topic",
                "Election",
                (ARTICLE,),
                Pager(1, 1, prev_file=None, next_file="topics/election/page/2/index.html"),
            ),
        ),
        "previous digest",
    ),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: type(record).__name__)
def test_a_record_comes_back_equal_through_pickle_and_copy(record: object) -> None:
    for again in (pickle.loads(pickle.dumps(record, 5)), copy.copy(record), copy.deepcopy(record)):
        assert again == record
        assert type(again) is type(record)


def test_an_article_keeps_its_digests_and_its_time_zone_through_pickle() -> None:
    again = pickle.loads(pickle.dumps(ARTICLE))
    assert (again.digest, again.shape, again.date.tzinfo) == (ARTICLE.digest, ARTICLE.shape, LIMA)


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Single:
    value: int


def test_a_record_of_one_field_is_pickled_as_a_tuple_too() -> None:
    assert pickle.loads(pickle.dumps(Single(3))) == Single(3)


@given(st.text(), st.text(), st.text())
def test_a_derived_id_is_the_uuid5_of_the_link_else_of_outlet_and_title(
    url: str, source: str, title: str
) -> None:
    seed = url or f"{source}\n{title}"
    assert derived_id(url, source, title) == uuid.uuid5(uuid.NAMESPACE_URL, seed).urn


def test_an_article_without_a_written_id_has_its_derived_one() -> None:
    assert ARTICLE.id == "urn:uuid:1"
    article = dataclasses.replace(ARTICLE, written_id="")
    assert article.id == "urn:uuid:580244c5-1dd7-55d5-a550-fda80c8905d9"  # from its link
    assert dataclasses.replace(article, url="").id == derived_id("", "El Comercio", ARTICLE.title)
