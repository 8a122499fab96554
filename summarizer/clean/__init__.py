"""The cleaning stage: any source text in, one `Article` out.

It decides what kind of page it was given, hands it to the matching cleaner and
then judges the result, because a teaser or paywall stub should be briefed with
a warning rather than silently passed off as the whole story.
"""

from __future__ import annotations

import re

from ..errors import CleaningError
from ..models import Article, CleaningReport, InputKind
from .language import detect_language
from .text import TextCleaning, clean_text, looks_like_subscribe_wall

_HTML_TAG = re.compile(r"</?(?:html|head|body|article|div|p|span|a|br|h[1-6]|ul|li)\b[^>]*>", re.I)
_MARKDOWN = re.compile(r"^(?:#{1,6} \S|\s*[-*] \S|\[.+\]\(.+\))", re.M)
_TERMINAL = re.compile(r"[.!?…:\"'”’)\]]$")
SHORT_BODY_WORDS = 150


def detect_kind(text: str) -> InputKind:
    start = text.lstrip("\ufeff \t\r\n")[:100].lower()
    if start.startswith(("<!doctype html", "<html", "<?xml")):
        return "html"
    if len(_HTML_TAG.findall(text[:50000])) >= 5:
        return "html"
    if len(_MARKDOWN.findall(text[:5000])) >= 3:
        return "markdown"
    return "text"


def clean(text: str, *, source: str | None = None, kind: InputKind | None = None) -> Article:
    """Clean one page's text into an `Article`; raises `CleaningError` when no story is left."""
    kind = kind or detect_kind(text)
    if kind == "html":
        from .html import clean_html

        cleaned = clean_html(text)
    else:
        cleaned = clean_text(_strip_markdown(text) if kind == "markdown" else text)
    if not cleaned.paragraphs:
        name = source or "input"
        raise CleaningError(f"{name}: no article text found ({kind} page with no prose paragraphs)")
    return _article(cleaned, kind, source)


def _article(cleaned: TextCleaning, kind: InputKind, source: str | None) -> Article:
    paywalled = any(line.reason == "paywall prompt" for line in cleaned.removed)
    confidence, warnings = _judge(cleaned.paragraphs, paywalled)
    body = "\n".join(cleaned.paragraphs)
    return Article(
        title=cleaned.title,
        authors=cleaned.authors,
        publisher=cleaned.publisher or cleaned.site,
        site=cleaned.site,
        published=cleaned.published,
        language=detect_language(body),
        source=source,
        paragraphs=cleaned.paragraphs,
        report=CleaningReport(
            input_kind=kind,
            removed=cleaned.removed,
            extraction_confidence=confidence,
            warnings=warnings,
        ),
    )


def _judge(paragraphs: list[str], paywalled: bool) -> tuple[float, list[str]]:
    """How likely the body is the whole story, with a reason for each doubt."""
    words = sum(len(p.split()) for p in paragraphs)
    confidence, warnings = 1.0, []
    if words < SHORT_BODY_WORDS:
        confidence -= 0.4
        warnings.append(f"body is only {words} words: this may be a teaser, not the whole story")
    if not _TERMINAL.search(paragraphs[-1].rstrip()):
        confidence -= 0.3
        warnings.append("body ends mid-sentence: the page may be truncated or paywalled")
    if paywalled or looks_like_subscribe_wall(" ".join(paragraphs[-2:])):
        confidence -= 0.3
        warnings.append("body ends with a subscription prompt: the story may be paywalled")
    return round(max(confidence, 0.0), 2), warnings


def _strip_markdown(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^#{1,6}\s+", "", text, flags=re.M)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return re.sub(r"^\s*>\s?", "", text, flags=re.M)
