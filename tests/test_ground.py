from __future__ import annotations

from summarizer.ground import locate, unsupported_tokens

BODY = (
    "Russia now controls about 20 percent of eastern and southern Ukraine.\n\n"
    "Mr. Witkoff said the meeting had been “productive and constructive.” "
    "About 190,000 people still live in the areas of Donetsk."
)


def test_exact_normalized_fuzzy_missing() -> None:
    exact = locate("about 20 percent of eastern", BODY)
    assert exact.status == "exact" and BODY[exact.span[0] : exact.span[1]] == "about 20 percent of eastern"
    curly = locate('the meeting had been "productive and  constructive."', BODY)
    assert curly.status == "normalized"
    assert BODY[curly.span[0] : curly.span[1]] == "the meeting had been “productive and constructive.”"
    dropped_word = locate("Russia controls about 20 percent of eastern and southern Ukraine", BODY)
    assert dropped_word.status == "fuzzy" and dropped_word.score >= 90
    assert BODY[dropped_word.span[0] : dropped_word.span[1]].startswith("Russia now controls")
    assert locate("Ukraine agreed to cede the Donetsk region to Russia", BODY).status == "missing"


def test_changed_number_is_unsupported() -> None:
    quote = "Russia now controls about 20 percent of eastern and southern Ukraine."
    assert unsupported_tokens("Russia controls 30 percent of Ukraine.", quote, BODY) == ["30 percent"]
    assert unsupported_tokens("Russia controls about 20% of Ukraine.", quote, BODY) == []
    assert unsupported_tokens("About 190,000 people remain in Donetsk.", BODY, BODY) == []
    assert unsupported_tokens("Mr. Dmitriev praised the meeting.", BODY, BODY) == ["Dmitriev"]
