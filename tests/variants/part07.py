"""Part 7 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"the textbook pooled-variance formula, MDE by the normal approximation, rounded": """
from scipy.stats import norm as _norm
_za, _zb = _norm.ppf(0.975), _norm.ppf(0.80)
_p0, _p1 = 0.030, 0.0324
_pbar = (_p0 + _p1) / 2
_n = int(np.ceil((_za * np.sqrt(2 * _pbar * (1 - _pbar)) + _zb * np.sqrt(_p0 * (1 - _p0) + _p1 * (1 - _p1))) ** 2
                 / 0.0024 ** 2))
_cum = test.pivot(index="day", columns="arm", values="users").cumsum()
_day = int(_cum[(_cum["A"] >= _n) & (_cum["B"] >= _n)].index.min())
_small = min(test[(test.day <= 14) & (test.arm == a)].users.sum() for a in "AB")
q1_plan = {"n_per_arm": _n, "days": _day, "mde_two_weeks": round((_za + _zb) * np.sqrt(2 * 0.03 * 0.97 / _small), 5)}
"""},
    "q2": {"statsmodels directly, Wald interval, rounded to 5 decimals": """
_w = test[test.day <= 14].groupby("arm")[["users", "activations"]].sum()
_z, _ = proportions_ztest([_w.activations["B"], _w.activations["A"]], [_w.users["B"], _w.users["A"]])
_lo, _hi = confint_proportions_2indep(_w.activations["B"], _w.users["B"], _w.activations["A"], _w.users["A"],
                                      method="wald")
_d = _w.activations["B"] / _w.users["B"] - _w.activations["A"] / _w.users["A"]
q2_activation = {"diff": round(_d, 5), "ci_low": round(_lo, 5), "ci_high": round(_hi, 5), "z": round(_z, 2)}
"""},
    "q3": {"two_proportion_test on summed counts, Agresti-Caffo, rounded to 6 decimals": """
_w = test[test.day <= 14].groupby("arm")[["users", "activations", "complaints"]].sum()
_g = two_proportion_test(_w.complaints["A"], _w.users["A"], _w.complaints["B"], _w.users["B"], ci_method="agresti-caffo")
_p = two_proportion_test(_w.activations["A"], _w.users["A"], _w.activations["B"], _w.users["B"], ci_method="agresti-caffo")
_call = "no-ship" if _g["ci_low"] > 0 or _p["ci_high"] < 0 else ("ship" if _p["ci_low"] > 0 else "inconclusive")
q3_guardrail = {"complaint_diff": round(_g["diff"], 6), "complaint_ci_low": round(_g["ci_low"], 6), "decision": _call}
"""},
    "q4": {"pandas by hand, rounded to 3 decimals": """
def _lift(lo, hi):
    _w = test[test.day.between(lo, hi)].groupby("arm")[["users", "clicks"]].sum()
    _r = _w.clicks / _w.users
    return round(_r["B"] / _r["A"] - 1, 3)
q4_novelty = {"lift_two_weeks": _lift(1, 14), "lift_last_week": _lift(22, 28)}
"""},
    "q5": {"an independent simulation (another seed, own z and bounds)": """
_rng = np.random.default_rng(seed + 12345)
_a = _rng.binomial(2000, 0.03, (4000, 14)).cumsum(axis=1)
_b = _rng.binomial(2000, 0.03, (4000, 14)).cumsum(axis=1)
_n = 2000 * np.arange(1, 15)
_p = (_a + _b) / (2 * _n)
_z = (_b - _a) / _n / np.sqrt(_p * (1 - _p) * 2 / _n)
_of = obrien_fleming_bounds(14, seed=seed + 1)
q5_peeking = {"peeking": round(float((np.abs(_z) > 1.96).any(axis=1).mean()), 3),
              "fixed": round(float((np.abs(_z[:, -1]) > 1.96).mean()), 3),
              "obrien_fleming": round(float((np.abs(_z) > _of).any(axis=1).mean()), 3)}
"""},
    "q6": {"rounded to 3 decimals, activations per 1,000 sessions compared by hand": """
_r = offline_vs_online(seed=seed)
q6_offline = {"auc_gain": round(_r["offline_auc_new"] - _r["offline_auc_old"], 3),
              "activation_lift": round(_r["activations_new"] / _r["activations_old"] - 1, 3),
              "ship_v2": "no" if _r["activations_new"] < _r["activations_old"] else "yes"}
"""},
    "q7": {"the fixed split's regret from the formula, other simulation seeds": """
