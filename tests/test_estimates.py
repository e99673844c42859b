"""Edge cases of aipm_lab.estimates; the main behaviour is tested in test_stability.py."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from aipm_lab.estimates import interval_by_size, verdict


@pytest.mark.parametrize(
    "low, high, floor",
    [
        (float("nan"), float("nan"), 0.85),
        (float("nan"), 0.9, 0.85),
        (0.8, float("nan"), 0.85),
        (0.8, 0.9, float("nan")),
    ],
)
def test_verdict_rejects_nan(low, high, floor):
    # NaN used to fall through every comparison to "more data".
    with pytest.raises(ValueError, match="NaN"):
        verdict(low, high, floor)


def test_interval_by_size_reports_each_side_of_an_asymmetric_interval():
    row = interval_by_size(0.95, [30]).iloc[0]
    low, high = proportion_confint(0.95 * 30, 30, alpha=0.05, method="wilson")
    # The existing columns keep their values.
    assert (row["low"], row["high"]) == pytest.approx((low, high))
    assert row["half_width"] == pytest.approx((high - low) / 2)
    # Near 1 the Wilson interval reaches much further down than up: "±8.9" hides "-14.1/+3.8".
    assert row["below"] == pytest.approx(0.95 - low) and row["above"] == pytest.approx(high - 0.95)
    assert row["below"] > row["half_width"] > row["above"]
    assert row["below"] == pytest.approx(0.1405, abs=1e-4)
    assert row["above"] == pytest.approx(0.0384, abs=1e-4)


def test_interval_by_size_sides_add_up_and_are_equal_at_one_half():
    table = interval_by_size(0.5, [10, 100, 1000])
    np.testing.assert_allclose(table["below"], table["above"])
    table = interval_by_size(0.86, [10, 100, 1000])
    np.testing.assert_allclose(table["below"] + table["above"], 2 * table["half_width"])
    assert (table["below"] > table["above"]).all()
