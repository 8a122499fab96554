"""Cleaning of fictional scraped text pages, each with a different site's boilerplate."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer import CleaningError, clean

from .conftest import EXAMPLE, PAGES, page

CASES = {
    "council-budget.txt": {
        "title": "Millbrook Council Passes $84 Million Budget After Late-Night Library Fight",
        "authors": ["Maria Okafor", "Jonah Pell"],
        "published": date(2026, 3, 10),
        "site": "The Millbrook Courier",
        "first": "The Millbrook City Council approved an $84.2 million budget",
        "last": "The budget takes effect on July 1.",
        "paragraphs": 8,
        "removed": [
            "Story continues below advertisement",
            "Sign up for our Morning Briefing newsletter",
            "12 Comments",
            "School board race draws record field of candidates…",
            "© 2026 The Millbrook Courier. All rights reserved.",
            "Listen to this article",
        ],
    },
    "rail-tunnel.txt": {
        "title": "Tunnel Reopening Slips to Autumn as Engineers Find Corroded Supports",
        "authors": ["Tomasz Wierzbicki"],
        "published": date(2026, 4, 2),
        "site": "METRO DESK",
        "first": "The Brennan Hill rail tunnel, closed since January for what was meant to be a ten-week",
        "last": "which could change the timetable again.",
        "paragraphs": 6,
        "removed": [
            "RELATED: Why the Brennan Hill tunnel matters to the region's economy",
            "Tags: rail, tunnels, Kestrel Bay, transport funding",
            "Bus fares to rise by 5p in June…",
            "Home › Transport › Rail",
            "6 min read",
        ],
    },
    "vaccine-trial.txt": {
        "title": "Malaria vaccine trial halted in two regions after supply delays",
        "authors": ["Ines Cardoso"],
        "published": date(2026, 5, 2),
        "site": "WIREHOUSE",
        "first": "GENEVA, May 2 (Wirehouse) - A late-stage trial",
        "last": "The foundation has not said whether that date still holds.",
        "paragraphs": 6,
        "removed": [
            "(Reporting by Ines Cardoso; Editing by Paul Ridge)",
            "Our Standards: The Wirehouse Trust Principles.",
            "Drugmakers race to stockpile antibiotics ahead of winter",
            "Breakingviews",
        ],
    },
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_pages_keep_story_and_metadata(name: str) -> None:
    expected = CASES[name]
    article = clean(page(name), source=name)
    assert article.title == expected["title"]
    assert article.authors == expected["authors"]
    assert article.published == expected["published"]
    assert article.site == expected["site"]
    assert article.paragraphs[0].startswith(expected["first"])
    assert article.paragraphs[-1].endswith(expected["last"])
    assert len(article.paragraphs) == expected["paragraphs"]
    removed = {line.text for line in article.report.removed}
    for text in expected["removed"]:
        assert text in removed
        assert text not in article.body
    assert article.report.input_kind == "text"
    assert article.language == "en"


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    article = clean(page("rail-tunnel.txt"))
    assert "meant to be a ten-week repair, will not reopen until at least September" in article.body
    assert "\n" not in article.paragraphs[0]


def test_syndicated_copy_names_original_publisher_and_host() -> None:
    article = clean(EXAMPLE.read_text(encoding="utf-8"))
    assert article.publisher == "Bayside Tribune"
    assert article.site == "HARBOURWIRE"
    reasons = article.report.removed_by_reason
    assert reasons["syndication footer"] == 1
    assert reasons["contributor line"] == 1
    assert "Ravi Menon contributed reporting." not in article.body
    assert "Council approves new bike lanes on Harbor Street" not in article.body
    assert article.report.chars_removed > 300


def test_every_story_paragraph_survives_in_order() -> None:
    source = EXAMPLE.read_text(encoding="utf-8")
    story = [line for line in source.splitlines() if len(line.split()) > 12 and line.endswith((".", "”"))]
    story = [line for line in story if "appeared first on" not in line]
    article = clean(source)
    assert article.paragraphs == story


def test_zero_width_characters_never_reach_the_body() -> None:
    text = page("vaccine-trial.txt").replace("malaria vaccine", "mal\u200baria\u2060 vaccine")
    article = clean(text)
    assert "\u200b" not in article.body and "\u2060" not in article.body
    assert "malaria vaccine RTV-9" in article.body


def test_teaser_gets_a_warning_and_low_confidence() -> None:
    teaser = (
        "CITY LEDGER\nHome\nNews\n\nBridge Tolls to Double Next Year\n\n"
        "The state bridge authority voted on Monday to double tolls on the Narrows Bridge starting in "
        "January, officials said, in a move that drew immediate criticism from commuters who\n\n"
        "Subscribe to continue reading\n"
    )
    article = clean(teaser)
    assert article.report.extraction_confidence < 0.5
    assert any("teaser" in w for w in article.report.warnings)
    assert any("mid-sentence" in w for w in article.report.warnings)


def test_page_without_story_is_a_cleaning_error() -> None:
    with pytest.raises(CleaningError, match="no article text"):
        clean("Home\nNews\nSports\nSubscribe\nLog In\n© 2026 Nothing Here\n", source="menu.txt")


def test_separator_menu_is_navigation_not_the_title() -> None:
    text = (
        "Home | News | Sport | Business | Opinion\n"
        "Eldmoor approves new flood barrier after two-year dispute\n"
        "By Ada Merrow, Staff Reporter\n"
        "November 24, 2026\n\n"
        "The Eldmoor council voted 7 to 2 on Tuesday to spend 18 million on a new flood barrier, "
        "ending a dispute that had stalled the project since 2023.\n\n"
        "Work is expected to begin in March and to take 32 months, according to a council report.\n"
    )
    article = clean(text)
    assert article.title == "Eldmoor approves new flood barrier after two-year dispute"
    assert article.report.removed_by_reason["navigation"] == 1
    # "Staff Reporter" is a job title, not a second author.
    assert article.authors == ["Ada Merrow"]


DUMPS = PAGES.parent / "dumps"


def test_a_dump_loses_its_lists_captions_and_banners_not_its_subheading() -> None:
    """A "Most Read" list, a photo credit, a cookie banner and a comment count between
    and after the paragraphs go, each with its reason; the subheading stays."""
    article = clean((DUMPS / "reservoir-drought.txt").read_text(encoding="utf-8"))
    body = article.body
    assert body.startswith("The Hollin Valley reservoir fell to 18 percent")
    assert "Farmers hit hardest" in body
    assert "surveying the three smaller reservoirs upstream." in body

    def reason(start: str) -> str:
        return next(line.reason for line in article.report.removed if line.text.startswith(start))

    assert reason("The dry lake bed near Orrin Point") == "photo caption"
    assert reason("We use cookies to improve your experience") == "cookie notice"
    assert reason("12 thoughts on “Reservoir Levels") == "comments"
    assert reason("Most Read") == "related heading"
    for headline in ("Council approves new bus depot after two-year delay", "Ferry timetable changes from July"):
        assert headline not in body
        assert reason(headline) in ("unlike the story's lines", "related")
    assert "Orrin Point summer festival" not in body  # the teaser after the list
    assert "sprinklers" not in body
    assert article.title == "Reservoir Levels Fall to Record Low as Drought Enters Third Summer"
    assert article.authors == ["Marta Quell"]
    assert article.published == date(2026, 6, 14)


@pytest.mark.parametrize(
    "line",
    [
        "Workers clear debris from the quay on Tuesday (Image: GETTY)",
        "Foto: dpa",
        "Crédit : Jean Morel",
        "A commuter waits at the closed terminal. Reuters",
    ],
)
def test_photo_credits_in_several_languages_are_captions(line: str) -> None:
    text = (
        "The quay reopened on Friday after a week of repairs, the port authority said in a statement.\n"
        f"{line}\n"
        "Crews worked through the night to replace two damaged mooring posts, officials said on Friday."
    )
    article = clean(text)
    assert line not in article.body
    assert any(r.text == line and r.reason == "photo caption" for r in article.report.removed)


def test_a_story_about_cookies_or_pictures_is_not_a_banner() -> None:
    text = (
        "The bakery sold 4,000 cookies on Saturday, owner Rui Lamas said, twice its usual weekend trade.\n"
        "Lamas said the photo of the queue posted online brought customers from three towns away.\n"
        "He plans to hire two more bakers before the holidays, he said on Sunday.\n"
    )
    article = clean(text)
    assert len(article.paragraphs) == 3


def test_a_one_paragraph_story_is_never_judged_away() -> None:
    """The line model may remove lines around the story, never the span's longest line."""
    text = "HOME\nNEWS\nFerry Fares Rise\n" + (
        "Harbor ferry fares will rise by 40 cents from March, the transit authority said on Monday, "
        "the first increase in six years and one that commuters' groups said they would fight\n"
    )
    article = clean(text)
    assert article.paragraphs and article.paragraphs[0].startswith("Harbor ferry fares will rise by 40 cents")


