"""Chapter 10, Automatic differentiation: the expected answers of the graded exercises.

The notebook is ``solutions/10-automatic-differentiation.ipynb`` (learners get
``exercises/``).  Local derivatives are judged against central differences of the
operation itself; the topological sort on several graphs with reused nodes; the MLP's
gradients against nnlib's hand-derived backward passes.
"""
from __future__ import annotations

import math

import numpy as np

from ..autodiff import Value
from ..layers import Dense
from ..activations import Tanh
from . import Exercise
from .judges import Array, BuildsOn, Case, Function, Number, describe
from .timelimit import run_with_time_limit

TITLE = "Automatic differentiation"


def _central(f, a, h=1e-6):
    return (f(a + h) - f(a - h)) / (2 * h)


# ---- 10.1 Local derivatives, each the central difference of its operation
def _div_local(a, b):
    """(∂(a/b)/∂a, ∂(a/b)/∂b) = (1/b, -a/b²)."""
    return (_central(lambda t: t / b, a), _central(lambda t: a / t, b))


def _pow_local(a, n):
    """d(aⁿ)/da = n aⁿ⁻¹."""
    return _central(lambda t: t ** n, a)


def _tanh_local(a):
    return _central(math.tanh, a)


def _sigmoid_local(a):
    return _central(lambda t: 1 / (1 + math.exp(-t)), a)


DIV_CASES = [Case((3.0, 2.0), "a = 3, b = 2"), Case((-1.5, 0.5), "a = -1.5, b = 0.5"),
             Case((0.0, -4.0), "a = 0, b = -4")]
POW_CASES = [Case((2.0, 3), "a = 2, n = 3"), Case((1.5, -1), "a = 1.5, n = -1"),
             Case((4.0, 0.5), "a = 4, n = 0.5")]
ONE_CASES = [Case((0.0,), "a = 0"), Case((0.7,), "a = 0.7"), Case((-2.0,), "a = -2")]
_LOCAL = dict(rtol=1e-6, atol=1e-8)


# ---- 10.2 Topological order
class _Node:
    """A bare graph node for the sorting exercise: a name and its parents."""

    def __init__(self, name, parents=()):
        self.name, self.parents = name, tuple(parents)

    def __repr__(self):
        return self.name


def _graphs():
    """Graphs to sort, as (description, output node): a chain, a node used three times,
    a diamond, and a node reached at two depths (which a level-by-level walk misorders)."""
    a = _Node("a")
    chain = _Node("d", [_Node("c", [_Node("b", [a])])])
    x, y = _Node("x"), _Node("y")
    m = _Node("m", [x, y])
    fork = _Node("out", [_Node("s", [m, m]), m])
    p = _Node("p")
    q = _Node("q", [p])
    r = _Node("r", [p, q])
    diamond = _Node("z", [r, q, p])
    w = _Node("w")
    u = _Node("u", [w])
    two_depths = _Node("out", [u, _Node("v", [u])])
    return [("a chain a → b → c → d", chain),
            ("out = s + m with s = m·m and m = x·y (m is reused)", fork),
            ("z from r, q and p, where r uses p and q, and q uses p", diamond),
            ("out = u + v with v = 2u and u = tanh(w) (u sits at two depths)", two_depths)]


def _ancestors(node):
    seen, stack = {}, [node]
    while stack:
        n = stack.pop()
        if id(n) not in seen:
            seen[id(n)] = n
            stack.extend(n.parents)
    return seen


class TopologicalSort:
    """A function that returns every node of the graph once, each after all its parents."""

    def __call__(self, answer, time_limit: float | None = None):
        if answer is None:
            return False, "the answer is None: define the function `topological_sort(output)`"
        if not callable(answer):
            return False, f"the answer is {describe(answer)}, not a function"
        for description, output in _graphs():
            run = run_with_time_limit(lambda: answer(output), time_limit or 2.0)
            if run.timed_out:
                return False, (f"on the graph {description} your function did not finish within "
                               f"{time_limit or 2.0:g} s: does it mark the nodes it has visited?")
            if run.error is not None:
                return False, (f"on the graph {description} your function raised "
                               f"{type(run.error).__name__}: {run.error}")
            order = run.value
            if order is None:
                return False, "your function returned None: did you forget `return order`?"
            try:
                order = list(order)
            except TypeError:
                return False, f"your function returned {describe(order)}, expected a list of nodes"
            needed = _ancestors(output)
            ids = [id(n) for n in order]
            if len(ids) != len(set(ids)):
                twice = next(n for n in order if ids.count(id(n)) > 1)
                return False, (f"on the graph {description} the node {twice!r} appears more than "
                               "once: mark each node as visited and add it only once")
            missing = [n for i, n in needed.items() if i not in set(ids)]
            if missing:
                return False, (f"on the graph {description} the order lacks {missing[0]!r}: every "
                               "node the output depends on must be in it")
            position = {id(n): k for k, n in enumerate(order)}
            for n in order:
                for parent in getattr(n, "parents", ()):
                    if position.get(id(parent), -1) > position[id(n)]:
                        reverse = position[id(output)] == 0
                        return False, (
                            f"on the graph {description} {n!r} comes before its input "
                            f"{parent!r}" + ("; this is the reverse order: inputs come first, "
                                             "the output last (backward then walks it reversed)"
                                             if reverse else ""))
        return True, ""


