"""Escaping text taken from an article (or written by a model about it) for the
format a template writes.

HTML has Jinja's autoescape. Markdown has nothing built in, yet newsletter builders
run briefs through a Markdown converter, which passes raw HTML through and turns
`[text](url)` into a link: a `<script>` in a page's title would run. So every value a
Markdown template prints is escaped here, the way autoescape does it for HTML: HTML
special characters become entities (every converter passes those through as text),
Markdown's inline syntax is backslash-escaped, and a value is kept on one line so it
cannot start a heading, a list or a quote of its own. `MarkdownSafe` marks what a
filter or a rendered card has already escaped.
"""

from __future__ import annotations

import re

from .words import strip_controls

# Characters with inline meaning, backslash-escaped anywhere in a value (every
# converter, CommonMark or Python-Markdown, honours these escapes).
_INLINE = re.compile(r"([\\`*_\[\]])")
# GFM's table and strikethrough marks: Python-Markdown has no escape for them, an
# entity reads the same everywhere.
_ENTITIES = str.maketrans({"<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;"})
# What opens a block when it starts a line: "# Title", "- item", "+ item", "1. item".
_LINE_START = re.compile(r"^(#|[-+]|\d{1,9}(?=[.)]))")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


class MarkdownSafe(str):
    """Text already escaped for Markdown: printed as it is."""


def escape_markdown(value: object) -> MarkdownSafe:
    if isinstance(value, MarkdownSafe):
        return value
    text = " ".join(strip_controls(str(value)).split())
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = _INLINE.sub(r"\\\1", text.translate(_ENTITIES))
    match = _LINE_START.match(text)
    if match:
        end = match.end()
        text = text[:end] + "\\" + text[end:] if match.group().isdigit() else "\\" + text
    elif text.startswith("="):  # a line of "=" would underline the line above as a heading
        text = "&#61;" + text[1:]
    return MarkdownSafe(text)


def markdown_blockquote(value: object, indent: int = 0) -> MarkdownSafe:
    """A quote as a Markdown block quote, one `>` line per paragraph, each escaped;
    `indent` spaces before each line place it inside a list item."""
    pad = " " * indent
    paragraphs = [p for p in re.split(r"\n\s*\n", str(value)) if p.strip()]
    lines = [f"{pad}> {escape_markdown(p)}" for p in paragraphs]
    return MarkdownSafe(f"\n{pad}>\n".join(lines))
