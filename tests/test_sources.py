from __future__ import annotations

import codecs

import pytest

from summarizer import InputError
from summarizer.clean.sources import decode

TEXT = "Café owners in Zürich said the “new rules” would cost 1,200 francs — a 5 percent rise."


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        TEXT.encode("cp1252"),
    ],
)
def test_common_encodings_decode_to_the_same_text(data: bytes) -> None:
    assert decode(data, "x") == TEXT


def test_latin1_fallback_for_a_stray_byte_cp1252_lacks() -> None:
    data = (TEXT * 20).encode("cp1252", errors="replace") + b"\x81"
    assert decode(data, "x").startswith("Café owners")


def test_windows_line_endings_are_normalized() -> None:
    assert decode(b"one\r\ntwo\rthree", "x") == "one\ntwo\nthree"


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03" * 50, bytes(range(128, 160)) * 20])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="not text"):
        decode(data, "blob.bin")
