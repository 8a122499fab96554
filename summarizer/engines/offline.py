"""The offline engine: an extractive brief with no model and no network.

Everything it writes is cut from the article, so its quotes are verbatim by
construction; it ranks sentences with news conventions (the lead matters most,
figures and attributions make facts, hedges make open questions) and is fully
deterministic, which also makes it the reference the tests pin down.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..clean.sentences import split_sentences
from ..models import Article, Brief, EngineInfo, FocusTopic, KeyFact, OpenQuestion, SummarySentence, Usage
from ..words import (
    ATTRIBUTION,
    DATE_WORDS,
    NUMBER,
    STOPWORDS,
    STRONG_FIGURE,
    WORD,
    content_words,
    names,
    speaker,
    stem,
)

_OPEN = re.compile(
    r"\b(?:not (?:yet )?clear|unclear|unknown|not known|uncertain|undecided|unresolved|"
    r"yet to (?:be )?\w+|no indication|no sign|refused|declined to|did not say|would not say|"
    r"have not said|has not said|not been (?:made public|disclosed|released|decided|announced)|"
    r"whether|remains? to be seen|"
    r"remains? (?:unclear|open|unresolved|unanswered|uncertain|suspended|stalled)|"
    r"no (?:new )?\w+ (?:has|have) been (?:scheduled|set|announced|agreed)|"
    r"(?:obstacles|questions|hurdles|concerns|doubts) remain|need to be resolved|"
    r"neither side (?:released|disclosed|gave)|no details|could not be reached|did not respond)\b",
    re.I,
)
_CONNECTIVE = re.compile(
    r"^(?:but|and|still|however|yet|so|meanwhile|instead|if anything|in addition|also)\b,?\s+",
    re.I,
)
_EVENT = re.compile(
    r"\b(?:held|met|meet|moved|postponed|delayed|announced|launched|signed|agreed|killed|"
    r"arrested|voted|approved|opened|closed|began|ended|resigned|fired|elected|struck|"
    r"attacked|released|filed|ruled|passed|cancel+ed|scheduled)\b",
    re.I,
)
_WH = r"(?:who|what|why|when|where|how(?:\s+(?:long|much|many|far|often|soon))?)"
# A clause runs to the next comma or dash, or to where the sentence says it is open.
_REST = r"(?P<rest>(?:(?!\s(?:has|have|is|was|remains?)\s(?:yet|not|unclear|unknown|to be))[^,;—])+)"
_WH_CLAUSE = re.compile(rf"\b(?P<wh>{_WH})\b\s+{_REST}", re.I)
_INVERT = re.compile(
    r"^(?P<wh>why|when|where|how(?:\s+(?:long|much|many|far|often|soon))?)\s+(?P<subject>(?:\w+\s){0,3}?\w+)\s+"
    r"(?P<aux>was|were|is|are|had|has|have|will|would|could|should|can|did|does|do)\s+(?P<rest>.+)$",
    re.I,
)
_WILL = re.compile(
    r"\b(?:that|whether|if)\s+(?P<subject>(?:[\w-]+\s){0,3}?[\w-]+)\s+"
    rf"(?P<aux>will|would|can|could|should|is|are|was|were|has|have)\s+{_REST}",
    re.I,
)
_UNDISCLOSED = re.compile(
    r"^(?P<subject>.+?)\s+(?:have|has)\s+not\s+been\s+(?:made public|disclosed|released|announced)",
    re.I,
)
# When no word of a question is prominent in the article, these name its topic.
_TOPIC_LEXICON = (
    ("timing", r"\b(?:delay\w*|postpon\w*|when|schedul\w*|date|deadline|moved to|pushed back|continue)\b"),
    ("money", r"\b(?:cost\w*|fund\w*|budget\w*|price\w*|pay\w*|money|dollars?)\b|[$€£]"),
    ("responsibility", r"\b(?:who|blame\w*|responsib\w*|caus\w*)\b"),
    ("details", r"\b(?:details?|discussed|terms)\b"),
)
_TOPIC_STOP = STOPWORDS | {
    "clear",
    "unclear",
    "indication",
    "details",
    "detail",
    "public",
    "known",
    "unknown",
    "expected",
    "remain",
    "remains",
    "resolved",
    "agree",
    "agreed",
    "yet",
    "sign",
    "made",
    "major",
    "huge",
    "other",
    "same",
    "any",
    "need",
    "needs",
    "side",
    "sides",
    "sticking",
    "points",
    "obstacles",
    "question",
    "questions",
    "refused",
    "proposition",
    "far",
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "local",
    "national",
    "former",
    "social",
    "media",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "morning",
    "afternoon",
    "evening",
    "night",
    "today",
    "yesterday",
}
_NOT_NOUN = re.compile(r"(?:ed|ly|ive|ous|ful|able|ible|ical|est)$", re.I)
_DATE_NUMBER = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:\s+and\s+\d{1,2})?"
    r"|\b(?:19|20)\d{2}\b",
    re.I,
)


@dataclass(frozen=True)
class _Sentence:
    text: str
    position: int
    paragraph: int
    words: int


class OfflineEngine:
    """Extractive and deterministic: the default when no LLM is configured."""

    max_facts = 10
    max_questions = 10

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(name="offline")

    def brief(self, article: Article, *, topics: list[str] | None = None) -> tuple[Brief, Usage]:
        sentences = _sentences(article)
        frequency = Counter(stem(w) for s in sentences for w in content_words(s.text))
        facts = _key_facts(sentences, self.max_facts)
        summary = _summary(sentences, frequency, article.title or "", facts)
        questions = _open_questions(sentences, frequency, self.max_questions)
        focus: list[FocusTopic] = []
        for topic in dict.fromkeys(t.strip() for t in topics or [] if t.strip()):
            facts, covered = _cover(topic, sentences, facts, questions)
            focus.append(covered)
        headline = article.title or (summary[0].text if summary else "")
        return (
            Brief(headline=headline, summary=summary, key_facts=facts, open_questions=questions, focus=focus),
            Usage(),
        )


def _sentences(article: Article) -> list[_Sentence]:
    out: list[_Sentence] = []
    for paragraph_index, paragraph in enumerate(article.paragraphs):
        for span in split_sentences(paragraph):
            out.append(_Sentence(span.text, len(out), paragraph_index, len(WORD.findall(span.text))))
    return out


def _summary(
    sentences: list[_Sentence], frequency: Counter[str], title: str, facts: list[KeyFact]
) -> list[SummarySentence]:
    title_words = {stem(w) for w in content_words(title)}
    top = max(frequency.values(), default=1)

    def score(s: _Sentence) -> float:
        words = [stem(w) for w in content_words(s.text)]
        if not words:
            return 0.0
        centrality = sum(frequency[w] for w in words) / (len(words) * top)
        overlap = len(title_words.intersection(words)) / max(len(title_words), 1)
        lead = 1.0 / (1.0 + 0.35 * s.position)
        return 2.0 * lead + centrality + overlap

    candidates = [
        s
        for s in sentences
        if 8 <= s.words <= 60 and not s.text.startswith(("“", '"', "‘")) and not s.text.endswith("?")
    ]
    total_words = sum(s.words for s in sentences)
    wanted = 3 if total_words > 400 else 2
    chosen: list[_Sentence] = []
    for sentence in sorted(candidates, key=score, reverse=True):
        if all(_similarity(sentence.text, c.text) < 0.5 for c in chosen):
            chosen.append(sentence)
        if len(chosen) == wanted:
            break
    chosen.sort(key=lambda s: s.position)
    return [SummarySentence(text=s.text, facts=_supporting(s.text, facts)) for s in chosen]


def _supporting(text: str, facts: list[KeyFact]) -> list[int]:
    """Facts whose quote lies within or overlaps this summary sentence."""
    words = set(content_words(text))
    supporting = []
    for number, fact in enumerate(facts, start=1):
        if (
            fact.quote in text
            or text in fact.quote
            or len(words.intersection(content_words(fact.quote))) >= max(3, len(words) // 2)
        ):
            supporting.append(number)
    return supporting


def _similarity(a: str, b: str) -> float:
    wa, wb = set(content_words(a)), set(content_words(b))
    return len(wa & wb) / max(len(wa | wb), 1)


def _key_facts(sentences: list[_Sentence], limit: int) -> list[KeyFact]:
    def score(s: _Sentence) -> float:
        figures = len(NUMBER.findall(s.text))
        value = 2.0 * min(figures, 2) + 2.0 * min(len(STRONG_FIGURE.findall(s.text)), 2)
        value += 1.0 * bool(DATE_WORDS.search(s.text))
        value += 0.5 * min(len(set(names(s.text))), 3) + 1.0 * bool(ATTRIBUTION.search(s.text))
        value += 0.5 * bool(_EVENT.search(s.text)) + 0.5 / (1 + 0.1 * s.position)
        return value - (1.0 if _OPEN.search(s.text) else 0.0)

    candidates = [s for s in sentences if 6 <= s.words <= 70 and not s.text.endswith("?")]
    ranked = sorted(candidates, key=score, reverse=True)
    chosen = sorted((s for s in ranked[:limit] if score(s) >= 2.0), key=lambda s: s.position)
    return [_fact(s.text) for s in chosen]


def _fact(sentence: str) -> KeyFact:
    statement = _CONNECTIVE.sub("", sentence)
    statement = _capitalize(statement)
    who = speaker(sentence)
    if STRONG_FIGURE.search(sentence) or NUMBER.search(_DATE_NUMBER.sub("", sentence)):
        kind = "figure"
    elif sentence.startswith(("“", '"')) or (who and ATTRIBUTION.search(sentence)):
        kind = "claim"
    elif DATE_WORDS.search(sentence) or _EVENT.search(sentence):
        kind = "event"
    else:
        kind = "background"
    return KeyFact(statement=statement, quote=sentence, kind=kind, attributed_to=who)


def _on_topic(topic: str, text: str) -> bool:
    """All of a topic's content words (stemmed) are in the text: "security guarantees"
    matches "guarantees for its security", not "security forces"."""
    wanted = {stem(w) for w in content_words(topic)} or {topic.casefold()}
    return wanted <= {stem(w) for w in content_words(text)}


def _cover(
    topic: str, sentences: list[_Sentence], facts: list[KeyFact], questions: list[OpenQuestion]
) -> tuple[list[KeyFact], FocusTopic]:
    """Where the brief covers a focus topic; when the article speaks to it but no chosen
    fact or question does, its first sentence on the topic becomes a fact."""
    on_facts = [n for n, f in enumerate(facts, start=1) if _on_topic(topic, f.quote)]
    on_questions = [n for n, q in enumerate(questions, start=1) if _on_topic(topic, f"{q.topic} {q.quote}")]
    if not on_facts and not on_questions:
        mentions = [s for s in sentences if s.words >= 6 and _on_topic(topic, s.text)]
        if not mentions:
            return facts, FocusTopic(topic=topic, addressed=False, facts=[], questions=[])
        facts = [*facts, _fact(mentions[0].text)]
        on_facts = [len(facts)]
    return facts, FocusTopic(topic=topic, addressed=True, facts=on_facts, questions=on_questions)


def _open_questions(sentences: list[_Sentence], frequency: Counter[str], limit: int) -> list[OpenQuestion]:
    body = " ".join(s.text for s in sentences).lower()
    found: list[OpenQuestion] = []
    for s in sentences:
        marker = _OPEN.search(s.text)
        if marker is None or s.text.startswith(("“", '"')) or s.words < 6:
            continue
        question = _as_question(s.text, marker.start())
        topic = _topic(question, frequency, body) or _topic(s.text, frequency, body)
        found.append(OpenQuestion(topic=topic or _generic_topic(s.text), question=question, quote=s.text))
        if len(found) == limit:
            break
    return _merge_topics(found)


def _as_question(sentence: str, marker_at: int) -> str:
    """Turn the unresolved part of a sentence into a question where the grammar is
    plain enough to do it safely; otherwise state the open point as written."""
    tail = sentence[marker_at : marker_at + 200]
    undisclosed = _UNDISCLOSED.match(_CONNECTIVE.sub("", sentence))
    if undisclosed:
        subject = undisclosed.group("subject")
        return f"What are the {subject[0].lower() + subject[1:]}?".replace("the the ", "the ")
    will = _WILL.search(tail)
    wh = _WH_CLAUSE.search(tail)
    if will and (wh is None or will.start() < wh.start()):
        return _question(f"{will.group('aux')} {will.group('subject')} {will.group('rest')}")
    if wh:
        clause = f"{wh.group('wh')} {wh.group('rest')}"
        inverted = _INVERT.match(clause)
        if inverted:
            clause = " ".join(inverted.group("wh", "aux", "subject", "rest"))
        return _question(clause)
    return _capitalize(_CONNECTIVE.sub("", sentence))


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _question(clause: str) -> str:
    clause = clause.strip().rstrip('.!?”"’ ')
    clause = re.sub(r"\s+or\s*$", "", clause)
    return _capitalize(clause) + "?"


def _topic(text: str, frequency: Counter[str], body: str) -> str | None:
    """The most prominent phrase of `text` in the article: a word or a two-word phrase
    the article repeats, common nouns preferred over names (topics, not actors)."""
    tokens = WORD.findall(text)
    best, best_score = None, 0.0
    ubiquitous = max(frequency.values(), default=0) * 0.5  # the article's subject, not a topic
    for i in range(len(tokens)):
        for phrase in (tokens[i : i + 1], tokens[i : i + 2]):
            if any(w.lower() in _TOPIC_STOP or len(w) < 4 or _NOT_NOUN.search(w) for w in phrase):
                continue
            counts = [frequency[stem(w)] for w in phrase]
            if min(counts) < 2 or max(counts) >= ubiquitous:
                continue
            if len(phrase) == 2 and body.count(" ".join(phrase).lower()) < 2:
                continue
            proper = all(w[0].isupper() for w in phrase) and i > 0  # not just sentence-initial
            value = sum(counts) * (0.3 if proper else 1.0) + (1.5 if len(phrase) == 2 else 0.0)
            if value > best_score:
                best = " ".join(w if w[0].isupper() and (proper or j) else w.lower() for j, w in enumerate(phrase))
                best_score = value
    return best


def _generic_topic(sentence: str) -> str:
    for topic, pattern in _TOPIC_LEXICON:
        if re.search(pattern, sentence, re.I):
            return topic
    return "other"


def _merge_topics(questions: list[OpenQuestion]) -> list[OpenQuestion]:
    """Fold a one-word topic into a longer one that contains it ("deal" into "peace deal")."""
    topics = list(dict.fromkeys(q.topic for q in questions))  # first-seen order: the same in every process
    merged = []
    for q in questions:
        longer = [t for t in topics if t != q.topic and q.topic in t.split()]
        merged.append(q.model_copy(update={"topic": longer[0]}) if longer else q)
    return merged
