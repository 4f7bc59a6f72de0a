"""Chapter 10's widgets: the recorded reverse pass is Value.backward's, step by step."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nnlib.autodiff import topological_order  # noqa: E402
from nnlib.widgets import ch10  # noqa: E402


@pytest.mark.parametrize("name", list(ch10.EXAMPLES))
def test_last_step_has_the_gradients_of_backward(name):
    rp = ch10.reverse_pass_steps(name)
    out = ch10.EXAMPLES[name]()
    out.backward()
    np.testing.assert_allclose(rp.final_grads, [n.grad for n in topological_order(out)])
    assert len(rp.steps) == len(rp.nodes) + 1


def test_steps_run_from_the_output_backwards_and_each_node_finishes_once():
    rp = ch10.reverse_pass_steps("out = m·m + m, m = x·y")
    assert rp.steps[0].grads[-1] == 1.0 and not any(rp.steps[0].done)
    currents = [s.current for s in rp.steps[1:]]
    assert currents == list(range(len(rp.nodes)))[::-1]
    labels = [n.label for n in rp.nodes]
    m = labels.index("m = x·y")
    # m's grad is complete (-5) only after both s and out have passed theirs back.
    assert rp.steps[1].grads[m] == 1.0
    assert rp.steps[2].grads[m] == pytest.approx(-5.0)


def test_positions_put_every_node_right_of_its_parents():
    for name in ch10.EXAMPLES:
        rp = ch10.reverse_pass_steps(name)
        for p, c in rp.edges:
            assert rp.positions[p][0] < rp.positions[c][0]


def test_live_widget_redraws_for_each_control():
    w = ch10.reverse_pass_widget()
    assert set(w.controls) == {"name", "step"}
    w.controls["step"].value = 2
    assert w.data["step"] == 2 and "step 2" in w.data["caption"]
    w.controls["name"].value = "y = σ(w·x + b)"
    assert w.data["labels"][-1] == "y = σ(z)"
    final = ch10.draw_graph(Figure(), "y = σ(w·x + b)", 99)
    assert final["grads"][-1] == 1.0 and final["step"] == 6


def test_kernel_free_chart_has_both_controls_and_every_step():
    w = ch10.reverse_pass_vega()
    assert w.controls == ["expr", "step"]
    rows = ch10.reverse_pass_table()
    last = max(r["step"] for r in rows)
    for name in ch10.EXAMPLES:
        n = len(ch10.reverse_pass_steps(name).nodes)
        assert sum(r["expr"] == name and r["step"] == last for r in rows) == n
        captions = {r["caption"] for r in rows if r["expr"] == name and r["step"] == 1}
        assert len(captions) == 1 and "passes its gradient" in captions.pop()
