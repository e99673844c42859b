"""Launch gates, report, metrics stack, rollout plan and capacity plan, against independent computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from aipm_lab.launch import (
    FAIL,
    LAYERS,
    NOT_APPLICABLE,
    NOT_PROVEN,
    PASS,
    Gate,
    capacity_plan,
    furthest_stage,
    gate_table,
    launch_decision,
    launch_report,
    markdown_table,
    metrics_stack,
    rollout_plan,
)


def expected_verdict(comparator, target, value, low, high):
    """The rule written out case by case, independently of estimates.verdict."""
    if low is None:
        low = high = value
    if comparator == ">=":
        return PASS if low >= target else FAIL if high < target else NOT_PROVEN
    return PASS if high <= target else FAIL if low > target else NOT_PROVEN


def test_verdicts_match_the_rule_on_random_gates():
    rng = np.random.default_rng(0)
    for _ in range(500):
        value = rng.uniform(0, 1)
        width = rng.choice([0, rng.uniform(0, 0.3)])
        low, high = (None, None) if width == 0 else (value - rng.uniform(0, width), value + rng.uniform(0, width))
        target = rng.choice([rng.uniform(0, 1), value, low if low is not None else value])
        comparator = rng.choice([">=", "<="])
        gate = Gate("g", "m", comparator, target, value, low, high)
        assert gate.verdict == expected_verdict(comparator, target, value, low, high)


def test_an_interval_that_straddles_the_target_is_not_proven_on_either_side():
    assert Gate("recall", "recall", ">=", 0.6, 0.65, 0.55, 0.72).verdict == NOT_PROVEN
    assert Gate("error", "error", "<=", 0.05, 0.04, 0.02, 0.07).verdict == NOT_PROVEN
    assert Gate("recall", "recall", ">=", 0.6, 0.65).verdict == PASS  # the point alone passes


def test_a_gate_never_measured_is_not_proven():
    assert Gate("drift", "PSI", "<=", 0.1, None).verdict == NOT_PROVEN
    assert Gate("drift", "PSI", "<=", 0.1, float("nan")).verdict == NOT_PROVEN
    assert Gate("drift", "PSI", "<=", 0.1, None).measured() == "not measured"


def test_a_gate_with_nothing_to_judge_is_not_applicable_not_a_pass():
    """Issue 22: a fallback gate over no severe failure mode passed vacuously."""
    idle = Gate("Severe modes have a fallback", "share with one", ">=", 1.0, None, applicable=False)
    assert idle.verdict == NOT_APPLICABLE and idle.measured() == "nothing to judge"
    good = Gate("a", "m", ">=", 0.5, 0.9)
    assert launch_decision([good, idle]) == "go"
    assert launch_decision([idle, Gate("b", "m", ">=", 0.5, 0.6, 0.4, 0.7)]) == "more data"
    text = launch_report([good, idle], "Review")
    assert "1 not applicable" in text and "What blocks the launch" not in text


@pytest.mark.parametrize("kwargs, message", [
    (dict(comparator=">"), "comparator"),
    (dict(target=float("nan")), "finite target"),
    (dict(target="high"), "number"),
    (dict(low=0.1), "both ends"),
    (dict(low=0.6, high=0.7), "does not hold"),
    (dict(layer="finance"), "layer"),
])
def test_bad_gates_raise_plain_errors(kwargs, message):
    spec = dict(name="g", metric="m", comparator=">=", target=0.5, value=0.5) | kwargs
    with pytest.raises(ValueError, match=message):
        Gate(**spec)


def test_launch_decision_and_table():
    good = Gate("a", "m", ">=", 0.5, 0.9, 0.8, 0.95)
    shaky = Gate("b", "m", ">=", 0.5, 0.55, 0.45, 0.65)
    bad = Gate("c", "m", "<=", 10, 12, 11, 13)
    assert launch_decision([good]) == "go"
    assert launch_decision([good, shaky]) == "more data"
    assert launch_decision([good, shaky, bad]) == "no-go"
    table = gate_table([good, shaky, bad])
    assert table["verdict"].tolist() == [PASS, NOT_PROVEN, FAIL]
    with pytest.raises(ValueError):
        gate_table([])


def test_report_names_every_gate_and_lists_only_the_blockers():
    gates = [Gate("Cost", "cost per 1,000 ($)", "<=", 900, 640, part="Part 2", fmt=",.0f"),
             Gate("Recall in every region", "worst-region recall", ">=", 0.5, 0.55, 0.41, 0.68, part="Part 3"),
             Gate("Drift monitoring", "features watched", ">=", 1, None, part="Part 6")]
    text = launch_report(gates, "Fraud model", next_steps={"Drift monitoring": "switch the PSI job on"})
    assert text.startswith("## Fraud model")
    assert "NOT YET" in text and "1 of 3 gates pass" in text
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table_lines) == 2 + len(gates)
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 2 and "straddles" in bullets[0] and "switch the PSI job on" in bullets[1]
    assert "0.550 (0.410 to 0.680)" in text and "≤ 900" in text


def test_markdown_table_escapes_pipes_and_keeps_rows():
    text = markdown_table(pd.DataFrame({"a": ["x|y", "z"], "b": [1, 2]}))
    assert text.splitlines()[2] == "| x\\|y | 1 |"
    assert len(text.splitlines()) == 4


def test_metrics_stack_needs_every_layer_in_order():
    gates = [Gate(f"g{i}", f"m{i}", ">=", 0, 1, layer=layer) for i, layer in enumerate(reversed(LAYERS))]
    stack = metrics_stack(gates)
    assert list(stack.index.get_level_values("layer")) == list(LAYERS)
    with pytest.raises(ValueError, match="no metric for the layers"):
        metrics_stack(gates[1:])
    with pytest.raises(ValueError, match="without a layer"):
        metrics_stack(gates + [Gate("x", "x", ">=", 0, 1)])


def test_rollout_plan_matches_a_brute_force_count():
    rng = np.random.default_rng(3)
    confidence = rng.uniform(0, 1, 2000)
    is_error = rng.uniform(0, 1, 2000) > confidence * 0.9 + 0.1  # confident answers are right more often
    thresholds = [1.01, 0.95, 0.9, 0.8, 0.6, 0.3]
    plan = rollout_plan(confidence, is_error, thresholds, max_error=0.15)
    for stage, t in enumerate(thresholds):
        auto = confidence >= t
        row = plan.loc[stage]
        assert row["automated"] == auto.sum() and row["errors"] == (is_error & auto).sum()
        assert row["automated_share"] == pytest.approx(auto.mean())
        if auto.sum():
            high = proportion_confint((is_error & auto).sum(), auto.sum(), method="wilson")[1]
            assert row["error_high"] == pytest.approx(high)
            assert row["gate_met"] == (auto.sum() >= 30 and high <= 0.15)
    met = plan["gate_met"].tolist()
    assert plan["supported"].tolist() == [all(met[: i + 1]) for i in range(len(met))]
    assert plan.loc[0, "automated"] == 0 and plan.loc[0, "gate_met"]
    assert furthest_stage(plan) == max(i for i in range(len(met)) if all(met[: i + 1]))


def test_a_stage_on_too_few_items_is_not_supported_even_without_errors():
    confidence = np.r_[np.full(10, 0.99), np.full(200, 0.5)]
    plan = rollout_plan(confidence, np.zeros(210, bool), [1.01, 0.9, 0.4], max_error=0.05)
    assert plan["gate_met"].tolist() == [True, False, True]
    assert plan["supported"].tolist() == [True, False, False] and furthest_stage(plan) == 0


@pytest.mark.parametrize("thresholds", [[0.5, 0.6], [], [0.9, float("nan")]])
def test_rollout_plan_rejects_bad_stages(thresholds):
    with pytest.raises(ValueError):
        rollout_plan([0.5, 0.7], [False, True], thresholds, 0.1)


def test_capacity_plan_sums_and_bands():
    table, summary = capacity_plan(200, {"retraining": 30, "failure modes": 24, "on-call": 12})
    assert summary["model_days"] == 66 and summary["share"] == pytest.approx(0.33)
    assert summary["status"] == "within" and summary["feature_days"] == 134
    assert table.index[0] == "retraining" and table["share"].sum() == pytest.approx(0.33)
    assert capacity_plan(200, {"retraining": 20})[1]["status"] == "under"
    assert capacity_plan(200, {"retraining": 120})[1]["status"] == "over"
    assert capacity_plan(100, {"a": 50})[1]["status"] == "within"  # the band's ends are inside it
    with pytest.raises(ValueError):
        capacity_plan(0, {"a": 1})
    with pytest.raises(ValueError):
        capacity_plan(10, {"a": -1})


def test_headroom_is_signed_so_that_positive_meets_the_target():
    from aipm_lab.launch import headroom

    assert headroom(Gate("r", "r", ">=", 0.5, 0.6, 0.4, 0.7)) == pytest.approx((0.2, -0.2, 0.4))
    assert headroom(Gate("c", "c", "<=", 200, 250, 220, 300)) == pytest.approx((-0.25, -0.5, -0.1))
    value, low, high = headroom(Gate("d", "d", "<=", 0.1, None))
    assert np.isnan(value) and np.isnan(low)
