"""A small offline language guess from function words: enough to pick the output
language and to warn, not a general-purpose detector."""

from __future__ import annotations

import re
from collections import Counter

_STOPWORDS = {
    "en": "the and of to in is that for was on with as by it at from he said have has are were".split(),
    "de": "der die und das ist nicht mit den von sich des auf für im dem eine ein auch wurde".split(),
    "fr": "le la les et des est une dans que pour qui pas sur au du avec il elle sont été".split(),
    "es": "el la los las y de que en por una con para es se del al fue como más pero".split(),
    "it": "il la di che e per una sono gli con del della non è alla nel anche".split(),
    "pt": "o a os as de que e do da em um uma para com não se por mais foi".split(),
    "nl": "de het een en van in is dat op te zijn met voor niet aan er ook".split(),
    "ru": "и в не на что с по он как это из за то но для от его она".split(),
    "uk": "і в не на що з по він як це із за та але для від його вона".split(),
    "pl": "i w nie na się z że do to jest o jak ale po co tak przez".split(),
}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    words = _WORD.findall(text[:20000].lower())
    if len(words) < 5:
        return None
    counts = Counter(words)
    scores = {language: sum(counts[word] for word in set(stop)) for language, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda language: scores[language])
    return best if scores[best] >= max(2, len(words) // 50) else None
