"""Synthetic card transactions for Paylark's fraud model (parts 2, 3, 4, 6, 9)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import Column, bisect_intercept

NAME = "card_transactions"
SUMMARY = "Card transactions at Paylark, one row each, labelled fraud or not."
PARTS = ("02", "03")
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
    Column("transaction_id", "int", "Row id, 0 to n-1 in time order."),
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

QUIRKS = """\
- Fraud is rare (about 0.3% of rows), so a model that never flags anything is about 99.7% accurate.
- Two fraud patterns. In urban accounts fraud is mostly online, at night, abroad, large, on
  electronics, digital goods or travel, and on new accounts. In rural accounts (about 10% of rows)
  fraud is mostly in-store card skimming at fuel and grocery merchants, in daytime, for ordinary
  amounts. A model fitted to all rows learns the urban pattern and misses much rural fraud
  (the blind spot of part 3).
- An unobserved factor drives part of the fraud risk, so no model built on these columns is perfect.
- Rural customers manage their cards on the web more often; device is a weak proxy for region.
"""


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
