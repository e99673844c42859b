"""Notebook prose is written in our own words: no long word sequence copied from the seed articles."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
WINDOW = 9  # nine identical words in a row is a copied sentence, not a shared phrase


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9%]+", text.lower())
    return {tuple(words[i : i + WINDOW]) for i in range(len(words) - WINDOW + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles (../shared/seeds) are not beside this clone")
@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT) for d in ("notebooks", "solutions") for p in (ROOT / d).glob("*.ipynb")),
                         ids=str)
def test_no_sentence_is_copied_from_the_seeds(path: Path):
    seeds = set().union(*(shingles(p.read_text(errors="ignore")) for p in SEEDS.glob("*.txt")))
    nb = nbformat.read(ROOT / path, as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    copied = shingles(prose) & seeds
    assert not copied, [" ".join(s) for s in sorted(copied)][:5]
