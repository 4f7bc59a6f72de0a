"""Chapter 5, Perceptrons: its figures and widgets, with their logic in plain, tested functions.

Import on demand (``from nnlib.widgets import ch05``): it needs matplotlib, ipywidgets and
altair, which ``import nnlib`` alone never loads.

Conventions (the chapter's): a neuron computes z = w·x + b; the step activation gives 1 when
z > 0 and 0 otherwise; the perceptron rule works on the augmented input x̃ = [x, 1] and
w̃ = [w, b] with labels y ∈ {-1, +1}, and updates w̃ ← w̃ + η y x̃ whenever y w̃·x̃ ≤ 0.

Two ideas to move, each twice:

* a neuron's boundary over the AND, OR, NAND and XOR points: sliders w₁, w₂, b and a
  sharpness c of the sigmoid (``neuron_widget`` live, ``neuron_vega`` kernel-free);
* the perceptron rule, one update at a time, with the update count beside its bound
  (``training_widget`` live, ``training_vega`` kernel-free).
"""
from __future__ import annotations

import functools

import numpy as np

from ..activations import sigmoid
from ..perceptron import (augment, margin, max_margin, novikoff_bound,  # noqa: F401
                          radius, signs, step)    # (part of this module's API)
from ..plot import CLASS_COLORS, COLORS, axes_or_new

# ------------------------------------------------------------------------------ the data

#: the four corners of the unit square, in truth-table order
POINTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
#: each gate's output on POINTS, in the same order
GATES = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "NAND": np.array([1, 1, 1, 0]),
    "XOR": np.array([0, 1, 1, 0]),
}
#: the square every picture of this chapter shows: x₁ and x₂ from -0.5 to 1.5
BOX = (-0.5, 1.5)


def separable_points(n: int = 24, w=(1.0, 2.0), b: float = -1.5, gap: float = 0.15, rng=4):
    """``n`` random points of the box, labelled 0/1 by the side of the line w·x + b = 0.

    Points closer to the line than ``gap`` (geometric distance) are redrawn, so the set is
    separable with that margin.  Returns X: (n, 2) and y: (n,) in {0, 1}.
    """
    rng = np.random.default_rng(rng)
    w = np.asarray(w, dtype=float)
    X = np.empty((0, 2))
    while len(X) < n:
        candidates = rng.uniform(BOX[0] + 0.1, BOX[1] - 0.1, size=(4 * n, 2))
        far = np.abs(candidates @ w + b) / np.linalg.norm(w) >= gap
        X = np.vstack([X, candidates[far]])
    X = X[:n]
    return X, (X @ w + b > 0).astype(int)


def gate_data(name: str):
    """(POINTS, labels) of a gate: X (4, 2) and y (4,) in {0, 1}."""
    try:
        return POINTS.copy(), GATES[name].copy()
    except KeyError:
        raise ValueError(f"unknown gate {name!r}; choose one of {list(GATES)}") from None


# ---------------------------------------------------------------------- one neuron

def pre_activation(X, w, b):
    """z = w·x + b for every row x of X.  X: (N, 2), w: (2,), b: scalar -> (N,)."""
    return np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + float(b)


def signed_distance(X, w, b):
    """(w·x + b) / ‖w‖ for every row x of X: positive on the side w points to.  -> (N,)."""
    norm = float(np.linalg.norm(w))
    if norm == 0:
        raise ValueError("signed_distance: w = 0 has no boundary")
    return pre_activation(X, w, b) / norm


def boundary_segment(w, b, box=BOX):
    """The part of the line w·x + b = 0 inside the square ``box`` × ``box``.

    Returns a (2, 2) array of its two end points (rows), or None when w = 0 or the line
    misses the square.  The line is found through its point closest to the origin,
    -b w / ‖w‖², and its direction (-w₂, w₁), so vertical and horizontal lines need no
    special case.
    """
    w = np.asarray(w, dtype=float)
    norm2 = float(w @ w)
    if norm2 == 0:
        return None
    foot = -float(b) * w / norm2
    direction = np.array([-w[1], w[0]]) / np.sqrt(norm2)
    lo, hi = box
    # Clip the line foot + t·direction to the square: the t-interval inside each slab.
    t_lo, t_hi = -np.inf, np.inf
    for axis in range(2):
        if abs(direction[axis]) < 1e-12:
            if not lo <= foot[axis] <= hi:
                return None
            continue
        t1, t2 = sorted(((lo - foot[axis]) / direction[axis], (hi - foot[axis]) / direction[axis]))
        t_lo, t_hi = max(t_lo, t1), min(t_hi, t2)
    if t_lo >= t_hi:
        return None
    return np.array([foot + t_lo * direction, foot + t_hi * direction])


