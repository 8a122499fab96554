"""Written by benchmarks/train_line_model.py; do not edit."""

WEIGHTS = (
    -4.5872,  # bias
    0.2361,  # log words
    0.2135,  # prose
    -0.1502,  # teaser ending
    0.7643,  # position in span
    -2.2805,  # capitalised words
    -0.5935,  # digits
    1.5966,  # terminal punctuation
    0.9882,  # neighbours' log words
    2.1606,  # neighbours' prose
    0.0100,  # log run of non-prose lines
    0.4747,  # starts lower-case
    0.1128,  # quotation marks
    0.4966,  # log lines to span end
    -0.0851,  # all capitals
    -0.5200,  # log distance to long prose
    -2.0562,  # under a list heading
)
THRESHOLD = 0.3
