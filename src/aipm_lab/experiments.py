"""Online experiments for a PM: A/B tests, power, peeking, guardrails, interleaving (part 7).

The statistics come from statsmodels (two-proportion z-test, Newcombe interval, power).
What is written here is the PM's layer on top: one readout per metric, the ship call
with a guardrail veto, and fast vectorised simulations that show what a test design does
before anyone runs it (peeking, sequential boundaries, interleaving, offline versus online).

Examples
--------
>>> r = two_proportion_test(300, 10_000, 360, 10_000)
>>> round(r["diff"], 4), r["ci_low"] > 0
(0.006, True)
>>> sample_size(0.03, 0.003) > 50_000
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize, proportions_ztest

DECISIONS = ("ship", "no-ship", "inconclusive")
"""The three outcomes of :func:`decide`."""


def _check_counts(successes, n, name):
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"{name}: need 0 <= successes <= users and users > 0, got {successes} of {n}")


def _check_seed(seed):
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer (your data variant), got {seed!r}")
    return int(seed)


def _check_rate(value, name):
    if not 0 < value < 1:
        raise ValueError(f"{name} must be a rate strictly between 0 and 1, got {value}")


def two_proportion_test(successes_a: int, n_a: int, successes_b: int, n_b: int, alpha: float = 0.05,
                        ci_method: str = "newcomb", pooled: bool = True) -> dict:
    """Read out one metric of an A/B test: B minus A, with a z-test and an interval.

    Parameters
    ----------
    successes_a, n_a : int
        Users of control (A) who converted, and users in A.
    successes_b, n_b : int
        The same for the treatment (B).
    alpha : float, default 0.05
        Two-sided significance level; the interval has coverage ``1 - alpha``.
    ci_method : str, default "newcomb"
        Any method of :func:`statsmodels.stats.proportion.confint_proportions_2indep`
        for a difference (``"newcomb"``, ``"wald"``, ``"agresti-caffo"``, ...).
    pooled : bool, default True
        Pooled variance under the null (the textbook z-test) or each arm's own.

    Returns
    -------
    dict
        ``rate_a``, ``rate_b``, ``diff`` (rate_b - rate_a), ``relative_lift`` (diff / rate_a),
        ``z``, ``p_value`` (two-sided), ``ci_low``, ``ci_high`` (for the difference),
        ``significant`` (the interval excludes 0).
    """
    _check_counts(successes_a, n_a, "arm A")
    _check_counts(successes_b, n_b, "arm B")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    rate_a, rate_b = successes_a / n_a, successes_b / n_b
    # statsmodels orders the samples as given: B first so that z > 0 means B is higher.
    z, p = proportions_ztest([successes_b, successes_a], [n_b, n_a],
                             prop_var=False)
    if not pooled:  # each arm's own variance (the Wald statistic)
        se = np.sqrt(rate_a * (1 - rate_a) / n_a + rate_b * (1 - rate_b) / n_b)
        z = (rate_b - rate_a) / se
        p = 2 * norm.sf(abs(z))
    low, high = confint_proportions_2indep(successes_b, n_b, successes_a, n_a, method=ci_method,
                                           compare="diff", alpha=alpha)
    return {"rate_a": rate_a, "rate_b": rate_b, "diff": rate_b - rate_a,
            "relative_lift": (rate_b - rate_a) / rate_a if rate_a > 0 else float("nan"),
            "z": float(z), "p_value": float(p), "ci_low": float(low), "ci_high": float(high),
            "significant": bool(low > 0 or high < 0)}


def sample_size(baseline: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Users per arm to detect an absolute lift ``mde`` over ``baseline`` with a two-sided test.

    Uses Cohen's effect size h (:func:`statsmodels.stats.proportion.proportion_effectsize`)
    and :class:`statsmodels.stats.power.NormalIndPower`, rounded up.

    Parameters
    ----------
    baseline : float
        Control's conversion rate, for example 0.03.
    mde : float
        Minimum detectable effect as an absolute difference (0.003 is +10% relative on 0.03).
    alpha : float, default 0.05
        Two-sided significance level.
    power : float, default 0.8
        Chance of a significant result when the true lift is ``mde``.

    Returns
    -------
    int
        Users in each arm.
    """
    _check_rate(baseline, "baseline")
    _check_rate(baseline + mde, "baseline + mde")
    if mde == 0:
        raise ValueError("mde must not be 0: no test can detect a zero effect")
    h = proportion_effectsize(baseline + mde, baseline)
    n = NormalIndPower().solve_power(effect_size=abs(h), alpha=alpha, power=power, ratio=1.0)
    return int(np.ceil(n - 1e-9))


