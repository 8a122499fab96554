"""Cleaning a page that was scraped to plain text.

A line classifier, not a list of one site's strings: each line gets features
(length, sentence punctuation, repetition, widget vocabulary, date-only, byline,
syndication footer) and the story is the densest run of prose lines, found as a
maximum-sum segment over per-line scores. Everything outside it, and widget lines
inside it, is removed with a reason; titles, dates and bylines become metadata.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..models import RemovedLine
from ..words import count_words, strip_controls
from .dates import DATE_PATTERN, find_date, parse_date_line
from .line_model import judged_lines, story_likeness
from .line_weights import THRESHOLD

_TERMINAL = re.compile(r"[.!?…:;。！？][\"'”’)\]」』]*$")
# Page furniture on a line of its own; headings of story lists are `_LIST_HEADING`'s.
_WIDGET = re.compile(
    r"""^(?:
        read\ more|continue\ reading|read\ the\ full\ (?:story|article)|keep\ reading|
        see\ more|show\ more|load\ more|latest(?:\ news)?|
        advertisement|sponsored(?:\ content)?|story\ continues\ below(?:\ advertisement)?|ad|
        share|share\ this(?:\ (?:article|story|post))?|share\ on\ \w+|tweet|email|print|copy\ link|
        facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|telegram|
        subscribe|subscribe\ now|sign\ up|sign\ in|log\ ?in|log\ ?out|register|my\ account|
        newsletter|get\ the\ newsletter|follow\ us|menu|search|home|skip\ to\ (?:main\ )?content|
        no\ results?(?:\ found)?|view\ all\ results?|close|open|back\ to\ top|toggle\ navigation|
        comments?|\d+\ comments?|leave\ a\ (?:comment|reply)|listen(?:\ to\ this\ article)?|
        \d+\ min(?:ute)?s?\ read|loading\.*|photo|video|watch|audio|gallery|image|
        accept(?:\ all)?(?:\ cookies)?|privacy\ policy|terms\ of\ (?:use|service)|cookie\ settings|
        about\ us|contact(?:\ us)?|careers|advertise(?:\ with\ us)?|site\ map|sitemap
    )\W*$""",
    re.I | re.X,
)
# A heading that introduces a list of other stories ("Most read"): the story's run is cut there.
_LIST_HEADING = re.compile(
    r"""^(?:
        related(?:\ (?:stories|articles|posts|news|coverage|content))?|
        more\ (?:stories|news|from\ .{1,40}|on\ this\ (?:story|topic))|
        most\ (?:read|popular|viewed|shared|commented)(?:\ \S+){0,3}|
        recommended(?:\ for\ you)?|you\ (?:may|might)\ (?:also\ )?like|
        (?:also\ )?read\ (?:also|next)|up\ next|don'?t\ miss|top\ stories|trending(?:\ now)?|editor'?s\ picks?|
        lesen\ sie\ auch|mehr\ zum\ thema|meist(?:gelesen|gesehen)|das\ könnte\ sie\ (?:auch\ )?interessieren|
        (?:à\ )?lire\ aussi|les\ plus\ (?:lus|populaires|partagés)|sur\ le\ même\ sujet|
        (?:te\ puede\ interesar|lee\ también|leer\ más|lo\ más\ (?:leído|visto|popular)|noticias\ relacionadas)|
        (?:leia\ também|você\ pode\ gostar|mais\ (?:lidas|populares|vistas))|
        (?:читайте\ также|самое\ (?:читаемое|популярное)|самые\ популярные(?:\ \S+)?|по\ теме|другие\ новости)
    )\W*$""",
    re.I | re.X,
)
_WIDGET_PREFIX = re.compile(
    r"^(?:related|read\ more|more|also\ read|read\ also|see\ also|recommended|watch|"
    r"listen|sponsored|advertisement|subscribe|sign\ up|follow\ us|share)\s*[:|»›>→-]",
    re.I | re.X,
)
_NEWSLETTER_CUES = ("newsletter", "inbox", "briefing", "alert")  # words every match has
_NEWSLETTER = re.compile(
    r"\b(?:sign up|subscribe|get)\b.*\b(?:newsletter|inbox|briefing|alerts?)\b"
    r"|\b(?:newsletter|inbox)\b.*\b(?:sign up|subscribe|every (?:week)?day)\b",
    re.I,
)
_COMMENTS = re.compile(
    r"^\W*(?:\d+\s+)?(?:top rated |reader |all )?(?:comments?|responses?|replies)\b(?:\s+(?:to|feed|for)\b.*)?\W*$"
    r"|^\W*(?:\d+\s+)?(?:kommentare?|commentaires?|comentarios?|комментари\w*)\W*$"
    r"|^(?:leave a (?:comment|reply)|comments are closed|join the (?:discussion|conversation)|"
    r"(?:show|view|load) (?:all )?comments|add a comment|post a comment)\b"
    r"|^\S+(?:\s+\S+){0,3}\s+(?:on\s+.{4,40}\s+)?(?:says|said|wrote|replied):$"
    # "10 thoughts on “The title”", "3 Kommentare zu „…“": a count of replies to the story
    r"|^\d+\s+\w+(?:\s+\w+)?\s+(?:on|to|for|zu|sur|en|a|para|на)\s+[“\"«„‘'‚]",
    re.I,
)
# A photo's caption or credit: "(Image: GETTY)", "Foto: dpa", "… (AP Photo/Jane Doe)";
# the credit closes the line, so only its tail is searched.
_CAPTION_START = re.compile(
    r"(?:image|photo|picture|credit|foto|bild|imagen|crédit|crédito|photograph)s?\s*(?:credit)?\s*[:：©]", re.I
)
_CAPTION_END = re.compile(
    r"\((?:image|photo|picture|pictured|credit|source|foto|bild|imagen|crédit|getty|reuters|ap|afp)s?\b[^)]{0,60}\)\s*$"
    r"|\b(?:getty images|shutterstock|istock|afp|reuters|ap photo|associated press|dpa|epa)\b\s*\)?\s*$",
    re.I,
)
# "2 days ago at 07:52 am", "vor 3 Stunden", "il y a 2 heures", "hace 5 minutos": when a reply
# or a feed item was posted, never a line of the story.
_AGO = re.compile(
    r"^\W*(?:(?:\d+|an?|one)\s+(?:sec(?:ond)?|min(?:ute)?|h(?:ou)?r|day|week|month|year)s?\s+ago\b"
    r"|vor\s+\d+\s+(?:sekunden|minuten|stunden|tagen|wochen|monaten|jahren)\b"
    r"|il\s+y\s+a\s+\d+\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)\b"
    r"|hace\s+\d+\s+(?:segundos?|minutos?|horas?|días?|semanas?|meses|años?)\b"
    r"|\d+\s+(?:секунд|минут|час|дн|недел|месяц|год|лет)\w*\s+назад\b)",
    re.I,
)
# A cookie banner: the word with what a site does with it, in any of the languages that borrowed it.
_COOKIES = re.compile(
    r"\bcookies?\b.*\b(?:websites?|site|browser|consent|accept|privacy|experience|navigat\w*)\b"
    r"|\b(?:websites?|site|we use|uses|utiliza|utilise|verwendet|nutzt)\b.*\bcookies?\b",
    re.I,
)
_SHARE_CUES = ("new window", "permalink", "click to")
_SHARE_LINE = re.compile(r"\bopens in (?:a )?new window\b|\bpermalink\b|^click to (?:share|email|print)\b", re.I)
_PAYWALL = re.compile(
    r"^(?:subscribe|sign in|sign up|log in|register|become a (?:member|subscriber))\b.{0,60}"
    r"\b(?:continue|keep) reading\b|\balready a (?:subscriber|member)\b|"
    r"^this (?:article|story|content) is (?:for|available to|only available to) (?:subscribers|members)",
    re.I,
)
# A call to act, not the words alone: "if too few sign up" is story text.
_SUBSCRIBE = re.compile(
    r"\b(?:subscribe (?:now|today|to (?:continue|read|keep|get|our|the|unlock))|subscription (?:required|to continue)"
    r"|subscribers? only|(?:sign up|register) (?:now|today|for (?:free|our|the)|to (?:continue|read|keep|get|our))"
    r"|newsletter|log in to (?:continue|read)|create (?:a free|an) account)\b",
    re.I,
)
# Three or more short items joined by separators: "Home | News | Sport", "Home › World".
_MENU_ITEM = r"[^\s|·•›»/]+(?: [^\s|·•›»/]+){0,2}"
_MENU = re.compile(rf"^{_MENU_ITEM}(?: [|·•›»/] {_MENU_ITEM}){{2,}}$")
_SYNDICATION = re.compile(r"^the post (?P<title>.+?) appeared first on (?P<publisher>.+?)\.?$", re.I)
_ORIGINALLY = re.compile(
    r"^(?:this|the) (?:article|story|post) (?:was )?(?:originally |first )?"
    r"(?:appeared|published|ran) (?:in|on|at|by) (?P<publisher>[^.]+)\.?",
    re.I,
)
# A footer that starts with the copyright sign or word, or reserves rights or names a
# licence; "the copyright lawsuit was dismissed" is story text.
_COPYRIGHT_CUES = ("©", "(c)", "copyright", "rights reserved", "licen", "creative commons")
_COPYRIGHT = re.compile(
    r"^\W*(?:©|\(c\)|copyright\b)|\ball rights reserved\b|\blicen[cs]ed under\b|\bcreative commons\b", re.I
)
# "By Ada Merrow, Staff Reporter": a job title, not a second author.
_ROLE = re.compile(
    r"(?:[A-Za-z]+\s+){0,3}(?:reporter|writer|correspondent|editor|columnist|contributor|journalist)s?", re.I
)
_BYLINE = re.compile(
    r"^(?:by|written by|words by|story by|posted by|published by)[:\s]+(?P<names>.+?)"
    r"(?:\s+(?:on|at|[|/／-])\s+.*\d.*)?\s*$",
    re.I,
)
_CONTRIBUTOR = re.compile(
    r"^(?i:\((?:additional |writing and )?(?:reporting|writing|editing|compiled) by [^)]*\))\.?$|"
    r"^(?P<names>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}"
    r"(?:(?:,\s*|\s+and\s+)[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})*)\s+"
    r"contributed (?:reporting|to this (?:report|article|story))",
)
_BIO = re.compile(
    r"^(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}) is an? [^.]{0,80}?"
    r"\b(?:reporter|correspondent|writer|editor|journalist|columnist|contributor|producer)\b",
)
_TRAILING_DATE = re.compile(r"\s*[,|·-]?\s*(?:updated|published|posted)?:?\s*" + DATE_PATTERN + r".*$", re.I)
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)\]」』]*$")
_TEASER_END = re.compile(r"(?:\.\.\.|…)\s*$")
# Between a table's cells: a tab (a browser's innerText, a Markdown table as read) or a
# wide gap (a layout-aware dump pads its columns).
_CELL_GAP = re.compile(r"\s*\t\s*| {2,}")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u202a-\u202e]")


_NOT_STORY = {
    "paywall prompt",
    "syndication footer",
    "copyright",
    "widget",
    "newsletter prompt",
    "comments",
    "contributor line",
    "cookie notice",
    "related heading",
}
# Lines that close a story: nothing after them is the story's text.
_STORY_END = {"syndication footer", "contributor line", "author bio"}


@dataclass
class TextCleaning:
    """The outcome of cleaning one text page, before it becomes an `Article`."""

    paragraphs: list[str]
    removed: list[RemovedLine]
    title: str | None = None
    kept: list[RemovedLine] = field(default_factory=list)
    """Text that looked removable (hidden) but was kept, with why."""
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    site: str | None = None
    published: date | None = None


@dataclass
class _Line:
    text: str
    words: int
    prose: bool
    reason: str | None = None
    """Why this line can never be story text, when it is obvious from the line alone."""
    item: bool = False
    """A row of a table (three or more cells, in a run of three or more such lines), or
    an item of a list that a line of the story introduces with a colon."""


def normalize_text(text: str) -> str:
    """Remove characters that are invisible to a reader but not to a model."""
    return _visible(text).replace("\t", " ")


def _visible(text: str) -> str:
    return _ZERO_WIDTH.sub("", strip_controls(text)).replace("\u00a0", " ")


def clean_text(text: str, *, title: str | None = None, linked: frozenset[str] = frozenset()) -> TextCleaning:
    """`title`: the title when the page says it elsewhere (a Markdown heading, front matter);
    `linked`: lines that were nothing but links there."""
    lines, start, end = story_lines(text, linked)
    if not lines:
        return TextCleaning(paragraphs=[], removed=[])
    likeness = story_likeness(lines, start, end, judged_lines(lines, start, end))
    syndication = _syndication(lines)
    result = TextCleaning(paragraphs=[], removed=[])
    if syndication:
        result.title, result.publisher = syndication
    result.site = _site_name(lines, start)
    result.title = _title(lines[:start], title or result.title)
    result.authors = _authors(lines[:end], lines[end : end + 6])

    for index, line in enumerate(lines):
        inside = start <= index < end
        reason = line.reason
        if index < start and line.text == result.title:
            reason = "title"
        elif reason is None and not inside:
            if index < start:
                reason = "navigation"
            else:
                reason = "related" if line.words < 40 or not line.prose else "after story"
        elif reason is None and likeness.get(index, 1.0) < THRESHOLD:
            reason = "unlike the story's lines"
        if reason == "date" and result.published is None and index < end:
            result.published = parse_date_line(line.text)
        elif reason == "byline" and result.published is None and index < end:
            result.published = find_date(line.text)  # "By Ada Merrow, March 12, 2026"
        if reason is None:
            result.paragraphs.append(line.text)
        else:
            result.removed.append(RemovedLine(text=line.text, reason=reason))
    return result


def story_lines(text: str, linked: frozenset[str] = frozenset()) -> tuple[list[_Line], int, int]:
    """The page's lines, each with its obvious reason, and the story's span [start, end)."""
    texts, rows = _join_wrapped(_visible(text))
    lines = _classify(texts, linked)
    for index in rows | _introduced(lines):
        lines[index].item = True
    if not lines:
        return lines, 0, 0
    start, end = _story_span(lines)
    return lines, *_main_part(lines, start, end)


def _main_part(
    lines: list[_Line], start: int, end: int, gap: int = 5, share: float = 0.1, listed_share: float = 0.3
) -> tuple[int, int]:
    """The span cut at runs of `gap` or more lines without prose (a menu, a teaser
    list, a share bar: a story's subheadings and lists come a few at a time) and at
    headings like "Most read", keeping the part with the most prose and the parts next
    to it that carry at least `share` of its prose (`listed_share` across such a
    heading: a story may carry a "Related" box, a teaser after the list is shorter)."""
    parts: list[tuple[int, int, int, bool]] = []  # (first line, end, prose words, after a list heading)
    first, words, run, began, listed, opened = start, 0, 0, None, False, False
    for index in range(start, end):
        line = lines[index]
        if not line.prose:
            began = index if began is None else began
            if not line.item:
                run += 1
            listed = listed or line.reason == "related heading"
            continue
        if (run >= gap or listed) and words and began is not None:
            parts.append((first, began, words, opened))
            first, words, opened = began, 0, listed
        run, began, listed = 0, None, False
        words += line.words if line.reason is None else 0
    parts.append((first, end, words, opened))
    main = max(range(len(parts)), key=lambda k: parts[k][2])

    def joins(part: int, boundary: int) -> bool:
        return parts[part][2] >= (listed_share if parts[boundary][3] else share) * parts[main][2]

    low = high = main
    while low > 0 and joins(low - 1, low):
        low -= 1
    while high < len(parts) - 1 and joins(high + 1, high + 1):
        high += 1
    return parts[low][0], parts[high][1]


def _join_wrapped(text: str) -> tuple[list[str], set[int]]:
    """Rejoin paragraphs that a scraper hard-wrapped at a fixed width; and which of
    the lines are a table's rows, seen by their cells before their spacing is lost."""
    out: list[str] = []
    celled: list[bool] = []
    previous_blank = True
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            previous_blank = True
            continue
        if out and not previous_blank and len(out[-1]) >= 40 and not _TERMINAL.search(out[-1]) and line[0].islower():
            out[-1] += " " + line
        else:
            out.append(line)
            celled.append(_is_row(raw))
        previous_blank = False
    return out, _runs(celled, 3)


def _introduced(lines: list[_Line]) -> set[int]:
    """The lines without prose right under a line of the story that ends with a colon
    ("The council listed what the money will pay for:"), up to the next prose or the
    next line with a reason: the items of a list the story introduces."""
    found: set[int] = set()
    under = False
    for index, line in enumerate(lines):
        if line.prose:
            under = False
        elif under and line.reason is None:
            found.add(index)
        else:
            under = line.reason is None and line.text.endswith(":")
    return found


def _is_row(raw: str, cells: int = 3, words: int = 8) -> bool:
    raw = raw.strip()
    if "\t" not in raw and "  " not in raw:  # most lines: no gap, no cells
        return False
    parts = _CELL_GAP.split(raw)
    return len(parts) >= cells and all(len(part.split()) <= words for part in parts)


def _runs(flags: list[bool], length: int) -> set[int]:
    """The indices of `flags` that are True in runs of at least `length`."""
    found: set[int] = set()
    start = 0
    for index, flag in enumerate([*flags, False]):
        if not flag:
            if index - start >= length:
                found.update(range(start, index))
            start = index + 1
    return found


def _classify(texts: list[str], linked: frozenset[str] = frozenset()) -> list[_Line]:
    counts = Counter(texts)
    seen: dict[str, _Line] = {}  # a page repeats its menus: each text is judged once
    lines: list[_Line] = []
    for text in texts:
        known = seen.get(text)
        if known is None:
            words = count_words(text)
            prose = words >= 5 and bool(_SENTENCE_END.search(text)) and not _TEASER_END.search(text)
            known = seen[text] = _Line(text=text, words=words, prose=prose)
            known.reason = "link only" if text in linked else _obvious_reason(known, counts[text])
        lines.append(_Line(text=text, words=known.words, prose=known.prose, reason=known.reason))
    return lines


def _obvious_reason(line: _Line, count: int) -> str | None:
    text = line.text
    if line.words <= 30 and _PAYWALL.search(text):
        return "paywall prompt"
    if _SYNDICATION.match(text) or _ORIGINALLY.match(text):
        return "syndication footer"
    lower = text.lower()  # the cues below are cheap tests that spare most lines a regex search
    if line.words <= 25 and _has(lower, _COPYRIGHT_CUES) and _COPYRIGHT.search(text):
        return "copyright"
    if line.words <= 8 and _LIST_HEADING.match(text) and not _SENTENCE_END.search(text):  # a heading, not a sentence
        return "related heading"
    if (line.words <= 6 and _WIDGET.match(text)) or (line.words <= 20 and _WIDGET_PREFIX.match(text)):
        return "widget"
    if line.words <= 25 and _has(lower, _NEWSLETTER_CUES) and _NEWSLETTER.search(text):
        return "newsletter prompt"
    if line.words <= 120 and "cookie" in lower and _COOKIES.search(text):
        return "cookie notice"
    if line.words <= 15 and _has(lower, _SHARE_CUES) and _SHARE_LINE.search(text):
        return "widget"
    if line.words <= 15 and _COMMENTS.search(text):
        return "comments"
    if line.words <= 40 and (_CAPTION_START.match(text) or _CAPTION_END.search(text[-90:])):
        return "photo caption"
    if parse_date_line(text) or (line.words <= 8 and _AGO.match(text)):
        return "date"
    if _MENU.match(text):
        return "navigation"
    if line.words <= 10 and _BYLINE.match(text) and not _TERMINAL.search(text.rstrip(".")):
        return "byline"
    if line.words <= 25 and _CONTRIBUTOR.match(text):
        return "contributor line"
    if line.words <= 40 and _BIO.match(text):
        return "author bio"
    if line.words == 0:
        return "no words"
    if count > 1 and not line.prose:
        return "repeated"
    return None


def _has(lower: str, cues: tuple[str, ...]) -> bool:
    return any(cue in lower for cue in cues)


def _score(line: _Line) -> float:
    if line.item and not line.prose:  # a row that reads as prose (two spaces after each full stop) is prose
        return 1.0  # what the story presents: worth a little, far less than its prose
    if line.reason is not None:
        return -8.0 if line.reason in ("repeated", "syndication footer", "copyright") else -4.0
    if line.prose:
        return float(line.words)
    if _TEASER_END.search(line.text):
        return -6.0
    if line.words <= 12:
        return -2.0  # a subheading inside a story costs little; a menu run adds up
    return line.words / 4


def _story_span(lines: list[_Line]) -> tuple[int, int]:
    """The run of lines with the largest summed score (Kadane), as [start, end)."""
    best = (0.0, 0, 0)
    total, start = 0.0, 0
    for index, line in enumerate(lines):
        if total <= 0:
            total, start = 0.0, index
        total += _score(line)
        if total > best[0]:
            best = (total, start, index + 1)
    _, begin, end = best
    words = 0
    for index in range(begin, end):
        line = lines[index]
        if line.reason in _STORY_END or (
            words >= 80 and (line.reason == "comments" or _starts_cards(lines, index, end))
        ):
            end = index
            while end > begin and not lines[end - 1].prose:  # the first card's headline
                end -= 1
            break
        if line.reason is None:
            words += line.words
    return begin, end


def _starts_cards(lines: list[_Line], index: int, end: int) -> bool:
    """A date line followed within a few lines by another: the rhythm of a
    related-stories list (headline, author, date, teaser) after the story."""
    if lines[index].reason != "date":
        return False
    return any(lines[j].reason == "date" for j in range(index + 2, min(index + 9, end)))


def _syndication(lines: list[_Line]) -> tuple[str, str] | None:
    for line in lines:
        match = _SYNDICATION.match(line.text)
        if match:
            return match.group("title").strip(), match.group("publisher").strip()
        match = _ORIGINALLY.match(line.text)
        if match:
            return "", match.group("publisher").strip()
    return None


def _title(before: list[_Line], hint: str | None) -> str | None:
    candidates = [
        line for line in before if line.reason in (None, "repeated") and 3 <= line.words <= 30 and not line.prose
    ]
    if hint:
        for line in candidates:
            if line.text.casefold() == hint.casefold():
                return line.text
        return hint
    if not candidates:
        return None
    texts = Counter(line.text for line in before)

    def score(line: _Line) -> float:
        capitalised = sum(w[0].isupper() for w in line.text.split()) / max(line.text.count(" ") + 1, 1)
        return line.words / 10 + capitalised + (2 if texts[line.text] > 1 else 0)

    return max(candidates, key=score).text


def _site_name(lines: list[_Line], start: int) -> str | None:
    """The host site: named in its copyright line, else the masthead at the top."""
    for line in lines:
        if line.reason == "copyright":
            name = re.sub(r"^\W*(?:©|\(c\)|copyright\b)", " ", line.text, flags=re.I)
            name = re.sub(r"\b(?:19|20)\d{2}\b|\ball rights reserved\b", " ", name, flags=re.I)
            name = " ".join(name.split()).strip(" -|·,.")
            if name and len(name.split()) <= 5:
                return name
    for line in lines[: min(start, 6)]:
        masthead = line.reason == "repeated" or (line.reason is None and line.text.isupper())
        if masthead and 1 <= line.words <= 4:
            return line.text
    return None


def _authors(story: list[_Line], after: list[_Line]) -> list[str]:
    """Bylines count only above the story's end (below it they belong to related
    stories); an author bio right after the story is the fallback."""
    for line in story:
        match = _BYLINE.match(line.text) if line.reason == "byline" else None
        if match:
            return _split_names(match.group("names"))
    for line in story + after:
        match = _BIO.match(line.text) if line.reason == "author bio" else None
        if match:
            return [match.group("name")]
    return []


def byline_names(text: str) -> list[str] | None:
    """The authors a byline line names, or None when `text` is not a byline."""
    match = _BYLINE.match(text)
    if not match or count_words(text) > 10 or _TERMINAL.search(text.rstrip(".")):
        return None
    return _split_names(match.group("names")) or None


def _split_names(names: str) -> list[str]:
    names = _TRAILING_DATE.sub("", names)
    names = re.split(r"\s*[|,;]\s*(?=[A-Z][a-z]+\s*$)|\s*[|]\s*", names)[0]
    parts = re.split(r"\s*,\s*|\s+and\s+|\s*&\s*", names)
    return [
        p.strip()
        for p in parts
        if p.strip() and p[0].isupper() and not _ROLE.fullmatch(p.strip()) and not re.search(r"\d", p)
    ]


def looks_like_subscribe_wall(text: str) -> bool:
    return bool(_SUBSCRIBE.search(text))


def boilerplate_reason(paragraph: str) -> str | None:
    """Why a paragraph another extractor kept is still not story text (a widget, a
    paywall or newsletter prompt, a syndication footer), or None."""
    line = _Line(text=paragraph, words=count_words(paragraph), prose=False)
    reason = _obvious_reason(line, 1)
    return reason if reason in _NOT_STORY else None
