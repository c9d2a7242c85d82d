"""A byline's names, split the same way for feeds and digests.

Names are separated by commas, semicolons, ``&``, and the slashes and bars of wire bylines
("AFP / EFE", "Reuters/AP", "EFE | AFP"), and by the word conjunctions ``and``, ``y``, ``e``
and ``et`` — but a word conjunction splits only when both sides look like whole names (two
words or more, or a desk such as "Staff"), so "José Ortega y Gasset" and "Marina Costa e Silva"
stay one author. A leading "By", "Por" or "Par", in any case ("Por Redacción EC", "por Carlos
León"), is no part of a name.
The work is linear in the length of the byline, whatever it contains.
"""

from __future__ import annotations

import re

CONJUNCTIONS = frozenset({"and", "y", "e", "et"})
DESKS = frozenset({  # one-word bylines that are whole names of their own
    "staff", "agencies", "agencias", "agências", "redacción", "redação", "rédaction", "afp",
    "ap", "dpa", "efe", "ansa", "reuters", "xinhua", "andina", "bloomberg",
})  # fmt: skip
# Agencies named in more than one word, which a wire byline puts after its people without a
# comma ("FRANKLIN BRICEÑO and REGINA GARCIA CANO Associated Press").
AGENCIES = (
    "Associated Press", "Agence France-Presse", "Agence France Presse", "Europa Press",
    "Prensa Latina", "Deutsche Presse-Agentur", "United Press International", "Kyodo News",
    "Anadolu Agency",
)  # fmt: skip
_AGENCY_AFTER = re.compile(rf" (?:the )?(?:{'|'.join(map(re.escape, AGENCIES))})$", re.IGNORECASE)
# Words of an agency's own name ("Agencia Prensa Latina"): what comes before is no person.
AGENCY_WORDS = frozenset({"agencia", "agency", "agence", "agenzia", "agência", "news", "noticias"})
SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "hijo", "Hijo", "Filho"})
# On single-spaced text: never backtracks far. No person's name holds a slash or a bar.
_SEPARATORS = re.compile(r" ?[,;&/|] ?")
# "By", "Por" or "Par" opening a byline, in any case ("por Carlos León"), then a space or a colon
_LEAD_IN = re.compile(r"(?:by|por|par)(?::? |:)", re.IGNORECASE)


def split_names(byline: str) -> list[str]:
    """The names in ``byline``, in order; an empty part between separators is "". A suffix
    after a comma is its name's: ``Martin Luther King, Jr.`` is one."""
    names: list[str] = []
    for part in _SEPARATORS.split(without_lead_in(" ".join(byline.split()))):
        if part in SUFFIXES and names and names[-1]:
            names[-1] += f", {part}"
        else:
            names += [n for name in split_on_conjunctions(part) for n in agency_apart(name)]
    return names


def agency_apart(name: str) -> list[str]:
    """``Regina Garcia Cano Associated Press`` → the person and the agency: the name before
    it of two words or more (``Agencia Prensa Latina`` is one name, an agency's)."""
    found = _AGENCY_AFTER.search(name)
    person = name[: found.start()].split(" ") if found else []
    if found is None or len(person) < 2 or AGENCY_WORDS & {w.casefold() for w in person}:
        return [name]
    agency = found[0][1:]
    return [" ".join(person), "The" + agency[3:] if agency.startswith("the ") else agency]


def without_lead_in(byline: str) -> str:
    """``Por Redacción EC`` → ``Redacción EC``: the word for "by" that opens a byline."""
    found = _LEAD_IN.match(byline)
    return byline[found.end() :].lstrip() if found else byline


def split_on_conjunctions(part: str) -> list[str]:
    """``Ana Quispe y Luis Mamani`` → two names; ``José Ortega y Gasset`` → one.

    A conjunction that opens the part (the Oxford comma's ", and C") is dropped; one that
    ends it leaves an empty name, for the caller to reject. A part in capitals of three words
    or more (``ANA QUISPE Y LUIS MAMANI``) reads ``AND``, ``Y``… as conjunctions too; a name of
    one capital letter (``E``) stays a name.
    """
    written = part.split(" ") if part else []
    capitals = part.isupper() and len(written) > 2
    words = [w.lower() if capitals and w.lower() in CONJUNCTIONS else w for w in written]
    start = 1 if words and words[0] in CONJUNCTIONS else 0
    names: list[str] = []
    current: list[str] = []
    counted = 0  # words in ``current`` that are not conjunctions
    for index in range(start, len(words)):
        word = words[index]
        whole = counted >= 2 or (counted == 1 and current[-1].casefold() in DESKS)
        if word in CONJUNCTIONS and whole and whole_name_follows(words, index):
            names.append(" ".join(current))
            current, counted = [], 0
        else:
            current.append(written[index])
            counted += word not in CONJUNCTIONS
    names.append(" ".join(current))
    if len(words) - start > 1 and words[-1] in CONJUNCTIONS:
        names.append("")
    return names


def whole_name_follows(words: list[str], conjunction: int) -> bool:
    """Whether the name after a conjunction is whole: two words before any other conjunction,
    or a desk."""
    following = words[conjunction + 1 : conjunction + 3]
    if len(following) == 2 and not CONJUNCTIONS.intersection(following):
        return True
    desk = bool(following) and following[0].casefold() in DESKS
    return desk and (len(following) == 1 or following[1] in CONJUNCTIONS)


def whole_name(name: str) -> bool:
    words = [word for word in name.split(" ") if word not in CONJUNCTIONS]
    return len(words) >= 2 or (len(words) == 1 and words[0].casefold() in DESKS)


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """``A, B and C``, read back by ``split_names`` into the same names: "and" joins the last
    two only when both are whole names, else a comma does."""
    if len(names) < 2:
        return "".join(names)
    last, before = names[-1], names[-2]
    # "King, Jr. and Ana Quispe" would read as "King" and "Jr. and Ana Quispe"
    joined = whole_name(before) and whole_name(last) and "," not in before
    joiner = " and " if joined else ", "
    return ", ".join(names[:-1]) + joiner + last
