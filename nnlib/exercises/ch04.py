"""Chapter 4, Matrices: the expected answers of the graded exercises and how each is judged.

The notebook is ``solutions/04-matrices.ipynb`` (learners get ``exercises/``).  Every
expected answer below is computed (numpy, sympy, or central differences), not typed in.

Two judges live here until a second chapter needs them (then they move to ``judges.py``):

- ``ShapeOrError``: a shape as a tuple, or the word ``"error"`` when the product is not
  defined;
- ``MatrixExpression``: a sympy Matrix (a Jacobian) equal entry by entry to the expected
  one at random points, with feedback that names the first wrong entry;

and ``ShapeHints`` puts a sentence of its own on answers of a known wrong shape.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from ..activations import sigmoid
from ..gradcheck import numerical_gradient
from . import Exercise
from .judges import Array, Case, Function, Number, _none_feedback, describe, fmt
from .timelimit import run_with_time_limit

TITLE = "Matrices"


# ------------------------------------------------------------------------------ judges

def _as_shape(answer):
    """(shape tuple, '') for a tuple/list of whole numbers, else (None, why not)."""
    if isinstance(answer, np.ndarray):
        return None, (f"the answer is {describe(answer)}: give its shape as a tuple, "
                      "e.g. answer.shape, not the array itself")
    if not isinstance(answer, (tuple, list)):
        return None, (f"the answer is {describe(answer)}: write a shape as a tuple of whole "
                      "numbers such as (3, 4), or the string \"error\"")
    try:
        shape = tuple(int(n) for n in answer)
    except (TypeError, ValueError):
        return None, f"the answer {answer!r} is not a tuple of whole numbers"
    if any(int(n) != n for n in answer):
        return None, f"the answer {answer!r} is not a tuple of whole numbers"
    return shape, ""


@dataclass
class ShapeOrError:
    """The shape of a result as a tuple, e.g. ``(3, 4)``, or ``"error"`` when ``expected`` is
    ``None`` (the operation is not defined).  ``mistakes``: (shape or "error", feedback)."""

    expected: tuple | None
    mistakes: tuple = ()
    rule: str = "compare it with the rule (m×n)(n×p) = (m×p)"

    def __call__(self, answer, time_limit: float | None = None):
        if answer is None:
            return False, _none_feedback("a shape")
        says_error = isinstance(answer, str) and answer.strip().lower() in ("error", "'error'")
        if isinstance(answer, str) and not says_error:
            return False, (f"the answer is {describe(answer)}: give a shape as a tuple such as "
                           "(3, 4), or exactly the string \"error\"")
        shape = "error" if says_error else None
        if shape is None:
            shape, why = _as_shape(answer)
            if shape is None:
                return False, why
        expected = "error" if self.expected is None else tuple(self.expected)
        if shape == expected:
            return True, ""
        for wrong, message in self.mistakes:
            if (wrong if isinstance(wrong, str) else tuple(wrong)) == shape:
                return False, message
        if expected == "error":
            return False, (f"you gave the shape {shape}, but this operation is not defined: "
                           "compare the inner sizes")
        if shape == "error":
            return False, ("this operation is defined: its result has a shape; check the "
                           "inner sizes again")
        return False, f"the shape {shape} is wrong: {self.rule}"


@dataclass
class ShapeHints:
    """``judge``, with a specific sentence for answers of a known wrong shape.

    ``hints`` maps a shape (tuple) to the sentence; an answer of any other shape gets the
    judge's own feedback.
    """

    judge: Any
    hints: dict

    def __call__(self, answer, time_limit: float | None = None):
        correct, feedback = self.judge(answer, time_limit)
        if correct:
            return True, ""
        shape = _answer_shape(answer)
        if shape in self.hints:
            return False, f"your answer has shape {shape}: {self.hints[shape]}"
        return False, feedback


def _answer_shape(answer):
    if isinstance(answer, sp.MatrixBase):
        return tuple(answer.shape)
    if isinstance(answer, (list, tuple, np.ndarray)):
        try:
            return tuple(np.shape(np.asarray(answer, dtype=object)))
        except ValueError:
            return None
    return None


def _as_sympy_matrix(answer):
    """(Matrix, '') for a sympy Matrix, a list of lists or an array of numbers/expressions."""
    if answer is None:
        return None, _none_feedback("a sympy Matrix")
    if isinstance(answer, sp.MatrixBase):
        return sp.Matrix(answer), ""
    if isinstance(answer, sp.Expr):
        return None, ("the answer is one expression; a Jacobian is a matrix: build it with "
                      "sp.Matrix([[...], [...]])")
    if isinstance(answer, (list, tuple, np.ndarray)):
        try:
            matrix = sp.Matrix(answer)
        except (TypeError, ValueError, sp.SympifyError) as error:
            return None, f"the answer ({describe(answer)}) is not a matrix: {error}"
        return matrix, ""
    if callable(answer):
        return None, (f"the answer is {describe(answer)}: give the Jacobian as a sympy Matrix "
                      "of expressions")
    return None, f"the answer is {describe(answer)}, not a sympy Matrix"


@dataclass
class MatrixExpression:
    """A sympy Matrix equal to ``expected`` entry by entry, as a function of ``variables``.

    ``variables`` maps each allowed Symbol to a (low, high) range; both matrices are
    evaluated at ``n_points`` random points there (fixed per exercise) and compared within
    ``rtol``.  Symbols are matched by name.  ``mistakes``: (Matrix, feedback).
    """

    expected: Any
    variables: dict
    mistakes: tuple = ()
    n_points: int = 6
    rtol: float = 1e-8

    def __call__(self, answer, time_limit: float | None = None):
        limit = time_limit or 5.0
        matrix, why = _as_sympy_matrix(answer)
        if matrix is None:
            return False, why
        expected = sp.Matrix(self.expected)
        if matrix.shape != expected.shape:
            return False, (f"your matrix has shape {matrix.shape[0]}×{matrix.shape[1]}, "
                           f"expected {expected.shape[0]}×{expected.shape[1]}: one row per "
                           "output, one column per input")
        names = {s.name: s for s in self.variables}
        free = set().union(*(sp.sympify(e).free_symbols for e in matrix))
        unknown = sorted(s.name for s in free if s.name not in names)
        if unknown:
            return False, (f"your matrix uses {', '.join(unknown)}, but it must be written in "
                           f"{', '.join(names)} only")
        matrix = matrix.xreplace({s: names[s.name] for s in free})
        points = self._points()
        mine = run_with_time_limit(lambda: self._values(matrix, points), limit)
        if mine.timed_out:
            return False, f"your matrix took more than {limit:g} s to evaluate"
        if mine.error is not None:
            return False, (f"your matrix cannot be evaluated: {type(mine.error).__name__}: "
                           f"{mine.error}")
        target = self._values(expected, points)
        if not np.all(np.isfinite(mine.value)):
            return False, "your matrix has an entry that is not a finite real number"
        if self._same(mine.value, target):
            return True, ""
        for wrong, message in self.mistakes:
            wrong = sp.Matrix(wrong)
            if wrong.shape == expected.shape and self._same(mine.value, self._values(wrong, points)):
                return False, message
        far = ~np.isclose(mine.value, target, rtol=self.rtol, atol=self.rtol)
        k, i, j = (int(n) for n in np.argwhere(far)[0])
        where = ", ".join(f"{s} = {v:.3g}" for s, v in points[k].items())
        return False, (f"the entry in row {i + 1}, column {j + 1} is wrong: at {where} it is "
                       f"{fmt(mine.value[k, i, j])}, but should be {fmt(target[k, i, j])}")

    def _points(self):
        rng = np.random.default_rng(zlib.crc32(str(self.expected).encode()))
        return [{s: float(rng.uniform(lo, hi)) for s, (lo, hi) in self.variables.items()}
                for _ in range(self.n_points)]

    @staticmethod
    def _values(matrix, points) -> np.ndarray:
        """(n_points, rows, cols) float values; NaN where an entry is not a real number."""
        out = np.empty((len(points), *matrix.shape))
        for k, point in enumerate(points):
            for (i, j), entry in np.ndenumerate(np.array(matrix.tolist(), dtype=object)):
                try:
                    value = complex(sp.sympify(entry).evalf(20, subs=point))
                    out[k, i, j] = value.real if abs(value.imag) < 1e-12 else np.nan
                except (TypeError, ValueError):
                    out[k, i, j] = np.nan
        return out

    def _same(self, a, b) -> bool:
        return bool(np.allclose(a, b, rtol=self.rtol, atol=self.rtol))


# ---------------------------------------------------------------- 4.1 shapes of products
# A (3, 2), B (2, 4); a layer with X (32, 5), W (3, 5), b (3,).
SHAPE_A, SHAPE_B = (3, 2), (2, 4)
N_41, IN_41, OUT_41 = 32, 5, 3
shape_AB = np.empty(SHAPE_A).dot(np.empty(SHAPE_B)).shape                         # (3, 4)
shape_AtA = (np.empty(SHAPE_A).T @ np.empty(SHAPE_A)).shape                        # (2, 2)
shape_layer = (np.empty((N_41, IN_41)) @ np.empty((OUT_41, IN_41)).T
               + np.empty(OUT_41)).shape                                           # (32, 3)

# ------------------------------------------------------------------- 4.2 products by hand
A_42 = np.array([[1, 2], [3, 4], [0, -1]])
B_42 = np.array([[2, 0, 1], [1, -1, 3]])
v_42 = np.array([2, -1])
Av_42 = A_42 @ v_42
AB_42 = A_42 @ B_42
BA_42 = B_42 @ A_42
BtAt_42 = B_42.T @ A_42.T


# ------------------------------------------------------------------ 4.3 one dense layer
def _dense_forward(X, W, b):
    return X @ W.T + b


def _input_gradient(G, W):
    return G @ W


_rng = np.random.default_rng(4)
LAYER_CASES = [
    # square W first: there a missing transpose still gives the right shape
    Case((_rng.normal(size=(5, 3)), _rng.normal(size=(3, 3)), _rng.normal(size=3)),
         "X of shape (5, 3), W of shape (3, 3), b of shape (3,)"),
    Case((_rng.normal(size=(4, 3)), _rng.normal(size=(2, 3)), _rng.normal(size=2)),
         "X of shape (4, 3), W of shape (2, 3), b of shape (2,)"),
    Case((_rng.normal(size=(1, 4)), _rng.normal(size=(6, 4)), _rng.normal(size=6)),
         "X of shape (1, 4), W of shape (6, 4), b of shape (6,)"),
]
GRAD_CASES = [
    Case((_rng.normal(size=(5, 3)), _rng.normal(size=(3, 3))),
         "G of shape (5, 3), W of shape (3, 3)"),
    Case((_rng.normal(size=(4, 2)), _rng.normal(size=(2, 3))),
         "G of shape (4, 2), W of shape (2, 3)"),
]

# ---------------------------------------------------------------------- 4.4 Jacobians
x1, x2, z1, z2 = sp.symbols("x1 x2 z1 z2")
W_44 = sp.Matrix([[1, -2], [3, 1]])
x_vec = sp.Matrix([x1, x2])
z_vec = sp.Matrix([z1, z2])


def sigma(t):
    """The sigmoid 1 / (1 + e^(-t)) as a sympy expression."""
    return 1 / (1 + sp.exp(-t))


def sigma_prime(t):
    return sigma(t) * (1 - sigma(t))


J_linear_44 = (W_44 * x_vec).jacobian(x_vec)                               # = W
J_sigmoid_44 = z_vec.applyfunc(sigma).jacobian(z_vec)                      # diag(σ'(z))
J_layer_44 = (W_44 * x_vec).applyfunc(sigma).jacobian(x_vec)               # diag(σ'(Wx)) W
assert J_linear_44 == W_44
assert sp.simplify(J_sigmoid_44 - sp.diag(*z_vec.applyfunc(sigma_prime))) == sp.zeros(2)
assert sp.simplify(J_layer_44 - sp.diag(*(W_44 * x_vec).applyfunc(sigma_prime)) * W_44) \
    == sp.zeros(2)
X_RANGE = {x1: (-1.5, 1.5), x2: (-1.5, 1.5)}
Z_RANGE = {z1: (-3.0, 3.0), z2: (-3.0, 3.0)}
_diag_at_Wx = sp.diag(*(W_44 * x_vec).applyfunc(sigma_prime))


# ------------------------------------------------------- 4.5 vector-Jacobian products
def _sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def _sigmoid_vjp(z, g):
    return g * _sigmoid_prime(z)


def _layer_vjp(X, W, b, G):
    Z = X @ W.T + b
    return (G * _sigmoid_prime(Z)) @ W


VJP_CASES = [
    Case((_rng.normal(0, 2, size=(4, 3)), _rng.normal(size=(4, 3))),
         "z and g of shape (4, 3)"),
    Case((_rng.normal(0, 2, size=6), _rng.normal(size=6)), "z and g of shape (6,)"),
    Case((_rng.normal(0, 2, size=(200, 50)), _rng.normal(size=(200, 50))),
         "z and g of shape (200, 50)"),
]
LAYER_VJP_CASES = [
    Case((_rng.normal(size=(5, 3)), _rng.normal(size=(3, 3)), _rng.normal(size=3),
          _rng.normal(size=(5, 3))),
         "X of shape (5, 3), W of shape (3, 3), b of shape (3,), G of shape (5, 3)"),
    Case((_rng.normal(size=(4, 3)), _rng.normal(size=(2, 3)), _rng.normal(size=2),
          _rng.normal(size=(4, 2))),
         "X of shape (4, 3), W of shape (2, 3), b of shape (2,), G of shape (4, 2)"),
]


# --------------------------------------------------- 4.6 gradients with respect to W
def _bilinear_by_central_differences(u, W, v):
    """The judge's reference for 4.6a: ∂(uᵀWv)/∂W by central differences, entry by entry."""
    W = np.array(W, dtype=np.float64)
    return numerical_gradient(lambda M: u @ M @ v, W, eps=1e-6)


