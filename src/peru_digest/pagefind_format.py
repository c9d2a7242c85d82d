"""Pagefind 1.5.2's file format, as far as merging indexes needs it.

Every index file (``.pf_meta``, ``.pf_index``, ``.pf_fragment``) is gzip of ``pagefind_dcd``
followed by the payload: CBOR for the meta and the word chunks, JSON for a fragment. Files are
named after a SHA-1 of the payload (see :func:`pagefind_hash`). Only the CBOR that Pagefind
writes is handled: integers, byte and text strings, definite-length arrays and maps.
Verified against Pagefind 1.5.2 only (``tests/test_search.py`` fails on a change).
"""

from __future__ import annotations

import hashlib
import struct
import zlib

PAGEFIND_VERSION = "1.5.2"
MAGIC = b"pagefind_dcd"
GZIP_LEVEL = 6  # Pagefind's own (flate2's default); level 9 is ~8x slower for 2 % less
# A gzip header without a name or time: the same payload always gives the same bytes.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"

Cbor = int | str | bytes | list["Cbor"] | dict["Cbor", "Cbor"] | bool | None


class FormatError(Exception):
    """A file is not what Pagefind 1.5.2 writes."""


def unpack(data: bytes) -> bytes:
    """The payload of an index file."""
    try:
        raw = zlib.decompress(data, wbits=31)
    except zlib.error as error:
        raise FormatError(f"not gzip: {error}") from None
    if not raw.startswith(MAGIC):
        raise FormatError("no pagefind_dcd signature")
    return raw[len(MAGIC) :]


def pack(payload: bytes) -> bytes:
    """An index file for a payload: deterministic bytes for one zlib build."""
    raw = MAGIC + payload
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = compressor.compress(raw) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(raw), len(raw) & 0xFFFFFFFF)
    return _GZIP_HEADER + body + trailer


def pagefind_hash(payload: bytes) -> str:
    """Pagefind's content hash: SHA-1, each byte in hex *without* zero padding."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(payload).digest())


# CBOR -------------------------------------------------------------------------------------

_LONG_ARGUMENT = {24: 1, 25: 2, 26: 4, 27: 8}  # additional information → bytes that follow
# The length of an integer item (major type 0 or 1) from its first byte; 0 for any other item.
INT_LENGTH = bytes(
    (1 + _LONG_ARGUMENT.get(b & 31, 0) if b & 31 < 28 else 0) if b >> 5 in (0, 1) else 0
    for b in range(256)
)
_SIMPLE = {20: False, 21: True, 22: None}


def head(data: bytes, at: int) -> tuple[int, int, int]:
    """(major type, argument, offset after the head) of the item at ``at``."""
    first = data[at]
    major, info = first >> 5, first & 31
    if info < 24:
        return major, info, at + 1
    size = _LONG_ARGUMENT.get(info)
    if size is None:
        raise FormatError(f"unsupported CBOR head {first:#x} at {at}")
    return major, int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def decode(data: bytes, at: int = 0) -> tuple[Cbor, int]:
    """(the item at ``at``, offset after it)."""
    major, argument, at = head(data, at)
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        raw = data[at : at + argument]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), at + argument
    if major == 4:
        items: list[Cbor] = []
        for _ in range(argument):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping: dict[Cbor, Cbor] = {}
        for _ in range(argument):
            key, at = decode(data, at)
            mapping[key], at = decode(data, at)
        return mapping, at
    if major == 7 and argument in _SIMPLE:
        return _SIMPLE[argument], at
    raise FormatError(f"unsupported CBOR item (major type {major}) at {at}")


def skip(data: bytes, at: int) -> int:
    """The offset after the item at ``at``, without building it."""
    major, argument, at = head(data, at)
    if major in (0, 1, 7):
        return at
    if major in (2, 3):
        return at + argument
    count = argument if major == 4 else 2 * argument if major == 5 else -1
    if count < 0:
        raise FormatError(f"unsupported CBOR item (major type {major}) at {at}")
    for _ in range(count):
        at = skip(data, at)
    return at


def encode_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([(major << 5) | argument])
    for info, size in _LONG_ARGUMENT.items():
        if argument < 1 << (8 * size):
            return bytes([(major << 5) | info]) + argument.to_bytes(size, "big")
    raise FormatError(f"CBOR argument too large: {argument}")


def encode(value: Cbor) -> bytes:
    if value is None or isinstance(value, bool):
        return bytes([0xF6 if value is None else 0xF5 if value else 0xF4])
    if isinstance(value, int):
        return encode_head(0, value) if value >= 0 else encode_head(1, -1 - value)
    if isinstance(value, str):
        text = value.encode("utf-8")
        return encode_head(3, len(text)) + text
    if isinstance(value, bytes):
        return encode_head(2, len(value)) + value
    if isinstance(value, list):
        return encode_head(4, len(value)) + b"".join(map(encode, value))
    return encode_head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
