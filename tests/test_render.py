from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from markdown_it import MarkdownIt

from summarizer import BriefResult, ConfigError, render, render_digest

from .factories import fixed_result

GOLDEN = Path(__file__).parent / "golden"


def test_markdown_matches_golden_file() -> None:
    assert render(fixed_result()) == (GOLDEN / "brief.md").read_text(encoding="utf-8")


def test_card_is_compact_and_names_topics() -> None:
    card = render(fixed_result(), template="card.md.j2")
    assert card.startswith("### Ferry Crews Walk Out\n")
    assert "**Open:** money; timing" in card
    assert "Key facts" not in card and ">" not in card


def test_markdown_marks_unsupported_fact_visibly() -> None:
    text = render(fixed_result())
    line = next(line for line in text.splitlines() if "9,000" in line)
    assert "**UNVERIFIED — contradicted** (says 9,000 where its quote says 6,400)" in line


def test_html_escapes_script_in_title() -> None:
    html = render(fixed_result(title="<script>alert('x')</script> Ferry"), template="brief.html.j2")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Ferry" in html


HOSTILE_TITLE = "# Ferry <script>alert(1)</script> [click](javascript:alert(1)) **now** &amp; | x"


def hostile_result() -> BriefResult:
    """Everything taken from an article carries markup: title, byline, statement,
    quote, question and topic."""
    result = fixed_result(title=HOSTILE_TITLE)
    brief = result.brief
    facts = [
        brief.key_facts[0].model_copy(update={"statement": "1. About 6,400 <img src=x onerror=alert(2)> _commuters_"}),
        *brief.key_facts[1:],
    ]
    questions = [
        brief.open_questions[0].model_copy(
            update={"topic": "<b>money</b>", "question": "- Who pays? ](javascript:alert(3)) ![i](http://t.test/p.png)"}
        ),
        *brief.open_questions[1:],
    ]
    article = result.article.model_copy(update={"authors": ["<script>alert(4)</script>"], "publisher": "> Tribune"})
    return result.model_copy(
        update={"article": article, "brief": brief.model_copy(update={"key_facts": facts, "open_questions": questions})}
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1.append(data)


CONVERTERS = {
    "commonmark": lambda text: MarkdownIt("commonmark").render(text),
    "python-markdown": lambda text: markdown.markdown(text),
}
ALLOWED = {"h1", "h2", "h3", "p", "ol", "ul", "li", "blockquote", "em", "strong", "hr", "a"}


@pytest.mark.parametrize("converter", sorted(CONVERTERS))
@pytest.mark.parametrize("template", ["brief.md.j2", "card.md.j2", "digest"])
def test_markdown_from_a_hostile_article_converts_to_safe_html(template: str, converter: str) -> None:
    result = hostile_result()
    text = render_digest([result]) if template == "digest" else render(result, template=template)
    parsed = _Tags()
    parsed.feed(CONVERTERS[converter](text))
    assert {tag for tag, _ in parsed.tags} <= ALLOWED
    # the only links are the digest's own anchors; nothing loads, nothing runs
    assert all((attrs.get("href") or "#").startswith("#") for tag, attrs in parsed.tags if tag == "a")
    assert all(not name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    if template == "brief.md.j2":
        assert "".join(parsed.h1).strip() == HOSTILE_TITLE
        assert [tag for tag, _ in parsed.tags].count("h1") == 1
        assert [tag for tag, _ in parsed.tags].count("h3") == 2  # one per topic, none from a value


def test_markdown_escaping_keeps_ordinary_text_readable() -> None:
    text = render(fixed_result(title="Fish & Chips: U.S. fares rise 4.5% (again)"))
    assert text.startswith("# Fish & Chips: U.S. fares rise 4.5% (again)\n")
    assert MarkdownIt("commonmark").render(text).startswith("<h1>Fish &amp; Chips: U.S. fares rise 4.5% (again)</h1>")


def test_consecutive_warnings_stay_separate_quotes() -> None:
    result = fixed_result()
    report = result.article.report.model_copy(update={"warnings": ["first doubt", "second doubt"]})
    result = result.model_copy(update={"article": result.article.model_copy(update={"report": report})})
    html = MarkdownIt("commonmark").render(render(result))
    assert html.count("<blockquote>\n<p><strong>Warning:</strong>") == 2


def test_custom_template_directory_overrides_one_template(tmp_path: Path) -> None:
    (tmp_path / "brief.md.j2").write_text("{{ brief.headline | upper }} / {{ verified }} verified\n")
    result = fixed_result()
    assert render(result, templates_dir=tmp_path) == "FERRY CREWS WALK OUT / 2 verified\n"
    # templates the directory lacks still come from the package
    assert render(result, template="card.md.j2", templates_dir=tmp_path).startswith("### Ferry")


def test_template_errors_are_config_errors(tmp_path: Path) -> None:
    (tmp_path / "typo.md.j2").write_text("{{ brief.headlin }}\n")
    with pytest.raises(ConfigError, match="headlin"):
        render(fixed_result(), template="typo.md.j2", templates_dir=tmp_path)
    with pytest.raises(ConfigError, match="not found"):
        render(fixed_result(), template="nope.md.j2")
    with pytest.raises(ConfigError, match="does not exist"):
        render(fixed_result(), templates_dir=tmp_path / "missing")
