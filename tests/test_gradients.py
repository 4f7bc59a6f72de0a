"""Every layer and loss: backward agrees with central differences (float64, rel. error < 1e-6)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import (MSE, BinaryCrossEntropy, Conv2D, CrossEntropy, Dense, Flatten, MaxPool2D,
                   ReLU, Reshape, Sigmoid, Softmax, Tanh, check_layer, check_loss)

TOL = 1e-6


def assert_all_small(errors):
    assert errors, "no arrays were checked"
    for name, err in errors.items():
        assert err < TOL, f"{name}: relative error {err:.2e}"


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 5), d_in=st.integers(1, 6), d_out=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_dense_grad_matches_central_differences(n, d_in, d_out, seed):
    rng = np.random.default_rng(seed)
    layer = Dense(d_in, d_out, rng=rng)
    layer.params["b"][:] = rng.standard_normal(d_out)  # nonzero bias: test its gradient too
    assert_all_small(check_layer(layer, rng.standard_normal((n, d_in)), rng=seed))


@settings(max_examples=12, deadline=None)
@given(n=st.integers(1, 3), c_in=st.integers(1, 3), c_out=st.integers(1, 3),
       k=st.integers(1, 3), extra=st.integers(0, 3), padding=st.integers(0, 2),
       seed=st.integers(0, 10**6))
def test_conv2d_grad_matches_central_differences(n, c_in, c_out, k, extra, padding, seed):
    rng = np.random.default_rng(seed)
    layer = Conv2D(c_in, c_out, k, padding=padding, rng=rng)
    layer.params["b"][:] = rng.standard_normal(c_out)
    x = rng.standard_normal((n, c_in, k + extra, k + extra + 1))  # non-square on purpose
    assert_all_small(check_layer(layer, x, rng=seed))


def test_conv2d_rectangular_kernel_grad_matches_central_differences():
    rng = np.random.default_rng(3)
    layer = Conv2D(2, 3, (2, 3), padding=1, rng=rng)
    assert_all_small(check_layer(layer, rng.standard_normal((2, 2, 4, 5)), rng=3))


@pytest.mark.parametrize("size,shape", [(2, (2, 3, 4, 4)), (2, (1, 2, 5, 7)), (3, (2, 1, 6, 6))])
def test_maxpool_grad_matches_central_differences(size, shape):
    x = np.random.default_rng(0).standard_normal(shape)
    assert_all_small(check_layer(MaxPool2D(size), x))


@pytest.mark.parametrize("make", [Sigmoid, Tanh, ReLU, Softmax, Flatten,
                                  lambda: nnlib.Activation(np.sin, np.cos)])
@pytest.mark.parametrize("shape", [(1, 1), (4, 3), (7, 10)])
def test_parameter_free_layer_grad_matches_central_differences(make, shape):
    x = np.random.default_rng(1).standard_normal(shape) * 3
    if make is ReLU:  # keep away from the kink at 0, where no derivative exists
        x[np.abs(x) < 1e-3] = 0.5
    assert_all_small(check_layer(make(), x))


def test_reshape_grad_is_the_inverse_reshape():
    x = np.random.default_rng(2).standard_normal((3, 12))
    assert_all_small(check_layer(Reshape((12,), (3, 2, 2)), x))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 6), k=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_mse_grad_matches_central_differences(n, k, seed):
    rng = np.random.default_rng(seed)
    assert_all_small(check_loss(MSE(), rng.standard_normal((n, k)), rng.standard_normal((n, k))))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 6), k=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_binary_cross_entropy_grad_matches_central_differences(n, k, seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.05, 0.95, (n, k))
    y = rng.integers(0, 2, (n, k)).astype(float)
    assert_all_small(check_loss(BinaryCrossEntropy(), p, y))
    z = rng.uniform(-3, 3, (n, k))  # moderate logits: see the cross-entropy test below
    assert_all_small(check_loss(BinaryCrossEntropy(from_logits=True), z, y))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 6), k=st.integers(2, 6), seed=st.integers(0, 10**6))
def test_cross_entropy_grad_matches_central_differences(n, k, seed):
    rng = np.random.default_rng(seed)
    # Moderate logits: when a prediction is right with probability 1 - 1e-6, the whole
    # gradient is ~1e-6 and the central difference's round-off (~1e-10) is no longer
    # small beside it, whatever the formula.
    z = rng.uniform(-3, 3, (n, k))
    one_hot = np.eye(k)[rng.integers(0, k, n)]
    soft = rng.dirichlet(np.ones(k), n)  # probability targets
    assert_all_small(check_loss(CrossEntropy(), z, one_hot))
    assert_all_small(check_loss(CrossEntropy(), z, soft))


def test_whole_network_grad_matches_central_differences():
    rng = np.random.default_rng(5)
    net = nnlib.Sequential([Conv2D(1, 2, 3, rng=rng), Tanh(), MaxPool2D(2), Flatten(),
                            Dense(8, 3, rng=rng)])
    x, y = rng.standard_normal((2, 1, 6, 6)), np.eye(3)[[0, 2]]
    loss = CrossEntropy()
    net.backward(loss.grad(net.forward(x), y))
    for layer in net.layers:
        for name, param in layer.params.items():
            numeric = nnlib.numerical_gradient(lambda _: loss.value(net.forward(x), y), param)
            assert nnlib.relative_error(layer.grads[name], numeric) < TOL, (layer, name)


def test_gradient_check_detects_a_wrong_backward():
    """The checker itself must fail on a wrong derivative, or the tests above prove nothing."""
    wrong = nnlib.Activation(np.tanh, lambda x: 1 - np.tanh(x))  # missing the square
    errors = check_layer(wrong, np.random.default_rng(0).standard_normal((3, 4)))
    assert errors["input"] > 1e-2


@pytest.mark.parametrize("make", [nnlib.Sigmoid, nnlib.Tanh, nnlib.ReLU],
                         ids=["Sigmoid", "Tanh", "ReLU"])
def test_activation_f_prime_is_the_derivative_of_f_and_agrees_with_backward(make):
    # f_prime is public (Activation(f, f_prime)); Sigmoid and Tanh backward use the saved
    # output instead, so both routes must give the same numbers.
    layer = make()
    z = np.linspace(-3, 3, 13) + 0.05   # away from ReLU's kink at 0
    slope = (layer.f(z + 1e-6) - layer.f(z - 1e-6)) / 2e-6
    np.testing.assert_allclose(layer.f_prime(z), slope, rtol=1e-6, atol=1e-9)
    layer.forward(z)
    np.testing.assert_allclose(layer.backward(np.ones_like(z)), layer.f_prime(z), rtol=1e-12)
