"""Chapter 4's answer key against typical learner answers (the contract is in
tests/test_answer_keys.py): WRONG_ANSWERS lists, for each part, at least three typical wrong
answers with a phrase its feedback must contain; RIGHT_ANSWERS lists correct answers written
differently from the solutions notebook."""
from __future__ import annotations

import numpy as np
import sympy as sp

from nnlib import sigmoid
from nnlib.exercises import ch04

from .learner_code import crashes, endless, forgets_return

A, B, v = ch04.A_42, ch04.B_42, ch04.v_42
W = ch04.W_44
x1, x2, z1, z2, y = sp.symbols("x1 x2 z1 z2 y")
xv = sp.Matrix([x1, x2])
s = ch04.sigma


def sp_prime(t):
    return s(t) * (1 - s(t))


def diag_prime_at(vector):
    return sp.diag(*[sp_prime(e) for e in vector])


def dense_in_place(X, W, b):
    X @= W.T if X.shape[1] == W.shape[0] else np.eye(X.shape[1])
    return X @ W.T + b


def vjp_in_place(z, g):
    g *= sigmoid(z) * (1 - sigmoid(z))
    return g


def vjp_by_full_jacobian(z, g):
    # One Jacobian per sample: right, only wasteful.
    z2d, g2d = np.atleast_2d(z), np.atleast_2d(g)
    out = np.stack([gi @ np.diag(sigmoid(zi) * (1 - sigmoid(zi))) for zi, gi in zip(z2d, g2d)])
    return out.reshape(np.shape(z))


def mse_in_place(y_hat, y):
    y_hat -= np.reshape(y, np.shape(y_hat)) if np.size(y_hat) == np.size(y) else 0
    return np.mean(y_hat ** 2)


