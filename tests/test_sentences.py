import pytest

from summarizer.clean.sentences import split_sentences


def texts(paragraph: str) -> list[str]:
    return [s.text for s in split_sentences(paragraph)]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "Mr. Witkoff met Mr. Dmitriev. They talked.",
            ["Mr. Witkoff met Mr. Dmitriev.", "They talked."],
        ),
        (
            "The U.S. envoy arrived. The talks began on Jan. 23 and ended Jan. 24.",
            ["The U.S. envoy arrived.", "The talks began on Jan. 23 and ended Jan. 24."],
        ),
        ("Aid came from the U.S. The talks resumed.", ["Aid came from the U.S.", "The talks resumed."]),
        (
            "It was “productive and constructive.” The Ukrainians were not there.",
            ["It was “productive and constructive.”", "The Ukrainians were not there."],
        ),
        (
            "“We are ready,” he said. “Are you?” she asked.",
            ["“We are ready,” he said.", "“Are you?” she asked."],
        ),
        (
            "Prices rose 3.5 percent. John F. Kennedy Airport shut at 4 p.m. on Friday.",
            ["Prices rose 3.5 percent.", "John F. Kennedy Airport shut at 4 p.m. on Friday."],
        ),
        (
            "Hours run to 5 p.m. and cost $21,000 a year. The vote is at 6 p.m. The board meets first.",
            ["Hours run to 5 p.m. and cost $21,000 a year.", "The vote is at 6 p.m.", "The board meets first."],
        ),
    ],
)
def test_split_survives_abbreviations_and_quotes(paragraph: str, expected: list[str]) -> None:
    assert texts(paragraph) == expected


def test_spans_are_exact_slices() -> None:
    paragraph = "  First one.   Second, with “a quote.”  Third? "
    for span in split_sentences(paragraph):
        assert paragraph[span.start : span.end] == span.text
    assert texts(paragraph) == ["First one.", "Second, with “a quote.”", "Third?"]
