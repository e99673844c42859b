"""A variant's business parameters: drawn from stated ranges, stable per name, shown to the learner."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from aipm_lab.course.checks import SeedNotSet
from aipm_lab.course.scenario import Scenario, draw

RANGES = {"review_cost": (2, 8, 1), "floor": (0.5, 0.9, 0.05), "window": [7, 14, 28], "budget": (1000.0, 5000.0, 250.0)}


def test_the_same_seed_and_part_draw_the_same_scenario_and_others_differ():
    assert draw(5, "07", **RANGES) == draw(5, 7, **RANGES)  # "07" and 7 name the same part
    seeds = range(60)
    by_seed = [draw(s, "07", **RANGES).as_dict() for s in seeds]
    other_part = [draw(s, "04", **RANGES).as_dict() for s in seeds]
    assert len({tuple(d.values()) for d in by_seed}) > 40  # seeds give different scenarios
    assert sum(a == b for a, b in zip(by_seed, other_part)) < 5  # and so do parts, for the same seed


def test_each_value_is_stable_when_another_parameter_is_added_or_removed():
    for seed in range(40):
        alone = draw(seed, "07", floor=RANGES["floor"])
        more = draw(seed, "07", extra=(1, 100, 1), **RANGES, another=["a", "b"])
        assert alone.floor == more.floor
        assert draw(seed, "07", window=[7, 14, 28]).window == more.window


def test_draws_do_not_touch_numpys_global_or_the_datas_random_streams():
    np.random.seed(3)
    expected = np.random.rand()
    np.random.seed(3)
    draw(3, "07", **RANGES)
    assert np.random.rand() == expected
    # Not the data's stream: the first draw of default_rng(seed) does not decide the value.
    picks = [draw(s, "07", k=(0, 9, 1)).k for s in range(200)]
    data = [int(np.random.default_rng(s).integers(10)) for s in range(200)]
    assert sum(a == b for a, b in zip(picks, data)) < 50


def test_values_lie_on_the_grid_with_both_ends_and_exact_decimals():
    drawn = [draw(s, "03", **RANGES) for s in range(300)]
    costs = {d.review_cost for d in drawn}
    assert costs == set(range(2, 9)) and all(type(c) is int for c in costs)
    floors = {d.floor for d in drawn}
    grid = {float(Decimal("0.5") + k * Decimal("0.05")) for k in range(9)}
    assert floors == grid and 0.9 in floors and 0.15000000000000002 not in floors
    assert {d.window for d in drawn} == {7, 14, 28}
    assert all(type(d.budget) is float and d.budget % 250 == 0 for d in drawn)
    wide = [draw(s, "03", users=(10_000, 10_000_000, 1)).users for s in range(50)]
    assert len(set(wide)) == 50  # a wide grid is drawn without listing it


def test_a_scenario_is_immutable_and_reads_by_attribute_or_name():
    S = draw(1, "07", **RANGES)
    assert S.review_cost == S["review_cost"] and list(S) == list(RANGES) and len(S) == 4
    with pytest.raises(AttributeError, match="fixed by your seed"):
        S.review_cost = 3
    with pytest.raises(AttributeError, match="no parameter 'cost'"):
        S.cost
    S.as_dict()["review_cost"] = -1
    assert S.review_cost != -1
    assert S.range_of("window") == [7, 14, 28] and S.range_of("floor") == (0.5, 0.9, 0.05)


def test_the_scenario_shows_name_value_and_range_in_text_and_html():
    S = draw(2, "07", budget=(1000, 2_000_000, 500), share=(0.01, 0.2, 0.01), label=["<b>x</b>", "y"])
    text = str(S)
    assert text.startswith("Your scenario")
    assert f"{S.budget:,}" in text and "1,000 to 2,000,000, step 500" in text
    assert f"{S.share:g}" in text and "0.01 to 0.2, step 0.01" in text
    html = S._repr_html_()
    assert "<table" in html and f"{S.budget:,}" in html and "one of &lt;b&gt;x&lt;/b&gt;, y" in html
    assert "<b>x</b>," not in html  # learner-visible text is escaped
    assert repr(S).startswith("Scenario(budget=")
    assert isinstance(S, Scenario)


def test_an_exercise_without_a_seed_and_malformed_ranges_say_what_to_do():
    with pytest.raises(SeedNotSet, match="aipm-lab start"):
        draw(None, "07", **RANGES)
    assert draw(np.int64(4), "07", **RANGES) == draw(4, "07", **RANGES)
    for bad in ((1, 2), (5, 1, 1), (1, 5, 0), (1, "a", 1), 3, []):
        with pytest.raises(ValueError, match="scenario parameter 'x'"):
            draw(1, "07", x=bad)
