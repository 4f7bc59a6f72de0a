"""Chapter 2, Partial derivatives and gradients: the expected answers of the graded exercises
and how each is judged.

The notebook is ``solutions/02-partial-derivatives.ipynb`` (learners get ``exercises/``).
Every expected answer below is computed (by sympy or numpy), not typed in.

Three kinds of answer are new in this chapter and are judged by three judges defined here
(candidates for ``judges.py`` once a second chapter needs them):

- ``ExpressionVector``: a gradient as a list of sympy expressions, component by component,
  with swapped components named as such;
- ``Direction``: a unit vector judged by its angle to the right direction, then its length;
- ``Perpendicular``: any non-zero vector at right angles to a given one (a tangent to a level
  curve, judged by its dot product with the gradient).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from . import Exercise
from .judges import (Array, BuildsOn, Case, Expression, Function, Number, _none_feedback,
                     as_float_array, describe, fmt)

TITLE = "Partial derivatives and gradients"

x, y, t = sp.symbols("x y t")
XY_RANGE = {x: (-2.0, 2.0), y: (-2.0, 2.0)}
COMPONENT_NAMES = ("∂f/∂x", "∂f/∂y")


# ------------------------------------------------------------------------------ judges

@dataclass
class ExpressionVector:
    """A list of sympy expressions equal, component by component, to ``expected``.

    Each component is judged as ``Expression`` judges one; an answer whose components are
    the right ones in the wrong order is told so.  ``names`` name the components in feedback.
    """

    expected: list
    variables: dict
    names: tuple = COMPONENT_NAMES
    mistakes: tuple = ()

    def __call__(self, answer, time_limit: float | None = None):
        if answer is None:
            return False, _none_feedback("a list of expressions")
        n = len(self.expected)
        shape = "[" + ", ".join(self.names) + "]"
        if isinstance(answer, sp.MatrixBase):
            answer = list(answer)
        elif isinstance(answer, np.ndarray):
            answer = list(answer.ravel())
        if isinstance(answer, (str, sp.Expr, int, float)):
            return False, (f"the answer is one expression; the gradient of a function of {n} "
                           f"inputs is a list of {n}: {shape}")
        if not isinstance(answer, (list, tuple)):
            return False, f"the answer is {describe(answer)}, expected a list {shape}"
        if len(answer) != n:
            return False, (f"the answer has {len(answer)} components; the gradient of a function "
                           f"of {n} inputs has {n}: {shape}")
        judges = [Expression(e, self.variables) for e in self.expected]
        verdicts = [judge(a, time_limit) for judge, a in zip(judges, answer)]
        if all(ok for ok, _ in verdicts):
            return True, ""
        if n == 2 and all(Expression(e, self.variables)(a, time_limit)[0]
                          for e, a in zip(self.expected[::-1], answer)):
            return False, (f"the components are swapped: the first component is {self.names[0]} "
                           f"(x moves, y held fixed), the second {self.names[1]}")
        for wrong, message in self.mistakes:
            if all(Expression(e, self.variables)(a, time_limit)[0] for e, a in zip(wrong, answer)):
                return False, message
        i = next(i for i, (ok, _) in enumerate(verdicts) if not ok)
        return False, f"component {i + 1} ({self.names[i]}) is wrong: {verdicts[i][1]}"


def _as_vector(answer, n: int, what: str):
    """(array of shape (n,), '') or (None, why not)."""
    array, why = as_float_array(answer, what)
    if array is None:
        return None, why
    if array.shape != (n,):
        return None, f"the answer has shape {array.shape}, expected {n} numbers, shape ({n},)"
    if not np.all(np.isfinite(array)):
        return None, "the vector has an entry that is not a finite number (NaN or infinity)"
    if not np.any(array):
        return None, "the zero vector has no direction: give a non-zero vector"
    return array, ""


def _angle(a, b) -> float:
    """The angle between two non-zero vectors, in degrees."""
    cos = float(a @ b) / (np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


@dataclass
class Direction:
    """A vector pointing along ``expected`` (within ``tolerance`` degrees), of length 1 when
    ``unit``.  ``mistakes``: (vector, feedback) for typical wrong directions; ``opposite`` is
    the feedback for the reverse direction."""

    expected: Any
    unit: bool = True
    tolerance: float = 0.5
    mistakes: tuple = ()
    opposite: str = "your vector points the opposite way"

    def __call__(self, answer, time_limit: float | None = None):
        expected = np.asarray(self.expected, dtype=np.float64)
        vector, why = _as_vector(answer, expected.size, "a vector")
        if vector is None:
            return False, why
        off = _angle(vector, expected)
        length = float(np.linalg.norm(vector))
        if off <= self.tolerance:
            if self.unit and abs(length - 1) > 1e-3:
                return False, (f"it points the right way, but its length is {fmt(length)}: a unit "
                               "vector has length 1 (divide the vector by its length)")
            return True, ""
        for wrong, message in self.mistakes:
            if _angle(vector, np.asarray(wrong, dtype=np.float64)) <= self.tolerance:
                return False, message
        if off >= 180 - self.tolerance:
            return False, self.opposite
        return False, f"your vector points {off:.1f}° away from the right direction"


@dataclass
class Perpendicular:
    """Any non-zero vector at right angles to ``normal`` (|cos| below ``tolerance``)."""

    normal: Any
    tolerance: float = 1e-3
    mistakes: tuple = ()
    parallel: str = "your vector is parallel to the given one, not at right angles to it"

    def __call__(self, answer, time_limit: float | None = None):
        normal = np.asarray(self.normal, dtype=np.float64)
        vector, why = _as_vector(answer, normal.size, "a vector")
        if vector is None:
            return False, why
        cos = float(vector @ normal) / (np.linalg.norm(vector) * np.linalg.norm(normal))
        if abs(cos) <= self.tolerance:
            return True, ""
        for wrong, message in self.mistakes:
            if abs(abs(_angle(vector, np.asarray(wrong, dtype=np.float64)) - 90) - 90) <= 0.5:
                return False, message
        if abs(cos) >= 1 - 1e-6:
            return False, self.parallel
        return False, (f"the dot product of your vector with ∇f is {fmt(float(vector @ normal))}, "
                       f"not 0: it is {90 - np.degrees(np.arccos(abs(cos))):.1f}° away from "
                       "the level curve's direction")


# ------------------------------------------------------------------------- the answers

# ---- 2.1 Partial derivatives: f(x, y) = x³y² - 4xy + 2y and g(x, y) = x e^(xy)
f_21 = x**3 * y**2 - 4 * x * y + 2 * y
fx_21, fy_21 = sp.diff(f_21, x), sp.diff(f_21, y)
g_21 = x * sp.exp(x * y)
gx_21 = sp.diff(g_21, x)

# ---- 2.2 A gradient: f(x, y) = eˣ y² + 3xy, at (0, 2)
f_22 = sp.exp(x) * y**2 + 3 * x * y
grad_22 = [sp.diff(f_22, x), sp.diff(f_22, y)]
point_22 = {x: 0, y: 2}
grad_at_22 = np.array([float(g.subs(point_22)) for g in grad_22])

# ---- 2.3 A directional derivative: f(x, y) = x²y at p = (1, 2), towards v = (3, 4)
f_23 = x**2 * y
point_23 = {x: 1, y: 2}
grad_23 = np.array([float(sp.diff(f_23, v).subs(point_23)) for v in (x, y)])   # (4, 1)
v_23 = np.array([3.0, 4.0])
u_23 = v_23 / np.linalg.norm(v_23)
rate_23 = float(grad_23 @ u_23)
steepest_23 = float(np.linalg.norm(grad_23))

# ---- 2.4 Steepest ascent and level curves: the bowl f(x, y) = x² + 3y² at p = (2, 1)
f_24 = x**2 + 3 * y**2
point_24 = {x: 2, y: 1}
grad_24 = np.array([float(sp.diff(f_24, v).subs(point_24)) for v in (x, y)])   # (4, 6)
ascent_24 = grad_24 / np.linalg.norm(grad_24)
p_24 = np.array([2.0, 1.0])

# ---- 2.5 The chain rule along a path: f(x, y) = x²y with x = cos t, y = sin t
f_25 = x**2 * y
path_25 = {x: sp.cos(t), y: sp.sin(t)}
dfdt_25 = sp.diff(f_25.subs(path_25), t)
dfdt_by_rule_25 = (sp.diff(f_25, x) * sp.diff(sp.cos(t), t)
                   + sp.diff(f_25, y) * sp.diff(sp.sin(t), t)).subs(path_25)
assert sp.simplify(dfdt_25 - dfdt_by_rule_25) == 0
T_25 = 1
rate_25 = float(dfdt_25.subs(t, T_25))


# ---- 2.6 A numerical gradient, and a model's gradient
def _central_gradient(f, x, h):
    """The reference: gᵢ = (f(x + h eᵢ) - f(x - h eᵢ)) / 2h, x left unchanged."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def _forward_gradient(f, x, h):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x)) / h
    return grad


