"""The cleaning stage: any source text in, one `Article` out.

It decides what kind of page it was given, hands it to the matching cleaner and
then judges the result, because a teaser or paywall stub should be briefed with
a warning rather than silently passed off as the whole story, and a page with no
running text at all (a home page, a menu) is not an article.
"""

from __future__ import annotations

import re

from ..errors import CleaningError, ConfigError
from ..models import Article, CleaningReport, InputKind
from ..words import count_words, is_prose, strip_controls
from .language import detect_language
from .text import TextCleaning, clean_text, looks_like_subscribe_wall

_HTML_TAG = re.compile(r"</?(?:html|head|body|article|div|p|span|a|br|h[1-6]|ul|li)\b[^>]*>", re.I)
# Markdown's marks: headings, list items and fences at a line's start; links, images
# and strong emphasis anywhere.
_MARKDOWN = re.compile(
    r"^(?:#{1,6} \S|\s*[-*+] \S|```|~~~|---\s*$)|!?\[[^\]\n]+\]\([^)\s]+[^)]*\)|\*\*\S[^*\n]*\*\*", re.M
)
_TERMINAL = re.compile(r"[.!?…:\"'”’)\]。！？]$")
_SUFFIXES: dict[str, InputKind] = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
SHORT_BODY_WORDS = 150


def detect_kind(text: str, source: str | None = None) -> InputKind:
    """HTML by its markup, Markdown by its markers; a `.md` or `.html` name decides."""
    suffix = re.search(r"\.[A-Za-z]+$", (source or "").split("?")[0])
    if suffix and suffix.group().lower() in _SUFFIXES:
        named = _SUFFIXES[suffix.group().lower()]
        if named == "markdown" or _HTML_TAG.search(text[:50000]):
            return named
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
    text = strip_controls(text)
    kind = kind or detect_kind(text, source)
    name = source or "input"
    try:
        cleaned = _clean(text, kind, source)
    except (CleaningError, ConfigError, SyntaxError):  # broken code is not a broken page
        raise
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken pages
        raise CleaningError(f"{name}: cannot read this {kind} page ({type(exc).__name__}: {exc})") from None
    if not any(map(is_prose, cleaned.paragraphs)):
        raise CleaningError(f"{name}: no article text found ({kind} page with no prose paragraphs)")
    return _article(cleaned, kind, source)


def _clean(text: str, kind: InputKind, source: str | None) -> TextCleaning:
    if kind == "html":
        try:
            from .html import clean_html
        except ImportError as exc:  # an install that lacks what HTML cleaning imports
            raise ConfigError(
                f"cleaning HTML needs a package this install lacks ({exc}); "
                "pip install 'lxml_html_clean>=0.4' (or reinstall summarizer with a current pip)"
            ) from None

        url = source if source and source.startswith(("http://", "https://")) else None
        return clean_html(text, url=url)
    if kind == "markdown":
        from .markdown import read_markdown

        page = read_markdown(text)
        cleaned = clean_text(page.text, title=page.title, linked=page.linked)
        cleaned.authors = page.authors or cleaned.authors
        cleaned.published = page.published or cleaned.published
        cleaned.publisher = page.publisher or cleaned.publisher
        return cleaned
    return clean_text(text)


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
            kept=cleaned.kept,
            extraction_confidence=confidence,
            warnings=warnings,
        ),
    )


def _judge(paragraphs: list[str], paywalled: bool) -> tuple[float, list[str]]:
    """How likely the body is the whole story, with a reason for each doubt."""
    words = sum(count_words(p) for p in paragraphs)
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
