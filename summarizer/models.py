"""The data that flows through the pipeline.

`Brief` and everything under it is what an engine produces; it is shaped so that
its JSON Schema can be sent to an OpenAI-compatible server as a *strict*
json_schema: every field required, no defaults, no free-form dicts, no extra keys.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from .words import count_words

SCHEMA_VERSION = "1"

FactKind = Literal["event", "claim", "figure", "background"]
InputKind = Literal["text", "html", "markdown"]
GroundStatus = Literal["exact", "normalized", "fuzzy", "missing", "unsupported"]
# How well a quote backs what the brief says: only "supported" counts as verified.
Verdict = Literal["supported", "partly_supported", "contradicted", "quote_not_found"]
_VERDICT_OF_STATUS: dict[str, Verdict] = {"missing": "quote_not_found", "unsupported": "partly_supported"}


class _Strict(BaseModel):
    """Base of the models an LLM fills in: unknown keys are an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


class KeyFact(_Strict):
    statement: str = Field(description="The fact in one short sentence, in the brief's words.")
    quote: str = Field(description="Verbatim sentence or phrase from the article that backs it.")
    kind: FactKind = Field(description="event, claim, figure or background.")
    attributed_to: str | None = Field(
        description="Who the article says made the claim, or null when it is the article's own."
    )


class OpenQuestion(_Strict):
    topic: str = Field(description="Short topic, two or three words, lowercase.")
    question: str = Field(description="What the article leaves unresolved.")
    quote: str = Field(description="Verbatim text from the article that shows it is open.")


class SummarySentence(_Strict):
    text: str = Field(description="One sentence of the summary.")
    facts: list[int] = Field(description="1-based numbers of the key facts it rests on.")


class FocusTopic(_Strict):
    """A topic the reader asked about, and where the brief covers it."""

    topic: str = Field(description="The focus topic exactly as the reader gave it.")
    addressed: bool = Field(description="Whether the article speaks to this topic at all.")
    facts: list[int] = Field(description="1-based numbers of the key facts on this topic.")
    questions: list[int] = Field(description="1-based numbers of the open questions on this topic.")


class Brief(_Strict):
    headline: str = Field(description="The article's news in one line.")
    summary: list[SummarySentence] = Field(description="Two or three sentences.")
    key_facts: list[KeyFact]
    open_questions: list[OpenQuestion]
    # A default keeps briefs written before focus topics existed valid; the strict
    # schema still lists it as required, so models always fill it in.
    focus: list[FocusTopic] = Field(
        default=[], description="One entry per focus topic the reader asked for; empty when none were asked."
    )


class RemovedLine(BaseModel):
    text: str
    reason: str


class CleaningReport(BaseModel):
    """What cleaning threw away and why, so a user can see nothing of the story was lost."""

    input_kind: InputKind = "text"
    removed: list[RemovedLine] = []
    kept: list[RemovedLine] = Field(
        default=[], description="Text that looked hidden but was kept (tab and accordion panels), with why."
    )
    extraction_confidence: float = 1.0
    warnings: list[str] = []

    @computed_field
    @property
    def removed_by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for line in self.removed:
            counts[line.reason] = counts.get(line.reason, 0) + 1
        return counts

    @computed_field
    @property
    def chars_removed(self) -> int:
        return sum(len(line.text) for line in self.removed)


class Article(BaseModel):
    title: str | None = None
    authors: list[str] = []
    publisher: str | None = Field(
        default=None, description="Who wrote the story (the original, for syndicated copies)."
    )
    site: str | None = Field(default=None, description="The site the page was taken from.")
    published: date | None = None
    language: str | None = None
    source: str | None = Field(default=None, description="Path or URL the article came from.")
    paragraphs: list[str]
    report: CleaningReport = CleaningReport()

    @computed_field
    @property
    def body(self) -> str:
        """The text every quote span refers to: paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)

    @computed_field
    @property
    def word_count(self) -> int:
        return sum(count_words(p) for p in self.paragraphs)

    @property
    def byline(self) -> str | None:
        if not self.authors:
            return None
        if len(self.authors) == 1:
            return self.authors[0]
        return ", ".join(self.authors[:-1]) + " and " + self.authors[-1]


def _verdict_from_older_file(data: object, verdict: Verdict) -> object:
    """Results written before graded verdicts carry only a status or a token list."""
    if isinstance(data, dict) and "verdict" not in data:
        data = {**data, "verdict": verdict}
    return data


JudgeVerdict = Literal["supported", "not_supported", "contradicted"]


class Judged(BaseModel):
    """The model's own judgement of a statement against its quote (`--verify model`)."""

    verdict: JudgeVerdict
    reason: str


class Judgement(_Strict):
    """One answer of the model check, for the pair numbered `n`."""

    n: int = Field(description="The pair's number.")
    verdict: JudgeVerdict
    reason: str = Field(description="Why, in at most twenty words.")


class Judgements(_Strict):
    judgements: list[Judgement]


class QuoteCheck(BaseModel):
    """Where a quote was found in `Article.body`, and how well it backs the statement."""

    status: GroundStatus
    score: float = Field(description="0-100; 100 for exact and normalized matches.")
    span: tuple[int, int] | None = None
    unsupported: list[str] = Field(
        default=[], description="What in the statement its quote does not back (names, figures, words)."
    )
    verdict: Verdict = Field(
        default="supported", description="supported, partly_supported, contradicted, quote_not_found."
    )
    reasons: list[str] = Field(default=[], description="Why the verdict is not 'supported', for a reader.")
    judge: Judged | None = Field(default=None, description="The model check's judgement, with --verify model.")

    @model_validator(mode="before")
    @classmethod
    def _older(cls, data: object) -> object:
        status = data.get("status") if isinstance(data, dict) else None
        return _verdict_from_older_file(data, _VERDICT_OF_STATUS.get(str(status), "supported"))

    @computed_field
    @property
    def verified(self) -> bool:
        return self.verdict == "supported"