# ---- 10.3 Gradients at forks
A_13, B_13 = 2.0, -3.0       # f = a·b + a at a = 2, b = -3


# ---- 10.4 A small MLP: 2 inputs, 2 tanh hidden units, 1 linear output, squared error
X_14 = np.array([0.5, -1.0])
T_14 = 0.25
W1_14 = np.array([[0.3, -0.2], [0.1, 0.4]])
B1_14 = np.array([0.05, -0.1])
W2_14 = np.array([[0.7, -0.5]])
B2_14 = np.array([0.2])


def _nnlib_mlp_14():
    """Loss and gradients from nnlib's hand-derived backward passes (chapter 6)."""
    d1, act, d2 = Dense(2, 2), Tanh(), Dense(2, 1)
    d1.params["W"][:], d1.params["b"][:] = W1_14, B1_14
    d2.params["W"][:], d2.params["b"][:] = W2_14, B2_14
    out = d2.forward(act.forward(d1.forward(X_14[None, :])))
    loss = float(((out - T_14) ** 2).sum())
    d1.backward(act.backward(d2.backward(2 * (out - T_14))))
    return loss, d1.grads["W"].copy(), d2.grads["b"].copy()


loss_14, grad_W1_14, grad_b2_14 = _nnlib_mlp_14()


def _value_mlp_14():
    """The same network from Values, as an independent check of the expected answers."""
    W1 = [[Value(w) for w in row] for row in W1_14]
    b1 = [Value(b) for b in B1_14]
    W2 = [[Value(w) for w in row] for row in W2_14]
    b2 = [Value(b) for b in B2_14]
    hidden = [sum((w * xi for w, xi in zip(row, X_14)), b).tanh() for row, b in zip(W1, b1)]
    out = sum((w * h for w, h in zip(W2[0], hidden)), b2[0])
    loss = (out - T_14) ** 2
    loss.backward()
    return loss.data, np.array([[w.grad for w in row] for row in W1]), np.array([b2[0].grad])


_check = _value_mlp_14()
assert abs(_check[0] - loss_14) < 1e-12
assert np.allclose(_check[1], grad_W1_14, rtol=1e-10, atol=1e-14)
assert np.allclose(_check[2], grad_b2_14, rtol=1e-10, atol=1e-14)


# ---- 10.5 Passes of forward and reverse mode
N_INPUTS_15 = 1000           # f: R^1000 -> R
JAC_IN_15, JAC_OUT_15 = 3, 50  # g: R^3 -> R^50


