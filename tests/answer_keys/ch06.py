"""Chapter 6's answer key against typical learner answers (the contract is in
tests/test_answer_keys.py): WRONG_ANSWERS lists, for each part, at least three typical wrong
answers with a phrase its feedback must contain; RIGHT_ANSWERS lists correct answers written
differently from the solutions notebook."""
from __future__ import annotations

import numpy as np
import sympy as sp

from nnlib import sigmoid
from nnlib.exercises import ch06

from .learner_code import crashes, endless, forgets_return, returns_nan

w, x, u, v = sp.symbols("w x u v")
D, G_A1, A1, Z1, X, W2 = (ch06.delta_64, ch06.G_A1_64, ch06.A1_64, ch06.Z1_64, ch06.X_64,
                          ch06.W2_64)


def grad_W_in_place(X, G):
    G *= 1.0  # harmless, but an in-place change of an input
    X += 0.0
    G[0, 0] += 1.0
    return G.T @ X


def grad_W_loop(X, G):
    """Right, sample by sample: the sum of the outer products gₙ xₙᵀ."""
    total = np.zeros((G.shape[1], X.shape[1]))
    for g_n, x_n in zip(G, X):
        total += np.outer(g_n, x_n)
    return total


def tanh_backward_in_place(Y, G):
    G *= 1 - Y**2
    return G


