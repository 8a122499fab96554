"""Reading a Markdown page: its front matter and first heading are metadata, and its
markup (emphasis, links, images, code, HTML comments and tags) is not story text.

What is left is plain text with one block per line, which the text-dump cleaner then
judges like any other page (a Markdown export of a web page still has its menus).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..words import is_prose
from .dates import find_date

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_YAML_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")
_YAML_ITEM = re.compile(r"^\s+-\s+(?P<value>.+)$")
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>```+|~~~+).*?^(?P=indent)(?P=fence)[ \t]*$", re.M | re.S)
_HEADING = re.compile(r"^ {0,3}(?P<level>#{1,6})\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^(?P<text>[^\n]+)\n=+[ \t]*$", re.M)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+.*$", re.M)
_RULE = re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$", re.M)
# Each with the character it needs: most lines have none, and are left as they are.
_INLINE = [
    (re.compile(r"<!--.*?-->", re.S), "", frozenset("<")),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]"), "", frozenset("!")),  # images
    (re.compile(r"\[([^\]]+)\]\((?:[^()]++|\([^)]*\))*+\)"), r"\1", frozenset("[")),  # [text](url "title")
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1", frozenset("[")),  # [text][ref]
    (re.compile(r"<(https?://[^>]+)>"), r"\1", frozenset("<")),  # autolinks
    (re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"), "", frozenset("<")),  # raw HTML tags
    (re.compile(r"`([^`]+)`"), r"\1", frozenset("`")),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2", frozenset("*_")),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1", frozenset("*")),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1", frozenset("_")),
    (re.compile(r"~~(.+?)~~"), r"\1", frozenset("~")),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])"), r"\1", frozenset("\\")),  # backslash escapes
]
_LINK_OR_IMAGE = re.compile(r"!?\[(?:[^\[\]]++|\[[^\]]*\])*+\]\((?:[^()]++|\([^)]*\))*+\)")
_MARKS = "<![`*_~\\"
_BLOCK_PREFIX = re.compile(r"^ {0,3}(?:>\s?)+|^ {0,3}(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass
class MarkdownPage:
    """The text to clean, and what the Markdown itself says about the article."""

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    publisher: str | None = None
    linked: frozenset[str] = frozenset()
    """Lines whose text is all link text: a menu entry or a teaser card, never a line of the story."""


def read_markdown(source: str) -> MarkdownPage:
    meta, source = _front_matter(source)
    if "```" in source or "~~~" in source:  # each pattern only where its marks are
        source = _FENCE.sub("", source)
    if "]:" in source:
        source = _REFERENCE.sub("", source)
    if "\n=" in source:
        source = _SETEXT.sub(lambda m: "# " + m.group("text"), source)
    title = _text(meta.get("title")) or None
    lines: list[str] = []
    linked: set[str] = set()
    raws = source.split("\n")
    table = _table_lines(raws)
    for number, raw in enumerate(raws):
        mark = raw.lstrip()[:1]  # most lines start with none of Markdown's marks: skip their patterns
        if not mark:
            lines.append("")
            continue
        if mark in "-*_|:" and (_RULE.match(raw) or _TABLE_RULE.match(raw)):
            continue
        if number in table:  # cells apart by tabs, as a browser copies a table
            lines.append("\t".join(_inline(cell) for cell in raw.strip().strip("|").split("|")))
            continue
        heading = _HEADING.match(raw) if mark == "#" else None
        if heading:
            text = _inline(heading.group("text"))
            if title is None and heading.group("level") == "#" and not any(map(is_prose, lines)):
                title = text  # the page's first top-level heading, when no story text precedes it
            lines.append(text)
            continue
        bare = _BLOCK_PREFIX.sub("", raw) if mark in "-*+>0123456789" else raw
        line = _inline(bare)
        if line and "](" in bare and _all_link(bare):
            linked.add(" ".join(line.split()))  # as the text cleaner will see it
        lines.append(line)
    authors = meta.get("author") or meta.get("authors") or []
    return MarkdownPage(
        text="\n".join(lines),
        title=title,
        authors=[_text(a) for a in (authors if isinstance(authors, list) else [authors]) if _text(a)],
        published=find_date(_text(meta.get("date") or meta.get("published") or meta.get("pubDate") or "") or ""),
        publisher=_text(meta.get("publisher") or meta.get("site") or "") or None,
        linked=frozenset(linked),
    )


def _table_lines(raws: list[str]) -> set[int]:
    """A table's header (the line above its `---|---` rule) and its rows (the lines
    with cells below it)."""
    found: set[int] = set()
    for number, raw in enumerate(raws):
        if "|" not in raw or not _TABLE_RULE.match(raw) or number == 0:
            continue
        found.add(number - 1)
        below = number + 1
        while below < len(raws) and "|" in raws[below]:
            found.add(below)
            below += 1
    return found


def _all_link(text: str) -> bool:
    """Whether nothing but links (and images) is left once the links are taken out."""
    rest = _LINK_OR_IMAGE.sub(" ", text)
    return not re.search(r"\w", rest)


def _inline(text: str) -> str:
    present = {mark for mark in _MARKS if mark in text}
    if not present:
        return text.strip()
    for pattern, replacement, needs in _INLINE:
        if needs & present:  # a pattern only removes marks: what was absent stays absent
            text = pattern.sub(replacement, text)
    return text.strip()


def _text(value: object) -> str:
    return _inline(str(value)) if isinstance(value, str) else ""


def _front_matter(source: str) -> tuple[dict[str, str | list[str]], str]:
    """`key: value` lines and `- item` lists of YAML front matter: what articles carry
    (title, author, date), without a YAML library."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, source
    meta: dict[str, str | list[str]] = {}
    key = None
    for line in match.group("yaml").split("\n"):
        item = _YAML_ITEM.match(line)
        if item and key is not None:
            current = meta.get(key)
            meta[key] = [*(current if isinstance(current, list) else []), _unquote(item.group("value"))]
            continue
        pair = _YAML_LINE.match(line)
        if pair:
            key = pair.group("key").lower()
            value = pair.group("value").strip()
            if value.startswith("[") and value.endswith("]"):
                meta[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
            else:
                meta[key] = _unquote(value)
    return meta, source[match.end() :]


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value
