"""Chapter 9, Training deep networks: momentum on a quadratic, and signals through depth.

Import on demand (``from nnlib.widgets import ch09``).  The maths lives in plain functions
(``momentum_path``, ``momentum_rate``, ``depth_profile``); ``draw_*`` draw them with
matplotlib for the live widgets, and ``*_vega`` put them in kernel-free charts.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..activations import sigmoid
from ..plot import COLORS, style_axes
from . import LiveFigure, vega

THETA0 = np.array([-1.0, 0.8])
L_MAX = 1.0                               # the largest curvature; the smallest is L_MAX / κ


# ---------------------------------------------------------------- momentum on a quadratic

def curvatures(kappa: float) -> np.ndarray:
    """The valley L(θ) = ½(λ₁θ₁² + λ₂θ₂²) with λ₁ = 1/κ (the flat direction), λ₂ = 1."""
    return np.array([L_MAX / kappa, L_MAX])


def momentum_path(lr: float, beta: float, kappa: float, steps: int, theta0=THETA0) -> np.ndarray:
    """θ₀ … θ_steps of momentum v ← βv + g, θ ← θ − αv (nnlib.Momentum) on the valley."""
    lam = curvatures(kappa)
    theta, v = np.array(theta0, dtype=float), np.zeros(2)
    path = [theta.copy()]
    for _ in range(steps):
        v = beta * v + lam * theta
        theta = theta - lr * v
        path.append(theta.copy())
    return np.array(path)


def momentum_matrix(lr: float, beta: float, lam: float) -> np.ndarray:
    """M with (e, v)_{k+1} = M (e, v)_k on one direction of curvature λ:
    v' = βv + λe, e' = e − αv' = (1 − αλ)e − αβv."""
    return np.array([[1 - lr * lam, -lr * beta], [lam, beta]])


def momentum_rate(lr, beta, kappa) -> np.ndarray:
    """The slowest direction's contraction per step: max over λ of the spectral radius of M
    (≥ 1 means no convergence).  Broadcasts over arrays of lr and beta."""
    lr, beta = np.broadcast_arrays(np.asarray(lr, float), np.asarray(beta, float))
    worst = np.zeros(lr.shape)
    for lam in curvatures(kappa):
        # Roots of μ² − (1 + β − αλ)μ + β: the eigenvalues of M.
        b = 1 + beta - lr * lam
        disc = np.sqrt((b * b - 4 * beta).astype(complex))
        radius = np.maximum(np.abs((b + disc) / 2), np.abs((b - disc) / 2))
        worst = np.maximum(worst, radius)
    return worst


def best_momentum(kappa: float) -> tuple[float, float, float]:
    """(α, β, rate) of the best heavy ball on curvatures [L/κ, L]:
    α = 4/(√L + √μ)², β = ((√κ − 1)/(√κ + 1))², rate √β."""
    mu, big = curvatures(kappa)
    lr = 4 / (np.sqrt(big) + np.sqrt(mu)) ** 2
    beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    return float(lr), float(beta), float(np.sqrt(beta))


def _valley_contours(ax, kappa):
    lam = curvatures(kappa)
    t1, t2 = np.meshgrid(np.linspace(-1.6, 1.6, 160), np.linspace(-1.2, 1.2, 120))
    ax.contour(t1, t2, 0.5 * (lam[0] * t1**2 + lam[1] * t2**2), levels=8,
               colors=COLORS["muted"], linewidths=0.7)


def draw_momentum(fig, lr: float = 1.0, beta: float = 0.5, kappa: float = 10.0,
                  steps: int = 40) -> dict:
    """Left: the path on the valley's contours. Right: the rate over the (α, β) plane."""
    path = momentum_path(lr, beta, kappa, steps)
    rate = float(momentum_rate(lr, beta, kappa))
    left, right = fig.subplots(2, 1)
    for ax in (left, right):
        style_axes(ax)
    _valley_contours(left, kappa)
    shown = np.clip(path, -3, 3)
    left.plot(shown[:, 0], shown[:, 1], "o-", ms=2.5, lw=1, color=COLORS["secant"])
    left.plot([0], [0], "*", ms=10, color=COLORS["tangent"])
    left.set_xlim(-1.6, 1.6)
    left.set_ylim(-1.2, 1.2)
    left.set_aspect("equal")
    left.set_title(f"α = {lr:.2f}, β = {beta:.2f}, κ = {kappa:g}: rate {rate:.3f}", fontsize=10)
    lrs, betas = np.linspace(0.02, 4.0, 100), np.linspace(0.0, 0.99, 60)
    grid = momentum_rate(lrs[None, :], betas[:, None], kappa)
    image = right.pcolormesh(lrs, betas, np.minimum(grid, 1.0), cmap="viridis", shading="auto")  # dark = fast, as the page says
    right.contour(lrs, betas, grid, levels=[1.0], colors="white", linewidths=1)
    right.plot([lr], [beta], "o", color=COLORS["secant"], mec="white")
    right.set_xlabel("learning rate α")
    right.set_ylabel("β")
    fig.colorbar(image, ax=right, label="rate (1 = diverges)")
    return {"path": path, "rate": rate,
            "caption": f"after {steps} steps the distance to the minimum is "
                       f"{np.linalg.norm(path[-1]):.2e}"}


