"""Chapter 7's widgets: set a control's value, check the numbers the widget shows and draws."""
import math

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.widgets import ch07 as widgets  # noqa: E402


def softmax_by_hand(z, tau=1.0):
    """e^(z_k/τ) / Σ e^(z_j/τ), in exact arithmetic with math.fsum, for moderate logits."""
    e = [math.exp(v / tau) for v in z]
    total = math.fsum(e)
    return np.array([v / total for v in e])


def _matching(s, i):
    depth = 0
    for j in range(i, len(s)):
        depth += {"(": 1, ")": -1}.get(s[j], 0)
        if depth == 0:
            return j
    raise ValueError(f"unbalanced brackets in {s!r}")


def _top_level(s, token):
    depth = 0
    for i in range(len(s)):
        depth += {"(": 1, ")": -1}.get(s[i], 0)
        if depth == 0 and s.startswith(token, i):
            return i
    return None


def ternaries_to_python(s):
    """Vega's (and JavaScript's) a ? b : c, nested or not, as Python's (b if a else c)."""
    out, i = "", 0
    while i < len(s):
        if s[i] == "(":
            j = _matching(s, i)
            out += "(" + ternaries_to_python(s[i + 1:j]) + ")"
            i = j + 1
        else:
            out += s[i]
            i += 1
    q = _top_level(out, " ? ")
    if q is None:
        return out
    c = q + 3 + _top_level(out[q + 3:], " : ")
    return f"(({out[q + 3:c]}) if ({out[:q]}) else ({ternaries_to_python(out[c + 3:])}))"


def bars_with_gid(ax, gid):
    return [patch for patch in ax.patches if patch.get_gid() == gid]


@pytest.mark.parametrize("z, tau, cls", [((2.0, 1.0, -1.0), 1.0, 1), ((0.0, 3.0, -2.0), 0.5, 3),
                                         ((1.0, 1.0, 1.0), 4.0, 2), ((-5.0, 5.0, 0.0), 2.0, 1)])
def test_softmax_data_matches_the_formulas(z, tau, cls):
    data = widgets.softmax_data(*z, temperature=tau, true_class=cls)
    probs = softmax_by_hand(z, tau)
    np.testing.assert_allclose(data["probs"], probs, rtol=1e-12)
    assert data["loss"] == pytest.approx(-math.log(probs[cls - 1]), rel=1e-12)
    target = np.eye(3)[cls - 1]
    np.testing.assert_allclose(data["grad"], probs - target, atol=1e-12)
    np.testing.assert_allclose(data["grad_logits"], (probs - target) / tau, atol=1e-12)
    assert data["grad"].sum() == pytest.approx(0.0, abs=1e-12)


def test_softmax_data_gradient_is_the_derivative_of_its_loss():
    z, tau, cls, h = np.array([0.3, -1.2, 2.0]), 0.7, 2, 1e-6
    data = widgets.softmax_data(*z, temperature=tau, true_class=cls)
    for j in range(3):
        step = np.eye(3)[j] * h
        up = widgets.softmax_data(*(z + step), temperature=tau, true_class=cls)["loss"]
        down = widgets.softmax_data(*(z - step), temperature=tau, true_class=cls)["loss"]
        assert data["grad_logits"][j] == pytest.approx((up - down) / (2 * h), rel=1e-6)


def test_softmax_data_is_finite_for_huge_logits():
    data = widgets.softmax_data(1000.0, -1000.0, 0.0, temperature=0.1, true_class=2)
    assert np.all(np.isfinite(data["probs"])) and data["loss"] == pytest.approx(20000.0)


def test_softmax_data_refuses_bad_controls():
    with pytest.raises(ValueError, match="temperature"):
        widgets.softmax_data(1, 2, 3, temperature=0.0)
    with pytest.raises(ValueError, match="true class"):
        widgets.softmax_data(1, 2, 3, true_class=4)


def test_live_widget_follows_every_control():
    w = widgets.softmax_widget(z1=2.0, z2=1.0, z3=-1.0, temperature=1.0, true_class=1)
    assert set(w.controls) == {"z1", "z2", "z3", "temperature", "true_class"}
    before = bytes(w.image.value)
    w.controls["z3"].value = 4.0
    np.testing.assert_allclose(w.data["probs"], softmax_by_hand((2.0, 1.0, 4.0)), rtol=1e-12)
    w.controls["true_class"].value = 3
    assert w.data["true_class"] == 3
    assert w.data["loss"] == pytest.approx(-math.log(softmax_by_hand((2.0, 1.0, 4.0))[2]))
    w.controls["temperature"].value = 10.0
    assert w.data["temperature"] == pytest.approx(10.0)
    np.testing.assert_allclose(w.data["probs"], softmax_by_hand((2.0, 1.0, 4.0), 10.0), rtol=1e-9)
    assert bytes(w.image.value) != before
    assert "true class 3" in w.caption.value


