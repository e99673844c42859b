"""Multi-armed bandits against a fixed split, in regret and in what they learn (part 7).

A fixed 50/50 test sends half the users to the losing arm until the end; a bandit
shifts traffic to the arm that looks better as evidence arrives. Both are simulated
here in daily batches (traffic is reallocated once a day, as most teams do), over many
runs at once. Maintained bandit libraries simulate one user at a time in Python loops;
this stays vectorised so a hundred runs of a month take a fraction of a second.

Examples
--------
>>> r = simulate([0.030, 0.033], days=28, daily_users=2_000, policy="thompson", runs=50, seed=1)
>>> r.regret.shape, bool(r.regret[-1] < simulate([0.030, 0.033], 28, 2_000, "fixed", runs=50).regret[-1])
((28,), True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

POLICIES = ("fixed", "thompson", "epsilon-greedy")


@dataclass(frozen=True)
class BanditResult:
    """What a policy did over the simulated runs.

    Attributes
    ----------
    policy : str
    regret : numpy.ndarray
        Shape ``(days,)``: mean cumulative regret after each day, in conversions lost
        against sending everyone to the best arm (expected, not sampled).
    users : numpy.ndarray
        Shape ``(runs, arms)``: users each arm received in each run.
    successes : numpy.ndarray
        Shape ``(runs, arms)``: conversions each arm recorded in each run.
    """

    policy: str
    regret: np.ndarray
    users: np.ndarray
    successes: np.ndarray

    def share(self, arm: int) -> float:
        """Mean share of all users that went to ``arm``."""
        return float((self.users[:, arm] / self.users.sum(axis=1)).mean())

    def interval_width(self, arm: int) -> float:
        """Median width of the 95% Wilson interval on ``arm``'s rate at the end: what you learned about it."""
        from statsmodels.stats.proportion import proportion_confint

        low, high = proportion_confint(self.successes[:, arm], np.maximum(self.users[:, arm], 1), method="wilson")
        return float(np.median(high - low))


def _shares(policy, wins, users, epsilon, draws, rng):
    runs, arms = users.shape
    if policy == "fixed":
        return np.full((runs, arms), 1 / arms)
    if policy == "thompson":
        # Thompson sampling gives each user the arm whose posterior draw is highest, so a day's
        # expected share of an arm is the posterior chance that it is best (estimated from draws).
        theta = rng.beta(1 + wins[:, None, :], 1 + users[:, None, :] - wins[:, None, :], size=(runs, draws, arms))
        best = theta.argmax(axis=2)
        return np.stack([(best == a).mean(axis=1) for a in range(arms)], axis=1)
    rate = np.divide(wins, users, out=np.zeros_like(wins), where=users > 0)
    greedy = np.zeros((runs, arms))
    top = rate == rate.max(axis=1, keepdims=True)
    greedy[top] = 1
    greedy /= greedy.sum(axis=1, keepdims=True)  # ties (day 1) split evenly
    return epsilon / arms + (1 - epsilon) * greedy


def simulate(rates, days: int, daily_users: int, policy: str = "thompson", runs: int = 200,
             epsilon: float = 0.1, draws: int = 500, seed: int = 0) -> BanditResult:
    """Simulate a traffic-allocation policy over ``days`` daily batches, ``runs`` times.

    Parameters
    ----------
    rates : sequence of float
        True conversion rate of each arm (unknown to the policy).
    days : int
        Batches; traffic is reallocated after each.
    daily_users : int
        Users per day across all arms.
    policy : {"fixed", "thompson", "epsilon-greedy"}
        ``fixed`` splits evenly every day (a classic A/B test); ``thompson`` allocates by the
        Beta(1, 1)-posterior chance that each arm is best; ``epsilon-greedy`` gives
        ``epsilon`` of traffic evenly to all arms and the rest to the best observed rate.
    runs : int, default 200
        Independent repetitions (vectorised).
    epsilon : float, default 0.1
        Exploration share for ``epsilon-greedy``.
    draws : int, default 500
        Posterior draws per run and day for ``thompson``.
    seed : int, default 0

    Returns
    -------
    BanditResult
    """
    rates = np.asarray(rates, float)
    if rates.ndim != 1 or len(rates) < 2 or not ((rates > 0) & (rates < 1)).all():
        raise ValueError(f"rates must be two or more rates strictly between 0 and 1, got {rates.tolist()}")
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
    if days < 1 or daily_users < 1 or runs < 1:
        raise ValueError("days, daily_users and runs must be at least 1")
    if not 0 <= epsilon <= 1:
        raise ValueError(f"epsilon must be between 0 and 1, got {epsilon}")
    rng = np.random.default_rng(seed)
    arms = len(rates)
    users = np.zeros((runs, arms))
    wins = np.zeros((runs, arms))
    gap = rates.max() - rates
    regret = np.zeros(days)
    lost = np.zeros(runs)
    for day in range(days):
        share = _shares(policy, wins, users, epsilon, draws, rng)
        new = rng.multinomial(daily_users, share)
        wins += rng.binomial(new, rates)
        users += new
        lost += new @ gap
        regret[day] = lost.mean()
    return BanditResult(policy, regret, users.astype(int), wins.astype(int))