def power_at(baseline: float, mde: float, n_per_arm: int, alpha: float = 0.05) -> float:
    """Chance that a two-sided test with ``n_per_arm`` users per arm detects an absolute lift ``mde``."""
    _check_rate(baseline, "baseline")
    _check_rate(baseline + mde, "baseline + mde")
    h = proportion_effectsize(baseline + mde, baseline)
    return float(NormalIndPower().power(effect_size=abs(h), nobs1=n_per_arm, alpha=alpha, ratio=1.0))


def minimum_detectable_effect(baseline: float, n_per_arm: int, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest absolute lift over ``baseline`` that ``n_per_arm`` users per arm detect with ``power``.

    Solves :class:`~statsmodels.stats.power.NormalIndPower` for Cohen's h, then inverts
    h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p0)) for p1.

    Examples
    --------
    >>> mde = minimum_detectable_effect(0.03, 50_000)
    >>> abs(sample_size(0.03, mde) - 50_000) <= 1
    True
    """
    _check_rate(baseline, "baseline")
    if n_per_arm < 2:
        raise ValueError(f"n_per_arm must be at least 2, got {n_per_arm}")
    h = NormalIndPower().solve_power(nobs1=n_per_arm, alpha=alpha, power=power, ratio=1.0)
    p1 = np.sin(np.arcsin(np.sqrt(baseline)) + h / 2) ** 2
    return float(p1 - baseline)


def decide(primary: dict, guardrail: dict) -> str:
    """The ship call: a winning primary metric, unless a guardrail got significantly worse.

    Parameters
    ----------
    primary : dict
        :func:`two_proportion_test` of the metric the change should raise (higher is better).
    guardrail : dict
        :func:`two_proportion_test` of a metric that must not rise (complaints, errors).

    Returns
    -------
    str
        ``"no-ship"`` if the guardrail's interval lies wholly above 0 (it got worse) or the
        primary's wholly below 0; ``"ship"`` if the primary's lies wholly above 0;
        ``"inconclusive"`` otherwise.

    Examples
    --------
    >>> win = two_proportion_test(300, 10_000, 380, 10_000)
    >>> decide(win, two_proportion_test(20, 10_000, 22, 10_000))
    'ship'
    >>> decide(win, two_proportion_test(20, 10_000, 60, 10_000))
    'no-ship'
    """
    if guardrail["ci_low"] > 0 or primary["ci_high"] < 0:
        return "no-ship"
    return "ship" if primary["ci_low"] > 0 else "inconclusive"


# --- Peeking and sequential tests -------------------------------------------------------------

def pooled_z(successes_a, n_a, successes_b, n_b) -> np.ndarray:
    """Pooled two-proportion z statistic (B minus A), element-wise over arrays.

    ``proportions_ztest`` takes one test at a time; simulations need millions at once,
    so this is the same formula vectorised (tested against statsmodels). Zero variance
    (no conversions yet) gives z = 0.
    """
    s_a, s_b = np.asarray(successes_a, float), np.asarray(successes_b, float)
    n_a, n_b = np.asarray(n_a, float), np.asarray(n_b, float)
    p = (s_a + s_b) / (n_a + n_b)
    se = np.sqrt(p * (1 - p) * (1 / n_a + 1 / n_b))
    diff = s_b / n_b - s_a / n_a
    return np.divide(diff, se, out=np.zeros_like(diff), where=se > 0)


def simulate_daily_z(n_tests: int, days: int, daily_users: int, base_rate: float, lift: float = 0.0,
                     seed: int = 0) -> np.ndarray:
    """Cumulative z statistic at the end of each day for many simulated A/B tests.

    Parameters
    ----------
    n_tests : int
        Independent tests to simulate.
    days : int
        Length of each test.
    daily_users : int
        New users per arm per day.
    base_rate : float
        Control's conversion rate.
    lift : float, default 0.0
        Absolute lift of B; 0 simulates A/A tests (any significant result is a false positive).
    seed : int, default 0

    Returns
    -------
    numpy.ndarray
        Shape ``(n_tests, days)``: the pooled z after day 1, 2, ..., ``days``.
    """
    _check_rate(base_rate, "base_rate")
    _check_rate(base_rate + lift, "base_rate + lift")
    if n_tests < 1 or days < 1 or daily_users < 1:
        raise ValueError("n_tests, days and daily_users must be at least 1")
    rng = np.random.default_rng(seed)
    a = rng.binomial(daily_users, base_rate, size=(n_tests, days)).cumsum(axis=1)
    b = rng.binomial(daily_users, base_rate + lift, size=(n_tests, days)).cumsum(axis=1)
    n = daily_users * np.arange(1, days + 1)
    return pooled_z(a, n, b, n)


def peeking_bounds(days: int, alpha: float = 0.05, every: int = 1) -> np.ndarray:
    """The naive daily check: |z| above the fixed-horizon critical value on every ``every``-th day.

    Days that are not looked at get an infinite bound; the last day is always looked at.
    ``every >= days`` is the fixed-horizon test (one look, at the end).
    """
    if days < 1 or every < 1:
        raise ValueError("days and every must be at least 1")
    bounds = np.full(days, np.inf)
    bounds[every - 1::every] = norm.ppf(1 - alpha / 2)
    bounds[-1] = norm.ppf(1 - alpha / 2)
    return bounds


def fixed_horizon_bounds(days: int, alpha: float = 0.05) -> np.ndarray:
    """One look at the planned end: the only day whose bound is finite is the last."""
    return peeking_bounds(days, alpha, every=days)


def obrien_fleming_bounds(days: int, alpha: float = 0.05, n_sim: int = 300_000, seed: int = 0) -> np.ndarray:
    """O'Brien-Fleming group-sequential bounds for a daily look with equal daily traffic.

    The bound on day k is ``c * sqrt(days / k)``: very strict early, close to the fixed
    horizon's 1.96 at the end. The constant ``c`` is set so that an A/A test crosses
    any bound with probability ``alpha``. No maintained Python library in this project's
    stack computes group-sequential bounds (R's gsDesign does), so ``c`` is the
    ``1 - alpha`` quantile of the largest scaled |z| over the looks of ``n_sim`` simulated
    null z paths (a Brownian motion sampled at the looks): a few lines, and tested
    against the published constant for five looks (2.04).

    Returns
    -------
    numpy.ndarray
        The bound for |z| on each day.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    rng = np.random.default_rng(seed)
    k = np.arange(1, days + 1)
    z = rng.standard_normal((n_sim, days)).cumsum(axis=1) / np.sqrt(k)
    c = np.quantile(np.abs(z * np.sqrt(k / days)).max(axis=1), 1 - alpha)
    return c * np.sqrt(days / k)


def crossed(z: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Whether each test's |z| crossed its bound on any day (one boolean per row of ``z``)."""
    z = np.atleast_2d(z)
    if z.shape[1] != len(bounds):
        raise ValueError(f"z has {z.shape[1]} days but bounds has {len(bounds)}")
    return (np.abs(z) > bounds).any(axis=1)


def first_crossing(z: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Day (1-based) on which each test first crossed its bound, or 0 if it never did."""
    hit = np.abs(np.atleast_2d(z)) > bounds
    return np.where(hit.any(axis=1), hit.argmax(axis=1) + 1, 0)


# --- Rankers: offline versus online, interleaving ---------------------------------------------

def examination(k: int, decay: float = 0.8) -> np.ndarray:
    """Chance that a user looks at slot 1..k of a list (position bias): ``1 / slot**decay``."""
    return 1.0 / np.arange(1, k + 1) ** decay


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of each row's ``k`` highest scores, best first."""
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def team_draft(rank_a: np.ndarray, rank_b: np.ndarray, k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Team-draft interleaving of two rankings, one row per user (vectorised over users).

    In each round a coin decides which ranker picks first; each then adds its highest-ranked
    item not yet in the list, and the item is credited to its team. No maintained Python
    library implements it for arrays of users, and it is a dozen lines.

    Parameters
    ----------
    rank_a, rank_b : numpy.ndarray
        Shape ``(users, m)``: each row is a permutation of the same ``m`` candidates, best first.
    k : int
        Length of the shown list (at most ``m``).
    seed : int, default 0

    Returns
    -------
    items, team : numpy.ndarray
        Shape ``(users, k)``: the shown items, and 0 where A picked the item, 1 where B did.

    Examples
    --------
    >>> items, team = team_draft(np.array([[0, 1, 2, 3]]), np.array([[0, 1, 2, 3]]), 4)
    >>> items.tolist(), sorted(team[0].tolist())
    ([[0, 1, 2, 3]], [0, 0, 1, 1])
    """
    rank_a, rank_b = np.asarray(rank_a), np.asarray(rank_b)
    if rank_a.shape != rank_b.shape or rank_a.ndim != 2 or not 1 <= k <= rank_a.shape[1]:
        raise ValueError("rank_a and rank_b must have the same shape (users, m), and 1 <= k <= m")
    users, m = rank_a.shape
    rng = np.random.default_rng(seed)
    rows = np.arange(users)
    taken = np.zeros((users, m), bool)
    items = np.empty((users, k), int)
    team = np.empty((users, k), int)
    a_first = rng.random((users, (k + 1) // 2)) < 0.5
    for slot in range(k):
        round_, second = divmod(slot, 2)
        picker_is_b = a_first[:, round_] != (second == 0)  # A first: the round's first slot is A's
        ranking = np.where(picker_is_b[:, None], rank_b, rank_a)
        free = ~taken[rows[:, None], ranking]
        pick = ranking[rows, free.argmax(axis=1)]
        items[:, slot], team[:, slot] = pick, picker_is_b
        taken[rows, pick] = True
    return items, team


def interleaving_vs_ab(n_users: int = 50_000, candidates: int = 20, k: int = 5, noise_a: float = 1.0,
                       noise_b: float = 0.7, user_spread: float = 1.5, alpha: float = 0.05, power: float = 0.8,
                       seed: int = 0) -> dict:
    """Users an A/B test and a team-draft interleaving test need to detect that ranker B is better.

    Each user has ``candidates`` offers with a true click chance; ranker A sees it with more
    noise (``noise_a``, on the log-odds scale) than ranker B. Users differ in how much they
    click at all (``user_spread``, the log-odds spread between users): that variation is
    noise for an A/B test and cancels out in interleaving, where each user sees both. Clicks follow the position-bias
    model of :func:`examination`. The A/B test compares the share of users who click anything
    (two proportions); interleaving shows each user one mixed list and counts who wins the
    user's clicks (a one-sample test of B's wins minus A's wins). Sizes come from
    :class:`~statsmodels.stats.power.NormalIndPower`.

    Returns
    -------
    dict
        ``click_a``, ``click_b`` (share of users clicking under each ranker alone),
        ``ab_users`` (both arms together), ``prefer_b``, ``prefer_a`` (share of interleaved
        users whose clicks favour each), ``interleaving_users`` and ``ratio`` (A/B users per
        interleaving user).
    """
    if noise_b >= noise_a:
        raise ValueError("ranker B must be the better one: noise_b < noise_a")
    rng = np.random.default_rng(seed)
    logit = rng.normal(-3.5, 1.0, size=(n_users, candidates)) + rng.normal(0, user_spread, (n_users, 1))
    relevance = 1 / (1 + np.exp(-logit))
    rank_a = np.argsort(-(logit + rng.normal(0, noise_a, logit.shape)), axis=1)
    rank_b = np.argsort(-(logit + rng.normal(0, noise_b, logit.shape)), axis=1)
    exam = examination(k)
    rows = np.arange(n_users)[:, None]

    def any_click(items):
        return 1 - np.prod(1 - exam * relevance[rows, items], axis=1)

    click_a, click_b = any_click(rank_a[:, :k]).mean(), any_click(rank_b[:, :k]).mean()
    h = proportion_effectsize(click_b, click_a)
    ab_users = 2 * int(np.ceil(NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0)))
    items, team = team_draft(rank_a, rank_b, k, seed=seed + 1)
    # Each user's chance to favour B or A, exactly: sum over the 2**k click patterns of the
    # shown list (clicks are independent given the list), instead of one sampled pattern.
    patterns = (np.arange(2 ** k)[:, None] >> np.arange(k)) & 1  # (2**k, k)
    p_click = (exam * relevance[rows, items])[:, None, :]
    chance = np.where(patterns == 1, p_click, 1 - p_click).prod(axis=2)  # (users, 2**k)
    margin = np.sign(patterns @ (2 * team.T - 1)).T  # (users, 2**k): +1 where B's team got more clicks
    prefer_b, prefer_a = (chance * (margin > 0)).sum(axis=1), (chance * (margin < 0)).sum(axis=1)
    mean = (prefer_b - prefer_a).mean()
    d = mean / np.sqrt((prefer_b + prefer_a).mean() - mean ** 2)
    # ratio=0 makes NormalIndPower a one-sample test: interleaving compares each user with themself.
    inter_users = int(np.ceil(NormalIndPower().solve_power(effect_size=d, alpha=alpha, power=power, ratio=0)))
    return {"click_a": float(click_a), "click_b": float(click_b), "ab_users": ab_users,
            "prefer_b": float(prefer_b.mean()), "prefer_a": float(prefer_a.mean()),
            "interleaving_users": inter_users, "ratio": ab_users / inter_users}


def offline_vs_online(n_offers: int = 200, n_sessions: int = 30_000, candidates: int = 12, k: int = 4,
                      clickbait_share: float = 0.2, seed: int = 0) -> dict:
    """A ranker that wins offline on logged clicks and loses online on activations.

    Offers have a click appeal and a value (chance that a click is activated). A share
    of them are clickbait: appealing, rarely activated. The current ranker orders offers
    by a noisy estimate of appeal x value (activations per view). The new ranker is
    trained on the current ranker's logs: each offer's logged click-through rate, with
    no correction for the slot it was shown in, so it also learns the position bias.

    Offline, both are scored by click AUC on held-out logged impressions (what a team
    would report). Online, each serves fresh sessions and the expected clicks and
    activations per session are computed exactly from the examination model.

    Returns
    -------
    dict
        ``offline_auc_old``, ``offline_auc_new``, ``clicks_old``, ``clicks_new``,
        ``activations_old``, ``activations_new`` (per 1,000 sessions), ``click_lift`` and
        ``activation_lift`` (relative, new versus old).
    """
    from sklearn.metrics import roc_auc_score

    if not 1 <= k <= candidates <= n_offers:
        raise ValueError("need 1 <= k <= candidates <= n_offers")
    rng = np.random.default_rng(seed)
    appeal = rng.beta(2, 30, n_offers)
    value = rng.beta(5, 5, n_offers)
    bait = rng.random(n_offers) < clickbait_share
    appeal[bait] *= 2.5
    value[bait] *= 0.15
    old_score = np.log(appeal * value) + rng.normal(0, 0.4, n_offers)
    exam = examination(k)

    # Logs of the current ranker: each session draws candidates and shows the top k.
    cand = np.argpartition(rng.random((n_sessions, n_offers)), candidates, axis=1)[:, :candidates]
    shown = np.take_along_axis(cand, top_k(old_score[cand], k), axis=1)
    clicked = rng.random(shown.shape) < exam * appeal[shown]
    half = n_sessions // 2
    train_s, train_c = shown[:half].ravel(), clicked[:half].ravel()
    ctr = (np.bincount(train_s, train_c, n_offers) + 1) / (np.bincount(train_s, minlength=n_offers) + 30)
    test_s, test_c = shown[half:].ravel(), clicked[half:].ravel()

    def online(score):
        served = np.take_along_axis(cand, top_k(score[cand], k), axis=1)
        clicks = (exam * appeal[served]).sum(axis=1).mean()
        return 1000 * clicks, 1000 * (exam * appeal[served] * value[served]).sum(axis=1).mean()

    clicks_old, act_old = online(old_score)
    clicks_new, act_new = online(np.log(ctr))
    return {"offline_auc_old": float(roc_auc_score(test_c, old_score[test_s])),
            "offline_auc_new": float(roc_auc_score(test_c, ctr[test_s])),
            "clicks_old": float(clicks_old), "clicks_new": float(clicks_new),
            "activations_old": float(act_old), "activations_new": float(act_new),
            "click_lift": float(clicks_new / clicks_old - 1), "activation_lift": float(act_new / act_old - 1)}


def readout(df: pd.DataFrame, metric: str, days: tuple[int, int] | None = None, **options) -> dict:
    """:func:`two_proportion_test` of one metric from a daily table with ``day``, ``arm``, ``users``.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per day and arm (``"A"`` control, ``"B"`` treatment), counts per metric.
    metric : str
        Column of counts, for example ``"activations"``.
    days : (int, int), optional
        First and last day to include (both inclusive); default all days.
    **options
        Passed to :func:`two_proportion_test` (``alpha``, ``ci_method``, ``pooled``).
    """
    for col in ("day", "arm", "users", metric):
        if col not in df.columns:
            raise ValueError(f"the table has no column {col!r}")
    if days is not None:
        df = df[df["day"].between(*days)]
    if df.empty:
        raise ValueError(f"no rows for days {days}")
    totals = df.groupby("arm")[["users", metric]].sum()
    if set(totals.index) != {"A", "B"}:
        raise ValueError(f"arms must be 'A' and 'B', got {sorted(totals.index)}")
    return two_proportion_test(int(totals.loc["A", metric]), int(totals.loc["A", "users"]),
                               int(totals.loc["B", metric]), int(totals.loc["B", "users"]), **options)


# --- Paylark's offer-ranker test ---------------------------------------------------------------

OFFER_TEST = {
    # metric: control's rate per user; the treatment's effects are drawn per seed in offer_test().
    "clicks": 0.080,
    "activations": 0.030,
    "complaints": 0.0020,
}
OFFER_EFFECTS = {
    # effect of B (relative): (low, high) of the uniform range each seed draws from
    "activation_lift": (0.07, 0.11),
    "click_lift": (0.0, 0.03),
    "novelty": (0.12, 0.20),
    "complaint_lift": (0.0, 0.45),
}
NOVELTY_DAYS = 4.0
"""Time constant of the novelty boost on clicks (days): it falls to a third in about four days."""


def offer_test(seed: int = 0, days: int = 28, daily_users: int = 40_000) -> pd.DataFrame:
    """Daily readout of Paylark's A/B test of a new merchant-offers ranker (B) against the current one (A).

    Every user is randomised 50/50 and counted on the day they arrive. Metrics are users who
    clicked an offer, activated one (the primary metric), and complained about offers (the
    guardrail). Built-in effects, drawn from the seed: B's activation rate is 7-11% higher
    (relative); B's click rate gets a novelty boost of 12-20% that fades with a time
    constant of :data:`NOVELTY_DAYS` days, over a lasting lift of 0-3%; B's complaint rate
    is 0-45% higher. Weekends bring 30% less traffic.

    Parameters
    ----------
    seed : int, default 0
    days : int, default 28
    daily_users : int, default 40,000
        Weekday users across both arms.

    Returns
    -------
    pandas.DataFrame
        One row per day and arm: ``day`` (1 = launch), ``arm`` (``"A"``/``"B"``), ``users``,
        ``clicks``, ``activations``, ``complaints``.
    """
    if days < 1 or daily_users < 2:
        raise ValueError("days must be at least 1 and daily_users at least 2")
    seed = _check_seed(seed)
    rng = np.random.default_rng(seed)
    effects = offer_test_effects(seed)
    day = np.arange(1, days + 1)
    traffic = np.where((day - 1) % 7 >= 5, 0.7, 1.0) * daily_users  # days 6 and 7 of each week are a weekend
    users_b = rng.binomial(traffic.astype(int), 0.5)
    users = np.stack([traffic.astype(int) - users_b, users_b], axis=1)
    rates = {
        "clicks": OFFER_TEST["clicks"] * np.stack(
            [np.ones(days), 1 + effects["click_lift"] + effects["novelty"] * np.exp(-(day - 1) / NOVELTY_DAYS)], axis=1),
        "activations": OFFER_TEST["activations"] * np.array([1, 1 + effects["activation_lift"]]) * np.ones((days, 1)),
        "complaints": OFFER_TEST["complaints"] * np.array([1, 1 + effects["complaint_lift"]]) * np.ones((days, 1)),
    }
    counts = {m: rng.binomial(users, r) for m, r in rates.items()}
    return pd.DataFrame({"day": np.repeat(day, 2), "arm": np.tile(["A", "B"], days), "users": users.ravel(),
                         **{m: c.ravel() for m, c in counts.items()}})


def offer_test_effects(seed: int = 0) -> dict:
    """The true effects :func:`offer_test` builds in for ``seed`` (relative lifts of B over A)."""
    rng = np.random.default_rng([_check_seed(seed), 7])
    return {name: rng.uniform(low, high) for name, (low, high) in OFFER_EFFECTS.items()}
