"""Part 6 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"shares by hand with pandas and numpy, rounded to 3 decimals": """
_now = weekly[weekly.week == 50]
_psi = {}
for _f in NUMERIC + CATEGORICAL:
    if _f in NUMERIC:
        _edges = np.unique(np.quantile(train[_f], np.linspace(0, 1, 11)[1:-1]))
        _e = np.bincount(np.searchsorted(_edges, train[_f], side="right"), minlength=len(_edges) + 1) / len(train)
        _a = np.bincount(np.searchsorted(_edges, _now[_f], side="right"), minlength=len(_edges) + 1) / len(_now)
    else:
        _cats = sorted(set(train[_f]) | set(_now[_f]))
        _e = train[_f].value_counts(normalize=True).reindex(_cats, fill_value=0).to_numpy()
        _a = _now[_f].value_counts(normalize=True).reindex(_cats, fill_value=0).to_numpy()
    _e, _a = np.maximum(_e, 1e-4), np.maximum(_a, 1e-4)
    _psi[_f] = float(np.sum((_a - _e) * np.log(_a / _e)))
_top = max(_psi, key=_psi.get)
q1_peak_drift = {"feature": _top, "psi": round(_psi[_top], 3),
                 "band": "stable" if _psi[_top] < 0.1 else "moderate" if _psi[_top] < 0.25 else "major"}
"""},
    "q2": {"windows cut by hand, alerts counted and doubled": """
_per_year = {}
for _size in (100, 250, 500, 1000):
    _n = len(weekly) // _size
    _count = 0
    for _i in range(_n):
        _win = weekly.iloc[_i * _size:(_i + 1) * _size]
        if _win.week.iloc[-1] <= 26 and (monitor.psi(_win) >= 0.1).any():
            _count += 1
    _per_year[_size] = _count * 2
q2_window = {"alarms_100": _per_year[100], "alarms_250": _per_year[250], "alarms_500": _per_year[500],
             "window": min(s for s, n in _per_year.items() if n <= 4)}
"""},
    "q3": {"labels by hand from the chargeback delay, rounded": """
_rows = weekly.week.between(27, 30).to_numpy()
_flag = scores[_rows] >= THRESHOLD
_final = weekly.is_fraud.to_numpy()[_rows]
_seen = (_final == 1) & ((weekly.week + weekly.chargeback_delay_weeks).to_numpy()[_rows] <= 31)
def _per_1000(y):
    return ((_flag & (y == 0)).sum() * 6 + (~_flag & (y == 1)).sum() * 180) / _rows.sum() * 1000
q3_late_labels = {"cost_seen": round(_per_1000(_seen.astype(int))), "cost_final": round(_per_1000(_final)),
                  "known_share": round(_seen.sum() / _final.sum(), 3)}
"""},
    "q4": {"both alerts computed week by week": """
_cost_fired = []
for _t in range(27, 53):
    _tab = drift.weekly_quality(weekly, scores, THRESHOLD, COSTS, as_of_week=_t).loc[_t - 7:_t - 4]
    if _tab.cost.sum() / _tab.transactions.sum() * 1000 >= 600:
        _cost_fired.append(_t)
_input_fired = [w for w in range(1, 53) if (monitor.psi(weekly[weekly.week == w]) >= 0.1).any()]
q4_alerts = {"cost_alert_week": _cost_fired[0], "input_alert_week": min(w for w in _input_fired if w >= 44),
             "input_alerts_new_fraud": sum(27 <= w <= 43 for w in _input_fired)}
"""},
    "q5": {"error cost plus $1,000 per retraining, rounded to the dollar": """
_tot = {n: round(float(r.error_cost.sum() + 1000 * r.retrained.sum())) for n, r in runs.items()}
q5_policies = {**_tot, "cheapest": min(_tot, key=_tot.get)}
"""},
    "q6": {"solved from the totals: error_p + n * price = error_never": """
