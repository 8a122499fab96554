"""Does a statement say what its quote says? Each check finds one way it may not, with
a reason a reader can act on.

A quote backs a statement when the statement's names, figures and dates are the
quote's (or the article ties them to what the quote is about: "Nico Varela" for
"Varela", "she" for the person named just before, an age the article gives that
person and the quote does not contradict), when it keeps the quote's negations and
hedges, does not swap who did what, does not stutter, and is mostly made of the
quote's words. What it adds beyond that makes it *partly supported*; what it turns
around makes it *contradicted*.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from .article_index import ArticleIndex, Name
from .lexicon import (
    CIRCUMSTANCES,
    CLAUSE_BREAK,
    HEDGES,
    NEGATORS,
    PLACEHOLDER,
    PRONOUNS,
    Figure,
    Token,
    figures,
    is_content,
    norm,
    parts,
    root,
    tokens,
    unit_of,
)

Verdict = Literal["supported", "partly_supported", "contradicted", "quote_not_found"]
Mode = Literal["fact", "summary", "question"]
# Below this share of its everyday words in the quote, a statement says mostly something else.
COVERAGE_MIN = 0.34
_NEGATIVE_VERBS = frozenset(root(verb) for verb in ("refuse", "reject", "deny", "decline", "fail"))
_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
_COMPARATIVES = frozenset({"more", "less", "fewer"})
_HEDGE_ROOTS = frozenset(root(word) for word in HEDGES)
_SPEECH = frozenset(root(word) for word in ("say", "tell", "add", "write"))
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
_ARTICLES = frozenset({"the", "a", "an", "his", "her", "its", "their", "this", "that", "these", "those", "our"})
_NEGATING_DETERMINERS = frozenset({"no", "none", "nobody", "nothing", "neither"})
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "professor"})


@dataclass(frozen=True)
class Finding:
    verdict: Literal["partly_supported", "contradicted"]
    reason: str
    tokens: tuple[str, ...] = ()


def check_statement(
    statement: str, quote: str, index: ArticleIndex, quote_start: int | None = None, *, mode: Mode = "fact"
) -> list[Finding]:
    """Everything `statement` says that `quote` does not back, as findings."""
    return _Check(statement, quote, index, quote_start, mode).run()


def verdict_of(findings: list[Finding]) -> Verdict:
    if any(f.verdict == "contradicted" for f in findings):
        return "contradicted"
    return "partly_supported" if findings else "supported"


class _Check:
    def __init__(self, statement: str, quote: str, index: ArticleIndex, quote_start: int | None, mode: Mode) -> None:
        self.statement, self.quote, self.index, self.mode = statement, quote, index, mode
        self.s_tokens, self.q_tokens = tokens(statement), tokens(quote)
        self.q_words = {p for t in self.q_tokens for p in parts(t)}
        self.q_roots = {root(p) for t in self.q_tokens if is_content(t) for p in parts(t)}
        self.sentence = index.sentence_at(quote_start) if quote_start is not None else None
        self.s_names, self.q_names = index.names(statement), index.names(quote)
        self.s_figures = figures(statement)
        self.findings: list[Finding] = []
        self.linked: set[str] = set()

    def run(self) -> list[Finding]:
        self._placeholders()
        self._names()
        self._figures()
        self._circumstances()
        self._polarity()
        if self.mode != "question":
            self._roles()
            self._owners()
            self._repeats()
            self._stutter()
        self._absent_words()
        if self.mode != "question":
            self._coverage()
        return self.findings

    def _add(self, verdict: Literal["partly_supported", "contradicted"], reason: str, *what: str) -> None:
        self.findings.append(Finding(verdict, reason, tuple(what)))

    def _neighbours(self, start: int, end: int, k: int = 3) -> set[str]:
        """Content words around a span, and the rest of a hyphenated word holding it
        ("year", "old" of "39-year-old")."""
        before = [p for t in self.s_tokens if t.end <= start and is_content(t) for p in parts(t)]
        after = [p for t in self.s_tokens if t.start >= end and is_content(t) for p in parts(t)]
        holding = [p for t in self.s_tokens if t.start < end and start < t.end for p in parts(t)[1:]]
        return set(before[-k:] + after[:k] + holding) - {norm(self.statement[start:end])}

    def _placeholders(self) -> None:
        found = [t.text for t in self.s_tokens if PLACEHOLDER.match(t.text)]
        if found:
            self._add("partly_supported", f"has a placeholder ({found[0]}) for a word it could not write", *found)

    # --- names -------------------------------------------------------------------------

    def _names(self) -> None:
        for name in self.s_names:
            missing = [w for w in name.words if w not in self.q_words]
            shown = " ".join(self.statement[name.start : name.end].split())
            # a name standing exactly where the quote has another contradicts it, however
            # closely the article ties the two elsewhere
            whole = _contiguous(name.words, tuple(t.norm for t in self.q_tokens))
            swapped = self._swapped_for(name) if not whole else None
            if swapped:
                self._add("contradicted", f"names {shown} where its quote names {swapped}", shown)
            elif not missing or self._tied(name, missing):
                self.linked.update(name.words)
            else:
                self._add("partly_supported", f"names {shown}, which its quote does not", shown)

    def _tied(self, name: Name, missing: list[str]) -> bool:
        """Whether the article ties a name the quote lacks to what the quote is about."""
        wanted = set(missing)
        # another name of someone the quote names: the article's "Nico Varela" for the quote's "Varela"
        for _, words in self.index.mentions:
            longer, shorter = (words, name.words) if len(words) >= len(name.words) else (name.words, words)
            if _contiguous(shorter, longer) and wanted <= set(words) and self.q_words.intersection(shorter):
                return True
        # the quote's "she" or "the flanker" where the statement has the name, and the name is
        # one the article gives just before the quote, or one of the story's subjects
        if self.sentence is not None and self._refers_in_its_place(name):
            nearby = {words for i, words in self.index.mentions if self.sentence - 3 <= i <= self.sentence}
            if any(wanted <= set(words) for words in nearby | self.index.subjects):
                return True
        # a detail the article gives next to what the statement gives it next to
        # (two names the quote lacks, written side by side, do not vouch for each other)
        unquoted = {w for other in self.s_names for w in other.words if w not in self.q_words}
        return self.index.near(missing[0], self._neighbours(name.start, name.end) - wanted - unquoted)

    def _refers_in_its_place(self, name: Name) -> bool:
        """The quote has a pronoun or a description ("the 39-year-old") followed by what
        follows the name in the statement ("Varela was ranked" over "He was ranked"; a
        word may come between on either side), or by the same "said"."""
        after_name = [
            root(t.text) for t in self.s_tokens if t.start >= name.end and is_content(t) and t.text[0].islower()
        ]
        # "Okafor said" over "…, she said": the word after the name, content or not
        next_word = next((root(t.text) for t in self.s_tokens if t.start >= name.end and t.wordish), None)
        if not after_name and next_word not in _SPEECH:
            return False
        q = self.q_tokens
        for i, token in enumerate(q):
            if token.norm in PRONOUNS:
                start = i + 1
            elif token.norm in _DETERMINERS and (noun := _described(q, i + 1)) is not None:
                start = noun + 1
            else:
                continue
            if next_word in _SPEECH and start < len(q) and root(q[start].text) == next_word:
                return True
            start = self._past_aside(start)
            if set(after_name[:2]) & set([root(t.text) for t in q[start:] if is_content(t)][:2]):
                return True
        return False

    def _past_aside(self, at: int) -> int:
        """Where the quote goes on after an aside set off by commas: "The star, known for
        his war films, is auctioning" goes on at "is"."""
        q = self.q_tokens
        if at == 0 or at >= len(q) or "," not in self.quote[q[at - 1].end : q[at].start]:
            return at
        for k in range(at + 1, min(at + 16, len(q))):
            if "," in self.quote[q[k - 1].end : q[k].start]:
                return k
        return at

    def _swapped_for(self, name: Name) -> str | None:
        """The quote's own name, weekday or month in the same place: the words on both
        sides match (or one side matches and the sentence ends there in both), or a
        name sharing words with the quote's that the article never writes."""
        left = [t.norm for t in self.s_tokens if t.end <= name.start and t.wordish][-1:]
        right = [t.norm for t in self.s_tokens if t.start >= name.end and t.wordish][:1]
        if not (left or right):
            return None
        dates = [
            Name((t.norm,), t.start, t.end) for t in self.q_tokens if t.norm in CIRCUMSTANCES and t.text[0].isupper()
        ]
        written = any(_contiguous(name.words, words) for _, words in self.index.mentions)
        for other in [*self.q_names, *dates]:
            if set(other.words) & set(name.words):
                # "Dale Whitcombe" made "Port Whitcombe": word for word the quote's name but
                # one, and a name the article never writes ("Erik Halvorsen" for "Mr Halvorsen"
                # names the same man)
                titled = other.words[0] in _TITLES or name.words[0] in _TITLES
                if not written and not titled and len(other.words) == len(name.words):
                    return " ".join(self.quote[other.start : other.end].split())
                continue
            if any(a.startswith(b) or b.startswith(a) for a in name.words for b in other.words):
                continue  # "Georgia" for "Georgian": the same name in another form
            q_left = [t.norm for t in self.q_tokens if t.end <= other.start and t.wordish][-1:]
            q_right = [t.norm for t in self.q_tokens if t.start >= other.end and t.wordish][:1]
            if left == q_left and right == q_right:
                return " ".join(self.quote[other.start : other.end].split())
        return None

    # --- figures and dates ---------------------------------------------------------------

    def _figures(self) -> None:
        quote_figures = figures(self.quote)
        quote_values = {v for f in quote_figures for v in f.values}
        for figure in self.s_figures:
            if figure.values & quote_values:
                moved = _moved_figure(figure, self.statement, quote_figures, self.quote)
                if moved is not None:
                    self._add("contradicted", f"says {figure.text} where its quote says {moved.text}", figure.text)
                continue
            # the quote's own figure for this quantity outweighs the article's elsewhere: a
            # "23-year-old" over a quote about a nine-year-old is someone else, or wrong
            other = _same_quantity(figure, self.statement, quote_figures, self.quote)
            if other is not None:
                self._add("contradicted", f"says {figure.text} where its quote says {other.text}", figure.text)
                continue
            neighbours = self._neighbours(figure.start, figure.end)
            if not self.index.figure_near(figure.values, neighbours, unit_of(figure, self.statement)):
                self._add("partly_supported", f"gives {figure.text}, which its quote does not", figure.text)

    def _circumstances(self) -> None:
        for token in self.s_tokens:
            n = token.norm
            if n not in CIRCUMSTANCES or not token.text[0].isupper() or n in self.q_words:
                continue
            neighbours = self._neighbours(token.start, token.end)
            if self.index.near(n, neighbours):
                continue
            other = next((t.text for t in self.q_tokens if t.norm in CIRCUMSTANCES and t.text[0].isupper()), None)
            if other is not None and _same_kind(n, other.lower()):
                self._add("contradicted", f"says {token.text} where its quote says {other}", token.text)
            else:
                self._add("partly_supported", f"says {token.text}, which its quote does not", token.text)

    # --- negation, hedges, roles -----------------------------------------------------------

    def _polarity(self) -> None:
        if self.mode == "question":  # a question asserts neither way: "Will he sell?" over "would not sell"
            return
        s_roots = {root(t.text) for t in self.s_tokens if is_content(t)}
        s_windows, q_windows = _negations(self.s_tokens), _negations(self.q_tokens)
        s_denied, q_denied = _in_negation(self.s_tokens, s_windows), _in_negation(self.q_tokens, q_windows)
        # a quote of two sentences may say a word both ways: "could reach … reaches 78 million"
        q_plain = _plain(self.q_tokens, q_windows)
        for predicate, word in _negated(self.s_tokens, s_windows).items():
            if predicate not in self.q_roots:
                # "has not decided" over a quote that never speaks of deciding: a claim that
                # something did not happen needs its quote as much as one that it did
                self._add("partly_supported", f"says not {word!r}, which its quote never mentions", word)
            elif predicate not in q_denied:
                self._add("contradicted", f"negates {word!r}, which its quote does not", word)
        for predicate, word in _negated(self.q_tokens, q_windows).items():
            if predicate in s_roots and predicate not in s_denied and predicate not in q_plain:
                self._add("contradicted", f"drops its quote's negation of {word!r}", word)
        s_hedged = _in_hedge(self.s_tokens)
        for predicate, word in _hedged(self.q_tokens).items():
            if predicate in s_roots and predicate not in s_hedged and predicate not in q_plain:
                self._add("partly_supported", f"states as certain what its quote hedges ({word!r})", word)

    def _roles(self) -> None:
        """ "A beat B" or "the firm sued the council" over a quote saying "B beat A" or
        "the council sued the firm"."""
        theirs = _actions(self.quote, self.q_names, self.q_tokens)
        for (doer, verb, done_to), shown in _actions(self.statement, self.s_names, self.s_tokens).items():
            swapped = theirs.get((done_to, verb, doer))
            if swapped is not None and (doer, verb, done_to) not in theirs:
                self._add("contradicted", f"swaps who did what: its quote says {swapped!r}", shown)

    def _owners(self) -> None:
        """ "Kestrel's favourite" over a quote with "the bookmakers' favourite" that names
        Kestrel for something else: the quote's own words, the thing given to another owner."""
        quoted = _possessions(self.quote, self.q_tokens)
        for owner, noun, shown in _possessions(self.statement, self.s_tokens):
            theirs = {q_owner: q_shown for q_owner, q_noun, q_shown in quoted if q_noun == noun}
            if theirs and owner not in theirs and owner in self.q_words:
                self._add("contradicted", f"says {shown} where its quote says {next(iter(theirs.values()))}", shown)

    def _stutter(self) -> None:
        """A word or phrase written twice in a row ("if the union win win"), which the
        quote does not do: a generated sentence that lost its thread."""
        kept = [t for t in self.s_tokens if t.wordish and not PLACEHOLDER.match(t.text)]
        said = [t.norm for t in kept]
        for size in range(1, 9):
            for i in range(len(said) - 2 * size + 1):
                if said[i] != said[i + size] or (phrase := said[i : i + size]) != said[i + size : i + 2 * size]:
                    continue
                if size == 1 and not is_content(kept[i]):
                    continue  # "had had", "that that": English, or at worst a typo; not a lost thread
                quoted = " ".join(["", *(t.norm for t in self.q_tokens if t.wordish), ""])
                if " ".join(["", *phrase, *phrase, ""]) not in quoted:
                    self._add("partly_supported", f"says {' '.join(phrase)!r} twice in a row", *phrase)
                    return

    def _repeats(self) -> None:
        counts = Counter(name.words for name in self.s_names)
        in_quote = Counter(name.words for name in self.q_names)
        for words, n in counts.items():
            if n > 1 and n > in_quote[words]:
                # as the statement writes it: "SNP", not "Snp"
                first = next(name for name in self.s_names if name.words == words)
                self._add("partly_supported", f"repeats {self.statement[first.start : first.end]}", " ".join(words))

    # --- words ---------------------------------------------------------------------------------

    def _everyday_words(self) -> list[Token]:
        """Content words that are not names, figures or dates: those have checks of their own."""
        return [
            t
            for t in self.s_tokens
            if is_content(t) and t.norm not in self.linked and not t.text[0].isdigit() and t.norm not in CIRCUMSTANCES
        ]

    def _absent_words(self) -> None:
        # "Twelve" and "61.5 percent" are figures, whatever words the article writes them in
        in_figures = {t for t in self.s_tokens for f in self.s_figures if f.start <= t.start and t.end <= f.end}
        absent = [
            t.text
            for t in self._everyday_words()
            if root(t.text) not in self.index.roots and t.norm not in self.index.capitalised and t not in in_figures
        ]
        if absent:
            self._add("partly_supported", f"uses {', '.join(absent[:3])}, which the article never does", *absent)

    def _coverage(self) -> None:
        """Over the words the article does use: a word it never uses has its own finding."""
        words = [t for t in self._everyday_words() if root(t.text) in self.index.roots]
        if not words:
            return
        backed = [t for t in words if root(t.text) in self.q_roots]
        if len(backed) / len(words) < COVERAGE_MIN:
            other = [t.text for t in words if root(t.text) not in self.q_roots]
            self._add("partly_supported", f"is mostly not in its quote ({', '.join(other[:4])})", *other)


