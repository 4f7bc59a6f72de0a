"""Chapter 1, Derivatives: the expected answers of the graded exercises and how each is judged.

The notebook is ``solutions/01-derivatives.ipynb`` (learners get ``exercises/``).
Every expected answer below is computed (by sympy or numpy), not typed in, except the
table of the unnamed method in 1.7c, which the notebook prints and this module shares.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..activations import sigmoid
from . import Exercise
from .judges import Array, BuildsOn, Case, Expression, Function, Number

TITLE = "Derivatives"

x, s, t = sp.symbols("x s t")
X_RANGE = {x: (-2.0, 2.0)}

# ---- 1.1 Power and sum rules: f(x) = 3x⁴ - 5x² + 7x - 2
f_11 = 3 * x**4 - 5 * x**2 + 7 * x - 2
df_11 = sp.diff(f_11, x)
tangent_11 = f_11.subs(x, 1) + df_11.subs(x, 1) * (x - 1)

# ---- 1.2 Product and quotient rules
dp_12 = sp.diff(x**2 * sp.exp(x), x)
dq_12 = sp.diff(sp.log(x) / x, x)

# ---- 1.3 Chain rule
d1_13 = sp.diff((3 * x + 1) ** 5, x)
d2_13 = sp.diff(sp.exp(-x**2), x)
d3_13 = sp.diff(sp.log(1 + sp.exp(x)), x)

# ---- 1.4 Sigmoid and tanh
sigma_x = 1 / (1 + sp.exp(-x))
dsigma_14 = sp.diff(sigma_x, x)
# σ' = σ(1 - σ) and tanh' = 1 - tanh²: the right-hand sides, with s = σ(x) and t = tanh(x).
dsigma_in_s = s * (1 - s)
dtanh_in_t = 1 - t**2
assert sp.simplify(dsigma_14 - dsigma_in_s.subs(s, sigma_x)) == 0
assert sp.simplify(sp.diff(sp.tanh(x), x) - dtanh_in_t.subs(t, sp.tanh(x))) == 0


# ---- 1.5 Where the derivative is zero: g(x) = x³ - 3x² - 9x + 5
g_15 = x**3 - 3 * x**2 - 9 * x + 5
dg_15 = sp.diff(g_15, x)
critical_15 = sp.solve(dg_15, x)                       # [-1, 3]
x_min_15 = next(c for c in critical_15 if sp.diff(g_15, x, 2).subs(x, c) > 0)
x_max_15 = next(c for c in critical_15 if sp.diff(g_15, x, 2).subs(x, c) < 0)
x_inflection_15 = sp.solve(sp.diff(g_15, x, 2), x)[0]


# ---- 1.6 Finite differences
def _forward(f, x, h):
    return (f(x + h) - f(x)) / h


def _backward(f, x, h):
    return (f(x) - f(x - h)) / h


def _central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def _sigmoid_prime_by_central_differences(x, h=1e-5):
    """The judge's reference for 1.4d: (σ(x + h) - σ(x - h)) / 2h, accurate to ~1e-11."""
    return _central(sigmoid, np.asarray(x, dtype=np.float64), h)


def cubic(x):
    """x³ - 2x, a test function for the finite differences."""
    return x**3 - 2 * x


DIFFERENCE_CASES = [
    Case((np.sin, 0.5, 1e-3), "f = np.sin, x = 0.5, h = 0.001"),
    Case((np.exp, np.array([-1.0, 0.0, 0.5, 2.0]), 1e-4),
         "f = np.exp, x = np.array([-1.0, 0.0, 0.5, 2.0]), h = 0.0001"),
    Case((cubic, np.array([[0.0, 1.0, 2.0], [-1.0, -2.0, 3.0]]), 1e-2),
         "f(x) = x**3 - 2*x, x = a 2×3 array, h = 0.01"),
]

# ---- 1.7 Error orders
HS_17 = 10.0 ** -np.arange(1, 5)                        # 0.1, 0.01, 0.001, 0.0001
errors_central_17 = np.abs(_central(np.exp, 1.0, HS_17) - np.e)
errors_forward_17 = np.abs(_forward(np.exp, 1.0, HS_17) - np.e)
# The unnamed method of 1.7c (the five-point stencil), its errors rounded to 2 digits
# as the notebook prints them; the slope of their log-log line is 4.0.
H_TABLE_17 = np.array([0.4, 0.2, 0.1, 0.05])
ERROR_TABLE_17 = np.array([4.5e-4, 2.9e-5, 1.8e-6, 1.1e-7])
order_mystery_17 = float(np.polyfit(np.log10(H_TABLE_17), np.log10(ERROR_TABLE_17), 1)[0])
order_central_17 = float(np.polyfit(np.log10(HS_17), np.log10(errors_central_17), 1)[0])

_ORDER = dict(rtol=0.0, atol=0.15)