def _all_at_once(f, x, h):
    x = np.array(x, dtype=np.float64)
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))


def _half_step(f, x, h):
    return 2 * _central_gradient(f, x, h)


def sum_of_squares(v):
    """Σ vᵢ², whose gradient is 2v."""
    return float(np.sum(v**2))


def x2_sin_y(v):
    """x² sin y for v = (x, y)."""
    return float(v[0] ** 2 * np.sin(v[1]))


_V_26 = np.array([0.5, -1.0, 2.0])


def tanh_layer_output(W):
    """Σ tanh(W v) for a fixed v: a function of a 2×3 weight matrix W."""
    return float(np.sum(np.tanh(W @ _V_26)))


GRADIENT_CASES = [
    Case((sum_of_squares, np.array([1.0, -2.0, 0.5]), 1e-4),
         "f = sum_of_squares, x = np.array([1.0, -2.0, 0.5]), h = 1e-4"),
    Case((x2_sin_y, np.array([1.0, 0.5]), 1e-4), "f = x2_sin_y, x = np.array([1.0, 0.5]), h = 1e-4"),
    Case((tanh_layer_output, np.array([[0.2, -0.4, 0.1], [0.7, 0.3, -0.5]]), 1e-4),
         "f = tanh_layer_output, x = a 2×3 matrix, h = 1e-4"),
]

