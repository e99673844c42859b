"""Part 8 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"counts by hand from the encodings, rounded to 3 decimals": """
_en_a = articles[articles["language"] == "en"]["body"].tolist()
_en_q = questions[questions["language"] == "en"]["text"].tolist()
_ntok = lambda texts: sum(len(tok.encode(t).ids) for t in texts)
q1_tokens = {"articles_wpt": round(sum(len(t.split()) for t in _en_a) / _ntok(_en_a), 3),
             "questions_wpt": round(sum(len(t.split()) for t in _en_q) / _ntok(_en_q), 3),
             "questions_cpt": round(sum(map(len, _en_q)) / _ntok(_en_q), 2)}
"""},
    "q2": {"an exact interval, chunk-position MRR, rounded": """
_top5 = [set(chunks["article_id"].to_numpy()[row[:5]]) for row in orders["bm25"]]
_hits = [bool(t & g) for t, g in zip(_top5, gold) if g]
_rr = []
for _row, _g in zip(orders["bm25"], gold):
    if _g:
        _pos = [i for i, a in enumerate(chunks["article_id"].to_numpy()[_row]) if a in _g]
        _rr.append(1 / (_pos[0] + 1) if _pos else 0.0)
q2_bm25 = {"recall_at_5": round(sum(_hits) / len(_hits), 3),
           "recall_low": round(accuracy_interval(sum(_hits), len(_hits), method="beta")[0], 3),
           "mrr": round(float(np.mean(_rr)), 3)}
"""},
    "q3": {"loops by hand, rounded": """
_ids = chunks["article_id"].to_numpy()
_r = {}
for _name, _order in orders.items():
    _h = [bool(set(_ids[row[:5]]) & g) for row, g in zip(_order, gold)]
    _r[_name] = round(float(np.mean([h for h, a in zip(_h, answerable) if a])), 3)
_df = pd.DataFrame({"kind": questions["kind"], "hit": [bool(set(_ids[row[:5]]) & g) for row, g in zip(orders["hybrid"], gold)]})
q3_retrievers = {**_r, "best": max(_r, key=_r.get),
                 "hardest_kind": _df[_df["kind"] != "unanswerable"].groupby("kind")["hit"].mean().idxmin()}
"""},
    "q4": {"a table of the sweep, rounded": """
_rows = pd.DataFrame({name: {"recall": row["recall_at_5"], "tokens": row["context_tokens"]} for name, row in sweep.items()}).T
_ok = _rows[_rows["recall"] >= _rows["recall"].max() - 0.02]
q4_chunking = {"choice": _ok["tokens"].idxmin(), "context_tokens": round(float(_ok["tokens"].min()), 1)}
"""},
    "q5": {"a loop that adds chunks while they fit": """
_fit, _drop = [], []
for _row, _qt, _g, _a in zip(top10, question_tokens, gold, answerable):
    _room, _n = 1024 - SYSTEM_TOKENS - int(_qt) - ANSWER_TOKENS, 0
    while _n < len(_row) and big_tokens[_row[_n]] <= _room:
        _room -= big_tokens[_row[_n]]
        _n += 1
    _fit.append(_n)
    if _a:
        _drop.append(bool(set(ids[_row]) & _g) and not set(ids[_row[:_n]]) & _g)
q5_window = {"mean_fit": round(float(np.mean(_fit)), 2), "dropped_gold_share": round(float(np.mean(_drop)), 3)}
"""},
    "q6": {"prices by hand, rounded": """
_p = llm_costs.PRICES.loc["lark-standard"]
_inp = SYSTEM_TOKENS + chunk_tokens[orders["hybrid"][:, :5]].sum(axis=1) + question_tokens
_c = (_inp * _p["input_per_m"] + ANSWER_TOKENS * _p["output_per_m"]) / 1e6
q6_cost = {"input_tokens": round(float(_inp.mean()), 1), "cost_per_request": round(float(_c.mean()), 5),
           "monthly_cost": round(float(_c.mean()) * REQUESTS_PER_DAY * 30)}
