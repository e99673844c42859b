"""Part 7 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"the textbook pooled-variance formula and the normal-approximation MDE by hand, days rounded to 2 decimals": """
from scipy.stats import norm as _norm
_za, _zb = _norm.ppf(0.975), _norm.ppf(S.power)
_p0 = S.baseline
_p1 = _p0 * (1 + S.relative_mde)
_pbar = (_p0 + _p1) / 2
_n = int(np.ceil((_za * np.sqrt(2 * _pbar * (1 - _pbar)) + _zb * np.sqrt(_p0 * (1 - _p0) + _p1 * (1 - _p1))) ** 2
                 / (_p1 - _p0) ** 2))
_per_day = test.groupby("day").users.sum().mean() * S.traffic_share / 2
_day = round(_n / _per_day, 2)
_n_plan = _per_day * 7 * S.plan_weeks
q1_plan = {"n_per_arm": _n, "days": _day,
           "mde_absolute": round((_za + _zb) * np.sqrt(2 * _p0 * (1 - _p0) / _n_plan), 6)}
"""},
    "q2": {"statsmodels directly, Wald interval, the rule written by hand, rounded to 6 decimals": """
_w = test[test.day.between(S.readout_from, S.readout_to)].groupby("arm")[["users", "activations", "complaints"]].sum()
_ends = {m: confint_proportions_2indep(_w[m]["B"], _w.users["B"], _w[m]["A"], _w.users["A"], method="wald")
         for m in ("activations", "complaints")}
_margin = S.complaint_margin / 1000
if _ends["activations"][1] < 0 or _ends["complaints"][0] > _margin:
    _call = "no-ship"
elif _ends["activations"][0] > 0 and _ends["complaints"][1] < _margin:
    _call = "ship"
else:
    _call = "inconclusive"
q2_readout = {"primary_ci_low": round(_ends["activations"][0], 6), "complaint_ci_high": round(_ends["complaints"][1], 6),
              "decision": _call}
"""},
    "q3": {"pandas by hand, rounded to 4 decimals; a Wald interval": """
def _lift(metric, lo, hi):
    _w = test[test.day.between(lo, hi)].groupby("arm")[["users", metric]].sum()
    _r = _w[metric] / _w.users
    return round(_r["B"] / _r["A"] - 1, 4)
q3_novelty = {"early_click_lift": _lift("clicks", 1, S.report_day),
              "late_click_lift": _lift("clicks", 29 - S.late_days, 28),
              "early_activation_ci_low": readout(test, "activations", (1, S.report_day), ci_method="wald")["ci_low"]}
"""},
    "q4": {"an independent simulation (another seed, own z statistic and looks)": """
_rng = np.random.default_rng(seed + 12345)
_a = _rng.binomial(2000, 0.03, (40_000, S.peek_days)).cumsum(axis=1)
_b = _rng.binomial(2000, 0.03, (40_000, S.peek_days)).cumsum(axis=1)
_n = 2000 * np.arange(1, S.peek_days + 1)
_p = (_a + _b) / (2 * _n)
_z = np.abs((_b - _a) / _n / np.sqrt(_p * (1 - _p) * 2 / _n))
def _rate(k):
    _looks = [d - 1 for d in range(k, S.peek_days + 1, k)] + [S.peek_days - 1]
    return float((_z[:, _looks] > 1.96).any(axis=1).mean())
_k = next(k for k in range(1, S.peek_days + 1) if _rate(k) <= S.fp_budget)
_null = S.tests_per_year * S.null_share * S.false_win_cost
q4_peeking = {"every_days": _k, "cost_daily": round(_rate(1) * _null), "cost_rule": round(_rate(_k) * _null)}
"""},
    "q5": {"lift rounded to 4 decimals, the net priced from the rounded lift and rounded to dollars": """
_r = offline_vs_online(clickbait_share=S.clickbait_share, k=S.slots, seed=seed)
_lift = round(_r["activations_new"] / _r["activations_old"] - 1, 4)
_net = _lift * _r["activations_old"] / 1000 * S.monthly_sessions * S.fee + S.v2_savings
q5_v2 = {"activation_lift": _lift,
         "monthly_net": round(_net), "ship_v2": "yes" if _net > 0 else "no"}
