"""The outlet's own address behind a Google News link, when the link holds it."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest.importers.redirects import google_news_target, is_feedburner, is_google_news

LEGACY = (
    "https://news.google.com/rss/articles/CBMiX2h0dHBzOi8vZWxjb21lcmNpby5wZS9wb2xpdGljYS9wZWRy"
    "by1jYXN0aWxsby1hbnVuY2lhLWRpc29sdWNpb24tdGVtcG9yYWwtZGVsLWNvbmdyZXNvLW5vdGljaWEv0gEA?oc=5"
)
OPAQUE = (
    "https://news.google.com/rss/articles/CBMiigFBVV95cUx3VGdzdThQTy03OTluS1NOcmg5VUNhdVNEbUxo"
    "dVZ0Y3FjWWV6ZFpfdEREajhoWXM1c3VLY05kOFpyYTlBOXNLUHhaOVczcUx5N3pLVVZRRFQ3UzhzVFFDQk5SM1li"
    "RGdibGVwaDFRSHQ2MVFUQzRYQVRXUzhQSHA5TkhmWWpGTTVESTQ?oc=5"
)


@pytest.mark.parametrize(
    ("link", "target"),
    [
        (
            LEGACY,
            "https://elcomercio.pe/politica/pedro-castillo-anuncia-disolucion-temporal-del-"
            "congreso-noticia/",
        ),
        (OPAQUE, ""),  # since July 2024: only Google's servers know
        ("https://news.google.com/news/url?sa=t&url=https://rpp.pe/a", "https://rpp.pe/a"),
        ("https://news.google.com/rss/articles/!!!not-base64", ""),
        ("https://news.google.com/rss/articles/", ""),
    ],
)
def test_google_news_target(link: str, target: str) -> None:
    assert google_news_target(link) == target


def test_redirectors_are_known_by_their_host() -> None:
    assert is_feedburner("http://feedproxy.google.com/~r/x/~3/y/")
    assert is_google_news(OPAQUE)
    assert not is_google_news("https://news.google.com.evil.test/rss/articles/x")


@given(st.binary(max_size=300))
def test_any_token_decodes_to_an_address_or_nothing(data: bytes) -> None:
    token = base64.urlsafe_b64encode(data).decode().rstrip("=")
    target = google_news_target(f"https://news.google.com/rss/articles/{token}")
    assert target == "" or target.startswith(("http://", "https://"))
