"""A small, editable price table: USD per million tokens (input, cached input, output).

Prices change; override or add models with a `[prices]` table in the config file,
e.g. `"my-model" = [0.5, 0.25, 1.5]`. Unknown models get token counts only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

PRICES: dict[str, tuple[float, float, float]] = {
    "gpt-4o-mini": (0.15, 0.075, 0.60),
    "gpt-4o": (2.50, 1.25, 10.00),
    "gpt-4.1": (2.00, 0.50, 8.00),
    "gpt-4.1-mini": (0.40, 0.10, 1.60),
    "gpt-4.1-nano": (0.10, 0.025, 0.40),
}


def cost(
    model: str,
    prompt_tokens: int,
    cached_tokens: int,
    completion_tokens: int,
    overrides: Mapping[str, Sequence[float]] | None = None,
) -> float | None:
    table = {**PRICES, **{k: tuple(v) for k, v in (overrides or {}).items()}}
    price = table.get(model) or next(
        (p for name, p in sorted(table.items(), key=lambda kv: -len(kv[0])) if model.startswith(name + "-")),
        None,
    )
    if price is None or len(price) != 3:
        return None
    fresh = max(prompt_tokens - cached_tokens, 0)
    usd = (fresh * price[0] + cached_tokens * price[1] + completion_tokens * price[2]) / 1_000_000
    return usd