# One neuron without activation, ŷ = w·x + b, and the mean squared error on three points.
X_26 = np.array([0.0, 1.0, 2.0])
Y_26 = np.array([1.0, 3.0, 4.0])
W_26, B_26 = 1.0, 0.0
_residual_26 = W_26 * X_26 + B_26 - Y_26
grad_loss_26 = np.array([2 * np.mean(_residual_26 * X_26), 2 * np.mean(_residual_26)])

# ---- 2.7 The error of the linear approximation: x² sin y at p = (1, 0.5) along d = (0.6, 0.8)
P_27 = np.array([1.0, 0.5])
D_27 = np.array([0.6, 0.8])
HS_27 = np.array([0.1, 0.05, 0.025, 0.0125])


def _f_27(p):
    return p[..., 0] ** 2 * np.sin(p[..., 1])


GRAD_27 = np.array([2 * P_27[0] * np.sin(P_27[1]), P_27[0] ** 2 * np.cos(P_27[1])])
_moved_27 = _f_27(P_27 + HS_27[:, None] * D_27)
errors_27 = np.abs(_moved_27 - _f_27(P_27) - HS_27 * (GRAD_27 @ D_27))
errors_swapped_27 = np.abs(_moved_27 - _f_27(P_27) - HS_27 * (GRAD_27[::-1] @ D_27))
changes_27 = np.abs(_moved_27 - _f_27(P_27))
errors_without_h_27 = np.abs(_moved_27 - _f_27(P_27) - GRAD_27 @ D_27)
order_27 = float(np.polyfit(np.log10(HS_27), np.log10(errors_27), 1)[0])
order_changes_27 = float(np.polyfit(np.log10(HS_27), np.log10(changes_27), 1)[0])