WRONG_ANSWERS = [
    # 6.1a: dL/dW = Gᵀ X
    ("6.1a", lambda X, G: X.T @ G, "transpose of the gradient"),
    ("6.1a", lambda X, G: G.T @ X / len(X), "you divided by N"),
    ("6.1a", lambda X, G: G[:1].T @ X[:1], "first sample's contribution"),
    ("6.1a", lambda X, G: G * X, "expected shape (3, 3)"),
    ("6.1a", grad_W_in_place, "in place"),
    ("6.1a", endless, "did not finish within"),
    ("6.1a", forgets_return, "forget `return`"),
    ("6.1a", "G.T @ X", "not a function"),
    # 6.1b: dL/db = Σₙ G
    ("6.1b", lambda G: G.mean(axis=0), "you averaged over the batch"),
    ("6.1b", lambda G: G.sum(axis=1), "summed each row"),
    ("6.1b", lambda G: G[0], "first sample's row"),
    ("6.1b", lambda G: G, "returned shape (3, 3)"),
    ("6.1b", crashes, "raised ZeroDivisionError"),
    # 6.1c: dL/dX = G W
    ("6.1c", lambda G, W: G @ W.T, "forward pass's pattern"),
    ("6.1c", lambda G, W: W.T @ G.T, "expected shape (4, 3)"),
    ("6.1c", lambda G, W: G @ W / len(G), "you divided by N"),
    ("6.1c", lambda G, W: W @ G, "raised ValueError"),
    # 6.1d: the shape of dL/dW
    ("6.1d", (784, 40), "(in, out)"),
    ("6.1d", (32, 40), "shape of G"),
    ("6.1d", (32, 784), "shape of X"),
    ("6.1d", (32, 40, 784), "summed over"),
    ("6.1d", "(40, 784)", "tuple of whole numbers"),
    ("6.1d", np.zeros((40, 784)), "not the array itself"),
    ("6.1d", (40, 785), "is wrong"),
    ("6.1d", None, "None"),
    # 6.2a: tanh backward from Y
    ("6.2a", lambda Y, G: G * (1 - np.tanh(Y) ** 2), "applied tanh' to the output"),
    ("6.2a", lambda Y, G: 1 - Y**2, "multiplies it by the incoming gradient G"),
    ("6.2a", lambda Y, G: G * (1 - Y), "square Y"),
    ("6.2a", lambda Y, G: G * (Y**2 - 1), "the sign"),
    ("6.2a", tanh_backward_in_place, "in place"),
    ("6.2a", returns_nan, "returned nan"),
    # 6.2b: sigmoid backward from Y
    ("6.2b", lambda Y, G: G * sigmoid(Y) * (1 - sigmoid(Y)), "applied σ' to the output"),
    ("6.2b", lambda Y, G: Y * (1 - Y), "multiplies it by the incoming gradient G"),
    ("6.2b", lambda Y, G: G * Y * (Y - 1), "the sign"),
    ("6.2b", lambda Y, G: G * (1 - Y), "only one factor"),
    ("6.2b", lambda Y, G: float(np.sum(G * Y * (1 - Y))), "expected shape (4, 3)"),
    # 6.2c: ReLU backward
    ("6.2c", lambda Z, G: G * np.maximum(Z, 0), "ReLU(Z) itself"),
    ("6.2c", lambda Z, G: (Z > 0).astype(float), "multiplies it by the incoming gradient G"),
    ("6.2c", lambda Z, G: G * (Z >= 0), "kink"),
    ("6.2c", lambda Z, G: G * (Z < 0), "swapped"),
    ("6.2c", lambda Z, G: G, "returned"),
    # 6.3a: ∂L/∂v = u
    ("6.3a", v, "∂L/∂u along the direct edge"),
    ("6.3a", sp.exp(u), "local derivative of v"),
    ("6.3a", w * x, "written in u, v only"),
    ("6.3a", -u, "wrong sign"),
    # 6.3b: dL/du = eᵘ + u eᵘ
    ("6.3b", sp.exp(u), "direct path only"),
    ("6.3b", u * sp.exp(u), "path through v only"),
    ("6.3b", u * sp.exp(2 * u), "multiplied the two paths"),
    ("6.3b", sp.exp(u) + u * v, "written in u only"),
    ("6.3b", 2 * (1 + u) * sp.exp(u), "2 times the right answer"),
    # 6.3c: dL/dw = (1 + wx) e^(wx) x
    ("6.3c", (1 + w * x) * sp.exp(w * x), "du/dw = x"),
    ("6.3c", sp.exp(w * x) * x, "see 6.3b"),
    ("6.3c", w * x * sp.exp(w * x) * x, "see 6.3b"),
    ("6.3c", (1 + u) * sp.exp(u) * x, "written in w, x only"),
    # 6.4a: dL/dŷ of the MSE
    ("6.4a", lambda yh, y: 2 * (yh - y), "divide by the number of entries"),
    ("6.4a", lambda yh, y: (yh - y) / yh.size, "factor 2"),
    ("6.4a", lambda yh, y: 2 * (y - yh) / yh.size, "the sign"),
    ("6.4a", lambda yh, y: 2 * (yh - y) / len(yh), "divided by N only"),
    ("6.4a", lambda yh, y: float(np.mean((yh - y) ** 2)), "expected shape (4, 1)"),
    # 6.4b: delta of the hidden layer
    ("6.4b", G_A1, "f' factor of the hidden layer is missing"),
    ("6.4b", G_A1 * (1 - Z1**2), "you put Z₁ into the formula"),
    ("6.4b", G_A1 * (1 - np.tanh(A1) ** 2), "applied tanh' to A₁"),
    ("6.4b", (2 * (ch06.Yhat_64 - ch06.Y_64)) @ W2 * (1 - A1**2), "1/N of the mean"),
    ("6.4b", D.T, "expected shape (4, 3)"),
    ("6.4b", D * 1.1, "the entry at index (1, 0)"),
    # 6.4c: dL/dW1
    ("6.4c", G_A1.T @ X, "see 6.4b"),
    ("6.4c", (G_A1 * (1 - Z1**2)).T @ X, "1 - Z₁²"),
    ("6.4c", (G_A1 * (1 - np.tanh(A1) ** 2)).T @ X, "applied tanh' to A₁"),
    ("6.4c", D.T @ X / 4, "divided by N again"),
    ("6.4c", X.T @ D, "expected shape (3, 2)"),
    # 6.5a: a trained network's outputs on XOR
    ("6.5a", np.full((4, 1), 0.5), "the point (0.0, 1.0) gets the output 0.5"),
    ("6.5a", np.array([[0.1], [0.9], [0.9], [0.9]]), "the point (1.0, 1.0)"),
    ("6.5a", np.array([0.0, 1.0, 1.0, 0.0]), "expected (4, 1)"),
    ("6.5a", np.array([[np.nan], [1.0], [1.0], [0.0]]), "diverge"),
    ("6.5a", None, "None"),
    # 6.5b: the success rate of 2-2-1 networks over 20 seeds
    ("6.5b", 70, "percentage"),
    ("6.5b", 14, "number of seeds"),
    ("6.5b", 0.3, "failed"),
    ("6.5b", "0.7", "without quotes"),
    # 6.6a: the faulty layer
    ("6.6a", 3, "numbered from 0"),
    ("6.6a", 1, "sigmoid"),
    ("6.6a", 0, "layer 0"),
    ("6.6a", 4, "layer 4"),
    # 6.6b: the faulty array
    ("6.6b", "W", "weight gradient is right"),
    ("6.6b", "input", "dL/dX is right"),
    ("6.6b", "bias", "not one of the choices"),
    ("6.6b", 2, "give one of the strings"),
    # 6.6c: faulty / right
    ("6.6c", 5, "right gradient divided by the faulty one"),
    ("6.6c", 1, "not equal"),
    ("6.6c", 0.8, "too large"),
    ("6.6c", [0.2, 0.2, 0.2, 0.2], "give one number"),
]

