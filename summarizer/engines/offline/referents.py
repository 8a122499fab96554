"""What a pronoun or "that deal" points at, from the sentences before it.

A brief lifts sentences out of their article, so "he said" or "why they were delayed"
loses what it meant. These find the referent where the article makes it plain — the
person the previous sentences are about, the last plural thing named, the thing a
sentence opened with — and say None otherwise, so the caller can drop what it cannot
make stand alone.
"""

from __future__ import annotations

import re

from ...words import speaker, stem
from .sentences import Sentence

_TITLE = r"(?:Mr|Ms|Mrs|Dr|Prof|Sen|Rep|Gov|Gen)\.|President|Prime Minister|Minister|Chancellor|Mayor|Governor|Senator"
_CAPWORD = r"[A-Z][\w’'-]+"
# A person named as a sentence's subject: "Prime Minister Brandt", "Mr. Reyer", "Dolores Finch".
_PERSON = re.compile(rf"(?:(?:{_TITLE})\s)?{_CAPWORD}(?:\s{_CAPWORD}){{0,2}}")
_LEADING_ADVERBIAL = re.compile(r"^(?:(?:But|And|Still|Yet|So|On|In|At|By|Last|Earlier|Later)\b[^,]{0,60},\s)?")
_FOLLOWED_BY_VERB = re.compile(
    r"\s(?:had|has|have|was|is|said|says|told|warned|added|announced|suggested|called|urged|met|"
    r"would|will|could|did|does|may|might)\b"
)
_PLURAL = re.compile(r"\bthe\s((?:[a-z][\w-]*\s){0,2}[a-z][\w-]*[^s\W]s)\b(?!’|')")
_THING = re.compile(r"\bthe\s((?:[\w’'-]+\s){0,2}?[a-z][\w’'-]*)(?=[,;]|\s(?:and|or|but)\b|\s*$)")
_SUBJECT = re.compile(
    r"^(?:But\s|And\s|Still,\s)?(?P<np>[Tt]he\s(?:[\w’'-]+\s){0,4}?[\w’'-]+?)"
    r"(?=,|\s(?:is|are|was|were|has|have|had|will|would|can|could|said|says|remains?|draws?)\b)"
)
_NOT_A_PERSON = {"The", "A", "An", "It", "This", "That", "Officials", "Police"}


def person_before(sentences: list[Sentence], index: int) -> str | None:
    """The person the two sentences before `index` are about: a speaker, or a name
    opening the sentence as its subject."""
    for sentence in reversed(sentences[max(0, index - 2) : index]):
        who = speaker(sentence.text)
        if who:
            return who
        text = _LEADING_ADVERBIAL.sub("", sentence.text, count=1)
        match = _PERSON.match(text)
        if match and match.group().split()[0] not in _NOT_A_PERSON and _FOLLOWED_BY_VERB.match(text[match.end() :]):
            return match.group()
    return None


def last_plural(text: str) -> str | None:
    """The last plural thing `text` names."""
    found = _PLURAL.findall(text)
    return f"the {found[-1]}" if found else None


def last_thing(text: str) -> str | None:
    """The last thing `text` names with "the", ending a clause ("the 12-point plan,")."""
    found = _THING.findall(text)
    return f"the {found[-1]}" if found else None


def plural_before(sentences: list[Sentence], index: int) -> str | None:
    """The last plural thing the previous sentence names ("the sessions"), for "they"."""
    return last_plural(sentences[index - 1].text) if index else None


def thing_before(sentences: list[Sentence], index: int) -> str | None:
    """What the previous sentence opened with ("The island's spring market"), for "it"."""
    if index == 0:
        return None
    match = _SUBJECT.match(sentences[index - 1].text)
    return "the " + match.group("np")[4:] if match else None


def named_before(head: str, sentences: list[Sentence], index: int, same: str = "") -> str | None:
    """The fuller name of "that pact" or "those positions": the phrase ending in the
    same noun in `same` (the text before it) or the two sentences before, as "the ..."
    ("a land sale" -> "the land sale", "14 positions" -> "the 14 positions")."""
    words = r"((?:[\w’'.-]+\s){0,3}?)"
    pattern = re.compile(rf"\b(?:a|an|the|(?P<count>\d[\d,]*))\s{words}({re.escape(head)}\w*)\b", re.I)
    for text in [same, *(s.text for s in reversed(sentences[max(0, index - 2) : index]))]:
        for match in reversed(list(pattern.finditer(text))):
            count = f"{match.group('count')} " if match.group("count") else ""
            if stem(match.group(3)) == stem(head) and (count or match.group(2).strip()):
                return f"the {count}{match.group(2)}{match.group(3)}"
    return None
