"""Cleaning a saved HTML page: trafilatura finds the story, we make sure nothing a
reader cannot see reaches it.

Hidden elements, scripts and zero-width characters are removed *before*
extraction: text a reader never sees is the easiest prompt-injection channel.
"""

from __future__ import annotations

import json
import re
from datetime import date

import lxml.html
import trafilatura
from lxml import etree

from ..models import RemovedLine
from .dates import find_date
from .text import TextCleaning, boilerplate_reason, clean_text, normalize_text

_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|em|rem|pt)?\s*(?:;|$)"
    r"|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)",
    re.I,
)
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "object", "embed")
# A story shorter than this, in words, makes us try the whole-page text classifier.
MIN_STORY_WORDS = 60
# Measured with benchmarks/cleaning.py on the 120-page evaluation set (see README).
FAVOR_RECALL = False


def clean_html(html: str) -> TextCleaning:
    tree, removed = _visible_tree(html)
    meta = _json_ld(tree)
    doc = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=FAVOR_RECALL,
    )
    text = normalize_text(doc.text) if doc is not None and doc.text else ""
    paragraphs = [" ".join(p.split()) for p in text.split("\n") if p.strip()]
    if sum(len(p.split()) for p in paragraphs) < MIN_STORY_WORDS:
        fallback = _fallback(tree, meta)
        if sum(len(p.split()) for p in fallback.paragraphs) > sum(len(p.split()) for p in paragraphs):
            fallback.removed = removed + fallback.removed
            return fallback
    paragraphs = _drop_boilerplate(paragraphs, removed)
    title = meta.get("headline") or (doc.title if doc is not None else None)
    if paragraphs and title and paragraphs[0].strip() == title.strip():
        removed.append(RemovedLine(text=paragraphs.pop(0), reason="title"))
    authors = meta.get("authors") or _split_authors(doc.author if doc is not None else None)
    return TextCleaning(
        paragraphs=paragraphs,
        removed=removed,
        title=title,
        authors=authors,
        publisher=meta.get("publisher") or (doc.sitename if doc is not None else None),
        site=doc.sitename if doc is not None else None,
        published=meta.get("published") or _date(doc.date if doc is not None else None),
    )


def _drop_boilerplate(paragraphs: list[str], removed: list[RemovedLine]) -> list[str]:
    kept = []
    for paragraph in paragraphs:
        reason = boilerplate_reason(paragraph)
        if reason:
            removed.append(RemovedLine(text=paragraph, reason=reason))
        else:
            kept.append(paragraph)
    return kept


def _visible_tree(html: str) -> tuple[etree._Element, list[RemovedLine]]:
    removed: list[RemovedLine] = []
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            _drop(element)
            continue
        if element.tag in _INVISIBLE_TAGS and not _is_json_ld(element):
            _drop(element)
            continue
        style = element.get("style") or ""
        if (
            element.get("hidden") is not None
            or element.get("aria-hidden", "").lower() == "true"
            or _HIDDEN_STYLE.search(style)
        ):
            text = " ".join(element.text_content().split())
            if text:
                removed.append(RemovedLine(text=text, reason="hidden text"))
            _drop(element)
    return tree, removed


def _drop(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _is_json_ld(element: etree._Element) -> bool:
    return element.tag == "script" and (element.get("type") or "").lower() == "application/ld+json"


def _json_ld(tree: etree._Element) -> dict:
    """headline, authors, published, publisher and articleBody from schema.org JSON-LD."""
    found: dict = {}
    for script in tree.iter("script"):
        if not _is_json_ld(script):
            continue
        try:
            data = json.loads(script.text or "")
        except json.JSONDecodeError:
            continue
        for item in _ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(isinstance(k, str) and ("Article" in k or k == "Report") for k in kinds):
                continue
            if isinstance(item.get("headline"), str):
                found.setdefault("headline", " ".join(item["headline"].split()))
            if isinstance(item.get("articleBody"), str):
                found.setdefault("body", normalize_text(item["articleBody"]))
            if item.get("datePublished"):
                found.setdefault("published", find_date(str(item["datePublished"])))
            names = _ld_names(item.get("author"))
            if names:
                found.setdefault("authors", names)
            publisher = _ld_names(item.get("publisher"))
            if publisher:
                found.setdefault("publisher", publisher[0])
        script.drop_tree()
    return found


def _ld_items(data: object) -> list[dict]:
    if isinstance(data, list):
        return [i for d in data for i in _ld_items(d)]
    if isinstance(data, dict):
        return [data, *_ld_items(data.get("@graph", []))]
    return []


def _ld_names(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for v in values:
        name = v.get("name") if isinstance(v, dict) else v
        if isinstance(name, str) and name.strip():
            names.append(" ".join(name.split()))
    return names


def _fallback(tree: etree._Element, meta: dict) -> TextCleaning:
    """When trafilatura finds too little: JSON-LD articleBody, else the whole visible
    page through the plain-text line classifier."""
    if meta.get("body"):
        paragraphs = [" ".join(p.split()) for p in meta["body"].split("\n") if p.strip()]
        return TextCleaning(
            paragraphs=paragraphs,
            removed=[],
            title=meta.get("headline"),
            authors=meta.get("authors", []),
            publisher=meta.get("publisher"),
            published=meta.get("published"),
        )
    for block in tree.iter("p", "div", "li", "h1", "h2", "h3", "br", "tr", "section", "article"):
        block.tail = "\n" + (block.tail or "")
    cleaned = clean_text(tree.text_content())
    cleaned.title = meta.get("headline") or cleaned.title
    cleaned.authors = meta.get("authors") or cleaned.authors
    return cleaned


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    return [name.strip() for name in re.split(r";|\s+and\s+|,\s*(?=[A-Z])", value) if name.strip()]


def _date(value: str | None) -> date | None:
    return find_date(value) if value else None
