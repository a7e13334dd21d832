"""Disclosure control for aggregates of case data: small cells and complementary
suppression, so that no withheld cell can be worked out from the cells that are shown.

A table is counts by one or more dimensions (acts by violation type and region, say)
published with all its totals: every row, column and grand total. `protect()` withholds

- every cell (totals included) from 1 to `threshold - 1`: shown as "<5" (primary);
- then, wherever a line (a total with the cells it adds up) would have exactly one withheld
  cell — which a subtraction would give back — the smallest further cell of that line of
  at least `threshold` (complementary, shown as "…"); totals are taken only when no inner
  cell will do;

and repeats until an audit finds no withheld cell pinned to one value. The audit solves,
for every withheld cell, the smallest and largest value it can take given everything
shown: the totals' equations, a primary cell between 1 and threshold - 1, a complementary
one at least `threshold` (what a reader who knows these rules knows). A cell whose
smallest and largest value meet would be disclosed; another cell is withheld and the audit
runs again. Linear programs by SciPy's HiGHS (`scipy.optimize.linprog`).

Zero cells are shown: that nothing of a kind was recorded discloses no one. But a zero
shown beside withheld cells tells the reader that those are at least 1, and that can pin
them: four withheld cells of a column whose withheld total is under 5 are then 1 each.
With `zeros="hidden"` (the casework's tables), a zero is shown only where a whole row or
column is empty (which says no more than leaving that level out of the table); every
other cell under the threshold, zero included, is withheld as "<5", and the audit then
takes a withheld small cell to lie between 0 and threshold - 1.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scipy.optimize import linprog

TOTAL = "*"
THRESHOLD = 5
Key = tuple[str, ...]


@dataclass(frozen=True)
class Protected:
    """A table with every total, and which of its cells are withheld and why."""

    dims: tuple[str, ...]
    values: dict[Key, int]  # every cell, totals included (TOTAL in a summed dimension)
    primary: frozenset[Key]
    complementary: frozenset[Key]
    threshold: int = THRESHOLD
    lowest: int = 1  # the least value a reader knows a "<5" cell to have (0: zeros hidden)

    def shown(self, key: Key) -> int | None:
        """The cell's value, or None when it is withheld."""
        return None if key in self.primary or key in self.complementary else self.values[key]

    def label(self, key: Key) -> str:
        if key in self.primary:
            return f"<{self.threshold}"
        if key in self.complementary:
            return "…"
        return str(self.values[key])

    @property
    def withheld(self) -> frozenset[Key]:
        return self.primary | self.complementary


def with_totals(counts: Mapping[Key, int], levels: Sequence[Sequence[str]]) -> dict[Key, int]:
    """Every cell of the full table (each dimension's levels, absent ones as 0) and every
    total (TOTAL in the dimensions summed over)."""
    if any(value < 0 for value in counts.values()):
        raise ValueError("A count cannot be negative.")
    inner = {key: 0 for key in itertools.product(*levels)}
    for key, value in counts.items():
        if key not in inner:
            raise ValueError(f"The cell {key} is not in the table's levels.")
        inner[key] = value
    table: dict[Key, int] = {}
    for key, value in inner.items():
        for summed in itertools.product((False, True), repeat=len(key)):
            at = tuple(TOTAL if s else k for k, s in zip(key, summed, strict=True))
            table[at] = table.get(at, 0) + value
    return table


def lines(table: Iterable[Key], dims: int) -> list[tuple[Key, list[Key]]]:
    """Every equation the table publishes: a total and the cells it adds up (along one
    dimension, the others fixed)."""
    keys = set(table)
    found = []
    for total in sorted(keys):
        for d in range(dims):
            if total[d] != TOTAL:
                continue
            members = sorted(k for k in keys if k[d] != TOTAL
                             and all(k[i] == total[i] for i in range(dims) if i != d))
            found.append((total, members))
    return found