WRONG_ANSWERS = [
    # 4.1a: shape of A B, A (3, 2), B (2, 4)
    ("4.1a", (2, 2), "inner sizes"),
    ("4.1a", (4, 3), "(A B)ᵀ"),
    ("4.1a", "error", "A B is defined"),
    ("4.1a", (3, 2, 4), "is wrong"),
    ("4.1a", (3, 2), "shape of A itself"),
    ("4.1a", np.zeros((3, 4)), "not the array itself"),
    ("4.1a", "3x4", "exactly the string"),
    ("4.1a", None, "None"),
    # 4.1b: B A is not defined
    ("4.1b", (3, 4), "shape of A B"),
    ("4.1b", (4, 3), "not defined"),
    ("4.1b", (2, 2), "not defined"),
    ("4.1b", (4, 4), "not defined"),
    # 4.1c: shape of Aᵀ A
    ("4.1c", (3, 3), "A Aᵀ"),
    ("4.1c", (3, 2), "transposing swaps"),
    ("4.1c", "error", "inner sizes match"),
    ("4.1c", [2.5, 2], "not a tuple of whole numbers"),
    # 4.1d: shape of X Wᵀ + b
    ("4.1d", (3, 32), "one row per sample"),
    ("4.1d", (32, 5), "shape of X itself"),
    ("4.1d", "error", "added to every row"),
    ("4.1d", (32, 3, 3), "is wrong"),
    # 4.2a: A v
    ("4.2a", -(A @ v), "wrong sign"),
    ("4.2a", v, "one entry per row of A"),
    ("4.2a", A * v, "add up each row"),
    ("4.2a", [0, 2, 2], "the entry at index 2 is 2"),
    # 4.2b: A B
    ("4.2b", B @ A, "shape of B A"),
    ("4.2b", (A @ B).T, "that is (A B)ᵀ"),
    ("4.2b", A @ B + 1, "the entry at index (0, 0) is 5"),
    ("4.2b", "A @ B", "not an array"),
    # 4.2c: B A
    ("4.2c", A @ B, "not even the same size"),
    ("4.2c", (B @ A).T, "(B A)ᵀ"),
    ("4.2c", B @ A * 2, "it should be about 2"),
    # 4.2d: (A B)ᵀ = Bᵀ Aᵀ
    ("4.2d", A @ B, "not its transpose"),
    ("4.2d", A.T @ B.T, "reverses the order"),
    ("4.2d", B.T @ A.T - 1, "should be about 4"),
    ("4.2d", None, "None"),
    # 4.3a: dense_forward
    ("4.3a", lambda X, W, b: X @ W + b, "without its transpose"),
    ("4.3a", lambda X, W, b: X @ W.T, "bias b is missing"),
    ("4.3a", lambda X, W, b: X @ W.T - b, "do not subtract"),
    ("4.3a", lambda X, W, b: W @ X.T + b[:, None], "expected shape (5, 3)"),
    ("4.3a", dense_in_place, "in place"),
    ("4.3a", forgets_return, "forget `return`"),
    ("4.3a", endless, "did not finish within"),
    # 4.3b: input_gradient
    ("4.3b", lambda G, W: G @ W.T, "W is (out, in)"),
    ("4.3b", lambda G, W: G, "back through W"),
    ("4.3b", lambda G, W: W.T @ G.T, "expected shape (5, 3)"),
    ("4.3b", crashes, "raised ZeroDivisionError"),
    # 4.4a: Jacobian of W x
    ("4.4a", W.T, "that is Wᵀ"),
    ("4.4a", W * xv, "shape 2×1"),
    ("4.4a", sp.Matrix([[1, -2], [3, 2]]), "row 2, column 2"),
    ("4.4a", sp.Matrix([[1, -2], [3, y]]), "uses y"),
    ("4.4a", x1 - 2 * x2, "one expression"),
    # 4.4b: Jacobian of σ(z)
    ("4.4b", sp.diag(s(z1), s(z2)), "the Jacobian holds derivatives"),
    ("4.4b", sp.Matrix([[sp_prime(z1)] * 2, [sp_prime(z2)] * 2]), "off-diagonal entries are 0"),
    ("4.4b", sp.diag(z1 * (1 - z1), z2 * (1 - z2)), "apply it to σ(zᵢ)"),
    ("4.4b", sp.Matrix([sp_prime(z1), sp_prime(z2)]), "one row per output"),
    ("4.4b", sp.diag(sp_prime(x1), sp_prime(x2)), "uses x1, x2"),
    # 4.4c: Jacobian of σ(W x)
    ("4.4c", W * diag_prime_at(W * xv), "wrong order"),
    ("4.4c", diag_prime_at(xv) * W, "not at x"),
    ("4.4c", diag_prime_at(W * xv), "multiply it by the Jacobian of"),
    ("4.4c", diag_prime_at(W * xv) * W.T, "not Wᵀ"),
    ("4.4c", [[1, 2], [3, 4]], "row 1, column 1"),
    ("4.4c", W, "Jacobian of W x alone"),
    # 4.5a: sigmoid_vjp
    ("4.5a", lambda z, g: sigmoid(z) * (1 - sigmoid(z)), "multiply it by g"),
    ("4.5a", lambda z, g: g * sigmoid(z), "not by σ(z)"),
    ("4.5a", lambda z, g: g * z * (1 - z), "not to z"),
    ("4.5a", lambda z, g: g @ np.diag(sigmoid(z) * (1 - sigmoid(z))), "for z and g of shape (4, 3)"),
    ("4.5a", vjp_in_place, "in place"),
    # 4.5b: layer_vjp
    ("4.5b", lambda X, W, b, G: G @ W, "sigmoid's factor is missing"),
    ("4.5b", lambda X, W, b, G: (G * sigmoid(X @ W.T + b) * (1 - sigmoid(X @ W.T + b))) @ W.T,
     "not @ W.T"),
    ("4.5b", lambda X, W, b, G: (G * sigmoid(X @ W.T) * (1 - sigmoid(X @ W.T))) @ W,
     "bias is missing inside σ'"),
    ("4.5b", lambda X, W, b, G: G * sigmoid(X @ W.T + b), "the right value is"),
    # 4.6a: ∂(uᵀ W v)/∂W
    ("4.6a", lambda u, W, v: np.outer(v, u), "the other layout"),
    ("4.6a", lambda u, W, v: u @ W @ v, "returned shape () for u"),
    ("4.6a", lambda u, W, v: np.outer(u, W @ v), "W itself does not appear"),
    ("4.6a", lambda u, W, v: np.outer(u, v)[:, :2], "returned shape"),
    # 4.6b: ∂(½‖W x - y‖²)/∂W
    ("4.6b", lambda W, x, y: np.outer(x, W @ x - y), "transpose of the gradient"),
    ("4.6b", lambda W, x, y: 2 * np.outer(W @ x - y, x), "the ½ cancels"),
    ("4.6b", lambda W, x, y: np.outer(W @ x - y, np.ones_like(x)), "factor xⱼ is missing"),
    ("4.6b", lambda W, x, y: np.outer(y - W @ x, x), "returned"),
    # 4.7a: shape of y_hat - y
    ("4.7a", (5,), "does not drop the 1"),
    ("4.7a", (5, 1), "from the right"),
    ("4.7a", "error", "silently"),
    ("4.7a", 25, "write a shape as a tuple"),
    ("4.7a", (1, 5), "padded on the left"),
    ("4.7a", (5, 5, 1), "from the right, pad"),
    # 4.7b: how many terms the buggy mean averages
    ("4.7b", 5, "should run over"),
    ("4.7b", 10, "every prediction minus every target"),
    ("4.7b", 1, "every entry"),
    ("4.7b", "25", "without quotes"),
    # 4.7c: mse_fixed
    ("4.7c", lambda y_hat, y: np.mean((y_hat - y) ** 2), "still broadcasts"),
    ("4.7c", lambda y_hat, y: np.sum((np.ravel(y_hat) - np.ravel(y)) ** 2), "their mean"),
    ("4.7c", lambda y_hat, y: np.mean(np.abs(np.ravel(y_hat) - np.ravel(y))), "square the errors"),
    ("4.7c", mse_in_place, "in place"),
    ("4.7c", lambda y_hat, y: np.mean((np.ravel(y_hat) - y) ** 2), "other way round"),
    ("4.7c", forgets_return, "forget `return`"),
]

