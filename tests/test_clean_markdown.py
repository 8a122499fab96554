"""Markdown pages are read as Markdown: metadata from front matter, headings and bylines,
and none of the markup in the body (issue #10)."""

from __future__ import annotations

from datetime import date

from summarizer import Settings, clean, summarize
from summarizer.clean import detect_kind

STORY = """The Port Avalon harbor authority raised ferry fares by **12 percent** on Monday, the first
increase since the service opened, [officials said](https://example.test/statement "statement").

![A ferry at the pier](https://example.test/ferry.jpg)

The authority said the money would pay for _two new boats_. Chair Ana Ruiz said fuel costs had
doubled and that the board had no choice but to act before the summer season began.

<!-- editor: check the fare table before publishing -->

```
fares = {"adult": 4.50}
```

It is not clear whether commuters with monthly passes will pay the new fare, and the council has
yet to decide whether to subsidise students who cross every day.
"""


def test_front_matter_is_metadata_not_the_title() -> None:
    page = (
        '---\ntitle: "Ferry fares rise 12 percent"\nauthor:\n  - Jo Bell\n  - Sam Ortiz\ndate: 2026-03-12\n'
        "publisher: Bayside Tribune\n---\n\n" + STORY
    )
    article = clean(page)
    assert article.report.input_kind == "markdown"
    assert article.title == "Ferry fares rise 12 percent"
    assert article.authors == ["Jo Bell", "Sam Ortiz"]
    assert article.published == date(2026, 3, 12) and article.publisher == "Bayside Tribune"
    assert "title:" not in article.body and "---" not in article.body


def test_heading_byline_and_markup() -> None:
    article = clean("# Ferry fares rise\n\n*By Jo Bell, March 12, 2026*\n\n" + STORY)
    assert article.title == "Ferry fares rise"
    assert (article.authors, article.published) == (["Jo Bell"], date(2026, 3, 12))
    body = article.body
    assert body.startswith("The Port Avalon harbor authority raised ferry fares by 12 percent on Monday")
    assert "officials said." in body and "two new boats." in body
    for markup in ("**", "](", "![", "ferry.jpg", "<!--", "editor:", "```", "fares = ", "#", "_two"):
        assert markup not in body, markup


def test_md_suffix_means_markdown_even_with_few_markers() -> None:
    text = (
        "Ferry fares rise\n\nThe harbor authority raised ferry fares by 12 percent on Monday, "
        "[officials said](https://example.test/statement).\n\nIt is not clear whether commuters with monthly "
        "passes will pay the new fare, and the council has yet to decide on students.\n"
    )
    assert detect_kind(text) == "text"
    assert detect_kind(text, "story.md") == "markdown"
    article = clean(text, source="story.md")
    assert article.report.input_kind == "markdown" and "https://example.test" not in article.body


def test_a_markdown_brief_reads_clean_text() -> None:
    result = summarize("# Ferry fares rise\n\n" + STORY, settings=Settings(engine="offline"))
    assert result.brief.headline == "Ferry fares rise"
    assert all("**" not in f.quote and "](" not in f.quote for f in result.brief.key_facts)


def test_lines_that_are_only_links_are_menus_and_teasers_not_story() -> None:
    """A Markdown export keeps the page's menus and teaser cards as whole-line links; a
    link inside a sentence is still the sentence's."""
    teaser = (
        "[ ![pier.jpg](https://example.test/pier.jpg) Pier repairs finish early  The contractor said the "
        "new decking would last thirty years, and the pier reopens to anglers on Friday. ](/news/pier)"
    )
    page = "\n\n".join(
        [
            "  * [Home](/)\n  * [News](/news/)\n  * [Weather](/weather/)",
            "# Ferry fares rise",
            STORY,
            "### More local news",
            teaser,
            "[ Library hours extended for the summer, the council said in its notice. ](/news/library)",
        ]
    )
    article = clean(page)
    body = article.body
    assert "officials said." in body and "yet to decide whether to subsidise students" in body
    assert "Pier repairs finish early" not in body and "Library hours extended" not in body
    reasons = {line.text: line.reason for line in article.report.removed}
    assert reasons["Library hours extended for the summer, the council said in its notice."] == "link only"
    assert reasons["Weather"] == "link only"


def test_a_markdown_table_in_the_story_keeps_its_rows() -> None:
    table = (
        "Route | Old fare | New fare\n---|---|---\nAvalon–Kell | 4.00 | 4.50\n"
        "Avalon–Mora | 5.20 | 5.80\nKell–Mora | 3.10 | 3.50\nNight service | 6.00 | 6.70"
    )
    article = clean("# Ferry fares rise\n\n" + STORY + "\nThe new fares, route by route:\n\n" + table + "\n")
    body = article.body
    for row in ("Avalon–Kell 4.00 4.50", "Kell–Mora 3.10 3.50", "Night service 6.00 6.70"):
        assert row in article.paragraphs, row
    assert "|" not in body and "---" not in body