_ORDER = dict(rtol=0.0, atol=0.15)
_SWAPPED = "the components are swapped: the first component is ∂f/∂x, the second ∂f/∂y"

EXERCISES = [
    Exercise("2.1a", 2, "∂f/∂x of x³y² - 4xy + 2y", Expression(
        fx_21, XY_RANGE, mistakes=(
            (fy_21, "that is ∂f/∂y; for ∂f/∂x move x and hold y fixed"),
            (fx_21 + fy_21, "you differentiated with respect to y as well: for ∂f/∂x, y is a "
                            "constant (hold it fixed)"),
            (fx_21 + 2, "2y does not change when only x moves: its ∂/∂x is 0"),
            (3 * x**2 * y**2, "the term -4xy has ∂/∂x = -4y: y is a constant factor, it stays"),
            (3 * x**2 * y**2 - 4 * x, "the term -4xy has ∂/∂x = -4y (y is the constant factor); "
                                      "-4x is its ∂/∂y"),
        ))),
    Exercise("2.1b", 2, "∂f/∂y of x³y² - 4xy + 2y", Expression(
        fy_21, XY_RANGE, mistakes=(
            (fx_21, "that is ∂f/∂x; for ∂f/∂y move y and hold x fixed"),
            (fx_21 + fy_21, "you differentiated with respect to x as well: for ∂f/∂y, x is a "
                            "constant (hold it fixed)"),
            (fy_21 - 2, "the term 2y has ∂/∂y = 2"),
        ))),
    Exercise("2.1c", 2, "∂g/∂x of x·e^(xy)", Expression(
        gx_21, XY_RANGE, mistakes=(
            (x * y * sp.exp(x * y), "both factors x and e^(xy) change with x: use the product "
                                    "rule, (u·v)' = u'·v + u·v'"),
            (sp.exp(x * y), "that is only one term of the product rule; e^(xy) changes with x "
                            "too, at the rate y·e^(xy)"),
            (x**2 * sp.exp(x * y), "that is ∂g/∂y; for ∂g/∂x hold y fixed and move x"),
            (sp.exp(x * y) + x * sp.exp(x * y), "the inner derivative of e^(xy) with respect "
                                                "to x is y, not 1"),
        ))),
    Exercise("2.2a", 3, "∇f of eˣy² + 3xy, as [∂f/∂x, ∂f/∂y]", ExpressionVector(
        grad_22, XY_RANGE)),
    Exercise("2.2b", 1, "∇f at (0, 2), as numbers", BuildsOn("2.2a", Array(
        grad_at_22, rtol=1e-6, atol=1e-9, label=lambda i: f"component {i[0] + 1}",
        what="an array of 2 numbers, the gradient at (0, 2)", mistakes=(
            (grad_at_22[::-1], _SWAPPED),
            (np.array([float(f_22.subs(point_22))] * 2), "these are f(0, 2); the gradient "
                                                         "is made of the partial derivatives"),
        )))),
    Exercise("2.3a", 1, "the unit vector u along v = (3, 4)", Array(
        u_23, rtol=1e-6, atol=1e-9, what="an array of 2 numbers, a unit vector", mistakes=(
            (v_23, "v is not a unit vector: its length is 5; divide v by its length ‖v‖"),
            (v_23 / 25, "you divided by ‖v‖² = 25; divide by the length ‖v‖ = √(3² + 4²)"),
            (u_23[::-1], "the components are swapped: u points the same way as v = (3, 4)"),
            (v_23 / 7, "you divided by 3 + 4; the length is ‖v‖ = √(3² + 4²)"),
            (-u_23, "that points the opposite way to v; u = v / ‖v‖ keeps the direction of v"),
        ))),
    Exercise("2.3b", 2, "D_u f at (1, 2)", BuildsOn("2.3a", Number(rate_23, mistakes=(
        (float(grad_23 @ v_23), "you used v; the directional derivative uses the unit vector u "
                                "(2.3a), so this is ‖v‖ = 5 times too large"),
        (float(grad_23[::-1] @ u_23), "the gradient's components are swapped: ∇f = (∂f/∂x, ∂f/∂y)"),
        (steepest_23, "that is ‖∇f‖, the rate along ∇f itself; u points another way"),
        (float(f_23.subs(point_23)), "that is f(1, 2), the height; D_u f is the slope ∇f·u"),
        (float(grad_23 @ v_23) / 25, "you divided v by ‖v‖² = 25; the unit vector u is v "
                                     "divided by its length ‖v‖ = 5 (2.3a)"),
    )))),
    Exercise("2.3c", 1, "the largest rate of increase at (1, 2)", Number(steepest_23, mistakes=(
        (steepest_23**2, "that is ‖∇f‖², the squared length: take the square root"),
        (float(np.sum(grad_23)), "that is the sum of the components; the length of a vector "
                                 "(a, b) is √(a² + b²)"),
        (rate_23, "that is D_u f for the u of 2.3a; the largest rate is along ∇f itself"),
        (float(np.max(grad_23)), "that is the largest component of ∇f, the rate along an axis; "
                                 "along ∇f itself the rate is its length ‖∇f‖ = √(a² + b²)"),
    ))),
    Exercise("2.4a", 2, "unit vector of steepest ascent at (2, 1)", Direction(
        ascent_24, opposite="that is the direction of steepest descent; ascent is along +∇f",
        mistakes=(
            (grad_24[::-1], _SWAPPED),
            (p_24, "that points straight away from the bottom (0, 0) of the bowl; the steepest "
                   "ascent is along ∇f, which points elsewhere on this elongated bowl"),
        ))),
    Exercise("2.4b", 1, "unit vector of steepest descent at (2, 1)", BuildsOn("2.4a", Direction(
        -ascent_24, opposite="that is the direction of steepest ascent; descent is along -∇f",
        mistakes=(
            (-p_24, "that points straight at the bottom (0, 0) of the bowl, but the steepest "
                    "descent is -∇f/‖∇f‖: on an elongated bowl they differ"),
            (-grad_24[::-1], "the gradient's components are swapped: ∇f = (∂f/∂x, ∂f/∂y)"),
        )))),
    Exercise("2.4c", 2, "a tangent to the level curve through (2, 1)", Perpendicular(
        grad_24, parallel=("that is along ∇f, which is perpendicular to the level curve; a tangent "
                           "t satisfies ∇f·t = 0"),
        mistakes=(
            (grad_24[::-1], "swapping the components is not enough: (a, b) is perpendicular "
                            "to (-b, a), so also change one sign"),
            (p_24, "that is the direction of the point from the origin; the level curve of the "
                   "bowl is an ellipse, and its tangent is perpendicular to ∇f, not to p"),
        ))),
    Exercise("2.5a", 2, "d/dt f(cos t, sin t) for f = x²y", Expression(
        dfdt_25, {t: (-3.0, 3.0)}, symbol_note="substitute x = cos t and y = sin t",
        mistakes=(
            ((2 * x * y + x**2).subs(path_25), "multiply each partial derivative by the "
                                               "derivative of its input: x'(t) and y'(t)"),
            ((2 * x * y * -sp.sin(t)).subs(path_25), "that is only the term f_x·x'; add "
                                                     "f_y·y' (y moves too)"),
            ((x**2 * sp.cos(t)).subs(path_25), "that is only the term f_y·y'; add f_x·x' "
                                               "(x moves too)"),
            ((2 * x * y * sp.sin(t) + x**2 * sp.cos(t)).subs(path_25),
             "the derivative of cos t is -sin t"),
            (f_25.subs(path_25), "that is f(cos t, sin t) itself; the question asks how fast it "
                                 "changes, its derivative d/dt"),
        ))),
    Exercise("2.5b", 1, "its value at t = 1", BuildsOn("2.5a", Number(rate_25, mistakes=(
        (float(f_25.subs(path_25).subs(t, T_25)), "that is f itself at t = 1; the rate is df/dt"),
        (float((2 * x * y + x**2).subs(path_25).subs(t, T_25)),
         "multiply each partial derivative by x'(t) and y'(t) (see 2.5a)"),
        (float((2 * x * y * sp.sin(t) + x**2 * sp.cos(t)).subs(path_25).subs(t, T_25)),
         "the derivative of cos t is -sin t (see 2.5a)"),
        (float(dfdt_25.subs(t, sp.pi / 180)), "t = 1 is in radians, not degrees"),
    )))),
    Exercise("2.6a", 3, "numerical_gradient(f, x, h)", Function(
        _central_gradient, GRADIENT_CASES, rtol=1e-7, atol=1e-9, mistakes=(
            (_forward_gradient, "these are forward differences (f(x + h eᵢ) - f(x)) / h; use "
                                "central ones, (f(x + h eᵢ) - f(x - h eᵢ)) / 2h"),
            (_all_at_once, "you moved every entry at once (x + h): a partial derivative moves "
                           "one entry, eᵢ, and holds the others fixed"),
            (_half_step, "the points x + h eᵢ and x - h eᵢ are 2h apart: divide by 2h, not h"),
        ))),
    Exercise("2.6b", 2, "∇L(w, b) of one neuron's mean squared error", Array(
        grad_loss_26, rtol=1e-6, atol=1e-9, label=lambda i: ("∂L/∂w", "∂L/∂b")[i[0]],
        what="an array [∂L/∂w, ∂L/∂b]", mistakes=(
            (grad_loss_26[::-1], "the components are swapped: [∂L/∂w, ∂L/∂b]"),
            (grad_loss_26 / 2, "the derivative of a square brings a factor 2: d/dr r² = 2r"),
            (grad_loss_26 * len(X_26), "L is a mean: divide the sum by N = 3"),
            (-grad_loss_26, "the sign is flipped: the residual is ŷ - y, prediction minus target"),
        ))),
    Exercise("2.7a", 2, "errors of the linear approximation", Array(
        errors_27, rtol=1e-4, atol=1e-12, label=lambda i: f"h = {HS_27[i[0]]:g}",
        what="an array of 4 errors, one per h", mistakes=(
            (changes_27, "these are |f(p + h·d) - f(p)|: subtract the linear term h·∇f(p)·d too"),
            (errors_swapped_27, "the gradient's components are swapped: ∇f = (2x sin y, x² cos y)"),
            (errors_without_h_27, "the linear term is h·∇f(p)·d: multiply ∇f(p)·d by h"),
        ))),
    Exercise("2.7b", 1, "the slope of log(error) against log(h)", BuildsOn("2.7a", Number(order_27, **_ORDER,
        mistakes=(
            (order_changes_27, "that is the slope of |f(p + h·d) - f(p)|, which is 1: the "
                               "error of the approximation subtracts the linear term"),
            (-order_27, "the error falls as h falls, so the slope of log(error) against log(h) "
                        "is positive: check the sign of your log(h)"),
            (1 / order_27, "that is 1/slope: you put log(h) on the vertical axis"),
        )))),
]