EXERCISES = [
    Exercise("10.1a", 2, "local derivatives of a / b", Function(
        _div_local, DIV_CASES, **_LOCAL, mistakes=(
            (lambda a, b: (1 / b, a / b**2), "the derivative with respect to b has the wrong "
                                              "sign: a/b = a·b⁻¹, and d(b⁻¹)/db = -b⁻²"),
            (lambda a, b: (b, a), "those are the local derivatives of a·b, not of a/b"),
        ))),
    Exercise("10.1b", 1, "local derivative of aⁿ", Function(
        _pow_local, POW_CASES, **_LOCAL, mistakes=(
            (lambda a, n: a ** (n - 1), "missing the factor n: d(aⁿ)/da = n·aⁿ⁻¹"),
            (lambda a, n: n * a ** n, "the exponent goes down by one: d(aⁿ)/da = n·aⁿ⁻¹"),
        ))),
    Exercise("10.1c", 1, "local derivative of tanh", Function(
        _tanh_local, ONE_CASES, **_LOCAL, mistakes=(
            (lambda a: 1 - math.tanh(a), "square the tanh: tanh' = 1 - tanh²"),
            (lambda a: 1 + math.tanh(a) ** 2, "that is the derivative of tan, not of tanh: "
                                              "tanh' = 1 - tanh²"),
        ))),
    Exercise("10.1d", 1, "local derivative of σ", Function(
        _sigmoid_local, ONE_CASES, **_LOCAL, mistakes=(
            (lambda a: a * (1 - a), "σ' = σ(1 - σ) is applied to σ(a), not to a itself"),
            (lambda a: 1 / (1 + math.exp(-a)), "that is σ itself; its derivative is σ(1 - σ)"),
        ))),
    Exercise("10.2a", 3, "topological_sort(output)", TopologicalSort()),
    Exercise("10.2b", 1, "the number of nodes of the fork graph", BuildsOn("10.2a", Number(
        5.0, rtol=0, atol=0.5, mistakes=(
            (6.0, "m is used twice by s but is one node: count each node once "
                  "(x, y, m, s and out)"),
            (7.0, "m is used three times (twice by s, once by out) but is one node: count each "
                  "node once (x, y, m, s and out)"),
        )))),
    Exercise("10.3a", 1, "d(a·a)/da at a = 3", Number(6.0, mistakes=(
        (3.0, "that counts only one of the two uses of a: each use adds its share to a.grad "
              "(with `=` instead of `+=` the second use overwrites the first)"),
        (9.0, "that is a·a itself, the value; its derivative is 2a"),
    ))),
    Exercise("10.3b", 1, "d(a + a)/da", Number(2.0, mistakes=(
        (1.0, "that counts only one of the two uses of a: each use adds its share to a.grad "
              "(with `=` instead of `+=` the second use overwrites the first)"),
    ))),
    Exercise("10.3c", 1, "∂f/∂a for f = a·b + a at a = 2, b = -3", Number(B_13 + 1.0, mistakes=(
        (B_13, "a reaches f by two paths, through a·b and directly: add the direct 1"),
        (1.0, "a reaches f by two paths: add the path through a·b, which gives b"),
    ))),
    Exercise("10.3d", 1, "∂f/∂b", Number(A_13, mistakes=(
        (B_13, "∂(a·b)/∂b is a, the other factor, not b"),
        (A_13 + 1.0, "b reaches f only through a·b: ∂f/∂b = a"),
    ))),
    Exercise("10.4a", 1, "the MLP's loss", Number(loss_14, rtol=1e-9, atol=1e-12, mistakes=(
        (float(np.sqrt(loss_14)), "that is |y - t|; the loss is its square (y - t)²"),
    ))),
    Exercise("10.4b", 3, "∂L/∂W1 from Values", BuildsOn("10.4a", Array(
        grad_W1_14, rtol=1e-8, atol=1e-12, what="a 2×2 array of gradients", mistakes=(
            (grad_W1_14.T, "the gradient is transposed: entry (j, i) belongs to W1[j][i], the "
                           "weight from input i to hidden unit j"),
            (-grad_W1_14, "the sign is flipped: dL/dy = 2(y - t), not 2(t - y)"),
        )))),
    Exercise("10.4c", 2, "∂L/∂b2 from Values", BuildsOn("10.4a", Array(
        grad_b2_14, rtol=1e-8, atol=1e-12, what="an array of one gradient", mistakes=(
            (-grad_b2_14, "the sign is flipped: dL/dy = 2(y - t), not 2(t - y)"),
            (grad_b2_14 / 2, "missing the 2 of d(y - t)²/dy = 2(y - t)"),
        )))),
    Exercise("10.5a", 1, "forward-mode passes for the gradient of f: R¹⁰⁰⁰ → R", Number(
        float(N_INPUTS_15), rtol=0, atol=0.5, mistakes=(
            (1.0, "one pass is reverse mode; forward mode carries one input direction per pass"),
        ))),
    Exercise("10.5b", 1, "reverse-mode passes for the same gradient", Number(
        1.0, rtol=0, atol=0.5, mistakes=(
            (float(N_INPUTS_15), "that is forward mode; reverse mode gets the whole gradient of "
                                 "one output in one backward pass"),
        ))),
    Exercise("10.5c", 1, "forward-mode passes for the Jacobian of g: R³ → R⁵⁰", Number(
        float(JAC_IN_15), rtol=0, atol=0.5, mistakes=(
            (float(JAC_OUT_15), "forward mode needs one pass per input, not per output"),
        ))),
    Exercise("10.5d", 1, "reverse-mode passes for that Jacobian", Number(
        float(JAC_OUT_15), rtol=0, atol=0.5, mistakes=(
            (float(JAC_IN_15), "reverse mode needs one pass per output (one row of the "
                               "Jacobian each), not per input"),
        ))),
]
