"""The offline engine: an extractive brief with no model and no network.

Everything it writes is cut from the article, so its quotes are verbatim by
construction: a summary of the lead, key facts that add what the summary leaves out,
open questions turned from where the article says something is not known, topics
named as the article names them. It is fully deterministic, which also makes it the
reference the tests pin down.
"""

from __future__ import annotations

import re

from ...models import (
    Article,
    Brief,
    EarlierClaim,
    EarlierQuestion,
    EngineInfo,
    FocusTopic,
    KeyFact,
    OpenQuestion,
    SinceDraft,
    SummarySentence,
    Usage,
)
from ...words import ATTRIBUTION, DATE_WORDS, NUMBER, STRONG_FIGURE, content_words, names, speaker
from .focus import linked, read_topic
from .questions import open_questions
from .ranking import fact_candidates, fact_limit, summary_sentences
from .referents import person_before
from .sentences import Sentence, sentences_of
from .since import compare
from .topics import Vocabulary, merge_topics, topic_of

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
_DATE_NUMBER = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:\s+and\s+\d{1,2})?"
    r"|\b(?:19|20)\d{2}\b",
    re.I,
)
# A sentence whose subject is a pronoun, after an optional opening phrase ("In a speech
# on Sunday night, she said"): the pronoun needs its person, or the sentence is no fact.
_PRONOUN_SUBJECT = re.compile(r"^(?P<lead>(?:[A-Z][^,]{0,60},\s)?)(?P<pronoun>[Hh]e|[Ss]he)\b(?=\s[a-z])")
_LEANS_BACK = re.compile(r"^(?:[A-Z][^,]{0,60},\s)?(?:they|it|this|these|those|his|her|its|their)\b", re.I)
_MAX_QUESTIONS = 6
_FOCUS_FACTS = 2  # facts added for a focus topic no chosen fact speaks to


class OfflineEngine:
    """Extractive and deterministic: the default when no LLM is configured."""

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(name="offline")

    def since(
        self, article: Article, brief: Brief, questions: list[EarlierQuestion], claims: list[EarlierClaim]
    ) -> tuple[SinceDraft, Usage]:
        """Today's article read against earlier briefs' questions and claims."""
        return compare(article, brief, questions, claims), Usage()

    def brief(self, article: Article, *, topics: list[str] | None = None) -> tuple[Brief, Usage]:
        sentences = sentences_of(article)
        summary = summary_sentences(sentences, article.title or "")
        questions, asked_about = _questions(article, sentences)
        asked = {q.quote for q in questions}  # shown as open questions, not again as facts
        ranked = [
            (s, f)
            for s in fact_candidates(sentences, summary)
            if s.text not in asked and (f := _fact(s, sentences)) is not None
        ]
        limit = fact_limit(sentences)
        facts = [fact for _, fact in sorted(ranked[:limit], key=lambda pair: pair[0].position)]
        wanted = list(dict.fromkeys(t.strip() for t in topics or [] if t.strip()))
        read = {topic: read_topic(topic, sentences) for topic in wanted}
        focus: list[FocusTopic] = []
        for topic, this in read.items():
            if this is None:
                focus.append(FocusTopic(topic=topic, addressed=False, facts=[], questions=[]))
                continue
            on_facts, on_questions = linked(this, sentences, facts, questions, asked_about)
            if not on_facts:  # the article speaks to it and no chosen fact does: add its best two
                others = [r for t, r in read.items() if t != topic and r is not None]
                covering = [(s, f) for s, f in ranked[limit:] if this.covers(s.text, s.paragraph)]
                only = [(s, f) for s, f in covering if not any(o.covers(s.text, s.paragraph) for o in others)]
                added = [f for _, f in (only or covering)[:_FOCUS_FACTS] if f not in facts]
                on_facts = list(range(len(facts) + 1, len(facts) + len(added) + 1))
                facts.extend(added)
            focus.append(FocusTopic(topic=topic, addressed=True, facts=on_facts, questions=on_questions))
        brief = Brief(
            headline=article.title or (summary[0].text if summary else ""),
            summary=[SummarySentence(text=s.text, facts=_supporting(s.text, facts)) for s in summary],
            key_facts=facts,
            open_questions=questions,
            focus=focus,
        )
        return brief, Usage()


def _questions(article: Article, sentences: list[Sentence]) -> tuple[list[OpenQuestion], list[str]]:
    """The open questions, and for each the words of the article it asks about."""
    vocabulary = Vocabulary(article.body)
    named = {n for s in sentences for n in names(s.text)}
    found = open_questions(sentences, _MAX_QUESTIONS, named.__contains__)
    questions = [
        OpenQuestion(topic=topic_of(f.question, f.quote, vocabulary), question=f.question, quote=f.quote) for f in found
    ]
    return merge_topics(questions), [f.clause for f in found]


def _fact(sentence: Sentence, sentences: list[Sentence]) -> KeyFact | None:
    """The sentence as a key fact, its opening connective dropped and a "he" or "she"
    opening it replaced by the person the sentences before are about; None when that
    cannot be done or the sentence leans on another ("They said...", "Its leaders...")."""
    text = sentence.text
    statement = _capitalize(_CONNECTIVE.sub("", text))
    pronoun = _PRONOUN_SUBJECT.match(statement)
    if pronoun:
        person = person_before(sentences, sentence.position)
        if person is None:
            return None
        statement = statement[: pronoun.start("pronoun")] + person + statement[pronoun.end("pronoun") :]
    elif _LEANS_BACK.match(statement):
        return None
    who = speaker(statement)
    if STRONG_FIGURE.search(text) or NUMBER.search(_DATE_NUMBER.sub("", text)):
        kind = "figure"
    elif text.startswith(("“", '"')) or (who and ATTRIBUTION.search(text)):
        kind = "claim"
    elif DATE_WORDS.search(text) or _EVENT.search(text):
        kind = "event"
    else:
        kind = "background"
    return KeyFact(statement=statement, quote=text, kind=kind, attributed_to=who)


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


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]
