"""Chapter 3, Gradient descent: its figures and widgets, with their logic in plain, tested functions.

Import on demand (``from nnlib.widgets import ch03``): it needs matplotlib, ipywidgets and
(for the kernel-free versions) altair, which ``import nnlib`` alone never loads.

Two ideas to move, each twice (live in Jupyter, kernel-free on the website):

* the **descent explorer**: gradient descent on the 2-D quadratic L(θ) = ½ θᵀAθ, whose
  valley has eigenvalues λ_max = 1 and λ_min = 1/κ; controls: the learning rate η, the
  number of steps and the conditioning κ.  ``explorer_data`` computes what is shown,
  ``draw_explorer`` draws it, ``explorer_widget`` and ``explorer_vega`` wrap it;
* the **batch explorer**: mini-batch descent on a linear regression with N_train samples;
  controls: the batch size N and the number of steps, with the step and epoch counters.
  ``batch_data``, ``draw_batches``, ``batch_widget`` and ``batch_vega``.

The kernel-free versions precompute every path in Python, over a grid of the controls'
values, and the page only filters them: the numbers on the website are the numbers the
tests check.
"""
from __future__ import annotations

import math

import numpy as np

from ..plot import COLORS, style_axes

# ------------------------------------------------------------------- gradient descent


def gradient_descent(grad, theta0, lr: float, steps: int) -> np.ndarray:
    """The path of gradient descent θ_{k+1} = θ_k - η ∇L(θ_k), from θ_0 = ``theta0``.

    ``grad`` maps a parameter vector (n,) to its gradient (n,).  Returns the array
    (steps + 1, n) of θ_0, θ_1, …, θ_steps.  ``theta0`` is not changed.
    """
    theta = np.array(theta0, dtype=np.float64).reshape(-1)
    path = [theta.copy()]
    with np.errstate(over="ignore", invalid="ignore"):  # a divergent run is shown, not warned
        for _ in range(int(steps)):
            theta = theta - lr * np.asarray(grad(theta), dtype=np.float64).reshape(-1)
            path.append(theta.copy())
    return np.array(path)


def quadratic_loss(A, thetas) -> np.ndarray:
    """L(θ) = ½ θᵀAθ for each row θ of ``thetas`` (k, n) (or for one θ of shape (n,))."""
    thetas = np.asarray(thetas, dtype=np.float64)
    return 0.5 * np.einsum("...i,ij,...j->...", thetas, np.asarray(A, float), thetas)


def valley_matrix(kappa: float, angle_degrees: float = 30.0) -> np.ndarray:
    """The 2×2 matrix A = R diag(1/κ, 1) Rᵀ: a valley with λ_min = 1/κ, λ_max = 1, whose
    shallow direction is turned by ``angle_degrees`` from the θ₁ axis."""
    a = np.deg2rad(angle_degrees)
    R = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return R @ np.diag([1.0 / kappa, 1.0]) @ R.T


def contraction_factor(eigenvalues, lr) -> np.ndarray:
    """ρ(η) = max_i |1 - η λ_i|: the factor by which the slowest component of the error
    shrinks per step on a quadratic with these eigenvalues (it grows when ρ > 1).
    ``lr`` may be an array of rates."""
    lam = np.asarray(eigenvalues, dtype=np.float64).reshape(-1)
    lr = np.asarray(lr, dtype=np.float64)
    return np.max(np.abs(1 - lr[..., None] * lam), axis=-1)


def best_rate(eigenvalues) -> float:
    """η* = 2 / (λ_min + λ_max), the fixed rate with the smallest contraction factor."""
    lam = np.asarray(eigenvalues, dtype=np.float64)
    return float(2 / (lam.min() + lam.max()))