def protect(counts: Mapping[Key, int], levels: Sequence[Sequence[str]], *,
            dims: Sequence[str] = (), threshold: int = THRESHOLD,
            zeros: str = "shown") -> Protected:
    if threshold < 2:
        raise ValueError("The threshold is at least 2.")
    if zeros not in ("shown", "hidden"):
        raise ValueError("zeros is 'shown' or 'hidden'.")
    table = with_totals(counts, levels)
    n = len(levels)
    equations = lines(table, n)
    lowest = 1
    if zeros == "hidden" and table.get((TOTAL,) * n):
        lowest = 0
        empty = [{level for level in levels[d]
                  if table[tuple(level if i == d else TOTAL for i in range(n))] == 0}
                 for d in range(n)]
        primary = {k for k, v in table.items() if v < threshold
                   and not any(k[d] in empty[d] for d in range(n))}
    else:
        primary = {k for k, v in table.items() if 0 < v < threshold}
    complementary: set[Key] = set()
    for _round in range(len(table) + 1):
        _close_single_lines(table, equations, primary, complementary, threshold)
        pinned = _pinned(table, equations, primary, complementary, threshold, lowest)
        if not pinned:
            break
        _withhold_beside(pinned[0], table, equations, primary, complementary, threshold)
    else:  # pragma: no cover - each round withholds one more cell, so this cannot run out
        raise RuntimeError("Suppression did not converge.")
    return Protected(tuple(dims) or tuple(f"d{i}" for i in range(n)), table,
                     frozenset(primary), frozenset(complementary), threshold, lowest)


def _candidates(members: Iterable[Key], table: Mapping[Key, int], withheld: set[Key],
                threshold: int) -> list[Key]:
    """Cells a line may withhold next: shown, at least the threshold; inner cells first,
    then the smallest."""
    return sorted((k for k in members if k not in withheld and table[k] >= threshold),
                  key=lambda k: (k.count(TOTAL), table[k], k))


def _close_single_lines(table: Mapping[Key, int], equations: list[tuple[Key, list[Key]]],
                        primary: set[Key], complementary: set[Key], threshold: int) -> None:
    changed = True
    while changed:
        changed = False
        for total, members in equations:
            cells = [total, *members]
            withheld = primary | complementary
            if sum(1 for c in cells if c in withheld) == 1:
                choice = _candidates(cells, table, withheld, threshold)
                if choice:
                    complementary.add(choice[0])
                    changed = True


def _withhold_beside(cell: Key, table: Mapping[Key, int],
                     equations: list[tuple[Key, list[Key]]], primary: set[Key],
                     complementary: set[Key], threshold: int) -> None:
    withheld = primary | complementary
    options = [c for total, members in equations if cell in (total, *members)
               for c in _candidates([total, *members], table, withheld, threshold)]
    if not options:
        options = _candidates(table, table, withheld, threshold)
    if not options:  # pragma: no cover - a pinned cell always has a shown cell beside it
        raise RuntimeError("No cell is left to withhold.")
    complementary.add(sorted(set(options), key=lambda k: (k.count(TOTAL), table[k], k))[0])


def audit(p: Protected) -> list[Key]:
    """The withheld cells of a protected table a reader could work out exactly (none)."""
    return _pinned(p.values, lines(p.values, len(p.dims)), set(p.primary),
                   set(p.complementary), p.threshold, p.lowest)


def _pinned(table: Mapping[Key, int], equations: list[tuple[Key, list[Key]]],
            primary: set[Key], complementary: set[Key], threshold: int,
            lowest: int = 1) -> list[Key]:
    """The withheld cells a reader could work out exactly, given everything shown."""
    unknown = sorted(primary | complementary)
    if not unknown:
        return []
    index = {k: i for i, k in enumerate(unknown)}
    a_eq, b_eq = [], []
    for total, members in equations:
        row = [0.0] * len(unknown)
        rhs = 0.0
        for cell, sign in [(total, -1.0)] + [(m, 1.0) for m in members]:
            if cell in index:
                row[index[cell]] += sign
            else:
                rhs -= sign * table[cell]
        if any(row):
            a_eq.append(row)
            b_eq.append(rhs)
    bounds = [(lowest, threshold - 1) if k in primary else (threshold, None) for k in unknown]
    pinned = []
    for k in unknown:
        i = index[k]
        objective = [0.0] * len(unknown)
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds,
                      method="highs")
        objective[i] = -1.0
        high = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds,
                       method="highs")
        if not (low.success and high.success):  # unbounded above: certainly not pinned
            if low.success and high.status == 3:
                continue
            raise RuntimeError(f"The disclosure audit failed: {low.message} {high.message}")
        if -high.fun - low.fun < 0.5:
            pinned.append(k)
    return pinned
