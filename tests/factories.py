"""A fixed result to render, so template tests do not depend on any engine."""

from __future__ import annotations

from datetime import date

from summarizer import Article, Brief, BriefResult, KeyFact, OpenQuestion, SummarySentence, ground
from summarizer.models import EngineInfo

BODY = [
    "Crews on the Port Avalon ferries walked off the job on Tuesday, stranding about 6,400 commuters.",
    "“We want a fair night premium,” said Dolores Finch, the union’s regional secretary.",
    "It is unclear who would pay for a mediator. The spring market opens on Saturday.",
]


def fixed_result(title: str = "Ferry Crews Walk Out") -> BriefResult:
    article = Article(
        title=title,
        authors=["Ravi Menon", "Ana Ruiz"],
        publisher="Bayside Tribune",
        site="HARBOURWIRE",
        published=date(2026, 3, 4),
        source="ferry.txt",
        paragraphs=BODY,
    )
    brief = Brief(
        headline=title,
        summary=[
            SummarySentence(
                text="Ferry crews walked off the job on Tuesday, stranding about 6,400 commuters.", facts=[1]
            )
        ],
        key_facts=[
            KeyFact(
                statement="About 6,400 commuters were stranded when crews walked off the job.",
                quote="walked off the job on Tuesday, stranding about 6,400 commuters",
                kind="figure",
                attributed_to=None,
            ),
            KeyFact(
                statement="The union wants a night premium.",
                quote="“We want a fair night premium,”",
                kind="claim",
                attributed_to="Dolores Finch",
            ),
            KeyFact(
                statement="About 9,000 commuters were stranded.",
                quote="stranding about 6,400 commuters",
                kind="figure",
                attributed_to=None,
            ),
        ],
        open_questions=[
            OpenQuestion(
                topic="money",
                question="Who would pay for a mediator?",
                quote="It is unclear who would pay for a mediator.",
            ),
            OpenQuestion(
                topic="timing", question="Will the market open?", quote="The spring market opens on Saturday."
            ),
        ],
    )
    brief, grounding = ground(article, brief)
    return BriefResult(article=article, brief=brief, grounding=grounding, engine=EngineInfo(name="offline"))
