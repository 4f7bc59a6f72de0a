"""Chapter 9's figures: momentum's rate map against the derived interval, depth profiles."""
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nnlib import Momentum  # noqa: E402
from nnlib.widgets import ch09  # noqa: E402


@pytest.mark.parametrize("beta", [0.0, 0.3, 0.9])
def test_rate_crosses_one_exactly_at_two_times_one_plus_beta(beta):
    edge = 2 * (1 + beta)          # λ_max = 1
    assert ch09.momentum_rate(0.99 * edge, beta, 10) < 1
    assert ch09.momentum_rate(1.01 * edge, beta, 10) > 1


def test_rate_is_the_spectral_radius_of_the_step_matrix():
    for lr, beta in [(0.3, 0.2), (1.7, 0.6), (3.5, 0.9)]:
        expected = max(max(abs(np.linalg.eigvals(ch09.momentum_matrix(lr, beta, lam))))
                       for lam in ch09.curvatures(10))
        assert ch09.momentum_rate(lr, beta, 10) == pytest.approx(expected, rel=1e-9)


def test_path_is_nnlib_momentum():
    class P:
        params = {"t": ch09.THETA0.copy()}
        grads = {"t": np.zeros(2)}
    lam, opt = ch09.curvatures(10), Momentum(0.7, beta=0.6)
    for _ in range(15):
        P.grads["t"] = lam * P.params["t"]
        opt.step([P])
    np.testing.assert_allclose(ch09.momentum_path(0.7, 0.6, 10, 15)[-1], P.params["t"], rtol=1e-12)


def test_best_momentum_has_the_square_root_rate():
    lr, beta, rate = ch09.best_momentum(100)
    assert rate == pytest.approx(9 / 11)
    assert ch09.momentum_rate(lr, beta, 100) == pytest.approx(rate, abs=1e-6)


def test_he_keeps_relu_activations_level_and_xavier_halves_their_variance():
    he = ch09.depth_profile("He: Var(w) = 2/n", 40)["activation_std"]
    xavier = ch09.depth_profile("Xavier: Var(w) = 2/(n + n)", 40)["activation_std"]
    assert 0.5 < he[-1] / he[0] < 2
    per_layer = (xavier[-1] / xavier[0]) ** (1 / 39)
    assert per_layer == pytest.approx(math.sqrt(0.5), rel=0.05)


def test_grad_norms_match_central_differences_on_a_small_network():
    # depth_profile's backward: L = mean of the last outputs, compared on one weight.
    import nnlib.widgets.ch09 as m
    weights, inputs, pre = m._forward("He: Var(w) = 2/n", 3, "sigmoid", 8, 5, 0)
    norms = m._grad_norms(weights, inputs, pre, 3, "sigmoid")

    def loss(W0):
        a = inputs[0]
        for layer, W in enumerate([W0, *weights[1:]]):
            a = m.sigmoid(a @ W.T)
        return a.mean()

    W0, h = weights[0].copy(), 1e-6
    numeric = np.zeros_like(W0)
    for i in np.ndindex(W0.shape):
        up, down = W0.copy(), W0.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (loss(up) - loss(down)) / (2 * h)
    assert norms[0] == pytest.approx(np.linalg.norm(numeric), rel=1e-6)


def test_live_widgets_redraw_for_each_control():
    w = ch09.momentum_widget()
    before = w.data["rate"]
    w.controls["beta"].value = 0.9
    assert w.data["rate"] != before
    w.controls["kappa"].value = 50
    assert w.data["rate"] == pytest.approx(float(ch09.momentum_rate(1.0, 0.9, 50)))
    d = ch09.depth_widget(depth=10)
    d.controls["activation"].value = "sigmoid"
    assert len(d.data["grad_norm"]) == 10
    d.controls["depth"].value = 20
    assert len(d.data["activation_std"]) == 20
    assert "caption" in ch09.draw_depth(Figure(), "small: std 0.01", 5)


def test_kernel_free_charts_have_every_control():
    assert ch09.momentum_vega().controls == ["lr", "beta", "kappa"]
    assert ch09.depth_vega().controls == ["init", "activation", "depth"]