RIGHT_ANSWERS = [
    ("4.1a", [3, 4]),
    ("4.1a", (np.int64(3), np.int64(4))),
    ("4.1b", "Error"),
    ("4.1c", (2, 2)),
    ("4.1d", [32, 3]),
    ("4.2a", [0.0, 2.0, 1.0]),
    ("4.2a", v[0] * A[:, 0] + v[1] * A[:, 1]),           # the column picture
    ("4.2b", [[4, -2, 7], [10, -4, 15], [-1, 1, -3]]),
    ("4.2c", np.einsum("ij,jk->ik", B, A)),
    ("4.2d", (A @ B).T),
    ("4.3a", lambda X, W, b: (W @ X.T).T + b),
    ("4.3a", lambda X, W, b: np.einsum("ni,oi->no", X, W) + b),
    ("4.3b", lambda G, W: (W.T @ G.T).T),
    ("4.4a", sp.Matrix([[1, -2], [3, 1]])),
    ("4.4a", [[1, -2], [3, 1]]),
    ("4.4b", sp.diag(sp.exp(-z1) / (1 + sp.exp(-z1)) ** 2, sp.exp(-z2) / (1 + sp.exp(-z2)) ** 2)),
    ("4.4c", sp.Matrix(2, 2, lambda i, j: sp_prime((W * xv)[i]) * W[i, j])),
    ("4.4c", (W * xv).applyfunc(s).jacobian(xv)),
    ("4.5a", lambda z, g: g * sigmoid(z) * sigmoid(-z)),
    ("4.5a", vjp_by_full_jacobian),
    ("4.5b", lambda X, W, b, G: np.einsum("no,oi->ni",
                                          G * sigmoid(X @ W.T + b) * sigmoid(-(X @ W.T + b)), W)),
    ("4.6a", lambda u, W, v: u[:, None] * v[None, :]),
    ("4.6b", lambda W, x, y: (W @ x - y)[:, None] @ x[None, :]),
    ("4.7a", [5, 5]),
    ("4.7b", 25.0),
    ("4.7c", lambda y_hat, y: float(np.mean((np.ravel(y_hat) - np.ravel(y)) ** 2))),
    ("4.7c", lambda y_hat, y: ((y_hat.reshape(-1, 1) - y.reshape(-1, 1)) ** 2).mean()),
]


def test_answer_key_agrees_with_hand_computed_values():
    # The products worked out on paper, and the Jacobians in closed form.
    assert ch04.shape_AB == (3, 4) and ch04.shape_AtA == (2, 2) and ch04.shape_layer == (32, 3)
    np.testing.assert_array_equal(ch04.Av_42, [0, 2, 1])
    np.testing.assert_array_equal(ch04.AB_42, [[4, -2, 7], [10, -4, 15], [-1, 1, -3]])
    np.testing.assert_array_equal(ch04.BA_42, [[2, 3], [-2, -5]])
    assert ch04.buggy_terms_47 == 25
    rng = np.random.default_rng(0)
    u, M, w = rng.normal(size=3), rng.normal(size=(3, 4)), rng.normal(size=4)
    np.testing.assert_allclose(ch04._bilinear_by_central_differences(u, M, w), np.outer(u, w),
                               rtol=1e-6, atol=1e-8)