def test_line_model_weights_match_its_features() -> None:
    from summarizer.clean.line_model import NAMES
    from summarizer.clean.line_weights import THRESHOLD, WEIGHTS

    assert len(WEIGHTS) == len(NAMES)
    assert 0 < THRESHOLD < 1


def test_a_comment_thread_after_the_story_is_not_story_text() -> None:
    """A bracketed reply count, then replies stamped "2 days ago": the story ends before them."""
    story = [
        "The Kessing bridge will close for eight weeks from May 4 while engineers replace its deck, "
        "the county roads department said on Monday.",
        "Buses will run a shuttle between the two banks every fifteen minutes during the day, and the "
        "department said cyclists could cross on a temporary walkway.",
        "The work was brought forward after an inspection in January found corrosion in two of the "
        "bridge's steel beams, the department said in its notice.",
        "Shops on Quay Road said they expected fewer customers during the closure and asked the county "
        "for help with parking on the north bank.",
    ]
    replies = [
        "[ 42 comments ]",
        "Top Rated Comments",
        "dmorrow",
        "2 days ago at 07:52 am",
        "Eight weeks is optimistic, the last repair on the river road took five months and nobody was surprised.",
        "vor 3 Stunden",
        "The shuttle every fifteen minutes will not be enough for the school run in the morning, believe me.",
    ]
    article = clean("\n".join(["KESSING TODAY", "Bridge to Close for Repairs", *story, *replies]))
    assert article.paragraphs == story
    reasons = {line.text: line.reason for line in article.report.removed}
    assert reasons["[ 42 comments ]"] == "comments" and reasons["2 days ago at 07:52 am"] == "date"
    assert reasons["vor 3 Stunden"] == "date"


