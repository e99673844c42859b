"""The daily readout of Paylark's A/B test of a new merchant-offers ranker (part 7)."""

from __future__ import annotations

import pandas as pd

from ._base import Column, wrap_bullets

NAME = "merchant_offers"
SUMMARY = ("Daily results of Paylark's A/B test of a new merchant-offers ranker (arm B) against the current "
           "one (arm A): one row per test day and arm, with users and the users who clicked, activated an "
           "offer or complained.")
PARTS = ("07",)
DAYS = 28
PLANNED_DAYS = 14

COLUMNS = (
    Column("day", "int", "Test day, 1 (launch) to the last day. Days 6, 7, 13, 14, ... are weekends. Rows are "
           "in time order: the table can and should be split by day (the test was planned for days 1 to 14)."),
    Column("arm", "str", "`A` (current ranker, control) or `B` (new ranker, treatment); users are randomised 50/50."),
    Column("users", "int", "Users who first reached the offers page that day in this arm."),
    Column("clicks", "int", "Of those, users who clicked at least one offer (short-term engagement)."),
    Column("activations", "int", "Of those, users who activated an offer (the primary metric: merchants pay for it)."),
    Column("complaints", "int", "Of those, users who complained about offers (the guardrail)."),
)

# Every number is filled in from the table by facts(); the generator's effects are drawn from the seed
# within stated ranges (aipm_lab.experiments.offer_test), so only the directions are promised by the words.
QUIRKS = """\
- Arm B activates more: over the planned {planned} days its activation rate is {act_b:.2%} against {act_a:.2%}
  for arm A ({act_lift:+.1%} relative). The generator builds in a lift of {act_low:.0%} to {act_high:.0%}
  for every seed.
- Complaints (the guardrail): {comp_b:.3%} of arm B's users against {comp_a:.3%} of arm A's over
  the planned {planned} days ({comp_lift:+.0%} relative). The generator's complaint lift ranges from {comp_low:.0%} to
  {comp_high:.0%} across seeds, so in some variants the guardrail vetoes the launch and in others it does not.
- Clicks show a novelty effect: B's click lift is {click_first:+.1%} in the first week and
  {click_last:+.1%} in the last week; the boost ({nov_low:.0%} to {nov_high:.0%} on launch day) fades with a
  time constant of {novelty_days:g} days over a lasting lift of {click_low:.0%} to {click_high:.0%}.
- Weekend days bring less traffic: {weekend_users:,.0f} users a weekend day against
  {weekday_users:,.0f} a weekday, both arms together.
- Counts are users, not events: a user who clicks three offers counts once.
"""


def facts(df: pd.DataFrame) -> dict:
    """The numbers the datasheet quotes, computed from a readout table."""
    from aipm_lab.experiments import NOVELTY_DAYS, OFFER_EFFECTS, readout

    act = readout(df, "activations", (1, PLANNED_DAYS))
    comp = readout(df, "complaints", (1, PLANNED_DAYS))
    per_day = df.groupby("day").users.sum()
    weekend = (per_day.index - 1) % 7 >= 5
    return {"planned": PLANNED_DAYS, "act_a": act["rate_a"], "act_b": act["rate_b"], "act_lift": act["relative_lift"],
            "comp_a": comp["rate_a"], "comp_b": comp["rate_b"], "comp_lift": comp["relative_lift"],
            "click_first": readout(df, "clicks", (1, 7))["relative_lift"],
            "click_last": readout(df, "clicks", (df.day.max() - 6, df.day.max()))["relative_lift"],
            "novelty_days": NOVELTY_DAYS, "weekend_users": per_day[weekend].mean(), "weekday_users": per_day[~weekend].mean(),
            **{f"{short}_{end}": OFFER_EFFECTS[name][i] for short, name in
               (("act", "activation_lift"), ("comp", "complaint_lift"), ("nov", "novelty"), ("click", "click_lift"))
               for i, end in enumerate(("low", "high"))}}


def quirks(df: pd.DataFrame) -> str:
    """The datasheet's "built-in quirks" section for a readout table."""
    return wrap_bullets(QUIRKS.format(**facts(df)))


def generate(seed: int) -> pd.DataFrame:
    """The 28-day readout for ``seed`` (see :func:`aipm_lab.experiments.offer_test`)."""
    from aipm_lab.experiments import offer_test

    return offer_test(seed, days=DAYS)
