"""How a batch shows itself: a live progress bar on a terminal, plain lines otherwise
(logs, CI, pipes), and a table of every article at the end."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..engines.openai.pricing import price_of
from .app import error_line, plural

if TYPE_CHECKING:
    from ..many import Outcome
    from ..models import BriefResult


def counts(result: BriefResult) -> str:
    """The one-line account of a brief: facts, verification, and what it cost."""
    text = (
        f"{plural(len(result.grounding.facts), 'fact')}, {result.grounding.verified_facts} verified, "
        f"{plural(len(result.brief.open_questions), 'open question')}"
    )
    if result.grounding.dropped:
        text += f", {plural(len(result.grounding.dropped), 'unverified fact')} dropped (--strict-grounding)"
    usage = result.usage
    if result.cached:
        text += "; cached, no request"
    elif usage.requests:
        text += f"; {usage.requests} request(s), {usage.prompt_tokens:,} prompt"
        text += f" + {usage.completion_tokens:,} completion tokens"
        if usage.reasoning_tokens:
            text += f" ({usage.reasoning_tokens:,} reasoning)"
        if usage.cost_usd is not None:
            text += f", ${usage.cost_usd:.4f}"
            price = price_of(result.engine.model or "")
            if price is not None and not price.listed:
                text += f" (last known price of {result.engine.model}, which OpenAI no longer lists)"
    return text


class Reporter:
    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.console = Console(file=self.stream, highlight=False)
        self.total = total
        self.done = self.failed = self.cached = 0
        self.tokens = 0
        self.cost = 0.0
        self._live = self.console.is_terminal and total > 1
        self._progress: Progress | None = None

    def __enter__(self) -> Reporter:
        if self._live:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[status]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("briefing", total=self.total, status="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def line(self, text: str) -> None:
        if self._progress is None:  # a log or a pipe: plain lines, no layout to compute
            self.stream.write(text + "\n")
            self.stream.flush()
        else:
            self.console.print(text, markup=False, soft_wrap=True)

    def report(self, outcome: Outcome) -> None:
        self.done += 1
        if outcome.error is not None:
            self.failed += 1
            self.line(error_line(outcome.error, outcome.source))
        elif outcome.result is not None:
            self.cached += outcome.result.cached
            self.tokens += outcome.result.usage.prompt_tokens + outcome.result.usage.completion_tokens
            self.cost += outcome.result.usage.cost_usd or 0.0
            self.line(f"{outcome.source}: {counts(outcome.result)}")
        if self._progress is not None:
            status = f"{self.failed} failed, {self.cached} cached, {self.tokens:,} tokens"
            if self.cost:
                status += f", ${self.cost:.4f}"
            self._progress.update(self._task, advance=1, status=status)

    def table(self, outcomes: list[Outcome]) -> None:
        """Every article at a glance, on a terminal; a log already has a line for each,
        so it gets one line of totals."""
        if len(outcomes) < 2:
            return
        if not self.console.is_terminal:
            self.line(
                f"{len(outcomes)} articles: {len(outcomes) - self.failed} briefed ({self.cached} cached), "
                f"{self.failed} failed, {self.tokens:,} tokens"
            )
            return
        table = Table(title=f"{len(outcomes)} articles", show_lines=False)
        for column in ("article", "status", "facts verified", "tokens", "seconds"):
            table.add_column(column, justify="right" if column != "article" else "left")
        for o in outcomes:
            if o.result is None:
                table.add_row(o.source, "failed", "-", "-", f"{o.seconds:.1f}")
                continue
            usage = o.result.usage
            status = "cached" if o.result.cached else "ok"
            facts = f"{o.result.grounding.verified_facts}/{len(o.result.grounding.facts)}"
            table.add_row(
                o.source, status, facts, f"{usage.prompt_tokens + usage.completion_tokens:,}", f"{o.seconds:.1f}"
            )
        self.console.print(table)
