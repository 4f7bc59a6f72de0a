"""Chapter 6, Backpropagation: the expected answers of the graded exercises and how each is judged.

The notebook is ``solutions/06-backpropagation.ipynb`` (learners get ``exercises/``).
Every expected answer below is computed (central differences, sympy, or by training with
nnlib), not typed in.

Three judges live here until a second chapter needs them (then they move to ``judges.py``):

- ``Choice``: one word out of a few (e.g. which array of a layer: "W", "b" or "input");
- ``Classifies``: outputs of a binary classifier that put every point on the right side of
  the threshold 0.5, with feedback naming the first point on the wrong side;
- ``ShapeTuple``: a shape written as a tuple of whole numbers, e.g. ``(40, 784)``;
- ``Lazy``: a judge built on its first use, for an expected answer that takes a second or
  two to compute (training twenty networks), so importing the key stays fast.

The planted bug of exercise 6.6 lives here too (``suspect_network``): learners find it
with gradient checks, not by reading this file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import sympy as sp

from ..activations import Sigmoid, Tanh, sigmoid
from ..data import xor
from ..gradcheck import numerical_gradient
from ..layers import Dense
from ..losses import MSE
from ..network import Sequential
from ..optim import SGD
from . import Exercise
from .judges import (Array, BuildsOn, Case, Expression, Function, Number, _none_feedback,
                     as_float_array, describe, fmt)

TITLE = "Backpropagation"


# ------------------------------------------------------------------------------ judges

@dataclass
class Choice:
    """One of a few words, e.g. ``"b"`` out of ``("W", "b", "input")``; case and surrounding
    spaces and quotes do not matter.  ``mistakes`` maps a wrong choice to its feedback."""

    expected: str
    options: tuple
    mistakes: dict = field(default_factory=dict)
    case_sensitive: bool = True

    def _norm(self, word: str) -> str:
        word = word.strip().strip("'\"").strip()
        return word if self.case_sensitive else word.lower()

    def __call__(self, answer, time_limit: float | None = None):
        if answer is None:
            return False, _none_feedback("a string")
        if not isinstance(answer, str):
            listed = ", ".join(repr(o) for o in self.options)
            return False, f"the answer is {describe(answer)}: give one of the strings {listed}"
        given = self._norm(answer)
        options = {self._norm(o): o for o in self.options}
        if given not in options:
            listed = ", ".join(repr(o) for o in self.options)
            return False, f"{answer!r} is not one of the choices: {listed}"
        if options[given] == self.expected:
            return True, ""
        return False, self.mistakes.get(options[given], f"{options[given]!r} is not the one")


@dataclass
class ShapeTuple:
    """A shape as a tuple (or list) of whole numbers; ``mistakes``: (shape, feedback)."""

    expected: tuple
    mistakes: tuple = ()

    def __call__(self, answer, time_limit: float | None = None):
        if answer is None:
            return False, _none_feedback("a shape")
        if isinstance(answer, np.ndarray) and answer.ndim > 1:
            return False, (f"the answer is {describe(answer)}: give its shape as a tuple "
                           "(e.g. grad.shape), not the array itself")
        if isinstance(answer, str) or not isinstance(answer, (tuple, list, np.ndarray)):
            return False, (f"the answer is {describe(answer)}: write a shape as a tuple of "
                           "whole numbers, such as (3, 4)")
        try:
            shape = tuple(int(n) for n in answer)
        except (TypeError, ValueError):
            return False, f"the answer {answer!r} is not a tuple of whole numbers"
        if any(int(n) != n for n in answer):
            return False, f"the answer {answer!r} is not a tuple of whole numbers"
        if shape == tuple(self.expected):
            return True, ""
        for wrong, message in self.mistakes:
            if tuple(wrong) == shape:
                return False, message
        return False, (f"the shape {shape} is wrong: a gradient has the shape of the array it "
                       "is the gradient with respect to")


@dataclass
class Classifies:
    """Outputs (N, 1) of a classifier for the points ``inputs`` whose targets are ``targets``
    (0 or 1): right when every output is on its target's side of ``threshold``."""

    inputs: Any
    targets: Any
    threshold: float = 0.5
    advice: str = ""

    def __call__(self, answer, time_limit: float | None = None):
        targets = np.asarray(self.targets, dtype=np.float64)
        out, why = as_float_array(answer, "an array of outputs")
        if out is None:
            return False, why
        if out.shape != targets.shape:
            return False, (f"the answer has shape {out.shape}, expected {targets.shape}: one "
                           "output per point, as the network's forward pass returns them")
        if not np.all(np.isfinite(out)):
            return False, "the outputs contain NaN or an infinity: did the training diverge?"
        predicted = out > self.threshold
        for i, (p, t) in enumerate(zip(predicted.ravel(), targets.ravel() == 1)):
            if p != t:
                point = tuple(float(v) for v in np.asarray(self.inputs)[i])
                return False, (f"the point {point} gets the output {fmt(out.ravel()[i])}, which "
                               f"is class {int(p)}; it should be class {int(t)}"
                               f" (threshold {self.threshold:g}){self.advice}")
        return True, ""