def neuron_data(w1: float, w2: float, b: float, c: float, gate: str) -> dict:
    """What the neuron picture shows, as numbers: the gate's points, the step outputs and the
    sigmoid outputs σ(c·z), how many points the step gets right, and the boundary."""
    X, y = gate_data(gate)
    w = np.array([w1, w2], dtype=float)
    z = pre_activation(X, w, b)
    out = step(z)
    return {
        "gate": gate, "w": w, "b": float(b), "c": float(c), "X": X, "y": y, "z": z,
        "step": out, "sigmoid": sigmoid(float(c) * z), "n_right": int(np.sum(out == y)),
        "segment": boundary_segment(w, b),
    }


def _neuron_caption(data) -> str:
    verdict = "all 4 right" if data["n_right"] == 4 else f"{data['n_right']} of 4 right"
    return (f"{data['gate']}: w = ({data['w'][0]:g}, {data['w'][1]:g}), b = {data['b']:g}, "
            f"c = {data['c']:g}: {verdict}")


def draw_neuron(fig, w1: float = 1.0, w2: float = 1.0, b: float = -1.5, c: float = 4.0,
                gate: str = "AND") -> dict:
    """Redraw ``fig``: the plane coloured by σ(c(w·x + b)), the boundary w·x + b = 0 with its
    normal w, and the gate's four points (filled: output 1, ringed red when the step neuron
    gets the point wrong).  Returns ``neuron_data`` with a caption."""
    data = neuron_data(w1, w2, b, c, gate)
    fig.clear()
    ax = fig.add_subplot()
    plot_neuron_plane(ax, data["w"], data["b"], c=c)
    plot_points(ax, data["X"], data["y"], wrong=data["step"] != data["y"])
    ax.set_title(_neuron_caption(data), fontsize=10)
    data["caption"] = _neuron_caption(data)
    return data


def plot_neuron_plane(ax, w, b, c: float | None = None, box=BOX, resolution: int = 161,
                      normal: bool = True):
    """Colour the square by σ(c(w·x + b)) (or by the step when ``c`` is None) and draw the
    boundary with an arrow along w from its point closest to the origin."""
    from matplotlib.colors import LinearSegmentedColormap

    ax = axes_or_new(ax)
    grid = np.linspace(*box, resolution)
    g1, g2 = np.meshgrid(grid, grid)
    z = pre_activation(np.column_stack([g1.ravel(), g2.ravel()]), w, b).reshape(g1.shape)
    values = step(z) if c is None else sigmoid(float(c) * z)
    cmap = LinearSegmentedColormap.from_list("classes", [CLASS_COLORS[0], "white", CLASS_COLORS[1]])
    ax.imshow(values, origin="lower", extent=(*box, *box), cmap=cmap, vmin=0, vmax=1,
              alpha=0.35, interpolation="bilinear", aspect="equal")
    segment = boundary_segment(w, b, box)
    if segment is not None:
        ax.plot(segment[:, 0], segment[:, 1], color="black", lw=1.8, gid="boundary")
        w = np.asarray(w, dtype=float)
        foot = -float(b) * w / float(w @ w)
        arrow = 0.35 * w / np.linalg.norm(w)
        if normal and np.all((foot >= box[0]) & (foot <= box[1])):
            ax.annotate("", xy=foot + arrow, xytext=foot,
                        arrowprops=dict(arrowstyle="-|>", color="black", lw=1.2))
            ax.text(*(foot + 1.25 * arrow), "$\\mathbf{w}$", fontsize=11, ha="center",
                    va="center")
    ax.set_xlim(*box)
    ax.set_ylim(*box)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def plot_points(ax, X, y, wrong=None, size: float = 90):
    """Points of class 1 filled orange, class 0 blue; points in ``wrong`` ringed in red."""
    X, y = np.asarray(X, dtype=float), np.asarray(y).astype(int)
    for label in (0, 1):
        mine = y == label
        ax.scatter(X[mine, 0], X[mine, 1], s=size, color=CLASS_COLORS[label],
                   edgecolors="white", linewidths=1, zorder=3, label=f"class {label}")
    if wrong is not None and np.any(wrong):
        wrong = np.asarray(wrong, dtype=bool)
        ax.scatter(X[wrong, 0], X[wrong, 1], s=2.6 * size, facecolors="none",
                   edgecolors=COLORS["derivative"], linewidths=2, zorder=4, gid="wrong")
    return ax


