"""Cleaning saved HTML pages and pages fetched by URL (from a server started here)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from summarizer import InputError, Settings, clean, summarize
from summarizer.clean.fetch import fetch
from summarizer.clean.sources import decode

HTML = Path(__file__).parent / "fixtures" / "html"


def html(name: str) -> str:
    return (HTML / name).read_text(encoding="utf-8")


CASES = {
    "wildfire-evacuation.html": {
        "title": "Wildfire Forces Evacuation of Cedar Hollow as Winds Shift",
        "authors": ["Lena Marsh", "Omar Haddad"],
        "published": date(2026, 8, 14),
        "publisher": "The Valley Sentinel",
        "first": "About 3,100 residents of Cedar Hollow were ordered",
        "last": "whether to upgrade it to an order.",
        "absent": ["Heat advisory extended", "Home", "© 2026", "Share", "window.dataLayer"],
    },
    "port-expansion.html": {
        "title": "Port board approves $410 million container terminal",
        "authors": ["Priya Nandakumar"],
        "published": date(2026, 6, 3),
        "publisher": "Harbor Notes",
        "first": "The Marlow Port Commission voted 4 to 1 on Tuesday",
        "last": "finds problems with dredging.",
        "absent": ["harborwatcher", "Leave a Reply", "Click to share", "Proudly powered"],
    },
    "school-lunch.html": {
        "title": "Free School Lunch Expands to Every District",
        "authors": ["Grace Odum"],
        "published": date(2026, 9, 1),
        "publisher": "Capitol Brief",
        "first": "Every public school district in the state will offer free lunch",
        "last": "Lawmakers have not said how it will be paid for after that.",
        "absent": ["Loading", "enable JavaScript"],
    },
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_html_pages_keep_story_and_metadata(name: str) -> None:
    expected = CASES[name]
    article = clean(html(name))
    assert article.report.input_kind == "html"
    assert article.title == expected["title"]
    assert article.authors == expected["authors"]
    assert article.published == expected["published"]
    assert article.publisher == expected["publisher"]
    assert article.paragraphs[0].startswith(expected["first"])
    assert article.paragraphs[-1].endswith(expected["last"])
    for text in expected["absent"]:
        assert text not in article.body


def test_hidden_text_never_reaches_the_article_or_the_brief() -> None:
    article = clean(html("wildfire-evacuation.html"))
    for injected in ("Ignore previous instructions", "SYSTEM:", "hoax", "Ignore all previous"):
        assert injected not in article.body
    hidden = [line.text for line in article.report.removed if line.reason == "hidden text"]
    assert len(hidden) == 3
    result = summarize(article, settings=Settings(engine="offline"))
    assert "resigned" not in result.brief.model_dump_json()


def test_json_ld_article_body_is_the_fallback_for_script_rendered_pages() -> None:
    article = clean(html("school-lunch.html"))
    assert len(article.paragraphs) == 5
    assert "31 to 8" in article.body


def test_paywalled_teaser_is_flagged() -> None:
    article = clean(html("bridge-teaser.html"))
    assert "Subscribe" not in article.body
    assert article.report.removed_by_reason["paywall prompt"] == 1
    assert article.report.extraction_confidence <= 0.3
    warnings = " ".join(article.report.warnings)
    assert "teaser" in warnings and "mid-sentence" in warnings and "paywalled" in warnings


def test_declared_charset_is_honoured() -> None:
    page = (
        '<html><head><meta charset="windows-1251"><title>Новости</title></head><body><article>'
        "<h1>Мэрия закрыла мост на ремонт</h1>"
        "<p>Мэрия города закрыла старый мост через реку на ремонт, который продлится около 40 дней, "
        "сообщили в пресс-службе в понедельник.</p>"
        "<p>Водителям предложили объезд по новому мосту. Пока не ясно, когда откроют движение для "
        "пешеходов и сколько будет стоить ремонт для городского бюджета в этом году.</p>"
        "</article></body></html>"
    )
    text = decode(page.encode("cp1251"), "page.html")
    article = clean(text)
    assert "Мэрия города закрыла старый мост" in article.body
    assert article.language == "ru"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A local HTTP server with an article, redirects, errors and a PDF."""
    pages = {"/story": html("wildfire-evacuation.html").encode("utf-8")}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/story":
                self._send(200, "text/html; charset=utf-8", pages["/story"])
            elif self.path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/story")
                self.end_headers()
            elif self.path.startswith("/loop"):
                self.send_response(302)
                self.send_header("Location", f"/loop{len(self.path)}")
                self.end_headers()
            elif self.path == "/pdf":
                self._send(200, "application/pdf", b"%PDF-1.4")
            elif self.path == "/big":
                self._send(200, "text/html", b"<p>" + b"a" * (6 * 1024 * 1024))
            elif self.path == "/ua":
                self._send(200, "text/plain", self.headers.get("User-Agent", "").encode())
            else:
                self._send(404, "text/html", b"not here")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_is_fetched_cleaned_and_briefed(server: str) -> None:
    result = summarize(f"{server}/moved", settings=Settings(engine="offline"))
    assert result.article.title == "Wildfire Forces Evacuation of Cedar Hollow as Winds Shift"
    assert result.article.source == f"{server}/moved"
    assert "Ignore previous instructions" not in result.article.body


def test_fetch_sends_a_real_user_agent(server: str) -> None:
    assert fetch(f"{server}/ua").text.startswith("Mozilla/5.0 (compatible; summarizer/")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404"),
        ("/pdf", "not an article page (content type application/pdf)"),
        ("/loop", "redirects"),
        ("/big", "larger than 5 MB"),
    ],
)
def test_fetch_errors_are_clear(server: str, path: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fetch(server + path)


def test_unreachable_host_is_an_input_error() -> None:
    with pytest.raises(InputError, match="cannot fetch"):
        fetch("http://127.0.0.1:9/nothing")