@dataclass
class Lazy:
    """A judge made by ``make()`` the first time it is needed."""

    make: Callable
    _judge: Any = None

    def __call__(self, answer, time_limit: float | None = None):
        if self._judge is None:
            self._judge = self.make()
        return self._judge(answer, time_limit)


# ------------------------------------------------------------- 6.1 a dense layer, backward
def _dense_loss(X, W, b, G):
    """The scalar whose gradients the checks use: L = Σ (X Wᵀ + b) ⊙ G, so dL/dY = G."""
    return float(np.sum((X @ W.T + b) * G))


def _grad_W_by_central_differences(X, G):
    """The judge's reference for 6.1a: dL/dW by central differences (W itself does not matter)."""
    W = np.zeros((G.shape[1], X.shape[1]))
    b = np.zeros(G.shape[1])
    return numerical_gradient(lambda M: _dense_loss(X, M, b, G), W)


def _grad_b_by_central_differences(G):
    """The judge's reference for 6.1b: dL/db by central differences."""
    X, W, b = np.zeros((G.shape[0], 1)), np.zeros((G.shape[1], 1)), np.zeros(G.shape[1])
    return numerical_gradient(lambda v: _dense_loss(X, W, v, G), b)


def _grad_X_by_central_differences(G, W):
    """The judge's reference for 6.1c: dL/dX by central differences."""
    X, b = np.zeros((G.shape[0], W.shape[1])), np.zeros(W.shape[0])
    return numerical_gradient(lambda M: _dense_loss(M, W, b, G), X)


_rng = np.random.default_rng(6)
# Square cases first: there a transposed answer still has the right shape, and the
# feedback can say what it is.
GRAD_W_CASES = [
    Case((_rng.normal(size=(4, 3)), _rng.normal(size=(4, 3))),
         "X of shape (4, 3) and G of shape (4, 3): N = 4, in = out = 3"),
    Case((_rng.normal(size=(5, 4)), _rng.normal(size=(5, 2))),
         "X of shape (5, 4) and G of shape (5, 2): N = 5, in = 4, out = 2"),
    Case((_rng.normal(size=(1, 3)), _rng.normal(size=(1, 6))),
         "X of shape (1, 3) and G of shape (1, 6): one sample"),
    Case((_rng.normal(size=(32, 7)), _rng.normal(size=(32, 1))),
         "X of shape (32, 7) and G of shape (32, 1): N = 32"),
]
GRAD_B_CASES = [
    Case((_rng.normal(size=(3, 3)),), "G of shape (3, 3): N = out = 3"),
    Case((_rng.normal(size=(5, 2)),), "G of shape (5, 2)"),
    Case((_rng.normal(size=(1, 4)),), "G of shape (1, 4): one sample"),
]
GRAD_X_CASES = [
    Case((_rng.normal(size=(4, 3)), _rng.normal(size=(3, 3))),
         "G of shape (4, 3) and W of shape (3, 3)"),
    Case((_rng.normal(size=(5, 2)), _rng.normal(size=(2, 4))),
         "G of shape (5, 2) and W of shape (2, 4)"),
    Case((_rng.normal(size=(1, 6)), _rng.normal(size=(6, 3))),
         "G of shape (1, 6) and W of shape (6, 3): one sample"),
]
SHAPE_61 = (40, 784)     # dL/dW of Dense(784 -> 40), whatever the batch size


# --------------------------------------------------------- 6.2 activation layers, backward
def _tanh_backward(Y, G):
    return G * (1 - Y**2)


def _sigmoid_backward(Y, G):
    return G * Y * (1 - Y)


def _relu_backward(Z, G):
    return G * (Z > 0)


