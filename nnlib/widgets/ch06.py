"""Chapter 6, Backpropagation: its figures and widgets, with their logic in plain, tested functions.

Import on demand (``from nnlib.widgets import ch06``): it needs matplotlib, ipywidgets and
altair, which ``import nnlib`` alone never loads.

Two ideas to move, each twice (live in Jupyter with ``LiveFigure``, kernel-free on the site
with ``vega``):

* a 2-2-1 network drawn as a computational graph, each node with its forward value and its
  gradient dL/d(node), each weight edge with dL/dw; the reader moves an input and two weights
  (``tiny_network``, ``draw_tiny_network``, ``tiny_network_vega``);
* XOR learned by a 2-H-1 tanh network, its decision boundary step by step, for several
  learning rates, hidden widths and seeds (``xor_runs``, ``draw_xor_training``, ``xor_vega``).

Graphs are drawn by ``nnlib.plot.draw_graph`` (chapter 10 draws its graphs with it too).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from .. import MSE, SGD, Dense, Sequential, Tanh, xor
from ..plot import CLASS_COLORS, COLORS, GRAD_COLOR, VALUE_COLOR, draw_graph, style_axes  # noqa: F401 (draw_graph: part of this module's API)

# ----------------------------------------------------------------------------- graph drawing

# ----------------------------------------------------------------------- the 2-2-1 network

#: The tiny network's numbers: inputs x1, x2, target y, hidden layer W⁽¹⁾ (w11 w12 / w21 w22)
#: and b⁽¹⁾ (b1, b2), output layer W⁽²⁾ (v1 v2) and b⁽²⁾ (c).  The widgets move x1, w11, v1.
TINY_DEFAULTS = {"x1": 1.0, "x2": -0.5, "y": 1.0,
                 "w11": 0.8, "w12": -0.4, "w21": 0.3, "w22": 0.9, "b1": 0.1, "b2": -0.2,
                 "v1": 1.2, "v2": -0.7, "c": 0.05}
TINY_CONTROLS = ("x1", "w11", "v1")
TINY_RANGE = (-2.0, 2.0)  # every slider's range

#: Forward then backward pass of the tiny network, one line per node, as (name, formula).
#: The formulas are written in the common part of Python's and Vega's expression languages
#: (+ - * /, exp, pow), so that the same text runs in the tests and in the reader's browser.
#: tanh(z) is written 1 - 2 / (exp(2z) + 1), because Vega has no tanh.
TINY_FORWARD = [
    ("z1", "w11 * x1 + w12 * x2 + b1"),
    ("z2", "w21 * x1 + w22 * x2 + b2"),
    ("a1", "1 - 2 / (exp(2 * z1) + 1)"),
    ("a2", "1 - 2 / (exp(2 * z2) + 1)"),
    ("yhat", "v1 * a1 + v2 * a2 + c"),
    ("L", "pow(yhat - y, 2)"),
]
TINY_BACKWARD = [
    ("g_L", "1"),
    ("g_yhat", "2 * (yhat - y)"),
    ("g_c", "g_yhat"),
    ("g_v1", "g_yhat * a1"),
    ("g_v2", "g_yhat * a2"),
    ("g_a1", "g_yhat * v1"),
    ("g_a2", "g_yhat * v2"),
    ("g_z1", "g_a1 * (1 - a1 * a1)"),
    ("g_z2", "g_a2 * (1 - a2 * a2)"),
    ("g_w11", "g_z1 * x1"),
    ("g_w12", "g_z1 * x2"),
    ("g_w21", "g_z2 * x1"),
    ("g_w22", "g_z2 * x2"),
    ("g_b1", "g_z1"),
    ("g_b2", "g_z2"),
    # x1 feeds z1 and z2: its gradient is the sum over both paths.
    ("g_x1", "g_z1 * w11 + g_z2 * w21"),
    ("g_x2", "g_z1 * w12 + g_z2 * w22"),
]
FD_STEP = 1e-4  # the central difference the widgets show next to backprop's dL/dw11

TINY_POSITIONS = {"x1": (0.0, 1.0), "x2": (0.0, 0.0), "z1": (1.7, 1.0), "z2": (1.7, 0.0),
                  "a1": (3.2, 1.0), "a2": (3.2, 0.0), "yhat": (4.6, 0.5), "L": (5.8, 0.5)}
#: weight edges (tail, head, weight name); the other edges carry no parameter
TINY_WEIGHT_EDGES = [("x1", "z1", "w11"), ("x2", "z1", "w12"), ("x1", "z2", "w21"),
                     ("x2", "z2", "w22"), ("a1", "yhat", "v1"), ("a2", "yhat", "v2")]
TINY_EDGES = [(t, h) for t, h, _ in TINY_WEIGHT_EDGES] + [("z1", "a1"), ("z2", "a2"),
                                                          ("yhat", "L")]
# The crossing edges carry their label near their tail, so the two labels do not collide.
TINY_EDGE_POS = {("x1", "z1"): 0.5, ("x2", "z2"): 0.5, ("x1", "z2"): 0.3, ("x2", "z1"): 0.3,
                 ("a1", "yhat"): 0.42, ("a2", "yhat"): 0.42}
TINY_LABELS = {"x1": "x₁", "x2": "x₂", "z1": "z₁", "z2": "z₂", "a1": "a₁", "a2": "a₂",
               "yhat": "ŷ", "L": "L"}


def _substitute(formula: str, names: dict) -> str:
    """Replace whole-word names in ``formula`` by their replacement text."""
    return re.sub(r"\b[A-Za-z_][A-Za-z_0-9]*\b",
                  lambda m: names.get(m.group(0), m.group(0)), formula)


_PY_FUNCTIONS = {"exp": math.exp, "pow": math.pow}


def run_steps(steps, values: dict) -> dict:
    """Evaluate the steps ``[(name, formula), ...]`` in order, in Python; return every value.

    ``values`` gives the parameters; each step may use the names computed before it.
    """
    scope = dict(values)
    for name, formula in steps:
        scope[name] = float(eval(formula, {"__builtins__": {}, **_PY_FUNCTIONS}, scope))
    return scope


def tiny_values(**controls) -> dict:
    """The tiny network's parameters: ``TINY_DEFAULTS`` with the given ones replaced."""
    unknown = set(controls) - set(TINY_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown parameter(s) {sorted(unknown)}; known: {list(TINY_DEFAULTS)}")
    return {**TINY_DEFAULTS, **{k: float(v) for k, v in controls.items()}}


def tiny_network(**controls) -> dict:
    """Forward and backward pass of the 2-2-1 tanh network of the widgets, done by ``nnlib``.

    Keyword arguments replace entries of ``TINY_DEFAULTS`` (e.g. ``x1=0.5, w11=-1``).
    Returns node values (``z1 ... L``), gradients ``g_NAME`` = dL/dNAME for every node and
    parameter, and ``fd_w11``, the central difference (L(w11 + h) - L(w11 - h)) / 2h.
    The network is nnlib's ``Dense(2, 2) -> Tanh -> Dense(2, 1)`` with the MSE loss (N = 1,
    so L = (ŷ - y)²).
    """
    p = tiny_values(**controls)
    net, X, Y = _tiny_nnlib(p)
    yhat = net.forward(X)
    loss = MSE()
    grad_x = net.backward(loss.grad(yhat, Y))
    dense1, tanh, dense2 = net.layers
    z = X @ dense1.params["W"].T + dense1.params["b"]
    a = tanh.forward(z)
    result = dict(p)
    result.update(z1=z[0, 0], z2=z[0, 1], a1=a[0, 0], a2=a[0, 1], yhat=float(yhat[0, 0]),
                  L=loss.value(yhat, Y), g_L=1.0, g_yhat=float(loss.grad(yhat, Y)[0, 0]))
    g_a = loss.grad(yhat, Y) @ dense2.params["W"]
    g_z = g_a * (1 - a * a)
    result.update(g_a1=g_a[0, 0], g_a2=g_a[0, 1], g_z1=g_z[0, 0], g_z2=g_z[0, 1])
    gW1, gb1 = dense1.grads["W"], dense1.grads["b"]
    result.update(g_w11=gW1[0, 0], g_w12=gW1[0, 1], g_w21=gW1[1, 0], g_w22=gW1[1, 1],
                  g_b1=gb1[0], g_b2=gb1[1], g_v1=dense2.grads["W"][0, 0],
                  g_v2=dense2.grads["W"][0, 1], g_c=dense2.grads["b"][0],
                  g_x1=grad_x[0, 0], g_x2=grad_x[0, 1])

    def loss_at(w11):
        n, Xn, Yn = _tiny_nnlib({**p, "w11": w11})
        return loss.value(n.forward(Xn), Yn)

    result["fd_w11"] = (loss_at(p["w11"] + FD_STEP) - loss_at(p["w11"] - FD_STEP)) / (2 * FD_STEP)
    return {k: float(v) for k, v in result.items()}


def _tiny_nnlib(p):
    dense1, dense2 = Dense(2, 2), Dense(2, 1)
    dense1.params["W"][:] = [[p["w11"], p["w12"]], [p["w21"], p["w22"]]]
    dense1.params["b"][:] = [p["b1"], p["b2"]]
    dense2.params["W"][:] = [[p["v1"], p["v2"]]]
    dense2.params["b"][:] = [p["c"]]
    return Sequential([dense1, Tanh(), dense2]), np.array([[p["x1"], p["x2"]]]), np.array([[p["y"]]])


def _fmt(v: float) -> str:
    return f"{v:.2f}".replace("-", "−")


def draw_tiny_network(fig, x1: float = TINY_DEFAULTS["x1"], w11: float = TINY_DEFAULTS["w11"],
                      v1: float = TINY_DEFAULTS["v1"]) -> dict:
    """Draw the 2-2-1 network on ``fig`` for the given input x₁ and weights w₁₁, v₁.

    Blue above each node: its forward value; red below: dL/d(node); red on each weight
    edge: dL/dw.  Returns ``tiny_network``'s numbers with a ``caption`` comparing backprop's
    dL/dw₁₁ with the central difference.
    """
    data = tiny_network(x1=x1, w11=w11, v1=v1)
    fig.clear()
    ax = fig.add_subplot()
    node_text = {n: f"{TINY_LABELS[n]} = {_fmt(data[n])}" for n in TINY_POSITIONS}
    grad_text = {n: f"∂L/∂{TINY_LABELS[n]} = {_fmt(data['g_' + n])}" if n != "L" else ""
                 for n in TINY_POSITIONS}
    edge_text = {(t, h): f"{_weight_label(w)}: {_fmt(data['g_' + w])}"
                 for t, h, w in TINY_WEIGHT_EDGES}
    draw_graph(ax, TINY_POSITIONS, TINY_EDGES, node_text=node_text, node_grad_text=grad_text,
               edge_text=edge_text, edge_pos=TINY_EDGE_POS, fontsize=9)
    data["caption"] = tiny_caption(data)
    ax.set_title(f"x₁ = {x1:.2f}, w₁₁ = {w11:.2f}, v₁ = {v1:.2f}   (blue: forward values, "
                 "red: gradients)", fontsize=9)
    return data


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _weight_label(name: str) -> str:
    return name[0] + name[1:].translate(_SUBSCRIPTS)


def tiny_caption(data: dict) -> str:
    """Backprop's dL/dw₁₁ against the central difference, and their relative error."""
    gap = abs(data["g_w11"] - data["fd_w11"]) / max(abs(data["g_w11"]), abs(data["fd_w11"]), 1e-12)
    return (f"L = {data['L']:.4f};  ∂L/∂w₁₁: backprop {data['g_w11']:.6f}, "
            f"central difference {data['fd_w11']:.6f}, relative error {gap:.0e}")


def tiny_network_widget():
    """The live 2-2-1 graph: sliders for x₁, w₁₁ and v₁ (``nnlib.widgets.LiveFigure``)."""
    import ipywidgets as widgets

    from . import LiveFigure

    def slider(name, label):
        return widgets.FloatSlider(value=TINY_DEFAULTS[name], min=TINY_RANGE[0],
                                   max=TINY_RANGE[1], step=0.05, description=label,
                                   continuous_update=False, readout_format=".2f")

    return LiveFigure(draw_tiny_network, {"x1": slider("x1", "x₁"), "w11": slider("w11", "w₁₁"),
                                          "v1": slider("v1", "v₁")}, figsize=(6.4, 3.4))


def vega_steps(steps, fixed: dict, controls=TINY_CONTROLS) -> list[tuple[str, str]]:
    """The steps as Vega expressions: computed names become ``datum.NAME``, the controls
    stay bare (they are Vega parameters), every other parameter becomes its number."""
    computed = {name for name, _ in steps}
    names = {n: f"datum.{n}" for n in computed}
    names.update({k: repr(float(v)) for k, v in fixed.items() if k not in controls})
    return [(name, _substitute(formula, names)) for name, formula in steps]


def fd_steps() -> list[tuple[str, str]]:
    """The forward pass twice more, at w₁₁ ± h, and the central difference ``fd_w11``."""
    steps = []
    for sign, suffix in (("+", "_plus"), ("-", "_minus")):
        renamed = {n: n + suffix for n, _ in TINY_FORWARD}
        renamed["w11"] = f"(w11 {sign} {FD_STEP!r})"
        steps += [(name + suffix, _substitute(f, renamed)) for name, f in TINY_FORWARD]
    steps.append(("fd_w11", f"(L_plus - L_minus) / (2 * {FD_STEP!r})"))
    return steps


def all_tiny_steps():
    """Every formula the kernel-free graph evaluates, in order."""
    return TINY_FORWARD + TINY_BACKWARD + fd_steps()


def tiny_network_vega():
    """Kernel-free 2-2-1 graph: three sliders (x₁, w₁₁, v₁); the browser runs the forward
    and backward pass of ``TINY_FORWARD`` + ``TINY_BACKWARD`` and writes every value and
    gradient on the graph.  Returns ``nnlib.widgets.VegaWidget``."""
    import altair as alt

    from . import vega

    params = [alt.param(name=n, value=TINY_DEFAULTS[n], bind=alt.binding_range(
        min=TINY_RANGE[0], max=TINY_RANGE[1], step=0.05, name=label))
        for n, label in zip(TINY_CONTROLS, ("x₁ ", "w₁₁ ", "v₁ "))]
    # The inputs become fields too, so that their nodes can show their values.
    steps = [("x1", "x1"), ("x2", repr(TINY_DEFAULTS["x2"]))]
    steps += vega_steps(all_tiny_steps(), TINY_DEFAULTS)

    def with_steps(chart):
        for name, expr in steps:
            chart = chart.transform_calculate(**{name: expr})
        return chart

    x_scale = alt.Scale(domain=[-0.6, 6.4], nice=False)
    y_scale = alt.Scale(domain=[-0.45, 1.45], nice=False)
    X = lambda f: alt.X(f, scale=x_scale, axis=None)  # noqa: E731
    Y = lambda f: alt.Y(f, scale=y_scale, axis=None)  # noqa: E731
    nodes = [{"id": n, "label": TINY_LABELS[n], "x": x, "y": y}
             for n, (x, y) in TINY_POSITIONS.items()]
    edges = []
    for tail, head in TINY_EDGES:
        (x0, y0), (x1, y1) = TINY_POSITIONS[tail], TINY_POSITIONS[head]
        weight = next((w for t, h, w in TINY_WEIGHT_EDGES if (t, h) == (tail, head)), "")
        pos = TINY_EDGE_POS.get((tail, head), 0.5)
        edges.append({"x": x0, "y": y0, "x2": x1, "y2": y1, "w": weight,
                      "wl": _weight_label(weight) if weight else "",
                      "lx": x0 + pos * (x1 - x0), "ly": y0 + pos * (y1 - y0)})
    edge_data = alt.Chart(alt.Data(values=edges))
    node_data = alt.Chart(alt.Data(values=nodes))
    fmt2 = "format({}, '.2f')"
    rules = edge_data.mark_rule(color=COLORS["muted"], strokeWidth=1.3).encode(
        x=X("x:Q"), y=Y("y:Q"), x2="x2:Q", y2="y2:Q")
    # On an edge only the number: a phone's width has no room for the weight's name too.
    edge_labels = with_steps(edge_data.transform_filter("datum.w != ''")).transform_calculate(
        text=fmt2.format("datum['g_' + datum.w]")).mark_text(
        fontSize=10, color=GRAD_COLOR, fontWeight="bold").encode(
        x=X("lx:Q"), y=Y("ly:Q"), text="text:N")
    circles = node_data.mark_circle(size=500, color="white", stroke="#333333",
                                    strokeWidth=1.3, opacity=1).encode(x=X("x:Q"), y=Y("y:Q"))
    names = node_data.mark_text(fontSize=12).encode(x=X("x:Q"), y=Y("y:Q"), text="label:N")
    values = with_steps(node_data).transform_calculate(
        text=fmt2.format("datum[datum.id]")).mark_text(
        fontSize=11, color=VALUE_COLOR, dy=-20).encode(x=X("x:Q"), y=Y("y:Q"), text="text:N")
    # Below each node only the number (red): the caption says what it is, and a phone's
    # width has no room for "∂L/∂a₁" under every node.
    grads = with_steps(node_data.transform_filter("datum.id != 'L'")).transform_calculate(
        text=fmt2.format("datum['g_' + datum.id]")).mark_text(
        fontSize=11, color=GRAD_COLOR, dy=20).encode(x=X("x:Q"), y=Y("y:Q"), text="text:N")
    caption = with_steps(alt.Chart(alt.Data(values=[{"id": 0}]))).transform_calculate(
        text=("'∂L/∂w₁₁: backprop ' + format(datum.g_w11, '.6f') + ', central difference ' "
              "+ format(datum.fd_w11, '.6f')"),
        text2="'L = ' + format(datum.L, '.4f') + '.  Blue: the values of the forward pass.'",
        text3="'Red: ∂L/∂(node) under each node, ∂L/∂w on the edge of each weight.'",
    )
    line1 = caption.mark_text(align="left", fontSize=11, x=0, y=-46).encode(text="text:N")
    line2 = caption.mark_text(align="left", fontSize=11, x=0, y=-30).encode(text="text2:N")
    line3 = caption.mark_text(align="left", fontSize=11, x=0, y=-14).encode(text="text3:N")
    chart = alt.layer(rules, edge_labels, circles, names, values, grads, line1, line2,
                      line3).add_params(
        *params).properties(width="container", height=260).configure_view(stroke=None)
    return vega(chart, "A 2-2-1 network drawn as a computational graph: each node shows its "
                       "forward value (blue) and the gradient of the loss with respect to it "
                       "(red); sliders move the input x1 and the weights w11 and v1")


# ------------------------------------------------------------------------------ XOR runs

XOR_ETAS = (0.1, 0.5, 1.0)
XOR_WIDTHS = (2, 3, 4)
XOR_SEEDS = (0, 1, 2)
XOR_STEPS = 1000       # full-batch steps per run (one step = one epoch: the 4 points)
XOR_EVERY = 40         # a snapshot every XOR_EVERY steps
MAX_WIDTH = max(XOR_WIDTHS)


def xor_network(hidden: int = 3, seed=0) -> Sequential:
    """The chapter's XOR network: ``Dense(2, hidden) -> Tanh -> Dense(hidden, 1) -> Tanh``."""
    rng = np.random.default_rng(seed)
    return Sequential([Dense(2, hidden, rng=rng), Tanh(), Dense(hidden, 1, rng=rng), Tanh()])


def xor_learns(hidden: int = 3, seed: int = 0, eta: float = 0.5, steps: int = XOR_STEPS) -> bool:
    """Whether ``xor_network(hidden, seed)``, trained with full-batch SGD(lr=eta) on the MSE
    for ``steps`` steps, puts all four XOR points on the right side of 0.5."""
    X, y = xor()
    net = xor_network(hidden, seed)
    net.fit(X, y, MSE(), SGD(lr=eta), epochs=steps, batch_size=4, shuffle=False,
            progress=False)
    return MSE().accuracy(net.forward(X), y) == 1.0


@dataclass
class XorRun:
    """One training run: ``steps`` (the step numbers of the snapshots), ``params`` (one
    flat vector per snapshot, hidden units padded with zeros to ``MAX_WIDTH``, see
    ``pack``), ``loss`` (MSE on the four points at each snapshot) and ``accuracy``."""

    eta: float
    hidden: int
    seed: int
    steps: np.ndarray
    params: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray


def pack(net: Sequential) -> np.ndarray:
    """[W1 (MAX_WIDTH·2, row by row), b1 (MAX_WIDTH), W2 (MAX_WIDTH), b2]: 4·MAX_WIDTH + 1
    numbers; missing hidden units are zeros (a unit with zero weights changes nothing)."""
    d1, _, d2, _ = net.layers
    h = d1.out_features
    W1, b1, W2 = np.zeros((MAX_WIDTH, 2)), np.zeros(MAX_WIDTH), np.zeros(MAX_WIDTH)
    W1[:h], b1[:h], W2[:h] = d1.params["W"], d1.params["b"], d2.params["W"][0]
    return np.concatenate([W1.ravel(), b1, W2, d2.params["b"]])


def predict_packed(params: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The network's output at ``points`` (M, 2) from a ``pack``-ed parameter vector."""
    W1 = params[:2 * MAX_WIDTH].reshape(MAX_WIDTH, 2)
    b1 = params[2 * MAX_WIDTH:3 * MAX_WIDTH]
    W2 = params[3 * MAX_WIDTH:4 * MAX_WIDTH]
    return np.tanh(np.tanh(points @ W1.T + b1) @ W2 + params[-1])


def xor_run(eta: float = 0.5, hidden: int = 3, seed: int = 0, steps: int = XOR_STEPS,
            every: int = XOR_EVERY) -> XorRun:
    """Train ``xor_network(hidden, seed)`` on XOR with full-batch SGD(lr=eta) and MSE,
    keeping a snapshot every ``every`` steps (step 0 is the initial network)."""
    X, y = xor()
    net, loss, opt = xor_network(hidden, seed), MSE(), SGD(lr=eta)
    snaps, params, losses, accs = [], [], [], []
    for step in range(0, steps + 1, every):
        if step:
            net.fit(X, y, loss, opt, epochs=every, batch_size=4, shuffle=False, progress=False)
        out = net.forward(X)
        snaps.append(step)
        params.append(pack(net))
        losses.append(loss.value(out, y))
        accs.append(loss.accuracy(out, y))
    return XorRun(eta, hidden, seed, np.array(snaps), np.array(params), np.array(losses),
                  np.array(accs))


_RUNS: dict = {}


def xor_runs(etas=XOR_ETAS, widths=XOR_WIDTHS, seeds=XOR_SEEDS) -> dict:
    """Every run of the XOR widgets, by (eta, hidden, seed); computed once per process."""
    for key in [(e, h, s) for e in etas for h in widths for s in seeds]:
        if key not in _RUNS:
            _RUNS[key] = xor_run(*key)
    return {key: _RUNS[key] for key in [(e, h, s) for e in etas for h in widths for s in seeds]}


def draw_xor_training(fig, eta: float = 0.5, hidden: int = 3, seed: int = 0,
                      step: int = XOR_STEPS) -> dict:
    """XOR's decision boundary (top) and the loss (bottom) after ``step`` steps of a run.

    ``step`` is rounded down to a snapshot.  Returns the run's numbers at that step and a
    caption."""
    run = xor_runs((eta,), (hidden,), (seed,))[(eta, hidden, seed)]
    i = int(np.searchsorted(run.steps, step, side="right") - 1)
    i = max(i, 0)
    X, y = xor()
    fig.clear()
    top, bottom = fig.subplots(2, 1, height_ratios=[3, 2])
    style_axes(top)
    style_axes(bottom)
    from ..plot import decision_boundary
    decision_boundary(lambda pts: predict_packed(run.params[i], pts)[:, None], X, y, ax=top,
                      resolution=120, margin=0.5)
    top.set_aspect("equal")
    top.set_title(f"η = {eta:g}, {hidden} hidden units, seed {seed}: step {run.steps[i]}",
                  fontsize=10)
    bottom.semilogy(run.steps, run.loss, color=COLORS["train"], gid="loss")
    bottom.axvline(run.steps[i], color=COLORS["muted"], ls="--", gid="now")
    bottom.set_xlabel("step")
    bottom.set_ylabel("loss (MSE)")
    caption = (f"step {run.steps[i]}: loss {run.loss[i]:.4f}, "
               f"{int(round(run.accuracy[i] * 4))} of 4 points right")
    return {"step": int(run.steps[i]), "loss": float(run.loss[i]),
            "accuracy": float(run.accuracy[i]), "params": run.params[i], "caption": caption}


def xor_training_widget():
    """The live XOR run: η, hidden width, seed and step (``nnlib.widgets.LiveFigure``)."""
    import ipywidgets as widgets

    from . import LiveFigure

    return LiveFigure(draw_xor_training, {
        "eta": widgets.Dropdown(options=list(XOR_ETAS), value=0.5, description="η"),
        "hidden": widgets.Dropdown(options=list(XOR_WIDTHS), value=3, description="hidden"),
        "seed": widgets.Dropdown(options=list(XOR_SEEDS), value=0, description="seed"),
        "step": widgets.IntSlider(value=XOR_STEPS, min=0, max=XOR_STEPS, step=XOR_EVERY,
                                  description="step", continuous_update=False),
    }, figsize=(5.0, 6.2))


def xor_vega(resolution: int = 30):
    """Kernel-free XOR run with four controls: η, hidden width, seed (radio buttons) and the
    step (a slider).  Python trains every run once and sends the weights of each snapshot;
    the page evaluates the network on a grid of points for the chosen snapshot, and marks
    the current step on the loss curve.  Returns ``nnlib.widgets.VegaWidget``."""
    import altair as alt

    from . import vega

    runs = xor_runs()
    rows, curve = [], []
    for (eta, hidden, seed), run in runs.items():
        for step, params, loss, acc in zip(run.steps, run.params, run.loss, run.accuracy):
            key = f"{round(eta * 100)}|{hidden}|{seed}|{step}"
            rows.append({"key": key, "p": [round(float(v), 5) for v in params]})
            curve.append({"eta": eta, "hidden": hidden, "seed": seed, "step": int(step),
                          "loss": round(float(loss), 6), "acc": float(acc)})
    eta_p = alt.param(name="eta", value=0.5, bind=alt.binding_radio(options=list(XOR_ETAS),
                                                                    name="η "))
    hid_p = alt.param(name="hidden", value=3, bind=alt.binding_radio(options=list(XOR_WIDTHS),
                                                                     name="hidden units "))
    seed_p = alt.param(name="seed", value=0, bind=alt.binding_radio(options=list(XOR_SEEDS),
                                                                    name="seed "))
    step_p = alt.param(name="step", value=XOR_STEPS, bind=alt.binding_range(
        min=0, max=XOR_STEPS, step=XOR_EVERY, name="step "))
    lo, hi = -0.5, 1.5
    cell = (hi - lo) / resolution
    grid = [{"gx": round(lo + (i + 0.5) * cell, 4), "gy": round(lo + (j + 0.5) * cell, 4)}
            for i in range(resolution) for j in range(resolution)]
    w = lambda k: f"datum.p[{k}]"  # noqa: E731
    hidden_sum = " + ".join(
        f"{w(3 * MAX_WIDTH + u)} * (1 - 2 / (exp(2 * ({w(2 * u)} * datum.gx + {w(2 * u + 1)} "
        f"* datum.gy + {w(2 * MAX_WIDTH + u)})) + 1))" for u in range(MAX_WIDTH))
    out = f"1 - 2 / (exp(2 * ({hidden_sum} + {w(4 * MAX_WIDTH)})) + 1)"
    scale = alt.Scale(domain=[lo, hi], nice=False)
    field = alt.Chart(alt.Data(values=grid)).transform_calculate(
        key="round(eta * 100) + '|' + hidden + '|' + seed + '|' + step").transform_lookup(
        lookup="key", from_=alt.LookupData(alt.Data(values=rows), "key", ["p"])
    ).transform_calculate(out=out, cls="datum.out > 0.5 ? 'class 1' : 'class 0'",
                          gx2=f"datum.gx + {cell / 2}", gy2=f"datum.gy + {cell / 2}",
                          gx1=f"datum.gx - {cell / 2}", gy1=f"datum.gy - {cell / 2}")
    colors = alt.Scale(domain=["class 0", "class 1"], range=CLASS_COLORS[:2])
    cells = field.mark_rect(opacity=0.3).encode(
        x=alt.X("gx1:Q", scale=scale, title="x₁"), x2="gx2:Q",
        y=alt.Y("gy1:Q", scale=scale, title="x₂"), y2="gy2:Q",
        color=alt.Color("cls:N", scale=colors, legend=None))
    X, y = xor()
    points = alt.Chart(alt.Data(values=[
        {"x1": float(a), "x2": float(b), "cls": f"class {int(c)}"}
        for (a, b), c in zip(X, y[:, 0])])).mark_point(filled=True, size=160, stroke="white",
                                                       opacity=1).encode(
        x=alt.X("x1:Q", scale=scale), y=alt.Y("x2:Q", scale=scale),
        color=alt.Color("cls:N", scale=colors, legend=None))
    now = alt.Chart(alt.Data(values=curve)).transform_filter(
        "datum.eta == eta && datum.hidden == hidden && datum.seed == seed && datum.step == step")
    title = now.transform_calculate(
        text="'step ' + datum.step + ': loss ' + format(datum.loss, '.4f') + ', ' + "
             "round(4 * datum.acc) + ' of 4 points right'").mark_text(
        align="left", fontSize=12, x=0, y=-12).encode(text="text:N")
    # Fixed sizes: Vega-Lite cannot stretch a vertical concatenation to its container, and
    # 300 px fits a phone's column with the axis labels.
    boundary = alt.layer(cells, points, title).properties(width=300, height=280)
    run_curve = alt.Chart(alt.Data(values=curve)).transform_filter(
        "datum.eta == eta && datum.hidden == hidden && datum.seed == seed")
    loss_line = run_curve.mark_line(color=COLORS["train"]).encode(
        x=alt.X("step:Q", title="step"),
        y=alt.Y("loss:Q", scale=alt.Scale(type="log"), title="loss (MSE)"))
    marker = now.mark_point(filled=True, size=60, color=COLORS["derivative"]).encode(
        x="step:Q", y="loss:Q")
    loss_chart = alt.layer(loss_line, marker).properties(width=300, height=120)
    chart = alt.vconcat(boundary, loss_chart).add_params(eta_p, hid_p, seed_p, step_p)
    return vega(chart, "XOR learned by a 2-H-1 tanh network: the decision boundary after a "
                       "chosen number of steps (top) and the loss curve (bottom); controls "
                       "choose the learning rate, the hidden width, the seed and the step")
