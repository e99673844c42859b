"""Launch decisions: the metrics stack, go/no-go gates, a launch report, a staged rollout (part 10).

A launch review asks one question per piece of evidence: does the measured value clear
its target? A :class:`Gate` holds that question declaratively (name, the part the evidence
comes from, the metric, a comparator, the target, the measured value and its interval).
A gate whose interval straddles its target is *not proven*: the evidence cannot tell yet,
which is neither a pass nor a fail. A gate with nothing to judge (a fallback rule when no
failure mode is severe enough to need one) is *not applicable*, never a vacuous pass. :func:`gate_table`, :func:`launch_decision` and
:func:`launch_report` turn a list of gates into the table and the Markdown a PM pastes
into a review. :func:`rollout_plan` stages "copilot before autopilot" by confidence band,
and :func:`capacity_plan` sizes the engineering time a model keeps needing after launch.

Examples
--------
>>> g = Gate("Recall", metric="recall", comparator=">=", target=0.6, value=0.7, low=0.55, high=0.8)
>>> g.verdict
'not proven'
>>> Gate("Cost", metric="cost per 1,000", comparator="<=", target=900, value=640).verdict
'pass'
>>> launch_decision([g, Gate("Cost", "cost", "<=", 900, 640)])
'more data'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from aipm_lab.estimates import GO, MORE_DATA, NO_GO, accuracy_interval, verdict
from aipm_lab.uncertainty import risk_coverage

PASS, FAIL, NOT_PROVEN, NOT_APPLICABLE = "pass", "fail", "not proven", "not applicable"
"""The verdicts of a :class:`Gate`."""

COMPARATORS = (">=", "<=")
"""``>=``: the metric must be at least the target (recall); ``<=``: at most (cost, error rate)."""

LAYERS = ("business", "user experience", "model quality", "guardrail", "operational")
"""The five layers of a metrics stack, from what the company earns down to what the system costs to run."""

_SYMBOL = {">=": "≥", "<=": "≤"}


def _number(value, name: str) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    return None if math.isnan(value) else value


@dataclass(frozen=True)
class Gate:
    """One go/no-go criterion and the evidence measured against it.

    Attributes
    ----------
    name : str
        What the gate checks, in a reviewer's words ("Recall in every region").
    metric : str
        The metric measured ("worst-region recall").
    comparator : {">=", "<="}
        ``">="`` when higher is better, ``"<="`` when lower is better.
    target : float
        The value the metric must reach.
    value : float or None
        The measured value; None (or NaN) when it was not measured, which is "not proven".
    low, high : float, optional
        A confidence interval around ``value``. Without one the point value is judged.
    part : str, optional
        Where the evidence comes from ("Part 3").
    layer : str, optional
        The metrics-stack layer, one of :data:`LAYERS`.
    fmt : str, default ".3f"
        Format spec for the numbers in tables and reports, for example ``",.0f"`` for
        dollars (put the unit in ``metric``).
    applicable : bool, default True
        False when the gate has nothing to judge (no item falls under its rule): its
        verdict is "not applicable", and :func:`launch_decision` leaves it out.

    Raises
    ------
    ValueError
        On an unknown comparator or layer, a target that is not a finite number, or an
        interval that does not hold the value.
    """

    name: str
    metric: str
    comparator: str
    target: float
    value: float | None
    low: float | None = None
    high: float | None = None
    part: str | None = None
    layer: str | None = None
    fmt: str = ".3f"
    applicable: bool = True

    def __post_init__(self):
        if self.comparator not in COMPARATORS:
            raise ValueError(f"comparator must be one of {COMPARATORS}, got {self.comparator!r}")
        if self.layer is not None and self.layer not in LAYERS:
            raise ValueError(f"layer must be one of {LAYERS}, got {self.layer!r}")
        target = _number(self.target, "target")
        if target is None or not math.isfinite(target):
            raise ValueError(f"gate {self.name!r} needs a finite target, got {self.target!r}")
        value, low, high = (_number(getattr(self, k), k) for k in ("value", "low", "high"))
        if (low is None) != (high is None):
            raise ValueError(f"gate {self.name!r}: give both ends of the interval or neither")
        if value is not None and low is not None and not low - 1e-12 <= value <= high + 1e-12:
            raise ValueError(f"gate {self.name!r}: the interval [{low}, {high}] does not hold the value {value}")
        for key, number in (("target", target), ("value", value), ("low", low), ("high", high)):
            object.__setattr__(self, key, number)

    @property
    def verdict(self) -> str:
        """``"pass"``, ``"fail"``, ``"not proven"`` or ``"not applicable"``.

        With an interval, the whole interval must be on the right side of the target to
        pass and wholly on the wrong side to fail (:func:`aipm_lab.estimates.verdict`);
        an interval that straddles the target, or a value never measured, is not proven.
        """
        if not self.applicable:
            return NOT_APPLICABLE
        if self.value is None:
            return NOT_PROVEN
        low, high = (self.low, self.high) if self.low is not None else (self.value, self.value)
        # "at most" is "at least" on the negated scale: reuse the same interval rule.
        call = (verdict(low, high, self.target) if self.comparator == ">="
                else verdict(-high, -low, -self.target))
        return {GO: PASS, NO_GO: FAIL, MORE_DATA: NOT_PROVEN}[call]

    @property
    def rule(self) -> str:
        """The criterion as text, for example ``"≥ 0.600"``."""
        return f"{_SYMBOL[self.comparator]} {self.target:{self.fmt}}"

    def measured(self) -> str:
        """The value with its interval as text ("0.712 (0.650 to 0.770)"), "not measured" or "nothing to judge"."""
        if not self.applicable:
            return "nothing to judge"
        if self.value is None:
            return "not measured"
        text = f"{self.value:{self.fmt}}"
        if self.low is not None:
            text += f" ({self.low:{self.fmt}} to {self.high:{self.fmt}})"
        return text


def gate_table(gates) -> pd.DataFrame:
    """One row per gate: where the evidence comes from, the rule, the measurement and the verdict.

    Parameters
    ----------
    gates : sequence of Gate

    Returns
    -------
    pandas.DataFrame
        Columns ``part, layer, gate, metric, comparator, target, value, low, high, verdict``.
    """
    gates = list(gates)
    if not gates or not all(isinstance(g, Gate) for g in gates):
        raise ValueError("gates must be a non-empty list of Gate objects")
    return pd.DataFrame([{"part": g.part, "layer": g.layer, "gate": g.name, "metric": g.metric,
                          "comparator": g.comparator, "target": g.target, "value": g.value,
                          "low": g.low, "high": g.high, "verdict": g.verdict} for g in gates])


def launch_decision(gates) -> str:
    """The launch call from the gates: ``"no-go"``, ``"go"`` or ``"more data"``.

    Any failed gate is a no-go; every gate passed is a go; otherwise some gate is not
    proven and the honest answer is that the evidence is not in yet. Gates that are not
    applicable are left out.
    """
    verdicts = set(gate_table(gates)["verdict"]) - {NOT_APPLICABLE}
    if FAIL in verdicts:
        return NO_GO
    return GO if verdicts <= {PASS} else MORE_DATA


def markdown_table(df: pd.DataFrame, index: bool = False) -> str:
    """A DataFrame as a GitHub-flavoured Markdown pipe table, cells as already formatted strings.

    pandas' ``to_markdown`` needs the ``tabulate`` package, which is not a dependency here;
    a pipe table is a few lines. Pipes inside cells are escaped.

    Examples
    --------
    >>> print(markdown_table(pd.DataFrame({"gate": ["cost"], "verdict": ["pass"]})))
    | gate | verdict |
    |---|---|
    | cost | pass |
    """
    if index:
        df = df.reset_index()

    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in df.columns) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


_MARK = {PASS: "✅ pass", FAIL: "❌ fail", NOT_PROVEN: "⚠️ not proven", NOT_APPLICABLE: "➖ not applicable"}
_CALL = {GO: "**GO**", NO_GO: "**NO-GO**", MORE_DATA: "**NOT YET: more evidence needed**"}


def launch_report(gates, title: str, context: str = "", next_steps: dict | None = None) -> str:
    """A launch report in Markdown: the decision, the gate table and what blocks the launch.

    Parameters
    ----------
    gates : sequence of Gate
    title : str
        The heading ("Fraud model: auto-decline launch review").
    context : str, optional
        One paragraph under the heading (what is launched, on what data).
    next_steps : dict of str to str, optional
        Gate name -> what would settle it; listed under each gate that did not pass.

    Returns
    -------
    str
        Markdown: render it with ``IPython.display.Markdown`` or paste it into a review doc.
    """
    table = gate_table(gates)
    decision = launch_decision(gates)
    counts = table["verdict"].value_counts()
    rows = pd.DataFrame({
        "part": [g.part or "" for g in gates],
        "gate": [g.name for g in gates],
        "metric": [g.metric for g in gates],
        "target": [g.rule for g in gates],
        "measured (95% interval)": [g.measured() for g in gates],
        "verdict": [_MARK[g.verdict] for g in gates],
    })
    lines = [f"## {title}", ""]
    if context:
        lines += [context, ""]
    lines += [f"**Decision:** {_CALL[decision]}: {counts.get(PASS, 0)} of {len(table)} gates pass, "
              f"{counts.get(FAIL, 0)} fail, {counts.get(NOT_PROVEN, 0)} not proven"
              + (f", {counts[NOT_APPLICABLE]} not applicable." if NOT_APPLICABLE in counts else "."), "",
              markdown_table(rows), ""]
    blockers = [g for g in gates if g.verdict in (FAIL, NOT_PROVEN)]
    if blockers:
        lines += ["**What blocks the launch**", ""]
        for g in blockers:
            why = ("not measured" if g.value is None else
                   f"{g.measured()} against {g.rule}" + (": the interval straddles the target"
                                                        if g.verdict == NOT_PROVEN else ""))
            step = (next_steps or {}).get(g.name)
            lines.append(f"- {g.name} ({g.verdict}; {why})" + (f". Next: {step}" if step else "."))
        lines.append("")
    return "\n".join(lines)


def metrics_stack(gates) -> pd.DataFrame:
    """The metrics stack: every layer of :data:`LAYERS` with its metrics, targets and verdicts.

    Parameters
    ----------
    gates : sequence of Gate
        Each with a ``layer``.

    Returns
    -------
    pandas.DataFrame
        Indexed by (layer, metric), in the order of :data:`LAYERS`: ``target``, ``measured``
        and ``verdict`` (strings, ready to show).

    Raises
    ------
    ValueError
        If a gate has no layer, or a layer has no metric: a stack with a missing layer has a
        blind spot (a model that wins on quality and loses money, say).
    """
    gates = list(gates)
    unlayered = [g.name for g in gates if g.layer is None]
    if unlayered:
        raise ValueError(f"gates without a layer: {unlayered}")
    missing = [layer for layer in LAYERS if not any(g.layer == layer for g in gates)]
    if missing:
        raise ValueError(f"the stack has no metric for the layers {missing}")
    rows = [{"layer": g.layer, "metric": g.metric, "target": g.rule, "measured": g.measured(),
             "verdict": g.verdict} for g in gates]
    table = pd.DataFrame(rows)
    table["order"] = table["layer"].map(LAYERS.index)
    return table.sort_values("order", kind="stable").drop(columns="order").set_index(["layer", "metric"])


def furthest_stage(plan: pd.DataFrame) -> int:
    """The last stage of a :func:`rollout_plan` that the evidence supports (0 when only the copilot is)."""
    return int(plan.index[plan["supported"]].max())


def rollout_plan(confidence, is_error, thresholds, max_error: float, confidence_level: float = 0.95,
                 min_items: int = 30, method: str = "wilson") -> pd.DataFrame:
    """Copilot before autopilot: the share automated at each stage and whether its gate is met.

    Stage ``k`` automates every item with ``confidence >= thresholds[k]`` (the rest stay with
    a person, who sees the model's suggestion). A stage's gate is met when the upper end of
    the error-rate interval among automated items is within ``max_error`` and at least
    ``min_items`` items were automated in the evaluation. Stages are taken in order: the
    rollout stops before the first stage whose gate is not met.

    Parameters
    ----------
    confidence : array-like of shape (n_samples,)
        The model's confidence in its own decision, for the items the product handles.
    is_error : array-like of bool, shape (n_samples,)
        True where the model's decision would be wrong.
    thresholds : sequence of float
        One confidence threshold per stage, strictly decreasing (each stage automates more).
        A threshold above every confidence automates nothing: a copilot-only stage.
    max_error : float
        The error budget among automated items, between 0 and 1.
    confidence_level : float, default 0.95
        Coverage of the error-rate interval.
    min_items : int, default 30
        Fewest automated items on which a stage's error rate is trusted.
    method : str, default "wilson"
        Interval method, as in :func:`aipm_lab.estimates.accuracy_interval`.

    Returns
    -------
    pandas.DataFrame
        One row per stage (index ``stage`` from 0): ``threshold``, ``automated`` (count),
        ``automated_share``, ``errors``, ``error_rate``, ``error_high`` (upper end of the
        interval; NaN when nothing is automated), ``gate_met`` and ``supported`` (True when
        this stage's gate and every earlier stage's are met: the rollout may go this far).
        A stage that automates nothing (a copilot-only stage) has no error to budget and
        meets its gate.
    """
    thresholds = np.asarray(thresholds, dtype=float)
    if thresholds.ndim != 1 or not thresholds.size or np.isnan(thresholds).any():
        raise ValueError("thresholds must be a non-empty list of numbers, one per stage")
    if (np.diff(thresholds) >= 0).any():
        raise ValueError("thresholds must be strictly decreasing: each stage automates more than the last")
    if not 0 <= max_error <= 1:
        raise ValueError(f"max_error is a share between 0 and 1, got {max_error}")
    curve = risk_coverage(confidence, is_error, thresholds)
    high = [accuracy_interval(e, n, confidence_level, method)[1] if n else np.nan
            for e, n in zip(curve["errors"], curve["automated"])]
    plan = pd.DataFrame({"threshold": thresholds, "automated": curve["automated"],
                         "automated_share": curve["coverage"], "errors": curve["errors"],
                         "error_rate": curve["risk"], "error_high": high})
    plan["gate_met"] = (plan["automated"] == 0) | ((plan["automated"] >= min_items) & (plan["error_high"] <= max_error))
    plan["supported"] = plan["gate_met"].cummin()
    return plan.rename_axis("stage")


def capacity_plan(team_days: float, work: dict, band: tuple[float, float] = (0.30, 0.50)) -> tuple[pd.DataFrame, dict]:
    """Engineering time the model keeps needing after launch, against a planning band.

    Parameters
    ----------
    team_days : float
        Engineering days available in the period (engineers x working days).
    work : dict of str to float
        Model-improvement work in the period, in engineering days (retraining, fixing a
        failure mode, labelling review, monitoring on-call).
    band : (float, float), default (0.30, 0.50)
        The share of engineering time to reserve for model work after launch.

    Returns
    -------
    table : pandas.DataFrame
        One row per work item: ``days`` and ``share`` of ``team_days``, largest first.
    summary : dict
        ``model_days``, ``share`` (of team days), ``feature_days`` (what is left for
        features) and ``status``: ``"under"`` the band (the plan under-reserves: the model
        will decay or the estimates are missing work), ``"within"`` or ``"over"`` (model
        upkeep crowds out the roadmap).

    Examples
    --------
    >>> table, summary = capacity_plan(100, {"retraining": 20, "failure modes": 15})
    >>> summary["share"], summary["status"]
    (0.35, 'within')
    """
    if not team_days > 0:
        raise ValueError(f"team_days must be above 0, got {team_days}")
    low, high = band
    if not 0 <= low <= high <= 1:
        raise ValueError(f"band must be two shares with 0 <= low <= high <= 1, got {band}")
    days = pd.Series(work, dtype=float)
    if days.empty or days.isna().any() or (days < 0).any():
        raise ValueError("work must map each item to 0 or more engineering days")
    table = pd.DataFrame({"days": days, "share": days / team_days}).sort_values("days", ascending=False)
    total = float(days.sum())
    share = total / team_days
    status = "under" if share < low else "over" if share > high else "within"
    return table.rename_axis("work"), {"model_days": total, "share": share,
                                       "feature_days": team_days - total, "status": status}


def headroom(gate: Gate) -> tuple[float, float, float]:
    """How far a gate's value (and interval) is from its target, as a share of the target.

    Positive means on the right side: (value - target) / |target| for ``">="`` and
    (target - value) / |target| for ``"<="``. Returns ``(value, low, high)`` on that scale
    (low and high equal the value without an interval; NaN when not measured or not applicable).

    Examples
    --------
    >>> headroom(Gate("cost", "cost", "<=", 400, 300))
    (0.25, 0.25, 0.25)
    """
    if gate.value is None or not gate.applicable:
        return (math.nan,) * 3
    scale = abs(gate.target) or 1.0
    sign = 1 if gate.comparator == ">=" else -1
    points = [gate.value] + ([gate.low, gate.high] if gate.low is not None else [gate.value, gate.value])
    value, a, b = (sign * (p - gate.target) / scale for p in points)
    return value, min(a, b), max(a, b)


def plot_gates(gates, ax=None, title: str = "Launch gates: distance from each target"):
    """One row per gate: its value and interval relative to the target, coloured by verdict.

    The x axis is :func:`headroom` (0 is the target, right of 0 meets it), so gates in
    dollars, shares and counts share one picture.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    gates = list(gates)
    ax = ax or plt.subplots(figsize=(7.5, 0.45 * len(gates) + 1.2))[1]
    colours = {PASS: "tab:green", FAIL: "tab:red", NOT_PROVEN: "tab:orange", NOT_APPLICABLE: "tab:gray"}
    for y, gate in enumerate(gates):
        value, low, high = headroom(gate)
        colour = colours[gate.verdict]
        if math.isnan(value):
            ax.text(0.02, y, gate.measured(), va="center", color=colour, transform=ax.get_yaxis_transform())
            continue
        ax.plot([low, high], [y, y], color=colour, lw=3, alpha=0.5)
        ax.plot(value, y, "o", color=colour)
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(range(len(gates)), [g.name for g in gates])
    ax.invert_yaxis()
    ax.set_xlabel("distance from target, as a share of the target (right of 0 meets it)")
    ax.set_ylabel("gate")
    ax.set_title(title)
    shown = {g.verdict for g in gates}
    handles = [plt.Line2D([], [], color=c, marker="o", lw=3, alpha=0.7, label=v) for v, c in colours.items() if v in shown]
    # Outside the axes, to the right: inside, it covered the last gates' rows.
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title="verdict", title_fontsize=8)
    return ax