def _least_squares_by_central_differences(W, x, y):
    """The judge's reference for 4.6b: ∂(½‖Wx - y‖²)/∂W by central differences."""
    W = np.array(W, dtype=np.float64)
    return numerical_gradient(lambda M: 0.5 * np.sum((M @ x - y) ** 2), W, eps=1e-6)


BILINEAR_CASES = [
    Case((_rng.normal(size=3), _rng.normal(size=(3, 3)), _rng.normal(size=3)),
         "u of shape (3,), W of shape (3, 3), v of shape (3,)"),
    Case((_rng.normal(size=2), _rng.normal(size=(2, 4)), _rng.normal(size=4)),
         "u of shape (2,), W of shape (2, 4), v of shape (4,)"),
]
LEAST_SQUARES_CASES = [
    Case((_rng.normal(size=(3, 3)), _rng.normal(size=3), _rng.normal(size=3)),
         "W of shape (3, 3), x of shape (3,), y of shape (3,)"),
    Case((_rng.normal(size=(2, 4)), _rng.normal(size=4), _rng.normal(size=2)),
         "W of shape (2, 4), x of shape (4,), y of shape (2,)"),
]
_GRAD_TOL = dict(rtol=1e-5, atol=1e-7)


# ------------------------------------------------------------------ 4.7 broadcasting
N_47 = 5
Y_HAT_47 = np.array([[0.9], [0.2], [0.4], [0.8], [0.1]])     # (5, 1): a network's output
Y_47 = np.array([1.0, 0.0, 0.0, 1.0, 0.0])                  # (5,): the targets
buggy_terms_47 = (Y_HAT_47 - Y_47).size                       # 25


