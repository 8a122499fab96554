"""Words as the checks compare them: tokens that keep names, hyphens and figures whole,
a light stemmer (so "tumbled" meets "tumble" and "lost" meets "lose"), and numbers
written every way the news writes them ("20%", "20 percent", "190,000", "two").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..words import STOPWORDS

# Placeholders summarisers write for a word they could not produce: nothing to check them against.
PLACEHOLDER = re.compile(r"^(?:\[UNK\]|UNK|<unk>)$")
# punctuation that ends a clause: a name, or who did what, does not run across it
CLAUSE_BREAK = re.compile(r"[,;:()\"“”]")
_TOKEN = re.compile(r"\[UNK\]|<unk>|[^\W_]+(?:['’.\-][^\W_]+)*")
_WORDISH = re.compile(r"[^\W\d_]")
NEGATORS = frozenset({"not", "no", "never", "nor", "neither", "without", "cannot", "none", "nobody", "nothing"})
HEDGES = frozenset({"may", "might", "could", "possibly", "reportedly", "allegedly", "perhaps", "likely", "expected"})
CIRCUMSTANCES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
PRONOUNS = frozenset({"he", "she", "they", "his", "her", "him", "their", "them", "it", "its"})
# English irregular forms, so a statement's "lost" meets its quote's "lose".
_IRREGULAR = dict(
    pair.split(":")
    for pair in (
        "went:go gone:go left:leave lost:lose took:take taken:take gave:give given:give made:make said:say told:tell "
        "found:find came:come became:become began:begin begun:begin brought:bring bought:buy caught:catch "
        "chose:choose chosen:choose did:do done:do fell:fall fallen:fall felt:feel fought:fight got:get "
        "gotten:get grew:grow grown:grow held:hold kept:keep knew:know known:know led:lead met:meet paid:pay "
        "ran:run rose:rise risen:rise saw:see seen:see sent:send shot:shoot sold:sell spent:spend stood:stand "
        "struck:strike thought:think threw:throw thrown:throw won:win wore:wear worn:wear wrote:write "
        "written:write sat:sit slept:sleep spoke:speak spoken:speak stole:steal stolen:steal swam:swim "
        "taught:teach understood:understand woke:wake broke:break broken:break drove:drive driven:drive ate:eat "
        "eaten:eat flew:fly flown:fly forgot:forget hid:hide hidden:hide rode:ride sang:sing sung:sing men:man "
        "women:woman children:child people:person feet:foot teeth:tooth mice:mouse dying:die lying:lie tying:tie"
    ).split()
)
# "one" is left out: far more often "one of them" than a count.
_NUMBER_WORDS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "dozen": "12",
}
_SCALES = {"thousand": "000", "million": "000000", "billion": "000000000", "trillion": "000000000000"}
_NUMBER = re.compile(
    r"(?<![\w.])(?:[$€£¥]\s?)?(?P<digits>\d+(?:[.,]\d+)*)(?P<unit>st|nd|rd|th|s|m|bn|k|ft|pm|am|%)?"
    r"(?:\s?(?P<scale>percent|per cent|thousand|million|billion|trillion))?(?![\w])"
    r"|\b(?P<word>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|dozen)s?\b(?:\s(?P<wscale>thousand|million|billion))?",
    re.I,
)


_SCORE_JOIN = re.compile(r"\d{1,3}\s?[-–]\s?\d{1,3}")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    norm: str
    wordish: bool


@dataclass(frozen=True)
class Figure:
    """A number as written, and the values it may stand for ("20%" is "20")."""

    text: str
    start: int
    end: int
    values: frozenset[str]


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    return tuple(
        Token(m.group(), m.start(), m.end(), norm(m.group()), bool(_WORDISH.search(m.group())))
        for m in _TOKEN.finditer(text)
    )


@lru_cache(maxsize=65536)
def norm(word: str) -> str:
    """Lowercase, one kind of apostrophe, no possessive, no dots ("U.S." is "us")."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'")
    return word if word[:1].isdigit() else word.replace(".", "")


