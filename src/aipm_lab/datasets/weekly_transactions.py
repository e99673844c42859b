"""A year of Paylark's card transactions, week by week, for monitoring the fraud model (part 6).

Every week is drawn with :func:`aipm_lab.datasets.transactions.generate`, so outside the
holiday season a week looks like Part 2's table (the data the fraud model was fitted on).
Two changes are built in, at weeks the generator fixes for every seed:

* the holiday season (November and December): more transactions, and a mix that leans to
  electronics, fashion, gaming and online shopping. The features drift; what makes a
  transaction fraud does not (the rows are resampled by category and channel, so the chance
  of fraud given the features is unchanged).
* a new fraud pattern from mid-year: online game purchases in the evening on long-standing,
  domestic accounts, which looks like ordinary spending to a model that learned the old fraud. It is a fraction of a percent of the rows, so the inputs
  barely move while the losses do.

Fraud labels arrive late: a fraud is known only when its chargeback comes in, some weeks
after the transaction (``chargeback_delay_weeks``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from . import transactions
from ._base import Column, wrap_bullets

NAME = "card_transactions_weekly"
SUMMARY = ("A year of card transactions at Paylark, week by week, with fraud labels that arrive "
           "late (chargebacks): the fraud model's first year in production.")
PARTS = ("06",)

N_WEEKS = 52
FIRST_MONDAY = dt.date(2026, 1, 5)
"""Week 1 starts on this Monday; week w starts ``7 * (w - 1)`` days later."""
WEEKLY_ROWS = 1_100
"""Transactions in an ordinary week (before the holiday season's extra volume)."""

HOLIDAY_START = 44
"""First week of the holiday season: the week starting Monday 2 November 2026."""
PEAK_WEEKS = (47, 51)
"""Black Friday to Christmas: the season's busiest weeks (inclusive)."""
# Extra volume (a multiple of an ordinary week) and how strongly the mix shifts, per holiday week.
VOLUME = {**dict.fromkeys(range(44, 47), 1.25), **dict.fromkeys(range(47, 52), 1.6), 52: 1.25}
INTENSITY = {**dict.fromkeys(range(44, 47), 0.5), **dict.fromkeys(range(47, 52), 1.0), 52: 0.6}
# Holiday-peak weight of each category relative to the rest of the year (gifts up, errands down).
HOLIDAY_CATEGORY_WEIGHT = {
    "grocery": 0.5, "restaurants": 0.7, "fuel": 0.45, "fashion": 2.0,
    "digital_goods": 1.3, "gaming": 1.7, "electronics": 2.6, "travel": 1.0,
}
HOLIDAY_ONLINE_WEIGHT = 1.5

NEW_PATTERN_START = 27
"""First week with the new fraud pattern: the week starting Monday 6 July 2026."""
NEW_PATTERN_RAMP = 4
"""Weeks over which the new pattern grows to its full rate."""
NEW_PATTERN_RATE = 0.004
"""New-pattern frauds per transaction once fully grown (the old fraud runs at about 0.3%)."""
NEW_PATTERN_CATEGORY = "gaming"
NEW_PATTERN_HOURS = (19, 23)
"""Evening hours (inclusive) in which the new pattern strikes."""

MAX_DELAY = 8
"""A chargeback arrives 1 to ``MAX_DELAY`` weeks after its transaction."""

COLUMNS = (
    Column("week", "int", f"Week of the year, 1 to {N_WEEKS}; week 1 starts on Monday "
           f"{FIRST_MONDAY:%d %B %Y}. Rows are sorted by week and in random order within a week."),
    *(c for c in transactions.COLUMNS if c.name not in ("transaction_id", "is_fraud")),
    Column("is_fraud", "int", "Label: 1 for a fraud, as finally known once every chargeback is in."),
    Column("chargeback_delay_weeks", "int",
           f"Weeks from the transaction to its chargeback, 1 to {MAX_DELAY}, for a fraud; 0 for a "
           "legitimate transaction (no chargeback ever comes). Until then the fraud looks legitimate."),
)


def week_start(week: int) -> dt.date:
    """The Monday that starts ``week`` (1-based)."""
    return FIRST_MONDAY + dt.timedelta(weeks=int(week) - 1)


def _holiday_weights(week_df: pd.DataFrame, intensity: float) -> np.ndarray:
    """Resampling weights that shift a week's mix towards the holiday peak by ``intensity``."""
    cat = week_df["merchant_category"].map(HOLIDAY_CATEGORY_WEIGHT).to_numpy(float)
    online = np.where(week_df["channel"] == "online", HOLIDAY_ONLINE_WEIGHT, 1.0)
    return (cat * online) ** intensity


def _new_pattern(rng: np.random.Generator, donors: pd.DataFrame, weeks: np.ndarray) -> pd.DataFrame:
    """One fraud of the new pattern per entry of ``weeks``, on accounts and devices drawn from ``donors``."""
    n = len(weeks)
    rows = donors.iloc[rng.integers(0, len(donors), n)].copy()
    rows["merchant_category"] = NEW_PATTERN_CATEGORY
    rows["amount"] = np.round(np.exp(rng.normal(np.log(30.0), 0.4, n)), 2)
    rows["channel"] = "online"
    rows["hour"] = rng.integers(NEW_PATTERN_HOURS[0], NEW_PATTERN_HOURS[1] + 1, n)
    rows["is_foreign"] = 0
    # Long-standing accounts (taken over, not newly opened): at least a year old.
    rows["customer_tenure_days"] = np.maximum(rows["customer_tenure_days"].to_numpy(), 365)
    rows["is_fraud"] = 1
    rows["week"] = weeks
    return rows


def generate(seed: int) -> pd.DataFrame:
    """Generate a year of weekly card transactions for ``seed``.

    Parameters
    ----------
    seed : int
        Seed of every random source; the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        One row per transaction, columns as in :data:`COLUMNS`, sorted by week.
    """
    rng = np.random.default_rng(seed)
    sizes = {week: int(round(WEEKLY_ROWS * VOLUME.get(week, 1.0))) for week in range(1, N_WEEKS + 1)}
    # One draw of Part 2's generator for the whole year (ordinary weeks take their rows as they come;
    # each holiday week takes three times its size and resamples it), sliced into weeks.
    pool_sizes = [size * (3 if week in INTENSITY else 1) for week, size in sizes.items()]
    pool = transactions.generate(int(rng.integers(2**31)), n_rows=sum(pool_sizes)).drop(columns="transaction_id")
    pool_week = np.repeat(np.arange(1, N_WEEKS + 1), pool_sizes)
    keep = pool_week < HOLIDAY_START
    for week in INTENSITY:
        # Resampling towards the holiday mix shifts the features and leaves the chance of fraud
        # given the features what it was.
        rows = np.flatnonzero(pool_week == week)
        weights = _holiday_weights(pool.iloc[rows], INTENSITY[week])
        keep[rng.choice(rows, sizes[week], replace=False, p=weights / weights.sum())] = True
    df = pool[keep].assign(week=pool_week[keep])
    # The new pattern: a Poisson number of extra frauds per week, ramping up from its first week.
    later = np.arange(NEW_PATTERN_START, N_WEEKS + 1)
    ramp = np.minimum(1.0, (later - NEW_PATTERN_START + 1) / NEW_PATTERN_RAMP)
    counts = np.maximum(1, rng.poisson(NEW_PATTERN_RATE * ramp * np.array([sizes[w] for w in later])))
    donors = df[(df["is_fraud"] == 0) & (df["region"] == "urban")]
    df = pd.concat([df, _new_pattern(rng, donors, np.repeat(later, counts))], ignore_index=True)
    # Sorted by week, in random order within a week.
    df = df.iloc[np.lexsort((rng.random(len(df)), df["week"].to_numpy()))].reset_index(drop=True)
    fraud = df["is_fraud"].to_numpy() == 1
    delay = 1 + rng.binomial(MAX_DELAY - 1, 0.3, len(df))
    df["chargeback_delay_weeks"] = np.where(fraud, delay, 0)
    return df[[c.name for c in COLUMNS]]


def looks_like_new_pattern(df: pd.DataFrame) -> pd.Series:
    """Rows that fit the new pattern's description, in any week (the table has no pattern column)."""
    return (
        (df["merchant_category"] == NEW_PATTERN_CATEGORY)
        & (df["channel"] == "online")
        & df["hour"].between(*NEW_PATTERN_HOURS)
        & (df["customer_tenure_days"] >= 365)
        & (df["is_foreign"] == 0)
    )


QUIRKS = """\
- Week 1 starts on Monday {first_day}; week {holiday_start} (from {holiday_day}) to week {last_week}
  are the holiday season, November and December. An ordinary week has about {ordinary_rows:,}
  transactions (median of weeks 1 to {before_holiday}); the peak weeks {peak_label} have a median
  of {peak_rows:,}.
- The holiday mix leans to gifts and online shopping: electronics are {electronics_before:.1%} of
  transactions in weeks 1 to {before_holiday} and {electronics_peak:.1%} in the peak weeks, fashion
  {fashion_before:.1%} and {fashion_peak:.1%}, groceries {grocery_before:.1%} and {grocery_peak:.1%},
  online payments {online_before:.1%} and {online_peak:.1%}. The holiday rows are resampled by category
  and channel, so the chance of fraud for a given transaction stays what it was: in the holidays the
  inputs drift and the fraud does not.
- A new fraud pattern starts in week {new_start} (from {new_day}) and grows over {ramp} weeks: online
  purchases at gaming merchants between {hours_label}, on domestic accounts at least a year old
  (median amount ${pattern_amount:.0f}). Transactions of that description are
  {pattern_fraud_before:.2%} fraud in weeks 1 to {before_new} and {pattern_fraud_after:.1%} fraud
  from week {new_start}. Fraud overall goes
  from {fraud_before:.2%} of transactions (weeks 1 to {before_new}) to {fraud_after:.2%} (weeks
  {new_start} to {last_week}), yet frauds of that description are only {new_share_of_rows:.2%} of the rows from
  week {new_start}, too few to move any input's distribution much.
- Labels arrive late. A fraud becomes known when its chargeback comes in, {min_delay} to
  {max_delay} weeks after the transaction (median {median_delay:.0f}); {within_two:.0%} of
  chargebacks arrive within 2 weeks and {within_four:.0%} within 4. Until then a fraud looks
  legitimate, so the latest weeks always look better than they are.
- {n_rows:,} transactions, {n_fraud:,} of them fraud ({fraud_rate:.2%}).
"""


def facts(df: pd.DataFrame) -> dict:
    """The numbers the datasheet quotes, computed from a weekly table.

    Parameters
    ----------
    df : pandas.DataFrame
        A table from :func:`generate`.

    Returns
    -------
    dict
        The fields of :data:`QUIRKS`; shares between 0 and 1.
    """
    week = df["week"]
    per_week = week.value_counts().sort_index()
    before = week < HOLIDAY_START
    peak = week.between(*PEAK_WEEKS)
    fraud = df["is_fraud"] == 1
    old_era, new_era = week < NEW_PATTERN_START, week >= NEW_PATTERN_START
    # Transactions that fit the new pattern's description, in either half of the year.
    looks = looks_like_new_pattern(df)
    delays = df.loc[fraud, "chargeback_delay_weeks"]

    def share(flag, rows):
        return float(flag[rows].mean())

    out = {
        "first_day": f"{FIRST_MONDAY:%d %B %Y}",
        "holiday_start": HOLIDAY_START,
        "holiday_day": f"{week_start(HOLIDAY_START):%d %B}",
        "last_week": N_WEEKS,
        "before_holiday": HOLIDAY_START - 1,
        "ordinary_rows": int(per_week[per_week.index < HOLIDAY_START].median()),
        "peak_label": f"{PEAK_WEEKS[0]} to {PEAK_WEEKS[1]}",
        "peak_rows": int(per_week[per_week.index.isin(range(PEAK_WEEKS[0], PEAK_WEEKS[1] + 1))].median()),
        "online_before": share(df["channel"] == "online", before),
        "online_peak": share(df["channel"] == "online", peak),
        "new_start": NEW_PATTERN_START,
        "new_day": f"{week_start(NEW_PATTERN_START):%d %B}",
        "ramp": NEW_PATTERN_RAMP,
        "hours_label": f"{NEW_PATTERN_HOURS[0]:02d}:00 and {NEW_PATTERN_HOURS[1]:02d}:59",
        "pattern_amount": float(df.loc[looks & new_era & fraud, "amount"].median()),
        "before_new": NEW_PATTERN_START - 1,
        "pattern_fraud_before": share(fraud, looks & old_era),
        "pattern_fraud_after": share(fraud, looks & new_era),
        "fraud_before": share(fraud, old_era),
        "fraud_after": share(fraud, new_era),
        "new_share_of_rows": share(looks & fraud, new_era),
        "min_delay": int(delays.min()),
        "max_delay": int(delays.max()),
        "median_delay": float(delays.median()),
        "within_two": float((delays <= 2).mean()),
        "within_four": float((delays <= 4).mean()),
        "n_rows": len(df),
        "n_fraud": int(fraud.sum()),
        "fraud_rate": float(fraud.mean()),
    }
    for cat in ("electronics", "fashion", "grocery"):
        out[f"{cat}_before"] = share(df["merchant_category"] == cat, before)
        out[f"{cat}_peak"] = share(df["merchant_category"] == cat, peak)
    return out


def quirks(df: pd.DataFrame) -> str:
    """The datasheet's "built-in quirks" section for a weekly table."""
    return wrap_bullets(QUIRKS.format(**facts(df)))
