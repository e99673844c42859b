"""Tests for aipm_lab.experiments: each number is checked against an independent computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from aipm_lab import experiments as E


def test_readout_matches_the_textbook_formulas():
    s_a, n_a, s_b, n_b = 290, 9_800, 355, 10_150
    r = E.two_proportion_test(s_a, n_a, s_b, n_b)
    p_a, p_b = s_a / n_a, s_b / n_b
    pool = (s_a + s_b) / (n_a + n_b)
    z = (p_b - p_a) / math.sqrt(pool * (1 - pool) * (1 / n_a + 1 / n_b))
    assert r["diff"] == pytest.approx(p_b - p_a) and r["z"] == pytest.approx(z)
    assert r["p_value"] == pytest.approx(2 * norm.sf(z))
    # Newcombe's hybrid score interval, built from the two Wilson intervals.
    (l_a, u_a), (l_b, u_b) = (proportion_confint(s, n, method="wilson") for s, n in ((s_a, n_a), (s_b, n_b)))
    d = p_b - p_a
    assert r["ci_low"] == pytest.approx(d - math.sqrt((p_b - l_b) ** 2 + (u_a - p_a) ** 2), rel=1e-6)
    assert r["ci_high"] == pytest.approx(d + math.sqrt((u_b - p_b) ** 2 + (p_a - l_a) ** 2), rel=1e-6)
    wald = E.two_proportion_test(s_a, n_a, s_b, n_b, ci_method="wald", pooled=False)
    se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    assert wald["ci_low"] == pytest.approx(d - 1.959964 * se, rel=1e-5) and wald["z"] == pytest.approx(d / se)
    assert r["significant"] == (r["ci_low"] > 0)


def test_sign_convention_is_b_minus_a():
    r = E.two_proportion_test(400, 10_000, 300, 10_000)
    assert r["diff"] < 0 and r["z"] < 0 and r["ci_high"] < 0 and r["relative_lift"] == pytest.approx(-0.25)


@pytest.mark.parametrize("baseline, mde", [(0.03, 0.003), (0.10, 0.01), (0.5, -0.05)])
def test_sample_size_matches_cohens_h_by_hand(baseline, mde):
    h = 2 * math.asin(math.sqrt(baseline + mde)) - 2 * math.asin(math.sqrt(baseline))
    n = 2 * ((norm.ppf(0.975) + norm.ppf(0.8)) / h) ** 2
    assert E.sample_size(baseline, mde) == math.ceil(n)


def test_power_is_what_simulated_tests_achieve():
    baseline, mde, n = 0.05, 0.006, 20_000
    rng = np.random.default_rng(0)
    a, b = rng.binomial(n, baseline, 20_000), rng.binomial(n, baseline + mde, 20_000)
    simulated = (np.abs(E.pooled_z(a, n, b, n)) > norm.ppf(0.975)).mean()
    assert E.power_at(baseline, mde, n) == pytest.approx(simulated, abs=0.015)


def test_mde_and_sample_size_are_inverses():
    for n in (5_000, 80_000):
        mde = E.minimum_detectable_effect(0.03, n)
        assert E.power_at(0.03, mde, n) == pytest.approx(0.8, abs=1e-3)


def test_decide_lets_the_guardrail_veto():
    win = E.two_proportion_test(300, 10_000, 380, 10_000)
    flat = E.two_proportion_test(300, 10_000, 305, 10_000)
    lose = E.two_proportion_test(380, 10_000, 300, 10_000)
    calm, worse = E.two_proportion_test(20, 10_000, 21, 10_000), E.two_proportion_test(20, 10_000, 60, 10_000)
    assert [E.decide(win, calm), E.decide(win, worse), E.decide(flat, calm), E.decide(lose, calm)] == \
        ["ship", "no-ship", "inconclusive", "no-ship"]


def test_pooled_z_equals_statsmodels_case_by_case():
    rng = np.random.default_rng(1)
    for _ in range(50):
        n_a, n_b = rng.integers(50, 5_000, 2)
        s_a, s_b = rng.integers(1, n_a), rng.integers(1, n_b)
        z, _ = proportions_ztest([s_b, s_a], [n_b, n_a])
        assert E.pooled_z(s_a, n_a, s_b, n_b) == pytest.approx(z)
    assert E.pooled_z(np.array([0]), 10, np.array([0]), 10)[0] == 0


def test_fixed_horizon_holds_alpha_and_daily_peeking_inflates_it():
    z = E.simulate_daily_z(6_000, 14, 1_000, 0.05, seed=3)
    fixed = E.crossed(z, E.fixed_horizon_bounds(14)).mean()
    peek = E.crossed(z, E.peeking_bounds(14)).mean()
    low, high = proportion_confint(round(fixed * 6_000), 6_000, alpha=0.001)
    assert low <= 0.05 <= high
    assert peek > 2.5 * fixed
    # The fixed horizon is the same test as a z-test on the pooled final totals.
    assert np.isinf(E.fixed_horizon_bounds(14)[:-1]).all()


def test_obrien_fleming_matches_the_published_constant_and_holds_alpha():
    # Jennison and Turnbull (2000), table 2.3: five looks, two-sided alpha 0.05, C = 2.040.
    assert E.obrien_fleming_bounds(5)[-1] == pytest.approx(2.040, abs=0.012)
    assert E.obrien_fleming_bounds(1)[0] == pytest.approx(norm.ppf(0.975), abs=0.012)
    z = E.simulate_daily_z(8_000, 14, 1_000, 0.05, seed=4)
    rate = E.crossed(z, E.obrien_fleming_bounds(14)).mean()
    assert rate == pytest.approx(0.05, abs=0.012)


def test_first_crossing_is_one_based_and_zero_when_never():
    z = np.array([[0.5, 2.5, 3.0], [0.1, 0.2, 0.3]])
    assert E.first_crossing(z, np.array([2.0, 2.0, 2.0])).tolist() == [2, 0]
    with pytest.raises(ValueError, match="days"):
        E.crossed(z, np.array([1.0, 2.0]))


def _team_draft_by_hand(a, b, k, a_first):
    items, team = [], []
    for round_ in range(math.ceil(k / 2)):
        order = (0, 1) if a_first[round_] else (1, 0)
        for who in order:
            if len(items) == k:
                break
            pick = next(x for x in (b if who else a) if x not in items)
            items.append(pick)
            team.append(who)
    return items, team


def test_team_draft_equals_a_plain_loop_per_user():
    rng = np.random.default_rng(5)
    users, m, k = 200, 8, 5
    rank_a = np.argsort(rng.random((users, m)), axis=1)
    rank_b = np.argsort(rng.random((users, m)), axis=1)
    items, team = E.team_draft(rank_a, rank_b, k, seed=9)
    a_first = np.random.default_rng(9).random((users, 3)) < 0.5
    for u in range(users):
        assert (items[u].tolist(), team[u].tolist()) == _team_draft_by_hand(rank_a[u], rank_b[u], k, a_first[u])
    assert all(len(set(row)) == k for row in items.tolist())


def test_interleaving_needs_fewer_users_than_ab():
    r = E.interleaving_vs_ab(n_users=20_000, seed=2)
    assert r["click_b"] > r["click_a"] and r["prefer_b"] > r["prefer_a"]
    assert r["ratio"] > 1 and r["ab_users"] % 2 == 0
    with pytest.raises(ValueError, match="better"):
        E.interleaving_vs_ab(noise_a=0.5, noise_b=0.9)


@pytest.mark.parametrize("seed", range(4))
def test_the_click_trained_ranker_wins_offline_and_loses_activations_online(seed):
    r = E.offline_vs_online(seed=seed)
    assert r["offline_auc_new"] > r["offline_auc_old"]
    assert r["click_lift"] > 0 > r["activation_lift"]


def test_offer_test_is_seeded_and_builds_in_its_effects():
    df = E.offer_test(3)
    assert df.equals(E.offer_test(3)) and not df.equals(E.offer_test(4))
    assert len(df) == 56 and set(df.arm) == {"A", "B"}
    assert df.groupby("day").users.sum().loc[6] < df.groupby("day").users.sum().loc[5]  # weekend
    early = E.readout(df, "clicks", (1, 7))["relative_lift"]
    late = E.readout(df, "clicks", (22, 28))["relative_lift"]
    assert early > late  # the novelty fades
    assert E.readout(df, "activations")["ci_low"] > 0


def test_bad_input_is_a_plain_value_error():
    with pytest.raises(ValueError, match="successes"):
        E.two_proportion_test(11, 10, 5, 10)
    with pytest.raises(ValueError, match="between 0 and 1"):
        E.sample_size(1.2, 0.01)
    with pytest.raises(ValueError, match="mde"):
        E.sample_size(0.03, 0.0)
    with pytest.raises(ValueError, match="no column"):
        E.readout(E.offer_test(1), "refunds")
    with pytest.raises(ValueError, match="seed"):
        E.offer_test(None)
    with pytest.raises(ValueError, match="no rows"):
        E.readout(E.offer_test(1), "clicks", (40, 50))


@pytest.mark.parametrize("seed", range(12))
def test_merchant_offers_datasheet_words_hold_for_every_seed(seed):
    from aipm_lab.datasets import offers

    f = offers.facts(offers.generate(seed))
    assert f["act_b"] > f["act_a"]  # "Arm B activates more"
    assert f["click_first"] > f["click_last"]  # "a novelty effect"
    assert f["weekend_users"] < f["weekday_users"]  # "less traffic"


def test_merchant_offers_datasheet_numbers_are_filled_in_and_the_table_is_stored():
    import re

    from aipm_lab import datasets
    from aipm_lab.datasets import offers

    assert re.findall(r"\d", re.sub(r"\{[^}]*\}", "", offers.QUIRKS)) == []
    assert datasets.load("merchant_offers").equals(E.offer_test(datasets.DEFAULT_SEED))
    assert offers.quirks(offers.generate(1)) != offers.quirks(offers.generate(2))