def momentum_widget(lr: float = 1.0, beta: float = 0.5, kappa: float = 10.0) -> LiveFigure:
    """Live: α, β and κ move the momentum path and the rate map."""
    return LiveFigure(draw_momentum, {
        "lr": widgets.FloatSlider(value=lr, min=0.05, max=4.0, step=0.05, description="α"),
        "beta": widgets.FloatSlider(value=beta, min=0.0, max=0.95, step=0.05, description="β"),
        "kappa": widgets.SelectionSlider(options=[2, 10, 50], value=kappa, description="κ"),
    }, figsize=(5.6, 7.2))


LRS = np.round(np.arange(0.25, 3.01, 0.25), 2)
BETAS = np.round(np.arange(0.0, 0.91, 0.15), 2)
KAPPAS = (2, 10, 50)
STEPS = 30


def momentum_table() -> tuple[list, list]:
    """Paths for every (α, β, κ) of the chart's grid, and the rate map for every κ."""
    paths, rates = [], []
    for kappa in KAPPAS:
        for lr in LRS:
            for beta in BETAS:
                path = np.clip(momentum_path(lr, beta, kappa, STEPS), -2.5, 2.5)
                for k, (a, b) in enumerate(path):   # short keys: the page carries every row
                    paths.append({"K": kappa, "a": float(lr), "b": float(beta), "k": k,
                                  "x": round(float(a), 3), "y": round(float(b), 3)})
        for lr in np.round(np.arange(0.1, 4.01, 0.1), 2):
            for beta in np.round(np.arange(0.0, 0.96, 0.05), 2):
                rates.append({"K": kappa, "a": float(lr), "b": float(beta),
                              "rate": round(float(min(momentum_rate(lr, beta, kappa), 1.0)), 3)})
    return paths, rates


WIDTH = 290   # px: two stacked panels fit a phone's column (420 px screen) and a desktop's


def valley_contours(levels=(0.02, 0.08, 0.2, 0.45, 0.8), n: int = 60) -> list[dict]:
    """Points of the level sets ½(λ₁θ₁² + λ₂θ₂²) = c, ellipses with half-axes √(2c/λᵢ)."""
    rows = []
    for kappa in KAPPAS:
        lam = curvatures(kappa)
        for level in levels:
            piece = 0
            for k, t in enumerate(np.linspace(0, 2 * np.pi, n)):
                x = np.sqrt(2 * level / lam[0]) * np.cos(t)
                if abs(x) > 2.5:          # outside the drawing: a gap, then a new piece
                    piece += 1
                    continue
                rows.append({"K": kappa, "level": f"{level}-{piece}", "t": k,
                             "x": round(float(x), 3),
                             "y": round(float(np.sqrt(2 * level / lam[1]) * np.sin(t)), 3)})
    return rows


