"""Part 10 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"scikit-learn's split, the cost curve swept by hand on the validation split, statsmodels' Wilson interval, rounded": """
from sklearn.model_selection import train_test_split
from statsmodels.stats.proportion import proportion_confint
_fit, _val = train_test_split(train, test_size=0.25, random_state=seed, stratify=train["is_fraud"])
_model = fraud.make_model().fit(_fit, _fit["is_fraud"])
_vs, _vy = _model.predict_proba(_val)[:, 1], _val["is_fraud"].to_numpy()
_grid = np.round(np.arange(1, 1000) / 1000, 3)
_cost = np.array([((_vs >= t) & (_vy == 0)).sum() * S.review_cost + ((_vs < t) & (_vy == 1)).sum() * S.fraud_loss
                  for t in _grid])
_t = float(_grid[_cost.argmin()])
_s = _model.predict_proba(test)[:, 1]
_tp, _fp = int(((_s >= _t) & (y == 1)).sum()), int(((_s >= _t) & (y == 0)).sum())
_lo, _hi = proportion_confint(_tp, _tp + _fp, method="wilson")
q1_precision = {"threshold": _t, "precision": round(_tp / (_tp + _fp), 3), "low": round(_lo, 3),
                "verdict": "pass" if _lo >= S.precision_floor else "fail" if _hi < S.precision_floor else "not proven"}
"""},
    "q2": {"pandas groupby and an exact (Clopper-Pearson) interval, rounded": """
_t = pd.DataFrame({"device": test["device"].to_numpy(), "y": y, "flag": scores >= q1_precision["threshold"]})
_rec = _t[_t["y"] == 1].groupby("device")["flag"].agg(["sum", "count"])
_w = (_rec["sum"] / _rec["count"]).idxmin()
_r = _rec.loc[_w, "sum"] / _rec.loc[_w, "count"]
_lo, _hi = accuracy_interval(int(_rec.loc[_w, "sum"]), int(_rec.loc[_w, "count"]), method="beta")
q2_worst_device = {"device": _w, "recall": round(float(_r), 3), "low": round(_lo, 3),
                   "verdict": Gate("worst", "recall", ">=", S.device_floor, _r, _lo, _hi).verdict}
"""},
    "q3": {"staffing and the bill by hand from the price table, rounded to the dollar": """
import math
_reviews = (scores >= q1_precision["threshold"]).mean() * S.daily_transactions
_price = llm_costs.PRICES.loc[S.tier]
_per = (S.prompt_tokens * _price["input_per_m"] + S.answer_tokens * _price["output_per_m"]) / 1e6
q3_operations = {"analysts": math.ceil(_reviews * S.minutes_per_review / 60 / 6), "llm_month": round(_reviews * 30 * _per)}
"""},
    "q4": {"a loop over the stages with statsmodels": """
from statsmodels.stats.proportion import proportion_confint
_stage = 0
for _k, _th in enumerate(STAGES[1:], start=1):
    _auto = confidence >= _th
    _n, _e = int(_auto.sum()), int((misrouted & _auto).sum())
    if _n and (_n < S.min_tickets or proportion_confint(_e, _n, method="wilson")[1] > S.error_budget):
        break
    _stage = _k
_share = float((confidence >= STAGES[_stage]).mean())
q4_rollout = {"cutoff": STAGES[_stage], "automated_share": round(_share, 3),
              "agent_hours": round(_share * S.tickets_per_day * S.minutes_per_ticket / 60, 1)}
"""},
    "q5": {"statsmodels' Wald interval on the planned days' totals, rounded to 5 decimals": """
from statsmodels.stats.proportion import confint_proportions_2indep
_tot = offer_days[offer_days["day"].between(1, S.horizon)].groupby("arm")[["users", "activations", "complaints"]].sum()
def _ci(metric):
    return confint_proportions_2indep(_tot.loc["B", metric], _tot.loc["B", "users"], _tot.loc["A", metric],
                                      _tot.loc["A", "users"], method="wald")
_p, _g = _ci("activations"), _ci("complaints")
q5_offers = {"primary_low": round(float(_p[0]), 5), "guardrail_high": round(float(_g[1]), 5),
             "guardrail": "pass" if _g[1] <= S.complaint_margin else "fail" if _g[0] > S.complaint_margin else "not proven"}
