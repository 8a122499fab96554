"""Written by benchmarks/train_line_model.py; do not edit."""

WEIGHTS = (
    -4.5459,  # bias
    0.2683,  # log words
    0.2323,  # prose
    -0.3926,  # teaser ending
    -0.0833,  # position in span
    -1.8125,  # capitalised words
    -1.6710,  # digits
    1.5047,  # terminal punctuation
    1.2090,  # neighbours' log words
    2.1953,  # neighbours' prose
    0.0826,  # log run of non-prose lines
    0.2621,  # starts lower-case
    -0.0345,  # quotation marks
    0.2566,  # log lines to span end
    -0.3803,  # all capitals
    -0.3746,  # log distance to long prose
    -2.3262,  # under a list heading
)
THRESHOLD = 0.45
