"""The benchmark figures: ratios, targets, the table and the runner's tally.

A wrong sign or a swapped ratio here would print "met" for a regression, so
the logic that decides it is tested on its own, without a database.
"""

import pytest

from benchmarks.common import Figure, figures_read, figures_write, table_line
from benchmarks.run import exit_code, selected, targets_summary


def figure(value, baseline=None, target=None, on="ratio", code="B4a"):
    return Figure(code, "province dashboard p50", value, "ms", baseline, "", target, on)


def test_the_ratio_is_the_value_over_its_baseline():
    assert figure(150, 100).ratio == pytest.approx(1.5)


def test_a_figure_without_a_baseline_has_no_ratio():
    assert figure(150).ratio is None
    assert figure(150, 0).ratio is None


@pytest.mark.parametrize(
    ("value", "met"), [(149, True), (150, True), (151, False)]
)  # fmt: skip
def test_an_upper_bound_on_the_ratio_includes_the_bound(value, met):
    assert figure(value, 100, ("<=", 1.5)).met is met


@pytest.mark.parametrize(("value", "met"), [(24, False), (25, True), (40, True)])
def test_a_lower_bound_on_the_ratio(value, met):
    assert figure(value, 100, (">=", 0.25)).met is met


def test_a_value_target_ignores_the_baseline():
    heavy = figure(243, 1, ("<=", 150), on="value")
    light = figure(120, 10_000, ("<=", 150), on="value")

    assert (heavy.met, light.met) == (False, True)


def test_a_ratio_target_without_a_baseline_is_not_met():
    assert figure(10, None, ("<=", 1.5)).met is False


def test_a_figure_without_a_target_is_neither_met_nor_missed():
    assert figure(10, 5).met is None


def test_the_table_line_says_whether_the_target_is_met():
    assert table_line(figure(188, 70, ("<=", 1.5))).endswith("NOT MET")
    line = table_line(figure(100, 80, ("<=", 1.5)))
    assert line.endswith("met") and "NOT" not in line
    assert "1.25×" in line and "≤ 1.5×" in line


def test_the_table_line_shows_a_value_target_in_its_unit():
    line = table_line(
        Figure("B7", "log page", 120, "KB", target=("<=", 150), on="value")
    )

    assert "≤ 150 KB" in line and line.endswith("met")


def test_figures_survive_the_file_between_processes(tmp_path):
    out = tmp_path / "figures.jsonl"
    written = [
        figure(188, 70, ("<=", 1.5)),
        Figure("B7", "log page", 243, "KB", target=("<=", 150), on="value", note="x"),
    ]

    figures_write(out, written[:1])
    figures_write(out, written[1:])  # a second module appends

    read = figures_read(out)
    assert read == written
    assert [item.met for item in read] == [False, False]


# The runner's tally


def test_only_targeted_figures_count_towards_the_total():
    figures = [
        figure(100, 80, ("<=", 1.5)),
        figure(200, 80, ("<=", 1.5)),
        figure(300, 80),  # printed for information only
    ]

    assert targets_summary(figures) == (1, 2)


def test_a_missed_target_fails_the_run_only_when_strict():
    missed = [figure(200, 80, ("<=", 1.5))]

    assert exit_code([], missed, strict=False) == 0
    assert exit_code([], missed, strict=True) == 1
    assert exit_code([], [figure(100, 80, ("<=", 1.5))], strict=True) == 0


def test_a_crashed_benchmark_always_fails_the_run():
    assert exit_code(["b5_capture"], [], strict=False) == 1


def test_only_picks_the_modules_of_the_codes_asked_for():
    names = [name for name, _database, _codes in selected("B4,b8c")]

    assert names == ["b4_dashboards", "b5_capture"]


def test_a_family_code_picks_every_module_with_its_figures():
    names = [name for name, _database, _codes in selected("B8")]

    assert names == ["b8_exports", "b5_capture"]


def test_a_code_does_not_pick_a_longer_number():
    names = [name for name, _database, _codes in selected("B1")]

    assert names == ["b1_import"]


def test_the_daily_tasks_are_picked_by_their_family_code():
    names = [name for name, _database, _codes in selected("B10")]

    assert names == ["b10_daily_tasks"]


def test_no_only_runs_every_module():
    assert len(selected(None)) == len(selected("B1,B2,B4,B5,B7,B8,B9,B10,B11,B12"))


def test_the_national_benchmark_runs_only_at_national_scale():
    small = [name for name, _database, _codes in selected(None)]
    national = [name for name, _database, _codes in selected(None, "national")]

    assert "b13_national" not in small
    assert national == ["b13_national"]
    assert selected("B13", "national") == selected(None, "national")
