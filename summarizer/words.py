"""Word-level signals the extractive engine ranks sentences by: figures, dates,
names, attributions. Kept apart so grounding can reuse the same notion of a
"number" or a "name" that the engine uses."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    (
        "a about above after again against all almost also although am an and any are as at be "
        "because been before being below between both but by can could did do does doing down "
        "during each even ever every few for from further had has have having he her here hers him "
        "his how however i if in into is it its itself just last least less like made make many may "
        "me might more most much must my near neither never new next no nor not now of off often on "
        "once one only or other our out over own per perhaps rather really same says said say see "
        "seen several she should since so some still such than that the their them then there these "
        "they this those though through thus to too toward under until up upon us very was we were "
        "what when where whether which while who whom whose why will with within without would yet "
        "you your week weeks year years day days time times month months people way ways thing "
        "things part including according told asked already across among around back well first "
        "second third whole mr ms mrs dr"
    ).split()
)

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# C0 controls and DEL, less tab, newline and carriage return: invisible, and lxml refuses them.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]」』]*$")
STRONG_FIGURE = re.compile(r"[$€£¥]\s?\d|\d\s?%|\d[\d,.]*\s(?:percent|per cent|million|billion|trillion)|\d{1,3},\d{3}")
NUMBER = re.compile(
    r"(?:[$€£¥]\s?)?\d+(?:[.,]\d+)*(?:\s?(?:%|percent|per cent|million|billion|trillion|thousand))?"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|thousand|million|billion|dozen)s?\b",
    re.I,
)
DATE_WORDS = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|"
    r"tonight|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.|last (?:week|month|year)|"
    r"next (?:week|month|year)|this (?:week|weekend|month|year)|(?:19|20)\d{2})\b",
    re.I,
)
ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|announced|stated|added|wrote|argued|claimed|warned|insisted|"
    r"according to|confirmed|denied)\b"
)
_TITLE = r"(?:Mr|Ms|Mrs|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Capt)\."
_CAP = r"[A-Z][\w’'-]*"
_NAME = rf"(?:{_TITLE}\s)?{_CAP}(?:\s(?:{_CAP}|de|van|von|al|bin))*"
_SPEAKER_BEFORE = re.compile(
    rf"(?P<name>{_NAME})(?:\sof\s{_CAP}(?:\s{_CAP})*)?,?\s(?:said|says|told|added|wrote|announced|warned|insisted)\b"
)
_SPEAKER_AFTER = re.compile(
    rf"\b(?:said|says)\s(?P<name>{_NAME})(?=[,.;]|$)|\baccording to\s(?:the\s)?(?P<source>{_NAME})"
)
# A speaker's name starts a clause; "Owners on Gull Island said" is not Gull Island speaking.
_CLAUSE_START = re.compile(r"(?:^|[,;:”\"’]\s*|\b(?:although|and|but|while|as|because|when|where|though|yet)\s+)\s*$")
_PRONOUN = {"He", "She", "They", "It", "We", "I", "You", "This", "That", "The", "A", "An", "But"}


def count_words(text: str) -> int:
    """Words, counting two CJK characters as one: those scripts do not put spaces
    between words, so a Chinese story is not "17 words"."""
    if not CJK.search(text):
        return len(WORD.findall(text))
    cjk = len(CJK.findall(text))
    return len(WORD.findall(CJK.sub(" ", text))) + cjk // 2


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text)


def is_prose(paragraph: str) -> bool:
    """Running text rather than a menu, a tag cloud or a footer: enough words, and
    either a sentence's ending or mostly lowercase words (menus are Title Case)."""
    words = count_words(paragraph)
    if words < 10:
        return False
    if CJK.search(paragraph) or _SENTENCE_END.search(paragraph.rstrip()):
        return True
    latin = WORD.findall(paragraph)
    return sum(w[0].islower() for w in latin) >= 0.5 * len(latin)


def content_words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 2]


def stem(word: str) -> str:
    """Just enough stemming to count "guarantee" and "guarantees" as one word."""
    word = word.lower()
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def names(text: str) -> list[str]:
    """Capitalised words that are not merely sentence-initial."""
    found = []
    for match in re.finditer(rf"{_CAP}", text):
        word = match.group(0)
        start = match.start()
        before = text[:start].rstrip()
        sentence_start = not before or (before[-1] in ".!?“\"‘'—:(" and not re.search(rf"{_TITLE}$", before))
        if sentence_start or word in _PRONOUN or len(word) < 2:
            continue
        found.append(word.strip("’'-"))
    return found


def speaker(sentence: str) -> str | None:
    """Who a sentence attributes its claim to, when it says so."""
    for match in _SPEAKER_BEFORE.finditer(sentence):
        name = match.group("name")
        if name.split()[0] not in _PRONOUN and _CLAUSE_START.search(sentence[: match.start()]):
            return name
    for match in _SPEAKER_AFTER.finditer(sentence):
        name = match.group("name") or match.group("source")
        if name.split()[0] not in _PRONOUN:
            return name
    return None
