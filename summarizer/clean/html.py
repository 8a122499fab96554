"""Cleaning a saved HTML page: trafilatura finds the story, we make sure nothing a
reader cannot see reaches it.

Hidden elements, scripts and zero-width characters are removed *before*
extraction: text a reader never sees is the easiest prompt-injection channel.
Hidden means what a browser would not show: `display:none` and friends, text the
colour of its background, text moved off-screen or clipped to nothing, and the same
rules written as simple class selectors in the page's own `<style>`. Content behind
tabs and accordions is the exception: a reader reveals it with a click, so a panel
that a control on the page opens, or a block holding most of the page's text, stays.
"""

from __future__ import annotations

import json
import re
from datetime import date

import lxml.html
import trafilatura
from lxml import etree

from ..models import RemovedLine
from ..words import count_words
from .dates import find_date
from .hidden import Visibility
from .text import TextCleaning, boilerplate_reason, byline_names, clean_text, normalize_text

_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "object", "embed")
# Browsers with scripting on read <noscript> as raw text up to its end tag; lxml parses
# it as markup, and one unclosed <div> inside it would swallow the rest of the page.
_NOSCRIPT = re.compile(r"<noscript\b[^>]*>.*?(?:</noscript\s*>|$)", re.I | re.S)
# A story shorter than this, in words, makes us try the whole-page text classifier.
MIN_STORY_WORDS = 60
# Measured with benchmarks/cleaning.py on the 120-page evaluation set (see README).
FAVOR_RECALL = False
# Dates from the page's metadata and markup only: a bare year in a "© 2026" footer or
# "closed since 2023" in the story is not a publication date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def clean_html(html: str, *, url: str | None = None) -> TextCleaning:
    tree, removed, kept = _visible_tree(html)
    meta = _json_ld(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=FAVOR_RECALL,
        date_extraction_params={**_DATE_PARAMS, "url": url},
    )
    text = normalize_text(doc.text) if doc is not None and doc.text else ""
    paragraphs = [" ".join(p.split()) for p in text.split("\n") if p.strip()]
    if _words(paragraphs) < MIN_STORY_WORDS:
        fallback = _fallback(tree, meta)
        if _words(fallback.paragraphs) > _words(paragraphs):
            fallback.removed = removed + fallback.removed
            fallback.kept = kept
            return fallback
    paragraphs = _drop_boilerplate(paragraphs, removed)
    title = meta.get("headline") or (doc.title if doc is not None else None)
    if paragraphs and title and paragraphs[0].strip() == title.strip():
        removed.append(RemovedLine(text=paragraphs.pop(0), reason="title"))
    authors = meta.get("authors") or _split_authors(doc.author if doc is not None else None)
    byline_authors, byline_date = _leading_byline(paragraphs, removed)
    return TextCleaning(
        paragraphs=paragraphs,
        removed=removed,
        kept=kept,
        title=title,
        authors=authors or byline_authors,
        publisher=meta.get("publisher") or (doc.sitename if doc is not None else None),
        site=doc.sitename if doc is not None else None,
        published=meta.get("published") or _date(doc.date if doc is not None else None) or byline_date,
    )


def _words(paragraphs: list[str]) -> int:
    return sum(count_words(p) for p in paragraphs)


def _drop_boilerplate(paragraphs: list[str], removed: list[RemovedLine]) -> list[str]:
    kept = []
    for paragraph in paragraphs:
        reason = boilerplate_reason(paragraph)
        if reason:
            removed.append(RemovedLine(text=paragraph, reason=reason))
        else:
            kept.append(paragraph)
    return kept


def _leading_byline(paragraphs: list[str], removed: list[RemovedLine]) -> tuple[list[str], date | None]:
    """A "By Jo Bell, March 12, 2026" line at the top of the story is metadata."""
    for index, paragraph in enumerate(paragraphs[:3]):
        found = byline_names(paragraph)
        if found is not None:
            removed.append(RemovedLine(text=paragraphs.pop(index), reason="byline"))
            return found, find_date(paragraph)
    return [], None


def _visible_tree(html: str) -> tuple[etree._Element, list[RemovedLine], list[RemovedLine]]:
    """The page as a reader sees it, what was removed as hidden, and what looked
    hidden but was kept (tab and accordion panels, the bulk of the page)."""
    removed: list[RemovedLine] = []
    kept: list[RemovedLine] = []
    html = _NOSCRIPT.sub(" ", html)
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    visibility = Visibility(tree)  # reads the page's <style> rules before they go
    for element in list(tree.iter()):
        comment = not isinstance(element.tag, str)  # comments, processing instructions
        if comment or (element.tag in _INVISIBLE_TAGS and not _is_json_ld(element)):
            _drop(element)
    visibility.page_words = count_words(tree.text_content())
    dropped: set[etree._Element] = set()
    for element in list(tree.iter()):
        if any(a in dropped for a in element.iterancestors()):
            continue
        why = visibility.hidden(element)
        if why is None:
            continue
        text = " ".join(element.text_content().split())
        keep = visibility.revealable(element, why, count_words(text))
        if keep:
            kept.append(RemovedLine(text=text, reason=keep))
            _reveal(element)
            continue
        if text:
            removed.append(RemovedLine(text=text, reason="hidden text"))
        dropped.add(element)
        _drop(element)
    return tree, removed, kept


def _reveal(element: etree._Element) -> None:
    """Show a panel we keep as the reader would after a click; trafilatura discards
    `aria-hidden` and hidden-looking styles on its own."""
    for attribute in ("hidden", "aria-hidden", "style"):
        element.attrib.pop(attribute, None)


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
    page through the plain-text line classifier (which never takes a copyright or
    licence footer for the story)."""
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
    for block in tree.iter("p", "div", "li", "h1", "h2", "h3", "br", "tr", "section", "article", "footer"):
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