def test_live_widget_draws_the_bars_it_reports():
    w = widgets.softmax_widget(z1=0.0, z2=2.0, z3=-1.0, temperature=1.0, true_class=1)
    ax = w.figure.axes[0]
    heights = [bar.get_height() for bar in bars_with_gid(ax, "probs")]
    np.testing.assert_allclose(heights, w.data["probs"])
    grads = [bar.get_height() for bar in bars_with_gid(ax, "grad")]
    np.testing.assert_allclose(grads, w.data["grad"])
    assert grads[0] < 0 < grads[1]


def test_vega_widget_has_every_control():
    chart = widgets.softmax_vega()
    assert chart.controls == ["z1", "z2", "z3", "tau", "cls"]
    assert len(chart.html()) < 1_000_000


def test_vega_expressions_compute_softmax_loss_and_gradient():
    # Translate the chart's Vega expressions into Python and evaluate them for some
    # positions of the controls: they must agree with softmax_data.
    spec = widgets.softmax_vega().spec
    calcs = {}

    def collect(node):
        if isinstance(node, dict):
            for t in node.get("transform", []):
                if "calculate" in t:
                    calcs[t["as"]] = t["calculate"]
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(spec)
    assert {"p", "y", "value", "caption"} <= set(calcs)

    def to_python(expr):
        expr = expr.replace("datum.", "datum_").replace("exp(", "math.exp(").replace(
            "log(", "math.log(")
        return ternaries_to_python(expr)

    for z, tau, cls in [((2.0, 1.0, -1.0), 1.0, 1), ((-3.0, 0.5, 2.5), 0.3, 2),
                        ((1.0, 4.0, 4.0), 5.0, 3)]:
        data = widgets.softmax_data(*z, temperature=tau, true_class=cls)
        env = {"math": math, "max": max, "z1": z[0], "z2": z[1], "z3": z[2], "tau": tau,
               "cls": cls}
        for k in (1, 2, 3):
            env["datum_k"] = k
            p = eval(to_python(calcs["p"]), env)
            y = eval(to_python(calcs["y"]), env)
            assert p == pytest.approx(data["probs"][k - 1], rel=1e-9)
            assert p - y == pytest.approx(data["grad"][k - 1], abs=1e-9)
        caption = calcs["caption"]
        loss_expr = caption[caption.index("format(") + len("format("):caption.rindex(", '.3f')")]
        assert eval(to_python(loss_expr), env) == pytest.approx(data["loss"], rel=1e-9)


def test_slowdown_run_reproduces_the_gradient_ratio():
    squared = widgets.slowdown_run("squared", steps=5)
    cross = widgets.slowdown_run("cross-entropy", steps=5)
    s = 1 / (1 + math.exp(-4.0))
    assert squared["output"][0] == pytest.approx(s) == cross["output"][0]
    # dL/dw at the start: 2(ŷ - y)σ'(4)·x for (ŷ - y)², (ŷ - y)·x for cross-entropy
    assert squared["grad_w"][0] == pytest.approx(2 * s * s * (1 - s))
    assert cross["grad_w"][0] == pytest.approx(s)
    # one SGD step with η = 0.15 moves w by -η·dL/dw
    assert squared["w"] < 2.0 and cross["w"] < squared["w"]


def test_slowdown_cross_entropy_learns_faster():
    squared = widgets.slowdown_run("squared", steps=60)
    cross = widgets.slowdown_run("cross-entropy", steps=60)
    assert squared["output"][50] > 0.95 > 0.1 > cross["output"][50]
    assert np.all(np.diff(cross["output"]) < 0) and np.all(np.diff(squared["output"]) < 0)


def test_slowdown_plot_draws_both_runs():
    runs = {"squared error": widgets.slowdown_run("squared", steps=20),
            "cross-entropy": widgets.slowdown_run("cross-entropy", steps=20)}
    fig = widgets.plot_slowdown(runs)
    top, bottom = fig.axes
    drawn = {line.get_gid(): line for line in top.get_lines()}
    np.testing.assert_allclose(drawn["output cross-entropy"].get_ydata(),
                               runs["cross-entropy"]["output"])
    assert len(bottom.get_lines()) == 2
    plt.close(fig)


def test_widgets_open_no_pyplot_figures():
    before = set(plt.get_fignums())
    widgets.softmax_widget()
    assert set(plt.get_fignums()) == before


def test_vega_classes_keep_their_order_when_the_true_class_changes():
    # The x labels change with the true class ("class 2 (true)"); ordered by the label's
    # data order, Vega moved the classes around. They must be sorted by the class number.
    spec = widgets.softmax_vega().spec
    xs = [layer["encoding"]["x"] for layer in spec["layer"]
          if "x" in layer.get("encoding", {}) and layer["encoding"]["x"].get("field") == "label"]
    assert xs and all(x["sort"] == {"field": "k", "op": "min"} for x in xs)
