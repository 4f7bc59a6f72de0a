"""The perceptron's geometry: augmented inputs, margins, and Novikoff's bound (chapter 5).

Core (numpy only): the chapter's figures and its graded exercises both use these.

* ``augment(X)``: x̃ = [x, 1], so that w̃·x̃ = w·x + b with w̃ = [w, b];
* ``signs(y)``: labels 0/1 (or -1/+1) as -1/+1;
* ``margin``, ``max_margin``, ``radius`` and ``novikoff_bound``: the perceptron rule makes at
  most (R/γ*)² updates from w̃ = 0 on data separable with margin γ*, R = max ‖x̃‖.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np

__all__ = ["augment", "margin", "max_margin", "novikoff_bound", "radius", "signs", "step"]


def step(z):
    """The step activation: 1 where z > 0, else 0 (as integers), elementwise."""
    return (np.asarray(z) > 0).astype(int)


def augment(X):
    """x̃ = [x, 1] for every row: (N, d) -> (N, d + 1)."""
    X = np.asarray(X, dtype=float)
    return np.hstack([X, np.ones((len(X), 1))])


def signs(y):
    """Labels 0/1 (or -1/+1) as -1/+1."""
    y = np.asarray(y).ravel()
    return np.where(y > 0, 1, -1)


def radius(X) -> float:
    """R = the largest ‖x̃‖ = ‖[x, 1]‖ over the rows of X."""
    return float(np.max(np.linalg.norm(augment(X), axis=1)))


def margin(X, y, w_aug) -> float:
    """γ = min over the points of y w̃·x̃ / ‖w̃‖: the smallest distance of an augmented point to
    the plane w̃·x̃ = 0, negative if w̃ misclassifies a point."""
    w_aug = np.asarray(w_aug, dtype=float)
    return float(np.min(signs(y) * (augment(X) @ w_aug)) / np.linalg.norm(w_aug))


def max_margin(X, y):
    """The unit w̃ with the largest margin γ* on augmented data, and γ* (0 if not separable).

    γ* is the distance from the origin to the convex hull of the points vᵢ = yᵢ x̃ᵢ (the hull
    misses the origin exactly when some w̃ has yᵢ w̃·x̃ᵢ > 0 for every i), and the best w̃
    points to the hull's nearest point p: w̃ = p / ‖p‖, γ* = ‖p‖.  In d + 1 dimensions p is a
    combination of at most d + 1 of the vᵢ, so trying every such subset finds it exactly:
    fine for the small sets of this chapter.  Returns (w_aug, gamma).
    """
    V = signs(y)[:, None] * augment(X)
    best = None
    for size in range(1, V.shape[1] + 1):
        for subset in combinations(range(len(V)), size):
            p = _nearest_in_affine_hull(V[list(subset)])
            if p is None:
                continue
            # p is the hull's nearest point when no vᵢ lies nearer the origin along p.
            if np.min(V @ p) >= p @ p - 1e-12 and (best is None or p @ p < best @ best):
                best = p
    gamma = 0.0 if best is None else float(np.linalg.norm(best))
    if gamma < 1e-9:
        return np.zeros(V.shape[1]), 0.0
    return best / gamma, gamma


def _nearest_in_affine_hull(S):
    """The point of the affine hull of the rows of S nearest the origin, if it lies inside
    their simplex (all weights > 0), else None."""
    k = len(S)
    # Minimise ‖αS‖² subject to Σα = 1: [2SSᵀ 1; 1ᵀ 0][α; λ] = [0; 1].
    system = np.zeros((k + 1, k + 1))
    system[:k, :k] = 2 * S @ S.T
    system[:k, k] = system[k, :k] = 1
    rhs = np.zeros(k + 1)
    rhs[k] = 1
    try:
        alpha = np.linalg.solve(system, rhs)[:k]
    except np.linalg.LinAlgError:
        return None
    return alpha @ S if np.all(alpha > 0) else None


def novikoff_bound(X, y) -> float:
    """(R / γ*)², with R and γ* measured on the augmented inputs; inf if not separable."""
    _, gamma = max_margin(X, y)
    return float("inf") if gamma == 0 else (radius(X) / gamma) ** 2