_VOWEL = re.compile("[aeiouy]")
_INFLECTIONS = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
_NOT_PLURAL = ("ss", "us", "is")  # "class", "virus", "crisis"


@lru_cache(maxsize=65536)
def root(word: str) -> str:
    """A light stem: irregular forms mapped, inflections stripped, a final doubled
    consonant and a final e dropped, so inflected forms of a word meet ("win",
    "winning"; "name", "named"; "use", "uses"; "tie", "tied")."""
    w = norm(word)
    w = _IRREGULAR.get(w, w)
    for suffix, replacement in _INFLECTIONS:
        if not w.endswith(suffix) or (suffix == "s" and w.endswith(_NOT_PLURAL)):
            continue
        stem = w[: -len(suffix)]
        verbal = suffix in ("ed", "ing")
        if verbal and not _VOWEL.search(stem):
            break  # "shred", "bring": no inflection there
        if len(stem) >= 3 or (verbal and len(stem) == 2 and not stem.endswith("e")):
            w = stem + replacement  # "used", "aged"; not "need"
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if (len(w) > 2 and w.endswith("e")) or (len(w) > 3 and w.endswith("y")):
        w = w[:-1]  # "injury", "injured"
    return w


def is_content(token: Token) -> bool:
    n = token.norm
    return token.wordish and len(n) > 2 and n not in STOPWORDS and not PLACEHOLDER.match(token.text)


def parts(token: Token) -> list[str]:
    """A hyphenated token and its parts: "26-year-old" is also "26", "year", "old"."""
    n = token.norm
    return [n, *n.split("-")] if "-" in n else [n]


def figures(text: str) -> list[Figure]:
    out = []
    for m in _NUMBER.finditer(text):
        values: set[str] = set()
        if m.group("digits"):
            digits = m.group("digits").replace(",", "")
            if digits.endswith(".0"):
                digits = digits[:-2]
            values.add(digits)
            scale = (m.group("scale") or "").lower()
            if scale in _SCALES and "." not in digits:
                values.add(digits + _SCALES[scale])
            if (m.group("unit") or "").lower() == "bn":
                values.add(digits + _SCALES["billion"])
        else:
            value = _NUMBER_WORDS[m.group("word").lower()]
            values.add(value)
            scale = (m.group("wscale") or "").lower()
            if scale:
                values.add(value + _SCALES[scale])
        previous = out[-1] if out else None
        if previous is not None and _SCORE_JOIN.fullmatch(text[previous.start : m.end()]):
            # a score or a range ("2-0", "10–12") is one figure: its halves mean nothing alone
            joined = f"{previous.text.strip()}-{m.group().strip()}"
            out[-1] = Figure(text[previous.start : m.end()], previous.start, m.end(), frozenset({joined}))
            continue
        out.append(Figure(m.group(), m.start(), m.end(), frozenset(values)))
    return out


def figure_values(text: str) -> set[str]:
    return {value for figure in figures(text) for value in figure.values}


def unit_of(figure: Figure, text: str) -> str | None:
    """What a figure counts: the rest of its hyphenated word, else the next word. A bare
    number set off by commas after a name ("Varela, 27,") or after "aged" is an age; a
    score or range counts whatever the other scores do."""
    if all("-" in value for value in figure.values):
        return "score"
    rest = re.match(r"-([^\W\d_][\w-]*)", text[figure.end :])
    if rest:
        return norm(rest.group(1))
    before = text[max(0, figure.start - 40) : figure.start]
    if re.search(r"\baged\s+$", before, re.IGNORECASE) or (
        re.search(r"[^\W\d_][\w'’.-]*,\s*$", before) and re.match(r"\s*[,)]", text[figure.end :])
    ):
        return "age"
    following = tokens(text[figure.end : figure.end + 40])
    if following and following[0].wordish and figure.text[-1:].isdigit():
        return root(following[0].text)
    return "%" if figure.text.endswith("%") or "percent" in figure.text.lower() else None
