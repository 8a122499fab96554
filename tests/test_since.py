"""Running stories (#15): what today's article changes against earlier briefs, offline and
through the openai engine, in every format, across a digest and along a thread.

The story is `examples/running-story/`: four days of a fictional flood, where two
questions get answered, one stays open and then is answered, the evacuee count moves,
"20 percent" comes back as "about a fifth" (not a change), and a claim of day one is
contradicted on day three.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import respx
from typer.testing import CliRunner

from summarizer import Settings, render, summarize, summarize_many
from summarizer.cache import Cache
from summarizer.cli import app
from summarizer.models import Article, BriefResult
from summarizer.pipeline import changes_since

from .conftest import EXAMPLE, ROOT
from .llm_fakes import BASE_URL, KEY, body, brief_response, completion

STORY = ROOT / "examples" / "running-story"
DAYS = sorted(STORY.glob("2026-03-0*-flood.txt"))
OFFLINE = Settings(engine="offline")


@pytest.fixture(scope="module")
def days() -> list[BriefResult]:
    """Each day briefed against the days before it, as an editor would run them."""
    out: list[BriefResult] = []
    for path in DAYS:
        out.append(summarize(path, settings=OFFLINE, since=out or None))
    return out


def _in_body(result: BriefResult, quote: str, check: object) -> None:
    span = check.span  # type: ignore[attr-defined]
    assert span is not None and result.article.body[span[0] : span[1]] == quote


def test_day_two_moves_a_figure_keeps_a_rephrased_one_and_leaves_questions_open(days: list[BriefResult]) -> None:
    changes = days[1].changes
    assert changes is not None and [e.published for e in changes.since] == [date(2026, 3, 3)]
    (moved,) = changes.changed_figures
    assert (moved.before, moved.after) == ("12,000", "15,500")
    assert "forcing 12,000 residents" in moved.earlier_quote and moved.said.published == date(2026, 3, 3)
    _in_body(days[1], moved.quote, moved.check)
    # "about 20 percent of the town" on day one, "about a fifth of the town" on day two
    assert not any("20" in f.before for f in changes.changed_figures)
    still = {s.question: s for s in changes.still_open}
    assert set(still) == {"Who will lead the inquiry?", "When will the levee be repaired?"}
    levee = still["When will the levee be repaired?"]
    assert levee.quote is not None and "have still not said when the levee will be repaired" in levee.quote
    _in_body(days[1], levee.quote, levee.check)
    assert still["Who will lead the inquiry?"].quote is None
    assert changes.answered == [] and changes.contradictions == []
    assert changes.new_facts and all(1 <= n <= len(days[1].brief.key_facts) for n in changes.new_facts)


def test_day_three_answers_two_questions_and_contradicts_day_one(days: list[BriefResult]) -> None:
    changes = days[2].changes
    assert changes is not None
    answered = {a.question: a for a in changes.answered}
    lead = answered["Who will lead the inquiry?"]
    assert lead.quote.startswith("Former auditor Ines Carvalho will lead the inquiry")
    assert lead.asked.published == date(2026, 3, 3) and lead.check.status == "exact"
    _in_body(days[2], lead.quote, lead.check)
    money = answered["How much compensation will the region offer?"]
    assert "5,000 euros" in money.quote and money.asked.published == date(2026, 3, 4)
    (contradiction,) = changes.contradictions
    assert "did not release water" in contradiction.earlier_quote
    assert "released water from the reservoir twelve hours before the storm" in contradiction.quote
    assert contradiction.said.published == date(2026, 3, 3)
    assert [s.question for s in changes.still_open] == ["When will the levee be repaired?"]


def test_day_four_knows_what_day_three_answered(days: list[BriefResult]) -> None:
    changes = days[3].changes
    assert changes is not None
    assert [a.question for a in changes.answered] == ["When will the levee be repaired?"]
    assert "will begin on March 12" in changes.answered[0].quote
    assert changes.still_open == []  # the inquiry and compensation were answered on day three
    assert changes.contradictions == []  # asking for release logs does not negate anything


def test_the_since_section_in_every_format(days: list[BriefResult]) -> None:
    markdown = render(days[2])
    assert "## Since" in markdown
    assert "**Answered since March 3:** Who will lead the inquiry? — “Former auditor Ines Carvalho" in markdown
    assert "**Contradicts March 3:** “The Castel Dam operator said it did not release water" in markdown
    assert "**Still open since March 3:** When will the levee be repaired?" in markdown
    html = render(days[2], "brief.html.j2")
    assert "<strong>Answered since March 3:</strong> Who will lead the inquiry?" in html
    assert "Changed since March 3:</strong> 12,000 → 15,500" in render(days[1], "card.html.j2")
    assert "Changed since March 3: 12,000 → 15,500" in render(days[1], "brief.txt.j2")
    assert "**Answered since March 3:**" in render(days[2], "card.md.j2")
    assert "## Since" not in render(summarize(DAYS[0], settings=OFFLINE))


def test_article_text_in_the_since_section_is_escaped() -> None:
    earlier = summarize(
        "It is not clear who will chair the harbor board. The board met on Monday to discuss the ferry dispute.",
        settings=OFFLINE,
    )
    hostile = "Former judge Ana Ruiz will chair the harbor board, the city said <script>alert(1)</script> on [Monday](http://x.test)."
    result = summarize(hostile + " The board meets again on Friday.", settings=OFFLINE, since=[earlier])
    assert result.changes is not None and result.changes.answered
    markdown = render(result)
    assert "<script>" not in markdown and "[Monday](http" not in markdown and "\\[Monday\\](http" in markdown
    assert result.changes.contradictions == []  # "it is not clear who…" was a question, not a fact
    assert "<script>" not in render(result, "brief.html.j2") and "&lt;script&gt;" in render(result, "brief.html.j2")


def test_matching_by_figures_and_questions() -> None:
    earlier = summarize(
        "About 20 percent of the harbor was closed, port officials said on Monday. "
        "The port said 300 ships were waiting outside the harbor. "
        "It is not clear when the harbor will reopen.",
        settings=OFFLINE,
    )
    today = summarize(
        "About a fifth of the harbor was still closed, port officials said on Tuesday. "
        "The port said 300 sailors were waiting outside the harbor for visas. "
        "Port officials have not said when the harbor will reopen.",
        settings=OFFLINE,
        since=[earlier],
    )
    assert today.changes is not None
    assert today.changes.changed_figures == []  # a fifth is 20 percent; sailors are not ships
    (still,) = today.changes.still_open
    assert still.quote == "Port officials have not said when the harbor will reopen."
    assert today.changes.answered == []


def test_briefs_written_before_this_feature_load_and_compare(tmp_path: Path, days: list[BriefResult]) -> None:
    old = json.loads(days[0].model_dump_json())
    del old["changes"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    out = tmp_path / "today.md"
    run = CliRunner().invoke(app, ["brief", str(DAYS[2]), "--since", str(path), "-o", str(out)])
    assert run.exit_code == 0, run.stderr
    assert "**Answered since March 3:** Who will lead the inquiry?" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("# a brief in Markdown\n", "not a summarizer JSON result"),
        ('{"title": "x"}', "not a summarizer JSON result"),
        ('{"article": {"paragraphs": "x"}, "brief": {}}', "not a summarizer JSON result this version can read"),
    ],
)
def test_a_since_file_that_is_not_a_brief_is_a_clear_error(tmp_path: Path, content: str, said: str) -> None:
    path = tmp_path / "yesterday.json"
    path.write_text(content, encoding="utf-8")
    run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "--since", str(path), "-o", str(tmp_path / "b.md")])
    assert run.exit_code == 2 and said in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "b.md").exists()
    run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "--since", str(tmp_path / "missing.json")])
    assert run.exit_code == 2 and "missing.json: no such file" in run.stderr


def test_thread_writes_the_story_timeline(tmp_path: Path, days: list[BriefResult]) -> None:
    folder = tmp_path / "briefs"
    folder.mkdir()
    for result in days:  # written without --since: the thread compares them itself
        plain = result.model_copy(update={"changes": None})
        (folder / f"{result.article.published}.json").write_text(plain.model_dump_json(), encoding="utf-8")
    run = CliRunner().invoke(app, ["thread", str(folder)])
    assert run.exit_code == 0, run.stderr
    text = run.stdout
    assert "1. March 3: Orme River Floods Lisca as Levee Gives Way" in text
    assert "**Who will lead the inquiry?** Raised March 3, answered March 5: “Former auditor" in text
    assert "**When will the levee be repaired?** Raised March 3, answered March 6" in text
    assert "- 12,000 (March 3) → 15,500 (March 4)" in text
    assert "March 3: “The Castel Dam operator said it did not release water" in text
    run = CliRunner().invoke(app, ["thread", str(folder), "-f", "json"])
    timeline = json.loads(run.stdout)
    assert [q["answered"]["published"] for q in timeline["questions"]] == ["2026-03-05", "2026-03-06", "2026-03-05"]
    run = CliRunner().invoke(app, ["thread", str(folder / "2026-03-03.json")])
    assert run.exit_code == 2 and "needs two briefs or more" in run.stderr


def test_digest_since_matches_each_story_to_its_own_earlier_briefs(tmp_path: Path, days: list[BriefResult]) -> None:
    last_week, today = tmp_path / "last-week", tmp_path / "today"
    last_week.mkdir()
    today.mkdir()
    (last_week / "flood.json").write_text(days[0].model_dump_json(), encoding="utf-8")
    ferry = summarize(EXAMPLE, settings=OFFLINE)
    (last_week / "ferry.json").write_text(ferry.model_dump_json(), encoding="utf-8")
    (today / "flood.json").write_text(days[2].model_copy(update={"changes": None}).model_dump_json(), encoding="utf-8")
    run = CliRunner().invoke(app, ["digest", str(today / "flood.json"), "--since", str(last_week), "-o", "-"])
    assert run.exit_code == 0, run.stderr
    assert "**Answered since March 3:** Who will lead the inquiry?" in run.stdout
    assert "ferry" not in run.stdout.lower()


def test_summarize_many_reads_each_article_against_its_own_story(days: list[BriefResult]) -> None:
    today = summarize(EXAMPLE, settings=OFFLINE).article
    # the day before: the same story's opening paragraphs, as a first report would have them
    ferry = summarize(
        today.model_copy(update={"paragraphs": today.paragraphs[:3], "source": "ferry-1.txt"}), settings=OFFLINE
    )
    outcomes = summarize_many([DAYS[1], EXAMPLE], settings=OFFLINE, since=[days[0], ferry])
    flood, harbor = (o.result for o in outcomes)
    assert flood is not None and flood.changes is not None
    assert [e.title for e in flood.changes.since] == ["Orme River Floods Lisca as Levee Gives Way"]
    assert harbor is not None and harbor.changes is not None
    assert [e.source for e in harbor.changes.since] == ["ferry-1.txt"]


# --- the openai engine --------------------------------------------------------------------------


TODAY = DAYS[2].read_text(encoding="utf-8")
LEAD = (
    "Former auditor Ines Carvalho will lead the inquiry into the Lisca levee failure, "
    "Governor Alma Reyes announced on Thursday."
)
REPORT = "Carvalho said she would report within six weeks and would question the dam operator and the water authority."
SHELTERS = (
    "The number of people in shelters fell to 9,800 as water receded from the upper streets, "
    "the regional emergency office said."
)
DAM = (
    "Records published by the regional water authority show the Castel Dam operator released water "
    "from the reservoir twelve hours before the storm."
)
TODAY_BRIEF = {
    "headline": "Auditor to lead Lisca flood inquiry",
    "summary": [{"text": "Former auditor Ines Carvalho will lead the inquiry.", "facts": [1]}],
    "key_facts": [
        {"statement": "Ines Carvalho will lead the inquiry.", "quote": LEAD, "kind": "event", "attributed_to": None},
        {
            "statement": "The dam operator released water before the storm.",
            "quote": DAM,
            "kind": "event",
            "attributed_to": None,
        },
    ],
    "open_questions": [],
    "focus": [],
}


def draft(**fields: object) -> str:
    empty = {"answered": [], "unresolved": [], "new_facts": [], "changed_figures": [], "contradictions": []}
    return json.dumps({**empty, **fields})


def test_openai_compares_in_one_request_and_its_answer_is_grounded(
    mock: respx.MockRouter, days: list[BriefResult]
) -> None:
    answer = draft(
        answered=[
            {"question": 1, "quote": LEAD},
            {"question": 2, "quote": "The levee will be repaired by Easter."},  # not in the article: dropped
            {"question": 9, "quote": LEAD},  # no such question: dropped
        ],
        unresolved=[{"question": 2, "quote": REPORT}],
        new_facts=[2, 7],
        changed_figures=[
            {"fact": 4, "before": "12,000", "after": "9,800", "quote": SHELTERS},
            {"fact": 4, "before": "12,000", "after": "20,000", "quote": LEAD},  # the quote has no such figure
        ],
        contradictions=[{"fact": 2, "quote": DAM}],
    )
    route = mock.post("/chat/completions").mock(
        side_effect=[brief_response(TODAY_BRIEF), completion(answer, prompt_tokens=700, completion_tokens=90)]
    )
    result = summarize(TODAY, settings=Settings(base_url=BASE_URL, api_key=KEY), since=[days[0]])
    assert route.call_count == 2
    sent = body(route.calls[1].request)
    assert sent["response_format"]["json_schema"]["name"] == "SinceDraft"
    assert sent["response_format"]["json_schema"]["strict"] is True
    user = sent["messages"][1]["content"]
    assert "1. Who will lead the inquiry? (asked 2026-03-03)" in user
    assert "2. When will the levee be repaired? (asked 2026-03-03)" in user
    assert "2. The Castel Dam operator said it did not release water" in user
    assert "4. The Orme River broke through the north levee" in user
    assert "<<<ARTICLE " in user and "<<<QUESTIONS " in user and "<<<END " in user
    assert "data: instructions" in sent["messages"][0]["content"]
    changes = result.changes
    assert changes is not None and changes.error is None
    assert [(a.question, a.quote) for a in changes.answered] == [("Who will lead the inquiry?", LEAD)]
    _in_body(result, LEAD, changes.answered[0].check)
    (levee,) = changes.still_open
    assert levee.question == "When will the levee be repaired?" and levee.quote.startswith("Carvalho said")
    assert changes.new_facts == [2]
    assert [(f.before, f.after) for f in changes.changed_figures] == [("12,000", "9,800")]
    (contradiction,) = changes.contradictions
    assert contradiction.quote == DAM and "did not release" in contradiction.earlier_quote
    assert result.usage.requests == 2 and result.usage.prompt_tokens == 900 + 700


def test_a_comparison_in_the_cache_is_not_paid_for_again(
    mock: respx.MockRouter, days: list[BriefResult], tmp_path: Path
) -> None:
    answer = draft(answered=[{"question": 1, "quote": LEAD}])
    route = mock.post("/chat/completions").mock(side_effect=[brief_response(TODAY_BRIEF), completion(answer)])
    cache = Cache(tmp_path / "cache.sqlite")
    settings = Settings(base_url=BASE_URL, api_key=KEY)
    first = summarize(TODAY, settings=settings, since=[days[0]], cache=cache)
    again = summarize(TODAY, settings=settings, since=[days[0]], cache=cache)
    assert route.call_count == 2
    assert again.cached and again.usage.requests == 0
    assert again.changes == first.changes and [a.question for a in again.changes.answered] == [
        "Who will lead the inquiry?"
    ]
    # against other earlier briefs it is another comparison
    route.side_effect = [completion(draft())]
    other = summarize(TODAY, settings=settings, since=[days[0], days[1]], cache=cache)
    assert route.call_count == 3 and other.changes is not None and other.changes.answered == []


def test_a_failed_comparison_keeps_the_brief_and_reads_offline(mock: respx.MockRouter, days: list[BriefResult]) -> None:
    mock.post("/chat/completions").mock(
        side_effect=[brief_response(TODAY_BRIEF), completion("I'm sorry, I can't help with that.")]
    )
    result = summarize(TODAY, settings=Settings(base_url=BASE_URL, api_key=KEY, max_retries=0), since=[days[0]])
    assert result.grounding.verified_facts == 2
    assert result.changes is not None and "refused" in (result.changes.error or "")
    assert [a.question for a in result.changes.answered] == ["Who will lead the inquiry?"]  # the offline reading
    assert "The model's comparison failed" in render(result)


def test_since_accepts_articles_without_earlier_questions() -> None:
    quiet = Article(title="Quiet day", paragraphs=["Nothing happened in Lisca on Sunday at all, officials said."])
    quiet = summarize(quiet, settings=OFFLINE)
    result = summarize(DAYS[0], settings=OFFLINE, since=[quiet])
    assert result.changes is not None and result.changes.answered == [] and result.changes.still_open == []
    assert changes_since(result, [quiet]).since[0].title == "Quiet day"


def test_a_since_folder_that_holds_todays_own_brief_is_read_without_it(tmp_path: Path, days: list[BriefResult]) -> None:
    for result in days:
        (tmp_path / f"{result.article.published}.json").write_text(result.model_dump_json(), encoding="utf-8")
    run = CliRunner().invoke(app, ["brief", str(DAYS[3]), "--since", str(tmp_path), "-o", "-", "-f", "json"])
    assert run.exit_code == 0, run.stderr
    changes = json.loads(run.stdout)["changes"]
    assert [a["question"] for a in changes["answered"]] == ["When will the levee be repaired?"]
    assert len(changes["since"]) == 3 and changes["new_facts"] == days[3].changes.new_facts


def test_the_thread_escapes_what_it_takes_from_the_articles() -> None:
    from summarizer.render import render_thread
    from summarizer.threads import thread

    hostile = Article(
        title="<script>alert(1)</script> [Ferry](http://x.test)",
        paragraphs=["It is not clear who will chair the harbor board. The board met on Monday about the ferry."],
    )
    earlier = summarize(hostile, settings=OFFLINE)
    today = summarize(
        Article(
            title="Board chair named", paragraphs=["Former judge Ana Ruiz will chair the harbor board <img src=x>."]
        ),
        settings=OFFLINE,
    )
    timeline = thread([earlier, today], changes_since)
    assert timeline.questions[0].answer is not None
    markdown, html = render_thread(timeline), render_thread(timeline, "thread.html.j2")
    assert "<script>" not in markdown and "<img" not in markdown and "[Ferry](http" not in markdown
    assert "<script>" not in html and "<img" not in html and "&lt;img src=x&gt;" in html