# -------------------------------------------------------------- the perceptron rule

def perceptron_run(X, y, eta: float = 1.0, max_updates: int = 1000, max_epochs: int = 1000):
    """Train a perceptron from w̃ = 0, visiting the rows of X in order, epoch after epoch.

    At each visit, if y w̃·x̃ ≤ 0 (a mistake, or a point on the boundary), w̃ ← w̃ + η y x̃.
    Stops after an epoch without mistakes (``converged``), or at ``max_updates`` updates or
    ``max_epochs`` epochs.  Returns a dict: ``w_aug`` (d + 1,) the final [w, b],
    ``n_updates``, ``converged``, ``epochs``, and ``updates``, one entry per update:
    (index of the point, w̃ after the update).
    """
    Xa, s = augment(X), signs(y)
    w_aug = np.zeros(Xa.shape[1])
    updates = []
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for i in range(len(Xa)):
            if s[i] * (w_aug @ Xa[i]) <= 0:
                w_aug = w_aug + eta * s[i] * Xa[i]
                updates.append((i, w_aug.copy()))
                mistakes += 1
                if len(updates) >= max_updates:
                    converged = bool(np.all(s * (Xa @ w_aug) > 0))
                    return _run(w_aug, updates, converged, epoch)
        if mistakes == 0:
            return _run(w_aug, updates, True, epoch)
    return _run(w_aug, updates, False, max_epochs)


def _run(w_aug, updates, converged, epochs):
    return {"w_aug": w_aug, "n_updates": len(updates), "converged": converged,
            "epochs": epochs, "updates": updates}


# ---------------------------------------------------------------- the training view

TRAINING_SETS = ("separable", "AND", "XOR")
MAX_SHOWN_UPDATES = 40


def training_set(name: str):
    """X (N, 2) and y (N,) in {0, 1} for a name of ``TRAINING_SETS``."""
    if name == "separable":
        return separable_points()
    return gate_data(name)


def training_frames(name: str, max_updates: int = MAX_SHOWN_UPDATES) -> dict:
    """The perceptron rule on one training set, from w̃ = 0, update by update.

    Returns X, y, ``weights`` (n + 1, 3): w̃ after 0, 1, ..., n updates, ``points``: the index
    of the point that caused each update, ``wrong`` (n + 1, N): which points w̃ gets wrong
    after each update, ``bound`` (R/γ*)² (inf when not separable), ``converged``.
    """
    return _training_frames(name, max_updates)


@functools.lru_cache(maxsize=8)
def _training_frames(name: str, max_updates: int) -> dict:
    # cached: the live widget redraws often
    X, y = training_set(name)
    run = perceptron_run(X, y, max_updates=max_updates)
    weights = np.vstack([np.zeros(3)] + [w for _, w in run["updates"]])
    s = signs(y)
    wrong = (s[None, :] * (weights @ augment(X).T)) <= 0
    return {"name": name, "X": X, "y": y, "weights": weights,
            "points": np.array([i for i, _ in run["updates"]], dtype=int),
            "wrong": wrong, "bound": novikoff_bound(X, y), "converged": run["converged"],
            "n_updates": run["n_updates"]}


