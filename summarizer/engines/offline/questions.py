"""Open questions from where the article says something is not known.

Only real questions: "it is not clear why they were delayed" becomes "Why were the
sessions delayed?", "yet to agree on what should happen to X, or what Y" becomes two,
"no indication that Kestria will accept it" becomes "Will Kestria accept the 12-point
plan?". A sentence whose grammar is not plain enough to turn, or whose question would
lean on something outside it, gives no question rather than a statement or a riddle.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ...words import STOPWORDS
from .referents import last_plural, last_thing, named_before, person_before, plural_before, thing_before
from .sentences import Sentence

# Where a sentence says something is not known, followed by what is not known.
_MARKER = re.compile(
    r"\b(?:(?:is|are|was|remains?) (?:still )?(?:not (?:yet )?clear|unclear|unknown|uncertain|undecided)|"
    r"not (?:yet )?(?:clear|known)|unclear|unknown|uncertain|"
    r"(?:has|have|had) (?:still )?not (?:yet )?(?:said|decided|announced|disclosed|explained)(?: yet)?|"
    r"did not (?:say|explain|disclose|specify)|would not say|declined to say|refused to say|"
    r"(?:has|have|had) yet to (?:decide|agree|say|announce|explain|determine|settle)(?: on)?|"
    r"no (?:indication|sign|word))\b[,:]?\s",
    re.I,
)
_WH = r"(?:how(?:\s(?:long|much|many|far|often|soon))?|why|when|where|who|whom|what|which|whether|if|that)"
_CLAUSE_START = re.compile(rf"^(?:(?:about|on|of|as to)\s)?(?P<wh>{_WH})\b,?\s", re.I)
# "when, or whether," asks when.
_DOUBLE_WH = re.compile(rf"^(?P<wh>{_WH}),?\s+or\s+{_WH},?\s", re.I)
# "Whether those positions will be filled has yet to be decided."
_OPENING_CLAUSE = re.compile(
    rf"^(?P<clause>(?:{_WH})\s.+?)\s(?:has yet to be (?:decided|settled|announced)|"
    r"(?:is|are|was|remains?) (?:still )?(?:not (?:yet )?(?:clear|known|decided)|unclear|unknown|undecided|"
    r"to be seen))\b",
    re.I,
)
_APPOSITION = re.compile(r",\s[^,]{1,60},\s")
# The clause ends where the sentence turns to something else.
_CLAUSE_END = re.compile(r",\s(?:although|but|while|though|as|and|which|according)\b|;|\s[—–]\s|\s-\s|[.!?](?=\s|$)")
_OR_WH = re.compile(rf",?\sor\s(?={_WH}\b)", re.I)
_AUX = ("will would can could should shall may might must is are was were has have had do does did").split()
_SUBJECT_START = re.compile(r"^(?:(?:the|a|an|its|their|his|her|this|that|these|those)$|[A-Z])")
_DETERMINER = re.compile(r"^(?:the|a|an|its|their|his|her|this|that|these|those)\b|^[A-Z]")
_SUBJECT_PRONOUN = {"he": "person", "she": "person", "they": "plural", "it": "thing"}
_OBJECT_PRONOUN = {"him": "person", "her": "person", "them": "plural", "it": "thing"}
_DEMONSTRATIVE = re.compile(r"\b(?:that|this|those|these)\s([a-z][\w-]+)\b")
_DANGLING = re.compile(r"\b(?:he|she|they|him|them|it)\b", re.I)
_NOUN_PHRASE = re.compile(r"\b(?:the|a|an)\s[\w’'-]+")
_QUESTION_WORDS = {*_AUX, "how", "why", "when", "where", "who", "whom", "what", "which"}


@dataclass(frozen=True)
class Found:
    question: str
    quote: str  # the sentence that shows it is open
    clause: str  # the words of that sentence the question asks about


def open_questions(sentences: list[Sentence], limit: int, is_name: Callable[[str], bool]) -> list[Found]:
    """The article's open questions, in article order, at most `limit`. `is_name`:
    whether a capitalised word is a name (kept capitalised inside a question) rather
    than a sentence's first word."""
    found: list[Found] = []
    for sentence in sentences:
        if sentence.text.startswith(("“", '"', "‘")) or sentence.text.rstrip().endswith("?"):
            continue
        for question, clause in _questions(sentences, sentence, is_name):
            if question.lower() not in {f.question.lower() for f in found}:
                found.append(Found(question, sentence.text, clause))
        if len(found) >= limit:
            break
    return found[:limit]


def says_open(text: str) -> bool:
    """Whether a sentence says that something is not known yet."""
    return bool(_OPENING_CLAUSE.match(text) or _MARKER.search(text))


def _open_clauses(text: str) -> list[tuple[str, str]]:
    """(what is not known, the text before it): after "it is not clear", "has not
    said", "no indication"..., or opening the sentence ("Whether X will Y has yet to
    be decided")."""
    first = _OPENING_CLAUSE.match(text)
    if first:
        return [(first.group("clause"), "")]
    out = []
    for marker in _MARKER.finditer(text):
        tail = _DOUBLE_WH.sub(lambda m: m.group("wh") + " ", text[marker.end() :])
        if marker.group().lower().startswith("no ") and not tail.lower().startswith("that "):
            continue
        end = _CLAUSE_END.search(tail)
        out.append((tail[: end.start()] if end else tail, text[: marker.start()]))
    return out


