"""Sequential and fit: learning XOR and MNIST, history, divergence and bad input."""
import numpy as np
import pytest

import nnlib
from nnlib import (MSE, SGD, Adam, BinaryCrossEntropy, CrossEntropy, Dense, Momentum, ReLU,
                   Sequential, Sigmoid, Tanh)


def test_xor_reaches_100_percent_accuracy_with_a_fixed_seed():
    X, y = nnlib.xor()
    net = Sequential([Dense(2, 3, rng=0), Tanh(), Dense(3, 1, rng=1), Sigmoid()])
    history = net.fit(X, y, BinaryCrossEntropy(), SGD(0.5), epochs=2000, batch_size=4,
                      rng=0, progress=False)
    assert history.accuracy[-1] == 1.0
    assert net.evaluate(X, y, BinaryCrossEntropy())["accuracy"] == 1.0
    np.testing.assert_array_equal(net.predict(X) > 0.5, y == 1)


def test_training_is_reproducible_with_the_same_seeds():
    def run():
        X, y = nnlib.moons(100, noise=0.1, rng=3)
        net = Sequential([Dense(2, 8, rng=1), Tanh(), Dense(8, 1, rng=2)])
        net.fit(X, y, BinaryCrossEntropy(from_logits=True), Adam(0.01), epochs=5, batch_size=10,
                rng=4, progress=False)
        return net.predict(X)
    np.testing.assert_array_equal(run(), run())


def test_dense_net_reaches_90_percent_on_held_out_mnist_images():
    # 10,000 training images for three epochs, scored on 2,000 images it never saw.
    (x_train, y_train), (x_test, y_test) = nnlib.load_mnist(subset=10_000, flatten=True)
    x_test, y_test = x_test[:2000], y_test[:2000]
    net = Sequential([Dense(784, 128, rng=0, dtype=np.float32, init="he"), ReLU(),
                      Dense(128, 10, rng=1, dtype=np.float32)])
    history = net.fit(x_train, y_train, CrossEntropy(), Momentum(0.05, 0.9), epochs=3,
                      batch_size=32, rng=0, progress=False, validation_data=(x_test, y_test))
    assert history.val_accuracy[-1] >= 0.90, history
    assert net.evaluate(x_test, y_test, CrossEntropy())["accuracy"] == history.val_accuracy[-1]


def test_history_counts_epochs_and_steps_separately():
    X, y = nnlib.moons(100, rng=0)
    net = Sequential([Dense(2, 4, rng=0), Tanh(), Dense(4, 1, rng=1), Sigmoid()])
    history = net.fit(X, y, BinaryCrossEntropy(), SGD(0.1), epochs=3, batch_size=32,
                      rng=0, progress=False, validation_data=(X, y))
    assert history.epochs == 3
    assert len(history.batch_loss) == 3 * 4  # ceil(100 / 32) = 4 steps (weight updates) per epoch
    assert len(history.val_loss) == len(history.val_accuracy) == 3
    assert all(0 <= a <= 1 for a in history.accuracy)


def test_regression_history_has_no_accuracy():
    X = np.linspace(-1, 1, 20)[:, None]
    net = Sequential([Dense(1, 1, rng=0)])
    history = net.fit(X, 3 * X + 0.5, MSE(), SGD(0.3), epochs=200, batch_size=20, progress=False)
    assert history.accuracy[-1] is None
    np.testing.assert_allclose(net.layers[0].params["W"], [[3.0]], atol=1e-3)
    np.testing.assert_allclose(net.layers[0].params["b"], [0.5], atol=1e-3)


def test_fit_stops_with_advice_when_the_loss_becomes_nan_or_inf():
    X = np.random.default_rng(0).standard_normal((64, 3)) * 10
    y = X @ np.array([[1.0], [2.0], [3.0]])
    net = Sequential([Dense(3, 1, rng=0)])
    with pytest.raises(nnlib.DivergedError, match="smaller learning rate") as info:
        net.fit(X, y, MSE(), SGD(10.0), epochs=50, batch_size=8, progress=False)
    assert "lr=1" in str(info.value)  # suggests a concrete, ten times smaller value
    assert isinstance(info.value, FloatingPointError)


def test_fit_refuses_mismatched_x_and_y_lengths():
    net = Sequential([Dense(2, 1, rng=0)])
    with pytest.raises(ValueError, match="x has 10 rows, y has 9"):
        net.fit(np.zeros((10, 2)), np.zeros((9, 1)), MSE(), SGD(0.1), progress=False)