RIGHT_ANSWERS = [
    ("6.1a", grad_W_loop),
    ("6.1a", lambda X, G: (X.T @ G).T),
    ("6.1a", lambda X, G: np.einsum("no,ni->oi", G, X)),
    ("6.1b", lambda G: np.ones(len(G)) @ G),
    ("6.1c", lambda G, W: (W.T @ G.T).T),
    ("6.1d", [40, 784]),
    ("6.1d", np.zeros((40, 784)).shape),
    ("6.2a", lambda Y, G: G - G * Y * Y),
    ("6.2b", lambda Y, G: G * (Y - Y**2)),
    ("6.2c", lambda Z, G: np.where(Z > 0, G, 0.0)),
    ("6.3a", "u"),
    ("6.3b", (1 + u) * sp.exp(u)),
    ("6.3b", sp.diff(u * sp.exp(u), u)),
    ("6.3c", x * sp.exp(w * x) + w * x**2 * sp.exp(w * x)),
    ("6.4a", lambda yh, y: np.mean(2 * (yh - y)) * 0 + 2 * (yh - y) / np.prod(yh.shape)),
    ("6.4b", (G_A1 * (1 - A1) * (1 + A1)).tolist()),
    ("6.4c", np.einsum("nh,ni->hi", D, X)),
    ("6.5a", np.array([[0.02], [0.97], [0.96], [0.1]])),
    ("6.5a", [[-0.3], [0.51], [1.2], [0.49]]),
    ("6.5b", 14 / 20),
    ("6.6a", np.int64(2)),
    ("6.6b", " b "),
    ("6.6b", "'b'"),
    ("6.6c", 1 / 5),
]


def test_answer_key_agrees_with_nnlib_and_sympy():
    from nnlib import MSE, check_layer

    # 6.4: the three ways (by hand, nnlib, central differences) are asserted in the key;
    # here the delta is checked against nnlib's Tanh layer.
    net = ch06.network_64()
    out = net.forward(ch06.X_64)
    g = MSE().grad(out, ch06.Y_64)
    g = net.layers[2].backward(g)
    assert np.allclose(net.layers[1].backward(g), ch06.delta_64)
    # 6.3: L = u eᵘ with u = w x
    assert sp.simplify(sp.diff(w * x * sp.exp(w * x), w) - ch06.dL_dw_63) == 0
    # 6.6: exactly one array of one layer fails the gradient check, by the factor 1/N
    net, a = ch06.suspect_network(), ch06.X_66
    failing = []
    for i, layer in enumerate(net.layers):
        errors = check_layer(layer, a)
        failing += [(i, k) for k, e in errors.items() if e > 1e-6]
        a = layer.forward(a)
    assert failing == [(ch06.BUGGY_LAYER_66, ch06.BUGGY_ARRAY_66)]
    assert ch06.FACTOR_66 == 0.2
