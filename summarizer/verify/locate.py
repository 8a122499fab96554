"""Finding a quote in the article: exactly, after normalization (NFKC, quote marks,
dashes, whitespace, case), then fuzzily, with the span mapped back to the original
text so a brief can show the article's own words."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

from ..models import QuoteCheck
from ..settings import DEFAULT_FUZZY_THRESHOLD

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
