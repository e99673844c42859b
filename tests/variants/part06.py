"""Part 6 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"shares by hand with pandas and numpy, rounded to 3 decimals": """
_now = weekly[weekly.week.between(S.first_week, S.first_week + S.span - 1)]
_psi = {}
for _f in NUMERIC + CATEGORICAL:
    if _f in NUMERIC:
        _edges = np.unique(np.quantile(train[_f], np.linspace(0, 1, S.bins + 1)[1:-1]))
        _e = np.bincount(np.searchsorted(_edges, train[_f], side="right"), minlength=len(_edges) + 1) / len(train)
        _a = np.bincount(np.searchsorted(_edges, _now[_f], side="right"), minlength=len(_edges) + 1) / len(_now)
    else:
        _cats = sorted(set(train[_f]) | set(_now[_f]))
        _e = train[_f].value_counts(normalize=True).reindex(_cats, fill_value=0).to_numpy()
        _a = _now[_f].value_counts(normalize=True).reindex(_cats, fill_value=0).to_numpy()
    _e, _a = np.maximum(_e, 1e-4), np.maximum(_a, 1e-4)
    _psi[_f] = float(np.sum((_a - _e) * np.log(_a / _e)))
_top = max(_psi, key=_psi.get)
q1_window_drift = {"feature": _top, "psi": round(_psi[_top], 3),
                   "band": "stable" if _psi[_top] < S.watch_level else "watch" if _psi[_top] < S.act_level else "act"}
"""},
    "q2": {"a search over the level grid, counting the quiet windows at or above each level": """
_worst = drift.window_psi(monitor, weekly, S.window).max(axis=1)
_quiet = _worst[_worst.index < 27].to_numpy()
_level = next(k / 1000 for k in range(1, 10001) if (_quiet >= k / 1000).sum() / 2 <= S.alarm_budget)
_hol = _worst[_worst.index >= 44]
q2_alert_level = {"level": _level, "holiday_pages": int(sum(_hol >= _level))}
"""},
    "q3": {"labels by hand from the chargeback delay, rounded to the dollar": """
_rows = weekly.week.between(S.report_week - 4, S.report_week - 1).to_numpy()
_flag = scores[_rows] >= THRESHOLD
_final = weekly.is_fraud.to_numpy()[_rows]
_seen = (_final == 1) & ((weekly.week + weekly.chargeback_delay_weeks).to_numpy()[_rows] <= S.report_week)
def _per_1000(y):
    return ((_flag & (y == 0)).sum() * S.false_alarm_cost + (~_flag & (y == 1)).sum() * S.missed_fraud_cost) / _rows.sum() * 1000
q3_late_labels = {"cost_seen": round(_per_1000(_seen.astype(int))), "cost_final": round(_per_1000(_final)),
                  "known_share": round(_seen.sum() / _final.sum(), 3)}
"""},
    "q4": {"the alert computed week by week from the labels known at each week's end": """
_f = drift.weekly_quality(weekly, scores, THRESHOLD, COSTS)
_trigger = S.trigger_ratio * _f.cost.loc[1:13].sum() / _f.transactions.loc[1:13].sum() * 1000
_week = None
for _t in range(27, 53):
    _tab = drift.weekly_quality(weekly, scores, THRESHOLD, COSTS, as_of_week=_t).loc[_t - S.label_wait - 3:_t - S.label_wait]
    _reading = _tab.cost.sum() / _tab.transactions.sum() * 1000
    if _reading >= _trigger:
        _week = _t
        break
_exp = round(float(_f.cost.loc[27:_week].sum()))
q4_cost_alert = {"trigger": round(_trigger, 2), "reading": round(float(_reading), 2), "exposure": _exp,
                 "within_limit": "yes" if _exp <= S.exposure_limit else "no"}
"""},
    "q5": {"error cost plus the retraining price per retraining, rounded to the dollar": """
_tot = {n: round(float(r.error_cost.sum() + S.retrain_cost * r.retrained.sum())) for n, r in runs.items()}
q5_policies = {**_tot, "cheapest": min(_tot, key=_tot.get)}
"""},
    "q6": {"solved from the totals: error_p + n * price = error_never": """
