"""Layer behaviour: batching, shapes, dtypes, the forward/backward/update separation."""
import numpy as np
import pytest

import nnlib
from nnlib import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sigmoid, Softmax, Tanh


def make_layers(rng):
    return [
        (Dense(5, 3, rng=rng), (5,)),
        (Conv2D(2, 3, 3, padding=1, rng=rng), (2, 6, 5)),
        (MaxPool2D(2), (2, 6, 4)),
        (Flatten(), (2, 3, 4)),
        (Tanh(), (4,)),
        (Sigmoid(), (4,)),
        (ReLU(), (4,)),
        (Softmax(), (4,)),
    ]


@pytest.mark.parametrize("index", range(8))
def test_batch_of_n_equals_n_single_sample_passes(index):
    rng = np.random.default_rng(index)
    layer, sample_shape = make_layers(rng)[index]
    X = rng.standard_normal((6, *sample_shape))
    Y = layer.forward(X)
    G = rng.standard_normal(Y.shape)
    grad_in = layer.backward(G)
    batch_grads = {k: g.copy() for k, g in layer.grads.items()}
    summed = {k: np.zeros_like(g) for k, g in batch_grads.items()}
    for n in range(len(X)):
        y_n = layer.forward(X[n:n + 1])
        np.testing.assert_allclose(y_n, Y[n:n + 1], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(layer.backward(G[n:n + 1]), grad_in[n:n + 1], rtol=1e-12, atol=1e-12)
        for k in summed:
            summed[k] += layer.grads[k]
    for k in summed:  # parameter gradients of a batch are the sums over its samples
        np.testing.assert_allclose(batch_grads[k], summed[k], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("make,shape", [(lambda r: Dense(4, 3, rng=r), (5, 4)),
                                        (lambda r: Conv2D(2, 2, 3, rng=r), (3, 2, 5, 5))])
def test_backward_never_changes_params_and_uses_forward_time_weights(make, shape):
    rng = np.random.default_rng(0)
    layer = make(rng)
    before = {k: v.copy() for k, v in layer.params.items()}
    X = rng.standard_normal(shape)
    Y = layer.forward(X)
    G = rng.standard_normal(Y.shape)
    grad_in = layer.backward(G)
    for k in before:
        np.testing.assert_array_equal(layer.params[k], before[k])
    if isinstance(layer, Dense):
        np.testing.assert_allclose(grad_in, G @ before["W"])
    else:  # dL/dX from the forward-time kernel, computed independently by finite differences
        numeric = nnlib.numerical_gradient(lambda x: np.sum(layer.forward(x) * G), X.copy())
        assert nnlib.relative_error(grad_in, numeric) < 1e-6


def test_dense_forward_is_x_w_transpose_plus_b():
    layer = Dense(3, 2, rng=0)
    layer.params["W"][:] = [[1, 2, 3], [4, 5, 6]]
    layer.params["b"][:] = [10, 20]
    x = np.array([[1.0, 0.0, -1.0]])
    np.testing.assert_allclose(layer.forward(x), [[1 - 3 + 10, 4 - 6 + 20]])  # y = W x + b


def test_conv2d_matches_a_direct_loop_cross_correlation():
    rng = np.random.default_rng(1)
    layer = Conv2D(2, 3, (2, 3), padding=1, rng=rng)
    layer.params["b"][:] = rng.standard_normal(3)
    X = rng.standard_normal((2, 2, 4, 5))
    Y = layer.forward(X)
    Xp = np.pad(X, ((0, 0), (0, 0), (1, 1), (1, 1)))
    K, b = layer.params["K"], layer.params["b"]
    expected = np.zeros((2, 3, 5, 5))
    for n in range(2):
        for o in range(3):
            for i in range(5):
                for j in range(5):
                    expected[n, o, i, j] = b[o] + np.sum(K[o] * Xp[n, :, i:i + 2, j:j + 3])
    np.testing.assert_allclose(Y, expected, rtol=1e-12)


def test_conv2d_matches_scipy_correlate2d():
    from scipy.signal import correlate2d
    rng = np.random.default_rng(2)
    layer = Conv2D(1, 1, 3, rng=rng)
    x = rng.standard_normal((1, 1, 7, 6))
    expected = correlate2d(x[0, 0], layer.params["K"][0, 0], mode="valid")
    np.testing.assert_allclose(layer.forward(x)[0, 0], expected, rtol=1e-12)


def test_maxpool_picks_window_maxima_and_drops_the_ragged_edge():
    x = np.arange(30, dtype=float).reshape(1, 1, 5, 6)
    y = MaxPool2D(2).forward(x)
    np.testing.assert_array_equal(y[0, 0], [[7, 9, 11], [19, 21, 23]])
    g = MaxPool2D(2)
    g.forward(x)
    grad = g.backward(np.ones((1, 1, 2, 3)))
    assert grad.sum() == 6 and grad[0, 0, 4].sum() == 0  # last row is not in any window


@pytest.mark.parametrize("layer,bad,expected_text", [
    (Dense(784, 40), np.zeros((8, 100)), "(N, 784)"),
    (Dense(784, 40), np.zeros(784), "(N, 784)"),
    (Conv2D(1, 5, 3), np.zeros((8, 28, 28)), "(N, 1, H, W)"),
    (Conv2D(3, 5, 3), np.zeros((8, 1, 28, 28)), "(N, 3, H, W)"),
])
def test_wrong_input_shape_names_layer_expected_and_actual(layer, bad, expected_text):
    with pytest.raises(ValueError) as info:
        layer.forward(bad)
    message = str(info.value)
    assert repr(layer) in message
    assert str(bad.shape) in message
    assert f"expected input of shape {expected_text}" in message


def test_wrong_shape_message_for_dense_reads_well():
    with pytest.raises(ValueError, match=r"Dense\(784 -> 40\): expected input of shape \(N, 784\), got \(8, 100\)"):
        Dense(784, 40).forward(np.zeros((8, 100)))


def test_conv2d_input_smaller_than_kernel_is_refused():
    with pytest.raises(ValueError, match="smaller than the kernel"):
        Conv2D(1, 1, 5).forward(np.zeros((1, 1, 3, 3)))


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="Dense"):
        Dense(2, 2).forward(np.array([["a", "b"]]))


@pytest.mark.parametrize("make,shape", [
    (lambda: [Dense(6, 4, dtype=np.float32, rng=0), Tanh(), Dense(4, 3, dtype=np.float32, rng=1)], (5, 6)),
    (lambda: [Conv2D(1, 2, 3, dtype=np.float32, rng=0), Sigmoid(), MaxPool2D(2), Flatten(),
              Dense(8, 3, dtype=np.float32, rng=1)], (5, 1, 6, 6)),
])
def test_float32_layers_keep_float32_work_in_float32(make, shape):
    net = nnlib.Sequential(make())
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)  # float64 input is converted once, at the first layer
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, shape[0])]
    out = net.forward(x)
    assert out.dtype == np.float32
    loss = nnlib.CrossEntropy()
    grad = loss.grad(out, y)
    assert grad.dtype == np.float32
    grad_in = net.backward(grad)
    assert grad_in.dtype == np.float32
    for layer in net.layers:
        for name in layer.params:
            assert layer.params[name].dtype == np.float32
            assert layer.grads[name].dtype == np.float32, (layer, name)
    for opt in (nnlib.SGD(0.1), nnlib.Momentum(0.1), nnlib.Adam(0.01)):
        opt.step(net)
        assert all(p.dtype == np.float32 for l in net.layers for p in l.params.values())


