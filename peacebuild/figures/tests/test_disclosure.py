"""Small cells are withheld, and the cells withheld beside them make sure that no withheld
cell can be worked out from what is shown: by subtraction from a total, or by any
combination of the published totals."""

import itertools
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peacebuild.figures.disclosure import TOTAL, lines, protect, with_totals

VIOLATIONS = ["arrest", "torture", "expression", "assembly"]
REGIONS = ["TJ-SU", "TJ-KT", "TJ-GB", "TJ-DU"]


def determined_by_subtraction(p) -> set:
    """The withheld cells a reader gets back from the published equations alone (exact
    rational elimination: the cell's unit vector lies in the equations' row space)."""
    unknown = sorted(p.withheld)
    index = {k: i for i, k in enumerate(unknown)}
    rows = []
    for total, members in lines(p.values, len(p.dims)):
        row = [Fraction(0)] * len(unknown)
        for cell, sign in [(total, -1)] + [(m, 1) for m in members]:
            if cell in index:
                row[index[cell]] += sign
        if any(row):
            rows.append(row)
    # Row-reduce.
    basis: list[list[Fraction]] = []
    pivots: list[int] = []
    for row in rows:
        row = row[:]
        for b, col in zip(basis, pivots, strict=True):
            if row[col]:
                factor = row[col] / b[col]
                row = [x - factor * y for x, y in zip(row, b, strict=True)]
        lead = next((i for i, x in enumerate(row) if x), None)
        if lead is not None:
            basis.append(row)
            pivots.append(lead)
    found = set()
    for k, i in index.items():
        vector = [Fraction(int(j == i)) for j in range(len(unknown))]
        for b, col in zip(basis, pivots, strict=True):
            if vector[col]:
                factor = vector[col] / b[col]
                vector = [x - factor * y for x, y in zip(vector, b, strict=True)]
        if not any(vector):
            found.add(k)
    return found


def solutions(p, ceiling: int):
    """Every integer filling of the withheld cells consistent with what is shown and the
    rules a reader knows (tiny tables only)."""
    unknown = sorted(p.withheld)
    ranges = [range(1, p.threshold) if k in p.primary else range(p.threshold, ceiling + 1)
              for k in unknown]
    equations = lines(p.values, len(p.dims))
    for values in itertools.product(*ranges):
        filled = {**{k: p.values[k] for k in p.values if k not in p.withheld},
                  **dict(zip(unknown, values, strict=True))}
        if all(filled[t] == sum(filled[m] for m in ms) for t, ms in equations):
            yield dict(zip(unknown, values, strict=True))


def test_a_small_cell_and_its_row_and_column_partners_are_withheld():
    p = protect({("arrest", "TJ-SU"): 3, ("arrest", "TJ-KT"): 12,
                 ("torture", "TJ-SU"): 7, ("torture", "TJ-KT"): 9},
                [["arrest", "torture"], ["TJ-SU", "TJ-KT"]], dims=("violation", "region"))
    assert p.label(("arrest", "TJ-SU")) == "<5"
    # In a 2 × 2 table with its totals, any one inner cell gives all the others back.
    assert p.complementary == {("arrest", "TJ-KT"), ("torture", "TJ-SU"),
                               ("torture", "TJ-KT")}
    assert p.label(("torture", "TJ-KT")) == "…"
    assert [p.shown((v, TOTAL)) for v in ("arrest", "torture")] == [15, 16]
    assert p.shown((TOTAL, TOTAL)) == 31
    assert not determined_by_subtraction(p)


def test_a_breakdown_with_one_small_cell_withholds_the_smallest_other():
    p = protect({("arrest",): 2, ("torture",): 9, ("expression",): 6},
                [["arrest", "torture", "expression"]])
    assert p.primary == {("arrest",)} and p.complementary == {("expression",)}
    assert p.shown((TOTAL,)) == 17


def test_a_small_total_is_withheld_and_zeros_are_shown():
    p = protect({("arrest",): 0, ("torture",): 3}, [["arrest", "torture"]])
    assert p.shown(("arrest",)) == 0
    assert p.withheld == {("torture",), (TOTAL,)}


def test_nothing_is_withheld_when_nothing_is_small():
    p = protect({("arrest",): 5, ("torture",): 40}, [["arrest", "torture"]])
    assert not p.withheld


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match="negative"):
        protect({("arrest",): -1}, [["arrest"]])
    with pytest.raises(ValueError, match="not in the table"):
        with_totals({("rumour",): 1}, [["arrest"]])


tables = st.integers(1, 3).flatmap(lambda rows: st.integers(1, 3).flatmap(
    lambda cols: st.tuples(st.just((VIOLATIONS[:rows], REGIONS[:cols])),
                           st.lists(st.integers(0, 14), min_size=rows * cols,
                                    max_size=rows * cols))))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_withheld_cell_can_be_worked_out(table):
    levels, values = table
    counts = dict(zip(itertools.product(*levels), values, strict=True))
    p = protect(counts, levels)
    full = with_totals(counts, levels)
    assert p.primary == {k for k, v in full.items() if 0 < v < 5}
    assert all(full[k] >= 5 for k in p.complementary)
    assert not determined_by_subtraction(p)
    # A reader does not know the largest value: with the ceiling at the largest true value
    # itself, a table whose every cell is withheld would look pinned ([1, 5] → 1 and 5).
    ceiling = max(full.values()) + p.threshold
    fillings = 1
    for k in p.withheld:
        fillings *= 4 if k in p.primary else ceiling - 4
    if fillings <= 20_000:  # small enough to try every filling
        found = list(solutions(p, ceiling))
        assert {tuple(sorted(s.items())) for s in found}, "the true table must be a solution"
        for cell in p.withheld:
            assert len({s[cell] for s in found}) >= 2, f"{cell} is pinned to one value"