def regime(a: float, lr: float, rtol: float = 1e-12) -> str:
    """What gradient descent does on L = (a/2)θ², a > 0, where e_{k+1} = (1 - ηa) e_k:
    'monotone' (0 < ηa < 1), 'one step' (ηa = 1), 'oscillating' (1 < ηa < 2),
    'two-cycle' (ηa = 2) or 'diverges' (ηa > 2)."""
    if not (a > 0 and lr > 0):
        raise ValueError(f"regime needs a > 0 and lr > 0, got a = {a}, lr = {lr}")
    r = lr * a
    if math.isclose(r, 1.0, rel_tol=rtol):
        return "one step"
    if math.isclose(r, 2.0, rel_tol=rtol):
        return "two-cycle"
    return "monotone" if r < 1 else "oscillating" if r < 2 else "diverges"


# ------------------------------------------------------------------- the descent explorer

THETA0 = (-2.2, 1.4)               # where every path of the explorer starts
KAPPAS = (1, 3, 10, 30)            # the conditionings the explorer offers
ETAS = np.round(np.arange(1, 45) * 0.05, 2)   # 0.05, 0.10, …, 2.20: its learning rates
MAX_STEPS = 50
LOSS_FLOOR = 1e-12                 # the log-scale loss panel shows smaller losses at this floor
VIEW = 3.0                         # the contour map shows [-VIEW, VIEW]²


def explorer_data(eta: float, steps: int, kappa: float, theta0=THETA0) -> dict:
    """Everything the descent explorer shows for one position of its controls.

    Keys: ``A``, ``eigenvalues`` (λ_min, λ_max), ``threshold`` 2/λ_max, ``best_rate`` η*,
    ``factor`` ρ(η) = max|1 - ηλ|, ``best_factor`` (κ - 1)/(κ + 1), ``path`` (steps + 1, 2),
    ``loss`` (steps + 1,), ``regime`` ('converges', 'two-cycle' or 'diverges') and
    ``caption``.
    """
    A = valley_matrix(kappa)
    eigenvalues = np.linalg.eigvalsh(A)
    path = gradient_descent(lambda t: A @ t, theta0, eta, steps)
    loss = quadratic_loss(A, path)
    factor = float(contraction_factor(eigenvalues, eta))
    threshold = float(2 / eigenvalues.max())
    state = ("converges" if factor < 1 - 1e-12 else
             "two-cycle" if abs(factor - 1) <= 1e-12 else "diverges")
    caption = (f"η = {eta:.2f}, κ = {kappa:g}: 2/λ_max = {threshold:.3g}, "
               f"best η* = {best_rate(eigenvalues):.3g}; ρ(η) = {factor:.4g}, {state}; "
               f"after {int(steps)} steps L = {loss[-1]:.2e}")
    return {"A": A, "eigenvalues": eigenvalues, "threshold": threshold,
            "best_rate": best_rate(eigenvalues), "factor": factor,
            "best_factor": float((kappa - 1) / (kappa + 1)), "path": path, "loss": loss,
            "regime": state, "caption": caption, "eta": float(eta), "steps": int(steps),
            "kappa": float(kappa)}


def contour_lines(A, levels, n: int = 72) -> list[np.ndarray]:
    """Level sets ½ θᵀAθ = ℓ of a positive definite 2×2 A: one closed ellipse (n + 1, 2)
    per level ℓ, θ = Σᵢ √(2ℓ/λᵢ) (cos t or sin t) qᵢ with (λᵢ, qᵢ) the eigenpairs of A."""
    lam, Q = np.linalg.eigh(np.asarray(A, float))
    t = np.linspace(0, 2 * np.pi, n + 1)
    unit = np.stack([np.cos(t), np.sin(t)], axis=1)            # (n + 1, 2)
    return [(unit * np.sqrt(2 * level / lam)) @ Q.T for level in levels]


def explorer_levels(kappa) -> np.ndarray:
    """The loss levels the contour map draws (geometric, from the start's loss down)."""
    A = valley_matrix(kappa)
    top = float(quadratic_loss(A, np.array(THETA0)))
    return top * np.geomspace(4.0, 1e-3, 10)