_Z = [_rng.normal(0, 1.5, size=(4, 3)), _rng.normal(0, 1.5, size=(2, 5)),
      _rng.normal(0, 1.5, size=(6,))]
_G = [_rng.normal(size=z.shape) for z in _Z]
TANH_CASES = [Case((np.tanh(z), g), f"Y = tanh(Z) and G of shape {z.shape}")
              for z, g in zip(_Z, _G)]
SIGMOID_CASES = [Case((sigmoid(z), g), f"Y = σ(Z) and G of shape {z.shape}")
                 for z, g in zip(_Z, _G)]
_Z_KINK = np.array([[-1.5, 0.0, 2.0], [0.3, -0.2, 0.0]])
RELU_CASES = [Case((z, g), f"Z and G of shape {z.shape}") for z, g in zip(_Z, _G)] + [
    Case((_Z_KINK, np.ones_like(_Z_KINK)),
         "Z = [[-1.5, 0, 2], [0.3, -0.2, 0]] (two entries exactly 0) and G of ones")]


# -------------------------------------------------------------- 6.3 a graph with fan-out
w, x, u, v = sp.symbols("w x u v")
# u = w·x;  v = eᵘ;  L = u·v.  u feeds two places: v and L.
L_63 = (w * x) * sp.exp(w * x)
dL_dv_63 = u                                   # ∂L/∂v = u
dL_du_63 = sp.exp(u) + u * sp.exp(u)          # direct path v, plus the path through v: u·eᵘ
dL_dw_63 = sp.diff(L_63, w)
assert sp.simplify(dL_du_63.subs(u, w * x) * x - dL_dw_63) == 0
assert sp.simplify(sp.diff((u * sp.exp(u)), u) - dL_du_63) == 0
U_RANGE = {u: (-2.0, 2.0)}
WX_RANGE = {w: (-1.5, 1.5), x: (-1.5, 1.5)}


# -------------------------------------------- 6.4 the loss, and a whole network backward
def _mse_grad(y_hat, y):
    return 2 * (y_hat - y) / y_hat.size


MSE_CASES = [
    Case((_rng.normal(size=(4, 1)), _rng.normal(size=(4, 1))),
         "y_hat and y of shape (4, 1)"),
    Case((_rng.normal(size=(3, 2)), _rng.normal(size=(3, 2))),
         "y_hat and y of shape (3, 2): N = 3 samples, 2 outputs each"),
    Case((_rng.normal(size=(1, 1)), _rng.normal(size=(1, 1))), "y_hat and y of shape (1, 1)"),
]


def network_64():
    """The network of exercise 6.4: Dense(2 -> 3), Tanh, Dense(3 -> 1), seeded."""
    return Sequential([Dense(2, 3, rng=61), Tanh(), Dense(3, 1, rng=62)])


X_64, Y_64 = xor()
_net = network_64()
W1_64, b1_64 = _net.layers[0].params["W"].copy(), _net.layers[0].params["b"].copy()
W2_64 = _net.layers[2].params["W"].copy()
Z1_64 = X_64 @ W1_64.T + b1_64
A1_64 = np.tanh(Z1_64)
Yhat_64 = A1_64 @ W2_64.T + _net.layers[2].params["b"]
G2_64 = 2 * (Yhat_64 - Y_64) / Yhat_64.size          # dL/dŷ
G_A1_64 = G2_64 @ W2_64                              # dL/dA1
delta_64 = G_A1_64 * (1 - A1_64**2)                  # dL/dZ1
grad_W1_64 = delta_64.T @ X_64                       # dL/dW1
# the same through nnlib, and by central differences: three ways must agree
_net.backward(MSE().grad(_net.forward(X_64), Y_64))
assert np.allclose(_net.layers[0].grads["W"], grad_W1_64)
_W1 = _net.layers[0].params["W"]
assert np.allclose(numerical_gradient(lambda _: MSE().value(_net.forward(X_64), Y_64), _W1),
                   grad_W1_64, atol=1e-9)


# ------------------------------------------------------------------------ 6.5 XOR
XOR_EPOCHS_65 = 1000
XOR_LR_65 = 0.5
XOR_SEEDS_65 = range(20)


def xor_net(hidden: int, seed: int) -> Sequential:
    """Dense(2 -> hidden), Tanh, Dense(hidden -> 1), Tanh, drawn from default_rng(seed)."""
    rng = np.random.default_rng(seed)
    return Sequential([Dense(2, hidden, rng=rng), Tanh(), Dense(hidden, 1, rng=rng), Tanh()])