def training_caption(frames: dict, k: int) -> str:
    """'separable: update 3 of at most 97; 2 points wrong' for frame k of ``training_frames``."""
    k = int(np.clip(k, 0, len(frames["weights"]) - 1))
    n_wrong = int(frames["wrong"][k].sum())
    if np.isfinite(frames["bound"]):
        count = f"update {k} of at most {frames['bound']:.0f}"
    else:
        count = f"update {k}, no bound (not separable)"
    if k > 0 and not frames["weights"][k].any():
        return f"{frames['name']}: {count}; w̃ = 0 again, back at the start"
    return f"{frames['name']}: {count}; {n_wrong} point{'s' if n_wrong != 1 else ''} wrong"


def draw_training(fig, name: str = "separable", k: int = 0) -> dict:
    """Redraw ``fig``: the training set, the boundary after ``k`` updates (solid) and before
    it (dashed), and the point that caused update k (ringed).  Returns what it drew."""
    frames = training_frames(name)
    k = int(np.clip(k, 0, len(frames["weights"]) - 1))
    fig.clear()
    ax = fig.add_subplot()
    w_aug = frames["weights"][k]
    plot_neuron_plane(ax, w_aug[:2], w_aug[2], c=None, normal=False)
    if k > 0:
        before = frames["weights"][k - 1]
        segment = boundary_segment(before[:2], before[2])
        if segment is not None:
            ax.plot(segment[:, 0], segment[:, 1], "--", color=COLORS["muted"], lw=1.4,
                    gid="previous")
    plot_points(ax, frames["X"], frames["y"], wrong=frames["wrong"][k], size=45)
    if k > 0:
        i = frames["points"][k - 1]
        ax.scatter(*frames["X"][i], s=420, facecolors="none", edgecolors="black", lw=1.5,
                   zorder=5, gid="updated")
    caption = training_caption(frames, k)
    ax.set_title(caption, fontsize=10)
    return {"caption": caption, "k": k, "w_aug": w_aug, "n_wrong": int(frames["wrong"][k].sum()),
            "bound": frames["bound"], "n_updates": frames["n_updates"]}


# ------------------------------------------------------------------ live widgets

def neuron_widget(w1: float = 1.0, w2: float = 1.0, b: float = -1.5, c: float = 4.0,
                  gate: str = "AND"):
    """Live: sliders w₁, w₂, b, c and a gate menu redraw ``draw_neuron``."""
    import ipywidgets as widgets

    from . import LiveFigure

    def slider(value, low, high, label, step=0.1):
        return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=label,
                                   continuous_update=True, readout_format=".1f")

    return LiveFigure(draw_neuron, {
        "w1": slider(w1, -3, 3, "w₁"), "w2": slider(w2, -3, 3, "w₂"),
        "b": slider(b, -3, 3, "b"), "c": slider(c, 0.5, 30, "c", 0.5),
        "gate": widgets.ToggleButtons(options=list(GATES), value=gate, description="points"),
    }, figsize=(5.2, 5.0))


def training_widget(name: str = "separable", k: int = 0):
    """Live: a training-set menu and an update slider redraw ``draw_training``."""
    import ipywidgets as widgets

    from . import LiveFigure

    return LiveFigure(draw_training, {
        "name": widgets.ToggleButtons(options=list(TRAINING_SETS), value=name,
                                      description="data"),
        "k": widgets.IntSlider(value=k, min=0, max=MAX_SHOWN_UPDATES, description="update",
                               continuous_update=True),
    }, figsize=(5.2, 5.0))


# ------------------------------------------------------------ kernel-free widgets

def _cells(box=BOX, n: int = 32):
    """The square cut into n × n cells: their lower-left and upper-right corners."""
    edges = np.linspace(*box, n + 1)
    edges = np.round(edges, 4)
    return [{"x1": float(a), "x2": float(c), "x1e": float(b), "x2e": float(d)}
            for a, b in zip(edges[:-1], edges[1:]) for c, d in zip(edges[:-1], edges[1:])]