def draw_explorer(fig, eta: float = 1.0, steps: int = 20, kappa: float = 10) -> dict:
    """Draw the descent explorer on ``fig``: the path on the contour map (top), the loss
    per step on a log scale (middle), ρ(η) with 2/λ_max and η* marked (bottom).
    Returns ``explorer_data``'s dict."""
    data = explorer_data(eta, steps, kappa)
    top, middle, bottom = fig.subplots(3, 1, height_ratios=[1.6, 1, 1])
    for ax in (top, middle, bottom):
        style_axes(ax)
    for ring in contour_lines(data["A"], explorer_levels(kappa)):
        top.plot(ring[:, 0], ring[:, 1], color=COLORS["muted"], lw=0.7, gid="contour")
    path = data["path"]
    top.plot(path[:, 0], path[:, 1], "o-", color=COLORS["derivative"], ms=3, lw=1.2, gid="path")
    top.plot(*path[0], "s", color="black", ms=5)
    top.plot(0, 0, "*", color=COLORS["tangent"], ms=10)
    top.set(xlim=(-VIEW, VIEW), ylim=(-VIEW * 0.6, VIEW * 0.6), aspect="equal",
            xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    top.set_title(f"κ = {kappa:g}, η = {eta:.2f}: {data['regime']}", fontsize=10)

    k = np.arange(len(path))
    middle.semilogy(k, np.maximum(data["loss"], LOSS_FLOOR), "o-", color=COLORS["f"], ms=3,
                    gid="loss")
    middle.set(xlabel="step $k$", ylabel=r"loss $L(\theta_k)$", xlim=(0, MAX_STEPS))

    etas = np.linspace(0, 2.3, 461)
    bottom.plot(etas, contraction_factor(data["eigenvalues"], etas), color=COLORS["f"],
                gid="factor")
    bottom.axhline(1, color=COLORS["muted"], lw=0.8)
    bottom.axvline(data["threshold"], color=COLORS["derivative"], ls="--", lw=1,
                   label=r"$2/\lambda_{\max}$", gid="threshold")
    bottom.axvline(data["best_rate"], color=COLORS["tangent"], ls=":", lw=1.5,
                   label=r"best $\eta^*$", gid="best_rate")
    bottom.plot([eta], [data["factor"]], "o", color=COLORS["derivative"], ms=6, gid="current")
    bottom.set(xlabel=r"learning rate $\eta$", ylabel=r"$\rho(\eta)$", ylim=(0, 1.5))
    bottom.legend(fontsize=9, frameon=False, loc="upper left")
    return data


def explorer_widget(eta: float = 1.0, steps: int = 20, kappa: float = 10):
    """Live descent explorer: sliders for η and the steps, a menu for κ (``LiveFigure``)."""
    import ipywidgets as widgets

    from . import LiveFigure

    controls = {
        "eta": widgets.FloatSlider(value=eta, min=0.01, max=2.3, step=0.01, description="η",
                                   readout_format=".2f"),
        "steps": widgets.IntSlider(value=steps, min=0, max=MAX_STEPS, description="steps"),
        "kappa": widgets.Dropdown(options=list(KAPPAS), value=kappa, description="κ"),
    }
    return LiveFigure(draw_explorer, controls, figsize=(6.4, 8.4))


def _rounded(values, digits: int = 4) -> list:
    """Numbers to ``digits`` significant digits (smaller JSON), NaN/inf never produced here."""
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float).ravel()]


def _powers_of_ten(values):
    """A log-scale axis with ticks at ``values``, labelled 1e-4, 1, 1e4 (short on a phone)."""
    import altair as alt

    return alt.Axis(values=values, labelExpr=(
        "datum.value == 1 ? '1' : '1e' + format(round(log(datum.value) / LN10), 'd')"))


def _with_datasets(chart, **datasets) -> dict:
    """The chart's specification (validated while still small) with its named data sets added
    once at the top, where every layer that reads ``alt.Data(name=...)`` finds them."""
    spec = chart.to_dict()
    spec.setdefault("datasets", {}).update(datasets)
    return spec


