"""Paylark's help-center articles, the corpus of the support copilot (part 8); built by :mod:`.help_center`."""

from __future__ import annotations

import pandas as pd

from . import help_center
from ._base import Column, wrap_bullets

NAME = "help_center_articles"
SUMMARY = ("Paylark's help-center articles in Markdown, the corpus the support copilot retrieves from. "
           "Questions about them are in `help_center_questions`.")
PARTS = ("08",)
COLUMNS = (
    Column("article_id", "str", "Article id, `HC-0001` onwards, in filing order (which says nothing about the topic)."),
    Column("topic", "str", "One of: " + ", ".join(help_center.TOPICS) + "."),
    Column("title", "str", "The article's title, also its first line."),
    Column("language", "str", "`en` (English) or `es` (Spanish)."),
    Column("status", "str", "`current`, or `stale` for an older version that is still online."),
    Column("same_as", "str", "The current English article that this one translates, duplicates or predates; "
                             "`none` for the original."),
    Column("n_words", "int", "Words in the body (split on white space)."),
    Column("body", "str", "The article in Markdown: a `#` title line, then `##` sections."),
)

QUIRKS = """\
- {n:,} articles on {topics} topics; topics share words on purpose (charge, card, account, app, days),
  so a keyword match alone does not pick the right topic. Bodies have {min_words} to {max_words} words
  (median {median_words}), in {min_sections} to {max_sections} `##` sections.
- {es:,} articles are Spanish translations, all in the {es_topics} topics; they are shorter than the
  English originals. Every other article is in English.
- {duplicates:,} near-duplicates: the same article filed twice with a few words changed. Either copy
  answers a question about it.
- {stale:,} stale articles: an older version whose numbers (days, fees, limits, hours) differ from the
  current one, still online. Retrieving one can ground an answer in an outdated fact.
"""


def facts(df: pd.DataFrame) -> dict:
    """The numbers the datasheet quotes, measured from the table."""
    sections = df["body"].str.count(r"(?m)^## ")
    original = df["same_as"] == "none"
    copies = df[~original & (df["language"] == "en")]
    return {
        "n": len(df), "topics": df["topic"].nunique(),
        "min_words": int(df["n_words"].min()), "max_words": int(df["n_words"].max()),
        "median_words": int(df["n_words"].median()),
        "min_sections": int(sections.min()), "max_sections": int(sections.max()),
        "es": int((df["language"] == "es").sum()),
        "es_topics": ", ".join(f"`{t}`" for t in sorted(df.loc[df["language"] == "es", "topic"].unique())),
        "duplicates": int((copies["status"] == "current").sum()), "stale": int((df["status"] == "stale").sum()),
    }


def quirks(df: pd.DataFrame) -> str:
    """The datasheet's "built-in quirks" section."""
    return wrap_bullets(QUIRKS.format(**facts(df)))


def generate(seed: int) -> pd.DataFrame:
    """The article table for ``seed`` (columns as in :data:`COLUMNS`)."""
    return help_center.articles(seed)