def _described(q: list[Token], first: int) -> int | None:
    """Where the noun of a description after "the" stands: "the striker", "the
    39-year-old" (an age stands for the person), "the Valdora forward" (capitalised
    modifiers, then a lowercase word); None for a name alone ("the Church")."""
    for at in range(first, min(first + 3, len(q))):
        text = q[at].text
        if text[:1].islower() or text[:1].isdigit():
            return at
        if not text[:1].isupper():
            return None
    return None


def _contiguous(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    return any(whole[i : i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def _negations(tokens_: list[Token]) -> list[range]:
    """The words each negation reaches: six after "not" or "refused"; nine after "no",
    which negates a noun phrase and its verb ("No date for the vote has been set")."""
    windows: list[range] = []
    for i, token in enumerate(tokens_):
        n = token.norm
        if n == "no" and _not_a_negation(tokens_[i + 1 : i + 3]):
            continue
        if n in NEGATORS or n.endswith("n't") or root(n) in _NEGATIVE_VERBS:
            if windows and i in windows[-1]:
                windows.pop()  # "no side effects had not been reported": two negations cancel
                continue
            reach = 10 if n in _NEGATING_DETERMINERS else 7
            windows.append(range(i + 1, min(i + reach, len(tokens_))))
    return windows


def _negated(tokens_: list[Token], windows: list[range]) -> dict[str, str]:
    """Predicates under a negation: the root of the first content word in its window."""
    found: dict[str, str] = {}
    for window in windows:
        for following in (tokens_[k] for k in window):
            if is_content(following) and root(following.text) not in _NEGATIVE_VERBS:
                found.setdefault(root(following.text), following.text)
                break
    return found


def _in_negation(tokens_: list[Token], windows: list[range]) -> set[str]:
    """Every root some negation reaches: "No group has claimed" negates the claim too."""
    return {root(tokens_[k].text) for window in windows for k in window if is_content(tokens_[k])}


def _not_a_negation(following: list[Token]) -> bool:
    """ "No 2" and "No. 10" number a rank, "no more than 44" bounds a figure."""
    if not following:
        return False
    if following[0].text[0].isdigit():
        return True
    return len(following) == 2 and following[0].norm in _COMPARATIVES and following[1].norm == "than"


def _hedged(tokens_: list[Token]) -> dict[str, str]:
    found: dict[str, str] = {}
    for i, token in enumerate(tokens_):
        if _hedge(tokens_, i):
            for following in tokens_[i + 1 : i + 4]:
                if is_content(following):
                    found.setdefault(root(following.text), token.text)
                    break
    return found


def _in_hedge(tokens_: list[Token]) -> set[str]:
    """Every root a hedge in any of its forms reaches: "Officials expect the project to
    cost" hedges the cost as much as "the project is expected to cost"."""
    hedges = [i for i in range(len(tokens_)) if _hedge(tokens_, i, any_form=True)]
    return {root(t.text) for i in hedges for t in tokens_[i + 1 : i + 7]}


def _hedge(tokens_: list[Token], i: int, *, any_form: bool = False) -> bool:
    """ "may" is a hedge, "in May" a month: capitalised after a word, it is the month."""
    token = tokens_[i]
    if root(token.text) not in _HEDGE_ROOTS if any_form else token.norm not in HEDGES:
        return False
    return not (token.norm == "may" and token.text[0].isupper() and i > 0 and tokens_[i - 1].wordish)


def _plain(tokens_: list[Token], windows: list[range]) -> set[str]:
    """Roots the text also uses with neither a negation (in `windows`) nor a hedge just before them."""
    qualified = {k for window in windows for k in window}  # and the windows `_hedged` looks in
    for i in range(len(tokens_)):
        if _hedge(tokens_, i):
            qualified.update(range(i + 1, i + 4))
    return {root(t.text) for i, t in enumerate(tokens_) if is_content(t) and i not in qualified}


Action = tuple[tuple[str, ...], str, tuple[str, ...]]


def _actions(text: str, names: list[Name], tokens_: list[Token]) -> dict[Action, str]:
    """(doer, verb, done to) → as written, for a verb between two names or words in one
    clause, with at most two words before it and only a determiner after it: "Vela beat
    Calder", "the firm sued the council"; a passive ("Calder were beaten by Vela") is
    turned round."""
    spans = {}  # a name's first token → its words and its last token
    for name in names:
        inside = [k for k, t in enumerate(tokens_) if name.start <= t.start and t.end <= name.end]
        if inside:
            spans[inside[0]] = (name.words, inside[-1])
    units: list[tuple[tuple[str, ...], int, int, bool]] = []  # words, first and last token, a name
    i = 0
    while i < len(tokens_):
        if i in spans:
            units.append((spans[i][0], i, spans[i][1], True))
            i = spans[i][1] + 1
            continue
        if is_content(tokens_[i]):
            units.append(((root(tokens_[i].text),), i, i, False))
        i += 1
    found = {}
    for first, verb, second in zip(units, units[1:], units[2:], strict=False):
        if verb[3] or verb[1] - first[2] > 3 or second[1] - verb[2] > 3:
            continue
        before, after = tokens_[first[2] + 1 : verb[1]], [t.norm for t in tokens_[verb[2] + 1 : second[1]]]
        passive = after[:1] == ["by"] and any(t.norm in _BE for t in before)
        if not set(after[1:] if passive else after) <= _ARTICLES:
            continue
        if CLAUSE_BREAK.search(text[tokens_[first[2]].end : tokens_[second[1]].start]):
            continue
        key = (second[0], verb[0][0], first[0]) if passive else (first[0], verb[0][0], second[0])
        found[key] = " ".join(text[tokens_[first[1]].start : tokens_[second[2]].end].split())
    return found


def _possessions(text: str, tokens_: list[Token]) -> list[tuple[str, str, str]]:
    """(owner, noun's root, as written) for each "Varela's goal" and "the clubs' fans"."""
    found = []
    for token, noun in itertools.pairwise(tokens_):
        plural = token.text[-1:] == "s" and text[token.end : token.end + 1] in ("'", "’")
        if (plural or token.text[-2:] in ("'s", "’s")) and noun.text[:1].islower() and is_content(noun):
            found.append((token.norm, root(noun.text), text[token.start : noun.end]))
    return found


def _moved_figure(figure: Figure, text: str, quote_figures: list[Figure], quote: str) -> Figure | None:
    """A figure the quote gives for something else, while another figure of the same
    unit stands where the statement puts it: "offered 11 percent" over a quote that
    offers 4 percent and demands 11."""
    unit = unit_of(figure, text)
    before = _words_before(text, figure.start)
    if unit is None or not before:
        return None
    same_unit = [f for f in quote_figures if unit_of(f, quote) == unit]
    here = [f for f in same_unit if f.values & figure.values]
    there = [f for f in same_unit if not f.values & figure.values and before & _words_before(quote, f.start)]
    if there and here and not any(before & _words_before(quote, f.start) for f in here):
        return there[0]
    return None


def _words_before(text: str, start: int, k: int = 2) -> set[str]:
    return set([root(t.text) for t in tokens(text[:start]) if is_content(t)][-k:])


def _same_quantity(figure: Figure, text: str, quote_figures: list[Figure], quote: str) -> Figure | None:
    """The quote's figure for the same quantity: the same unit written after it
    ("30 percent" against "20 percent"; "39-year-old" is not "three-year")."""
    unit = unit_of(figure, text)
    if unit is None:
        return None
    return next((other for other in quote_figures if unit_of(other, quote) == unit), None)


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


def _same_kind(a: str, b: str) -> bool:
    return (a in _WEEKDAYS) == (b in _WEEKDAYS)


__all__ = ["COVERAGE_MIN", "Finding", "Verdict", "check_statement", "norm", "verdict_of"]
