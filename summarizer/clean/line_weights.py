"""Written by benchmarks/train_line_model.py; do not edit."""

WEIGHTS = (
    -7.2857,  # bias
    0.8418,  # log words
    0.0575,  # prose
    -0.8133,  # teaser ending
    1.0810,  # position in span
    -1.8819,  # capitalised words
    -0.0397,  # digits
    1.3729,  # terminal punctuation
    1.1308,  # neighbours' log words
    1.7056,  # neighbours' prose
    0.1491,  # log run of non-prose lines
    0.3328,  # starts lower-case
    0.8985,  # quotation marks
    0.6460,  # log lines to span end
    0.3105,  # all capitals
    -0.1946,  # log distance to long prose
    -2.8804,  # under a list heading
)
THRESHOLD = 0.15
