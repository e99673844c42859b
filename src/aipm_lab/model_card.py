"""A model card in Markdown, generated from an evaluation (part 10).

The sections follow Mitchell et al. (2019), "Model Cards for Model Reporting": model
details, intended use, factors, metrics, evaluation data, quantitative analyses, ethical
considerations, caveats and recommendations. Google's model-card-toolkit does not install
on current Python and protobuf, and a card is a short template: it is written here by
hand, and every number in it comes from the tables the caller passes in, so the card
cannot drift from the evaluation.

Examples
--------
>>> import pandas as pd
>>> card = ModelCard(name="Fraud model", version="1.0", owner="Risk", summary="Scores card payments.",
...                  intended_use="Flag transactions for review.", out_of_scope="Credit decisions.",
...                  training_data="Synthetic transactions.", evaluation_data="A 30% hold-out.",
...                  metrics=pd.DataFrame({"value": [0.61]}, index=pd.Index(["recall"], name="metric")))
>>> text = card.to_markdown()
>>> text.splitlines()[0]
'# Model card: Fraud model (version 1.0)'
>>> "| recall | 0.610 |" in text
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from aipm_lab.launch import Gate, gate_table, launch_decision, markdown_table

REQUIRED = ("name", "version", "owner", "summary", "intended_use", "out_of_scope", "training_data",
            "evaluation_data")
"""Fields a card must fill: a card without intended use or evaluation data is not a card."""


def _formatted(df: pd.DataFrame, floatfmt: str) -> pd.DataFrame:
    """Floats as text with ``floatfmt``; NaN as an em dash; everything else as is."""
    def show(v):
        if isinstance(v, float):
            return "—" if v != v else f"{v:{floatfmt}}"
        return v
    return df.map(show)


@dataclass
class ModelCard:
    """The facts a model card reports; :meth:`to_markdown` renders them.

    Attributes
    ----------
    name, version, owner, summary : str
        What the model is, which version, who answers for it, and one paragraph on what it does.
    intended_use, out_of_scope : str
        What it is for, and uses it must not be put to.
    training_data, evaluation_data : str
        Where the data came from and how the evaluation set was drawn.
    metrics : pandas.DataFrame, optional
        Overall metrics, one row per metric (index = metric name).
    segments : pandas.DataFrame, optional
        Metrics per segment (the "factors" of the card), for example
        :func:`aipm_lab.segments.segment_report`.
    gates : list of Gate, optional
        The launch gates; the card shows their verdicts and the launch call.
    limitations, ethical_considerations, recommendations : list of str
        Known failure modes, who could be harmed and how, and what to do about them.
    floatfmt : str, default ".3f"
        Format of numbers in the tables.
    """

    name: str
    version: str
    owner: str
    summary: str
    intended_use: str
    out_of_scope: str
    training_data: str
    evaluation_data: str
    metrics: pd.DataFrame | None = None
    segments: pd.DataFrame | None = None
    gates: list = field(default_factory=list)
    limitations: list = field(default_factory=list)
    ethical_considerations: list = field(default_factory=list)
    recommendations: list = field(default_factory=list)
    floatfmt: str = ".3f"

    def __post_init__(self):
        empty = [k for k in REQUIRED if not str(getattr(self, k) or "").strip()]
        if empty:
            raise ValueError(f"a model card needs these fields filled in: {empty}")
        for key in ("metrics", "segments"):
            value = getattr(self, key)
            if value is not None and not isinstance(value, pd.DataFrame):
                raise ValueError(f"{key} must be a pandas DataFrame, got {type(value).__name__}")
        if not all(isinstance(g, Gate) for g in self.gates):
            raise ValueError("gates must be a list of Gate objects")

    def _table(self, df: pd.DataFrame) -> str:
        return markdown_table(_formatted(df, self.floatfmt), index=True)

    def to_markdown(self) -> str:
        """The card as Markdown, section by section (sections without content are left out)."""
        out = [f"# Model card: {self.name} (version {self.version})", "",
               f"**Owner:** {self.owner}", "", "## Model details", "", self.summary, "",
               "## Intended use", "", self.intended_use, "", f"**Out of scope:** {self.out_of_scope}", "",
               "## Data", "", f"**Training data:** {self.training_data}", "",
               f"**Evaluation data:** {self.evaluation_data}", ""]
        if self.metrics is not None:
            out += ["## Metrics", "", self._table(self.metrics), ""]
        if self.segments is not None:
            out += ["## Quantitative analysis by segment", "", self._table(self.segments), ""]
        if self.gates:
            table = gate_table(self.gates)[["part", "gate", "verdict"]]
            table.insert(2, "target", [g.rule for g in self.gates])
            table.insert(3, "measured", [g.measured() for g in self.gates])
            out += ["## Launch gates", "", f"Launch call: **{launch_decision(self.gates)}**.", "",
                    markdown_table(table.fillna("")), ""]
        for title, items in (("Limitations", self.limitations),
                             ("Ethical considerations", self.ethical_considerations),
                             ("Caveats and recommendations", self.recommendations)):
            if items:
                out += [f"## {title}", "", *(f"- {item}" for item in items), ""]
        return "\n".join(out)