def explorer_table(etas=ETAS, kappas=KAPPAS, max_steps: int = MAX_STEPS):
    """The precomputed data of ``explorer_vega``: one row per (η, κ) with the path's θ₁, θ₂
    and loss as lists (flattened in the browser), the contour rings per κ and ρ(η) per κ."""
    paths, rings, factors = [], [], []
    for kappa in kappas:
        for eta in etas:
            d = explorer_data(float(eta), max_steps, kappa)
            paths.append({"eta": float(eta), "kappa": kappa, "k": list(range(max_steps + 1)),
                          "t1": _rounded(d["path"][:, 0]), "t2": _rounded(d["path"][:, 1]),
                          "loss": _rounded(np.maximum(d["loss"], LOSS_FLOOR))})
        for level, ring in enumerate(contour_lines(valley_matrix(kappa), explorer_levels(kappa),
                                                   n=48)):
            rings += [{"kappa": kappa, "level": level, "i": i, "x": round(float(p[0]), 3),
                       "y": round(float(p[1]), 3)} for i, p in enumerate(ring)]
        lam = np.linalg.eigvalsh(valley_matrix(kappa))
        grid = np.round(np.linspace(0, 2.3, 116), 3)
        factors += [{"kappa": kappa, "e": float(e), "rho": round(float(r), 4)}
                    for e, r in zip(grid, contraction_factor(lam, grid))]
    return paths, rings, factors


def explorer_vega(eta: float = 1.0, steps: int = 20, kappa: float = 10, width: int = 270):
    """Kernel-free descent explorer with three controls (η, steps, κ), drawn in the browser.

    Every path is computed here, for η on the grid ``ETAS`` and each κ of ``KAPPAS``; the
    page filters the one the controls select.  Returns ``nnlib.widgets.VegaWidget``.
    """
    import altair as alt

    from . import vega

    paths, rings, factors = explorer_table()
    eta_p = alt.param(name="eta", value=float(eta), bind=alt.binding_range(
        min=float(ETAS[0]), max=float(ETAS[-1]), step=0.05, name="learning rate η "))
    steps_p = alt.param(name="steps", value=int(steps), bind=alt.binding_range(
        min=0, max=MAX_STEPS, step=1, name="steps "))
    kappa_p = alt.param(name="kappa", value=kappa, bind=alt.binding_radio(
        options=list(KAPPAS), name="conditioning κ "))
    selected = "abs(datum.eta - eta) < 1e-6 && datum.kappa == kappa"

    path_base = alt.Chart(alt.Data(name="paths")).transform_filter(selected).transform_flatten(
        ["k", "t1", "t2", "loss"]).transform_filter("datum.k <= steps")
    xs = alt.Scale(domain=[-VIEW, VIEW], nice=False)
    ys = alt.Scale(domain=[-VIEW * 0.6, VIEW * 0.6], nice=False)
    contours = alt.Chart(alt.Data(name="rings")).transform_filter(
        "datum.kappa == kappa").mark_line(color=COLORS["muted"], strokeWidth=0.8, clip=True).encode(
        x=alt.X("x:Q", scale=xs, title="θ₁"), y=alt.Y("y:Q", scale=ys, title="θ₂"),
        detail="level:N", order="i:Q")
    walk = path_base.mark_line(color=COLORS["derivative"], clip=True, point=alt.OverlayMarkDef(
        color=COLORS["derivative"], size=16)).encode(
        x=alt.X("t1:Q", scale=xs), y=alt.Y("t2:Q", scale=ys), order="k:Q")
    minimum = alt.Chart(alt.Data(values=[{"x": 0, "y": 0}])).mark_point(
        shape="diamond", filled=True, size=90, color=COLORS["tangent"]).encode(
        x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys))
    caption = path_base.transform_filter("datum.k == steps").mark_text(
        align="left", baseline="top", fontSize=12, x=2, y=-18).encode(
        text="caption:N").transform_calculate(
        caption="'step ' + datum.k + ':  L = ' + format(datum.loss, '.2e')")
    contour_map = alt.layer(contours, walk, minimum, caption).properties(
        width=width, height=int(width * 0.6))

    loss = path_base.mark_line(color=COLORS["f"], clip=True, point=alt.OverlayMarkDef(
        color=COLORS["f"], size=16)).encode(
        x=alt.X("k:Q", scale=alt.Scale(domain=[0, MAX_STEPS], nice=False), title="step k"),
        y=alt.Y("loss:Q", scale=alt.Scale(type="log", domain=[LOSS_FLOOR, 1e9]),
                axis=_powers_of_ten([1e-12, 1e-8, 1e-4, 1, 1e4, 1e8]),
                title="loss L (log scale)")).properties(width=width, height=150)

    factor_base = alt.Chart(alt.Data(name="factors")).transform_filter("datum.kappa == kappa")
    e_scale = alt.Scale(domain=[0, 2.3], nice=False)
    r_scale = alt.Scale(domain=[0, 1.5], nice=False)
    rho = factor_base.mark_line(color=COLORS["f"], clip=True).encode(
        x=alt.X("e:Q", scale=e_scale, title="learning rate η"),
        y=alt.Y("rho:Q", scale=r_scale, title="ρ(η) = max |1 − ηλ|"))
    one = alt.Chart(alt.Data(values=[{"e": 2.0, "rho": 1.0, "text": "2/λ_max = 2"}]))
    limit = one.mark_rule(color=COLORS["derivative"], strokeDash=[5, 3]).encode(
        x=alt.X("e:Q", scale=e_scale))
    unit = one.mark_rule(color=COLORS["muted"]).encode(y=alt.Y("rho:Q", scale=r_scale))
    label = one.mark_text(align="right", dx=-4, y=8, fontSize=11,
                          color=COLORS["derivative"]).encode(
        x=alt.X("e:Q", scale=e_scale), text="text:N")
    best = alt.Chart(alt.Data(values=[{"p": 0}])).transform_calculate(
        e="2 / (1 + 1 / kappa)").mark_rule(color=COLORS["tangent"], strokeDash=[2, 2]).encode(
        x=alt.X("e:Q", scale=e_scale))
    current = factor_base.transform_filter("abs(datum.e - eta) < 0.011").transform_window(
        rank="row_number()").transform_filter("datum.rank == 1").transform_calculate(
        e="eta").mark_point(filled=True, size=70, color=COLORS["derivative"], clip=True).encode(
        x=alt.X("e:Q", scale=e_scale), y=alt.Y("rho:Q", scale=r_scale))
    factor_panel = alt.layer(rho, unit, limit, label, best, current).properties(
        width=width, height=150)

    chart = alt.vconcat(contour_map, loss, factor_panel).add_params(
        eta_p, steps_p, kappa_p).resolve_scale(x="independent", y="independent")
    return vega(_with_datasets(chart, paths=paths, rings=rings, factors=factors), "Gradient descent on a quadratic valley: the path on the contour map, "
                       "the loss per step on a log scale, and the contraction factor against "
                       "the learning rate; controls move the learning rate, the number of "
                       "steps and the conditioning")