def momentum_vega(lr: float = 1.0, beta: float = 0.45, kappa: int = 10):
    """Kernel-free: α, β and κ as sliders; the path, and the rate map with the chosen point."""
    import altair as alt

    paths, rates = momentum_table()
    lr_p = alt.param(name="lr", value=lr, bind=alt.binding_range(
        min=float(LRS[0]), max=float(LRS[-1]), step=0.25, name="α "))
    beta_p = alt.param(name="beta", value=beta, bind=alt.binding_range(
        min=float(BETAS[0]), max=float(BETAS[-1]), step=0.15, name="β "))
    kappa_p = alt.param(name="kappa", value=kappa, bind=alt.binding_radio(
        options=list(KAPPAS), name="κ "))
    near = lambda field, p, tol: alt.expr.abs(alt.datum[field] - p) < tol  # noqa: E731
    path = alt.Chart(alt.Data(values=paths)).transform_filter(
        (alt.datum.K == kappa_p) & near("a", lr_p, 0.01) & near("b", beta_p, 0.01)
    ).mark_line(point=alt.OverlayMarkDef(size=18, color=COLORS["secant"]),
                color=COLORS["secant"]).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[-2.5, 2.5]), title="θ₁ (flat direction)"),
        y=alt.Y("y:Q", scale=alt.Scale(domain=[-2.5, 2.5]), title="θ₂ (steep direction)"),
        order="k:Q")
    valley = alt.Chart(alt.Data(values=valley_contours())).transform_filter(
        alt.datum.K == kappa_p).mark_line(color=COLORS["muted"], strokeWidth=0.8).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[-2.5, 2.5])),
        y=alt.Y("y:Q", scale=alt.Scale(domain=[-2.5, 2.5])), detail="level:N", order="t:Q")
    path = alt.layer(valley, path).properties(width=WIDTH, height=WIDTH,
                                              title="the path, 30 steps, on the valley's contours")
    rate_map = alt.Chart(alt.Data(values=rates)).transform_filter(
        alt.datum.K == kappa_p).mark_rect().encode(
        x=alt.X("a:O", title="learning rate α", axis=alt.Axis(values=[0.5, 1.0, 2.0, 3.0, 4.0])),
        y=alt.Y("b:O", title="β", sort="descending",
                axis=alt.Axis(values=[0.0, 0.25, 0.5, 0.75, 0.95])),
        color=alt.Color("rate:Q", scale=alt.Scale(scheme="viridis", domain=[0, 1]),
                        title="rate", legend=alt.Legend(orient="bottom", gradientLength=200))
    ).properties(
        width=WIDTH, height=200, title="contraction per step (1 = does not converge)")
    marker = alt.Chart(alt.Data(values=[{"p": 0}])).transform_calculate(
        a="round(lr * 10) / 10", b="round(beta * 20) / 20").mark_point(
        shape="diamond", size=120, color=COLORS["derivative"], filled=True).encode(
        x="a:O", y=alt.Y("b:O", sort="descending"))
    chart = alt.vconcat(path, alt.layer(rate_map, marker)).add_params(lr_p, beta_p, kappa_p)
    return vega(chart, "Momentum on a valley of conditioning κ: sliders for α and β, buttons "
                       "for κ; the path and the contraction rate over the (α, β) plane")


# ---------------------------------------------------------------- signals through depth

INITS = {
    "He: Var(w) = 2/n": lambda n: np.sqrt(2.0 / n),
    "Xavier: Var(w) = 2/(n + n)": lambda n: np.sqrt(1.0 / n),
    "small: std 0.01": lambda n: 0.01,
    "large: Var(w) = 8/n": lambda n: np.sqrt(8.0 / n),
}
"""Initialisations the figures compare, for square layers of width n: the weights' std."""