"""},
    "q6": {"compare() and pandas, shares rounded to 3 decimals, np.interp on the crossing interval": """
_runs = feedback_loop.compare([0.0] + EPSILONS, seeds=(seed,), churn=S.churn)
_late = _runs[_runs["round"].between(31, 40)].groupby("epsilon")[["coverage", "revenue_per_session"]].mean().round(3)
_above = _late.index[_late["coverage"] >= S.coverage_promise]
_hi = _above[_above > 0].min()
_lo = _late.index[_late.index < _hi].max()
_need = float(np.interp(S.coverage_promise, _late.loc[[_lo, _hi], "coverage"], [_lo, _hi]))
q6_exploration = {"coverage_greedy": float(_late.loc[0.0, "coverage"]), "epsilon_needed": round(_need, 3),
                  "revenue_change": round(float(_late.loc[_hi, "revenue_per_session"] / _late.loc[0.0, "revenue_per_session"] - 1), 3)}
"""},
    "q7": {"verdicts and the call by hand": """
def _verdict(value, low, high, target, at_least):
    if value is None:
        return "not proven"
    low, high = (value, value) if low is None else (low, high)
    if not at_least:
        low, high, target = -high, -low, -target
    return "pass" if low >= target else "fail" if high < target else "not proven"
_p_hi = accuracy_interval(at["tp"], at["tp"] + at["fp"])[1]
_d_hi = accuracy_interval(int(row["n_true_positive"]), int(row["n_positive"]))[1]
_rows = {"Cost within target": _verdict(at["cost_per_1000"], None, None, S.cost_target, False),
         "Precision floor": _verdict(q1_precision["precision"], q1_precision["low"], _p_hi, S.precision_floor, True),
         "Every device protected": _verdict(q2_worst_device["recall"], q2_worst_device["low"], _d_hi, S.device_floor, True),
         "Review queue staffed": _verdict(q3_operations["analysts"], None, None, S.analysts, False),
         "Case summaries affordable": _verdict(q3_operations["llm_month"], None, None, S.llm_budget, False),
         "Online test with guardrails": _verdict(None, None, None, 0, False)}
_v = set(_rows.values())
q7_launch = {"decision": "no-go" if "fail" in _v else "go" if _v == {"pass"} else "more data",
             "not_passing": [k for k, v in _rows.items() if v != "pass"]}
"""},
    "q8": {"the days added up by hand, share rounded to 3 decimals": """
_days = 12 + 6 * 2 + 10 * len(q7_launch["not_passing"]) + 13 + 26 + 5
_share = _days / (S.engineers * 60)
q8_capacity = {"share": round(_share, 3), "status": "under" if _share < 0.30 else "over" if _share > 0.50 else "within"}
"""},
}

MISTAKES = {
    "q1": {
        "tuned on the test set (the threshold chosen on the hold-out that judges it)": (["threshold", "precision", "low"], """
_t = float(best_threshold(y, scores, COSTS)["threshold"])
_at = summary_at(y, scores, _t, COSTS)
_lo, _hi = accuracy_interval(_at["tp"], _at["tp"] + _at["fp"])
q1_precision = {"threshold": _t, "precision": _at["precision"], "low": _lo,
                "verdict": Gate("Precision floor", "precision", ">=", S.precision_floor, _at["precision"], _lo, _hi).verdict}
"""),
        "the interval over all frauds (recall's denominator)": (["low"], """
q1_precision = {**q1_precision, "low": accuracy_interval(at["tp"], at["tp"] + at["fn"])[0]}
"""),
        "the textbook p* instead of the cheapest threshold on the validation split": (["threshold"], """
q1_precision = {**q1_precision, "threshold": COSTS.bayes_threshold}
"""),
    },
    "q2": {
        "the lesson's segments (regions) instead of devices": (["device", "recall", "low"], """
_reg = segments.segment_report(y, flagged.astype(int), test["region"].reset_index(drop=True), metrics=("recall",))
_w = _reg.drop(index=segments.OVERALL)["recall"].idxmin()
q2_worst_device = {**q2_worst_device, "device": _w, "recall": _reg.loc[_w, "recall"], "low": _reg.loc[_w, "recall_low"]}
"""),
        "recall as a share of all frauds in the test set": (["recall"], """
