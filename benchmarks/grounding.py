"""Grounding benchmark: time per article, and how well the checker catches bad facts.

    python benchmarks/grounding.py [--runs N]

Cases are made from real sentences of the project's own fictional test articles: each
sentence is a correct fact (statement = its sentence, quote = the sentence), then
perturbed the ways models go wrong: a number changed, a name swapped for one from
elsewhere in the same article or from outside it, a negation added, the quote
invented. Correct facts come in two forms: the statement is the sentence, or its first
two thirds (a shorter statement that says less, as models write them). "Flagged"
means the fact is not verified. Precision is over all flags (correct facts that were
flagged count against it); recall is per perturbation.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from summarizer import Article, Brief, KeyFact, clean, ground
from summarizer.clean.sentences import split_sentences
from summarizer.verify.locate import _normalized

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "tests/fixtures/pages").glob("*.txt")) + sorted((ROOT / "examples").glob("*.txt"))
HTML = sorted((ROOT / "tests/fixtures/html").glob("*.html"))
OUTSIDE_NAMES = ["Okonkwo", "Lisbon", "Halvorsen", "Quintero", "Brightwater"]
_AUX = re.compile(r"\b(is|was|were|are|has|have|had|will|would|can|could|should)\b")
_NUMBER = re.compile(r"\b\d[\d,]*\b")
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]{3,}\b")


def articles() -> list[Article]:
    found = []
    for path in [*PAGES, *HTML]:
        article = clean(path.read_text(encoding="utf-8"))
        if article.title and "Bridge tolls" in article.title:
            continue  # a teaser, too short
        found.append(article)
    return found


def sentences(article: Article) -> list[str]:
    return [s.text for p in article.paragraphs for s in split_sentences(p) if len(s.text.split()) >= 8]


def perturbations(sentence: str, article: Article, index: int) -> Iterator[tuple[str, str, str]]:
    """(kind, statement, quote) variants that a correct checker must flag."""
    number = _NUMBER.search(sentence)
    if number:
        value = int(number.group().replace(",", ""))
        yield "number changed", sentence[: number.start()] + f"{value * 2 + 3:,}" + sentence[number.end() :], sentence
    names = _NAME.findall(sentence)
    if names:
        others = sorted({n for n in _NAME.findall(article.body) if n not in sentence and n not in names})
        if others:
            yield "name swapped (same article)", sentence.replace(names[0], others[index % len(others)], 1), sentence
        yield "name swapped (outside)", sentence.replace(names[0], OUTSIDE_NAMES[index % 5], 1), sentence
    aux = _AUX.search(sentence)
    if aux and " not " not in sentence:
        yield "negation added", sentence[: aux.end()] + " not" + sentence[aux.end() :], sentence
    invented = f"Officials confirmed on Friday that {sentence[0].lower()}{sentence[1:]}"
    yield "quote invented", sentence, invented.replace(" the ", " a new ", 1) + " It was unanimous."


def flagged(article: Article, statement: str, quote: str) -> bool:
    fact = KeyFact(statement=statement, quote=quote, kind="claim", attributed_to=None)
    _, grounding = ground(article, Brief(headline="", summary=[], key_facts=[fact], open_questions=[]))
    return not grounding.facts[0].verified


def checker_quality() -> None:
    counts: dict[str, list[int]] = {}
    false_flags = correct = 0
    false_by_kind = {True: 0, False: 0}
    for article in articles():
        for index, sentence in enumerate(sentences(article)):
            words = sentence.split()
            shortened = " ".join(words[: max(len(words) * 2 // 3, 6)]).rstrip(",;:—") + "."
            for statement in (sentence, shortened):
                correct += 1
                wrong = flagged(article, statement, sentence)
                false_flags += wrong
                false_by_kind[statement is sentence] += wrong
            for kind, statement, quote in perturbations(sentence, article, index):
                caught = counts.setdefault(kind, [0, 0])
                caught[0] += flagged(article, statement, quote)
                caught[1] += 1
    true_flags = sum(c[0] for c in counts.values())
    total_bad = sum(c[1] for c in counts.values())
    print(f"\nchecker on {correct} correct facts and {total_bad} perturbed ones")
    print(f"{'case':30} {'flagged':>8} {'of':>5} {'rate':>6}")
    half = correct // 2
    print(f"{'correct, statement = quote':30} {false_by_kind[True]:8} {half:5} {false_by_kind[True] / half:6.1%}")
    print(f"{'correct, statement shortened':30} {false_by_kind[False]:8} {half:5} {false_by_kind[False] / half:6.1%}")
    for kind, (hit, n) in counts.items():
        print(f"{kind:30} {hit:8} {n:5} {hit / n:6.1%}")
    print(f"precision {true_flags / max(true_flags + false_flags, 1):.3f}, recall {true_flags / total_bad:.3f}")


def timing(runs: int) -> None:
    pool = articles()
    paragraphs: list[str] = []
    for article in pool * 4:
        paragraphs.extend(article.paragraphs)
        if sum(len(p.split()) for p in paragraphs) >= 2000:
            break
    big = Article(paragraphs=paragraphs)
    body_sentences = [s.text for p in paragraphs for s in split_sentences(p)]
    picks = body_sentences[:: max(len(body_sentences) // 15, 1)][:15]
    facts = []
    for i, sentence in enumerate(picks):  # a realistic mix: exact, normalized, fuzzy, invented
        quote = sentence
        if i % 4 == 1:
            quote = sentence.replace("’", "'").replace("“", '"').replace("”", '"').upper()
        elif i % 4 == 2:
            words = sentence.split()
            quote = " ".join(words[:3] + words[4:])
        elif i % 4 == 3 and i > 8:
            quote = "The committee will publish its full findings in a separate report next spring."
        facts.append(KeyFact(statement=sentence, quote=quote, kind="claim", attributed_to=None))
    brief = Brief(headline="", summary=[], key_facts=facts, open_questions=[])
    times = []
    for _ in range(runs):
        _normalized.cache_clear()
        start = time.perf_counter()
        _, grounding = ground(big, brief)
        times.append((time.perf_counter() - start) * 1000)
    statuses = {s: [c.status for c in grounding.facts].count(s) for s in ("exact", "normalized", "fuzzy", "missing")}
    print(f"time to ground a {big.word_count:,}-word article with {len(facts)} facts ({statuses}), {runs} runs:")
    print(f"{'median ms':>10} {'p90 ms':>8} {'max ms':>8}")
    print(f"{statistics.median(times):10.2f} {sorted(times)[int(runs * 0.9) - 1]:8.2f} {max(times):8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    timing(args.runs)
    checker_quality()


if __name__ == "__main__":
    main()