def test_fit_does_not_compute_the_first_layers_input_gradient():
    calls = []

    class Spy(Dense):
        def backward(self, grad_out, input_grad=True):
            calls.append(input_grad)
            return super().backward(grad_out, input_grad)

    net = Sequential([Spy(2, 3, rng=0), Tanh(), Spy(3, 1, rng=1)])
    net.fit(np.zeros((4, 2)), np.zeros((4, 1)), MSE(), SGD(0.1), batch_size=4, progress=False)
    assert calls == [True, False]  # last layer first; the first layer is told not to bother


def test_fit_shows_a_progress_bar_that_can_be_switched_off(capsys):
    X, y = nnlib.xor()
    net = Sequential([Dense(2, 1, rng=0)])
    net.fit(X, y, MSE(), SGD(0.1), epochs=2, batch_size=2, progress=True)
    assert "step" in capsys.readouterr().err
    net.fit(X, y, MSE(), SGD(0.1), epochs=2, batch_size=2, progress=False)
    assert capsys.readouterr().err == ""


def test_predict_in_batches_equals_one_forward_pass():
    net = Sequential([Dense(5, 3, rng=0), Tanh()])
    X = np.random.default_rng(0).standard_normal((50, 5))
    np.testing.assert_allclose(net.predict(X, batch_size=7), net.forward(X))


def test_summary_counts_parameters():
    net = Sequential([Dense(784, 40), Tanh(), Dense(40, 10)])
    assert net.n_params == 784 * 40 + 40 + 40 * 10 + 10
    assert "31,810" in net.summary()


class _Recorder:
    """A layer that remembers every batch it sees and passes it on unchanged."""

    params, grads = {}, {}

    def __init__(self):
        self.batches = []

    def forward(self, X):
        self.batches.append(np.array(X))
        return X

    def backward(self, grad_out, input_grad=True):
        return grad_out


def test_epoch_loss_is_the_sample_weighted_mean_of_the_batch_losses():
    # 5 samples in batches of 2, 2 and 1: the last batch weighs half as much as the others.
    X = np.arange(5.0).reshape(5, 1)
    y = np.zeros((5, 1))
    net = Sequential([Dense(1, 1, rng=0)])
    net.layers[0].params["W"][:] = 1.0
    net.layers[0].params["b"][:] = 0.0
    history = net.fit(X, y, MSE(), SGD(1e-12), epochs=1, batch_size=2, shuffle=False,
                      progress=False)
    assert history.batch_loss == pytest.approx([0.5, 6.5, 16.0])
    assert history.loss[0] == pytest.approx(np.mean(X**2))  # (0+1+4+9+16)/5 = 6, not 23/3


def test_without_shuffle_each_batch_keeps_its_own_targets_in_order():
    X = np.arange(7.0).reshape(7, 1)
    y = 10 * X
    recorder = _Recorder()
    seen_targets = []

    class RecordingLoss(MSE):
        def value(self, y_pred, y_true):
            seen_targets.append(np.array(y_true))
            return super().value(y_pred, y_true)

    Sequential([recorder]).fit(X, y, RecordingLoss(), SGD(0.1), epochs=1, batch_size=3,
                               shuffle=False, progress=False)
    assert [b.ravel().tolist() for b in recorder.batches] == [[0, 1, 2], [3, 4, 5], [6]]
    for xb, yb in zip(recorder.batches, seen_targets):
        np.testing.assert_array_equal(yb, 10 * xb)


def test_shuffle_pairs_inputs_with_their_targets_and_follows_rng():
    X = np.arange(12.0).reshape(12, 1)
    y = 10 * X

    def order(rng):
        recorder, targets = _Recorder(), []

        class RecordingLoss(MSE):
            def value(self, y_pred, y_true):
                targets.append(np.array(y_true))
                return super().value(y_pred, y_true)

        Sequential([recorder]).fit(X, y, RecordingLoss(), SGD(0.1), epochs=2, batch_size=4,
                                   rng=rng, progress=False)
        for xb, yb in zip(recorder.batches, targets):
            np.testing.assert_array_equal(yb, 10 * xb)
        return np.concatenate(recorder.batches).ravel()

    first, again, other = order(3), order(3), order(4)
    np.testing.assert_array_equal(first, again)          # the same seed, the same order
    assert not np.array_equal(first, other)               # another seed, another order
    assert not np.array_equal(first[:12], X.ravel())      # really shuffled
    assert not np.array_equal(first[:12], first[12:])     # a new order every epoch
    assert sorted(first[:12]) == X.ravel().tolist()       # every sample once per epoch


def test_predict_runs_in_batches_of_batch_size():
    recorder = _Recorder()
    out = Sequential([recorder]).predict(np.arange(10.0).reshape(10, 1), batch_size=4)
    assert [len(b) for b in recorder.batches] == [4, 4, 2]
    np.testing.assert_array_equal(out.ravel(), np.arange(10.0))
