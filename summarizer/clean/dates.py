"""Publication dates as news pages print them, parsed without a heavy dependency."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# Any of the written forms below, for finding a date inside a longer line.
DATE_PATTERN = (
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?,?\s+\d{4}"
    r"|\d{4}-\d{1,2}-\d{1,2})"
)
_PATTERNS = [
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})", re.I),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})", re.I),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"),
]
_YEAR = re.compile(r"\d{4}")  # every written form below has one
_TIME = r"(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)"
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?"
_PREFIX = r"(?:(?:published|updated|posted|last updated|first published)(?:\s+on)?:?\s*)"
_DATE_ONLY = re.compile(
    rf"^\s*{_PREFIX}?(?:{_TIME}\s*,?\s*)?(?:{_WEEKDAY}\s*)?(?P<date>.+?)"
    rf"(?:\s*(?:,|at|-|–|\|)?\s*{_TIME})?\s*$",
    re.I,
)


def find_date(text: str) -> date | None:
    """The first calendar date written anywhere in `text`."""
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            parsed = _build(match)
            if parsed:
                return parsed
    return None


def parse_date_line(line: str) -> date | None:
    """A date when the whole line is a date (with optional weekday, time, 'Updated')."""
    if len(line) > 60 or not _YEAR.search(line):
        return None
    match = _DATE_ONLY.match(line)
    if not match:
        return None
    core = match.group("date").strip(" ,|")
    for pattern in _PATTERNS:
        full = pattern.fullmatch(core)
        if full:
            return _build(full)
    return None


def _build(match: re.Match[str]) -> date | None:
    month = match.group("month")
    month_number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
    try:
        return date(int(match.group("year")), month_number, int(match.group("day")))
    except ValueError:
        return None
