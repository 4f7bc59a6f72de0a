"""Chapter 1's answer key against typical learner answers (the contract is in
tests/test_answer_keys.py): WRONG_ANSWERS lists, for each part, at least three typical wrong
answers with a phrase its feedback must contain; RIGHT_ANSWERS lists correct answers written
differently from the solutions notebook."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from nnlib import sigmoid
from nnlib.exercises import ch01

from .learner_code import crashes, endless, endless_and_stubborn, forgets_return, returns_nan

x, s, t, y = sp.symbols("x s t y")


def central_in_place(f, x, h):
    x += h
    above = f(x)
    x -= 2 * h
    return (above - f(x)) / (2 * h)


def forward_in_place(f, x, h):
    here = f(x)
    x += h
    return (f(x) - here) / h


def sigmoid_prime_in_place(x):
    x *= -1.0  # then σ(-x)·σ(x) would even be right: the change alone is the mistake
    return sigmoid(x) * sigmoid(-x)


def sigmoid_prime_float32(x):
    # Feedback 3: in float32 the numbers agree to 6 digits; the feedback must show the gap.
    value = sigmoid(np.asarray(x, dtype=np.float32))
    return value * (1 - value)


HS = ch01.HS_17
E_CENTRAL = ch01.errors_central_17

WRONG_ANSWERS = [
    # 1.1a: f'(x) of 3x⁴ - 5x² + 7x - 2
    ("1.1a", -(12 * x**3 - 10 * x + 7), "wrong sign"),
    ("1.1a", 12 * x**4 - 10 * x**2 + 7 * x, "did not lower it"),
    ("1.1a", 3 * x**3 - 5 * x + 7, "did not multiply by it"),
    ("1.1a", 12 * x**3 - 10 * x, "off by the constant -7"),
    ("1.1a", "12*x**3 - 10*y + 7", "uses y"),
    ("1.1a", None, "None"),
    ("1.1a", sp.Derivative(3 * x**4 - 5 * x**2 + 7 * x - 2, x), "unevaluated derivative"),  # Also
    ("1.1a", sp.Integer(3), "no x in it"),  # what a formula becomes after x = 1 (feedback 1)
    # 1.1b: f'(1) = 9
    ("1.1b", 3, "that is f(1)"),
    ("1.1b", float("nan"), "NaN"),
    ("1.1b", [9, 9], "give one number"),
    ("1.1b", 9 * x, "still contains the symbol(s) x"),
    ("1.1b", "9", "without quotes"),
    ("1.1b", -9, "wrong sign"),
    ("1.1b", sp.Integer(0) / 0, "0/0"),  # feedback 2: sympy's nan, not "(nan+nanj)"
    ("1.1b", sp.Integer(1) / 0, "division by zero"),  # feedback 2: sympy's zoo
    # 1.1c: the tangent at x = 1
    ("1.1c", 9 * x, "passes through (0, 0)"),
    ("1.1c", 9 * (x - 1), "passes through (1, 0)"),
    ("1.1c", 12 * x**3 - 10 * x + 7, "the slope at every x"),
    ("1.1c", sp.Eq(y, 9 * x - 6), "equation"),
    # 1.2a: (x² eˣ)'
    ("1.2a", 2 * x * sp.exp(x), "only one of the two terms"),
    ("1.2a", x**2 * sp.exp(x), "only one of the two terms (u·v')"),
    ("1.2a", -(x**2 + 2 * x) * sp.exp(x), "wrong sign"),
    ("1.2a", sp.exp, "the function exp itself"),
    # 1.2b: (ln x / x)'
    ("1.2b", 1 / x, "not the quotient of the derivatives"),
    ("1.2b", (1 - sp.log(x)) / x, "divide by v² = x²"),
    ("1.2b", (sp.log(x) - 1) / x**2, "sign is flipped"),
    ("1.2b", sp.log(x) / x**2, "your expression equals"),
    # 1.3a: ((3x + 1)⁵)'
    ("1.3a", 5 * (3 * x + 1) ** 4, "missing the inner derivative"),
    ("1.3a", 45 * (3 * x + 1) ** 4, "3 times the right answer"),
    ("1.3a", -15 * (3 * x + 1) ** 4, "wrong sign"),
    ("1.3a", (3 * x + 1) ** 5, "your expression equals"),
    # 1.3b: (e^(-x²))'
    ("1.3b", sp.exp(-x**2), "the function itself"),
    ("1.3b", 2 * x * sp.exp(-x**2), "wrong sign"),
    ("1.3b", -x**2 * sp.exp(-x**2), "not by -x² itself"),
    ("1.3b", float("nan"), "nan"),
    # 1.3c: (ln(1 + eˣ))'
    ("1.3c", 1 / (1 + sp.exp(x)), "you have 1/u"),
    ("1.3c", sp.exp(x), "now divide by u"),
    ("1.3c", lambda x: math.exp(x) / (1 + math.exp(x)), "a Python function"),
    # 1.4a: σ'(x)
    ("1.4a", -sp.exp(-x) / (1 + sp.exp(-x)) ** 2, "the sign"),
    ("1.4a", -1 / (1 + sp.exp(-x)) ** 2, "missing the inner derivative"),
    ("1.4a", [sp.exp(-x) / (1 + sp.exp(-x)) ** 2], "a list of 1 item"),
    ("1.4a", None, "None"),
    # 1.4b: σ' in terms of s
    ("1.4b", sp.exp(-x) / (1 + sp.exp(-x)) ** 2, "uses x"),
    ("1.4b", 1 - s, "only one factor"),
    ("1.4b", s**2, "not s²"),
    ("1.4b", s * (s - 1), "wrong sign"),
    # 1.4c: tanh' in terms of t
    ("1.4c", 1 + t**2, "derivative of tan"),
    ("1.4c", t**2 - 1, "wrong sign"),
    ("1.4c", 1 - t, "square t"),
    ("1.4c", 1 - sp.tanh(x) ** 2, "uses x"),
    # 1.4d: sigmoid_prime(x) in numpy
    ("1.4d", lambda x: x * (1 - x), "applied s·(1 - s) to x itself"),
    ("1.4d", lambda x: -sigmoid(x) * (1 - sigmoid(x)), "sign is wrong"),
    ("1.4d", endless, "did not finish within"),
    ("1.4d", crashes, "raised ZeroDivisionError"),
    ("1.4d", lambda x: float(np.sum(sigmoid(x) * sigmoid(-x))), "expected shape (7,)"),
    ("1.4d", sigmoid_prime_in_place, "in place"),
    ("1.4d", returns_nan, "returned nan"),
    ("1.4d", forgets_return, "forget `return`"),
    ("1.4d", "s*(1-s)", "not a function"),
    ("1.4d", s * (1 - s), "the formula s*(1 - s), not a function"),  # feedback 6: no "a Mul"
    ("1.4d", sigmoid_prime_float32, "float32"),  # feedback 3
    # 1.5a: g'(x)
    ("1.5a", -(3 * x**2 - 6 * x - 9), "wrong sign"),
    ("1.5a", 3 * x**2 - 6 * x, "off by the constant 9"),
    ("1.5a", x**3 - 3 * x**2 - 9 * x + 5, "your expression equals"),
    # 1.5b: where g has its local minimum
    ("1.5b", -1, "local maximum"),
    ("1.5b", 1, "g'' = 0"),
    ("1.5b", [-1, 3], "give one number"),
    ("1.5b", None, "None"),
    # 1.5c: g at the minimum
    ("1.5c", 10, "local maximum"),
    ("1.5c", 0, "the slope there"),
    ("1.5c", math.nan, "NaN"),
    ("1.5c", "-22", "without quotes"),
    # 1.6a: forward_difference
    ("1.6a", ch01._central, "that is the central difference"),
    ("1.6a", ch01._backward, "backward difference"),
    ("1.6a", lambda f, x, h: f(x + h) - f(x), "divide the difference by h"),
    ("1.6a", lambda f, x, h: (f(x) - f(x + h)) / h, "sign is flipped"),
    ("1.6a", forward_in_place, "in place"),
    ("1.6a", endless_and_stubborn, "did not finish within"),
    ("1.6a", forgets_return, "forget `return`"),
    # 1.6b: central_difference
    ("1.6b", ch01._forward, "that is the forward difference"),
    ("1.6b", lambda f, x, h: (f(x + h) - f(x - h)) / h, "divide by 2h"),
    ("1.6b", lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h, "`/ (2 * h)`"),
    ("1.6b", lambda f, x, h: (f(x + h) - f(x - h)) / 2, "divided by 2 only"),  # feedback 5
    ("1.6b", central_in_place, "in place"),
    ("1.6b", endless, "did not finish within"),
    ("1.6b", crashes, "raised ZeroDivisionError"),
    ("1.6b", lambda f, x, h: float(np.mean((f(x + h) - f(x - h)) / (2 * h))), "expected shape (4,)"),
    ("1.6b", lambda f, x: 0.0, "raised TypeError"),
    ("1.6b", returns_nan, "returned nan"),
    # 1.7a: errors of the central difference
    ("1.7a", ch01.errors_forward_17, "errors of the forward difference"),
    ("1.7a", (np.exp(1 + HS) - np.exp(1 - HS)) / (2 * HS), "estimates of f'(1)"),
    ("1.7a", E_CENTRAL / np.e, "relative errors"),
    ("1.7a", E_CENTRAL[:3], "expected shape (4,)"),
    ("1.7a", np.r_[E_CENTRAL[:3], np.nan], "not a finite number"),
    ("1.7a", E_CENTRAL[::-1], "the entry at h = 0.1"),
    ("1.7a", None, "None"),
    # 1.7b: order of the central difference
    ("1.7b", -2.0, "slope of log(error)"),
    ("1.7b", 0.5, "on the vertical axis"),
    ("1.7b", 1.0, "order of the forward difference"),
    ("1.7b", "2", "without quotes"),
    # feedback 7: np.log of the errors against np.log10 of h gives 2·ln 10 = 4.60517
    ("1.7b", float(np.polyfit(np.log10(HS), np.log(E_CENTRAL), 1)[0]), "ln 10"),
    ("1.7b", float(np.polyfit(np.log(HS), np.log10(E_CENTRAL), 1)[0]), "np.log10"),
    # 1.7c: order of the unnamed method
    ("1.7c", 16, "2ᵖ = 16"),
    ("1.7c", 4.5e-4 / 2.9e-5, "2ᵖ = 16"),  # the ratio from the first two rows, 15.5
    ("1.7c", -4.0, "slope of log(error)"),
    ("1.7c", 0.25, "on the vertical axis"),
]

RIGHT_ANSWERS = [
    ("1.1a", x * (12 * x**2 - 10) + 7),
    ("1.1a", "7 - 10*x + 12*x^3"),                       # a string, with ^ for powers
    ("1.1a", 12 * sp.Symbol("x", real=True) ** 3 - 10 * sp.Symbol("x", real=True) + 7),
    ("1.1b", np.float32(9.0)),
    ("1.1b", sp.Integer(9)),
    ("1.1c", 9 * x - 6),
    ("1.2a", x * (x + 2) * sp.exp(x)),
    ("1.2b", 1 / x**2 - sp.log(x) / x**2),
    ("1.2b", sp.log(sp.E / x) / x**2),                   # simplify cannot show this one
    ("1.3a", sp.expand(15 * (3 * x + 1) ** 4)),
    ("1.3b", -2 * x / sp.exp(x**2)),
    ("1.3c", 1 / (1 + sp.exp(-x))),
    ("1.4a", sp.exp(x) / (1 + sp.exp(x)) ** 2),
    ("1.4a", 1 / (4 * sp.cosh(x / 2) ** 2)),
    ("1.4b", s - s**2),
    ("1.4b", "s*(1 - s)"),
    ("1.4c", (1 - t) * (1 + t)),
    ("1.4d", lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
    ("1.4d", lambda x: sigmoid(x) * sigmoid(-x)),
    ("1.5a", 3 * (x - 3) * (x + 1)),
    ("1.5b", sp.Integer(3)),
    ("1.5b", np.float64(3.0000000001)),
    ("1.5c", sp.Integer(-22)),
    ("1.5c", -22.0),
    ("1.6a", lambda f, x, h: f(x + h) / h - f(x) / h),
    ("1.6b", lambda f, x, h: 0.5 * (f(x + h) - f(x - h)) / h),
    ("1.7a", [abs((math.exp(1 + h) - math.exp(1 - h)) / (2 * h) - math.e) for h in HS]),
    ("1.7b", math.log(E_CENTRAL[-1] / E_CENTRAL[0]) / math.log(HS[-1] / HS[0])),
    ("1.7c", np.log2(2.9e-5 / 1.8e-6)),
]


def test_answer_key_agrees_with_independent_sympy_derivatives():
    # The expected answers are computed by sp.diff; check the derived forms against it.
    sigma = 1 / (1 + sp.exp(-x))
    assert sp.simplify(sp.diff(sigma, x) - ch01.dsigma_in_s.subs(s, sigma)) == 0
    assert sp.simplify(sp.diff(sp.tanh(x), x) - ch01.dtanh_in_t.subs(t, sp.tanh(x))) == 0
    assert sp.simplify(ch01.d3_13 - sigma) == 0
    assert (ch01.x_min_15, ch01.g_15.subs(x, ch01.x_min_15)) == (3, -22)
    assert ch01.order_central_17 == pytest.approx(2, abs=0.01)
    assert ch01.order_mystery_17 == pytest.approx(4, abs=0.05)