@pytest.mark.parametrize("gap", ["\t", "    "], ids=["innerText tabs", "padded columns"])
def test_a_table_inside_the_story_keeps_its_rows(gap: str) -> None:
    """A browser's innerText puts tabs between a table's cells, a layout-aware dump pads
    them with spaces: either way six short lines without prose are a table the story
    introduced, not a menu that ends it."""
    rows = [
        ["Pos", "Rider", "Points", "Wins"],
        ["1", "Ilse Varga", "212", "4"],
        ["2", "Tomas Brell", "198", "3"],
        ["3", "Nadia Oyelaran", "176", "2"],
        ["4", "Pieter Swaan", "151", "1"],
        ["5", "Lena Matsuda", "149", "0"],
    ]
    intro = (
        "Ilse Varga took the lead in the Kestrel Cup standings on Sunday after a late attack on the final "
        "climb, her fourth win of the season. The standings after nine rounds:"
    )
    outro = (
        "Three rounds remain, and Brell said after the stage that a gap of fourteen points could close in "
        "a single afternoon if the weather turned in the mountains."
    )
    menu = ["Home", "Results", "Calendar", "Riders", "Teams", "Shop"]
    text = "\n".join([*menu, "Varga takes the lead", intro, *(gap.join(r) for r in rows), outro, *menu])
    article = clean(text)
    assert article.paragraphs[0] == intro and article.paragraphs[-1] == outro
    for row in rows:
        assert " ".join(row) in article.paragraphs
    assert "Shop" not in article.paragraphs


