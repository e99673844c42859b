"""Part 3 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"pandas groupby on the frauds, rounded to 3 decimals": """
_frauds = pd.DataFrame({"region": test["region"].to_numpy(), "caught": flagged})[y_test == 1]
_by = _frauds.groupby("region")["caught"].mean()
q1_recall = {"overall": round(float(_frauds["caught"].mean()), 3), "urban": round(float(_by["urban"]), 3),
             "rural": round(float(_by["rural"]), 3)}
"""},
    "q2": {"Clopper-Pearson intervals from the counts, rounded": """
_rural_caught = int(flagged[rural & (y_test == 1)].sum())
_urban_caught = int(flagged[~rural & (y_test == 1)].sum())
_r = accuracy_interval(_rural_caught, int(y_test[rural].sum()), method="beta")
_u = accuracy_interval(_urban_caught, int(y_test[~rural].sum()), method="beta")
q2_rural_interval = {"low": round(_r[0], 3), "high": round(_r[1], 3), "frauds": int(y_test[rural].sum()),
                     "clearly_below_urban": bool(_r[1] < _u[0])}
"""},
    "q3": {"disparity() on each column, as the hint says": """
_region, _device = disparity(y_test, flagged, test["region"]), disparity(y_test, flagged, test["device"])
q3_screen = {"region_ratio": _region.ratio, "device_ratio": _device.ratio, "worst_device": _device.worst_group,
             "device_passes": _device.passes_four_fifths}
""",
           "ratios of recalls rounded to 3 decimals first": """
_recall = {k: round(float(v), 3) for k, v in
           pd.Series(flagged[y_test == 1]).groupby(test["device"].to_numpy()[y_test == 1]).mean().items()}
_by_region = {k: round(float(by_region.loc[k, "recall"]), 3) for k in ("urban", "rural")}
q3_screen = {"region_ratio": min(_by_region.values()) / max(_by_region.values()),
             "device_ratio": min(_recall.values()) / max(_recall.values()),
             "worst_device": min(_recall, key=_recall.get),
             "device_passes": min(_recall.values()) / max(_recall.values()) >= 0.8}
"""},
    "q4": {"segment_report and meets_floors, as the hint says": """
_cells = pd.DataFrame({"region": test["region"].to_numpy(),
                       "tenure": np.where(test["customer_tenure_days"] < 90, "new", "tenured")})
_report = segment_report(y_test, flagged, _cells, metrics=("recall",))
_checks, _ = meets_floors(_report, {"recall": FLOORS["recall"]})
q4_cells = {"failing": ["/".join(k) for k in _checks.index[~_checks["passes"]]][::-1],
            "fewest_frauds": int(_report.loc[_checks.index, "n_positive"].min())}
"""},
    "q5": {"Wilson half-width from interval_by_size": """
_sizes = interval_by_size(FLOORS["recall"], range(50, 200))
_more = int(_sizes[_sizes["half_width"] <= 0.10]["n"].min()) - int(y_test[rural].sum())
q5_labels = {"more_frauds": _more, "rural_transactions": round(_more / y_test[rural].mean())}
""",
           "normal formula by hand, rounded to the nearest": """
_total = 1.959964 ** 2 * 0.6 * 0.4 / 0.10 ** 2
q5_labels = {"more_frauds": round(_total - y_test[rural].sum()),
             "rural_transactions": round(_total - y_test[rural].sum()) / (y_test[rural].sum() / rural.sum())}
"""},
    "q6": {"a grid of step 0.0001 (cost_curve), rounded to 3 decimals": """
_yr = y_test[rural]
def _share(s):
    _curve = cost_curve(_yr, s, COSTS, np.arange(1, 10000) / 10000)
    _curve = _curve[_curve["tp"] / _yr.sum() >= FLOORS["recall"]]
    _best = _curve.loc[(_curve["tp"] / (_curve["tp"] + _curve["fp"])).idxmax()]
    return round(float((_best["tp"] + _best["fp"]) / len(_yr)), 3)
_s = {"current_model": _share(scores[rural]), "rural_model": _share(rural_scores)}
q6_fix = {"share_current_model": _s["current_model"], "share_rural_model": _s["rural_model"],
          "choice": min(_s, key=_s.get)}
""",
           "a grid of step 0.001 with summary_at": """
_yr = y_test[rural]
def _share(s):
    _rows = [summary_at(_yr, s, t) for t in np.arange(0.001, 1, 0.001)]
    _ok = [r for r in _rows if r["recall"] >= FLOORS["recall"]]
    return max(_ok, key=lambda r: r["precision"])["flagged_share"]
_s = {"current_model": _share(scores[rural]), "rural_model": _share(rural_scores)}
q6_fix = {"share_current_model": _s["current_model"], "share_rural_model": _s["rural_model"],
          "choice": min(_s, key=_s.get)}
"""},
    "q7": {"segment_report of the plan and meets_floors on the interval ends": """
_plan = flagged.copy()
_plan[rural] = (options[choice] >= rural_thresholds[choice]).astype(int)
_plan_report = segment_report(y_test, _plan, test["region"])
_, _go = meets_floors(by_region, FLOORS, use_lower_bound=True)
_fails = any((_plan_report.loc[r, f"{m}_high"] < f) for r in ("urban", "rural") for m, f in FLOORS.items())
q7_launch = {"aggregate_passes": bool((by_region.loc["overall", ["recall", "precision"]] >= list(FLOORS.values())).all()),
             "rural_precision_with_fix": round(float(_plan_report.loc["rural", "precision"]), 3),
             "decision": "go" if _go else "no-go" if _fails else "pilot-with-fix"}