def neuron_vega(w1: float = 1.0, w2: float = 1.0, b: float = -1.5, c: float = 4.0,
                gate: str = "AND", validate: bool = False):
    """Kernel-free neuron: sliders w₁, w₂, b, c and a choice of gate, drawn in the browser.

    The page computes σ(c(w₁x₁ + w₂x₂ + b)) on a grid of cells, the boundary line through its
    point closest to the origin, and which of the gate's four points the step neuron gets
    right.  ``validate=True`` checks the specification against the Vega-Lite schema (slow:
    the tests do it, the notebook need not).  Returns ``nnlib.widgets.VegaWidget``.
    """
    import altair as alt

    from . import vega

    params = [
        alt.param(name="w1", value=float(w1), bind=alt.binding_range(min=-3, max=3, step=0.1,
                                                                     name="w₁ ")),
        alt.param(name="w2", value=float(w2), bind=alt.binding_range(min=-3, max=3, step=0.1,
                                                                     name="w₂ ")),
        alt.param(name="b", value=float(b), bind=alt.binding_range(min=-3, max=3, step=0.1,
                                                                   name="b ")),
        alt.param(name="c", value=float(c), bind=alt.binding_range(min=0.5, max=30, step=0.5,
                                                                   name="c ")),
        alt.param(name="gate", value=gate, bind=alt.binding_radio(options=list(GATES),
                                                                  name="points ")),
    ]
    x_scale = alt.Scale(domain=list(BOX), nice=False)
    y_scale = alt.Scale(domain=list(BOX), nice=False)
    z = "(w1 * datum.{a} + w2 * datum.{b} + b)"
    # Each cell is coloured by σ(c·z) at its centre.
    cells = alt.Chart(alt.Data(values=_cells())).mark_rect(opacity=0.45).transform_calculate(
        x1c="(datum.x1 + datum.x1e) / 2", x2c="(datum.x2 + datum.x2e) / 2").transform_calculate(
        p=f"1 / (1 + exp(-c * {z.format(a='x1c', b='x2c')}))").encode(
        x=alt.X("x1:Q", scale=x_scale, title="x₁"), x2="x1e:Q",
        y=alt.Y("x2:Q", scale=y_scale, title="x₂"), y2="x2e:Q",
        color=alt.Color("p:Q", scale=alt.Scale(domain=[0, 0.5, 1],
                                               range=[CLASS_COLORS[0], "white", CLASS_COLORS[1]]),
                        legend=alt.Legend(title="σ(c·z)", orient="bottom", gradientLength=160)))
    # The boundary: the foot -b·w/‖w‖² plus t·(-w₂, w₁)/‖w‖, for t across the square.
    line = alt.Chart(alt.Data(values=[{"t": -3.0}, {"t": 3.0}])).mark_line(
        color="black", strokeWidth=2, clip=True).transform_filter(
        "w1 * w1 + w2 * w2 > 0").transform_calculate(
        bx1="-b * w1 / (w1 * w1 + w2 * w2) - datum.t * w2 / sqrt(w1 * w1 + w2 * w2)",
        bx2="-b * w2 / (w1 * w1 + w2 * w2) + datum.t * w1 / sqrt(w1 * w1 + w2 * w2)").encode(
        x=alt.X("bx1:Q", scale=x_scale), y=alt.Y("bx2:Q", scale=y_scale), order="t:Q")
    rows = [{"gate": name, "x1": float(p[0]), "x2": float(p[1]), "target": int(t)}
            for name, outputs in GATES.items() for p, t in zip(POINTS, outputs)]
    points = alt.Chart(alt.Data(values=rows)).transform_filter(
        "datum.gate == gate").transform_calculate(
        output=f"{z.format(a='x1', b='x2')} > 0 ? 1 : 0").transform_calculate(
        right="datum.output == datum.target ? 'right' : 'wrong'")
    dots = points.mark_point(filled=True, size=260, opacity=1).encode(
        x=alt.X("x1:Q", scale=x_scale), y=alt.Y("x2:Q", scale=y_scale),
        color=alt.Color("target:N", scale=alt.Scale(domain=[0, 1], range=CLASS_COLORS[:2]),
                        legend=alt.Legend(title="target", orient="bottom")),
        stroke=alt.Stroke("right:N", scale=alt.Scale(domain=["right", "wrong"],
                                                     range=["white", COLORS["derivative"]]),
                          legend=alt.Legend(title="step neuron", orient="bottom")),
        strokeWidth=alt.value(3))
    caption = points.transform_calculate(
        ok="datum.output == datum.target ? 1 : 0").transform_aggregate(
        n_right="sum(ok)").transform_calculate(
        text="'z = ' + format(w1, '.1f') + '·x₁ ' + (w2 < 0 ? '− ' : '+ ') + "
             "format(abs(w2), '.1f') + '·x₂ ' + (b < 0 ? '− ' : '+ ') + format(abs(b), '.1f') "
             "+ ':  ' + datum.n_right + ' of 4 points right'").mark_text(
        align="left", baseline="top", fontSize=13, x=4, y=-22).encode(text="text:N")
    chart = alt.layer(cells, line, dots, caption).add_params(*params).resolve_scale(
        color="independent").properties(
        width="container", height=320).configure_legend(labelFontSize=11, titleFontSize=11)
    return vega(chart.to_dict(validate=validate),
                "A neuron's decision boundary over the AND, OR, NAND and XOR points: "
                "sliders move w1, w2, b and the sharpness c of the sigmoid")


