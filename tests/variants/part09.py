"""Part 9 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"KS and total variation by hand, distances with scipy's cdist, rounded to 3 decimals": """
from scipy.spatial.distance import cdist as _cdist
from scipy.stats import ks_2samp as _ks
from aipm_lab.case import fraud as _fraud


def _worst(rows):
    _gaps = [_ks(scenario.held_out[c], rows[c]).statistic for c in ["amount", "hour", "customer_tenure_days", "is_foreign"]]
    for _c in ["merchant_category", "channel", "device", "region"]:
        _a, _b = scenario.held_out[_c].value_counts(normalize=True), rows[_c].value_counts(normalize=True)
        _gaps.append(_a.sub(_b, fill_value=0).abs().sum() / 2)
    return round(float(max(_gaps)), 3)


_enc = _fraud.make_model()[:-1].fit(scenario.labelled[FEATURES])
_ref = _enc.transform(scenario.labelled[FEATURES])
_med = {n: float(np.median(_cdist(_enc.transform(r[FEATURES]), _ref).min(axis=1)))
        for n, r in (("copula", copula_pool.iloc[:200]), ("smote", smote_pool.iloc[:200]), ("holdout", scenario.held_out))}
_close = [n for n in ("smote", "copula") if _med[n] < S.privacy_ratio * _med["holdout"]]
q1_generators = {"gap_copula": _worst(copula_pool.iloc[:200]), "gap_smote": _worst(smote_pool.iloc[:200]),
                 "dcr_holdout": round(_med["holdout"], 3),
                 "too_close": "both" if len(_close) == 2 else _close[0] if _close else "neither"}
"""},
    "q2": {"the model fitted and thresholded by hand, a Clopper-Pearson interval, rounded": """
from aipm_lab.case import fraud as _fraud
_m = _fraud.make_model().fit(scenario.train, scenario.train["is_fraud"])
_legit = _m.predict_proba(scenario.test[scenario.test["is_fraud"] == 0])[:, 1]
_new = recall_at_fpr(_legit, _m.predict_proba(scenario.held_out)[:, 1], S.alert_budget)
_known = recall_at_fpr(_legit, _m.predict_proba(scenario.test[scenario.test["is_fraud"] == 1])[:, 1], S.alert_budget)
_month = _new["recall"] * S.new_frauds_month + _known["recall"] * S.known_frauds_month
q2_baseline = {"new_high": round(accuracy_interval(_new["caught"], _new["n"], S.confidence, method="beta")[1], 3),
               "caught_month": round(_month, 2),
               "missed_loss": round((S.new_frauds_month + S.known_frauds_month - _month) * S.fraud_loss)}
"""},
    "q3": {"an Agresti-Caffo interval for the difference, in a loop, rounded": """
from statsmodels.stats.proportion import confint_proportions_2indep as _ci
_sw = share_sweep(scenario, copula_pool, SHARES, fpr=S.alert_budget)
_best = int(_sw["new_caught"].max())
_n = int(_sw["new_n"].iloc[0])
_stop = next(s for s in SHARES if _sw.loc[s, "new_caught"] == _best
             or _ci(_best, _n, int(_sw.loc[s, "new_caught"]), _n, method="agresti-caffo", alpha=1 - S.confidence)[0] <= 0)
_row = _sw.loc[_stop]
_real = int(scenario.train["is_fraud"].sum())
q3_sweep = {"stop_share": _stop, "best_share": float(_sw["new_caught"].idxmax()),
            "caught_month_stop": round(_row["new_recall"] * S.new_frauds_month + _row["known_recall"] * S.known_frauds_month, 2),
            "fraud_share_stop": round(_row["n_synthetic"] / (_row["n_synthetic"] + _real), 3)}
"""},
    "q4": {"the vendor's table built by hand and the options compared in a dict": """
from aipm_lab.synthetic import with_synthetic_share as _with
from aipm_lab.case import fraud as _fraud
_table = _with(scenario.train, copula_pool.assign(is_fraud=1), S.vendor_share)
_m = _fraud.make_model().fit(_table, _table["is_fraud"])
_r = scenario.recalls(_m, S.alert_budget)
_n_syn = len(_table) - len(scenario.train)
_vendor = _r["new_recall"] * S.new_frauds_month + _r["known_recall"] * S.known_frauds_month
_month = {"none": q2_baseline["caught_month"], "stop": q3_sweep["caught_month_stop"], "vendor": _vendor}
q4_vendor = {"caught_month_vendor": round(_vendor, 2),
             "synthetic_per_real": round(_n_syn / int(scenario.train["is_fraud"].sum()), 2),
             "ship": max(_month, key=_month.get)}
"""},
    "q5": {"the labelled model fitted by hand, nets rounded to the dollar": """