"""},
    "q7": {"each lever priced by hand, rounded to the dollar": """
_p = llm_costs.PRICES
def _cost(inp, tier, cached=0.0):
    return ((inp - cached) * _p.loc[tier, "input_per_m"] + cached * _p.loc[tier, "cached_input_per_m"]
            + ANSWER_TOKENS * _p.loc[tier, "output_per_m"]) / 1e6
_inp5 = SYSTEM_TOKENS + chunk_tokens[orders["hybrid"][:, :5]].sum(axis=1) + question_tokens
_inp3 = SYSTEM_TOKENS + chunk_tokens[orders["hybrid"][:, :3]].sum(axis=1) + question_tokens
_base = _cost(_inp5, "lark-standard").mean() * REQUESTS_PER_DAY * 30
_easy = orders["bm25"][:, 0] == orders["dense"][:, 0]
q7_levers = {"caching_saving": round(_base - _cost(_inp5, "lark-standard", 0.8 * SYSTEM_TOKENS).mean() * REQUESTS_PER_DAY * 30),
             "trimming_saving": round(_base - _cost(_inp3, "lark-standard").mean() * REQUESTS_PER_DAY * 30),
             "trimming_recall_loss": round(recall5(orders["hybrid"]) - recall5(orders["hybrid"], k=3), 3),
             "routing_share": round(float(_easy.mean()), 3),
             "routing_saving": round(_base - np.where(_easy, _cost(_inp5, "lark-mini"), _cost(_inp5, "lark-standard")).mean()
                                     * REQUESTS_PER_DAY * 30)}
"""},
    "q8": {"a table over k and tiers, rounded": """
_ids = chunks["article_id"].to_numpy()
_refuse = best_score < REFUSE_BELOW
_rate = {}
for _k in range(1, 11):
    _ok = [(not r) and bool(set(_ids[row[:_k]]) & g) if a else r
           for row, g, a, r in zip(orders["hybrid"], gold, answerable, _refuse)]
    _rate[_k] = float(np.mean(_ok))
_k = [k for k in range(1, 11) if _rate[k] >= max(_rate.values()) - 0.01][0]
_inp = SYSTEM_TOKENS + chunk_tokens[orders["hybrid"][:, :_k]].sum(axis=1) + question_tokens
_p = llm_costs.PRICES
_month = {t: float(((_inp * _p.loc[t, "input_per_m"] + ANSWER_TOKENS * _p.loc[t, "output_per_m"]) / 1e6).mean()) * REQUESTS_PER_DAY * 30
          for t in _p.index}
_tier = [t for t in ("lark-max", "lark-standard", "lark-mini") if _month[t] <= BUDGET][0]
q8_config = {"k": _k, "grounded_rate": round(_rate[_k], 3), "tier": _tier, "monthly_cost": round(_month[_tier])}
"""},
}

MISTAKES = {
    "q1": {
        "tokens per word instead of words per token": (["articles_wpt", "questions_wpt"], """
q1_tokens = {**q1_tokens, "articles_wpt": 1 / q1_tokens["articles_wpt"], "questions_wpt": 1 / q1_tokens["questions_wpt"]}
"""),
        "the rule of thumb quoted instead of measured": ("all", """
q1_tokens = {"articles_wpt": 0.75, "questions_wpt": 0.75, "questions_cpt": 4.0}
"""),
    },
    "q2": {
        "unanswerable questions counted as misses": (["recall_at_5", "recall_low", "mrr"], """
_h = retrieval.hits_at_k(retrieval.article_rankings(orders["bm25"], chunks["article_id"], 5), gold, 5)
_lo = accuracy_interval(int(_h.sum()), len(_h))[0]
q2_bm25 = {"recall_at_5": _h.mean(), "recall_low": _lo, "mrr": retrieval.reciprocal_ranks(bm25_articles, gold).mean()}
"""),
        "recall@1 where recall@5 is asked": (["recall_at_5", "recall_low"], """
