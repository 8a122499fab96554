"""A small, editable price table: USD per million tokens (input, cached input, output).

Standard-tier, short-context prices of OpenAI's chat models as its pricing page
(developers.openai.com/api/docs/pricing) listed them in November 2026, gathered on
2026-11-27 from public records of that page; verify before you bill anyone. GPT-5.x
and GPT-6.x cache input at a tenth of its price; models sold without a cached rate
are charged the input rate for cached tokens. Models OpenAI no longer lists keep their
last known price, and say so. Dated snapshots (`gpt-5.4-mini-2026-03-17`) cost what
their model does. Override or add models with a `[prices]` table in the config file,
e.g. `"my-model" = [0.5, 0.25, 1.5]`. A model that is in neither gets token counts,
never a made-up price.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

PRICES_CHECKED = "2026-11-27"
_DATED = re.compile(r"-(?:\d{4}-\d{2}-\d{2}|\d{4})$")


@dataclass(frozen=True)
class Price:
    input: float
    cached_input: float
    output: float
    listed: bool = True
    """False: no longer on OpenAI's pricing page; this is its last known price."""


PRICES: dict[str, Price] = {
    # GPT-6 (September-October 2026)
    "gpt-6-astra": Price(10.00, 1.00, 50.00),
    "gpt-6.1-sol": Price(2.00, 0.10, 10.00),
    "gpt-6.1-terra": Price(1.00, 0.05, 5.00),
    "gpt-6-sol": Price(2.00, 0.20, 10.00),
    "gpt-6-luna": Price(0.10, 0.01, 0.50),
    # GPT-5.6 (July 2026; Terra and Luna cut on 2026-07-30, Sol's promotion ended 2026-11-21)
    "gpt-5.6-sol": Price(5.00, 0.50, 30.00),
    "gpt-5.6-terra": Price(2.00, 0.20, 12.00),
    "gpt-5.6-luna": Price(0.20, 0.02, 1.20),
    # GPT-5.5 and GPT-5.4
    "gpt-5.5": Price(5.00, 0.50, 30.00),
    "gpt-5.5-pro": Price(30.00, 30.00, 180.00),
    "gpt-5.4": Price(2.50, 0.25, 15.00),
    "gpt-5.4-mini": Price(0.75, 0.075, 4.50),
    "gpt-5.4-nano": Price(0.20, 0.02, 1.25),
    "gpt-5.4-pro": Price(30.00, 30.00, 180.00),
    # Earlier models, no longer listed: their last known prices
    "gpt-5.2": Price(1.75, 0.175, 14.00, listed=False),
    "gpt-5.1": Price(1.25, 0.125, 10.00, listed=False),
    "gpt-5": Price(1.25, 0.125, 10.00, listed=False),
    "gpt-5-mini": Price(0.25, 0.025, 2.00, listed=False),
    "gpt-5-nano": Price(0.05, 0.005, 0.40, listed=False),
    "gpt-4.1": Price(2.00, 0.50, 8.00, listed=False),
    "gpt-4.1-mini": Price(0.40, 0.10, 1.60, listed=False),
    "gpt-4.1-nano": Price(0.10, 0.025, 0.40, listed=False),
    "gpt-4o": Price(2.50, 1.25, 10.00, listed=False),
    "gpt-4o-mini": Price(0.15, 0.075, 0.60, listed=False),
}


def price_of(model: str, overrides: Mapping[str, Sequence[float]] | None = None) -> Price | None:
    """The price of `model` (or of the model a dated snapshot of it belongs to); None
    when neither the table nor the overrides know it."""
    table = {**PRICES, **{k: Price(*v) for k, v in (overrides or {}).items() if len(v) == 3}}
    for name in (model, _DATED.sub("", model)):
        if name in table:
            return table[name]
    return None


def cost(
    model: str,
    prompt_tokens: int,
    cached_tokens: int,
    completion_tokens: int,
    overrides: Mapping[str, Sequence[float]] | None = None,
    *,
    listed: bool = True,
) -> float | None:
    """USD for the tokens; reasoning tokens are part of `completion_tokens`, billed as
    output. `listed=False` (a self-hosted server): only the user's own prices count,
    since a local "gpt-4o-mini" is not OpenAI's."""
    if listed:
        price = price_of(model, overrides)
    else:
        given = (overrides or {}).get(model)
        price = Price(*given) if given is not None and len(given) == 3 else None
    if price is None:
        return None
    fresh = max(prompt_tokens - cached_tokens, 0)
    return (fresh * price.input + cached_tokens * price.cached_input + completion_tokens * price.output) / 1_000_000
