"""Turning what the user named (a path, `-`, raw text) into text we can clean.

Scraped pages arrive in whatever encoding the scraper left them in, so bytes are
decoded by trying the common encodings in order; anything that still looks binary
is refused rather than summarised as garbage.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..words import strip_controls

MAX_INPUT_BYTES = 20 * 1024 * 1024
_ENCODINGS = ("utf-8", "cp1252")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w-]+)", re.I)


@dataclass(frozen=True)
class Source:
    text: str
    name: str
    """The path, `<stdin>` or `<text>`: used in messages and as the article's source."""


def read_source(spec: str | Path) -> Source:
    """Read a URL, a path or `-` (standard input)."""
    if isinstance(spec, str) and spec.startswith(("http://", "https://")):
        from .fetch import fetch

        return fetch(spec)
    if str(spec) == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        return Source(decode(data, "<stdin>"), "<stdin>")
    path = Path(spec)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory; name the files in it (e.g. {path}/*.txt)")
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{path}: {size:,} bytes is too large for an article")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return Source(decode(data, str(path)), str(path))


def decode(data: bytes, name: str) -> str:
    """Decode bytes of unknown encoding, refusing binary data."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: more than {MAX_INPUT_BYTES:,} bytes is too large for an article")
    if not data.strip():
        raise InputError(f"{name}: is empty")
    text = _decode_text(data)
    if text is None or _looks_binary(text):
        raise InputError(f"{name}: is not text (binary data or an unknown encoding)")
    # A stray BEL or form feed (seen on real news sites) is not binary data, but lxml refuses it.
    return strip_controls(text.replace("\r\n", "\n").replace("\r", "\n"))


def _decode_text(data: bytes) -> str | None:
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # A few bytes cp1252 leaves undefined (a stray 0x81) should not lose a whole article.
    text = data.decode("cp1252", errors="replace")
    return text if text.count("\ufffd") <= max(1, len(text) // 1000) else None


def _declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page declares in a meta tag, when Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:8192]
    return len(_CONTROLS.findall(sample)) > len(sample) * 0.01