def training_vega(max_updates: int = MAX_SHOWN_UPDATES, validate: bool = False):
    """Kernel-free perceptron rule: a choice of training set and an update slider.

    Python runs the rule once per training set (``training_frames``) and hands the page each
    boundary and each point's verdict after every update; the page shows the frame the
    slider picks (the last one when the rule stopped earlier).  ``validate`` as in
    ``neuron_vega``.  Returns ``VegaWidget``.
    """
    import altair as alt

    from . import vega

    data_param = alt.param(name="data", value="separable", bind=alt.binding_radio(
        options=list(TRAINING_SETS), name="data "))
    k_param = alt.param(name="k", value=0, bind=alt.binding_range(
        min=0, max=max_updates, step=1, name="update "))
    frames = {name: training_frames(name, max_updates) for name in TRAINING_SETS}
    lines, dots, captions = [], [], []
    for name, f in frames.items():
        last = len(f["weights"]) - 1
        for k in range(last + 1):
            for which, w_aug in (("now", f["weights"][k]),
                                 ("before", f["weights"][k - 1] if k else None)):
                segment = None if w_aug is None else boundary_segment(w_aug[:2], w_aug[2])
                if segment is not None:
                    lines += [{"data": name, "k": k, "last": last, "which": which, "end": e,
                               "x1": round(float(segment[e, 0]), 4),
                               "x2": round(float(segment[e, 1]), 4)} for e in (0, 1)]
            updated = f["points"][k - 1] if k else -1
            dots += [{"data": name, "k": k, "last": last, "x1": round(float(x[0]), 4),
                      "x2": round(float(x[1]), 4), "target": int(t),
                      "right": "wrong" if f["wrong"][k, i] else "right",
                      "updated": bool(i == updated)}
                     for i, (x, t) in enumerate(zip(f["X"], f["y"]))]
            captions.append({"data": name, "k": k, "last": last,
                             "text": training_caption(f, k)})
    this_frame = "datum.data == data && datum.k == min(k, datum.last)"
    x_scale = alt.Scale(domain=list(BOX), nice=False)
    y_scale = alt.Scale(domain=list(BOX), nice=False)
    enc = dict(x=alt.X("x1:Q", scale=x_scale, title="x₁"),
               y=alt.Y("x2:Q", scale=y_scale, title="x₂"))
    line_layer = alt.Chart(alt.Data(values=lines)).mark_line(clip=True).transform_filter(
        this_frame).encode(
        **enc, detail="which:N", order="end:Q",
        color=alt.Color("which:N", scale=alt.Scale(domain=["now", "before"],
                                                   range=["black", COLORS["muted"]]),
                        legend=alt.Legend(title="boundary", orient="bottom")),
        strokeDash=alt.StrokeDash("which:N", scale=alt.Scale(domain=["now", "before"],
                                                             range=[[1, 0], [6, 4]]),
                                  legend=None))
    dot_chart = alt.Chart(alt.Data(values=dots)).transform_filter(this_frame)
    dot_layer = dot_chart.mark_point(filled=True, size=110, opacity=1).encode(
        **enc,
        color=alt.Color("target:N", scale=alt.Scale(domain=[0, 1], range=CLASS_COLORS[:2]),
                        legend=alt.Legend(title="target", orient="bottom")),
        stroke=alt.Stroke("right:N", scale=alt.Scale(domain=["right", "wrong"],
                                                     range=["white", COLORS["derivative"]]),
                          legend=alt.Legend(title="this boundary", orient="bottom")),
        strokeWidth=alt.value(2.5))
    ring = dot_chart.transform_filter("datum.updated").mark_point(
        size=600, color="black", strokeWidth=1.5).encode(**enc)
    text = alt.Chart(alt.Data(values=captions)).transform_filter(this_frame).mark_text(
        align="left", baseline="top", fontSize=12, x=4, y=-22).encode(text="text:N")
    # The regions: every cell looks up the weights of the frame shown and takes the step.
    weights = [{"key": f"{name}:{k}", "w1": float(w[0]), "w2": float(w[1]), "b": float(w[2])}
               for name, f in frames.items() for k, w in enumerate(f["weights"])]
    cell_rows = [dict(cell, data=name, last=len(f["weights"]) - 1)
                 for name, f in frames.items() for cell in _cells(n=32)]
    regions = alt.Chart(alt.Data(values=cell_rows)).transform_filter(
        "datum.data == data").transform_calculate(
        key="datum.data + ':' + min(k, datum.last)").transform_lookup(
        lookup="key", from_=alt.LookupData(alt.Data(values=weights), "key",
                                           ["w1", "w2", "b"])).transform_calculate(
        side="datum.w1 * (datum.x1 + datum.x1e) / 2 + datum.w2 * (datum.x2 + datum.x2e) / 2 "
             "+ datum.b > 0 ? 'output 1' : 'output 0'").mark_rect(opacity=0.25).encode(
        x=alt.X("x1:Q", scale=x_scale, title="x₁"), x2="x1e:Q",
        y=alt.Y("x2:Q", scale=y_scale, title="x₂"), y2="x2e:Q",
        color=alt.Color("side:N", scale=alt.Scale(domain=["output 0", "output 1"],
                                                  range=CLASS_COLORS[:2]), legend=None))
    chart = alt.layer(regions, line_layer, dot_layer, ring, text).add_params(
        data_param, k_param).resolve_scale(color="independent").properties(
        width="container", height=320).configure_legend(labelFontSize=11, titleFontSize=11)
    return vega(chart.to_dict(validate=validate),
                "The perceptron learning rule, one update at a time: the boundary "
                "before and after each update, with the update count and its bound")


