"""Pagefind's file format, as the merge of section indexes reads and writes it, and the client
for ``pagefind --service``."""

from __future__ import annotations

import json
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest import search
from peru_digest.pagefind_format import (
    Cbor,
    FormatError,
    decode,
    encode,
    pack,
    pagefind_hash,
    skip,
    unpack,
)
from peru_digest.pagefind_merge import unique_prefix
from peru_digest.pagefind_service import PagefindError, PagefindService

cbor_values = st.recursive(
    st.integers(min_value=-(2**64), max_value=2**64 - 1)
    | st.text()
    | st.binary()
    | st.booleans()
    | st.none(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=20,
)


@given(cbor_values)
def test_cbor_decodes_what_it_encodes_and_skips_it_whole(value: Cbor) -> None:
    data = encode(value) + b"\x00"
    assert decode(data) == (value, len(data) - 1)
    assert skip(data, 0) == len(data) - 1


def test_cbor_integers_take_the_shortest_form_as_pagefind_writes_them() -> None:
    assert [encode(n) for n in (23, 24, 255, 256, -1, -25)] == [
        b"\x17", b"\x18\x18", b"\x18\xff", b"\x19\x01\x00", b"\x20", b"\x38\x18",
    ]  # fmt: skip


@given(st.binary())
def test_an_index_file_holds_its_payload_and_is_the_same_bytes_every_time(payload: bytes) -> None:
    assert unpack(pack(payload)) == payload
    assert pack(payload) == pack(payload)
    assert zlib.decompress(pack(payload), wbits=31) == b"pagefind_dcd" + payload


def test_a_file_without_pagefind_s_signature_is_refused() -> None:
    with pytest.raises(FormatError):
        unpack(zlib.compress(b"something else", wbits=31))
    with pytest.raises(FormatError):
        unpack(b"not gzip")


def test_a_name_taken_grows_by_pagefind_s_step_until_it_is_free() -> None:
    used = {"en_1234567", "en_123456789"}
    assert unique_prefix("en_1234567890abc", 10, used, step=1) == "en_12345678"
    assert unique_prefix("en_1234567890abc", 10, used, step=2) == "en_1234567890a"
    assert unique_prefix("en_abcdef0", 10, used, step=2) == "en_abcdef0"
    assert used >= {"en_12345678", "en_1234567890a", "en_abcdef0"}


def test_pagefind_names_by_sha1_hex_without_zero_padding() -> None:
    # SHA-1 of b"" is da39a3ee5e6b4b0d3255bfef95601890afd80709: 0d → "d", 07 → "7", 09 → "9"
    assert pagefind_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"


# The service --------------------------------------------------------------------------------


@pytest.fixture
def service() -> PagefindService:
    executable = search.pagefind_executable()
    assert executable is not None, "pagefind-bin is a dependency"
    return PagefindService(executable)


def test_the_service_numbers_pages_in_the_order_they_are_given(service: PagefindService) -> None:
    months = ["03", "01", "02"]
    pages = [
        (f"2021/{month}/a/index.html", f'<html lang="en"><body><h1>{month}</h1></body></html>')
        for month in months
    ]
    with service:
        index = service.new_index({"force_language": "en"})
        assert service.add_files(index, pages) == 3
        files = service.get_files(index)
    entry = json.loads(files["pagefind-entry.json"])
    meta, _ = decode(unpack(files[f"pagefind.{entry['languages']['en']['hash']}.pf_meta"]))
    assert isinstance(meta, list) and isinstance(meta[1], list)
    names = [entry[0] for entry in meta[1] if isinstance(entry, list)]
    urls = [json.loads(unpack(files[f"fragment/{name!s}.pf_fragment"]))["url"] for name in names]
    assert urls == [f"/2021/{month}/a/" for month in months]


def test_a_refused_request_is_an_error_naming_pagefind_s_reason(service: PagefindService) -> None:
    with service, pytest.raises(PagefindError, match="expected a string"):
        service.new_index({"force_language": 42})
