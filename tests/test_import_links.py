"""Links as imported: what an article file keeps, and the canonical form links are compared in."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from peru_digest.importers.links import canonical_url, clean_link, is_tracking, web_address

# --- canonical urls ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Andes.TEST:80/runoff/?utm_source=x&fbclid=1#top", "https://andes.test/runoff"),
        ("https://andes.test:443/a?b=1&utm_medium=feed&c=2", "https://andes.test/a?b=1&c=2"),
        ("https://andes.test:8443/a/", "https://andes.test:8443/a"),
        ("https://andes.test/?gclid=1&mc_cid=2&mc_eid=3&ref_src=twsrc", "https://andes.test"),
        ("https://andes.test/inauguration?ref=1&x=2", "https://andes.test/inauguration?ref=1&x=2"),
        (
            "https://gestion.pe/economia/bcr-noticia/?ref=rss",
            "https://gestion.pe/economia/bcr-noticia",
        ),
        ("https://andes.test/a?REF=Feed&x=2", "https://andes.test/a?x=2"),  # the feed's referrer
        ("mailto:desk@andes.test", "mailto:desk@andes.test"),
        # one page, shared as its AMP copy, with another host name or other escapes
        (
            "https://www.rpp.pe/politica/vacancia-noticia-1/",
            "https://rpp.pe/politica/vacancia-noticia-1",
        ),
        (
            "https://rpp.pe/politica/vacancia-noticia-1/amp/",
            "https://rpp.pe/politica/vacancia-noticia-1",
        ),
        ("https://rpp.pe/politica/v/?amp=1", "https://rpp.pe/politica/v"),
        ("https://rpp.pe/politica/v?amp&x=1", "https://rpp.pe/politica/v?x=1"),
        ("https://elcomercio.pe/p/c-noticia/?outputType=amp", "https://elcomercio.pe/p/c-noticia"),
        ("https://andes.test/per%c3%ba-vota%2D2021", "https://andes.test/per%C3%BA-vota-2021"),
        ("https://andes.test/perú-vota-2021", "https://andes.test/per%C3%BA-vota-2021"),
        # what is no mark of a copy stays
        ("https://andes.test/a%2Fb?q=a%26b", "https://andes.test/a%2Fb?q=a%26b"),
        ("https://andes.test/campamento?lamp=1", "https://andes.test/campamento?lamp=1"),
        ("https://andes.test/amplio", "https://andes.test/amplio"),
        ("https://www2.andes.test/a", "https://www2.andes.test/a"),
        # an international host, as its letters or in the xn-- form address bars show
        ("https://xn--diariodelsur-lhb.pe/a", "https://diariodelsur\u00f1.pe/a"),
        ("https://XN--DiarioDelSur-LHB.pe/a", "https://diariodelsur\u00f1.pe/a"),
        ("https://DiarioDelSur\u00d1.pe/a", "https://diariodelsur\u00f1.pe/a"),
        ("https://diariodelsurn\u0303.pe/a", "https://diariodelsur\u00f1.pe/a"),  # NFD
        ("https://xn--.pe/a", "https://xn--.pe/a"),  # no punycode: as written
        ("https://xn--a-nda/a", "https://xn--a-nda/a"),  # decodes to no host's letters
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


_LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789-", min_size=1, max_size=8)
_VALUE = st.text(alphabet="abcdefghijklmnopqrstuvwxyzAB0123456789-._~%+=/?:@", max_size=8)
_PAIR = st.tuples(_LABEL, _VALUE).map("=".join).filter(lambda pair: not is_tracking(pair))
_TRACKING = st.tuples(
    st.sampled_from(["utm_source", "utm_medium", "utm_campaign", "UTM_Content", "utm_x", "fbclid"]),
    _VALUE,
).map("=".join) | st.sampled_from(["ref=rss", "ref=feed", "Ref=RSS"])


@dataclass(frozen=True)
class Url:
    scheme: str
    host: str
    port: str
    path: str
    query: tuple[str, ...]
    fragment: str

    def __str__(self) -> str:
        query = "?" + "&".join(self.query) if self.query else ""
        fragment = "#" + self.fragment if self.fragment else ""
        return f"{self.scheme}://{self.host}{self.port}{self.path}{query}{fragment}"


URLS = st.builds(
    Url,
    scheme=st.sampled_from(["http", "https", "HTTP", "Https"]),
    host=st.lists(_LABEL, min_size=1, max_size=3).map(".".join),
    port=st.sampled_from(["", ":80", ":443", ":8080"]),
    path=st.lists(_LABEL, max_size=3).map(lambda parts: "".join("/" + p for p in parts))
    | st.lists(_LABEL, max_size=3).map(lambda parts: "".join(p + "/" for p in ["", *parts])),
    query=st.lists(_PAIR, max_size=3).map(tuple),
    fragment=_VALUE,
)


@given(URLS)
def test_canonical_url_is_idempotent(url: Url) -> None:
    once = canonical_url(str(url))
    assert canonical_url(once) == once


@example("https://www.www.a.test/n/amp/amp/?utm%5Fsource=1&amp&q=%c3%a1%2d")
@given(st.text())
@example("\x1b\x850")  # a control character, then a Unicode space (found by hypothesis)
@example("0 #")  # a space left at the end once the fragment goes (found by hypothesis)
def test_canonical_url_is_idempotent_on_any_text(text: str) -> None:
    once = canonical_url(text)
    assert canonical_url(once) == once


@given(URLS, st.lists(_TRACKING, min_size=1, max_size=3), st.data())
def test_tracking_parameters_do_not_change_the_canonical_url(
    url: Url, tracking: list[str], data: st.DataObject
) -> None:
    query = list(url.query)
    for pair in tracking:
        query.insert(data.draw(st.integers(0, len(query))), pair)
    tracked = Url(url.scheme, url.host, url.port, url.path, tuple(query), url.fragment)
    assert canonical_url(str(tracked)) == canonical_url(str(url))


@given(URLS, _VALUE)
def test_a_fragment_does_not_change_the_canonical_url(url: Url, fragment: str) -> None:
    other = Url(url.scheme, url.host, url.port, url.path, url.query, fragment)
    assert canonical_url(str(other)) == canonical_url(str(url))


@given(URLS)
def test_http_and_https_have_the_same_canonical_url(url: Url) -> None:
    switched = "https" if url.scheme.lower() == "http" else "http"
    other = Url(switched, url.host, url.port, url.path, url.query, url.fragment)
    assert canonical_url(str(other)) == canonical_url(str(url))


@pytest.mark.parametrize(
    "url",
    [
        "https://a.test/x\nBy Fake, Outlet. -",
        "https://a test/x",
        "https://a.test/\tx",
        "https://[::1",
        "https://a.test:99999/",
        "javascript:alert(1)",
        "//a.test/x",
        "https://rpp..pe/x",  # a host the build refuses is no link to import either
        "https://user:pass@rpp.pe:8443/x",
        "https://rpp.pe\\@evil.test/",
    ],
)
def test_what_is_not_one_web_address_is_no_web_address(url: str) -> None:
    assert web_address(url) == ""


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        (
            "https://www.lemonde.fr/a_3210.html?xtor=RSS-3208",
            "https://www.lemonde.fr/a_3210.html",
        ),
        (
            "https://www.francetvinfo.fr/a.html#xtor=RSS-3-[lestitres]",
            "https://www.francetvinfo.fr/a.html",
        ),
        (
            "https://infobae.com/peru/en-vivo/#post-1205",
            "https://infobae.com/peru/en-vivo/#post-1205",
        ),
        (
            "https://onpe.gob.pe/T?id=1&page=2&UTM_Medium=social",
            "https://onpe.gob.pe/T?id=1&page=2",
        ),
        ("https://a.test/?b=1&ito=rss&at_medium=RSS&ns_source=x&c=2", "https://a.test/?b=1&c=2"),
        (
            "https://congreso.gob.pe/#/expediente/2021/3561",
            "https://congreso.gob.pe/#/expediente/2021/3561",
        ),
    ],
)
def test_clean_link_drops_trackers_and_keeps_the_rest_as_written(url: str, kept: str) -> None:
    assert clean_link(url) == kept
