"""Grounding: every quote in a brief is found in the article, or the brief says so.

Quotes are located exactly, then after normalization (NFKC, quote marks, dashes,
whitespace, case), then fuzzily; a non-exact match is replaced by the article's
own words so a brief never shows a quote the article does not contain. A fact's
numbers and names must also appear in its quote (names: anywhere in the article),
which catches a model that quotes "20 percent" and states "30 percent".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TypeVar

from rapidfuzz import fuzz

from .models import Article, Brief, Grounding, KeyFact, OpenQuestion, QuoteCheck, SummaryCheck
from .text_features import NUMBER, STOPWORDS, WORD, content_words, stem

DEFAULT_FUZZY_THRESHOLD = 90.0
_Quoted = TypeVar("_Quoted", KeyFact, OpenQuestion)
_CHAR_MAP = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)
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


_FOLDED: dict[str, str] = {}


def _fold(ch: str) -> str:
    """One character as matching sees it; memoized, since NFKC per character is the
    slowest part of grounding and articles use few distinct characters."""
    folded = _FOLDED[ch] = unicodedata.normalize("NFKC", ch).translate(_CHAR_MAP).casefold()
    return folded


class _Normalized:
    """Normalized text with a map back to the original's character offsets."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        index: list[int] = []
        space = True
        for position, ch in enumerate(text):
            folded = _FOLDED.get(ch) or _fold(ch)
            for out in folded:
                if out.isspace():
                    if space:
                        continue
                    out, space = " ", True
                else:
                    space = False
                chars.append(out)
                index.append(position)
        self.text = "".join(chars).rstrip()
        self.index = index[: len(self.text)]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.index[start], self.index[end - 1] + 1


@lru_cache(maxsize=1024)
def _normalized(text: str) -> _Normalized:
    return _Normalized(text)


def locate(quote: str, body: str, *, threshold: float = DEFAULT_FUZZY_THRESHOLD) -> QuoteCheck:
    """Find `quote` in `body`: exact, normalized, fuzzy, or missing."""
    quote = quote.strip()
    if not quote:
        return QuoteCheck(status="missing", score=0.0)
    at = body.find(quote)
    if at >= 0:
        return QuoteCheck(status="exact", score=100.0, span=(at, at + len(quote)))
    haystack = _normalized(body)
    needle = _normalized(quote).text
    at = haystack.text.find(needle)
    if at >= 0:
        return QuoteCheck(status="normalized", score=100.0, span=haystack.span(at, at + len(needle)))
    if len(needle) < 12:
        return QuoteCheck(status="missing", score=0.0)
    score, start, end = _fuzzy_span(needle, haystack.text)
    if score < threshold:
        return QuoteCheck(status="missing", score=round(score, 1))
    return QuoteCheck(status="fuzzy", score=round(score, 1), span=haystack.span(start, end))


def _fuzzy_span(needle: str, text: str) -> tuple[float, int, int]:
    """Best approximate occurrence of `needle` in `text`, allowing it to be shorter or
    longer than the original (a dropped or added word): partial-ratio alignment finds
    the neighbourhood, then word-aligned windows around it are compared whole."""
    aligned = fuzz.partial_ratio_alignment(needle, text)
    if aligned is None:
        return 0.0, 0, 0
    slack = len(needle) // 3 + 10
    low, high = max(aligned.dest_start - slack, 0), min(aligned.dest_end + slack, len(text))
    starts = [i for i in range(low, high) if i == 0 or (not text[i - 1].isalnum() and text[i].isalnum())]
    ends = [i for i in range(low + 1, high + 1) if i == len(text) or (text[i - 1].isalnum() and not text[i].isalnum())]
    best = (aligned.score, *_to_word_edges(text, aligned.dest_start, aligned.dest_end))
    shortest, longest = len(needle) * 0.7, len(needle) * 1.4
    for start in starts:
        for end in ends:
            if shortest <= end - start <= longest:
                score = fuzz.ratio(needle, text[start:end], score_cutoff=best[0])
                if score > best[0]:
                    best = (score, start, end)
    return best


def _to_word_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


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


def ground(article: Article, brief: Brief, *, threshold: float = DEFAULT_FUZZY_THRESHOLD) -> tuple[Brief, Grounding]:
    """Check every quote of `brief` against `article`; quotes found inexactly are
    replaced by the article's text at the matched span."""
    body = article.body
    facts: list[KeyFact] = []
    fact_checks: list[QuoteCheck] = []
    for fact in brief.key_facts:
        check = locate(fact.quote, body, threshold=threshold)
        fact = _with_article_text(fact, check, body)
        if check.verified and check.span:
            context = " ".join([article.title or "", *_paragraphs_around(article, check.span)])
            missing = unsupported_tokens(fact.statement, fact.quote, context)
            if missing:
                check = check.model_copy(update={"status": "unsupported", "unsupported": missing})
        facts.append(fact)
        fact_checks.append(check)
    questions: list[OpenQuestion] = []
    question_checks: list[QuoteCheck] = []
    for question in brief.open_questions:
        check = locate(question.quote, body, threshold=threshold)
        questions.append(_with_article_text(question, check, body))
        question_checks.append(check)
    summary_checks = []
    for sentence in brief.summary:
        cited = [facts[n - 1].quote for n in sentence.facts if 1 <= n <= len(facts)]
        problems = summary_support(sentence.text, cited or [f.quote for f in facts], body)
        summary_checks.append(SummaryCheck(unsupported=problems))
    # Numbers a model gave that point at nothing are dropped rather than rendered.
    focus = [
        f.model_copy(
            update={
                "facts": [n for n in f.facts if 1 <= n <= len(facts)],
                "questions": [n for n in f.questions if 1 <= n <= len(questions)],
            }
        )
        for f in brief.focus
    ]
    grounded = brief.model_copy(update={"key_facts": facts, "open_questions": questions, "focus": focus})
    return grounded, Grounding(facts=fact_checks, questions=question_checks, summary=summary_checks)


def _paragraphs_around(article: Article, span: tuple[int, int]) -> list[str]:
    """The paragraphs a body span touches: where the quote's speaker is named."""
    found, offset = [], 0
    for paragraph in article.paragraphs:
        end = offset + len(paragraph)
        if offset < span[1] and span[0] < end:
            found.append(paragraph)
        offset = end + 2  # the blank line between paragraphs in Article.body
    return found


def _with_article_text(item: _Quoted, check: QuoteCheck, body: str) -> _Quoted:
    if check.status in ("normalized", "fuzzy") and check.span:
        return item.model_copy(update={"quote": body[check.span[0] : check.span[1]]})
    return item