# ------------------------------------------------------------------- the batch explorer

N_TRAIN = 1000
BATCH_SIZES = (1, 4, 16, 64, 1000)
BATCH_LR = 0.1
BATCH_STEPS = 100
BATCH_THETA0 = (-1.0, 2.0)    # (w, b) where every mini-batch run starts


def regression_set(n_train: int = N_TRAIN, rng=0):
    """A line with noise: x ~ Normal(0.5, 1), y = 2x - 1 + Normal(0, 0.5²); x, y: (n_train,)."""
    rng = np.random.default_rng(rng)
    x = rng.normal(0.5, 1.0, n_train)
    y = 2 * x - 1 + rng.normal(0.0, 0.5, n_train)
    return x, y


def mse_loss(theta, x, y) -> float:
    """L(w, b) = (1/N) Σₙ (w xₙ + b - yₙ)², the mean over the samples given."""
    w, b = theta
    return float(np.mean((w * x + b - y) ** 2))


def mse_grad(theta, x, y) -> np.ndarray:
    """∇L(w, b) = (2/N) Σₙ rₙ (xₙ, 1) with residual rₙ = w xₙ + b - yₙ; shape (2,)."""
    w, b = theta
    r = w * x + b - y
    return np.array([2 * np.mean(r * x), 2 * np.mean(r)])


