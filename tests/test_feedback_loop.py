"""The ranker feedback-loop simulation: coverage by brute force, determinism, and the loop's direction."""

from __future__ import annotations

import numpy as np
import pytest

from aipm_lab.feedback_loop import catalog, compare, coverage, simulate


def test_coverage_matches_a_set_count():
    rng = np.random.default_rng(0)
    shown = rng.integers(0, 50, size=(30, 3))
    assert coverage(shown, 50) == len(set(shown.ravel().tolist())) / 50
    assert coverage([], 10) == 0.0
    with pytest.raises(ValueError):
        coverage([10], 10)


def test_runs_are_reproducible_and_seeds_differ():
    a, b = simulate(0.1, rounds=5, seed=3), simulate(0.1, rounds=5, seed=3)
    assert a.equals(b)
    assert not a.equals(simulate(0.1, rounds=5, seed=4))
    assert catalog(seed=3).equals(catalog(seed=3))


def test_random_exposure_covers_what_probability_predicts():
    # epsilon = 1: every session sees a random set of `slots` distinct offers, so an offer is
    # missed by one session with probability 1 - slots / n and by all with that to the power sessions.
    run = simulate(1.0, rounds=20, sessions=40, slots=2, n_offers=100, churn=0.0, seed=1)
    expected = 1 - (1 - 2 / 100) ** 40
    assert run["coverage"].iloc[1:].mean() == pytest.approx(expected, abs=0.03)
    # ...and earns the catalog's average worth per slot.
    offers = catalog(100, seed=1)
    per_session = 2 * (offers["rate"] * offers["value"]).mean()
    assert run["revenue_per_session"].iloc[1:].mean() == pytest.approx(per_session, rel=0.1)


def test_the_greedy_loop_narrows_the_catalog_and_exploration_keeps_it_open():
    runs = compare([0.0, 0.1], seeds=(0, 1, 2))
    late = runs[runs["round"] >= 30].groupby("epsilon")["coverage"].mean()
    first = runs[runs["round"] == 0]["coverage"].min()
    assert late[0.0] < 0.5 * first
    assert late[0.1] > late[0.0] + 0.3
    assert (runs["top_share"].between(0, 1)).all() and (runs["best_found"].between(0, 1)).all()


@pytest.mark.parametrize("kwargs", [dict(epsilon=1.5), dict(rounds=0), dict(slots=100), dict(temperature=0)])
def test_bad_settings_raise(kwargs):
    with pytest.raises(ValueError):
        simulate(**kwargs)


def test_best_possible_is_the_catalogs_ceiling():
    run = simulate(0.1, rounds=10, slots=3, churn=0.0, seed=2)
    offers = catalog(100, seed=2)
    ceiling = np.sort(offers["rate"] * offers["value"])[-3:].sum()
    assert np.allclose(run["best_possible"], ceiling)  # no churn: the catalog, so its ceiling, never changes
    moving = simulate(0.1, rounds=10, seed=2)
    assert (moving["revenue_per_session"] <= moving["best_possible"] + 1e-12).all()
