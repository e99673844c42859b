"""Cost, latency and context-window arithmetic, checked against hand computations."""

from __future__ import annotations

import numpy as np
import pytest

from aipm_lab import llm_costs as lc


def test_price_table_is_dated_and_complete():
    assert lc.PRICES_AS_OF in lc.PRICE_NOTE and "change" in lc.PRICE_NOTE
    assert (lc.PRICES["cached_input_per_m"] < lc.PRICES["input_per_m"]).all()
    assert (lc.PRICES[["input_per_m", "output_per_m", "context_window"]] > 0).all().all()


def test_request_cost_by_hand():
    row = lc.PRICES.loc["lark-standard"]
    expected = (1500 - 600) * row.input_per_m / 1e6 + 600 * row.cached_input_per_m / 1e6 + 200 * row.output_per_m / 1e6
    assert lc.request_cost(1500, 200, "lark-standard", cached_tokens=600) == pytest.approx(expected)
    many = lc.request_cost(np.array([1500, 10]), np.array([200, 0]), "lark-standard")
    assert many[1] == pytest.approx(10 * row.input_per_m / 1e6)


def test_monthly_cost_is_thirty_days_of_requests():
    assert lc.monthly_cost(0.01, 1000) == pytest.approx(0.01 * 1000 * 30)


def test_latency_reproduces_the_twelve_versus_one_point_two_seconds():
    assert lc.latency_seconds(250, "lark-max") == pytest.approx(12.0)
    assert lc.latency_seconds(250, "lark-mini") == pytest.approx(1.2)


@pytest.mark.parametrize("seed", range(20))
def test_chunks_that_fit_matches_a_brute_force_count(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 400, rng.integers(0, 12))
    budget = int(rng.integers(0, 2000))
    brute = max((n for n in range(len(sizes) + 1) if sizes[:n].sum() <= budget), default=0)
    assert lc.chunks_that_fit(sizes, budget) == brute


def test_context_budget_reserves_the_answer():
    assert lc.context_budget("lark-mini", 300, 20, 400) == 16_000 - 720
    assert lc.context_budget("lark-mini", 300, 20, 400, window=500) == 0


def test_cost_table_has_every_tier():
    table = lc.cost_table(2000, 250, 10_000)
    assert list(table.index) == list(lc.PRICES.index)
    assert table.loc["lark-mini", "monthly_cost"] == pytest.approx(lc.request_cost(2000, 250, "lark-mini") * 300_000)


def test_bad_input_is_a_plain_error():
    with pytest.raises(ValueError, match="unknown tier"):
        lc.request_cost(1, 1, "gpt-9")
    with pytest.raises(ValueError, match="cannot exceed"):
        lc.request_cost(10, 1, "lark-mini", cached_tokens=11)
    with pytest.raises(ValueError, match="negative"):
        lc.chunks_that_fit([1], -1)
