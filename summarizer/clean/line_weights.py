"""Written by benchmarks/train_line_model.py; do not edit."""

WEIGHTS = (
    -7.7364,  # bias
    0.9215,  # log words
    0.5292,  # prose
    -0.4703,  # teaser ending
    0.9091,  # position in span
    -1.5126,  # capitalised words
    1.3533,  # digits
    1.2093,  # terminal punctuation
    0.9375,  # neighbours' log words
    2.5649,  # neighbours' prose
    0.2132,  # log run of non-prose lines
    0.2943,  # starts lower-case
    0.9053,  # quotation marks
    0.5989,  # log lines to span end
    0.2747,  # all capitals
    -0.1685,  # log distance to long prose
    -2.9069,  # under a list heading
)
THRESHOLD = 0.2
