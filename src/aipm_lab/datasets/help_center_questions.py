"""Customer questions with gold help-center articles, the copilot's eval set (part 8); built by :mod:`.help_center`."""

from __future__ import annotations

import pandas as pd

from . import help_center
from ._base import Column, wrap_bullets

NAME = "help_center_questions"
SUMMARY = ("Customer questions to Paylark's support copilot, each with the help-center article(s) that answer it "
           "(ids in `help_center_articles` of the same seed), or `none`.")
PARTS = ("08",)
COLUMNS = (
    Column("question_id", "int", "Row id, 0 to n-1."),
    Column("text", "str", "The question as the customer typed it."),
    Column("kind", "str", "`exact` (the article's own words), `paraphrase` (other words), `typo`, `spanish` or "
                          "`unanswerable` (the help center does not cover it)."),
    Column("language", "str", "`en` or `es`."),
    Column("topic", "str", "Topic of the gold article; `none` when unanswerable."),
    Column("gold_articles", "str", "Space-separated ids of every article that answers the question (the current "
                                   "original, its Spanish translation and near-duplicate if any; never a stale "
                                   "version); `none` when unanswerable."),
)

QUIRKS = """\
- {n:,} questions: {kinds}.
- Paraphrased questions name the thing in a customer's words ("a cancelled flight" for an airline
  refund), so they share few words with the gold article. Typo questions are exact questions with one
  or two swapped, dropped or doubled letters.
- {spanish:,} Spanish questions: by design {es_with:.0%} of them ask about an article that has a Spanish
  translation; the rest ask about one that has none, and mix Spanish with the English name of the thing.
- Unanswerable questions ({unanswerable:,}, {unanswerable_es:,} of them in Spanish) ask about products
  Paylark does not offer; several borrow the help center's words (refund, transfer, card).
- {multi:,} answerable questions have more than one gold article (a translation or a near-duplicate):
  retrieving any of them counts as a hit.
"""


def facts(df: pd.DataFrame) -> dict:
    """The numbers the datasheet quotes, measured from the table."""
    counts = df["kind"].value_counts()
    unanswerable = df["kind"] == "unanswerable"
    return {
        "n": len(df), "kinds": ", ".join(f"{counts.get(k, 0):,} {k}" for k in help_center.KIND_SHARES),
        "spanish": int(counts.get("spanish", 0)), "es_with": help_center.SPANISH_ON_TRANSLATED,
        "unanswerable": int(unanswerable.sum()), "unanswerable_es": int((unanswerable & (df["language"] == "es")).sum()),
        "multi": int((df["gold_articles"].str.count(" ") > 0).sum()),
    }


def quirks(df: pd.DataFrame) -> str:
    """The datasheet's "built-in quirks" section."""
    return wrap_bullets(QUIRKS.format(**facts(df)))


def generate(seed: int) -> pd.DataFrame:
    """The question table for ``seed`` (columns as in :data:`COLUMNS`)."""
    return help_center.questions(seed)