def _price(name):
    _n = int(runs[name].retrained.sum())
    _err = totals[name] - RETRAIN_COST * _n
    return round((totals["never"] - _err) / _n, 2)
q6_break_even = {"break_even_every_4": _price("every_4"), "break_even_triggered": _price("triggered")}
"""},
}

MISTAKES = {
    "q1": {
        "PSI from percentages instead of fractions (100 times too big)": (["psi"], """
q1_peak_drift = {**q1_peak_drift, "psi": 100 * q1_peak_drift["psi"]}
"""),
        "only the numeric features compared": (["feature", "psi"], """
_num = week50[NUMERIC]
q1_peak_drift = {"feature": _num.idxmax(), "psi": float(_num.max()), "band": drift.psi_band(_num.max())}
"""),
    },
    "q2": {
        "alarms in 26 weeks, not scaled to a year": (["alarms_100"], """
q2_window = {**q2_window, "alarms_100": q2_window["alarms_100"] / 2}
"""),
        "only the amount feature watched": (["alarms_100"], """
_amount = drift.DriftMonitor(["amount"], bins=10).fit(train)
_w = drift.window_psi(_amount, weekly, 100)["amount"]
q2_window = {**q2_window, "alarms_100": int((_w[_w.index < 27] >= 0.1).sum()) * 2}
"""),
        "the largest window instead of the smallest within budget": (["window"], """
q2_window = {**q2_window, "window": 1000}
"""),
    },
    "q3": {
        "total cost where cost per 1,000 is asked": (["cost_seen", "cost_final"], """
_tab = lambda a: drift.weekly_quality(weekly, scores, THRESHOLD, COSTS, as_of_week=a).loc[27:30]
q3_late_labels = {**q3_late_labels, "cost_seen": float(_tab(31).cost.sum()), "cost_final": float(_tab(np.inf).cost.sum())}
"""),
        "known frauds as a share of transactions": (["known_share"], """
_tab = drift.weekly_quality(weekly, scores, THRESHOLD, COSTS, as_of_week=31).loc[27:30]
q3_late_labels = {**q3_late_labels, "known_share": _tab.frauds.sum() / _tab.transactions.sum()}
"""),
    },
    "q4": {
        "delays in weeks instead of the weeks the alerts fire": (["cost_alert_week", "input_alert_week"], """
q4_alerts = {**q4_alerts, "cost_alert_week": q4_alerts["cost_alert_week"] - 27,
             "input_alert_week": q4_alerts["input_alert_week"] - 44}
"""),
        "cost alert on final labels with no wait (knowing the future)": (["cost_alert_week"], """
_fired = [t for t in range(27, 53)
          if drift.matured_cost_per_1000(weekly.assign(chargeback_delay_weeks=0), scores, THRESHOLD, COSTS, t, 0, 4) >= 600]
q4_alerts = {**q4_alerts, "cost_alert_week": _fired[0]}
"""),
    },
    "q5": {
        "retraining cost left out": (["every_4", "every_12", "triggered"], """
_err = {n: float(r.error_cost.sum()) for n, r in runs.items()}
q5_policies = {**_err, "cheapest": min(_err, key=_err.get)}
"""),
        "quarterly as every 13 weeks instead of 12": (["every_12"], """
_q = drift.simulate_retraining(weekly, scores_after, COSTS, THRESHOLD, RETRAIN_COST, every=13)
q5_policies = {**q5_policies, "every_12": float(_q.total_cost.sum())}
"""),
    },
    "q6": {
        "total saving (retraining cost included) per retraining": (["break_even_every_4", "break_even_triggered"], """
q6_break_even = {n: (totals["never"] - totals[p]) / runs[p].retrained.sum()
                 for n, p in (("break_even_every_4", "every_4"), ("break_even_triggered", "triggered"))}
"""),
        "the error cost saved, not divided by the retrainings": (["break_even_every_4"], """
q6_break_even = {**q6_break_even,
                 "break_even_every_4": float(runs["never"].error_cost.sum() - runs["every_4"].error_cost.sum())}
"""),
    },
}
