"""The optional model check (`--verify model`): the engine asks the model to judge
every (statement, quote) pair in one more request, and each judgement is shown beside
the offline verdict. The request is the engine's; what is judged and where the answers
go is decided here.
"""

from __future__ import annotations

from ..models import BriefResult, Judged, Judgements, Usage

Pair = tuple[int, str, str]


def pairs_of(result: BriefResult) -> list[Pair]:
    """The facts whose quote was found: there is something to judge them against."""
    return [
        (n, fact.statement, fact.quote)
        for n, (fact, check) in enumerate(zip(result.brief.key_facts, result.grounding.facts, strict=True), start=1)
        if check.span is not None
    ]


def with_judgements(result: BriefResult, pairs: list[Pair], judgements: Judgements, usage: Usage) -> BriefResult:
    """The result with each judged fact's judgement beside its offline verdict, and the
    judge's tokens added to the usage. Answers for pairs that were not asked are dropped:
    a model may number its own."""
    asked = {n for n, _, _ in pairs}
    by_number = {j.n: j for j in judgements.judgements if j.n in asked}
    facts = [
        check.model_copy(update={"judge": Judged(verdict=by_number[n].verdict, reason=by_number[n].reason)})
        if n in by_number
        else check
        for n, check in enumerate(result.grounding.facts, start=1)
    ]
    grounding = result.grounding.model_copy(update={"facts": facts})
    return result.model_copy(update={"grounding": grounding, "usage": result.usage + usage})