def test_initialisation_scales_follow_xavier_and_he():
    w_xavier = Dense(400, 200, rng=0).params["W"]
    assert abs(w_xavier.var() - 2 / 600) < 0.05 * 2 / 600
    w_he = Dense(400, 200, rng=0, init="he").params["W"]
    assert abs(w_he.var() - 2 / 400) < 0.05 * 2 / 400
    with pytest.raises(ValueError, match="init"):
        Dense(2, 2, init="zeros")


def test_seeded_layers_are_reproducible():
    a, b = Dense(5, 4, rng=7), Dense(5, 4, rng=7)
    np.testing.assert_array_equal(a.params["W"], b.params["W"])
    assert not np.array_equal(a.params["W"], Dense(5, 4, rng=8).params["W"])


def test_layer_reprs_read_like_the_maths():
    assert repr(Dense(784, 40)) == "Dense(784 -> 40)"
    assert repr(Conv2D(1, 5, 3)) == "Conv2D(1 -> 5, 3x3)"
    assert repr(MaxPool2D(2)) == "MaxPool2D(2)"
    assert repr(Tanh()) == "Tanh()"
    assert "Dense(784 -> 40)" in repr(nnlib.Sequential([Dense(784, 40), Tanh()]))


def test_params_and_grads_have_the_same_keys_and_shapes():
    for layer in (Dense(3, 2), Conv2D(2, 3, 3), MaxPool2D(2), Tanh(), Flatten()):
        assert layer.params.keys() == layer.grads.keys()
        for k in layer.params:
            assert layer.params[k].shape == layer.grads[k].shape


@pytest.mark.parametrize("layer", [Dense(2, 2), Conv2D(1, 1, 2), MaxPool2D(2), Flatten(), Tanh(),
                                   Sigmoid(), ReLU(), Softmax()], ids=repr)
def test_backward_before_forward_is_a_clear_error(layer):
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((1, 2)))


def test_maxpool_sends_the_gradient_to_the_first_maximum_on_ties():
    pool = MaxPool2D(2)
    x = np.array([[[[1.0, 3.0], [3.0, 3.0]]]])  # three equal maxima in one window
    pool.forward(x)
    grad = pool.backward(np.array([[[[5.0]]]]))
    np.testing.assert_array_equal(grad[0, 0], [[0.0, 5.0], [0.0, 0.0]])
