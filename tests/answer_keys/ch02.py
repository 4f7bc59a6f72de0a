"""Chapter 2's answer key against typical learner answers (the contract is in
tests/test_answer_keys.py): WRONG_ANSWERS lists, for each part, at least three typical wrong
answers with a phrase its feedback must contain; RIGHT_ANSWERS lists correct answers written
differently from the solutions notebook."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from nnlib.exercises import ch02

from .learner_code import crashes, endless, forgets_return

x, y, t, z = sp.symbols("x y t z")
E = sp.exp


def gradient_in_place(f, x, h):
    # Nudges x and puts it back by adding and subtracting: the rounding leaves x changed.
    grad = np.zeros_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        flat[i] += h
        above = f(x)
        flat[i] -= 2 * h
        below = f(x)
        flat[i] += h + 1e-3  # a careless restore
        out[i] = (above - below) / (2 * h)
    return grad


def gradient_flat(f, x, h):
    return ch02._central_gradient(f, x, h).ravel()


def gradient_restoring_exactly(f, x, h):
    # nnlib's way: nudge in place, but save and restore each entry exactly.
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        above = f(x)
        x[i] = old - h
        below = f(x)
        x[i] = old
        grad[i] = (above - below) / (2 * h)
    return grad


GX, GY = ch02.grad_22
G24 = ch02.grad_24
RESIDUAL = ch02.W_26 * ch02.X_26 + ch02.B_26 - ch02.Y_26

WRONG_ANSWERS = [
    # 2.1a: ∂f/∂x of x³y² - 4xy + 2y
    ("2.1a", 2 * x**3 * y - 4 * x + 2, "that is ∂f/∂y"),
    ("2.1a", 3 * x**2 * y**2 - 4 * y + 2 * x**3 * y - 4 * x + 2, "hold it fixed"),
    ("2.1a", 3 * x**2 * y**2 - 4 * y + 2, "its ∂/∂x is 0"),
    ("2.1a", 3 * x**2 * y**2, "y is a constant factor"),
    ("2.1a", 3 * x**2 * y**2 - 4 * x, "-4x is its ∂/∂y"),
    ("2.1a", "3*x^2*y^2 - 4*z", "uses z"),
    # 2.1b: ∂f/∂y
    ("2.1b", 3 * x**2 * y**2 - 4 * y, "that is ∂f/∂x"),
    ("2.1b", 3 * x**2 * y**2 - 4 * y + 2 * x**3 * y - 4 * x + 2, "hold it fixed"),
    ("2.1b", 2 * x**3 * y - 4 * x, "∂/∂y = 2"),
    ("2.1b", None, "None"),
    # 2.1c: ∂g/∂x of x e^(xy)
    ("2.1c", x * y * E(x * y), "product rule"),
    ("2.1c", E(x * y), "only one term"),
    ("2.1c", x**2 * E(x * y), "that is ∂g/∂y"),
    ("2.1c", E(x * y) + x * E(x * y), "inner derivative"),
    ("2.1c", sp.Derivative(x * E(x * y), x), "unevaluated derivative"),
    # 2.2a: ∇f of eˣy² + 3xy
    ("2.2a", [GY, GX], "swapped"),
    ("2.2a", GX, "one expression"),
    ("2.2a", [GX, GY, 0], "has 3 components"),
    ("2.2a", [GX, 2 * y * E(x)], "component 2 (∂f/∂y) is wrong"),
    ("2.2a", [y**2 * E(x), GY], "component 1 (∂f/∂x) is wrong"),
    ("2.2a", None, "None"),
    # 2.2b: ∇f(0, 2) = (10, 4)
    ("2.2b", [4, 10], "swapped"),
    ("2.2b", [10], "expected shape (2,)"),
    ("2.2b", [10, 2 * 2 + 3 * 2], "the entry at component 2"),  # 3y instead of 3x in ∂f/∂y
    ("2.2b", [10, float("nan")], "not a finite number"),
    ("2.2b", [4.0, 4.0], "these are f(0, 2)"),
    # 2.3a: u = v / ‖v‖
    ("2.3a", [3, 4], "divide v by its length"),
    ("2.3a", [3 / 25, 4 / 25], "divided by ‖v‖²"),
    ("2.3a", [0.8, 0.6], "swapped"),
    ("2.3a", [3 / 7, 4 / 7], "divided by 3 + 4"),
    ("2.3a", [-0.6, -0.8], "opposite way"),
    # 2.3b: D_u f = ∇f·u = 3.2
    ("2.3b", 16, "you used v"),
    ("2.3b", 3.8, "swapped"),
    ("2.3b", math.sqrt(17), "that is ‖∇f‖"),
    ("2.3b", 2, "that is f(1, 2)"),
    ("2.3b", "3.2", "without quotes"),
    ("2.3b", 0.64, "divided v by ‖v‖²"),
    # 2.3c: ‖∇f‖ = √17
    ("2.3c", 17, "take the square root"),
    ("2.3c", 5, "sum of the components"),
    ("2.3c", 3.2, "largest rate is along ∇f"),
    ("2.3c", -math.sqrt(17), "wrong sign"),
    ("2.3c", 4.0, "largest component"),
    # 2.4a: ∇f/‖∇f‖ at (2, 1), ∇f = (4, 6)
    ("2.4a", G24, "its length is 7.2111"),
    ("2.4a", -G24 / np.linalg.norm(G24), "steepest descent"),
    ("2.4a", G24[::-1] / np.linalg.norm(G24), "swapped"),
    ("2.4a", [2 / math.sqrt(5), 1 / math.sqrt(5)], "bottom (0, 0)"),
    ("2.4a", [0, 0], "zero vector"),
    ("2.4a", [1, 0], "away from the right direction"),
    ("2.4a", [[0.5547, 0.8321]], "expected 2 numbers"),
    # 2.4b: -∇f/‖∇f‖
    ("2.4b", G24 / np.linalg.norm(G24), "steepest ascent"),
    ("2.4b", [-2 / math.sqrt(5), -1 / math.sqrt(5)], "straight at the bottom"),
    ("2.4b", -G24, "its length is"),
    ("2.4b", -G24[::-1] / np.linalg.norm(G24), "swapped"),
    # 2.4c: any t with ∇f·t = 0
    ("2.4c", G24, "perpendicular to the level curve"),
    ("2.4c", [6, 4], "swapping the components is not enough"),
    ("2.4c", [0.0, 0.0], "zero vector"),
    ("2.4c", [1, -2], "not 0"),
    ("2.4c", [-2, -1], "tangent is perpendicular to ∇f, not to p"),
    ("2.4c", [1, np.inf], "not a finite number"),
    # 2.5a: d/dt (cos²t sin t)
    ("2.5a", 2 * sp.cos(t) * sp.sin(t) + sp.cos(t) ** 2, "x'(t) and y'(t)"),
    ("2.5a", -2 * sp.cos(t) * sp.sin(t) ** 2, "only the term f_x·x'"),
    ("2.5a", sp.cos(t) ** 3, "only the term f_y·y'"),
    ("2.5a", 2 * sp.cos(t) * sp.sin(t) ** 2 + sp.cos(t) ** 3, "-sin t"),
    ("2.5a", 2 * x * y * -sp.sin(t) + x**2 * sp.cos(t), "substitute x = cos t"),
    ("2.5a", sp.cos(t) ** 2 * sp.sin(t), "that is f(cos t, sin t) itself"),
    # 2.5b: at t = 1
    ("2.5b", math.cos(1) ** 2 * math.sin(1), "that is f itself"),
    ("2.5b", 2 * math.cos(1) * math.sin(1) + math.cos(1) ** 2, "x'(t) and y'(t)"),
    ("2.5b", 2 * math.cos(1) * math.sin(1) ** 2 + math.cos(1) ** 3, "-sin t"),
    ("2.5b", float(ch02.dfdt_25.subs(t, sp.pi / 180)), "radians"),
    ("2.5b", ch02.dfdt_25, "still contains the symbol(s) t"),
    # 2.6a: numerical_gradient(f, x, h)
    ("2.6a", ch02._forward_gradient, "forward differences"),
    ("2.6a", ch02._all_at_once, "moved every entry at once"),
    ("2.6a", ch02._half_step, "divide by 2h"),
    ("2.6a", gradient_in_place, "in place"),
    ("2.6a", gradient_flat, "expected shape (2, 3)"),
    ("2.6a", endless, "did not finish within"),
    ("2.6a", crashes, "raised ZeroDivisionError"),
    ("2.6a", forgets_return, "forget `return`"),
    ("2.6a", lambda f, x: x, "raised TypeError"),
    # 2.6b: [∂L/∂w, ∂L/∂b] = [-4, -10/3]
    ("2.6b", [-10 / 3, -4], "swapped"),
    ("2.6b", [-2, -5 / 3], "factor 2"),
    ("2.6b", [-12, -10], "divide the sum by N = 3"),
    ("2.6b", [4, 10 / 3], "the sign is flipped"),
    ("2.6b", -4, "expected shape (2,)"),
    # 2.7a: errors of the linear approximation
    ("2.7a", ch02.changes_27, "subtract the linear term"),
    ("2.7a", ch02.errors_swapped_27, "swapped"),
    ("2.7a", ch02.errors_without_h_27, "multiply ∇f(p)·d by h"),
    ("2.7a", ch02.errors_27[:3], "expected shape (4,)"),
    ("2.7a", ch02.errors_27[::-1], "the entry at h = 0.1"),
    # 2.7b: slope ≈ 2
    ("2.7b", 1.0, "which is 1"),
    ("2.7b", -2.0, "check the sign"),
    ("2.7b", 0.5, "on the vertical axis"),
    ("2.7b", "2", "without quotes"),
]

RIGHT_ANSWERS = [
    ("2.1a", y * (3 * x**2 * y - 4)),
    ("2.1a", "3*x^2*y^2 - 4*y"),
    ("2.1a", 3 * sp.Symbol("x", real=True) ** 2 * sp.Symbol("y", real=True) ** 2
     - 4 * sp.Symbol("y", real=True)),
    ("2.1b", 2 * (x**3 * y - 2 * x + 1)),
    ("2.1c", (1 + x * y) * E(x * y)),
    ("2.2a", (y * (y * E(x) + 3), x * 3 + 2 * y * E(x))),
    ("2.2a", sp.Matrix([GX, GY])),
    ("2.2a", ["y**2*exp(x) + 3*y", "2*y*exp(x) + 3*x"]),
    ("2.2b", np.array([10.0, 4.0])),
    ("2.2b", (sp.Integer(10), 4)),
    ("2.3a", np.array([3, 4]) / math.hypot(3, 4)),
    ("2.3b", sp.Rational(16, 5)),
    ("2.3c", sp.sqrt(17)),
    ("2.4a", np.array([2, 3]) / math.sqrt(13)),
    ("2.4b", [-2 / math.sqrt(13), -3 / math.sqrt(13)]),
    ("2.4c", [3, -2]),
    ("2.4c", [-0.6, 0.4]),
    ("2.5a", sp.cos(t) * (sp.cos(t) ** 2 - 2 * sp.sin(t) ** 2)),
    ("2.5a", sp.cos(t) * (3 * sp.cos(t) ** 2 - 2)),
    ("2.5b", math.cos(1) * (3 * math.cos(1) ** 2 - 2)),
    ("2.6a", gradient_restoring_exactly),
    ("2.6a", lambda f, x, h: np.array(
        [(f(x + h * e.reshape(x.shape)) - f(x - h * e.reshape(x.shape))) / (2 * h)
         for e in np.eye(x.size)]).reshape(x.shape)),
    ("2.6b", [2 * np.mean(RESIDUAL * ch02.X_26), 2 * np.mean(RESIDUAL)]),
    ("2.6b", (sp.Integer(-4), sp.Rational(-10, 3))),
    ("2.7a", [abs(float(ch02._f_27(ch02.P_27 + h * ch02.D_27)) - float(ch02._f_27(ch02.P_27))
                  - h * float(ch02.GRAD_27 @ ch02.D_27)) for h in ch02.HS_27]),
    ("2.7b", math.log(ch02.errors_27[0] / ch02.errors_27[-1]) / math.log(8)),
]


def test_answer_key_agrees_with_hand_derivations():
    # Derived by hand, independently of the sympy in the answer key.
    assert sp.simplify(ch02.fx_21 - (3 * x**2 * y**2 - 4 * y)) == 0
    assert sp.simplify(ch02.fy_21 - (2 * x**3 * y - 4 * x + 2)) == 0
    assert sp.simplify(ch02.gx_21 - E(x * y) * (1 + x * y)) == 0
    assert list(ch02.grad_at_22) == [10.0, 4.0]
    assert list(ch02.grad_23) == [4.0, 1.0] and ch02.rate_23 == pytest.approx(3.2)
    assert ch02.steepest_23 == pytest.approx(math.sqrt(17))
    assert list(ch02.grad_24) == [4.0, 6.0]
    assert ch02.rate_25 == pytest.approx(math.cos(1) * (math.cos(1) ** 2 - 2 * math.sin(1) ** 2))
    np.testing.assert_allclose(ch02.grad_loss_26, [-4.0, -10 / 3])
    assert ch02.order_27 == pytest.approx(2, abs=0.02)
    assert ch02.order_changes_27 == pytest.approx(1, abs=0.1)


def test_numerical_gradient_reference_matches_exact_gradients():
    for f, exact in [(ch02.sum_of_squares, lambda v: 2 * v),
                     (ch02.x2_sin_y, lambda v: np.array([2 * v[0] * np.sin(v[1]),
                                                         v[0] ** 2 * np.cos(v[1])]))]:
        v = np.array([0.3, -1.2, 0.8])[: 3 if f is ch02.sum_of_squares else 2]
        np.testing.assert_allclose(ch02._central_gradient(f, v, 1e-5), exact(v), rtol=1e-8)
    W = np.array([[0.2, -0.4, 0.1], [0.7, 0.3, -0.5]])
    s = 1 - np.tanh(W @ ch02._V_26) ** 2
    np.testing.assert_allclose(ch02._central_gradient(ch02.tanh_layer_output, W, 1e-5),
                               np.outer(s, ch02._V_26), rtol=1e-8)
