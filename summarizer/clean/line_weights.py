"""Written by benchmarks/train_line_model.py; do not edit."""

WEIGHTS = (
    -7.7349,  # bias
    0.9222,  # log words
    0.5128,  # prose
    -0.5085,  # teaser ending
    0.9357,  # position in span
    -1.4993,  # capitalised words
    1.3555,  # digits
    1.2028,  # terminal punctuation
    0.9255,  # neighbours' log words
    2.5829,  # neighbours' prose
    0.1843,  # log run of non-prose lines
    0.3159,  # starts lower-case
    0.9098,  # quotation marks
    0.6081,  # log lines to span end
    0.2678,  # all capitals
    -0.1689,  # log distance to long prose
    -2.8046,  # under a list heading
)
THRESHOLD = 0.2
