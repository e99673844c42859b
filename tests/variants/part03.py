"""Part 3 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"pandas groupby by hand, rounded to 3 decimals": """
_t = pd.DataFrame({"channel": test["channel"].to_numpy(), "fraud": y_test, "caught": y_test * flagged})
_g = _t.groupby("channel")[["fraud", "caught"]].sum()
q1_channels = {"in_store": round(_g.loc["in_store", "caught"] / _g.loc["in_store", "fraud"], 3),
               "online": round(_g.loc["online", "caught"] / _g.loc["online", "fraud"], 3),
               "in_store_weight": round(_g.loc["in_store", "fraud"] / _g["fraud"].sum(), 3)}
"""},
    "q2": {"a Clopper-Pearson interval from the counts": """
_caught = int((y_test * flagged)[in_store].sum())
_n = int(y_test[in_store].sum())
_low, _high = accuracy_interval(_caught, _n, method="beta")
q2_in_store_interval = {"low": round(_low, 3), "high": round(_high, 3)}
"""},
    "q3": {"segment_report per category, filtered on n_positive": """
_r = segment_report(y_test, flagged, test["merchant_category"], metrics=("recall",)).drop(index="overall")
_m = _r[_r["n_positive"] >= S.min_frauds]
q3_categories = {"worst": _m["recall"].idxmin(), "ratio": round(_m["recall"].min() / _m["recall"].max(), 3),
                 "passes": bool(_m["recall"].min() / _m["recall"].max() >= S.screen),
                 "unmeasured": sorted(set(CATEGORIES) - set(_m.index))}
"""},
    "q4": {"Wilson planning, rounded": """
_sizes = interval_by_size(S.recall_floor, range(1, 3000))
_more = int(_sizes.loc[_sizes["half_width"] <= S.half_width, "n"].iloc[0]) - int(y_test[in_store].sum())
_rate = y_test[in_store].sum() / in_store.sum()
q4_labels = {"more_frauds": _more, "transactions": round(_more / _rate), "label_bill": round(_more / _rate * S.label_cost)}
"""},
    "q5": {"a grid of step 0.001": """
_s, _y = scores[in_store], y_test[in_store]
_rows = []
for _t in np.arange(1, 1000) / 1000:
    _flag = _s >= _t
    if _flag.any() and (_flag & (_y == 1)).sum() / _y.sum() >= S.recall_floor:
        _rows.append(((_flag & (_y == 1)).sum() / _flag.sum(), _flag.mean()))
_precision, _share = max(_rows, key=lambda r: r[0])
q5_fix = {"share": round(_share, 4), "precision": round(_precision, 4), "pays": bool(_precision >= FLOORS["precision"])}
"""},
    "q6": {"Clopper-Pearson intervals throughout": """
_plan = plan_flags(fix_threshold)
_beta = floor_intervals(flagged, "beta")
_single_go = all(low >= FLOORS[m] for (_, m), (low, _) in _beta.items())
_fails = any(high < FLOORS[m] for (_, m), (_, high) in floor_intervals(_plan, "beta").items())
q6_launch = {"plan_review_share": round(float(_plan.mean()), 4),
             "decision": "go" if _single_go else "no-go" if _fails else "pilot-with-fix"}
"""},
}

MISTAKES = {
    "q1": {
        "in-store share of transactions where the share of frauds is asked": (["in_store_weight"], """
q1_channels = {**q1_channels, "in_store_weight": float(in_store.mean())}
"""),
        "precision where recall is asked": (["in_store", "online"], """
q1_channels = {**q1_channels, "in_store": float(by_channel.loc["in_store", "precision"]),
               "online": float(by_channel.loc["online", "precision"])}
"""),
    },
    "q2": {
        "a normal-approximation (Wald) interval on a handful of frauds": (["low", "high"], """
_r = caught / frauds
_h = 1.96 * np.sqrt(_r * (1 - _r) / frauds)
q2_in_store_interval = {**q2_in_store_interval, "low": _r - _h, "high": _r + _h}
"""),
        "the overall row's interval, not the in-store one": (["low", "high"], """
q2_in_store_interval = {"low": float(by_channel.loc["overall", "recall_low"]),
                        "high": float(by_channel.loc["overall", "recall_high"])}
"""),
    },
    "q3": {
        "every category measured, however few its frauds": (["unmeasured"], """
q3_categories = {**q3_categories, "unmeasured": []}
"""),
        "best over worst (the ratio upside down, above 1)": (["ratio"], """
q3_categories = {**q3_categories, "ratio": float(category_recall.max() / category_recall.min())
                 if category_recall.min() > 0 else float("inf")}
"""),
    },
    "q4": {
        "planned at today's in-store recall instead of the floor": (["more_frauds", "transactions", "label_bill"], """
q4_labels = label_plan(labels_needed(q1_channels["in_store"], frauds, S.half_width))
"""),
        "frauds to label as the transactions (forgets the fraud rate)": (["transactions", "label_bill"], """
q4_labels = {**q4_labels, "transactions": q4_labels["more_frauds"],
             "label_bill": q4_labels["more_frauds"] * S.label_cost}
"""),
    },
    "q5": {
        "share of all test transactions where the in-store share is asked": (["share"], """
q5_fix = {**q5_fix, "share": q5_fix["share"] * in_store.sum() / len(test)}
"""),
        "precision of every flagged test transaction under the plan, not the in-store ones": (["precision"], """
_plan = np.where(in_store, scores >= fix_threshold, flagged == 1)
q5_fix = {**q5_fix, "precision": float((_plan & (y_test == 1)).sum() / _plan.sum())}
"""),
    },
    "q6": {
        "transactions flagged under the plan where their share is asked": (["plan_review_share"], """
q6_launch = {**q6_launch, "plan_review_share": int(plan_flags(fix_threshold).sum())}
"""),
        "review share at the single threshold, not under the plan": (["plan_review_share"], """
q6_launch = {**q6_launch, "plan_review_share": float(flagged.mean())}
"""),
    },
}