""",
           "Clopper-Pearson intervals": """
q7_launch = launch_call(choice, rural_thresholds[choice], method="beta")
"""},
}

MISTAKES = {
    "q1": {
        "percentages instead of fractions": ("all", """
q1_recall = {k: 100 * v for k, v in q1_recall.items()}
"""),
        "precision where recall is asked": ("all", """
q1_recall = {name: float(by_region.loc[name, "precision"]) for name in ("overall", "urban", "rural")}
"""),
        "urban and rural swapped": (["urban", "rural"], """
q1_recall = {**q1_recall, "urban": q1_recall["rural"], "rural": q1_recall["urban"]}
"""),
    },
    "q2": {
        "the urban row read instead of the rural one": (["low", "high", "frauds"], """
q2_rural_interval = {**q2_rural_interval, "low": float(urban_row["recall_low"]), "high": float(urban_row["recall_high"]),
                     "frauds": int(urban_row["n_positive"])}
"""),
        "a normal (Wald) interval": (["low", "high"], """
_p, _n = float(rural_row["recall"]), int(rural_row["n_positive"])
_half = 1.96 * (_p * (1 - _p) / _n) ** 0.5
q2_rural_interval = {**q2_rural_interval, "low": _p - _half, "high": _p + _half}
"""),
        "all test frauds counted instead of the rural ones": (["frauds"], """
q2_rural_interval = {**q2_rural_interval, "frauds": int(y_test.sum())}
"""),
    },
    "q3": {
        "best over worst instead of worst over best": (["region_ratio", "device_ratio"], """
q3_screen = {**q3_screen, "region_ratio": 1 / q3_screen["region_ratio"], "device_ratio": 1 / q3_screen["device_ratio"]}
"""),
        "the device with the highest recall named as worst": (["worst_device"], """
q3_screen = {**q3_screen, "worst_device": str(device_recall.idxmax())}
"""),
        "the difference (best minus worst) instead of the ratio": (["region_ratio", "device_ratio"], """
q3_screen = {**q3_screen, "region_ratio": float(region_recall.max() - region_recall.min()),
             "device_ratio": float(device_recall.max() - device_recall.min())}
"""),
    },
    "q4": {
        "the segments that pass listed instead of those that fail": (["failing"], """
_all = [f"{r}/{t}" for r, t in by_cell.index]
q4_cells = {**q4_cells, "failing": [s for s in _all if s not in q4_cells["failing"]]}
"""),
        "named tenure/region instead of region/tenure": (["failing"], """
q4_cells = {**q4_cells, "failing": ["/".join(s.split("/")[::-1]) for s in q4_cells["failing"]]}
"""),
        "fewest transactions instead of fewest frauds": (["fewest_frauds"], """
q4_cells = {**q4_cells, "fewest_frauds": int(cells.groupby(["region", "tenure"]).size().min())}
"""),
    },
    "q5": {
        "the total frauds needed, not the additional ones": (["more_frauds", "rural_transactions"], """
_total = labels_needed(FLOORS["recall"], 0, 0.10)
q5_labels = {"more_frauds": _total, "rural_transactions": _total / y_test[rural].mean()}
"""),
        "planned at today's rural recall instead of the floor": (["more_frauds", "rural_transactions"], """
_more = labels_needed(q1_recall["rural"], int(y_test[rural].sum()), 0.10)
q5_labels = {"more_frauds": _more, "rural_transactions": _more / y_test[rural].mean()}
"""),
        "transactions at the overall fraud rate instead of the rural one": (["rural_transactions"], """
q5_labels = {**q5_labels, "rural_transactions": q5_labels["more_frauds"] / y_test.mean()}
"""),
    },
    "q6": {
        "review shares as percentages": (["share_current_model", "share_rural_model"], """
q6_fix = {**q6_fix, "share_current_model": 100 * shares["current_model"], "share_rural_model": 100 * shares["rural_model"]}
"""),
        "shares of all test transactions instead of rural ones": (["share_current_model", "share_rural_model"], """
q6_fix = {**q6_fix, "share_current_model": shares["current_model"] * rural.mean(),
          "share_rural_model": shares["rural_model"] * rural.mean()}
"""),
        "the option with the larger review share": (["choice"], """
q6_fix = {**q6_fix, "choice": max(shares, key=shares.get)}
"""),
    },
    "q7": {
        "overall precision under the plan where rural is asked": (["rural_precision_with_fix"], """
_plan = plan_flags(choice, rural_thresholds[choice])
q7_launch = {**q7_launch, "rural_precision_with_fix": float((_plan & y_test).sum() / _plan.sum())}
"""),
        "go because the aggregate gate passes": (["decision"], """
q7_launch = {**q7_launch, "decision": "go" if q7_launch["aggregate_passes"] else "no-go"}
"""),
        "no-go because rural fails at the single threshold (the fix ignored)": (["decision"], """
q7_launch = {**q7_launch, "decision": "no-go"}
"""),
        "the aggregate gate judged on the low end of the overall intervals": (["aggregate_passes"], """
q7_launch = {**q7_launch, "aggregate_passes": bool(by_region.loc["overall", "recall_low"] >= FLOORS["recall"]
                                                   and by_region.loc["overall", "precision_low"] >= FLOORS["precision"])}
"""),
    },
}
