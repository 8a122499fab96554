"""Fetching an article by URL: one polite GET with limits, and errors a user can act on."""

from __future__ import annotations

import httpx

from ..errors import InputError
from .sources import Source, decode

USER_AGENT = "Mozilla/5.0 (compatible; summarizer/0.1; +https://pypi.org/project/summarizer/)"
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")


def is_url(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith(("http://", "https://")) and not any(c.isspace() for c in stripped)


def fetch(url: str, *, client: httpx.Client | None = None) -> Source:
    """GET `url` and return its decoded text; redirects followed up to a limit."""
    url = url.strip()
    own = client is None
    client = client or httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"},
        timeout=TIMEOUT,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
    )
    try:
        with client.stream("GET", url) as response:
            _check(url, response)
            data = bytearray()
            for chunk in response.iter_bytes():
                data.extend(chunk)
                if len(data) > MAX_BYTES:
                    raise InputError(f"{url}: page is larger than {MAX_BYTES // (1024 * 1024)} MB")
            encoding = response.charset_encoding
    except httpx.TooManyRedirects:
        raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise InputError(f"{url}: timed out") from None
    except httpx.InvalidURL as exc:
        raise InputError(f"{url}: invalid URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise InputError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None
    finally:
        if own:
            client.close()
    body = bytes(data)
    if encoding:
        try:
            return Source(body.decode(encoding).replace("\r\n", "\n"), url)
        except (LookupError, UnicodeDecodeError):
            pass
    return Source(decode(body, url), url)


def _check(url: str, response: httpx.Response) -> None:
    if response.status_code >= 400:
        reason = response.reason_phrase or "error"
        hint = " (the site may block automated requests)" if response.status_code in (401, 403, 429) else ""
        raise InputError(f"{url}: HTTP {response.status_code} {reason}{hint}")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and not content_type.startswith(_TEXT_TYPES):
        raise InputError(f"{url}: not an article page (content type {content_type})")