_ACTIVATIONS = {"relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),
                "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z)))}


def _forward(init: str, depth: int, activation: str, width: int, n_samples: int, rng):
    """Weights, layer inputs and pre-activations of ``depth`` square layers z = a Wᵀ, a = f(z)."""
    rng = np.random.default_rng(rng)
    std = INITS[init](width)
    f = _ACTIVATIONS[activation][0]
    a = rng.standard_normal((n_samples, width))
    weights, inputs, pre = [], [], []
    for _ in range(depth):
        W = rng.standard_normal((width, width)) * std
        inputs.append(a)
        pre.append(a @ W.T)
        a = f(pre[-1])
        weights.append(W)
    return weights, inputs, pre


def _grad_norms(weights, inputs, pre, depth: int, activation: str) -> list[float]:
    """‖∂L/∂W_l‖ for l = 1..depth, L the mean of layer ``depth``'s outputs."""
    f, f_prime = _ACTIVATIONS[activation]
    grad = np.full(pre[depth - 1].shape, 1.0 / pre[depth - 1].size)
    norms = [0.0] * depth
    for layer in reversed(range(depth)):
        grad = grad * f_prime(pre[layer])
        norms[layer] = float(np.linalg.norm(grad.T @ inputs[layer]))
        grad = grad @ weights[layer]
    return norms


def depth_profile(init: str, depth: int, activation: str = "relu", width: int = 64,
                  n_samples: int = 128, rng=0) -> dict:
    """Forward a batch through ``depth`` square layers and back; per layer the std of the
    activations and the norm of dL/dW for L = mean of the last layer's outputs.

    Layer l: z = a W_lᵀ, a = f(z) (no bias), W_l with std ``INITS[init](width)``; the input
    is standard normal.  A deeper network with the same ``rng`` starts with the same layers.
    """
    weights, inputs, pre = _forward(init, depth, activation, width, n_samples, rng)
    f = _ACTIVATIONS[activation][0]
    return {"activation_std": [float(np.std(f(z))) for z in pre],
            "grad_norm": _grad_norms(weights, inputs, pre, depth, activation)}


def draw_depth(fig, init: str = "He: Var(w) = 2/n", depth: int = 50,
               activation: str = "relu") -> dict:
    """Per layer: the activations' std (top) and the weight gradients' norm (bottom), log scale."""
    data = depth_profile(init, depth, activation)
    top, bottom = fig.subplots(2, 1, sharex=True)
    layers = np.arange(1, depth + 1)
    for ax, key, label, color in ((top, "activation_std", "std of activations", COLORS["f"]),
                                  (bottom, "grad_norm", "‖∂L/∂W‖", COLORS["derivative"])):
        style_axes(ax)
        values = np.maximum(data[key], 1e-300)
        ax.semilogy(layers, values, "o-", ms=3, color=color)
        ax.set_ylabel(label)
    bottom.set_xlabel("layer")
    top.set_title(f"{init}, {activation}, {depth} layers", fontsize=10)
    data["caption"] = (f"last layer's activations: std {data['activation_std'][-1]:.2e}; "
                       f"first layer's gradient: {data['grad_norm'][0]:.2e}")
    return data


def depth_widget(init: str = "He: Var(w) = 2/n", depth: int = 50) -> LiveFigure:
    """Live: the initialisation, the activation and the depth."""
    return LiveFigure(draw_depth, {
        "init": widgets.Dropdown(options=list(INITS), value=init, description="init"),
        "depth": widgets.IntSlider(value=depth, min=5, max=50, step=5, description="depth"),
        "activation": widgets.ToggleButtons(options=["relu", "sigmoid"], value="relu"),
    }, figsize=(5.6, 5.4))


DEPTHS = tuple(range(5, 51, 5))


def depth_table() -> list[dict]:
    """Rows (init, activation, depth, layer, log10 std, log10 gradient norm) for the chart."""
    rows = []
    for init in INITS:
        for activation in ("relu", "sigmoid"):
            # One forward pass through the deepest network serves every depth (same layers).
            weights, inputs, pre = _forward(init, DEPTHS[-1], activation, 64, 128, 0)
            stds = [float(np.std(_ACTIVATIONS[activation][0](z))) for z in pre]
            for depth in DEPTHS:
                norms = _grad_norms(weights, inputs, pre, depth, activation)
                for layer, (s, g) in enumerate(zip(stds[:depth], norms), 1):
                    rows.append({"init": init, "activation": activation, "depth": depth,
                                 "layer": layer,
                                 "std": round(float(np.log10(max(s, 1e-300))), 3),
                                 "grad": round(float(np.log10(max(g, 1e-300))), 3)})
    return rows


def depth_vega(init: str = "He: Var(w) = 2/n", depth: int = 50):
    """Kernel-free: the initialisation, the activation and the depth."""
    import altair as alt

    init_p = alt.param(name="init", value=init, bind=alt.binding_select(
        options=list(INITS), name="initialisation "))
    act_p = alt.param(name="activation", value="relu", bind=alt.binding_radio(
        options=["relu", "sigmoid"], name="activation "))
    depth_p = alt.param(name="depth", value=depth, bind=alt.binding_range(
        min=DEPTHS[0], max=DEPTHS[-1], step=5, name="depth "))
    base = alt.Chart(alt.Data(values=depth_table())).transform_filter(
        (alt.datum.init == init_p) & (alt.datum.activation == act_p)
        & (alt.datum.depth == depth_p))
    std = base.mark_line(point=True, color=COLORS["f"]).encode(
        x=alt.X("layer:Q", scale=alt.Scale(domain=[1, 50])),
        y=alt.Y("std:Q", title="log₁₀ std of activations")).properties(
        width=WIDTH, height=170)
    grad = base.mark_line(point=True, color=COLORS["derivative"]).encode(
        x=alt.X("layer:Q", scale=alt.Scale(domain=[1, 50])),
        y=alt.Y("grad:Q", title="log₁₀ ‖∂L/∂W‖")).properties(width=WIDTH, height=170)
    chart = alt.vconcat(std, grad).add_params(init_p, act_p, depth_p)
    return vega(chart, "Activation scale and gradient norm of every layer of a deep network: "
                       "controls for the initialisation, the activation and the depth")
