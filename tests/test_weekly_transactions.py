"""The weekly transactions keep the promises Part 6's lesson and exercises rely on, for every seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aipm_lab.datasets import to_csv_bytes
from aipm_lab.datasets import weekly_transactions as weekly

SEEDS = range(5)


@pytest.fixture(scope="module", params=SEEDS)
def table(request):
    return weekly.generate(request.param)


def test_every_week_is_there_in_order_with_the_promised_volume(table):
    assert table["week"].is_monotonic_increasing
    counts = table["week"].value_counts().sort_index()
    assert counts.index.tolist() == list(range(1, weekly.N_WEEKS + 1))
    ordinary = counts.loc[: weekly.NEW_PATTERN_START - 1]
    assert (ordinary == weekly.WEEKLY_ROWS).all()
    assert (counts.loc[weekly.HOLIDAY_START:] > weekly.WEEKLY_ROWS).all()
    assert counts.loc[weekly.PEAK_WEEKS[0]:weekly.PEAK_WEEKS[1]].min() > counts.loc[: weekly.HOLIDAY_START - 1].max()


def test_the_holiday_mix_leans_to_gifts_and_online(table):
    facts = weekly.facts(table)
    assert facts["electronics_peak"] > facts["electronics_before"] + 0.03
    assert facts["grocery_peak"] < facts["grocery_before"] - 0.05
    assert facts["online_peak"] > facts["online_before"] + 0.05


def test_the_new_pattern_starts_in_its_week_and_raises_fraud(table):
    looks = weekly.looks_like_new_pattern(table) & (table["is_fraud"] == 1)
    per_week = looks.groupby(table["week"]).sum()
    assert (per_week.loc[weekly.NEW_PATTERN_START:] >= 1).all()
    assert per_week.loc[: weekly.NEW_PATTERN_START - 1].sum() <= 2  # the old fraud matches it only by chance
    facts = weekly.facts(table)
    assert facts["fraud_after"] > facts["fraud_before"] * 1.5
    assert facts["new_share_of_rows"] < 0.01


def test_chargeback_delays_are_in_range_and_only_for_fraud(table):
    fraud = table["is_fraud"] == 1
    assert table.loc[~fraud, "chargeback_delay_weeks"].eq(0).all()
    assert table.loc[fraud, "chargeback_delay_weeks"].between(1, weekly.MAX_DELAY).all()


def test_same_seed_same_table_and_the_file_stays_small():
    a, b = weekly.generate(11), weekly.generate(11)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(weekly.generate(12))
    assert len(to_csv_bytes(a)) < 4_000_000
    assert list(a.columns) == [c.name for c in weekly.COLUMNS]


def test_week_start_dates():
    assert weekly.week_start(1).isoformat() == "2026-01-05"
    assert weekly.week_start(weekly.HOLIDAY_START).month == 11
    assert weekly.week_start(weekly.HOLIDAY_START - 1).month == 10
    assert weekly.week_start(weekly.N_WEEKS).month == 12
    assert weekly.week_start(weekly.NEW_PATTERN_START).month == 7
    assert np.isfinite(weekly.facts(weekly.generate(3))["median_delay"])