q2_worst_device = {**q2_worst_device, "recall": int(row["n_true_positive"]) / y.sum()}
"""),
        "the threshold tuned on the test set": (["recall"], """
_flags = scores >= float(best_threshold(y, scores, COSTS)["threshold"])
_rep = segments.segment_report(y, _flags.astype(int), device, metrics=("recall",)).drop(index=segments.OVERALL)
_w = _rep["recall"].idxmin()
_lo, _hi = accuracy_interval(int(_rep.loc[_w, "n_true_positive"]), int(_rep.loc[_w, "n_positive"]))
q2_worst_device = {"device": _w, "recall": _rep.loc[_w, "recall"], "low": _lo,
                   "verdict": Gate("worst", "recall", ">=", S.device_floor, _rep.loc[_w, "recall"], _lo, _hi).verdict}
"""),
    },
    "q3": {
        "analysts as unrounded FTE": (["analysts"], """
q3_operations = {**q3_operations, "analysts": queue["fte"]}
"""),
        "the bill per day, not per month": (["llm_month"], """
q3_operations = {**q3_operations, "llm_month": llm_month / 30}
"""),
        "the threshold tuned on the test set": (["analysts"], """
_share = summary_at(y, scores, float(best_threshold(y, scores, COSTS)["threshold"]), COSTS)["flagged_share"]
q3_operations = {"analysts": uncertainty.staffing(_share, S.daily_transactions, S.minutes_per_review)["analysts"],
                 "llm_month": llm_costs.monthly_cost(per_summary, _share * S.daily_transactions)}
"""),
    },
    "q4": {
        "the lesson's stages and budget": (["cutoff"], """
_plan = launch.rollout_plan(confidence, misrouted, [1.01, 0.9, 0.8, 0.7, 0.6, 0.5], max_error=0.05)
q4_rollout = {**q4_rollout, "cutoff": [1.01, 0.9, 0.8, 0.7, 0.6, 0.5][launch.furthest_stage(_plan)]}
"""),
        "hours for the tickets left to agents": (["agent_hours"], """
q4_rollout = {**q4_rollout, "agent_hours": (1 - q4_rollout["automated_share"]) * S.tickets_per_day * S.minutes_per_ticket / 60}
"""),
    },
    "q5": {
        "all 28 days instead of the planned horizon": (["primary_low", "guardrail_high"], """
_p, _g = experiments.readout(offer_days, "activations"), experiments.readout(offer_days, "complaints")
q5_offers = {**q5_offers, "primary_low": _p["ci_low"], "guardrail_high": _g["ci_high"]}
"""),
        "A minus B instead of B minus A": (["primary_low", "guardrail_high"], """
_p = experiments.readout(offer_days, "activations", days=(1, S.horizon))
_g = experiments.readout(offer_days, "complaints", days=(1, S.horizon))
q5_offers = {**q5_offers, "primary_low": -_p["ci_high"], "guardrail_high": -_g["ci_low"]}
"""),
    },
    "q6": {
        "the grid epsilon instead of the interpolated one": (["epsilon_needed"], """
q6_exploration = {**q6_exploration, "epsilon_needed": run_epsilon}
"""),
        "revenue change in percent": (["revenue_change"], """
q6_exploration = {**q6_exploration, "revenue_change": 100 * q6_exploration["revenue_change"]}
"""),
    },
    "q7": {
        "not proven counted as passing": (["not_passing"], """
_table = launch.gate_table(fraud_gates())
q7_launch = {**q7_launch, "not_passing": _table.loc[_table["verdict"] == "fail", "gate"].tolist()}
"""),
        "the call from the business metric alone": (["decision"], """
_cost = launch.gate_table(fraud_gates()).set_index("gate").loc["Cost within target", "verdict"]
q7_launch = {**q7_launch, "decision": "go" if _cost == "pass" else "maybe"}
"""),
    },
    "q8": {
        "the lesson's team (5 engineers)": (["share"], """
_days = 12 + 6 * 2 + 10 * len(q7_launch["not_passing"]) + 13 + 26 + 5
q8_capacity = {**q8_capacity, "share": _days / 300 if S.engineers != 5 else _days / 360}
"""),
        "share as a percentage": (["share"], """
q8_capacity = {**q8_capacity, "share": 100 * q8_capacity["share"]}
"""),
    },
}