def xor_trains(hidden: int, seed: int) -> bool:
    """Whether ``xor_net(hidden, seed)`` classifies all four XOR points after training with
    full-batch SGD(lr=0.5) on the MSE for 1000 steps."""
    X, y = xor()
    net = xor_net(hidden, seed)
    net.fit(X, y, MSE(), SGD(lr=XOR_LR_65), epochs=XOR_EPOCHS_65, batch_size=4, shuffle=False,
            progress=False)
    return MSE().accuracy(net.forward(X), y) == 1.0


def _success_rate_judge():
    wins = [xor_trains(2, s) for s in XOR_SEEDS_65]
    rate = float(np.mean(wins))
    n = len(wins)
    return Number(rate, rtol=0.0, atol=1e-9, mistakes=(
        (100 * rate, "that is a percentage: give the fraction, a number between 0 and 1"),
        (float(sum(wins)), f"that is the number of seeds that learned XOR: divide by the "
                           f"{n} seeds tried"),
        (1 - rate, "that is the fraction of seeds that failed: the question asks for the "
                   "fraction that learned all four points"),
    ))


# ------------------------------------------------------------------ 6.6 a planted bug
class _Dense(Dense):
    """A dense layer whose backward pass averages the bias gradient over the batch."""

    def backward(self, grad_out, input_grad=True):
        grad_in = super().backward(grad_out, input_grad)
        self.grads["b"] = np.asarray(grad_out).mean(axis=0)
        return grad_in


def suspect_network() -> Sequential:
    """The network of exercise 6.6: five layers, one of which computes a gradient wrongly."""
    return Sequential([Dense(3, 4, rng=1), Sigmoid(), _Dense(4, 4, rng=2), Tanh(),
                       Dense(4, 2, rng=3)])


BUGGY_LAYER_66 = 2
BUGGY_ARRAY_66 = "b"
X_66 = np.random.default_rng(66).normal(size=(5, 3))   # the batch the notebook checks with
# The buggy gradient is the right one divided by the batch size N = 5.
FACTOR_66 = 1 / len(X_66)


