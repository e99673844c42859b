"""Synthetic card transactions for Paylark's fraud model (parts 2, 3, 4, 6, 9)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import Column, bisect_intercept, wrap_bullets

NAME = "card_transactions"
SUMMARY = "Card transactions at Paylark, one row each, labelled fraud or not."
PARTS = ("02", "03", "04", "06", "09", "10")
N_ROWS = 80_000
TARGET_FRAUD_RATE = 0.003

CATEGORIES = {
    # name: (share of transactions, mean of log amount in dollars)
    "grocery": (0.26, 3.6),
    "restaurants": (0.17, 3.3),
    "fuel": (0.13, 3.7),
    "fashion": (0.11, 4.2),
    "digital_goods": (0.10, 2.9),
    "gaming": (0.07, 3.2),
    "electronics": (0.09, 5.1),
    "travel": (0.07, 5.5),
}

COLUMNS = (
    Column(
        "transaction_id",
        "int",
        "Row id, 0 to n-1. Rows are in no particular order and there are no dates, so the table "
        "cannot be split by time.",
    ),
    Column("amount", "float", "Transaction amount in US dollars, two decimals."),
    Column("merchant_category", "str", "One of: " + ", ".join(CATEGORIES) + "."),
    Column("hour", "int", "Local hour of day, 0 to 23."),
    Column("channel", "str", "`online` or `in_store`."),
    Column("is_foreign", "int", "1 when the merchant is outside the card's home country."),
    Column("customer_tenure_days", "int", "Days since the customer opened the account."),
    Column("region", "str", "`urban` or `rural`, from the billing address."),
    Column("device", "str", "`ios`, `android` or `web`: where the customer manages the card."),
    Column("is_fraud", "int", "Label: 1 for a confirmed fraudulent transaction."),
)

# The datasheet's quirks. Every number is filled in from the table by facts(), so the text stays
# true of the data it describes; the words around the numbers ("mostly", "several times") are
# checked for seeds 0 to 19 by tests/test_datasets.py. Definitions the text names (night hours,
# new accounts) are the ones the generator's risk uses; quirks() re-wraps the filled-in lines.
NIGHT_HOURS = (0, 5)
DAY_HOURS = (8, 18)
NEW_ACCOUNT_DAYS = 90
URBAN_FRAUD_CATEGORIES = ("electronics", "digital_goods", "travel")
RURAL_FRAUD_CATEGORIES = ("fuel", "grocery")

QUIRKS = """\
- Fraud is rare: {fraud_rate:.2%} of rows ({n_fraud:,} frauds), so a model that never flags
  anything is {never_flag_accuracy:.2%} accurate.
- Rural accounts make up {rural_share:.0%} of the transactions, and the generator gives them a
  higher fraud risk: in this table {rural_fraud_rate:.2%} of rural transactions are fraud against
  {urban_fraud_rate:.2%} of urban ones ({rural_vs_urban:.1f} times as common). The gap varies
  from seed to seed and, in a rare variant, vanishes by chance.
- Two fraud patterns. Urban fraud is mostly online ({urban_online:.0%} of urban frauds against
  {urban_legit_online:.0%} of legitimate urban transactions), mostly on electronics, digital
  goods or travel ({urban_categories:.0%} against {urban_legit_categories:.0%}) and large
  (median ${urban_amount:,.0f} against ${urban_legit_amount:,.0f}). Night hours
  ({night_label}), merchants abroad and accounts less than {new_days} days old are each several
  times more common in urban fraud than in legitimate urban transactions: at night
  {urban_night:.0%} against {urban_legit_night:.0%}, abroad {urban_foreign:.0%} against
  {urban_legit_foreign:.0%}, new accounts {urban_new:.0%} against {urban_legit_new:.0%}.
- Rural fraud looks different: mostly in-store, the pattern of card skimming
  ({rural_in_store:.0%} of rural frauds against {rural_legit_in_store:.0%} of legitimate rural
  transactions), mostly at fuel and grocery merchants ({rural_categories:.0%} against
  {rural_legit_categories:.0%}), for ordinary amounts (median ${rural_amount:,.0f} against
  ${rural_legit_amount:,.0f}), and mostly in daytime, {day_label} ({rural_day:.0%} against
  {rural_legit_day:.0%}), when most rural spending happens anyway. It shares one urban trait,
  new accounts ({rural_new:.0%} against {rural_legit_new:.0%}).
- Rural fraud is only {rural_share_of_fraud:.0%} of all fraud, so a model fitted to all rows
  learns mostly the urban pattern and misses much of the rural fraud (the blind spot of part 3).
- An unobserved factor drives part of the fraud risk, so no model built on these columns is perfect.
- Rural rows use the web to manage the card more often ({rural_web:.0%} against {urban_web:.0%}
  of urban rows), yet only {rural_among_web:.0%} of web rows are rural: device is a weak proxy
  for region.