def minibatch_descent(x, y, theta0, lr: float, batch_size: int, steps: int, rng=0):
    """Mini-batch gradient descent on ``mse_loss``, as ``Sequential.fit`` does it: every
    epoch visits the samples in a new random order, in slices of ``batch_size`` (the last
    one smaller when batch_size does not divide N_train).

    Returns (path (steps + 1, 2), epochs (steps + 1,)): θ after each step, and how many
    epochs (passes over the training set) those steps make.
    """
    rng = np.random.default_rng(rng)
    n_train = len(x)
    per_epoch = math.ceil(n_train / batch_size)
    theta = np.array(theta0, dtype=np.float64)
    path, epochs = [theta.copy()], [0.0]
    order = None
    for step in range(int(steps)):
        within = step % per_epoch
        if within == 0:
            order = rng.permutation(n_train)
        batch = order[within * batch_size:(within + 1) * batch_size]
        theta = theta - lr * mse_grad(theta, x[batch], y[batch])
        path.append(theta.copy())
        epochs.append(step // per_epoch + len(order[:(within + 1) * batch_size]) / n_train)
    return np.array(path), np.array(epochs)


def least_squares(x, y) -> np.ndarray:
    """The minimiser (w*, b*) of ``mse_loss`` (the normal equations)."""
    design = np.column_stack([x, np.ones_like(x)])
    return np.linalg.lstsq(design, y, rcond=None)[0]


def batch_data(batch_size: int, steps: int, lr: float = BATCH_LR, rng=0) -> dict:
    """What the batch explorer shows: ``path`` (steps + 1, 2) of (w, b), ``excess`` loss
    L(θ_k) - L(θ*) on the whole training set, ``epochs`` after each step, ``per_epoch``
    steps per epoch, ``best`` θ*, and a ``caption`` with the step and epoch counters."""
    x, y = regression_set()
    path, epochs = minibatch_descent(x, y, BATCH_THETA0, lr, batch_size, steps, rng)
    best = least_squares(x, y)
    floor = mse_loss(best, x, y)
    excess = np.array([mse_loss(t, x, y) for t in path]) - floor
    per_epoch = math.ceil(len(x) / batch_size)
    caption = (f"batch size N = {batch_size}: {int(steps)} steps = {epochs[-1]:.3g} epochs "
               f"({per_epoch} steps per epoch of N_train = {len(x)}); "
               f"L - L* = {excess[-1]:.1e}")
    return {"path": path, "epochs": epochs, "excess": excess, "per_epoch": per_epoch,
            "best": best, "caption": caption, "batch_size": int(batch_size), "steps": int(steps)}


def _batch_rings(levels=(0.01, 0.04, 0.16, 0.64, 2.56, 10.24)):
    """Contours L(w, b) - L* = ℓ of the full training loss, a quadratic in (w, b)."""
    x, y = regression_set()
    best = least_squares(x, y)
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    # L - L* = ½ (θ - θ*)ᵀ H (θ - θ*): the quadratic of the first explorer, moved to θ*.
    return [ring + best for ring in contour_lines(hessian, levels, n=48)]


def draw_batches(fig, batch_size: int = 16, steps: int = 50) -> dict:
    """Draw the batch explorer on ``fig``: the path of (w, b) on the contours of the full
    training loss (top), and the excess loss per step on a log scale (bottom)."""
    data = batch_data(batch_size, steps)
    top, bottom = fig.subplots(2, 1, height_ratios=[1.4, 1])
    for ax in (top, bottom):
        style_axes(ax)
    for ring in _batch_rings():
        top.plot(ring[:, 0], ring[:, 1], color=COLORS["muted"], lw=0.7, gid="contour")
    path = data["path"]
    top.plot(path[:, 0], path[:, 1], "o-", color=COLORS["derivative"], ms=2.5, lw=1, gid="path")
    top.plot(*data["best"], "*", color=COLORS["tangent"], ms=10)
    top.set(xlim=(-1.5, 3.0), ylim=(-2.0, 2.5), xlabel="weight $w$", ylabel="bias $b$",
            aspect="equal")
    top.set_title(f"N = {batch_size}: {int(steps)} steps = {data['epochs'][-1]:.3g} epochs",
                  fontsize=10)
    bottom.semilogy(np.arange(len(path)), np.maximum(data["excess"], 1e-6), color=COLORS["f"],
                    gid="excess")
    bottom.set(xlabel="step $k$", ylabel=r"$L(\theta_k) - L^*$", xlim=(0, BATCH_STEPS),
               ylim=(1e-6, 20))
    return data


def batch_widget(batch_size: int = 16, steps: int = 50):
    """Live batch explorer: a menu for the batch size, a slider for the steps."""
    import ipywidgets as widgets

    from . import LiveFigure

    controls = {
        "batch_size": widgets.Dropdown(options=list(BATCH_SIZES), value=batch_size,
                                       description="batch N"),
        "steps": widgets.IntSlider(value=steps, min=0, max=BATCH_STEPS, description="steps"),
    }
    return LiveFigure(draw_batches, controls, figsize=(6.4, 6.6))


def batch_vega(batch_size: int = 16, steps: int = 50, width: int = 270):
    """Kernel-free batch explorer (batch size, steps), with step and epoch counters.
    Every run is computed here for each batch size of ``BATCH_SIZES``."""
    import altair as alt

    from . import vega

    runs = []
    for n in BATCH_SIZES:
        d = batch_data(n, BATCH_STEPS)
        runs.append({"n": n, "k": list(range(BATCH_STEPS + 1)),
                     "w": _rounded(d["path"][:, 0]), "b": _rounded(d["path"][:, 1]),
                     "excess": _rounded(np.maximum(d["excess"], 1e-6)),
                     "epochs": _rounded(d["epochs"])})
    rings = [{"level": j, "i": i, "w": round(float(p[0]), 3), "b": round(float(p[1]), 3)}
             for j, ring in enumerate(_batch_rings()) for i, p in enumerate(ring)]
    best = least_squares(*regression_set())
    n_p = alt.param(name="batch", value=int(batch_size), bind=alt.binding_radio(
        options=list(BATCH_SIZES), name="batch size N "))
    steps_p = alt.param(name="steps", value=int(steps), bind=alt.binding_range(
        min=0, max=BATCH_STEPS, step=1, name="steps "))
    base = alt.Chart(alt.Data(name="runs")).transform_filter(
        "datum.n == batch").transform_flatten(["k", "w", "b", "excess", "epochs"]
                                              ).transform_filter("datum.k <= steps")
    ws = alt.Scale(domain=[-1.5, 3.0], nice=False)
    bs = alt.Scale(domain=[-2.0, 2.5], nice=False)
    contours = alt.Chart(alt.Data(name="rings")).mark_line(
        color=COLORS["muted"], strokeWidth=0.8, clip=True).encode(
        x=alt.X("w:Q", scale=ws, title="weight w", axis=alt.Axis(tickCount=5)),
        y=alt.Y("b:Q", scale=bs, title="bias b"),
        detail="level:N", order="i:Q")
    walk = base.mark_line(color=COLORS["derivative"], clip=True, point=alt.OverlayMarkDef(
        color=COLORS["derivative"], size=10)).encode(
        x=alt.X("w:Q", scale=ws), y=alt.Y("b:Q", scale=bs), order="k:Q")
    target = alt.Chart(alt.Data(values=[{"w": float(best[0]), "b": float(best[1])}])).mark_point(
        shape="diamond", filled=True, size=90, color=COLORS["tangent"]).encode(
        x=alt.X("w:Q", scale=ws), y=alt.Y("b:Q", scale=bs))
    counter = base.transform_filter("datum.k == steps").transform_calculate(
        text=(f"datum.k + ' steps = ' + format(datum.epochs, '.3~g') + ' epochs  ("
              f"' + ceil({N_TRAIN} / batch) + ' steps per epoch)'")).mark_text(
        align="left", baseline="top", fontSize=12, x=2, y=-18).encode(text="text:N")
    plane = alt.layer(contours, walk, target, counter).properties(width=width, height=width)
    excess = base.mark_line(color=COLORS["f"], clip=True).encode(
        x=alt.X("k:Q", scale=alt.Scale(domain=[0, BATCH_STEPS], nice=False), title="step k"),
        y=alt.Y("excess:Q", scale=alt.Scale(type="log", domain=[1e-6, 20]),
                axis=_powers_of_ten([1e-6, 1e-4, 1e-2, 1]),
                title="L(θ_k) − L* (log scale)")).properties(width=width, height=150)
    chart = alt.vconcat(plane, excess).add_params(n_p, steps_p).resolve_scale(
        x="independent", y="independent")
    return vega(_with_datasets(chart, runs=runs, rings=rings), "Mini-batch gradient descent on a linear regression: the path of the "
                       "weight and the bias on the contours of the training loss, and the "
                       "excess loss per step; controls move the batch size and the number of "
                       "steps, and a counter shows the steps and the epochs they make")


# ------------------------------------------------------------------- static figures


def plot_parabola_walk(ax, a: float, etas, theta0: float = 1.0, steps: int = 6):
    """The walk θ_{k+1} = (1 - ηa) θ_k drawn on the parabola L = (a/2)θ², one colour per η."""
    style_axes(ax)
    ts = np.linspace(-1.3 * abs(theta0), 1.3 * abs(theta0), 200)
    ax.plot(ts, a / 2 * ts**2, color=COLORS["muted"], lw=1.5)
    colors = [COLORS["tangent"], COLORS["derivative"], COLORS["secant"], COLORS["f"]]
    for eta, color in zip(etas, colors):
        path = theta0 * (1 - eta * a) ** np.arange(steps + 1)
        ax.plot(path, a / 2 * path**2, "o-", color=color, ms=4, lw=1.2,
                label=f"η = {eta:g}", gid=f"walk-{eta:g}")
    ax.set(xlabel=r"$\theta$", ylabel=r"$L(\theta) = a\theta^2/2$")
    ax.legend(fontsize=9, frameon=False, loc="upper center")
    return ax


def plot_errors_1d(ax, a: float, etas, theta0: float = 1.0, steps: int = 12):
    """e_k = (1 - ηa)^k e_0 against k for each η: the four regimes side by side."""
    style_axes(ax)
    k = np.arange(steps + 1)
    colors = [COLORS["tangent"], COLORS["derivative"], COLORS["secant"], COLORS["f"]]
    lowest, highest = 0.0, 0.0
    for eta, color in zip(etas, colors):
        errors = theta0 * (1 - eta * a) ** k
        lowest, highest = min(lowest, errors.min()), max(highest, errors.max())
        ax.plot(k, errors, "o-", color=color, ms=3.5, lw=1.1,
                label=f"η = {eta:g} ({regime(a, eta)})", gid=f"error-{eta:g}")
    span = highest - lowest
    ax.set_ylim(lowest - 0.5 * span, highest + 0.08 * span)   # room for the legend below the data
    ax.axhline(0, color=COLORS["muted"], lw=0.8)
    ax.set(xlabel="step $k$", ylabel="error $e_k$")
    ax.legend(fontsize=9, frameon=False, loc="lower left", ncols=2)
    return ax


def plot_paths(ax, kappa: float, etas, steps: int = 25, theta0=THETA0):
    """Gradient-descent paths on the contour map of the valley ``valley_matrix(kappa)``."""
    style_axes(ax)
    A = valley_matrix(kappa)
    for ring in contour_lines(A, explorer_levels(kappa)):
        ax.plot(ring[:, 0], ring[:, 1], color=COLORS["muted"], lw=0.7)
    colors = [COLORS["f"], COLORS["derivative"], COLORS["tangent"]]
    for eta, color in zip(etas, colors):
        path = gradient_descent(lambda t: A @ t, theta0, eta, steps)
        ax.plot(path[:, 0], path[:, 1], "o-", color=color, ms=3, lw=1.1, label=f"η = {eta:.3g}",
                gid=f"path-{eta:.3g}")
    ax.plot(0, 0, "*", color="black", ms=9)
    ax.set(xlim=(-VIEW, VIEW), ylim=(-VIEW * 0.6, VIEW * 0.6), aspect="equal",
           xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    ax.legend(fontsize=9, frameon=False, loc="lower right")
    return ax
