"""The HTML digest in a real browser: headless Chromium (Debian's), driven by Playwright.

Run with `make browser`. A digest of three briefs, one of whose titles carries a
`<script>` and an `onerror=` payload, is opened from a file with every network request
refused; the DOM must show every card, fact and question, the payloads as text, and
nothing that ran. The screenshots are kept in test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import Settings, clean, render, render_digest, summarize

from .conftest import PAGES, ROOT

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("SUMMARIZER_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
# As root on a machine with a closed network: no sandbox, no background connections.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAYLOAD = "Ferry fares rise <script>window.__ran = 'script'</script><img src=x onerror=\"window.__ran = 'onerror'\">"


def _luminance(rgb: str) -> float:
    """Relative luminance of a CSS `rgb(r, g, b)` colour, 0 (black) to 1 (white)."""
    r, g, b = (int(v) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="make browser installs playwright")
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def digest_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    settings = Settings(engine="offline")
    results = []
    for number, path in enumerate(sorted(PAGES.glob("*.txt"))):
        article = clean(path.read_text(encoding="utf-8"), source=path.name)
        if number == 1:
            article = article.model_copy(update={"title": PAYLOAD, "publisher": "<b onmouseover=alert(1)>Wire</b>"})
        results.append(summarize(article, settings=settings))
    target = tmp_path_factory.mktemp("digest") / "digest.html"
    target.write_text(render_digest(results, "digest.html.j2"), encoding="utf-8")
    return target, results


def test_digest_shows_every_card_fact_and_question_and_runs_nothing(browser, digest_file) -> None:
    path, results = digest_file
    page = browser.new_page(viewport={"width": 800, "height": 1000})
    remote: list[str] = []
    page.route("**/*", lambda route: _only_files(route, remote))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())

    cards = page.locator("[data-card]")
    assert cards.count() == 3
    for index, result in enumerate(results):
        card = cards.nth(index)
        assert card.is_visible()
        facts = card.locator("[data-fact]")
        assert facts.count() == len(result.brief.key_facts) > 0
        for number, fact in enumerate(result.brief.key_facts):
            item = facts.nth(number)
            assert item.is_visible() and item.bounding_box()["height"] > 0
            assert fact.statement in item.inner_text()
        questions = card.locator("[data-question]")
        assert questions.count() == len(result.brief.open_questions)
        assert all(questions.nth(n).is_visible() for n in range(questions.count()))
        shown = [questions.nth(n).inner_text() for n in range(questions.count())]
        for question in result.brief.open_questions:  # grouped by topic, so in another order
            assert any(question.question in text and question.topic in text for text in shown)

    # The payloads are text on the page, and nothing of them ran or was fetched.
    assert page.locator("[data-card] h2").nth(1).inner_text() == PAYLOAD
    assert page.evaluate("() => window.__ran") is None
    assert page.evaluate("() => document.querySelectorAll('script, img, b').length") == 0
    assert dialogs == [] and remote == []
    assert "<b onmouseover=alert(1)>Wire</b>" in page.locator("body").inner_text()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "digest-light.png"), full_page=True)
    page.close()


def _only_files(route, remote: list[str]) -> None:
    """The digest is one self-contained file: anything else it asks for is refused and noted."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        remote.append(route.request.url)
        route.abort()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_digest_text_contrasts_with_the_page_in_light_and_dark_mode(browser, digest_file, scheme: str) -> None:
    """No hard-coded text colour: the client's scheme decides, so dark mode stays readable."""
    path, _ = digest_file
    page = browser.new_page(color_scheme=scheme)
    page.goto(path.as_uri())
    canvas = page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
    colors = page.evaluate(
        "() => [...document.querySelectorAll('[data-fact], [data-question], h1, h2, p')]"
        ".map(e => getComputedStyle(e).color)"
    )
    background = 0.0 if scheme == "dark" else 1.0
    if canvas not in ("rgba(0, 0, 0, 0)", "transparent"):
        background = _luminance(canvas)
    assert colors and all(abs(_luminance(c) - background) > 0.6 for c in colors), (canvas, set(colors))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"digest-{scheme}-top.png"))
    if scheme == "light":
        shutil.copy(ARTIFACTS / f"digest-{scheme}-top.png", ARTIFACTS / "digest.png")
    page.close()


