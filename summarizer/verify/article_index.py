"""What the checks need to know about one article, worked out once per article.

Its sentences and where they start in `Article.body`; which capitalised words it uses
as names (a word it also writes in lowercase, "Scientists", is not one); the names
it mentions, sentence by sentence, so a statement's "Nico Varela" can be tied to a
quote's "Varela" and a quote's "she" to the person named just before; and its words,
so a statement's word the article never uses stands out.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..clean.sentences import split_sentences
from ..words import STOPWORDS
from .lexicon import CIRCUMSTANCES, CLAUSE_BREAK, PLACEHOLDER, Token, figures, is_content, parts, root, tokens, unit_of

_SENTENCE_BREAK = re.compile(r"[.!?:\"“‘]")
# lowercase words inside a name: "Marta van Doren", "Luis de Alba", "Ana dos Santos"
_PARTICLES = frozenset(
    {"al", "bin", "da", "das", "de", "del", "della", "der", "di", "dos", "du", "ibn", "la", "le", "van", "von"}
)


@dataclass(frozen=True)
class Name:
    """A run of capitalised words: "Nico Varela", "Vela Marina"."""

    words: tuple[str, ...]
    start: int
    end: int


class ArticleIndex:
    def __init__(self, paragraphs: tuple[str, ...]) -> None:
        self.sentences: list[str] = []
        self.offsets: list[int] = []
        offset = 0
        for paragraph in paragraphs:
            for span in split_sentences(paragraph):
                self.sentences.append(span.text)
                self.offsets.append(offset + span.start)
            offset += len(paragraph) + 2  # the blank line between paragraphs in Article.body
        self._names: dict[str, tuple[Name, ...]] = {}
        self.lowercase: set[str] = set()
        self.capitalised: set[str] = set()
        for sentence in self.sentences:
            for i, token in enumerate(tokens(sentence)):
                if not token.wordish:
                    continue
                if token.text[0].islower():
                    self.lowercase.update(parts(token))
                elif i > 0:
                    self.capitalised.add(token.norm)
        self.words: list[list[str]] = [[p for t in tokens(s) for p in parts(t)] for s in self.sentences]
        # each figure's values, what it counts, and the words around it, sentence by sentence
        self.figures: list[tuple[frozenset[str], str | None, set[str]]] = []
        for sentence in self.sentences:
            sentence_tokens = tokens(sentence)
            for figure in figures(sentence):
                at = next((i for i, t in enumerate(sentence_tokens) if t.end > figure.start), len(sentence_tokens))
                around = sentence_tokens[max(0, at - 8) : at + 9]
                unit = unit_of(figure, sentence)
                self.figures.append((figure.values, unit, {p for t in around for p in parts(t)}))
        # "three-day" uses "three" and "day" too
        self.roots = {root(p) for s in self.sentences for t in tokens(s) if is_content(t) for p in parts(t)}
        self.mentions: list[tuple[int, tuple[str, ...]]] = []
        counts: Counter[tuple[str, ...]] = Counter()
        for i, sentence in enumerate(self.sentences):
            for name in self.names(sentence):
                self.mentions.append((i, name.words))
                counts[name.words] += 1
        # the story's subjects: what "she" or "the club" most likely means anywhere in it
        self.subjects = {words for words, _ in counts.most_common(3)}

    def names(self, text: str) -> tuple[Name, ...]:
        """Capitalised runs that are names by this article's usage; weekdays and months are
        not. Kept per text: a statement is checked as a fact and again as a summary sentence."""
        if text not in self._names:
            self._names[text] = self._find_names(text)
        return self._names[text]

    def _find_names(self, text: str) -> tuple[Name, ...]:
        found: list[Name] = []
        current: list[Token] = []
        pending: Token | None = None  # a capitalised first word: a name if a name follows it

        def close() -> None:
            if current:
                found.append(Name(tuple(t.norm for t in current), current[0].start, current[-1].end))
                current.clear()

        previous_end = 0
        all_tokens = tokens(text)
        for index, token in enumerate(all_tokens):
            gap = text[previous_end : token.start]
            if current and CLAUSE_BREAK.search(gap):
                close()
            if (
                current
                and token.norm in _PARTICLES
                and token.text[0].islower()
                and _name_follows(text, all_tokens, index)
            ):
                current.append(token)
                previous_end = token.end
                continue
            # the previous token ended with a full stop, or punctuation opens this one
            first = index == 0 or bool(_SENTENCE_BREAK.search(gap)) or text[previous_end - 1 : previous_end] == "."
            previous_end = token.end
            if not token.wordish or PLACEHOLDER.match(token.text) or not token.text[0].isupper():
                close()
                pending = None
                continue
            n = token.norm
            if n in CIRCUMSTANCES:
                close()
            elif first:
                close()
                if n in self.capitalised and n not in self.lowercase:
                    current.append(token)
                elif n not in STOPWORDS:
                    pending = token
                    continue
            elif n not in STOPWORDS or n in self.capitalised:
                if pending is not None and not current:
                    current.append(pending)  # "John" of "John Carver" opening a sentence
                current.append(token)
            else:
                close()
            pending = None
        close()
        return tuple(found)

    def sentence_at(self, offset: int) -> int:
        return max(bisect.bisect_right(self.offsets, offset) - 1, 0)

    def near(self, word: str, neighbours: set[str], span: int = 8) -> bool:
        """Whether the article writes `word` within `span` words of one of `neighbours`."""
        if not neighbours:
            return False
        for words in self.words:
            for k, w in enumerate(words):
                if w == word and neighbours.intersection(words[max(0, k - span) : k + span + 1]):
                    return True
        return False

    def figure_near(self, values: frozenset[str], neighbours: set[str], unit: str | None) -> bool:
        """Whether the article gives this figure for the same thing: counting the same
        unit next to one of `neighbours`, or next to two of them."""
        for known, known_unit, around in self.figures:
            if values & known:
                shared = len(neighbours & around)
                if shared >= 2 or (shared and unit is not None and unit == known_unit):
                    return True
        return False


def _name_follows(text: str, all_tokens: tuple[Token, ...], index: int) -> bool:
    if index + 1 >= len(all_tokens):
        return False
    following = all_tokens[index + 1]
    gap = text[all_tokens[index].end : following.start]
    return following.text[0].isupper() and following.wordish and gap.isspace()


@lru_cache(maxsize=32)
def article_index(paragraphs: tuple[str, ...]) -> ArticleIndex:
    return ArticleIndex(paragraphs)