_s = retrieval.evaluate(retrieval.article_rankings(orders["bm25"], chunks["article_id"], 1), gold, ks=(1,))
q2_bm25 = {**q2_bm25, "recall_at_5": _s["recall@1"], "recall_low": _s["recall@1_low"]}
"""),
    },
    "q3": {
        "the worst retriever as the best": (["best"], """
_worst = min(recalls, key=recalls.get)
q3_retrievers = {**q3_retrievers, "best": _worst if recalls[_worst] < max(recalls.values()) - 0.003 else "none"}
"""),
        "recall@5 over every question, unanswerable included": (["bm25", "dense", "hybrid"], """
_ids = chunks["article_id"].to_numpy()
q3_retrievers = {**q3_retrievers, **{n: float(np.mean([bool(set(_ids[row[:5]]) & g) for row, g in zip(o, gold)]))
                                     for n, o in orders.items()}}
"""),
    },
    "q4": {
        "the best recall regardless of tokens sent": (["choice", "context_tokens"], """
_best = max(sweep, key=lambda n: (sweep[n]["recall_at_5"], -sweep[n]["context_tokens"]))
q4_chunking = {"choice": _best if _best != choice else "none", "context_tokens": sweep[_best]["context_tokens"] + (0 if _best != choice else 1)}
"""),
        "tokens of one chunk instead of the five sent": (["context_tokens"], """
q4_chunking = {**q4_chunking, "context_tokens": q4_chunking["context_tokens"] / 5}
"""),
    },
    "q5": {
        "the answer's tokens not reserved": (["mean_fit"], """
_fits = np.array([llm_costs.chunks_that_fit(big_tokens[row], 1024 - SYSTEM_TOKENS - int(q)) for row, q in zip(top10, question_tokens)])
q5_window = {**q5_window, "mean_fit": _fits.mean()}
"""),
        "share of all questions, unanswerable included": (["dropped_gold_share"], """
q5_window = {**q5_window, "dropped_gold_share": (in_top10 & ~in_context).mean()}
"""),
    },
    "q6": {
        "the answer's output tokens left out": (["cost_per_request", "monthly_cost"], """
_c = llm_costs.request_cost(launch_input, 0, "lark-standard").mean()
q6_cost = {**q6_cost, "cost_per_request": _c, "monthly_cost": llm_costs.monthly_cost(_c, REQUESTS_PER_DAY)}
"""),
        "a month of 365/12 days": (["monthly_cost"], """
q6_cost = {**q6_cost, "monthly_cost": launch_cost * REQUESTS_PER_DAY * 365 / 12}
"""),
    },
    "q7": {
        "the cache discount applied to the whole prompt": (["caching_saving"], """
_all = llm_costs.request_cost(launch_input, ANSWER_TOKENS, "lark-standard", cached_tokens=0.8 * launch_input)
q7_levers = {**q7_levers, "caching_saving": baseline - monthly(_all)}
"""),
        "every question routed to the small model": (["routing_share", "routing_saving"], """
q7_levers = {**q7_levers, "routing_share": 1.0,
             "routing_saving": baseline - monthly(llm_costs.request_cost(launch_input, ANSWER_TOKENS, "lark-mini"))}
"""),
    },
    "q8": {
        "grounded rate of answerable questions only, refusals ignored": (["grounded_rate"], """
_in = retrieval.hits_at_k(retrieval.article_rankings(orders["hybrid"], chunks["article_id"], k_pick), gold, k_pick)
q8_config = {**q8_config, "grounded_rate": _in[answerable].mean()}
"""),
        "the cheapest tier rather than the best one within budget": (["tier", "monthly_cost"], """
q8_config = {**q8_config, "tier": "lark-mini", "monthly_cost": tier_costs["lark-mini"]}
"""),
    },
}