def _price(name):
    _n = int(runs[name].retrained.sum())
    _err = totals[name] - S.retrain_cost * _n
    return round((totals["never"] - _err) / _n, 2)
q6_break_even = {"break_even_scheduled": _price("scheduled"), "break_even_triggered": _price("triggered")}
"""},
}

MISTAKES = {
    "q1": {
        "PSI from percentages instead of fractions (100 times too big)": (["psi"], """
q1_window_drift = {**q1_window_drift, "psi": 100 * q1_window_drift["psi"]}
"""),
        "the window's weekly PSIs averaged instead of one pooled sample": (["psi"], """
_weekly = drift.window_psi(monitor, weekly).loc[S.first_week:S.first_week + S.span - 1]
_mean = _weekly.mean()
q1_window_drift = {"feature": _mean.idxmax(), "psi": float(_mean.max()), "band": risk_band(_mean.max())}
"""),
    },
    "q2": {
        "the quarter's budget spent on the whole half-year (two quarters)": (["level"], """
_quiet_sorted = np.sort(worst[worst.index < 27].to_numpy())[::-1]
q2_alert_level = {**q2_alert_level, "level": float(np.floor(_quiet_sorted[S.alarm_budget] * 1000) / 1000 + 0.001)}
"""),
        "holiday pages counted per week (a week with any alert) instead of per window": (["holiday_pages"], """
_fired = holidays[holidays >= level]
q2_alert_level = {**q2_alert_level, "holiday_pages": int(np.unique(np.floor(_fired.index)).size)}
"""),
    },
    "q3": {
        "the mean of the weekly costs per 1,000 instead of pooling the weeks": (["cost_seen", "cost_final"], """
q3_late_labels = {**q3_late_labels, "cost_seen": float(mean_seen), "cost_final": float(mean_final)}
"""),
        "the lesson's cost matrix (USD 6 and USD 180) instead of Risk's": (["cost_seen", "cost_final"], """
_lesson = CostMatrix(false_positive=6.0, false_negative=180.0)
def _pooled(as_of):
    _t = drift.weekly_quality(weekly, scores, THRESHOLD, _lesson, as_of_week=as_of).loc[S.report_week - 4:S.report_week - 1]
    return float(_t.cost.sum() / _t.transactions.sum() * 1000)
q3_late_labels = {**q3_late_labels, "cost_seen": _pooled(S.report_week), "cost_final": _pooled(np.inf)}
"""),
    },
    "q4": {
        "the lesson's fixed trigger of USD 600 per 1,000": (["trigger"], """
q4_cost_alert = {**q4_cost_alert, "trigger": 600.0}
"""),
        "exposure counted up to the week before the alert": (["exposure"], """
q4_cost_alert = {**q4_cost_alert, "exposure": float(final.loc[27:alert_week - 1].cost.sum())}
"""),
    },
    "q5": {
        "retraining price left out": (["scheduled", "triggered"], """
_err = {n: float(r.error_cost.sum()) for n, r in runs.items()}
q5_policies = {**_err, "cheapest": min(_err, key=_err.get)}
"""),
        "the lesson's 4-week schedule instead of Risk's": (["scheduled"], """
_monthly = drift.simulate_retraining(weekly, scores_after, COSTS, THRESHOLD, S.retrain_cost, every=4)
q5_policies = {**q5_policies, "scheduled": float(_monthly.total_cost.sum())}
"""),
    },
    "q6": {
        "total saving (retraining price included) per retraining": (["break_even_scheduled", "break_even_triggered"], """
q6_break_even = {n: (totals["never"] - totals[p]) / runs[p].retrained.sum()
                 for n, p in (("break_even_scheduled", "scheduled"), ("break_even_triggered", "triggered"))}
"""),
        "the error cost saved, not divided by the retrainings": (["break_even_scheduled"], """
q6_break_even = {**q6_break_even,
                 "break_even_scheduled": float(runs["never"].error_cost.sum() - runs["scheduled"].error_cost.sum())}
"""),
    },
}