EXERCISES = [
    Exercise("6.1a", 2, "grad_W(X, G) = dL/dW", Function(
        _grad_W_by_central_differences, GRAD_W_CASES, rtol=1e-6, atol=1e-8, mistakes=(
            (lambda X, G: X.T @ G, "this is Xᵀ G, the transpose of the gradient: dL/dW has "
                                   "W's shape (out, in), and is Gᵀ X"),
            (lambda X, G: G.T @ X / len(X), "you divided by N: G = dL/dY already holds the "
                                            "1/N of the mean loss, so the samples' "
                                            "contributions are summed"),
            (lambda X, G: G[:1].T @ X[:1], "this is the first sample's contribution only: "
                                           "sum over every sample in the batch"),
        ))),
    Exercise("6.1b", 1, "grad_b(G) = dL/db", Function(
        _grad_b_by_central_differences, GRAD_B_CASES, rtol=1e-6, atol=1e-8, mistakes=(
            (lambda G: G.mean(axis=0), "you averaged over the batch: G already holds the "
                                       "1/N, so sum the rows of G"),
            (lambda G: G.sum(axis=1), "you summed each row (over the outputs); sum over the "
                                      "samples, axis 0, to get one number per output"),
            (lambda G: G[0], "this is the first sample's row only: sum the rows of G"),
        ))),
    Exercise("6.1c", 2, "grad_X(G, W) = dL/dX", Function(
        _grad_X_by_central_differences, GRAD_X_CASES, rtol=1e-6, atol=1e-8, mistakes=(
            (lambda G, W: G @ W.T, "G Wᵀ is the forward pass's pattern: backward, each input "
                                   "collects dL/dY through W itself, dL/dX = G W"),
            (lambda G, W: G @ W / len(G), "you divided by N: dL/dX of each sample is its own "
                                          "row G W, nothing is averaged"),
        ))),
    Exercise("6.1d", 1, "shape of dL/dW for Dense(784 -> 40), batch 32", ShapeTuple(
        SHAPE_61, mistakes=(
            ((784, 40), "that is (in, out); W has shape (out, in), and so has its gradient"),
            ((32, 40), "that is the shape of G = dL/dY; dL/dW has the shape of W"),
            ((32, 784), "that is the shape of X and of dL/dX; dL/dW has the shape of W"),
            ((32, 40, 784), "the batch is summed over: there is one gradient for W, of W's "
                            "shape, not one per sample"),
        ))),
    Exercise("6.2a", 2, "tanh_backward(Y, G), from the saved output", Function(
        _tanh_backward, TANH_CASES, mistakes=(
            (lambda Y, G: G * (1 - np.tanh(Y) ** 2),
             "you applied tanh' to the output: Y is already tanh(Z), so tanh'(Z) = 1 - Y²"),
            (lambda Y, G: 1 - Y**2, "that is tanh'(Z) alone: the chain rule multiplies it by "
                                    "the incoming gradient G"),
            (lambda Y, G: G * (1 - Y), "square Y: tanh' = 1 - tanh², that is 1 - Y²"),
            (lambda Y, G: G * (Y**2 - 1), "the sign: tanh' = 1 - Y² is positive"),
        ))),
    Exercise("6.2b", 2, "sigmoid_backward(Y, G), from the saved output", Function(
        _sigmoid_backward, SIGMOID_CASES, mistakes=(
            (lambda Y, G: G * sigmoid(Y) * (1 - sigmoid(Y)),
             "you applied σ' to the output: Y is already σ(Z), so σ'(Z) = Y(1 - Y)"),
            (lambda Y, G: Y * (1 - Y), "that is σ'(Z) alone: the chain rule multiplies it by "
                                       "the incoming gradient G"),
            (lambda Y, G: G * Y * (Y - 1), "the sign: σ' = Y(1 - Y) is positive"),
            (lambda Y, G: G * (1 - Y), "1 - Y is only one factor: σ' = Y(1 - Y)"),
        ))),
    Exercise("6.2c", 2, "relu_backward(Z, G)", Function(
        _relu_backward, RELU_CASES, mistakes=(
            (lambda Z, G: G * np.maximum(Z, 0), "you multiplied by ReLU(Z) itself; multiply "
                                                "by its derivative, 1 where Z > 0 and 0 "
                                                "elsewhere"),
            (lambda Z, G: (Z > 0).astype(float), "that is ReLU'(Z) alone: the chain rule "
                                                 "multiplies it by the incoming gradient G"),
            (lambda Z, G: G * (Z >= 0), "at Z = 0 exactly ReLU has a kink; use the derivative "
                                        "0 there (Z > 0, not Z >= 0), as nnlib and PyTorch do"),
            (lambda Z, G: G * (Z < 0), "the sides are swapped: ReLU passes the gradient where "
                                       "Z > 0 and blocks it where Z < 0"),
        ))),
    Exercise("6.3a", 1, "∂L/∂v", Expression(
        dL_dv_63, {u: (-2.0, 2.0), v: (0.1, 3.0)}, symbol_note="write it with u and v",
        mistakes=(
            (v, "that is ∂L/∂u along the direct edge; L = u·v, so ∂L/∂v = u"),
            (sp.exp(u), "that is dv/du, the local derivative of v; L = u·v, so ∂L/∂v = u"),
        ))),
    Exercise("6.3b", 2, "dL/du, both paths", Expression(
        dL_du_63, U_RANGE, symbol_note="write it with u only (v = eᵘ)", mistakes=(
            (sp.exp(u), "that is the direct path only (∂L/∂u = v = eᵘ); u also feeds v, "
                        "so add the path through v: ∂L/∂v · dv/du = u·eᵘ. Gradients add "
                        "(+=), they do not replace each other (=)"),
            (u * sp.exp(u), "that is the path through v only; u also feeds L directly, so add "
                            "∂L/∂u along that edge, v = eᵘ. Gradients add (+=)"),
            (u * sp.exp(2 * u), "you multiplied the two paths; the chain rule adds the "
                                "contributions of the paths"),
        ))),
    Exercise("6.3c", 2, "dL/dw", BuildsOn("6.3b", Expression(
        dL_dw_63, WX_RANGE, symbol_note="write it with w and x", mistakes=(
            ((1 + w * x) * sp.exp(w * x), "one factor is missing: du/dw = x (the edge from w "
                                          "to u), so dL/dw = dL/du · x"),
            (sp.exp(w * x) * x, "only the direct path from u: dL/du has two paths, see 6.3b"),
            (w * x * sp.exp(w * x) * x, "only the path through v: dL/du has two paths, "
                                        "see 6.3b"),
        )))),
    Exercise("6.4a", 2, "mse_grad(y_hat, y)", Function(
        _mse_grad, MSE_CASES, mistakes=(
            (lambda yh, y: 2 * (yh - y), "divide by the number of entries: L is a mean, so "
                                         "each entry's share carries 1/(N·K)"),
            (lambda yh, y: (yh - y) / yh.size, "the factor 2 is missing: d/dŷ (ŷ - y)² = "
                                               "2(ŷ - y)"),
            (lambda yh, y: 2 * (y - yh) / yh.size, "the sign: L grows when ŷ moves away from "
                                                   "y, so dL/dŷ = 2(ŷ - y)/(N·K)"),
            (lambda yh, y: 2 * (yh - y) / len(yh), "you divided by N only; MSE is the mean "
                                                   "over all N·K entries (y_hat.size)"),
        ))),
    Exercise("6.4b", 2, "delta of the hidden layer, dL/dZ₁", Array(
        delta_64, rtol=1e-6, atol=1e-10, what="an array of shape (4, 3)", mistakes=(
            (G_A1_64, "this is dL/dA₁: the f' factor of the hidden layer is missing. Multiply "
                      "by tanh'(Z₁) = 1 - A₁², entry by entry"),
            (G_A1_64 * (1 - Z1_64**2), "you put Z₁ into the formula 1 - A²; tanh'(Z₁) = "
                                       "1 - tanh²(Z₁) = 1 - A₁²"),
            (G_A1_64 * (1 - np.tanh(A1_64) ** 2), "you applied tanh' to A₁; tanh' is taken "
                                                  "at Z₁: tanh'(Z₁) = 1 - A₁²"),
            ((2 * (Yhat_64 - Y_64)) @ W2_64 * (1 - A1_64**2),
             "dL/dŷ is missing the 1/N of the mean: start from 2(ŷ - y)/N"),
        ))),
    Exercise("6.4c", 2, "dL/dW₁", BuildsOn("6.4b", Array(
        grad_W1_64, rtol=1e-6, atol=1e-10, what="an array of shape (3, 2)", mistakes=(
            (G_A1_64.T @ X_64, "the f' factor is missing: your delta is dL/dA₁, not dL/dZ₁ "
                               "(see 6.4b)"),
            ((G_A1_64 * (1 - Z1_64**2)).T @ X_64, "your delta used 1 - Z₁² instead of "
                                                 "1 - A₁² (see 6.4b)"),
            ((G_A1_64 * (1 - np.tanh(A1_64) ** 2)).T @ X_64,
             "your delta applied tanh' to A₁ (see 6.4b)"),
            (delta_64.T @ X_64 / 4, "you divided by N again: the 1/N is already in dL/dŷ"),
        )))),
    Exercise("6.5a", 3, "outputs of the trained 2-3-1 network on XOR", Classifies(
        X_64, Y_64, advice=": train longer, or with another seed or learning rate")),
    Exercise("6.5b", 2, "fraction of 20 seeds on which a 2-2-1 network learns XOR",
             Lazy(_success_rate_judge)),
    Exercise("6.6a", 2, "the index of the faulty layer", Number(
        BUGGY_LAYER_66, rtol=0, atol=1e-9, mistakes=(
            (BUGGY_LAYER_66 + 1, "layers are numbered from 0 in net.layers: the first is "
                                 "net.layers[0]"),
            (1.0, "layer 1 is the sigmoid: it has no parameters, and its input gradient is "
                  "right; look at the layers with parameters"),
            (0.0, "layer 0's relative errors are all tiny: it is right"),
            (4.0, "layer 4's relative errors are all tiny: it is right"),
        ))),
    Exercise("6.6b", 1, "the faulty array of that layer", Choice(
        BUGGY_ARRAY_66, ("W", "b", "input"), mistakes={
            "W": "this layer's error for W is tiny: its weight gradient is right",
            "input": "this layer's error for the input is tiny: dL/dX is right",
        })),
    Exercise("6.6c", 1, "the faulty gradient divided by the right one", Number(
        FACTOR_66, rtol=1e-4, atol=0, mistakes=(
            (1 / FACTOR_66, "that is the right gradient divided by the faulty one; the "
                            "question asks for faulty / right"),
            (1.0, "the two are not equal: that is why the check fails"),
        ))),
]
