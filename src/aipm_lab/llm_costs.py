"""What a language-model request costs, how long it takes, and what fits in its context (part 8).

The price table is data, with a date: model prices change every few months, so a cost model
should read them from one place and say when they were true. The tiers here are fictional
(Paylark's vendor, "Lark" models) with prices of the order of magnitude vendors listed in 2025-2026;
replace them with your vendor's current page before quoting a number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PRICES_AS_OF = "2026-12-01"
PRICE_NOTE = (f"Fictional tiers, prices as of {PRICES_AS_OF}. Real prices change often: check your vendor's "
              "current price page before you quote a cost.")
PRICES = pd.DataFrame(
    [
        # tier, $/M input, $/M cached input, $/M output, context window, output tokens/s, time to first token (s)
        ("lark-mini", 0.15, 0.015, 0.60, 16_000, 250.0, 0.20),
        ("lark-standard", 1.25, 0.125, 10.00, 128_000, 80.0, 0.60),
        ("lark-max", 15.00, 1.50, 75.00, 200_000, 25.0, 2.00),
    ],
    columns=["tier", "input_per_m", "cached_input_per_m", "output_per_m", "context_window", "tokens_per_second",
             "first_token_seconds"],
).set_index("tier")
"""Price and speed per model tier (fictional, dated by :data:`PRICES_AS_OF`)."""


def _tier(tier: str, prices: pd.DataFrame) -> pd.Series:
    if tier not in prices.index:
        raise ValueError(f"unknown tier {tier!r}; the price table has {', '.join(prices.index)}")
    return prices.loc[tier]


def request_cost(input_tokens, output_tokens, tier: str, cached_tokens=0, prices: pd.DataFrame = PRICES):
    """Dollars per request: input, cached input and output tokens at the tier's prices.

    Parameters
    ----------
    input_tokens : float or array-like
        All prompt tokens (system prompt, retrieved chunks, question), cached ones included.
    output_tokens : float or array-like
        Tokens of the answer.
    tier : str
        A row of ``prices``.
    cached_tokens : float or array-like, default 0
        Prompt tokens served from the vendor's prompt cache (billed at the cached price); at most
        ``input_tokens``. For a cache hit rate ``h`` on a cacheable prefix of ``p`` tokens, the
        expected value is ``h * p``.
    prices : pandas.DataFrame, default PRICES

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> round(request_cost(1_000_000, 0, "lark-mini"), 2)
    0.15
    """
    row = _tier(tier, prices)
    input_tokens, output_tokens, cached_tokens = (np.asarray(x, dtype=float) for x in
                                                  (input_tokens, output_tokens, cached_tokens))
    if np.any(input_tokens < 0) or np.any(output_tokens < 0) or np.any(cached_tokens < 0):
        raise ValueError("token counts cannot be negative")
    if np.any(cached_tokens > input_tokens):
        raise ValueError("cached_tokens cannot exceed input_tokens")
    cost = ((input_tokens - cached_tokens) * row["input_per_m"] + cached_tokens * row["cached_input_per_m"]
            + output_tokens * row["output_per_m"]) / 1e6
    return float(cost) if cost.ndim == 0 else cost


def monthly_cost(cost_per_request: float, requests_per_day: float, days: int = 30) -> float:
    """Dollars per month: cost per request x requests per day x days (30 by convention).

    Examples
    --------
    >>> monthly_cost(0.002, 20_000)
    1200.0
    """
    if cost_per_request < 0 or requests_per_day < 0 or days <= 0:
        raise ValueError("need cost_per_request >= 0, requests_per_day >= 0 and days > 0")
    return float(cost_per_request * requests_per_day * days)


def latency_seconds(output_tokens, tier: str, prices: pd.DataFrame = PRICES):
    """Seconds until the whole answer has arrived: time to first token + output tokens / tokens per second.

    A first-order model: it ignores queueing and the (small, for a few thousand tokens) effect of
    the prompt's length on the time to first token.

    Examples
    --------
    >>> latency_seconds(250, "lark-mini")
    1.2
    """
    row = _tier(tier, prices)
    out = np.asarray(output_tokens, dtype=float)
    if np.any(out < 0):
        raise ValueError("output_tokens cannot be negative")
    seconds = row["first_token_seconds"] + out / row["tokens_per_second"]
    return float(seconds) if seconds.ndim == 0 else seconds


def chunks_that_fit(chunk_tokens, budget: int) -> int:
    """How many chunks, taken in ranked order, fit in a token budget; the rest are dropped.

    Parameters
    ----------
    chunk_tokens : sequence of int
        Token counts of the ranked chunks, best first.
    budget : int
        Tokens left for retrieved context: the context window minus the system prompt, the question
        and the tokens reserved for the answer.

    Returns
    -------
    int
        The length of the longest prefix whose tokens sum to at most ``budget`` (a chunk that does
        not fit is dropped with everything ranked below it, never cut in half).

    Examples
    --------
    >>> chunks_that_fit([300, 300, 300], 700)
    2
    """
    if budget < 0:
        raise ValueError(f"budget cannot be negative, got {budget}")
    total = np.cumsum(np.asarray(chunk_tokens, dtype=float))
    return int(np.searchsorted(total, budget, side="right"))


def context_budget(tier: str, system_tokens: int, question_tokens: int, answer_tokens: int,
                   prices: pd.DataFrame = PRICES, window: int | None = None) -> int:
    """Tokens left for retrieved chunks in one request.

    Parameters
    ----------
    tier : str
    system_tokens, question_tokens, answer_tokens : int
        The answer's tokens must be reserved: the window holds input and output together.
    prices : pandas.DataFrame, default PRICES
    window : int, optional
        Use this window instead of the tier's (for example a team's own cap per request).

    Returns
    -------
    int
        Never negative.
    """
    window = int(_tier(tier, prices)["context_window"]) if window is None else int(window)
    return max(window - system_tokens - question_tokens - answer_tokens, 0)


def cost_table(input_tokens: float, output_tokens: float, requests_per_day: float,
               prices: pd.DataFrame = PRICES, cached_tokens: float = 0) -> pd.DataFrame:
    """Cost per request, per 1,000 requests and per month, and latency, for every tier.

    Returns
    -------
    pandas.DataFrame
        Indexed by tier: ``cost_per_request``, ``cost_per_1000``, ``monthly_cost``, ``latency_s``.
    """
    rows = {}
    for tier in prices.index:
        per_request = request_cost(input_tokens, output_tokens, tier, cached_tokens, prices)
        rows[tier] = {"cost_per_request": per_request, "cost_per_1000": 1000 * per_request,
                      "monthly_cost": monthly_cost(per_request, requests_per_day),
                      "latency_s": latency_seconds(output_tokens, tier, prices)}
    return pd.DataFrame(rows).T.rename_axis("tier")

