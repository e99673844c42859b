"""Part 10 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"counts by hand, statsmodels' Wilson interval, rounded to 3 decimals": """
from statsmodels.stats.proportion import proportion_confint
_tp, _fp = int((flagged & (y == 1)).sum()), int((flagged & (y == 0)).sum())
_lo, _hi = proportion_confint(_tp, _tp + _fp, method="wilson")
q1_precision = {"precision": round(_tp / (_tp + _fp), 3), "low": round(_lo, 3), "high": round(_hi, 3),
                "verdict": "pass" if _lo >= 0.10 else "fail" if _hi < 0.10 else "not proven"}
"""},
    "q2": {"pandas groupby and an exact (Clopper-Pearson) interval, rounded": """
_t = pd.DataFrame({"region": region, "y": y, "flag": flagged})
_rec = _t[_t["y"] == 1].groupby("region")["flag"].agg(["sum", "count"])
_w = (_rec["sum"] / _rec["count"]).idxmin()
_r = _rec.loc[_w, "sum"] / _rec.loc[_w, "count"]
_lo, _hi = accuracy_interval(int(_rec.loc[_w, "sum"]), int(_rec.loc[_w, "count"]), method="beta")
q2_worst_region = {"region": _w, "recall": round(float(_r), 3), "low": round(_lo, 3),
                   "verdict": Gate("worst", "recall", ">=", 0.30, _r, _lo, _hi).verdict}
"""},
    "q3": {"ECE, staffing and the bill by hand": """
import math
_bin = np.minimum((scores * 10).astype(int), 9)
_ece = sum(abs(scores[_bin == b].mean() - y[_bin == b].mean()) * (_bin == b).sum()
           for b in range(10) if (_bin == b).any()) / len(y)
_reviews = flagged.mean() * DAILY_TRANSACTIONS
q3_operations = {"ece": round(float(_ece), 5), "analysts": math.ceil(_reviews * MINUTES_PER_REVIEW / 60 / 6),
                 "llm_month": round(_reviews * 30 * (1500 * 1.25 + 200 * 10.0) / 1e6)}
"""},
    "q4": {"a loop over the stages with statsmodels": """
from statsmodels.stats.proportion import proportion_confint
_stage = 0
for _k, _th in enumerate(STAGES[1:], start=1):
    _auto = confidence >= _th
    _n, _e = int(_auto.sum()), int((misrouted & _auto).sum())
    if _n < 30 or proportion_confint(_e, _n, method="wilson")[1] > BUDGET:
        break
    _stage = _k
q4_rollout = {"stage": _stage, "automated_share": round(float((confidence >= STAGES[_stage]).mean()), 3)}
"""},
    "q5": {"statsmodels' Wald interval on the totals, rounded to 5 decimals": """
from statsmodels.stats.proportion import confint_proportions_2indep
_tot = offer_days.groupby("arm")[["users", "activations", "complaints"]].sum()
def _ci(metric):
    return confint_proportions_2indep(_tot.loc["B", metric], _tot.loc["B", "users"], _tot.loc["A", metric],
                                      _tot.loc["A", "users"], method="wald")
_p, _g = _ci("activations"), _ci("complaints")
q5_offers = {"primary_low": round(float(_p[0]), 5), "guardrail_high": round(float(_g[1]), 5),
             "guardrail": "pass" if _g[1] <= 0.0005 else "fail" if _g[0] > 0.0005 else "not proven"}
"""},
    "q6": {"compare() and pandas, coverage rounded to 2 decimals": """
_runs = feedback_loop.compare([0.0] + EPSILONS, seeds=(seed,))
_late = _runs[_runs["round"].between(31, 40)].groupby("epsilon")["coverage"].mean()
_ok = _late[(_late.index > 0) & (_late >= 0.75)]
q6_exploration = {"coverage_greedy": round(float(_late[0.0]), 2), "coverage_explore": round(float(_late[0.1]), 2),
                  "epsilon": float(_ok.index.min())}
"""},
    "q7": {"verdicts and the call by hand": """
def _verdict(value, low, high, target, at_least):
    if value is None:
        return "not proven"
    low, high = (value, value) if low is None else (low, high)
    if not at_least:
        low, high, target = -high, -low, -target
    return "pass" if low >= target else "fail" if high < target else "not proven"
_hi2 = accuracy_interval(int(row["n_true_positive"]), int(row["n_positive"]))[1]
_rows = {"Cost at the cheapest threshold": _verdict(at["cost_per_1000"], None, None, 400, False),
         "Precision floor": _verdict(q1_precision["precision"], q1_precision["low"], q1_precision["high"], 0.10, True),
         "No region left behind": _verdict(q2_worst_region["recall"], q2_worst_region["low"], _hi2, 0.30, True),
         "Calibrated scores": _verdict(q3_operations["ece"], None, None, 0.005, False),
         "Review queue staffed": _verdict(q3_operations["analysts"], None, None, ANALYSTS, False),
         "Case summaries affordable": _verdict(q3_operations["llm_month"], None, None, 500, False),
         "Online test with guardrails": _verdict(None, None, None, 0, False)}