"""


def facts(df: pd.DataFrame) -> dict:
    """The numbers the datasheet quotes, computed from a card-transaction table.

    Parameters
    ----------
    df : pandas.DataFrame
        A table from :func:`generate`.

    Returns
    -------
    dict
        The fields of :data:`QUIRKS`; shares are between 0 and 1, amounts in dollars.
    """
    fraud = df["is_fraud"] == 1
    rural = df["region"] == "rural"
    night = df["hour"].between(*NIGHT_HOURS)
    day = df["hour"].between(*DAY_HOURS)
    new = df["customer_tenure_days"] < NEW_ACCOUNT_DAYS
    online = df["channel"] == "online"
    web = df["device"] == "web"
    in_urban = df["merchant_category"].isin(URBAN_FRAUD_CATEGORIES)
    in_rural = df["merchant_category"].isin(RURAL_FRAUD_CATEGORIES)

    def share(flag, rows):
        return float(flag[rows].mean())

    out = {
        "fraud_rate": float(fraud.mean()),
        "n_fraud": int(fraud.sum()),
        "never_flag_accuracy": float(1 - fraud.mean()),
        "rural_share": float(rural.mean()),
        "rural_fraud_rate": share(fraud, rural),
        "urban_fraud_rate": share(fraud, ~rural),
        "rural_share_of_fraud": share(rural, fraud),
        "rural_web": share(web, rural),
        "urban_web": share(web, ~rural),
        "rural_among_web": share(rural, web),
        "night_label": f"{NIGHT_HOURS[0]:02d}:00 to {NIGHT_HOURS[1]:02d}:59",
        "day_label": f"{DAY_HOURS[0]:02d}:00 to {DAY_HOURS[1]:02d}:59",
        "new_days": NEW_ACCOUNT_DAYS,
    }
    out["rural_vs_urban"] = out["rural_fraud_rate"] / out["urban_fraud_rate"]
    for region, rows in (("urban", ~rural), ("rural", rural)):
        for kind, label in (("", fraud), ("_legit", ~fraud)):
            group = rows & label
            out |= {
                f"{region}{kind}_online": share(online, group),
                f"{region}{kind}_in_store": share(~online, group),
                f"{region}{kind}_categories": share(in_urban if region == "urban" else in_rural, group),
                f"{region}{kind}_amount": float(df.loc[group, "amount"].median()),
                f"{region}{kind}_night": share(night, group),
                f"{region}{kind}_day": share(day, group),
                f"{region}{kind}_foreign": share(df["is_foreign"] == 1, group),
                f"{region}{kind}_new": share(new, group),
            }
    return out


def quirks(df: pd.DataFrame) -> str:
    """The datasheet's "built-in quirks" section for a card-transaction table."""
    return wrap_bullets(QUIRKS.format(**facts(df)))


def generate(seed: int, n_rows: int = N_ROWS) -> pd.DataFrame:
    """Generate the card-transaction table for ``seed``.

    Parameters
    ----------
    seed : int
        Seed of the only random source; the same seed gives the same table.
    n_rows : int, default 80_000
        Number of transactions.

    Returns
    -------
    pandas.DataFrame
        One row per transaction, columns as in :data:`COLUMNS`.
    """
    rng = np.random.default_rng(seed)
    names = np.array(list(CATEGORIES))
    shares = np.array([v[0] for v in CATEGORIES.values()])
    log_means = np.array([v[1] for v in CATEGORIES.values()])

    rural = rng.random(n_rows) < 0.10
    cat_idx = rng.choice(len(names), size=n_rows, p=shares / shares.sum())
    amount = np.round(np.exp(rng.normal(log_means[cat_idx], 0.75)), 2).clip(0.5, 9_999.0)
    # Daytime-heavy hours: a mixture of a daytime bump and a flat background.
    hour = np.where(rng.random(n_rows) < 0.85, rng.normal(14, 4, n_rows), rng.uniform(0, 24, n_rows))
    hour = np.mod(np.round(hour), 24).astype(int)
    online_share = np.where(np.isin(names[cat_idx], ["digital_goods", "gaming"]), 0.9, 0.3)
    online = rng.random(n_rows) < np.where(rural, online_share * 0.6, online_share)
    foreign = rng.random(n_rows) < np.where(names[cat_idx] == "travel", 0.35, 0.03)
    tenure = np.round(rng.exponential(700, n_rows)).astype(int) + 1
    device = np.where(
        rng.random(n_rows) < np.where(rural, 0.45, 0.2),
        "web",
        np.where(rng.random(n_rows) < 0.55, "ios", "android"),
    )
    latent = rng.normal(0, 1.0, n_rows)

    cat = names[cat_idx]
    log_amount = np.log(amount / 50)
    night = (hour <= 5).astype(float)
    new = (tenure < 90).astype(float)
    urban_risk = (
        3.6 * online
        + 2.6 * np.isin(cat, ["electronics", "digital_goods"])
        + 1.8 * (cat == "travel")
        + 1.6 * log_amount
        + 3.0 * foreign
        + 3.0 * night
        + 2.8 * new
        + 0.6 * latent
    )
    # Rural fraud shares a little of the urban pattern (new accounts, abroad) but is mostly
    # in-store skimming at fuel and grocery merchants, in daytime, for ordinary amounts.
    rural_risk = (
        3.2 * (cat == "fuel")
        + 2.0 * (cat == "grocery")
        + 2.2 * (~online)
        - 0.5 * np.abs(log_amount)
        + 1.2 * ((hour >= 8) & (hour <= 18))
        + 2.2 * new
        + 2.2 * foreign
        + 1.5 * night
        + 0.6 * latent
    )
    # Rural fraud is a little more common than urban fraud, so the segment is worth protecting.
    b_urban = bisect_intercept(urban_risk[~rural], TARGET_FRAUD_RATE * 0.93)
    b_rural = bisect_intercept(rural_risk[rural], TARGET_FRAUD_RATE * 1.6)
    logit = np.where(rural, rural_risk + b_rural, urban_risk + b_urban)
    fraud = rng.random(n_rows) < 1 / (1 + np.exp(-logit))

    return pd.DataFrame(
        {
            "transaction_id": np.arange(n_rows),
            "amount": amount,
            "merchant_category": cat,
            "hour": hour,
            "channel": np.where(online, "online", "in_store"),
            "is_foreign": foreign.astype(int),
            "customer_tenure_days": tenure,
            "region": np.where(rural, "rural", "urban"),
            "device": device,
            "is_fraud": fraud.astype(int),
        }
    )
