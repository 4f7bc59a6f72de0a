"""Chapter 5's widgets and figure logic: set a control's value, check the numbers it shows."""
import json

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nnlib.widgets import ch05  # noqa: E402

from answer_keys.ch05 import test_the_chapter_numbers_agree_with_the_answer_key  # noqa: E402,F401


def line_of(segment):
    """(w, b) up to scale of the line through a segment's two end points."""
    (x1, y1), (x2, y2) = segment
    w = np.array([y2 - y1, x1 - x2])
    return w, -w @ np.array([x1, y1])


# ------------------------------------------------------------------------ one neuron

def test_step_is_one_only_for_positive_z():
    assert list(ch05.step([-1.0, 0.0, 1e-12, 2.0])) == [0, 0, 1, 1]


def test_signed_distance_is_z_over_the_length_of_w():
    X = np.array([[3.0, 2.0], [0.0, 0.0]])
    np.testing.assert_allclose(ch05.signed_distance(X, [3.0, 4.0], -5.0), [2.4, -1.0])
    with pytest.raises(ValueError, match="w = 0"):
        ch05.signed_distance(X, [0.0, 0.0], 1.0)


@pytest.mark.parametrize("w, b", [([1.0, 1.0], -1.5), ([0.0, 2.0], -1.0), ([3.0, 0.0], -0.3),
                                  ([1.0, -2.0], 0.4), ([-0.5, 0.7], 0.1)])
def test_boundary_segment_lies_on_the_line_and_ends_on_the_box(w, b):
    segment = ch05.boundary_segment(w, b)
    np.testing.assert_allclose(segment @ np.array(w) + b, 0, atol=1e-12)
    lo, hi = ch05.BOX
    assert np.all(segment >= lo - 1e-12) and np.all(segment <= hi + 1e-12)
    on_edge = np.isclose(segment, lo) | np.isclose(segment, hi)
    assert on_edge.any(axis=1).all()  # each end point on an edge of the box


def test_boundary_segment_is_none_without_a_line_in_view():
    assert ch05.boundary_segment([0.0, 0.0], 1.0) is None
    assert ch05.boundary_segment([1.0, 1.0], -10.0) is None


@pytest.mark.parametrize("gate, w1, w2, b", [("AND", 1, 1, -1.5), ("OR", 1, 1, -0.5),
                                             ("NAND", -1, -1, 1.5)])
def test_neuron_data_counts_a_gate_right_with_its_weights(gate, w1, w2, b):
    data = ch05.neuron_data(w1, w2, b, 4.0, gate)
    assert data["n_right"] == 4
    assert np.array_equal(data["step"], ch05.GATES[gate])


def test_no_weights_get_xor_right():
    rng = np.random.default_rng(0)
    best = max(ch05.neuron_data(*rng.uniform(-3, 3, 3), 1.0, "XOR")["n_right"]
               for _ in range(2000))
    assert best == 3


def test_sharpness_changes_the_colour_not_the_verdict():
    soft = ch05.neuron_data(1, 1, -1.5, 0.5, "AND")
    sharp = ch05.neuron_data(1, 1, -1.5, 30.0, "AND")
    assert soft["n_right"] == sharp["n_right"] == 4
    np.testing.assert_allclose(sharp["sigmoid"], ch05.step(sharp["z"]), atol=1e-6)
    assert np.all(np.abs(soft["sigmoid"] - 0.5) < 0.2)


def test_neuron_widget_redraws_when_a_slider_moves():
    widget = ch05.neuron_widget(1.0, 1.0, -1.5, 4.0, "AND")
    assert widget.data["n_right"] == 4 and "all 4 right" in widget.data["caption"]
    widget.controls["b"].value = -0.5
    assert widget.data["n_right"] == 2 and "2 of 4 right" in widget.data["caption"]
    widget.controls["gate"].value = "OR"
    assert widget.data["n_right"] == 4
    widget.controls["w1"].value = -1.0
    w, b = line_of(widget.data["segment"])
    assert np.isclose(w[1] / w[0], -1.0) and np.isclose(b / w[0], 0.5)


def test_draw_neuron_draws_the_boundary_and_rings_wrong_points():
    fig = Figure()
    ch05.draw_neuron(fig, 1.0, 1.0, -0.5, 4.0, "XOR")
    ax = fig.axes[0]
    assert [line.get_gid() for line in ax.get_lines()].count("boundary") == 1
    rings = [c for c in ax.collections if c.get_gid() == "wrong"]
    assert len(rings) == 1 and len(rings[0].get_offsets()) == 1  # (1, 1) is wrong


# ------------------------------------------------------------------ the perceptron rule

def test_perceptron_run_learns_and_within_the_bound():
    X, y = ch05.gate_data("AND")
    run = ch05.perceptron_run(X, y)
    assert run["converged"] and run["n_updates"] == 18
    assert np.array_equal(ch05.step(X @ run["w_aug"][:2] + run["w_aug"][2]), y)
    assert run["n_updates"] <= ch05.novikoff_bound(X, y) == pytest.approx(51)


def test_learning_rate_scales_the_weights_and_keeps_the_updates():
    X, y = ch05.gate_data("OR")
    one, half = ch05.perceptron_run(X, y, eta=1.0), ch05.perceptron_run(X, y, eta=0.5)
    assert one["n_updates"] == half["n_updates"]
    np.testing.assert_allclose(half["w_aug"], 0.5 * one["w_aug"])


def test_max_margin_of_and_is_one_over_root_17():
    u, gamma = ch05.max_margin(*ch05.gate_data("AND"))
    np.testing.assert_allclose(u, np.array([2, 2, -3]) / np.sqrt(17))
    assert gamma == pytest.approx(1 / np.sqrt(17))