HOSTILE_PAGE = """<!DOCTYPE html><html><head><title>x</title>
<meta property="og:title"
 content="Fares rise <script>window.__ran = 'script'</script><img src=x onerror=&quot;window.__ran = 'img'&quot;>">
</head><body><article>
<h1>Fares rise</h1>
<p>The Port Avalon harbor authority raised ferry fares by 12 percent on Monday, the first increase since the
service opened, officials said.</p>
<p>Chair Ana Ruiz said fuel costs had doubled and that the board had no choice but to act before the summer.</p>
<p>It is not clear whether commuters with monthly passes will pay the new fare, and the council has yet to
decide whether to subsidise students.</p>
</article></body></html>
"""
TITLE = "Fares rise <script>window.__ran = 'script'</script><img src=x onerror=\"window.__ran = 'img'\">"


def test_cli_outputs_of_a_hostile_page_run_nothing_in_the_browser(browser, tmp_path: Path) -> None:
    """`brief -o brief.html`, `brief -o brief.md` (converted by a CommonMark converter, as a
    newsletter builder would) and `digest -o digest.html`, each opened in Chromium."""
    from markdown_it import MarkdownIt

    page_file = tmp_path / "page.html"
    page_file.write_text(HOSTILE_PAGE, encoding="utf-8")

    def cli(*args: str) -> None:
        proc = subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr

    cli("brief", str(page_file), "-o", str(tmp_path / "brief.html"))
    cli("brief", str(page_file), "-o", str(tmp_path / "brief.md"))
    cli("brief", str(page_file), "-o", str(tmp_path / "brief.json"))
    cli("digest", str(tmp_path / "brief.json"), "-o", str(tmp_path / "digest.html"))
    converted = MarkdownIt("commonmark").render((tmp_path / "brief.md").read_text(encoding="utf-8"))
    (tmp_path / "brief-md.html").write_text(f"<!DOCTYPE html><html><body>{converted}</body></html>", encoding="utf-8")

    for name, heading in (("brief.html", "h1"), ("brief-md.html", "h1"), ("digest.html", "[data-card] h2")):
        view = browser.new_page()
        remote: list[str] = []
        view.route("**/*", lambda route, remote=remote: _only_files(route, remote))
        view.goto((tmp_path / name).as_uri())
        assert view.evaluate("() => window.__ran") is None, name
        assert view.evaluate("() => document.querySelectorAll('script, img').length") == 0, name
        assert view.locator(heading).first.inner_text() == TITLE, name
        assert remote == [], name
        view.close()


def test_evidence_view_links_every_fact_to_its_highlighted_quote(browser, tmp_path: Path) -> None:
    """`brief --evidence`: each fact's link lands on a highlight whose text is its quote as
    the article has it, weaker verdicts are coloured apart, and both schemes can read it."""
    from .factories import fixed_result

    result = fixed_result()
    result = result.model_copy(update={"brief": result.brief.model_copy(update={"headline": PAYLOAD})})
    path = tmp_path / "evidence.html"
    path.write_text(render(result, "evidence.html.j2"), encoding="utf-8")
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport={"width": 800, "height": 600}, color_scheme=scheme)
        remote: list[str] = []
        page.route("**/*", lambda route, remote=remote: _only_files(route, remote))
        page.goto(path.as_uri())
        links = page.locator("[data-fact] a[href^='#f']")
        found = [check for check in result.grounding.facts if check.span is not None]
        assert links.count() == len(found) > 1
        for n in range(links.count()):
            mark = links.nth(n).get_attribute("href")[1:]
            fact_number = int(mark[1:])
            start, end = result.grounding.facts[fact_number - 1].span
            highlighted = page.evaluate(
                "m => [...document.querySelectorAll('mark')]"
                ".filter(e => e.dataset.marks.split(' ').includes(m)).map(e => e.textContent).join('')",
                mark,
            )
            assert highlighted == result.article.body[start:end]
            links.nth(n).click()
            top = page.evaluate("m => document.getElementById(m).getBoundingClientRect().top", mark)
            assert 0 <= top < 600 and page.evaluate("() => location.hash") == f"#{mark}"
        colours = page.evaluate(
            "() => Object.fromEntries([...document.querySelectorAll('mark')].map(e => "
            "[e.dataset.verdict, [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]]))"
        )
        assert {"supported", "contradicted"} <= colours.keys()
        assert colours["supported"][0] != colours["contradicted"][0]
        assert all(abs(_luminance(bg) - _luminance(fg)) > 0.5 for bg, fg in colours.values())
        assert page.evaluate("() => window.__ran") is None and remote == []
        assert page.locator("h1").inner_text() == PAYLOAD
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"evidence-{scheme}.png"), full_page=True)
        page.close()
