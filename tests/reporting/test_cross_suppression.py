"""Small-number suppression in a cross-table: no hidden cell or margin can be worked out from
what is published (the cells and margins shown, and the period's total)."""

import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.stocktake.suppression import ALL, _lines, determinable, hidden_table

LIMIT = 5


def table_entries(cells: list[list[int]]):
    rows = [f"r{i}" for i in range(len(cells))]
    columns = [f"c{j}" for j in range(len(cells[0]))]
    entries = {}
    for i, r in enumerate(rows):
        for j, c in enumerate(columns):
            entries[(r, c)] = Decimal(cells[i][j])
        entries[(r, ALL)] = Decimal(sum(cells[i]))
    for j, c in enumerate(columns):
        entries[(ALL, c)] = Decimal(sum(row[j] for row in cells))
    return entries, rows, columns


def another_table_differs_in(key, cells, hidden, rows, columns) -> bool:
    """Brute force: is there another table of non-negative whole numbers, moved by -1, 0 or +1
    in hidden cells only, that publishes exactly the same figures but differs in key?"""
    hidden_cells = [
        (i, j) for i, r in enumerate(rows) for j, c in enumerate(columns) if (r, c) in hidden
    ]
    for move in itertools.product((-1, 0, 1), repeat=len(hidden_cells)):
        if not any(move):
            continue
        moved = [row[:] for row in cells]
        for (i, j), d in zip(hidden_cells, move, strict=True):
            moved[i][j] += d
        if any(v < 0 for row in moved for v in row):
            continue
        other, _, _ = table_entries(moved)
        original, _, _ = table_entries(cells)
        if any(other[k] != original[k] for k in original if k not in hidden):
            continue  # it would publish something different
        if other[key] != original[key]:
            return True
    return False


tables = st.integers(2, 3).flatmap(
    lambda n_rows: st.integers(2, 3).flatmap(
        lambda n_columns: st.lists(
            st.lists(st.integers(0, 14), min_size=n_columns, max_size=n_columns),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
)


@settings(max_examples=400, deadline=None)
@given(tables)
def test_no_hidden_cell_or_margin_can_be_worked_out(cells):
    entries, rows, columns = table_entries(cells)
    hidden = hidden_table(entries, rows, columns, limit=LIMIT)
    # Every small number is hidden...
    assert all(key in hidden for key, value in entries.items() if value < LIMIT)
    # ...each row and column (with its margin) has no hidden entry, two or more, or all...
    for r in rows:
        line = [(r, c) for c in [*columns, ALL]]
        count = sum(k in hidden for k in line)
        assert count != 1, (r, hidden)
    for c in columns:
        line = [(r, c) for r in [*rows, ALL]]
        assert sum(k in hidden for k in line) != 1, (c, hidden)
    # ...and none can be worked out: another table publishing the same figures differs in it.
    for key in hidden:
        assert another_table_differs_in(key, cells, set(hidden), rows, columns), (
            key,
            cells,
            hidden,
        )


def test_one_small_cell_hides_enough_others_that_no_subtraction_finds_it():
    cells = [[3, 40], [50, 60]]  # the 3 is small
    entries, rows, columns = table_entries(cells)
    hidden = hidden_table(entries, rows, columns, limit=LIMIT)
    assert hidden[("r0", "c0")] == "fewer than 5"
    assert {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")} <= set(hidden)
    assert all(value == "not shown" for key, value in hidden.items() if key != ("r0", "c0"))


def test_a_table_with_no_small_number_hides_nothing():
    entries, rows, columns = table_entries([[30, 40], [50, 60]])
    assert hidden_table(entries, rows, columns, limit=LIMIT) == {}


def test_the_exact_check_finds_what_subtraction_across_rows_and_columns_gives_away():
    entries, rows, columns = table_entries([[30, 40, 50], [60, 70, 80], [90, 10, 20]])
    lines = _lines(entries, rows, columns)
    # One hidden cell is its row's total less the others.
    assert determinable({("r0", "c0")}, lines) == {("r0", "c0")}
    # A rectangle of hidden cells is safe: moving one unit round it changes nothing published.
    rectangle = {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}
    assert determinable(rectangle, lines) == set()
    # A hidden cell joining the rectangle to a hidden column total is pinned down: the column's
    # total is known from the margins' row, so the cell is that total less the shown cells.
    assert ("r2", "c2") in determinable(rectangle | {("r2", "c2"), (ALL, "c2")}, lines)


def test_hidden_noughts_do_not_pin_the_rest_through_the_totals():
    """Found by the property test: rows 0 0 5 / 0 0 5 / 0 5 5 left every hidden cell known, since
    no cell is below nought and the column of 5s must then be 5 each."""
    cells = [[0, 0, 5], [0, 0, 5], [0, 5, 5]]
    entries, rows, columns = table_entries(cells)
    hidden = hidden_table(entries, rows, columns, limit=LIMIT)
    assert [
        k for k in hidden if not another_table_differs_in(k, cells, set(hidden), rows, columns)
    ] == []