def test_max_margin_beats_every_random_separator():
    X, y = ch05.separable_points(12, rng=3)
    u, gamma = ch05.max_margin(X, y)
    assert ch05.margin(X, y, u) == pytest.approx(gamma)
    rng = np.random.default_rng(1)
    for w in rng.normal(size=(3000, 3)):
        assert ch05.margin(X, y, w) <= gamma + 1e-12


def test_xor_is_not_separable_and_the_rule_cycles():
    X, y = ch05.gate_data("XOR")
    assert ch05.max_margin(X, y)[1] == 0 and np.isinf(ch05.novikoff_bound(X, y))
    run = ch05.perceptron_run(X, y, max_updates=200)
    assert not run["converged"] and run["n_updates"] == 200


@pytest.mark.parametrize("seed", range(5))
def test_random_separable_runs_respect_the_bound(seed):
    X, y = ch05.separable_points(14, gap=0.05, rng=seed)
    run = ch05.perceptron_run(X, y, max_updates=100_000)
    assert run["converged"] and run["n_updates"] <= ch05.novikoff_bound(X, y)


def test_radius_counts_the_bias_coordinate():
    X = np.array([[0.0, 0.2], [0.2, 0.2]])
    assert ch05.radius(X) == pytest.approx(np.sqrt(0.08 + 1))


# ------------------------------------------------------------------ the training view

def test_training_frames_start_at_zero_and_separable_sets_end_clean():
    for name in ("separable", "AND"):
        frames = ch05.training_frames(name)
        assert np.all(frames["weights"][0] == 0) and frames["wrong"][0].all()
        assert frames["converged"] and not frames["wrong"][-1].any()
        assert frames["n_updates"] <= frames["bound"]
    xor = ch05.training_frames("XOR")
    assert not xor["converged"] and xor["wrong"].sum(axis=1).min() >= 1
    assert len(xor["weights"]) == ch05.MAX_SHOWN_UPDATES + 1


def test_each_frame_is_one_update_at_the_point_it_names():
    frames = ch05.training_frames("separable")
    Xa = ch05.augment(frames["X"])
    s = ch05.signs(frames["y"])
    for k, i in enumerate(frames["points"], start=1):
        before = frames["weights"][k - 1]
        assert s[i] * (before @ Xa[i]) <= 0  # the point was wrong (or on the line)
        np.testing.assert_allclose(frames["weights"][k], before + s[i] * Xa[i])


def test_training_widget_caption_follows_the_slider():
    widget = ch05.training_widget("AND", k=0)
    assert widget.data["k"] == 0 and "update 0 of at most 51" in widget.data["caption"]
    widget.controls["k"].value = 18
    assert widget.data["n_wrong"] == 0 and "0 points wrong" in widget.data["caption"]
    widget.controls["k"].value = 40  # past the end: the last frame stays
    assert widget.data["k"] == 18
    widget.controls["name"].value = "XOR"
    assert "no bound" in widget.data["caption"] and widget.data["n_wrong"] >= 1
    widget.controls["k"].value = 8  # every 4 updates XOR's rule is back at w̃ = 0
    assert not widget.data["w_aug"].any() and "back at the start" in widget.data["caption"]


# ------------------------------------------------------------------ kernel-free widgets

def test_neuron_vega_has_every_control_and_fits():
    widget = ch05.neuron_vega(validate=True)  # against the Vega-Lite schema
    assert widget.controls == ["w1", "w2", "b", "c", "gate"]
    assert len(widget._json) < 200_000
    params = {p["name"]: p for p in widget.spec["params"]}
    assert params["gate"]["bind"]["options"] == ["AND", "OR", "NAND", "XOR"]
    assert params["c"]["bind"]["min"] > 0


def test_neuron_vega_formula_matches_the_python_boundary():
    # The page draws the line foot + t·(-w2, w1)/‖w‖; evaluate its formula as Vega would.
    spec = json.dumps(ch05.neuron_vega().spec)
    assert "-b * w1 / (w1 * w1 + w2 * w2) - datum.t * w2 / sqrt(w1 * w1 + w2 * w2)" in spec
    w1, w2, b = 0.7, -1.3, 0.4
    for t in (-1.0, 0.5):
        x1 = -b * w1 / (w1 * w1 + w2 * w2) - t * w2 / np.sqrt(w1 * w1 + w2 * w2)
        x2 = -b * w2 / (w1 * w1 + w2 * w2) + t * w1 / np.sqrt(w1 * w1 + w2 * w2)
        assert w1 * x1 + w2 * x2 + b == pytest.approx(0, abs=1e-12)


def test_training_vega_carries_every_frame_of_every_set():
    widget = ch05.training_vega(validate=True)
    assert widget.controls == ["data", "k"]
    values = [layer["data"]["values"] for layer in widget.spec["layer"]]
    captions = values[-1]
    for name in ch05.TRAINING_SETS:
        frames = ch05.training_frames(name)
        mine = [c for c in captions if c["data"] == name]
        assert len(mine) == len(frames["weights"])
        assert all(c["last"] == len(frames["weights"]) - 1 for c in mine)
    assert len(widget._json) < 1_000_000


def test_training_vega_regions_find_the_weights_of_every_frame():
    spec = ch05.training_vega().spec
    regions = spec["layer"][0]
    lookup = next(t for t in regions["transform"] if "lookup" in t)
    keys = {row["key"] for row in lookup["from"]["data"]["values"]}
    for name in ch05.TRAINING_SETS:
        n = len(ch05.training_frames(name)["weights"])
        assert {f"{name}:{k}" for k in range(n)} <= keys
