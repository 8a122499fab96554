"""Checking what a statement says against the quote that should back it: numbers,
dates, names and negation."""

from __future__ import annotations

import re

from ..words import NUMBER, STOPWORDS, WORD, content_words, stem
from .locate import _normalized, locate

_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "dozen": "12",
}
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nor|neither|without|refused|refuses|rejected|rejects|denied|denies|"
    r"declined|failed|cannot)\b|n[’']t\b",
    re.I,
)
_DATE_WORD = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    r"June|July|August|September|October|November|December|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\b"
)
_SCALE = {"thousand": "000", "million": "000000", "billion": "000000000"}
_NOT_NAMES = {
    "The",
    "A",
    "An",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "This",
    "That",
    "In",
    "On",
    "At",
    "But",
    "And",
    "As",
    "After",
    "Before",
    "While",
    "When",
    "If",
    "There",
    "Its",
}


def unsupported_tokens(statement: str, quote: str, context: str) -> list[str]:
    """What `statement` says that `quote` does not back: numbers and dates missing from
    the quote, names missing from the quote and its `context` (the paragraph the quote
    stands in, where a speaker is usually named), and a flipped negation."""
    quote_numbers = _numbers(quote)
    missing = [n for n in NUMBER.findall(statement) if not _numbers(n) <= quote_numbers]
    quote_text = _normalized(quote).text
    missing += [d for d in _DATE_WORD.findall(statement) if d.casefold() not in quote_text]
    haystack = _normalized(context).text
    for name in _names(statement):
        folded = _normalized(name).text
        if folded not in quote_text and not re.search(rf"\b{re.escape(folded)}\b", haystack):
            missing.append(name)
    missing += _polarity(statement, quote)
    return list(dict.fromkeys(missing))


def summary_support(sentence: str, quotes: list[str], body: str) -> list[str]:
    """Why a summary sentence is not backed by the quotes of the facts it cites: its
    numbers and names must be in those quotes, it must keep their negations, and at
    least half its content words must come from them. A sentence the article itself
    contains is backed by definition."""
    if locate(sentence, body, threshold=101).verified:
        return []
    joined = " ".join(quotes)
    problems = [n for n in NUMBER.findall(sentence) if not _numbers(n) <= _numbers(joined)]
    quote_text = _normalized(joined).text
    problems += [name for name in _names(sentence) if _normalized(name).text not in quote_text]
    problems += _polarity(sentence, joined)
    words = [w for w in content_words(sentence) if not w[0].isdigit()]
    backed = {stem(w) for w in content_words(joined)}
    absent = [w for w in words if stem(w) not in backed]
    if words and len(absent) / len(words) > 0.5:
        problems.append("not in its facts' quotes: " + ", ".join(dict.fromkeys(absent[:5])))
    return list(dict.fromkeys(problems))


def _polarity(statement: str, quote: str) -> list[str]:
    """A negation that one side puts on a word both share and the other does not."""
    said, quoted = _negated(statement), _negated(quote)
    shared = _roots(statement) & _roots(quote)
    if (said - quoted) & shared:
        return ["negation the quote does not have"]
    if (quoted - said) & shared:
        return ["drops the quote's negation"]
    return []


def _negated(text: str) -> set[str]:
    """Roots of the first three content words after each negation."""
    found: set[str] = set()
    for match in _NEGATION.finditer(text):
        following = content_words(text[match.end() : match.end() + 80])[:3]
        found.update(_root(w) for w in following)
    return found


def _roots(text: str) -> set[str]:
    return {_root(w) for w in content_words(text)}


def _root(word: str) -> str:
    word = word.lower().replace("’", "'")
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _numbers(text: str) -> set[str]:
    found = set()
    for token in NUMBER.findall(text):
        lowered = token.lower()
        digits = re.sub(r"[^\d.]", "", lowered).rstrip(".")
        if not digits:
            word = re.sub(r"s$", "", lowered.strip())
            digits = _NUMBER_WORDS.get(word, _SCALE.get(word, word))
        if digits.endswith(".0"):
            digits = digits[:-2]
        for scale, zeros in _SCALE.items():
            if scale in lowered and "." not in digits:
                found.add(digits + zeros)
        found.add(digits)
    return found


def _names(statement: str) -> list[str]:
    """Capitalised words, less a sentence-initial function word ("About", "The")."""
    words = WORD.findall(statement)
    return [
        w
        for i, w in enumerate(words)
        if w[0].isupper() and w not in _NOT_NAMES and not (i == 0 and w.lower() in STOPWORDS)
    ]