EXERCISES = [
    Exercise("1.1a", 2, "f'(x) of 3x⁴ - 5x² + 7x - 2", Expression(
        df_11, X_RANGE, mistakes=(
            (12 * x**4 - 10 * x**2 + 7 * x,
             "you multiplied by each exponent but did not lower it by one: d/dx xⁿ = n·xⁿ⁻¹"),
            (3 * x**3 - 5 * x + 7,
             "you lowered each exponent but did not multiply by it: d/dx xⁿ = n·xⁿ⁻¹"),
        ))),
    Exercise("1.1b", 1, "slope f'(1)", BuildsOn("1.1a", Number(float(df_11.subs(x, 1)), mistakes=(
        (float(f_11.subs(x, 1)), "that is f(1), the height of the graph at x = 1; "
                                 "the slope there is f'(1)"),
    )))),
    Exercise("1.1c", 2, "tangent line at x = 1", BuildsOn("1.1b", Expression(
        tangent_11, X_RANGE, mistakes=(
            (df_11, "that is f'(x), the slope at every x; the tangent at x = 1 is the "
                    "straight line y = f(1) + f'(1)·(x - 1)"),
            (df_11.subs(x, 1) * x, "this line has the right slope but passes through (0, 0); "
                                   "the tangent touches the graph at (1, f(1))"),
            (df_11.subs(x, 1) * (x - 1), "this line passes through (1, 0); the tangent touches "
                                         "the graph at (1, f(1)), so add f(1)"),
        )))),
    Exercise("1.2a", 2, "(x² eˣ)' by the product rule", Expression(
        dp_12, X_RANGE, mistakes=(
            (2 * x * sp.exp(x), "that is only one of the two terms: (u·v)' = u'·v + u·v'"),
            (x**2 * sp.exp(x), "that is only one of the two terms (u·v'): (u·v)' = u'·v + u·v'"),
        ))),
    Exercise("1.2b", 2, "(ln x / x)' by the quotient rule", Expression(
        dq_12, {x: (0.2, 4.0)}, mistakes=(
            (1 / x, "the derivative of a quotient is not the quotient of the derivatives: "
                    "(u/v)' = (u'·v - u·v') / v²"),
            ((1 - sp.log(x)) / x, "divide by v² = x², not by v = x"),
            ((sp.log(x) - 1) / x**2, "the sign is flipped: in (u'·v - u·v') / v² the u' term "
                                     "comes first"),
        ))),
    Exercise("1.3a", 1, "((3x + 1)⁵)' by the chain rule", Expression(
        d1_13, {x: (-1.0, 1.0)}, mistakes=(
            (5 * (3 * x + 1) ** 4, "missing the inner derivative: multiply by "
                                   "d/dx (3x + 1) = 3"),
        ))),
    Exercise("1.3b", 2, "(e^(-x²))' by the chain rule", Expression(
        d2_13, X_RANGE, mistakes=(
            (sp.exp(-x**2), "that is the function itself: eᵘ is its own derivative, but the "
                            "chain rule also multiplies by u' = d/dx (-x²) = -2x"),
            (-x**2 * sp.exp(-x**2), "multiply by the derivative of the inner -x², which is "
                                    "-2x, not by -x² itself"),
        ))),
    Exercise("1.3c", 2, "(ln(1 + eˣ))' by the chain rule", Expression(
        d3_13, X_RANGE, mistakes=(
            (1 / (1 + sp.exp(x)), "(ln u)' = u'/u: you have 1/u, now multiply by u' = eˣ"),
            (sp.exp(x), "(ln u)' = u'/u: you have u' = eˣ, now divide by u = 1 + eˣ"),
        )), when_correct="This is σ(x): the sigmoid is the derivative of ln(1 + eˣ)."),
    Exercise("1.4a", 2, "σ'(x) in terms of x", Expression(
        dsigma_14, X_RANGE, mistakes=(
            (-sp.exp(-x) / (1 + sp.exp(-x)) ** 2,
             "the sign: the derivative of 1 + e⁻ˣ is -e⁻ˣ, and its minus cancels the one "
             "from d/du (1/u) = -1/u²"),
            (-1 / (1 + sp.exp(-x)) ** 2, "missing the inner derivative: multiply by "
                                         "d/dx (1 + e⁻ˣ) = -e⁻ˣ"),
        ))),
    Exercise("1.4b", 2, "σ' in terms of s = σ(x)", Expression(
        dsigma_in_s, {s: (0.01, 0.99)}, symbol_note="s stands for σ(x): write σ' with s only",
        mistakes=(
            (1 - s, "1 - s is only one factor: σ' = σ·(1 - σ)"),
            (s**2, "σ' = σ·(1 - σ), which is s·(1 - s), not s²"),
        ))),
    Exercise("1.4c", 1, "tanh' in terms of t = tanh(x)", Expression(
        dtanh_in_t, {t: (-0.99, 0.99)}, symbol_note="t stands for tanh(x): write tanh' with t only",
        mistakes=(
            (1 + t**2, "1 + t² would be the derivative of tan; for tanh it is 1 - tanh²"),
            (1 - t, "square t: tanh' = 1 - tanh²"),
        ))),
    Exercise("1.4d", 2, "sigmoid_prime(x) in numpy", Function(
        _sigmoid_prime_by_central_differences,
        cases=[Case((0.0,), "x = 0.0"),
               Case((np.linspace(-6.0, 6.0, 7),), "x = np.linspace(-6, 6, 7)"),
               Case((np.array([[-2.0, 0.5, 3.0], [1.0, -0.25, 8.0]]),), "x = a 2×3 array")],
        rtol=1e-6, atol=1e-9, mistakes=(
            (lambda x: x * (1 - x), "you applied s·(1 - s) to x itself; apply it to s = σ(x)"),
            (lambda x: sigmoid(x), "that is σ(x) itself, not its derivative σ(x)·(1 - σ(x))"),
            (lambda x: -sigmoid(x) * (1 - sigmoid(x)), "the sign is wrong: σ' = σ·(1 - σ) > 0"),
        ))),
    Exercise("1.5a", 1, "g'(x) of x³ - 3x² - 9x + 5", Expression(dg_15, X_RANGE)),
    Exercise("1.5b", 2, "x of the local minimum of g", Number(float(x_min_15), mistakes=(
        (float(x_max_15), "g' is 0 there too, but there g has a local maximum (g'' < 0)"),
        (float(x_inflection_15), "that is where g'' = 0 (the bend changes direction), "
                                 "not where g' = 0"),
    ))),
    Exercise("1.5c", 1, "the local minimum value g(x_min)", BuildsOn("1.5b", Number(
        float(g_15.subs(x, x_min_15)), mistakes=(
            (float(g_15.subs(x, x_max_15)), "that is g at the local maximum"),
            (0.0, "0 is g'(x_min), the slope there; the answer is the value g(x_min)"),
        )))),
    Exercise("1.6a", 2, "forward_difference(f, x, h)", Function(
        _forward, DIFFERENCE_CASES, mistakes=(
            (_central, "that is the central difference; the forward difference is "
                       "(f(x + h) - f(x)) / h"),
            (_backward, "that is the backward difference (it uses x - h); the forward "
                        "difference is (f(x + h) - f(x)) / h"),
            (lambda f, x, h: f(x + h) - f(x), "divide the difference by h"),
            (lambda f, x, h: (f(x) - f(x + h)) / h, "the sign is flipped: f(x + h) comes first"),
        ))),
    Exercise("1.6b", 2, "central_difference(f, x, h)", Function(
        _central, DIFFERENCE_CASES, mistakes=(
            (_forward, "that is the forward difference; the central one is "
                       "(f(x + h) - f(x - h)) / (2h)"),
            (lambda f, x, h: (f(x + h) - f(x - h)) / h,
             "the step from x - h to x + h is 2h: divide by 2h, not h"),
            (lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h,
             "`/ 2 * h` divides by 2 and then multiplies by h: write `/ (2 * h)`"),
            (lambda f, x, h: (f(x + h) - f(x - h)) / 2,
             "you divided by 2 only: divide by 2h, the distance from x - h to x + h"),
        ))),
    Exercise("1.7a", 2, "errors of the central difference", BuildsOn("1.6b", Array(
        errors_central_17, rtol=1e-3, label=lambda i: f"h = {HS_17[i[0]]:g}",
        what="an array of 4 errors, one per h", mistakes=(
            (errors_forward_17, "these are the errors of the forward difference; use "
                                "central_difference"),
            (_central(np.exp, 1.0, HS_17), "these are the estimates of f'(1); the error is "
                                           "|estimate - e|"),
            (errors_central_17 / np.e, "these are relative errors; the error asked for is "
                                       "|estimate - e|"),
        )))),
    Exercise("1.7b", 1, "order of the central difference", BuildsOn("1.7a", Number(
        order_central_17, **_ORDER,
        mistakes=(
            (-order_central_17, "the error falls as h falls, so the slope of log(error) "
                                "against log(h) is positive: check the sign of your log(h)"),
            (1 / order_central_17, "that is 1/order: you put log(h) on the vertical axis"),
            (1.0, "1 is the order of the forward difference; use the central errors"),
        )))),
    Exercise("1.7c", 2, "order of the unnamed method", Number(order_mystery_17, **_ORDER,
        mistakes=(
            (16.0, "16 is the factor by which the error shrinks when h halves; the order p "
                   "solves 2ᵖ = 16", 1.0),
            (-order_mystery_17, "the error falls as h falls, so the slope of log(error) "
                                "against log(h) is positive: check the sign of your log(h)"),
            (1 / order_mystery_17, "that is 1/order: you put log(h) on the vertical axis"),
        ))),
]