_v = set(_rows.values())
q7_launch = {"decision": "no-go" if "fail" in _v else "go" if _v == {"pass"} else "more data",
             "not_passing": [k for k, v in _rows.items() if v != "pass"]}
"""},
    "q8": {"the days added up by hand, share rounded to 2 decimals": """
_days = 12 + 6 * 2 + 10 * len(q7_launch["not_passing"]) + 13 + 26 + 5
_share = _days / TEAM_DAYS
q8_capacity = {"share": round(_share, 2), "status": "under" if _share < 0.30 else "over" if _share > 0.50 else "within"}
"""},
}

MISTAKES = {
    "q1": {
        "the interval over all frauds (recall's denominator)": (["low", "high"], """
_lo, _hi = accuracy_interval(at["tp"], at["tp"] + at["fn"])
q1_precision = {**q1_precision, "low": _lo, "high": _hi}
"""),
        "precision as a percentage": (["precision"], """
q1_precision = {**q1_precision, "precision": 100 * at["precision"]}
"""),
    },
    "q2": {
        "the best region instead of the worst": (["region", "recall", "low"], """
_best = by_region.drop(index=segments.OVERALL)["recall"].idxmax()
q2_worst_region = {**q2_worst_region, "region": _best, "recall": by_region.loc[_best, "recall"],
                   "low": by_region.loc[_best, "recall_low"]}
"""),
        "recall as a share of all frauds in the test set": (["recall"], """
q2_worst_region = {**q2_worst_region, "recall": int(row["n_true_positive"]) / y.sum()}
"""),
    },
    "q3": {
        "the Brier score where ECE is asked": (["ece"], """
q3_operations = {**q3_operations, "ece": float(np.mean((scores - y) ** 2))}
"""),
        "analysts as unrounded FTE": (["analysts"], """
q3_operations = {**q3_operations, "analysts": queue["fte"]}
"""),
        "the bill per day, not per month": (["llm_month"], """
q3_operations = {**q3_operations, "llm_month": llm_month / 30}
"""),
    },
    "q4": {
        "counts the stages whose gate is met": (["stage"], """
_plan = launch.rollout_plan(confidence, misrouted, STAGES, max_error=BUDGET)
q4_rollout = {**q4_rollout, "stage": int(_plan["gate_met"].sum())}
"""),
        "the share left to agents instead of the share automated": (["automated_share"], """
q4_rollout = {**q4_rollout, "automated_share": 1 - q4_rollout["automated_share"]}
"""),
    },
    "q5": {
        "A minus B instead of B minus A": (["primary_low", "guardrail_high"], """
_p, _g = experiments.readout(offer_days, "activations"), experiments.readout(offer_days, "complaints")
q5_offers = {**q5_offers, "primary_low": -_p["ci_high"], "guardrail_high": -_g["ci_low"]}
"""),
        "the relative lift instead of the difference": (["primary_low"], """
_p = experiments.readout(offer_days, "activations")
q5_offers = {**q5_offers, "primary_low": _p["ci_low"] / _p["rate_a"]}
"""),
    },
    "q6": {
        "mean over every round, the random log included": (["coverage_greedy"], """
q6_exploration = {**q6_exploration, "coverage_greedy": feedback_loop.simulate(epsilon=0.0, seed=seed)["coverage"].mean()}
"""),
        "the largest epsilon that keeps the promise": (["epsilon"], """
q6_exploration = {**q6_exploration, "epsilon": max(eps for eps in EPSILONS if late[eps] >= 0.75)}
"""),
    },
    "q7": {
        "not proven counted as passing": (["not_passing"], """
_table = launch.gate_table(fraud_gates())
q7_launch = {**q7_launch, "not_passing": _table.loc[_table["verdict"] == "fail", "gate"].tolist()}
"""),
        "the call from the business metric alone": (["decision"], """
_cost = launch.gate_table(fraud_gates()).set_index("gate").loc["Cost at the cheapest threshold", "verdict"]
q7_launch = {**q7_launch, "decision": "go" if _cost == "pass" else "no-go"}
"""),
    },
    "q8": {
        "the share left for features": (["share", "status"], """
_left = 1 - q8_capacity["share"]
q8_capacity = {"share": _left, "status": "under" if _left < 0.30 else "over" if _left > 0.50 else "within"}
"""),
        "share as a percentage": (["share"], """
q8_capacity = {**q8_capacity, "share": 100 * q8_capacity["share"]}
"""),
    },
}
