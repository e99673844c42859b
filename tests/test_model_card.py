"""The Markdown model card: required facts, sections, and numbers taken from the tables passed in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aipm_lab.launch import Gate
from aipm_lab.model_card import REQUIRED, ModelCard
from aipm_lab.segments import segment_report

FACTS = dict(name="Fraud model", version="2.1", owner="Risk team", summary="Scores card payments.",
             intended_use="Flag transactions for review.", out_of_scope="Credit decisions.",
             training_data="70% of the synthetic transactions.", evaluation_data="The other 30%.")


def test_every_required_fact_is_checked():
    for key in REQUIRED:
        with pytest.raises(ValueError, match=key):
            ModelCard(**(FACTS | {key: "  "}))
    with pytest.raises(ValueError, match="DataFrame"):
        ModelCard(**FACTS, metrics={"recall": 0.6})
    with pytest.raises(ValueError, match="Gate"):
        ModelCard(**FACTS, gates=["recall >= 0.6"])


def test_card_has_the_sections_and_the_evaluation_numbers():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 300)
    pred = np.where(rng.uniform(size=300) < 0.8, y, 1 - y)
    region = pd.Series(rng.choice(["rural", "urban"], 300), name="region")
    report = segment_report(y, pred, region)
    metrics = pd.DataFrame({"value": [0.61, float("nan")]}, index=pd.Index(["recall", "precision"], name="metric"))
    gates = [Gate("Recall", "recall", ">=", 0.5, 0.61, 0.52, 0.70, part="Part 2")]
    text = ModelCard(**FACTS, metrics=metrics, segments=report[["recall", "n_positive"]], gates=gates,
                     limitations=["Misses rural skimming."]).to_markdown()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Model details", "## Intended use", "## Data", "## Metrics",
                        "## Quantitative analysis by segment", "## Launch gates", "## Limitations"]
    assert "| recall | 0.610 |" in text and "| precision | — |" in text
    for segment, row in report.iterrows():
        assert f"| {segment} | {row['recall']:.3f} | {int(row['n_positive'])} |" in text
    assert "Launch call: **go**" in text and "0.610 (0.520 to 0.700)" in text
    assert "- Misses rural skimming." in text


def test_a_card_without_tables_leaves_their_sections_out():
    text = ModelCard(**FACTS).to_markdown()
    assert "## Metrics" not in text and "## Launch gates" not in text and "**Out of scope:** Credit decisions." in text
