"""Pagefind indexes of sections merged offline into the one index Pagefind itself would make.

Each section of the site is indexed by Pagefind on its own; what it wrote is kept as a *pack*
in a folder of the build cache, named by the section's key:

``KEY.words``
    the section's words in byte order, pickled in batches of at most :data:`BATCH` records
    and about :data:`BATCH_BYTES` of pages
    (:data:`WordRecord`). A word's pages are kept as Pagefind wrote them, CBOR, without the
    first page's number: page numbers are delta-encoded, so when sections are put one after
    another only the first number of each section's run changes.
``KEY.frags``
    the section's fragment files (one per page), as Pagefind wrote them, back to back.
``KEY.head``
    pickled :class:`Head`: the language, ``pagefind-entry.json``, the meta fields, and each
    page's content hash, word count and place in ``KEY.frags``.
``statics-DIGEST``
    Pagefind's scripts, styles and WebAssembly, the same for every section: kept once.

:func:`merge` reads the packs in page order, merges their words (a k-way merge, so memory
holds one batch per section), renumbers the pages, cuts the words into chunks by Pagefind's
own rule, and names every file as Pagefind names it: the result equals, file by file, one
Pagefind run over all the pages in the same order (``tests/test_search.py`` checks it). Only
what the site uses is supported: one language, no filters, no sort keys.
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import itertools
import json
import os
import pickle
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .pagefind_format import (
    INT_LENGTH,
    PAGEFIND_VERSION,
    Cbor,
    FormatError,
    decode,
    encode,
    encode_head,
    head,
    pack,
    pagefind_hash,
    skip,
    unpack,
)

ENTRY = "pagefind-entry.json"
CHUNK_WEIGHT = 20_000  # Pagefind closes a word chunk when its pages' weight reaches this
# A batch is what a merge holds in memory for each section at once. Common words have long
# lists of pages: 200 of them per section held 60 MB at 100,000 articles (120 sections); a
# record is some 300 bytes as Python objects, so 100 a batch is 30 KB.
BATCH = 100  # word records per pickle, at most
BATCH_BYTES = 8_192  # of pages per pickle, about
STATICS_PREFIX = "statics-"
PACK_PARTS = ("frags", "words", "head")  # written in this order: a pack with a head is whole

# A word's pages in one index: (count, first page, last page, the CBOR after the first page
# number). Pagefind stores each page as [page number delta, locations, meta locations].
Postings = tuple[int, int, int, bytes]
# (form as CBOR, its postings): a spelling of the word with diacritics.
Variant = tuple[bytes, int, int, int, bytes]
# (word, word as CBOR, count, first, last, weight, tail, variants or None).
WordRecord = tuple[str, bytes, int, int, int, int, bytes, tuple[Variant, ...] | None]


class MergeError(FormatError):
    """Sections that cannot be merged (or a pack that is not whole)."""


@dataclass(frozen=True)
class Head:
    """What a pack says about its section, besides its words."""

    language: str
    entry: dict[str, Any]  # pagefind-entry.json
    meta_fields: tuple[str, ...]
    pages: tuple[tuple[str, int, int, int], ...]  # (content hash, word count, offset, length)
    statics: str  # the name of the statics file


@dataclass(frozen=True)
class BundleFile:
    """One file of the merged bundle: its path in the bundle, a fingerprint that differs
    whenever its bytes would (a digest of what they are made from: for a fragment, of
    Pagefind's own content hash), and its bytes, made only when asked for (compression is most
    of a merge's work). Fingerprints are :func:`~.cache.digest_of`'s kind, which the build's
    records of outputs keep in 16 bytes."""

    path: str
    fingerprint: str
    make: Callable[[], bytes]


# Packs ------------------------------------------------------------------------------------


def write_pack(files: Mapping[str, bytes], folder: Path, key: str) -> Head:
    """Keep one section's Pagefind output (path → bytes, as ``GetFiles`` gives it) as a pack."""
    entry = json.loads(files[ENTRY])
    if entry.get("version") != PAGEFIND_VERSION:
        version = entry.get("version")
        raise MergeError(f"Pagefind {version} wrote this index, not {PAGEFIND_VERSION}")
    if len(entry["languages"]) != 1:
        raise MergeError(f"{len(entry['languages'])} languages in one section, not 1")
    ((language, info),) = entry["languages"].items()
    meta = _decoded(files[f"pagefind.{info['hash']}.pf_meta"])
    if not isinstance(meta, list) or len(meta) != 6:
        raise MergeError("unexpected pf_meta layout")
    version, pages, chunks, filters, sorts, meta_fields = meta
    if version != PAGEFIND_VERSION:
        raise MergeError(f"pf_meta of version {version!r}, not {PAGEFIND_VERSION}")
    if filters or sorts:
        raise MergeError("filters and sort keys cannot be merged")
    folder.mkdir(parents=True, exist_ok=True)
    unique = f"{os.getpid()}-{threading.get_ident()}"
    temporary = {part: folder / f".{key}.{unique}.{part}" for part in PACK_PARTS}
    rows = _write_fragments(files, pages, language, temporary["frags"])
    _write_words(files, chunks, temporary["words"])
    made = Head(
        language,
        entry,
        tuple(str(field) for field in _listed(meta_fields)),
        tuple(rows),
        _keep_statics(files, folder),
    )
    temporary["head"].write_bytes(pickle.dumps(made, pickle.HIGHEST_PROTOCOL))
    for part in PACK_PARTS:  # the head last: a pack with a head is whole
        os.replace(temporary[part], folder / f"{key}.{part}")
    return made


def _decoded(data: bytes) -> Cbor:
    value, _ = decode(unpack(data))
    return value


def _listed(value: Cbor) -> list[Cbor]:
    if not isinstance(value, list):
        raise MergeError("unexpected pf_meta layout")
    return value


def _write_fragments(
    files: Mapping[str, bytes], pages: Cbor, language: str, target: Path
) -> list[tuple[str, int, int, int]]:
    rows = []
    offset = 0
    with target.open("wb") as out:
        for page in _listed(pages):
            short, words = _listed(page)
            if not isinstance(short, str) or not isinstance(words, int):
                raise MergeError("unexpected page entry in pf_meta")
            data = files[f"fragment/{short}.pf_fragment"]
            full = f"{language}_{pagefind_hash(unpack(data))}"
            if not full.startswith(short):
                raise MergeError(f"fragment {short} is not named after its content")
            out.write(data)
            rows.append((full, words, offset, len(data)))
            offset += len(data)
    return rows


def _write_words(files: Mapping[str, bytes], chunks: Cbor, target: Path) -> None:
    with target.open("wb") as out:
        batch: list[WordRecord] = []
        size = 0
        last = ""
        for chunk in _listed(chunks):
            name = _listed(chunk)[2]
            if not isinstance(name, str):
                raise MergeError("unexpected chunk entry in pf_meta")
            for record in chunk_words(unpack(files[f"index/{name}.pf_index"])):
                if record[0] <= last and last:
                    raise MergeError("words out of order")
                last = record[0]
                batch.append(record)
                size += pages_size(record)
                if len(batch) == BATCH or size >= BATCH_BYTES:
                    pickle.dump(batch, out, pickle.HIGHEST_PROTOCOL)
                    batch, size = [], 0
        if batch:
            pickle.dump(batch, out, pickle.HIGHEST_PROTOCOL)


def pages_size(record: WordRecord) -> int:
    """The bytes of a word record's lists of pages (its own and its spellings')."""
    return len(record[6]) + sum(len(variant[4]) for variant in record[7] or ())


def _keep_statics(files: Mapping[str, bytes], folder: Path) -> str:
    """Pagefind's scripts, styles and WebAssembly: once for all sections."""
    statics = {
        path: data
        for path, data in sorted(files.items())
        if path != ENTRY and not path.startswith(("fragment/", "index/", "filter/"))
        and not path.endswith(".pf_meta")
    }  # fmt: skip
    blob = pickle.dumps(statics, pickle.HIGHEST_PROTOCOL)
    name = STATICS_PREFIX + hashlib.blake2b(blob, digest_size=16).hexdigest()
    if not (folder / name).is_file():
        temporary = folder / f".{name}.{os.getpid()}.{threading.get_ident()}"
        temporary.write_bytes(blob)
        os.replace(temporary, folder / name)
    return name


def pack_exists(folder: Path, key: str) -> bool:
    return (folder / f"{key}.head").is_file()


def read_head(folder: Path, key: str) -> Head:
    try:
        made = pickle.loads((folder / f"{key}.head").read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError) as error:
        raise MergeError(f"pack {key} is unreadable ({error})") from None
    if not isinstance(made, Head):
        raise MergeError(f"pack {key} is not a pack")
    return made


def pack_files(folder: Path, key: str) -> list[Path]:
    return [folder / f"{key}.{part}" for part in PACK_PARTS]


# Reading Pagefind's word chunks ---------------------------------------------------------------


def chunk_words(payload: bytes) -> Iterator[WordRecord]:
    """The words of a ``.pf_index`` payload: ``[[word, pages, variants], ...]`` in an array."""
    _, _, at = head(payload, 0)
    _, count, at = head(payload, at)
    for _ in range(count):
        _, _, at = head(payload, at)  # the array of 3
        start = at
        word, at = decode(payload, at)
        if not isinstance(word, str):
            raise MergeError("a word is not text")
        word_cbor = payload[start:at]
        (n, first, last, tail), weight, at = _postings(payload, at)
        _, forms, at = head(payload, at)
        variants = None
        if forms:
            found = []
            for _ in range(forms):
                _, _, at = head(payload, at)  # the array of 2
                start = at
                at = skip(payload, at)
                form = payload[start:at]
                (vn, vfirst, vlast, vtail), _, at = _postings(payload, at)
                found.append((form, vn, vfirst, vlast, vtail))
            variants = tuple(found)
        yield word, word_cbor, n, first, last, weight, tail, variants


def _postings(data: bytes, at: int) -> tuple[Postings, int, int]:
    """(postings, weight, offset after them) of the array of pages at ``at``.

    The weight is what Pagefind's chunking counts: per page, its locations and meta locations
    and one.
    """
    _, count, at = head(data, at)
    if count == 0:
        return (0, 0, 0, b""), 0, at
    first = last = weight = tail_start = 0
    lengths = INT_LENGTH
    for index in range(count):
        if data[at] != 0x83:
            raise MergeError(f"unexpected page entry {data[at]:#x}")
        _, delta, at = head(data, at + 1)
        if index == 0:
            first, tail_start = delta, at
        last += delta
        for _ in range(2):  # locations, then meta locations: arrays of integers
            _, items, at = head(data, at)
            weight += items
            for _ in range(items):
                step = lengths[data[at]]
                if not step:
                    raise MergeError(f"a location is not an integer (byte {data[at]:#x})")
                at += step
        weight += 1
    return (count, first, last, data[tail_start:at]), weight, at


# The merge --------------------------------------------------------------------------------


def merge(folder: Path, keys: list[str]) -> Iterator[BundleFile]:
    """The bundle of one Pagefind index over the packs' pages, in the order of ``keys``:
    fragments, word chunks, the meta file, ``pagefind-entry.json``, then the static files."""
    # Without their pages (a tuple per page of the site), read again one pack at a time.
    heads = [dataclasses.replace(read_head(folder, key), pages=()) for key in keys]
    if not heads:
        raise MergeError("no sections to merge")
    language, meta_fields = _agreed(heads)
    short = len(language) + 8
    fragments = _Fragments(folder)
    # The meta file's list of pages, [name, word count] each, kept as its CBOR (some 15
    # bytes a page) rather than as a list of lists (some 150 bytes a page, by estimate).
    pages = bytearray()
    count = 0
    used: set[str] = set()
    offsets = []
    for key in keys:
        offsets.append(count)
        for full, words, offset, length in read_head(folder, key).pages:
            name = unique_prefix(full, short, used, step=1)
            pages += encode([name, words])
            count += 1
            read = _reader(fragments, key, offset, length)
            yield BundleFile(f"fragment/{name}.pf_fragment", _fingerprint(full), read)
    chunks: list[Cbor] = []
    used = set()
    renumbered = [_field_numbers(made.meta_fields, meta_fields) for made in heads]
    for payload, first, last in _chunked(merged_words(folder, keys, offsets, renumbered)):
        full = f"{language}_{pagefind_hash(payload)}"
        name = unique_prefix(full, short, used, step=2)
        chunks.append([first, last, name])
        yield BundleFile(f"index/{name}.pf_index", _fingerprint(full), _packer(payload))
    _trim_ranges(chunks)
    meta = _meta(bytes(pages), count, chunks, meta_fields)
    del pages
    meta_full = pagefind_hash(meta)
    meta_hash = f"{language}_{meta_full[:short]}"
    yield BundleFile(f"pagefind.{meta_hash}.pf_meta", _fingerprint(meta_full), _packer(meta))
    entry = _entry(heads[0].entry, language, meta_hash, count)
    yield BundleFile(ENTRY, _digest(entry), lambda: entry)
    yield from _statics(folder, heads[0].statics)


def _meta(pages: bytes, count: int, chunks: list[Cbor], meta_fields: tuple[str, ...]) -> bytes:
    """The meta file's payload, ``[version, pages, chunks, filters, sorts, meta fields]``,
    its ``count`` pages given as their CBOR already."""
    rest = encode(chunks) + encode([]) + encode([]) + encode(list(meta_fields))
    return encode_head(4, 6) + encode(PAGEFIND_VERSION) + encode_head(4, count) + pages + rest


def _agreed(heads: list[Head]) -> tuple[str, tuple[str, ...]]:
    """The one language of all sections, and their meta fields (Pagefind: sorted, all pages')."""
    languages = {made.language for made in heads}
    if len(languages) != 1:
        raise MergeError(f"sections in several languages: {sorted(languages)}")
    fields = sorted({field for made in heads for field in made.meta_fields})
    return languages.pop(), tuple(fields)


def unique_prefix(full: str, length: int, used: set[str], *, step: int) -> str:
    """Pagefind's file name for a hash: its first ``length`` characters, made ``step`` longer
    while a file before it has that name (Pagefind 1.5.2 grows a fragment's name by one
    character, a word chunk's by two)."""
    name = full[:length]
    while name in used and len(name) < len(full):
        name = full[: len(name) + step]
    used.add(name)
    return name


def _trim_ranges(chunks: list[Cbor]) -> None:
    """Each chunk's word range, cut to the prefixes that tell it from its neighbours."""
    for before, after in itertools.pairwise(chunks):
        assert isinstance(before, list) and isinstance(after, list)
        last, first = _prefixes(str(before[1]), str(after[0]))
        if last >= str(before[0]):
            before[1] = last
        after[0] = first


def _prefixes(a: str, b: str) -> tuple[str, str]:
    common = 0
    for x, y in zip(b, a, strict=False):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


def _entry(entry: dict[str, Any], language: str, meta_hash: str, count: int) -> bytes:
    merged = json.loads(json.dumps(entry))
    merged["languages"][language]["hash"] = meta_hash
    merged["languages"][language]["page_count"] = count
    return json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode()


def _statics(folder: Path, name: str) -> Iterator[BundleFile]:
    try:
        statics = pickle.loads((folder / name).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError) as error:
        raise MergeError(f"{name} is unreadable ({error})") from None
    for path, data in statics.items():
        yield BundleFile(path, _digest(data), _constant(data))


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _fingerprint(content_hash: str) -> str:
    """A bundle file's fingerprint from Pagefind's content hash of it (already worked out for
    its name), in the kind of digest the build's records keep in 16 bytes."""
    return _digest(content_hash.encode())


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _packer(payload: bytes) -> Callable[[], bytes]:
    return lambda: pack(payload)


def _reader(fragments: _Fragments, key: str, offset: int, length: int) -> Callable[[], bytes]:
    return lambda: fragments.read(key, offset, length)


class _Fragments:
    """Reads fragments from packs, one pack's fragments in memory at a time (they are asked
    for in page order, from any thread)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.key = ""
        self.blob = b""
        self.lock = threading.Lock()

    def read(self, key: str, offset: int, length: int) -> bytes:
        with self.lock:
            if key != self.key:
                self.blob, self.key = _read_part(self.folder, key, "frags"), key
            data = self.blob[offset : offset + length]
        if len(data) != length:
            raise MergeError(f"pack {key} is truncated")
        return data


def _read_part(folder: Path, key: str, part: str) -> bytes:
    try:
        return (folder / f"{key}.{part}").read_bytes()
    except OSError as error:
        raise MergeError(f"pack {key} is unreadable ({error})") from None


# Words --------------------------------------------------------------------------------------


def merged_words(
    folder: Path, keys: list[str], offsets: list[int], fields: list[dict[int, int] | None]
) -> Iterator[WordRecord]:
    """Every word of the packs in byte order, its pages renumbered: pack ``i``'s first page is
    page ``offsets[i]`` of the merged index, its meta fields renumbered by ``fields[i]``."""
    streams = [_records(folder, key, number, fields[number]) for number, key in enumerate(keys)]
    group: list[tuple[int, WordRecord]] = []
    for word, number, record in heapq.merge(*streams):
        if group and word != group[0][1][0]:
            yield _combined(group, offsets)
            group = []
        group.append((number, record))
    if group:
        yield _combined(group, offsets)


def _records(
    folder: Path, key: str, number: int, fields: dict[int, int] | None
) -> Iterator[tuple[str, int, WordRecord]]:
    try:
        with (folder / f"{key}.words").open("rb") as words:
            for word, _, record in _batches(words, number):
                yield word, number, record if fields is None else _refielded(record, fields)
    except (OSError, pickle.UnpicklingError, ValueError, TypeError) as error:
        raise MergeError(f"pack {key} is unreadable ({error})") from None


def _batches(words: BinaryIO, number: int) -> Iterator[tuple[str, int, WordRecord]]:
    while True:
        try:
            batch: list[WordRecord] = pickle.load(words)
        except EOFError:
            return
        for record in batch:
            yield record[0], number, record


def _combined(group: list[tuple[int, WordRecord]], offsets: list[int]) -> WordRecord:
    """One word's records from several packs (in page order) as one, pages renumbered."""
    if len(group) == 1:
        number, record = group[0]
        return _shifted(record, offsets[number])
    word, word_cbor = group[0][1][0], group[0][1][1]
    n, first, last, tail = _joined([(offsets[i], r[2], r[3], r[4], r[6]) for i, r in group])
    forms: dict[bytes, list[tuple[int, int, int, int, bytes]]] = {}
    for number, record in group:  # each spelling where it first appears, as Pagefind does
        for form, vn, vfirst, vlast, vtail in record[7] or ():
            forms.setdefault(form, []).append((offsets[number], vn, vfirst, vlast, vtail))
    variants = tuple((form, *_joined(parts)) for form, parts in forms.items()) or None
    weight = sum(record[5] for _, record in group)
    return word, word_cbor, n, first, last, weight, tail, variants


def _shifted(record: WordRecord, offset: int) -> WordRecord:
    if offset == 0:
        return record
    word, word_cbor, n, first, last, weight, tail, variants = record
    if variants is not None:
        variants = tuple((f, vn, offset + vf, offset + vl, vt) for f, vn, vf, vl, vt in variants)
    return word, word_cbor, n, first + offset, last + offset, weight, tail, variants


def _joined(parts: Iterable[tuple[int, int, int, int, bytes]]) -> Postings:
    """Postings of consecutive packs, (offset, count, first, last, tail) each, as one."""
    count = first = previous = 0
    pieces = []
    for offset, n, start, end, tail in parts:
        if not n:
            continue
        if count:
            pieces.append(b"\x83" + encode_head(0, offset + start - previous))
        else:
            first = offset + start
        pieces.append(tail)
        previous = offset + end
        count += n
    return count, first, previous, b"".join(pieces)


def _chunked(records: Iterable[WordRecord]) -> Iterator[tuple[bytes, str, str]]:
    """Word chunks as Pagefind cuts them: (payload, first word, last word)."""
    encoded: list[bytes] = []
    weight = 0
    first = last = ""
    for record in records:
        if not encoded:
            first = record[0]
        last = record[0]
        encoded.append(_encoded(record))
        weight += record[5]
        if weight >= CHUNK_WEIGHT:
            yield b"\x81" + encode_head(4, len(encoded)) + b"".join(encoded), first, last
            encoded, weight = [], 0
    if encoded:
        yield b"\x81" + encode_head(4, len(encoded)) + b"".join(encoded), first, last


def _encoded(record: WordRecord) -> bytes:
    _, word_cbor, n, first, _, _, tail, variants = record
    forms = b"\x80"
    if variants is not None:
        forms = encode_head(4, len(variants)) + b"".join(
            b"\x82" + form + _pages(vn, vfirst, vtail) for form, vn, vfirst, _, vtail in variants
        )
    return b"\x83" + word_cbor + _pages(n, first, tail) + forms


def _pages(count: int, first: int, tail: bytes) -> bytes:
    if not count:
        return b"\x80"
    return encode_head(4, count) + b"\x83" + encode_head(0, first) + tail


# Meta fields --------------------------------------------------------------------------------
# A page's meta locations (where a word occurs in its title, say) are a list of integers in
# which a negative one, -(n + 1), says that the locations after it are in meta field n of the
# index's sorted field names. Sections whose pages have other fields (an image's, say) number
# them otherwise: their markers are renumbered to the merged index's fields.


def _field_numbers(own: tuple[str, ...], merged: tuple[str, ...]) -> dict[int, int] | None:
    """Markers of a section's meta fields → the merged index's; None when they are the same."""
    if own == merged:
        return None
    return {-(number + 1): -(merged.index(name) + 1) for number, name in enumerate(own)}


def _refielded(record: WordRecord, fields: dict[int, int]) -> WordRecord:
    word, word_cbor, n, first, last, weight, tail, variants = record
    if variants is not None:
        variants = tuple(
            (form, vn, vfirst, vlast, _refielded_tail(vtail, vn, fields))
            for form, vn, vfirst, vlast, vtail in variants
        )
    return word, word_cbor, n, first, last, weight, _refielded_tail(tail, n, fields), variants


def _refielded_tail(tail: bytes, count: int, fields: dict[int, int]) -> bytes:
    """A postings tail (see :data:`Postings`) with its meta field markers renumbered."""
    out = bytearray()
    at = 0
    for index in range(count):
        if index:  # the next page: [page number delta, locations, meta locations]
            _, _, after = head(tail, at + 1)
            out += tail[at:after]
            at = after
        after = skip(tail, at)  # locations: unchanged
        out += tail[at:after]
        meta, at = decode(tail, after)
        if not isinstance(meta, list):
            raise MergeError("meta locations are not a list")
        out += encode([fields.get(v, v) if isinstance(v, int) else v for v in meta])
    return bytes(out)
