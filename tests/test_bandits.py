"""Tests for aipm_lab.bandits."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from aipm_lab import bandits

RATES = [0.030, 0.036]


def test_fixed_split_regret_is_half_the_traffic_times_the_gap():
    r = bandits.simulate(RATES, days=10, daily_users=1_000, policy="fixed", runs=300, seed=1)
    expected = np.arange(1, 11) * 1_000 / 2 * (RATES[1] - RATES[0])
    assert r.regret == pytest.approx(expected, rel=0.02)
    assert r.users.sum(axis=1).tolist() == [10_000] * 300
    assert r.share(0) == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("policy", ["thompson", "epsilon-greedy"])
def test_bandits_regret_less_and_learn_less_about_the_loser(policy):
    fixed = bandits.simulate(RATES, 20, 2_000, "fixed", runs=100, seed=2)
    other = bandits.simulate(RATES, 20, 2_000, policy, runs=100, seed=2)
    assert other.regret[-1] < 0.6 * fixed.regret[-1]
    assert other.share(0) < 0.3
    assert other.interval_width(0) > fixed.interval_width(0)


def test_epsilon_greedy_keeps_exactly_its_exploration_share_on_a_clear_loser():
    r = bandits.simulate([0.01, 0.5], 30, 10_000, "epsilon-greedy", runs=20, epsilon=0.2, seed=3)
    # After day 1 the winner is obvious: the loser gets epsilon / 2 of the traffic.
    assert r.share(0) == pytest.approx(0.1 + 0.4 / 30, abs=0.005)


def test_interval_width_is_the_wilson_width():
    r = bandits.simulate(RATES, 5, 1_000, "thompson", runs=9, seed=4)
    low, high = proportion_confint(r.successes[:, 1], r.users[:, 1], method="wilson")
    assert r.interval_width(1) == pytest.approx(np.median(high - low))


def test_seeded():
    a = bandits.simulate(RATES, 5, 1_000, "thompson", runs=5, seed=6)
    b = bandits.simulate(RATES, 5, 1_000, "thompson", runs=5, seed=6)
    assert (a.users == b.users).all() and (a.regret == b.regret).all()


def test_bad_input_is_a_plain_value_error():
    with pytest.raises(ValueError, match="policy"):
        bandits.simulate(RATES, 5, 100, policy="ucb")
    with pytest.raises(ValueError, match="rates"):
        bandits.simulate([0.5], 5, 100)
    with pytest.raises(ValueError, match="epsilon"):
        bandits.simulate(RATES, 5, 100, "epsilon-greedy", epsilon=2)
