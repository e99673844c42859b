"""Part 8 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"prices by hand from the price table, rounded": """
_p = llm_costs.PRICES.loc["lark-standard"]
_inp = SYSTEM_TOKENS + np.array([chunk_tokens[row[:S.k]].sum() for row in orders["hybrid"]]) + question_tokens
_c = (_inp * _p["input_per_m"] + S.answer_tokens * _p["output_per_m"]) / 1e6
q1_cost = {"input_tokens": round(float(_inp.mean()), 1), "cost_per_request": round(float(_c.mean()), 5),
           "monthly_cost": round(float(_c.mean()) * S.requests_per_day * 30)}
"""},
    "q2": {"loops by hand over the segment, an exact interval, rounded": """
_ids = chunks["article_id"].to_numpy()
_seg = [i for i, t in enumerate(question_topic) if t in SEGMENTS[S.segment]]
_r = {n: [bool(set(_ids[o[i][:S.k]]) & gold[i]) for i in _seg] for n, o in orders.items()}
_best = max(_r, key=lambda n: sum(_r[n]))
q2_segment = {"best": _best, "recall": round(sum(_r[_best]) / len(_seg), 3),
              "recall_low": round(accuracy_interval(sum(_r[_best]), len(_seg), method="beta")[0], 3)}
"""},
    "q3": {"a loop that adds chunks while they fit": """
_fit, _drop = [], []
for _row, _qt, _g, _a in zip(top10, question_tokens, gold, answerable):
    _room, _n = S.window - SYSTEM_TOKENS - int(_qt) - S.answer_tokens, 0
    while _n < len(_row) and big_tokens[_row[_n]] <= _room:
        _room -= big_tokens[_row[_n]]
        _n += 1
    _fit.append(_n)
    if _a:
        _drop.append(bool(set(ids[_row]) & _g) and not set(ids[_row[:_n]]) & _g)
q3_fallback = {"mean_fit": round(float(np.mean(_fit)), 2), "dropped_gold_share": round(float(np.mean(_drop)), 3)}
"""},
    "q4": {"each lever priced by hand, rounded to the dollar": """
_p = llm_costs.PRICES
def _cost(tier, cached=0.0):
    return ((app_input - cached) * _p.loc[tier, "input_per_m"] + cached * _p.loc[tier, "cached_input_per_m"]
            + S.answer_tokens * _p.loc[tier, "output_per_m"]) / 1e6
_month = lambda c: float(np.mean(c)) * S.requests_per_day * 30
_easy = orders["bm25"][:, 0] == orders["dense"][:, 0]
_c = S.cache_hit * SYSTEM_TOKENS
_base = _month(_cost("lark-standard"))
q4_levers = {"caching_saving": round(_base - _month(_cost("lark-standard", _c))),
             "routing_saving": round(_base - _month(np.where(_easy, _cost("lark-mini"), _cost("lark-standard")))),
             "both_saving": round(_base - _month(np.where(_easy, _cost("lark-mini", _c), _cost("lark-standard", _c))))}
"""},
    "q5": {"cache hits and misses priced as two kinds of request, rounded": """
_ids = chunks["article_id"].to_numpy()
_ok = [(not r) and bool(set(_ids[row[:S.k]]) & g) if a else r
       for row, g, a, r in zip(orders["hybrid"], gold, answerable, best_score <= REFUSE_AT)]
_month = {}
for _t in ("lark-max", "lark-standard", "lark-mini"):
    _hit = llm_costs.request_cost(app_input, S.answer_tokens, _t, cached_tokens=SYSTEM_TOKENS).mean()
    _miss = llm_costs.request_cost(app_input, S.answer_tokens, _t).mean()
    _month[_t] = (S.cache_hit * _hit + (1 - S.cache_hit) * _miss) * S.requests_per_day * 30
_fits = [t for t, c in _month.items() if c <= S.budget]
q5_tier = {"grounded_rate": round(float(np.mean(_ok)), 3), "tier": _fits[0] if _fits else "none",
           "monthly_cost": round(_month[_fits[0]]) if _fits else 0}
"""},
}

MISTAKES = {
    "q1": {
        "the lesson's 5 chunks and 250-token answers instead of the scenario's": (["input_tokens", "cost_per_request", "monthly_cost"], """
_inp = input_tokens(orders["hybrid"], 5)
_c = llm_costs.request_cost(_inp, 250, "lark-standard").mean()
q1_cost = {"input_tokens": _inp.mean(), "cost_per_request": _c, "monthly_cost": llm_costs.monthly_cost(_c, S.requests_per_day)}
"""),
        "a month of 365/12 days": (["monthly_cost"], """
q1_cost = {**q1_cost, "monthly_cost": q1_cost["cost_per_request"] * S.requests_per_day * 365 / 12}
"""),
    },
    "q2": {
        "recall over every answerable question, not the segment": (["recall", "recall_low"], """
_h = hits(orders[q2_segment["best"]], S.k)[answerable]
q2_segment = {**q2_segment, "recall": _h.mean(), "recall_low": accuracy_interval(int(_h.sum()), len(_h))[0]}
"""),
        "the interval's n taken as all answerable questions": (["recall_low"], """
_h = segment_hits[q2_segment["best"]]
q2_segment = {**q2_segment, "recall_low": accuracy_interval(int(_h.sum()), int(answerable.sum()))[0]}
"""),
    },
    "q3": {
        "the answer's tokens not reserved": (["mean_fit"], """
_fits = np.array([llm_costs.chunks_that_fit(big_tokens[row], S.window - SYSTEM_TOKENS - int(q)) for row, q in zip(top10, question_tokens)])
q3_fallback = {**q3_fallback, "mean_fit": _fits.mean()}
"""),
        "share of all questions, unanswerable included": (["dropped_gold_share"], """
q3_fallback = {**q3_fallback, "dropped_gold_share": (in_top10 & ~in_context).mean()}
"""),
    },
    "q4": {
        "the cache discount applied to the whole prompt": (["caching_saving"], """
q4_levers = {**q4_levers, "caching_saving": baseline - monthly(app_costs("lark-standard", S.cache_hit * app_input))}
"""),
        "every request hits the cache (the hit rate ignored)": (["caching_saving"], """
q4_levers = {**q4_levers, "caching_saving": baseline - monthly(app_costs("lark-standard", SYSTEM_TOKENS))}
"""),
    },
    "q5": {
        "grounded rate of answerable questions only, refusals ignored": (["grounded_rate"], """
q5_tier = {**q5_tier, "grounded_rate": hits(orders["hybrid"], S.k)[answerable].mean()}
"""),
        "the cheapest tier rather than the best one within budget": (["tier", "monthly_cost"], """
_other = "lark-mini" if tier != "lark-mini" else "lark-standard"
q5_tier = {**q5_tier, "tier": _other, "monthly_cost": tier_costs[_other]}
"""),
    },
}