class SummaryCheck(BaseModel):
    """Whether a sentence the brief shows (a summary sentence, the headline) rests on the
    quotes it cites."""

    unsupported: list[str] = []
    verdict: Verdict = "supported"
    reasons: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _older(cls, data: object) -> object:
        backed = not (isinstance(data, dict) and data.get("unsupported"))
        return _verdict_from_older_file(data, "supported" if backed else "partly_supported")

    @computed_field
    @property
    def verified(self) -> bool:
        return self.verdict == "supported"


class FocusCheck(BaseModel):
    """Whether a focus entry's "addressed" holds against the article's text."""

    topic: str
    verified: bool = True
    reason: str | None = None


class Grounding(BaseModel):
    facts: list[QuoteCheck] = []
    questions: list[QuoteCheck] = []
    summary: list[SummaryCheck] = []
    headline: SummaryCheck | None = Field(default=None, description="The headline against the facts' quotes.")
    focus: list[FocusCheck] = Field(default=[], description="One per focus entry, in order.")
    repaired: int = Field(default=0, description="Facts fixed by the one repair request to the model.")
    repair_error: str | None = Field(
        default=None, description="Why the repair request failed; the brief it was to repair is kept, marked."
    )
    judge_error: str | None = Field(default=None, description="Why the model check (--verify model) failed.")
    dropped: list[str] = Field(default=[], description="Statements removed under strict grounding.")

    @property
    def verified_facts(self) -> int:
        return sum(check.verified for check in self.facts)


class EngineInfo(BaseModel):
    name: str
    model: str | None = None
    prompt_version: str | None = None


class Usage(BaseModel):
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = Field(default=0, description="Completion tokens a reasoning model spent thinking.")
    cost_usd: float | None = None

    def __add__(self, other: Usage) -> Usage:
        unknown = self.cost_usd is None and other.cost_usd is None
        return Usage(
            requests=self.requests + other.requests,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            reasoning_tokens=self.reasoning_tokens + other.reasoning_tokens,
            cost_usd=None if unknown else (self.cost_usd or 0.0) + (other.cost_usd or 0.0),
        )


class SinceAnswer(_Strict):
    question: int = Field(description="The earlier question's number.")
    quote: str = Field(description="Verbatim sentence of today's article that answers it.")


class SinceFigure(_Strict):
    fact: int = Field(description="The earlier fact's number.")
    before: str = Field(description="The figure as the earlier fact gives it.")
    after: str = Field(description="The figure for the same quantity today, as today's article writes it.")
    quote: str = Field(description="Verbatim sentence of today's article with the new figure.")


class SinceContradiction(_Strict):
    fact: int = Field(description="The earlier fact's number.")
    quote: str = Field(description="Verbatim sentence of today's article that says the opposite.")


class SinceDraft(_Strict):
    """What an engine finds when it reads today's article against earlier briefs."""

    answered: list[SinceAnswer] = Field(description="Earlier questions today's article answers.")
    unresolved: list[SinceAnswer] = Field(
        description="Earlier questions today's article says are still unresolved, with the sentence that says so."
    )
    new_facts: list[int] = Field(description="Numbers of today's key facts that no earlier fact carried.")
    changed_figures: list[SinceFigure] = Field(description="The same quantity with a different figure today.")
    contradictions: list[SinceContradiction] = Field(description="Today's statements that negate an earlier fact.")


class Earlier(BaseModel):
    """An earlier brief of the story, as the changes cite it."""

    title: str | None = None
    source: str | None = None
    published: date | None = None


class EarlierQuestion(BaseModel):
    """An open question of an earlier brief, as today's article is read against it."""

    question: str
    topic: str
    quote: str
    asked: Earlier


class EarlierClaim(BaseModel):
    """A fact (or an extractive summary sentence) of an earlier brief, with its quote."""

    statement: str
    quote: str
    said: Earlier


class Answered(BaseModel):
    question: str
    topic: str
    asked: Earlier
    quote: str = Field(description="Today's sentence that answers it, verbatim.")
    check: QuoteCheck


class StillOpen(BaseModel):
    question: str
    topic: str
    asked: Earlier
    quote: str | None = Field(default=None, description="Today's sentence saying it is still unresolved, if any.")
    check: QuoteCheck | None = None


class ChangedFigure(BaseModel):
    before: str
    after: str
    earlier_quote: str
    quote: str = Field(description="Today's sentence with the new figure, verbatim.")
    said: Earlier
    check: QuoteCheck


class Contradiction(BaseModel):
    earlier_statement: str
    earlier_quote: str
    said: Earlier
    quote: str = Field(description="Today's sentence that says the opposite, verbatim.")
    check: QuoteCheck


class Changes(BaseModel):
    """What today's article changes in a story that earlier briefs followed."""

    since: list[Earlier]
    answered: list[Answered] = []
    still_open: list[StillOpen] = []
    new_facts: list[int] = Field(default=[], description="1-based numbers of today's key facts that are new.")
    changed_figures: list[ChangedFigure] = []
    contradictions: list[Contradiction] = []
    error: str | None = Field(
        default=None, description="Why the model's comparison failed; these changes are then the offline reading."
    )


class BriefResult(BaseModel):
    """Everything one run produced for one article; its JSON is the stable output."""

    schema_version: str = SCHEMA_VERSION
    article: Article
    brief: Brief
    grounding: Grounding
    engine: EngineInfo
    usage: Usage = Usage()
    cached: bool = Field(default=False, description="The engine output came from the cache: no request was made.")
    changes: Changes | None = Field(default=None, description="What changed since earlier briefs (`--since`).")