# ------------------------------------------------------------ the chapter's figures

def plot_sharpening(ax=None, cs=(1, 3, 10, 100), z_max: float = 3.0):
    """σ(c·z) for several sharpnesses c, with the step it tends to.  Returns ax."""
    ax = axes_or_new(ax)
    z = np.linspace(-z_max, z_max, 601)
    shades = np.linspace(0.35, 1.0, len(cs))
    for c, shade in zip(cs, shades):
        ax.plot(z, sigmoid(c * z), color=COLORS["f"], alpha=float(shade), lw=1.8,
                label=f"$\\sigma({c:g}\\,z)$")
    ax.plot(z[z < 0], np.zeros((z < 0).sum()), color=COLORS["derivative"], lw=1.2, ls="--")
    ax.plot(z[z > 0], np.ones((z > 0).sum()), color=COLORS["derivative"], lw=1.2, ls="--",
            label="step")
    ax.set_xlabel("$z = \\mathbf{w}\\cdot\\mathbf{x} + b$")
    ax.legend(fontsize=9, frameon=False, loc="upper left")
    return ax


def plot_bound_vs_runs(ax, bounds, counts, labels=None):
    """Update counts of real runs against their bound (R/γ*)², log-log, with the line
    count = bound: every run must lie below it."""
    ax = axes_or_new(ax)
    bounds, counts = np.asarray(bounds, float), np.asarray(counts, float)
    ax.loglog(bounds, np.maximum(counts, 0.8), "o", color=COLORS["f"], ms=5, alpha=0.75,
              label="one run", gid="runs")
    span = np.array([min(bounds.min(), counts.min(), 1), bounds.max() * 1.5])
    ax.loglog(span, span, "--", color=COLORS["derivative"], lw=1.3, label="count = bound")
    ax.set_xlabel("bound $(R/\\gamma)^2$")
    ax.set_ylabel("updates until no mistakes")
    ax.legend(fontsize=9, frameon=False, loc="upper left")
    return ax