"""},
    "q6": {"both policies simulated, another simulation seed and the default posterior draws": """
_fixed = bandits.simulate(banner_rates, S.promo_days, S.promo_users, "fixed", runs=300, seed=seed + 7).regret[-1]
_t = bandits.simulate(banner_rates, S.promo_days, S.promo_users, "thompson", runs=300, seed=seed + 7).regret[-1]
_value = (_fixed - _t) * S.fee
q6_promo = {"regret_fixed": _fixed, "bandit_value": _value,
            "build_bandit": "yes" if _value > S.bandit_cost else "no"}
"""},
}

MISTAKES = {
    "q1": {
        "users for both arms together": (["n_per_arm"], """
q1_plan = {**q1_plan, "n_per_arm": 2 * q1_plan["n_per_arm"]}
"""),
        "the relative MDE entered as an absolute lift": (["n_per_arm"], """
q1_plan = {**q1_plan, "n_per_arm": sample_size(S.baseline, S.relative_mde, power=S.power)}
"""),
        "days counted on the whole traffic, not its share": (["days"], """
q1_plan = {**q1_plan, "days": q1_plan["n_per_arm"] / (test.users.sum() / 28 / 2)}
"""),
        "the relative MDE given where the absolute one is asked": (["mde_absolute"], """
q1_plan = {**q1_plan, "mde_absolute": q1_plan["mde_absolute"] / S.baseline}
"""),
    },
    "q2": {
        "A minus B": (["primary_ci_low", "complaint_ci_high"], """
q2_readout = {**q2_readout, "primary_ci_low": -primary["ci_high"], "complaint_ci_high": -guardrail["ci_low"]}
"""),
        "the complaint interval's low end where the rule needs its high end": (["complaint_ci_high"], """
q2_readout = {**q2_readout, "complaint_ci_high": guardrail["ci_low"]}
"""),
        "a 90% interval": (["primary_ci_low", "complaint_ci_high"], """
q2_readout = {**q2_readout, "primary_ci_low": readout(test, "activations", window, alpha=0.10)["ci_low"],
              "complaint_ci_high": readout(test, "complaints", window, alpha=0.10)["ci_high"]}
"""),
    },
    "q3": {
        "percentages instead of fractions": ("all", """
q3_novelty = {k: 100 * v for k, v in q3_novelty.items()}
"""),
        "the difference in rates instead of the relative lift, and the activation difference for its interval": (
            ["early_click_lift", "late_click_lift", "early_activation_ci_low"], """
q3_novelty = {"early_click_lift": readout(test, "clicks", early)["diff"], "late_click_lift": readout(test, "clicks", late)["diff"],
              "early_activation_ci_low": readout(test, "activations", early)["diff"]}
"""),
    },
    "q4": {
        "false wins counted, not priced": (["cost_daily", "cost_rule"], """
q4_peeking = {**q4_peeking, "cost_daily": fp_every[1] * null_tests, "cost_rule": fp_every[every] * null_tests}
"""),
        "the nominal 5% taken for every rule": (["cost_daily", "cost_rule"], """
q4_peeking = {**q4_peeking, "cost_daily": 0.05 * null_tests * S.false_win_cost, "cost_rule": 0.05 * null_tests * S.false_win_cost}
"""),
    },
    "q5": {
        "the online click lift quoted as the result": (["activation_lift"], """
q5_v2 = {**q5_v2, "activation_lift": v2["click_lift"]}
"""),
        "the net without v2's savings": (["monthly_net"], """
q5_v2 = {**q5_v2, "monthly_net": net - S.v2_savings}
"""),
        "activations per 1,000 sessions taken as per session": (["monthly_net"], """
q5_v2 = {**q5_v2, "monthly_net": (v2["activations_new"] - v2["activations_old"]) * S.monthly_sessions * S.fee + S.v2_savings}
"""),
    },
    "q6": {
        "regret counted in users sent to a worse banner, not activations lost": (["regret_fixed"], """
q6_promo = {**q6_promo, "regret_fixed": S.promo_days * S.promo_users * (1 - 1 / S.banners)}
"""),
        "the bandit priced by the activations it still loses, not those it saves": (["bandit_value"], """
q6_promo = {**q6_promo, "bandit_value": thompson.regret[-1] * S.fee}
"""),
    },
}