def _questions(sentences: list[Sentence], sentence: Sentence, is_name: Callable[[str], bool]) -> list[tuple[str, str]]:
    out = []
    for span, before in _open_clauses(sentence.text):
        subject = _main_subject(before, is_name)
        # "what should happen to X, or what Y": each its own question
        for asked in _OR_WH.split(span):
            clause = _APPOSITION.sub(" ", asked)  # "that sale, of a former rail yard, will close"
            opening = _CLAUSE_START.match(clause)
            if opening is None:
                continue
            question = _as_question(opening.group("wh").lower(), clause[opening.end() :].strip(" ,"), subject)
            if question is None:
                continue
            question = _fill_referents(question, sentences, sentence.position, before, subject)
            if question is not None and _stands_alone(question):
                out.append((question, asked))
    return out


def _main_subject(before: str, is_name: Callable[[str], bool]) -> str | None:
    """Who the sentence says does not know or has not said: "the utility has not said"."""
    clause = re.split(r",\s|\bbut\s|\band\s", before.strip())[-1].strip()
    clause = re.sub(r"\s(?:has|have|had|did|would|is|are|was|were|remains?|still)(?:\s(?:not|still))?$", "", clause)
    if not clause or clause.lower() in {"it", "there"} or len(clause.split()) > 6:
        return None
    first, _, rest = clause.partition(" ")
    if not is_name(first):  # "Organizers have yet to decide" asks "Will organizers ...?"
        first = first.lower()
    return f"{first} {rest}".strip()


def _as_question(wh: str, rest: str, subject: str | None) -> str | None:
    """Put the auxiliary first: "why they were delayed" -> "Why were they delayed?".
    None when there is no auxiliary to move (that would take a verb's base form)."""
    words = rest.split()
    if not words:
        return None
    if wh in {"whether", "if", "that"}:
        if words[0] == "to" and subject and len(words) > 1:  # "whether to postpone it"
            return _finish(f"will {_lower_first(subject)} {' '.join(words[1:])}")
        at = _aux_at(words)
        if at is None or at == 0:
            return None
        return _finish(" ".join([words[at], *words[:at], *words[at + 1 :]]))
    at = _aux_at(words)
    if at is None:
        return None
    if at == 0:  # "who would patrol the zone", "what should happen to X": already in order
        return _finish(f"{wh} {rest}")
    before = words[:at]
    asked: list[str] = []
    # "what security guarantees | the country | should receive", "how much compensation | the region | will offer"
    split = next((i for i in range(1, len(before)) if _SUBJECT_START.match(before[i])), None)
    if wh in {"what", "which", "how much", "how many"} and split is not None:
        asked, before = before[:split], before[split:]
    if not before or len(before) > 6:
        return None
    return _finish(" ".join([wh, *asked, words[at], *before, *words[at + 1 :]]))


def _aux_at(words: list[str]) -> int | None:
    """The auxiliary of a clause, within its first eight words."""
    return next((i for i, word in enumerate(words[:8]) if word.lower() in _AUX), None)


def _fill_referents(
    question: str, sentences: list[Sentence], index: int, before: str, subject: str | None
) -> str | None:
    """Put what they stand for in place of pronouns and of "that pact"; None if one
    cannot be placed. An object pronoun after a noun phrase of the question's own
    ("the country ... to protect it") is left to that phrase."""
    words = question[:-1].split()
    for i, word in enumerate(words):
        bare = word.lower().strip(",")
        if i in (1, 2) and bare in _SUBJECT_PRONOUN:
            kind = _SUBJECT_PRONOUN[bare]
        elif i > 2 and bare in _OBJECT_PRONOUN and not _NOUN_PHRASE.search(" ".join(words[:i])):
            kind = _OBJECT_PRONOUN[bare]
        else:
            continue
        referent = _referent(kind, sentences, index, before, subject)
        if referent is None:
            return None
        words[i] = referent + word[len(bare) :]
    text = " ".join(words)
    for match in reversed(list(_DEMONSTRATIVE.finditer(text))):
        fuller = named_before(match.group(1), sentences, index, before)
        if fuller is None:
            return None
        text = text[: match.start()] + fuller + text[match.end() :]
    return _capitalize(text) + "?"


def _referent(kind: str, sentences: list[Sentence], index: int, before: str, subject: str | None) -> str | None:
    """The sentence's own subject when it fits ("the utility has not said when it
    will"), else what the sentence or the ones before it name."""
    if subject and _DETERMINER.match(subject) and subject.split()[0].lower() not in _SUBJECT_PRONOUN:
        plural = subject.split()[-1].endswith("s")
        if kind == "person" or (kind == "plural") == plural:
            return _lower_first(subject)
    if kind == "person":
        return person_before(sentences, index)
    if kind == "plural":
        return last_plural(before) or plural_before(sentences, index)
    return last_thing(before) or thing_before(sentences, index)


def _stands_alone(question: str) -> bool:
    """A question, with at least two words of its own beyond "what will", and no
    pronoun left without a noun before it in the question."""
    if not question.endswith("?") or len(_own_words(question)) < 2:
        return False
    return all(_own_words(question[: m.start()]) for m in _DANGLING.finditer(question))


def _own_words(text: str) -> list[str]:
    words = [w.lower() for w in re.findall(r"[\w’'-]+", text)]
    return [w for w in words if w not in _QUESTION_WORDS and w not in STOPWORDS and len(w) > 2]


def _finish(clause: str) -> str:
    return _capitalize(clause.strip().rstrip('.!?”"’ ,')) + "?"


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    """ "The island's market" inside a question; names keep their capital."""
    first, _, rest = text.partition(" ")
    if first in {"The", "A", "An", "Its", "Their", "His", "Her"}:
        first = first.lower()
    return f"{first} {rest}".strip()
