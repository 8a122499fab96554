"""Sentence splitting that survives news prose: "Mr. Zelensky", "the U.S. envoy",
"Jan. 23", initials, decimals and closing quotation marks.

Offsets are kept so that every sentence is an exact slice of its paragraph: the
offline engine's quotes must be verbatim text of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Never end a sentence: they always precede a name or a number.
_TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sen",
    "rep",
    "gov",
    "gen",
    "lt",
    "col",
    "capt",
    "sgt",
    "st",
    "rev",
    "hon",
    "pres",
    "supt",
    "det",
    "insp",
    "cmdr",
    "adm",
    "maj",
    "no",
    "nos",
    "vol",
    "fig",
    "art",
    "ch",
    "p",
    "pp",
    "vs",
    "v",
    "cf",
    "approx",
    "est",
}
_MONTHS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
# End a sentence only when the next word is one that usually starts one.
_SOFT = {
    "inc",
    "corp",
    "co",
    "ltd",
    "llc",
    "jr",
    "sr",
    "etc",
    "a.m",
    "p.m",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "d.c",
    "n.y",
    "l.a",
}
_STARTERS = {
    "the",
    "a",
    "an",
    "but",
    "and",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "this",
    "that",
    "these",
    "those",
    "there",
    "his",
    "her",
    "their",
    "its",
    "after",
    "before",
    "while",
    "when",
    "still",
    "however",
    "if",
    "some",
    "many",
    "officials",
    "mr",
    "ms",
    "mrs",
    "dr",
}

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_NEXT = re.compile(r"\s+([\"'“‘(\[]*)(\S+)")


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """Split one paragraph into sentences, each an exact slice of `text`."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        nxt = _NEXT.match(text, end)
        if nxt is None or not _is_boundary(text, match.start(), nxt.group(1), nxt.group(2)):
            continue
        _append(spans, text, start, end)
        start = nxt.start(1)
    _append(spans, text, start, len(text))
    return spans


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(text[start:end], start, end))


def _is_boundary(text: str, dot: int, opener: str, word: str) -> bool:
    if text[dot] != ".":
        return _starts_sentence(opener, word)
    token = re.search(r"([\w.]+)$", text[:dot])
    prev = token.group(1).lower() if token else ""
    if prev in _TITLES:
        return False
    if prev in _MONTHS:
        return not word[0].isdigit()
    if prev in _SOFT or re.fullmatch(r"(?:[a-z]\.)+[a-z]", prev):
        # "5 p.m. and would cost" goes on; "5 p.m. The vote" is a new sentence.
        bare = word.strip("\"'“‘(")
        return bare[:1].isupper() and bare.lower() in _STARTERS
    if len(prev) == 1 and prev.isalpha() and text[dot - 1].isupper():
        return False  # an initial: "John F. Kennedy"
    return _starts_sentence(opener, word)


def _starts_sentence(opener: str, word: str) -> bool:
    first = word[0]
    return bool(opener) or first.isupper() or first.isdigit() or not first.isalpha()
