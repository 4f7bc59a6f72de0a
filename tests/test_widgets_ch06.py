"""Chapter 6's widgets: set a control's value, check the numbers the widget shows and draws.

The kernel-free widgets run their formulas in the reader's browser; where Node.js is
installed, the tests run the same Vega specification with the vendored Vega scripts and
compare what it computes with Python."""

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import MSE, numerical_gradient, xor  # noqa: E402
from nnlib.widgets import ch06  # noqa: E402

from vega_runner import needs_node, run_vega  # noqa: E402



@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------ the 2-2-1 graph

CONTROL_VALUES = [{}, {"x1": 0.5, "w11": -1.0}, {"x1": -2.0, "w11": 2.0, "v1": -1.5},
                  {"v1": 0.0}]


@pytest.mark.parametrize("controls", CONTROL_VALUES)
def test_steps_the_browser_runs_agree_with_nnlib(controls):
    # The formulas of the kernel-free graph, run in Python, against nnlib's Dense/Tanh/MSE.
    by_nnlib = ch06.tiny_network(**controls)
    by_steps = ch06.run_steps(ch06.all_tiny_steps(), ch06.tiny_values(**controls))
    for name, value in by_nnlib.items():
        assert by_steps[name] == pytest.approx(value, rel=1e-9, abs=1e-12), name


@pytest.mark.parametrize("controls", CONTROL_VALUES)
def test_backprop_gradients_match_central_differences_for_every_parameter(controls):
    data = ch06.tiny_network(**controls)
    values = ch06.tiny_values(**controls)
    names = [n for n in ch06.TINY_DEFAULTS if n != "y"]
    point = np.array([values[n] for n in names])

    def loss(p):
        return ch06.run_steps(ch06.TINY_FORWARD, {**values, **dict(zip(names, p))})["L"]

    numeric = numerical_gradient(loss, point)
    for name, g in zip(names, numeric):
        assert data["g_" + name] == pytest.approx(g, rel=1e-6, abs=1e-9), name
    assert data["fd_w11"] == pytest.approx(data["g_w11"], rel=1e-6, abs=1e-9)


def test_fan_out_gradient_is_the_sum_over_both_paths():
    # x1 feeds z1 and z2: keeping only the last path ("=" instead of "+=") is wrong.
    data = ch06.tiny_network(x1=0.7, w11=-0.6)
    path_1, path_2 = data["g_z1"] * data["w11"], data["g_z2"] * data["w21"]
    assert data["g_x1"] == pytest.approx(path_1 + path_2)
    assert abs(data["g_x1"] - path_2) > 1e-3


def test_tiny_values_refuse_unknown_names():
    with pytest.raises(ValueError, match="unknown parameter"):
        ch06.tiny_values(w33=1.0)


def test_live_graph_redraws_values_and_gradients_when_a_slider_moves():
    w = ch06.tiny_network_widget()
    assert list(w.controls) == ["x1", "w11", "v1"]
    before = bytes(w.image.value)
    w.controls["w11"].value = -1.0
    w.controls["x1"].value = 0.5
    assert w.data["w11"] == -1.0 and w.data["x1"] == 0.5
    expected = ch06.tiny_network(x1=0.5, w11=-1.0)
    assert w.data["g_w11"] == pytest.approx(expected["g_w11"])
    texts = {t.get_gid(): t.get_text() for t in w.figure.axes[0].texts if t.get_gid()}
    assert texts["value:z1"] == f"z₁ = {expected['z1']:.2f}".replace("-", "−")
    assert texts["grad:a2"] == f"∂L/∂a₂ = {expected['g_a2']:.2f}".replace("-", "−")
    assert texts["edge-grad:x1->z1"].endswith(f"{expected['g_w11']:.2f}".replace("-", "−"))
    assert "central difference" in w.caption.value
    assert bytes(w.image.value) != before


def test_draw_graph_draws_every_node_and_edge():
    fig = plt.figure()
    ax = fig.add_subplot()
    ch06.draw_graph(ax, {"a": (0, 0), "b": (1, 0), "c": (2, 1)}, [("a", "b"), ("b", "c")],
                    node_text={"a": "1"}, edge_text={("a", "b"): "g"})
    gids = {a.get_gid() for a in ax.get_children() if a.get_gid()}
    assert {"node:a", "node:b", "node:c", "edge:a->b", "edge:b->c", "value:a",
            "edge-grad:a->b"} <= gids