_rates = [primary["rate_a"], primary["rate_b"]]
_t = bandits.simulate(_rates, 28, 40_000, "thompson", runs=300, seed=seed + 7)
_e = bandits.simulate(_rates, 28, 40_000, "epsilon-greedy", runs=300, seed=seed + 7)
_f = bandits.simulate(_rates, 28, 40_000, "fixed", runs=300, seed=seed + 7)
q7_bandits = {"regret_fixed": 28 * 40_000 / 2 * abs(_rates[1] - _rates[0]), "regret_thompson": _t.regret[-1],
              "regret_egreedy": _e.regret[-1], "loser_width_ratio": _t.interval_width(0) / _f.interval_width(0)}
"""},
    "q8": {"another simulation seed, rounded": """
_r = interleaving_vs_ab(seed=seed + 3)
q8_interleaving = {"ab_users": _r["ab_users"], "interleaving_users": _r["interleaving_users"],
                   "ratio": round(_r["ratio"], 1)}
"""},
}

MISTAKES = {
    "q1": {
        "users for both arms together": (["n_per_arm"], """
q1_plan = {**q1_plan, "n_per_arm": 2 * sample_size(BASELINE, 0.0024)}
"""),
        "a one-sided test": (["n_per_arm", "mde_two_weeks"], """
q1_plan = {**q1_plan, "n_per_arm": sample_size(BASELINE, 0.0024, alpha=0.10),
           "mde_two_weeks": minimum_detectable_effect(BASELINE, n_two_weeks, alpha=0.10)}
"""),
        "the relative MDE (8%) entered as an absolute lift": (["n_per_arm"], """
q1_plan = {**q1_plan, "n_per_arm": sample_size(BASELINE, 0.08)}
"""),
    },
    "q2": {
        "A minus B": ("all", """
q2_activation = {"diff": -primary["diff"], "ci_low": -primary["ci_high"], "ci_high": -primary["ci_low"], "z": -primary["z"]}
"""),
        "read out on all 28 days, not the planned 14": (["ci_low", "ci_high", "z"], """
_all = readout(test, "activations")
q2_activation = {k: _all[k] for k in ("diff", "ci_low", "ci_high", "z")}
"""),
        "a 90% interval": (["ci_low", "ci_high"], """
_r90 = readout(test, "activations", (1, 14), alpha=0.10)
q2_activation = {**q2_activation, "ci_low": _r90["ci_low"], "ci_high": _r90["ci_high"]}
"""),
    },
    "q3": {
        "the relative complaint lift as the difference": (["complaint_diff"], """
q3_guardrail = {**q3_guardrail, "complaint_diff": guardrail["relative_lift"]}
"""),
        "a 90% interval for the guardrail": (["complaint_ci_low"], """
q3_guardrail = {**q3_guardrail, "complaint_ci_low": readout(test, "complaints", (1, 14), alpha=0.10)["ci_low"]}
"""),
    },
    "q4": {
        "absolute difference in click rates instead of the relative lift": (["lift_two_weeks"], """
q4_novelty = {"lift_two_weeks": readout(test, "clicks", (1, 14))["diff"], "lift_last_week": readout(test, "clicks", (22, 28))["diff"]}
"""),
        "the first week for the two-week lift": (["lift_two_weeks"], """
q4_novelty = {**q4_novelty, "lift_two_weeks": readout(test, "clicks", (1, 7))["relative_lift"]}
"""),
    },
    "q5": {
        "the nominal 5% quoted for daily peeking": (["peeking"], """
q5_peeking = {**q5_peeking, "peeking": 0.05}
"""),
        "percentages instead of fractions": ("all", """
q5_peeking = {k: 100 * v for k, v in q5_peeking.items()}
"""),
    },
    "q6": {
        "the online click lift quoted as the result": (["activation_lift"], """
q6_offline = {**q6_offline, "activation_lift": v2["click_lift"]}
"""),
        "ships on the offline gain": (["ship_v2"], """
q6_offline = {**q6_offline, "ship_v2": "yes" if q6_offline["auc_gain"] > 0 else "no"}
"""),
    },
    "q7": {
        "regret counted in users sent to the loser, not activations lost": (["regret_fixed", "regret_thompson", "regret_egreedy"], """
q7_bandits = {**q7_bandits, **{f"regret_{k}": runs[p].users[:, loser].mean()
                               for k, p in (("fixed", "fixed"), ("thompson", "thompson"), ("egreedy", "epsilon-greedy"))}}
"""),
        "the width ratio upside down (50/50 over Thompson)": (["loser_width_ratio"], """
q7_bandits = {**q7_bandits, "loser_width_ratio": 1 / q7_bandits["loser_width_ratio"]}
"""),
    },
    "q8": {
        "A/B users per arm instead of both arms": (["ab_users", "ratio"], """
q8_interleaving = {**q8_interleaving, "ab_users": pair["ab_users"] // 2, "ratio": pair["ab_users"] / 2 / pair["interleaving_users"]}
"""),
        "the ratio upside down": (["ratio"], """
q8_interleaving = {**q8_interleaving, "ratio": 1 / pair["ratio"]}
"""),
    },
}
