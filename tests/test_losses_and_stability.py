"""Loss values against hand-computed and PyTorch-convention references; extreme inputs stay finite."""
import warnings

import numpy as np
import pytest

import nnlib
from nnlib import MSE, BinaryCrossEntropy, CrossEntropy, Sigmoid, Softmax


def test_mse_is_the_mean_over_all_elements():
    y_pred, y_true = np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[1.0, 0.0], [0.0, 5.0]])
    assert MSE().value(y_pred, y_true) == pytest.approx((0 + 4 + 9 + 0) / 4)


def test_binary_cross_entropy_is_the_mean_over_all_elements():
    p, y = np.array([[0.9], [0.2]]), np.array([[1.0], [0.0]])
    expected = -(np.log(0.9) + np.log(0.8)) / 2
    assert BinaryCrossEntropy().value(p, y) == pytest.approx(expected)
    z = np.log(p / (1 - p))  # the same probabilities as logits
    assert BinaryCrossEntropy(from_logits=True).value(z, y) == pytest.approx(expected)


def test_cross_entropy_is_the_mean_over_samples_of_each_sum():
    z = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]])
    y = np.array([[1.0, 0, 0], [0, 0, 1.0]])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    expected = -(np.log(p[0, 0]) + np.log(p[1, 2])) / 2
    assert CrossEntropy().value(z, y) == pytest.approx(expected)
    assert CrossEntropy().value(z, np.array([0, 2])) == pytest.approx(expected)  # integer labels


def test_cross_entropy_gradient_is_softmax_minus_target_over_n():
    z = np.random.default_rng(0).standard_normal((4, 3))
    y = np.eye(3)[[0, 1, 2, 1]]
    np.testing.assert_allclose(CrossEntropy().grad(z, y), (nnlib.softmax(z) - y) / 4)


def test_losses_refuse_mismatched_shapes():
    for loss in (MSE(), BinaryCrossEntropy(), CrossEntropy()):
        with pytest.raises(ValueError, match="shape"):
            loss.value(np.zeros((4, 3)), np.zeros((4, 2)))


def no_warnings(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
            return fn(*args)


def test_softmax_of_huge_logits_is_finite_and_exact():
    for dtype in (np.float64, np.float32):
        z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]], dtype=dtype)
        y = no_warnings(Softmax().forward, z)
        assert np.all(np.isfinite(y))
        np.testing.assert_allclose(y[0], [1, 0, 0], atol=1e-30)
        np.testing.assert_allclose(y[1], [1 / 3] * 3, rtol=1e-6)
        assert y.dtype == dtype


def test_sigmoid_at_plus_minus_1000_is_finite_without_warnings():
    layer = Sigmoid()
    y = no_warnings(layer.forward, np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]))
    assert y[0] == 0.0 and y[-1] == 1.0 and y[2] == 0.5
    assert np.all(np.isfinite(y))
    g = no_warnings(layer.backward, np.ones(5))
    assert np.all(np.isfinite(g))


def test_cross_entropy_of_extreme_logits_is_finite_and_correct():
    z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    y = np.array([[1.0, 0.0], [1.0, 0.0]])
    value = no_warnings(CrossEntropy().value, z, y)
    assert value == pytest.approx(1000.0)  # sample 1 is right (loss 0), sample 2 is off by 2000
    grad = no_warnings(CrossEntropy().grad, z, y)
    np.testing.assert_allclose(grad, [[0, 0], [-0.5, 0.5]])


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_binary_cross_entropy_at_0_and_1_is_finite_without_warnings(p):
    for y in (0.0, 1.0):
        pred, target = np.array([[p]]), np.array([[y]])
        value = no_warnings(BinaryCrossEntropy().value, pred, target)
        grad = no_warnings(BinaryCrossEntropy().grad, pred, target)
        assert np.isfinite(value) and np.all(np.isfinite(grad))
        if p == y:
            assert value < 1e-6  # a perfect prediction costs (almost) nothing
        else:
            assert value > 10 and np.sign(grad[0, 0]) == np.sign(p - y)  # big, and points back


def test_binary_cross_entropy_from_logits_is_stable_at_1000():
    z, y = np.array([[1000.0], [-1000.0]]), np.array([[0.0], [0.0]])
    loss = BinaryCrossEntropy(from_logits=True)
    assert no_warnings(loss.value, z, y) == pytest.approx(500.0)
    np.testing.assert_allclose(no_warnings(loss.grad, z, y), [[0.5], [0.0]])


def test_logsumexp_and_log_softmax_are_stable():
    z = np.array([[1000.0, 1000.0], [-1000.0, 0.0]])
    np.testing.assert_allclose(no_warnings(nnlib.logsumexp, z, 1), [1000 + np.log(2), 0.0])
    np.testing.assert_allclose(no_warnings(nnlib.log_softmax, z, 1)[1], [-1000.0, 0.0])


def test_accuracy_applies_to_classification_only():
    assert CrossEntropy().accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.eye(2)[[0, 0]]) == 0.5
    assert BinaryCrossEntropy().accuracy(np.array([[0.7], [0.2]]), np.array([[1.0], [1.0]])) == 0.5
    assert BinaryCrossEntropy(from_logits=True).accuracy(np.array([[0.3]]), np.array([[1.0]])) == 1.0
    assert MSE().accuracy(np.array([[0.1], [2.0]]), np.array([[0.3], [1.7]])) is None


def test_sigmoid_takes_scalars_lists_and_arrays():
    assert nnlib.sigmoid(0.0) == 0.5 and np.ndim(nnlib.sigmoid(0.0)) == 0
    assert no_warnings(nnlib.sigmoid, -1000.0) == 0.0
    np.testing.assert_allclose(nnlib.sigmoid([0.0, np.log(3.0)]), [0.5, 0.75])
    assert nnlib.sigmoid(np.zeros(3, dtype=np.float32)).dtype == np.float32
