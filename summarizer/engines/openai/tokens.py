"""A fast, offline token estimate and paragraph-boundary chunking for long articles.

No tokenizer download is possible here, and the budget only needs to be roughly
right: about four characters per token for English prose, with a floor from the
word count for text of short words.
"""

from __future__ import annotations

import math

from ...clean.sentences import split_sentences


def estimate_tokens(text: str) -> int:
    return max(math.ceil(len(text) / 4), math.ceil(len(text.split()) * 1.3))


def chunk_paragraphs(paragraphs: list[str], budget: int) -> list[list[str]]:
    """Group paragraphs, in order, into chunks of at most `budget` estimated tokens;
    a single paragraph over budget is split between sentences."""
    pieces: list[str] = []
    for paragraph in paragraphs:
        if estimate_tokens(paragraph) <= budget:
            pieces.append(paragraph)
        else:
            pieces.extend(_split_long(paragraph, budget))
    chunks: list[list[str]] = []
    size = 0
    for piece in pieces:
        tokens = estimate_tokens(piece)
        if chunks and size + tokens <= budget:
            chunks[-1].append(piece)
            size += tokens
        else:
            chunks.append([piece])
            size = tokens
    return chunks


def _split_long(paragraph: str, budget: int) -> list[str]:
    parts: list[str] = []
    for sentence in split_sentences(paragraph):
        if parts and estimate_tokens(parts[-1] + " " + sentence.text) <= budget:
            parts[-1] += " " + sentence.text
        else:
            parts.append(sentence.text)
    return parts