from aipm_lab.case import fraud as _fraud
_more = NewPattern.from_transactions(df, seed=seed, n_labelled=S.n_labelled + S.extra_labels, new=S.pattern)
_m = _fraud.make_model().fit(_more.train, _more.train["is_fraud"])
_r = _more.recalls(_m, S.alert_budget)
_label = _r["new_recall"] * S.new_frauds_month + _r["known_recall"] * S.known_frauds_month
_gain = {"synthetic": q3_sweep["caught_month_stop"] - q2_baseline["caught_month"], "label": _label - q2_baseline["caught_month"]}
_net = {"synthetic": round(12 * _gain["synthetic"] * S.fraud_loss - 12 * S.pipeline_cost),
        "label": round(12 * _gain["label"] * S.fraud_loss - S.extra_labels * S.label_cost)}
q5_spend = {"caught_month_label": round(_label, 2), "net_synthetic": _net["synthetic"], "net_label": _net["label"],
            "choice": max(_net, key=_net.get) if max(_net.values()) > 0 else "neither"}
"""},
}

MISTAKES = {
    "q1": {
        "fidelity against the labelled cases the generators learned from, not the held-out frauds": (["gap_copula", "gap_smote"], """
q1_generators = {**q1_generators,
                 "gap_copula": float(fidelity_table(scenario.labelled, copula_pool.iloc[:200])["statistic"].max()),
                 "gap_smote": float(fidelity_table(scenario.labelled, smote_pool.iloc[:200])["statistic"].max())}
"""),
        "the held-out frauds' mean distance where the median is asked": (["dcr_holdout"], """
q1_generators = {**q1_generators, "dcr_holdout": float(closest_record_distance(scenario.labelled, scenario.held_out).mean())}
"""),
    },
    "q2": {
        "a 95% interval where the scenario's level is asked": (["new_high"], """
_row = base.loc[0]
q2_baseline = {**q2_baseline, "new_high": accuracy_interval(int(_row["new_caught"]), int(_row["new_n"]), 0.95)[1]}
"""),
        "frauds caught on the test split, not a month": (["caught_month", "missed_loss"], """
_row = base.loc[0]
q2_baseline = {**q2_baseline, "caught_month": float(_row["new_caught"] + _row["known_caught"]),
               "missed_loss": float(_row["new_n"] - _row["new_caught"] + _row["known_n"] - _row["known_caught"]) * S.fraud_loss}
"""),
    },
    "q3": {
        "the share of the table where the share of the training frauds is asked": (["fraud_share_stop"], """
q3_sweep = {**q3_sweep, "fraud_share_stop": q3_sweep["stop_share"]}
"""),
        "the stop share's frauds a month counted on the new pattern only": (["caught_month_stop"], """
q3_sweep = {**q3_sweep, "caught_month_stop": sweep.loc[stop, "new_recall"] * S.new_frauds_month}
"""),
    },
    "q4": {
        "synthetic rows per real row of the whole table, not per real fraud": (["synthetic_per_real"], """
q4_vendor = {**q4_vendor, "synthetic_per_real": full.loc[S.vendor_share, "n_synthetic"] / len(scenario.train)}
"""),
        "the vendor's share read as a share of the training frauds, not of the table": (
            ["caught_month_vendor", "synthetic_per_real"], """
from aipm_lab.case import fraud as _fraud
_real = int(scenario.train["is_fraud"].sum())
_n = round(S.vendor_share * _real / (1 - S.vendor_share))
_table = pd.concat([scenario.train, copula_pool.iloc[:_n].assign(is_fraud=1)], ignore_index=True)
_r = scenario.recalls(_fraud.make_model().fit(_table, _table["is_fraud"]), S.alert_budget)
q4_vendor = {**q4_vendor, "caught_month_vendor": _r["new_recall"] * S.new_frauds_month + _r["known_recall"] * S.known_frauds_month,
             "synthetic_per_real": _n / _real}
"""),
    },
    "q5": {
        "the pipeline's cost counted for one month, not twelve": (["net_synthetic"], """
q5_spend = {**q5_spend, "net_synthetic": q5_spend["net_synthetic"] + 11 * S.pipeline_cost}
"""),
        "the labelled model scored on the original held-out frauds, which now include its own training cases": (
            ["caught_month_label", "net_label"], """
from aipm_lab.case import fraud as _fraud
_m = _fraud.make_model().fit(more.train, more.train["is_fraud"])
_leaky = NewPattern(train=more.train, labelled=more.labelled, held_out=scenario.held_out, test=more.test)
_r = _leaky.recalls(_m, S.alert_budget)
_label = _r["new_recall"] * S.new_frauds_month + _r["known_recall"] * S.known_frauds_month
q5_spend = {**q5_spend, "caught_month_label": _label,
            "net_label": 12 * (_label - q2_baseline["caught_month"]) * S.fraud_loss - S.extra_labels * S.label_cost}
"""),
    },
}
