"""Optimisers: the update formulas, and convergence on a quadratic whose minimum is known."""
import numpy as np
import pytest

import nnlib
from nnlib import SGD, Adam, Dense, Momentum
from nnlib.layers import Layer


class Quadratic(Layer):
    """L(θ) = ½ (θ - θ*)ᵀ A (θ - θ*), minimum at θ*; ``compute_grad`` fills grads."""

    def __init__(self, A, target):
        super().__init__()
        self.A, self.target = np.asarray(A, float), np.asarray(target, float)
        self.params["theta"] = np.zeros_like(self.target)
        self.grads["theta"] = np.zeros_like(self.target)

    def compute_grad(self):
        self.grads["theta"] = self.A @ (self.params["theta"] - self.target)


@pytest.mark.parametrize("optimizer,steps", [(SGD(0.1), 300), (Momentum(0.05, 0.9), 300),
                                             (Adam(0.05), 1500)])
def test_optimisers_reach_the_minimum_of_a_quadratic(optimizer, steps):
    layer = Quadratic([[3.0, 0.5], [0.5, 1.0]], [1.0, -2.0])
    for _ in range(steps):
        layer.compute_grad()
        optimizer.step([layer])
    np.testing.assert_allclose(layer.params["theta"], [1.0, -2.0], atol=1e-4)


def test_sgd_step_is_theta_minus_lr_times_grad():
    layer = Quadratic(np.eye(2), [0.0, 0.0])
    layer.params["theta"][:] = [1.0, 2.0]
    layer.grads["theta"] = np.array([0.5, -1.0])
    SGD(0.1).step([layer])
    np.testing.assert_allclose(layer.params["theta"], [0.95, 2.1])


def test_momentum_accumulates_velocity():
    layer = Quadratic(np.eye(1), [0.0])
    opt = Momentum(1.0, beta=0.5)
    layer.grads["theta"] = np.array([1.0])
    opt.step([layer])   # v = 1
    opt.step([layer])   # v = 0.5·1 + 1 = 1.5
    np.testing.assert_allclose(layer.params["theta"], [-2.5])


def test_adam_first_step_has_size_lr_whatever_the_gradient_scale():
    for scale in (1e-2, 1.0, 1e4):  # (much smaller, and ε = 1e-8 starts to show)
        layer = Quadratic(np.eye(2), [0.0, 0.0])
        layer.grads["theta"] = np.array([scale, -scale])
        Adam(0.01).step([layer])
        np.testing.assert_allclose(layer.params["theta"], [-0.01, 0.01], rtol=1e-5)


def test_adam_matches_the_textbook_formulas_over_several_steps():
    rng = np.random.default_rng(0)
    grads = rng.standard_normal((5, 3))
    layer = Quadratic(np.eye(3), np.zeros(3))
    opt = Adam(0.1, 0.9, 0.99, 1e-8)
    theta, m, s = np.zeros(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        layer.grads["theta"] = g
        opt.step([layer])
        m = 0.9 * m + 0.1 * g
        s = 0.99 * s + 0.01 * g * g
        theta -= 0.1 * (m / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.99 ** t)) + 1e-8)
    np.testing.assert_allclose(layer.params["theta"], theta, rtol=1e-10)


def test_step_accepts_a_sequential_and_updates_in_place():
    net = nnlib.Sequential([nnlib.Dense(2, 2, rng=0)])
    W = net.layers[0].params["W"]
    before = W.copy()
    net.layers[0].grads["W"] = np.ones((2, 2))
    SGD(0.5).step(net)
    assert net.layers[0].params["W"] is W  # same array, changed in place
    np.testing.assert_allclose(W, before - 0.5)


def test_learning_rate_must_be_positive():
    with pytest.raises(ValueError, match="lr"):
        SGD(0)


@pytest.mark.parametrize("optimizer", [SGD(0.1), Momentum(0.1), Adam(0.1)],
                         ids=["SGD", "Momentum", "Adam"])
def test_a_gradient_of_the_wrong_shape_is_refused_with_both_shapes(optimizer):
    layer = Dense(3, 2, rng=0)
    layer.grads = {"W": np.ones((3, 2)), "b": np.ones(2)}   # W's gradient transposed
    before = layer.params["W"].copy()
    with pytest.raises(ValueError, match=r"gradient 'W' has shape \(3, 2\), parameter has shape \(2, 3\)"):
        optimizer.step([layer])
    np.testing.assert_array_equal(layer.params["W"], before)