def _mse_fixed(y_hat, y):
    return np.mean((np.reshape(y_hat, -1) - np.reshape(y, -1)) ** 2)


def _mse_buggy(y_hat, y):
    return np.mean((y_hat - y) ** 2)


MSE_CASES = [
    Case((Y_HAT_47, Y_47), "y_hat of shape (5, 1), y of shape (5,)"),
    Case((Y_HAT_47.ravel(), Y_47), "y_hat of shape (5,), y of shape (5,)"),
    Case((Y_HAT_47, Y_47[:, None]), "y_hat of shape (5, 1), y of shape (5, 1)"),
    Case((Y_HAT_47.ravel(), Y_47[:, None]), "y_hat of shape (5,), y of shape (5, 1)"),
]

_NO_TRANSPOSE = ("X @ W + b uses W without its transpose: W has shape (out, in), so the layer "
                 "is X @ W.T + b (for a square W the shapes fit anyway, the numbers do not)")

EXERCISES = [
    Exercise("4.1a", 1, "shape of A B", ShapeOrError(shape_AB, mistakes=(
        ((2, 2), "(2, 2) are the inner sizes, which must match and then disappear; the "
                 "outer ones, rows of A and columns of B, remain"),
        ((4, 3), "that is the shape of (A B)ᵀ = Bᵀ Aᵀ: A B has A's rows and B's columns"),
        ((3, 2), "(3, 2) is the shape of A itself; A B has A's 3 rows and B's 4 columns"),
        ("error", "A B is defined: A has 2 columns and B has 2 rows"),
    ))),
    Exercise("4.1b", 1, "shape of B A", ShapeOrError(None, mistakes=(
        ((3, 4), "(3, 4) is the shape of A B; in B A the inner sizes are B's 4 columns and "
                 "A's 3 rows, which do not match"),
        ((4, 3), "the inner sizes of B A are B's 4 columns and A's 3 rows: they differ, so "
                 "B A is not defined"),
        ((2, 2), "the inner sizes of B A are B's 4 columns and A's 3 rows: they differ, so "
                 "B A is not defined"),
    ))),
    Exercise("4.1c", 1, "shape of Aᵀ A", ShapeOrError(shape_AtA, mistakes=(
        ((3, 3), "(3, 3) is the shape of A Aᵀ; Aᵀ has shape (2, 3), so Aᵀ A is (2, 3)(3, 2)"),
        ((3, 2), "Aᵀ has shape (2, 3): transposing swaps the sizes"),
        ("error", "Aᵀ has shape (2, 3), so Aᵀ A is (2, 3)(3, 2): the inner sizes match"),
    ))),
    Exercise("4.1d", 1, "shape of X Wᵀ + b", ShapeOrError(shape_layer, mistakes=(
        ((3, 32), "that is the shape of W Xᵀ, one column per sample; X Wᵀ has one row per "
                  "sample (the batch comes first)"),
        ((32, 5), "(32, 5) is the shape of X itself; the layer maps 5 inputs to 3 outputs "
                  "per sample"),
        ("error", "X Wᵀ is (32, 5)(5, 3); and b of shape (3,) is added to every row"),
    ))),
    Exercise("4.2a", 1, "A v", ShapeHints(Array(Av_42, mistakes=(
        (-Av_42, "every entry has the wrong sign"),
    )), {(2,): "A v has one entry per row of A (3 rows), not per entry of v",
         (3, 2): "A v is a vector with one entry per row of A: add up each row, weighted by "
                 "v, rather than scaling the columns"})),
    Exercise("4.2b", 1, "A B", ShapeHints(Array(AB_42, mistakes=(
        (AB_42.T, "that is (A B)ᵀ: entry (i, j) of A B is row i of A times column j of B"),
    )), {(2, 2): "that is the shape of B A; A B has A's 3 rows and B's 3 columns"})),
    Exercise("4.2c", 1, "B A", ShapeHints(Array(BA_42, mistakes=(
        (BA_42.T, "that is (B A)ᵀ = Aᵀ Bᵀ: entry (i, j) of B A is row i of B times column j "
                  "of A"),
    )), {(3, 3): "that is the shape of A B; B A is (2, 3)(3, 2) = (2, 2): A B and B A are "
                 "not even the same size"})),
    Exercise("4.2d", 1, "(A B)ᵀ as Bᵀ Aᵀ", ShapeHints(Array(BtAt_42, mistakes=(
        (AB_42, "that is A B itself, not its transpose: row i of (A B)ᵀ is column i of A B"),
    )), {(2, 2): "that is the shape of Aᵀ Bᵀ = (B A)ᵀ; the transpose of a product reverses "
                 "the order, (A B)ᵀ = Bᵀ Aᵀ, which is (3, 2)(2, 3) = (3, 3)"})),
    Exercise("4.3a", 2, "dense_forward(X, W, b)", Function(
        _dense_forward, LAYER_CASES, mistakes=(
            (lambda X, W, b: X @ W + b, _NO_TRANSPOSE),
            (lambda X, W, b: X @ W.T, "the bias b is missing: add it to every row"),
            (lambda X, W, b: X @ W.T - b, "add b, do not subtract it"),
        ))),
    Exercise("4.3b", 2, "input_gradient(G, W)", Function(
        _input_gradient, GRAD_CASES, mistakes=(
            (lambda G, W: G @ W.T, "G @ W.T would be right if W had shape (in, out); here W "
                                   "is (out, in), and dL/dX = G W has the shape (N, in) of X"),
            (lambda G, W: G, "the gradient must go back through W: dL/dX = G W"),
        ))),
    Exercise("4.4a", 1, "Jacobian of W x", MatrixExpression(J_linear_44, X_RANGE, mistakes=(
        (W_44.T, "that is Wᵀ: in the book's layout row i of the Jacobian holds the partial "
                 "derivatives of output i, so the Jacobian of W x is W itself"),
    ))),
    Exercise("4.4b", 2, "Jacobian of σ(z), elementwise", MatrixExpression(
        J_sigmoid_44, Z_RANGE, mistakes=(
            (sp.diag(sigma(z1), sigma(z2)), "those are σ(z₁), σ(z₂) on the diagonal; the "
                                            "Jacobian holds derivatives, σ'(zᵢ) = σ(zᵢ)(1 - σ(zᵢ))"),
            (sp.Matrix(2, 2, lambda i, j: sigma_prime(z_vec[i])),
             "output i depends on z_i only, so ∂aᵢ/∂zⱼ = 0 for i ≠ j: the off-diagonal entries "
             "are 0"),
            (sp.diag(z1 * (1 - z1), z2 * (1 - z2)),
             "s(1 - s) is σ' written in the output s = σ(z): apply it to σ(zᵢ), not to zᵢ"),
        ))),
    Exercise("4.4c", 2, "Jacobian of σ(W x)", MatrixExpression(J_layer_44, X_RANGE, mistakes=(
        (W_44 * _diag_at_Wx, "the factors are in the wrong order: the chain rule puts the "
                             "outer function's Jacobian on the left, diag(σ'(W x)) · W"),
        (sp.diag(*x_vec.applyfunc(sigma_prime)) * W_44,
         "σ' must be taken at the pre-activation z = W x, not at x"),
        (_diag_at_Wx, "that is the Jacobian of σ at z = W x; multiply it by the Jacobian of "
                      "z = W x, which is W"),
        (_diag_at_Wx * W_44.T, "multiply by W, not Wᵀ: the Jacobian of W x is W"),
        (W_44, "that is the Jacobian of W x alone (4.4a); the chain rule multiplies it from the "
               "left by the sigmoid's Jacobian diag(σ'(W x))"),
    ))),
    Exercise("4.5a", 2, "sigmoid_vjp(z, g)", Function(_sigmoid_vjp, VJP_CASES, mistakes=(
        (lambda z, g: _sigmoid_prime(z), "that is σ'(z) alone: multiply it by g, entry by entry"),
        (lambda z, g: g * sigmoid(z), "multiply g by σ'(z) = σ(z)(1 - σ(z)), not by σ(z)"),
        (lambda z, g: g * z * (1 - z), "s(1 - s) is σ' in terms of the output: apply it to "
                                       "σ(z), not to z"),
    ))),
    Exercise("4.5b", 2, "layer_vjp(X, W, b, G)", Function(_layer_vjp, LAYER_VJP_CASES, mistakes=(
        (lambda X, W, b, G: G @ W, "the sigmoid's factor is missing: multiply G by σ'(Z) "
                                   "(4.5a) before going back through W"),
        (lambda X, W, b, G: (G * _sigmoid_prime(X @ W.T + b)) @ W.T,
         "go back through W with @ W, not @ W.T (4.3b): the result has the shape of X"),
        (lambda X, W, b, G: (G * _sigmoid_prime(X @ W.T)) @ W,
         "σ' is taken at Z = X Wᵀ + b: the bias is missing inside σ'"),
    ))),
    Exercise("4.6a", 2, "∂(uᵀ W v)/∂W", Function(
        _bilinear_by_central_differences, BILINEAR_CASES, **_GRAD_TOL, mistakes=(
            (lambda u, W, v: np.outer(v, u), "that is v uᵀ, the transpose of the gradient (the "
                                             "other layout): a gradient has the shape of W, "
                                             "and entry (i, j) is uᵢ vⱼ"),
            (lambda u, W, v: np.outer(u, W @ v), "entry (i, j) is ∂(uᵀWv)/∂Wᵢⱼ = uᵢ vⱼ: W "
                                                 "itself does not appear in it"),
        ))),
    Exercise("4.6b", 2, "∂(½‖W x - y‖²)/∂W", Function(
        _least_squares_by_central_differences, LEAST_SQUARES_CASES, **_GRAD_TOL, mistakes=(
            (lambda W, x, y: np.outer(x, W @ x - y), "that is x rᵀ, the transpose of the "
                                                     "gradient: with r = W x - y it is r xᵀ, of "
                                                     "W's shape"),
            (lambda W, x, y: 2 * np.outer(W @ x - y, x), "the ½ cancels the 2 from the square: "
                                                         "the gradient is r xᵀ, not 2 r xᵀ"),
            (lambda W, x, y: np.outer(W @ x - y, np.ones_like(x)),
             "the factor xⱼ is missing: ∂rᵢ/∂Wᵢⱼ = xⱼ, so the gradient is r xᵀ"),
        ))),
    Exercise("4.7a", 1, "shape of y_hat - y", ShapeOrError(np.shape(Y_HAT_47 - Y_47), mistakes=(
        ((5,), "that is what the loss needs, but numpy does not drop the 1: (5, 1) minus (5,) "
               "broadcasts to (5, 5)"),
        ((5, 1), "that is what the loss needs, but numpy lines the shapes up from the right: "
                 "(5, 1) against (1, 5) stretches both to (5, 5)"),
        ("error", "numpy does not refuse this one: (5, 1) and (5,) broadcast to (5, 5), "
                  "silently"),
        ((1, 5), "(5,) is padded on the left to (1, 5), but then both arrays stretch: (5, 1) "
                 "against (1, 5) gives (5, 5)"),
    ), rule="line the shapes up from the right, pad the shorter with 1s on the left, and "
            "stretch every axis of size 1")),
    Exercise("4.7b", 1, "number of terms in the buggy mean", Number(buggy_terms_47, mistakes=(
        (N_47, "5 is what the mean should run over; the buggy difference has shape (5, 5)"),
        (2 * N_47, "the difference is not (5, 1) and (5,) side by side: it is a (5, 5) table, "
                   "every prediction minus every target"),
        (1, "np.mean averages over every entry of the (5, 5) difference"),
    ))),
    Exercise("4.7c", 2, "mse_fixed(y_hat, y)", Function(_mse_fixed, MSE_CASES, mistakes=(
        (_mse_buggy, "this still broadcasts (5, 1) against (5,) to a (5, 5) table: bring both "
                     "to the same shape first, e.g. with .reshape(-1)"),
        (lambda y_hat, y: np.sum((np.reshape(y_hat, -1) - np.reshape(y, -1)) ** 2),
         "that is the sum of the squared errors; the MSE is their mean"),
        (lambda y_hat, y: np.mean(np.abs(np.reshape(y_hat, -1) - np.reshape(y, -1))),
         "square the errors, do not take their absolute values"),
        (lambda y_hat, y: np.mean((np.reshape(y_hat, -1) - y) ** 2),
         "flattening y_hat alone is not enough: when y has shape (N, 1) the bug comes back the "
         "other way round; bring both to shape (N,)"),
    ))),
]