def test_two_spaces_after_each_full_stop_are_prose_not_a_table() -> None:
    """Typewriter spacing splits a paragraph like padded columns do; a line that reads
    as prose still counts as prose."""
    story = [
        "The ferry ran late again.  Forty people waited an hour.  The operator blamed the tide.",
        "Commuters said it was the fourth delay.  Most of them work in Kell.  Several missed shifts.",
        "The council will meet on Monday.  It may fine the operator.  No date was set for repairs.",
    ]
    sidebar = (
        "Elsewhere in the county, the library in Mora will extend its opening hours through the summer "
        "holidays, the council said in a notice posted on its website on Friday."
    )
    menu = ["Home", "News", "Sport", "Weather", "Jobs", "Contact"]
    article = clean("\n".join([*menu, *story, *menu, sidebar]))
    for line in story:
        assert " ".join(line.split()) in article.paragraphs


@pytest.mark.parametrize("heading", ["Most Popular Videos", "Les plus populaires", "Самые популярные новости"])
def test_a_most_popular_heading_ends_the_story_in_any_of_its_forms(heading: str) -> None:
    story = [
        "The Kessing bridge will close for eight weeks from May 4 while engineers replace its deck, "
        "the county roads department said on Monday.",
        "Buses will run a shuttle between the two banks every fifteen minutes during the day, and the "
        "department said cyclists could cross on a temporary walkway.",
        "Shops on Quay Road said they expected fewer customers during the closure and asked the county "
        "for help with parking on the north bank.",
    ]
    teasers = [
        "Mayor opens the new library wing after two years of work.",
        "Ferry timetable changes from July as the summer season begins.",
    ]
    article = clean("\n".join(["KESSING TODAY", "Bridge to Close for Repairs", *story, heading, *teasers]))
    assert article.paragraphs == story
    assert {line.text: line.reason for line in article.report.removed}[heading] == "related heading"


def test_a_list_the_story_introduces_with_a_colon_stays_in_the_story() -> None:
    """Six short items in a row look like a menu, unless a line of the story ending in
    a colon introduces them."""
    story = [
        "The Kessing council approved a $4.2 million repair budget on Monday after a long debate about "
        "which of the town's bridges should be fixed first, officials said.",
        "Councillors said the spring floods had damaged more roads than any storm in a decade, and that "
        "several crossings had been closed to lorries since April.",
        "The budget is the largest the council has passed for repairs, and it will be paid for partly by "
        "a reserve fund set aside after the floods of 2019.",
        "Residents on the north bank told the meeting that the closures had added half an hour to their "
        "journeys, and the mayor said she understood their frustration with the delays.",
        "Engineers who inspected the crossings in May found that two of them needed urgent work, and the "
        "report they wrote for the council warned that a third could fail within five years.",
        "The opposition group voted against the budget, saying the reserve fund should have been kept for "
        "emergencies and that the repairs could have been spread over three years instead.",
        "The council listed what the money will pay for:",
        "new decking on the Quay Road bridge",
        "two culverts under the north road",
        "resurfacing the ferry approach",
        "railings along the river walk",
        "drainage at the bus depot",
        "a survey of the old mill weir",
        "The first work starts in June and should be finished before the winter, officials said.",
    ]
    menu = ["Home", "News", "Sport", "Weather", "Jobs", "Contact"]
    article = clean("\n".join([*menu, "Council Approves Repair Budget", *story, *menu]))
    assert article.paragraphs == story


def test_a_sentence_that_starts_like_a_heading_is_still_a_sentence() -> None:
    text = (
        "The council met on Monday to discuss the bridge repairs and the budget for the coming year, officials said.\n"
        "Most read the report.\n"
        "The mayor said the work would start in June and finish before the winter storms arrive, officials said.\n"
    )
    assert "Most read the report." in clean(text).paragraphs