def test_graph_vega_has_three_sliders_and_computes_in_the_browser():
    widget = ch06.tiny_network_vega()
    assert widget.controls == ["x1", "w11", "v1"]
    assert len(widget._json) < 100_000


@needs_node
@pytest.mark.parametrize("controls", CONTROL_VALUES[1:3])
def test_graph_vega_shows_the_values_python_computes(controls):
    shown = run_vega(ch06.tiny_network_vega(), controls, "g_w11")
    data = ch06.tiny_network(**controls)
    row = shown["rows"][0]
    for name in ["z1", "a2", "yhat", "L", "g_z1", "g_x1", "g_w11", "fd_w11"]:
        assert row[name] == pytest.approx(data[name], rel=1e-9, abs=1e-12), name
    fmt = lambda v: f"{v:.2f}".replace("-", "−")  # noqa: E731
    assert fmt(data["g_w11"]) in shown["texts"]
    assert fmt(data["g_x1"]) in shown["texts"]


# ------------------------------------------------------------------ the XOR run

def test_packed_parameters_predict_what_the_network_predicts():
    X, _ = xor()
    for hidden in ch06.XOR_WIDTHS:
        net = ch06.xor_network(hidden, seed=3)
        np.testing.assert_allclose(ch06.predict_packed(ch06.pack(net), X), net.forward(X)[:, 0],
                                   rtol=1e-12)


def test_xor_run_snapshots_start_untrained_and_record_loss():
    run = ch06.xor_run(eta=0.5, hidden=3, seed=0, steps=200, every=50)
    assert list(run.steps) == [0, 50, 100, 150, 200]
    X, y = xor()
    first = ch06.xor_network(3, 0)
    assert run.loss[0] == pytest.approx(MSE().value(first.forward(X), y))
    assert run.loss[-1] < run.loss[0]


def test_xor_live_widget_step_and_width_controls_change_the_run():
    w = ch06.xor_training_widget()
    assert list(w.controls) == ["eta", "hidden", "seed", "step"]
    w.controls["step"].value = 0
    untrained = w.data["loss"]
    assert w.data["step"] == 0
    w.controls["step"].value = ch06.XOR_STEPS
    assert w.data["loss"] < untrained / 10 and w.data["accuracy"] == 1.0
    w.controls["hidden"].value = 2
    w.controls["seed"].value = 2
    run = ch06.xor_runs()[(0.5, 2, 2)]
    assert w.data["loss"] == pytest.approx(run.loss[-1])
    assert w.data["accuracy"] < 1.0     # this seed is one of the failures the chapter shows
    assert "of 4 points right" in w.caption.value


def test_draw_xor_training_rounds_the_step_down_to_a_snapshot():
    fig = plt.figure()
    data = ch06.draw_xor_training(fig, eta=0.5, hidden=3, seed=0, step=ch06.XOR_EVERY + 1)
    assert data["step"] == ch06.XOR_EVERY


def test_xor_vega_has_four_controls_and_stays_small():
    widget = ch06.xor_vega()
    assert widget.controls == ["eta", "hidden", "seed", "step"]
    assert len(widget._json) < 1_000_000


@needs_node
@pytest.mark.parametrize("values, key", [({}, (0.5, 3, 0, ch06.XOR_STEPS)),
                                         ({"eta": 1.0, "hidden": 2, "seed": 2, "step": 200},
                                          (1.0, 2, 2, 200))])
def test_xor_vega_draws_the_chosen_snapshot(values, key):
    shown = run_vega(ch06.xor_vega(), values, "out")
    grid = np.array([[r["gx"], r["gy"], r["out"]] for r in shown["rows"]])
    run = ch06.xor_runs()[key[:3]]
    i = list(run.steps).index(key[3])
    np.testing.assert_allclose(grid[:, 2], ch06.predict_packed(run.params[i], grid[:, :2]),
                               atol=1e-4)
    assert any(f"step {key[3]}: loss {run.loss[i]:.4f}" in t for t in shown["texts"])


@pytest.mark.parametrize("hidden, seed", [(2, 0), (2, 2), (3, 0)])
def test_xor_learns_agrees_with_the_answer_key(hidden, seed):
    from nnlib.exercises import ch06 as key

    assert ch06.xor_learns(hidden, seed) == key.xor_trains(hidden, seed)
