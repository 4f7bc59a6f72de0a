"""Chapter 7's figures and widgets: softmax, cross-entropy and the gradient ŷ - y.

Import on demand (``from nnlib.widgets import ch07``): it needs matplotlib, ipywidgets and
altair, which ``import nnlib`` never loads.

The idea the reader moves: three logits z₁, z₂, z₃ and a temperature τ give the
probabilities ŷ = softmax(z / τ); for a chosen true class c the loss is L = -log ŷ_c and the
gradient with respect to the scaled logits z / τ is ŷ - y (y the one-hot vector of c).
It comes twice, drawing the same picture from ``softmax_data``:

* live in Jupyter: ``softmax_widget`` (``LiveFigure`` around ``draw_softmax``);
* kernel-free on the website: ``softmax_vega``, the same arithmetic as Vega expressions.

``slowdown_run`` trains the single sigmoid neuron of the learning-slowdown experiment with
nnlib and ``plot_slowdown`` draws its curves.
"""
from __future__ import annotations

import numpy as np

from .. import BinaryCrossEntropy, Dense, MSE, SGD, Sigmoid, Sequential, log_softmax, softmax
from ..plot import COLORS, new_axes, style_axes

CLASSES = (1, 2, 3)
PROB_COLOR = COLORS["f"]
GRAD_COLOR = COLORS["derivative"]


# ------------------------------------------------------------------ the softmax explorer

def softmax_data(z1: float, z2: float, z3: float, temperature: float = 1.0,
                 true_class: int = 1) -> dict:
    """What the softmax explorer shows, for logits (z1, z2, z3), temperature τ and class c.

    Returns a dict with ``logits`` (3,), ``probs`` ŷ = softmax(z / τ) (3,), ``target`` y,
    the one-hot row of c (3,), ``loss`` -log ŷ_c (computed as log-softmax, finite for any
    logits), ``grad`` ŷ - y (3,), ``grad_logits`` ∂L/∂z = (ŷ - y) / τ, and a ``caption``.
    """
    if temperature <= 0:
        raise ValueError(f"the temperature must be positive, got {temperature}")
    if int(true_class) not in CLASSES:
        raise ValueError(f"the true class must be one of {CLASSES}, got {true_class}")
    z = np.array([z1, z2, z3], dtype=np.float64)
    c = int(true_class) - 1
    scaled = z / float(temperature)
    probs = softmax(scaled)
    target = np.zeros(3)
    target[c] = 1.0
    loss = float(-log_softmax(scaled)[c])
    grad = probs - target
    caption = (f"ŷ = ({probs[0]:.3f}, {probs[1]:.3f}, {probs[2]:.3f});  true class {c + 1}:  "
               f"L = −log ŷ_{c + 1} = {loss:.3f};  ŷ − y = "
               f"({grad[0]:+.3f}, {grad[1]:+.3f}, {grad[2]:+.3f})")
    return {"logits": z, "temperature": float(temperature), "true_class": c + 1,
            "probs": probs, "target": target, "loss": loss, "grad": grad,
            "grad_logits": grad / float(temperature), "caption": caption}


def draw_softmax(fig, z1: float = 2.0, z2: float = 1.0, z3: float = -1.0,
                 temperature: float = 1.0, true_class: int = 1) -> dict:
    """Bars of ŷₖ (blue) and of ŷₖ - yₖ (red) for each class k on one axis; the true class
    is marked.  Draws on ``fig`` and returns ``softmax_data`` (its caption included)."""
    data = softmax_data(z1, z2, z3, temperature, true_class)
    ax = style_axes(fig.add_subplot(1, 1, 1))
    k = np.arange(1, 4)
    width = 0.36
    prob_bars = ax.bar(k - width / 2, data["probs"], width, color=PROB_COLOR,
                       label="probability ŷₖ", gid="probs")
    grad_bars = ax.bar(k + width / 2, data["grad"], width, color=GRAD_COLOR,
                       label="gradient ŷₖ − yₖ", gid="grad")
    for bar, value in zip(prob_bars, data["probs"]):
        ax.annotate(f"{value:.2f}", (bar.get_x() + bar.get_width() / 2, value),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontsize=10)
    for bar, value in zip(grad_bars, data["grad"]):
        ax.annotate(f"{value:+.2f}", (bar.get_x() + bar.get_width() / 2, value),
                    xytext=(0, 2 if value >= 0 else -2), textcoords="offset points",
                    ha="center", va="bottom" if value >= 0 else "top", fontsize=10)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(k, [f"class {i}" + (" (true)" if i == data["true_class"] else "")
                      + f"\nz = {z:g}" for i, z in zip(k, data["logits"])])
    ax.set_ylim(-1.15, 1.55)
    ax.set_title(f"τ = {data['temperature']:g}:  L = −log ŷ_{data['true_class']} "
                 f"= {data['loss']:.3f}")
    ax.legend(loc="upper center", fontsize=10, frameon=False, ncols=2, handlelength=1.2,
              columnspacing=1.0)
    return data


def softmax_widget(z1: float = 2.0, z2: float = 1.0, z3: float = -1.0,
                   temperature: float = 1.0, true_class: int = 1):
    """The live explorer: sliders for z₁, z₂, z₃ and τ, buttons for the true class."""
    import ipywidgets as widgets

    from . import LiveFigure

    def logit(value, name):
        return widgets.FloatSlider(value=value, min=-6.0, max=6.0, step=0.1, description=name,
                                   continuous_update=True)

    controls = {
        "z1": logit(z1, "z₁"), "z2": logit(z2, "z₂"), "z3": logit(z3, "z₃"),
        "temperature": widgets.FloatLogSlider(value=temperature, base=10, min=-1, max=1,
                                              step=0.02, description="τ"),
        "true_class": widgets.ToggleButtons(options=list(CLASSES), value=int(true_class),
                                            description="true class"),
    }
    return LiveFigure(draw_softmax, controls, figsize=(4.8, 3.8))


def softmax_vega(z1: float = 2.0, z2: float = 1.0, z3: float = -1.0,
                 temperature: float = 1.0, true_class: int = 1):
    """Kernel-free softmax explorer: sliders z₁, z₂, z₃, τ and buttons for the true class.

    The page computes, for each class k, ŷₖ = e^((zₖ - m)/τ) / Σⱼ e^((zⱼ - m)/τ) with
    m = max z (stable for any logits), yₖ, ŷₖ - yₖ, and L = (m - z_c)/τ + log Σⱼ e^((zⱼ - m)/τ)
    = -log ŷ_c.  Returns ``nnlib.widgets.VegaWidget``.
    """
    import altair as alt

    from . import vega

    params = [alt.param(name=name, value=float(value), bind=alt.binding_range(
                  min=-6, max=6, step=0.1, name=label))
              for name, value, label in (("z1", z1, "z₁ "), ("z2", z2, "z₂ "), ("z3", z3, "z₃ "))]
    params.append(alt.param(name="tau", value=float(temperature), bind=alt.binding_range(
        min=0.1, max=10, step=0.05, name="τ ")))
    params.append(alt.param(name="cls", value=int(true_class), bind=alt.binding_radio(
        options=list(CLASSES), name="true class ")))

    m = "max(z1, z2, z3)"
    total = f"(exp((z1 - {m}) / tau) + exp((z2 - {m}) / tau) + exp((z3 - {m}) / tau))"
    z_of = "(datum.k == 1 ? z1 : (datum.k == 2 ? z2 : z3))"
    z_true = "(cls == 1 ? z1 : (cls == 2 ? z2 : z3))"
    rows = [{"k": k, "quantity": q} for k in CLASSES
            for q in ("probability ŷₖ", "gradient ŷₖ − yₖ")]
    base = alt.Chart(alt.Data(values=rows)).transform_calculate(
        p=f"exp(({z_of} - {m}) / tau) / {total}",
        y="datum.k == cls ? 1 : 0",
    ).transform_calculate(
        value="datum.quantity == 'probability ŷₖ' ? datum.p : datum.p - datum.y",
        label="'class ' + datum.k + (datum.k == cls ? ' (true)' : '')",
        text="format(datum.value, datum.quantity == 'probability ŷₖ' ? '.2f' : '+.2f')",
    ).transform_calculate(
        text_y="datum.value >= 0 ? datum.value + 0.09 : datum.value - 0.09",
    )
    # sorted by the class number: the labels change with the true class, the order must not
    x = alt.X("label:N", title=None, sort=alt.EncodingSortField(field="k", op="min"),
              axis=alt.Axis(labelAngle=0, labelFontSize=12))
    color = alt.Color("quantity:N", title=None, sort=None, scale=alt.Scale(
        domain=["probability ŷₖ", "gradient ŷₖ − yₖ"], range=[PROB_COLOR, GRAD_COLOR]),
        legend=alt.Legend(orient="top", labelFontSize=12))
    y_scale = alt.Scale(domain=[-1.2, 1.2], nice=False)
    bars = base.mark_bar().encode(
        x=x, xOffset=alt.XOffset("quantity:N", sort=None),
        y=alt.Y("value:Q", scale=y_scale, title=None), color=color)
    labels = base.mark_text(fontSize=11).encode(
        x=x, xOffset=alt.XOffset("quantity:N", sort=None),
        y=alt.Y("text_y:Q", scale=y_scale), text="text:N")
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="black").encode(
        y=alt.Y("zero:Q", scale=y_scale))
    caption = alt.Chart(alt.Data(values=[{"c": 0}])).mark_text(
        align="left", baseline="top", fontSize=13, x=4, y=4).encode(
        text="caption:N").transform_calculate(
        caption=(f"'L = −log ŷ' + cls + ' = ' + format(({m} - {z_true}) / tau + "
                 f"log({total}), '.3f')"))
    chart = alt.layer(bars, labels, zero, caption).add_params(*params).properties(
        width="container", height=300)
    return vega(chart, "Softmax explorer: sliders for the logits z1, z2, z3 and the temperature "
                       "tau, buttons for the true class; bars show the probabilities, the "
                       "gradient y-hat minus y, and the cross-entropy loss")


# ------------------------------------------------------------- the learning slowdown

def slowdown_run(loss: str, w: float = 2.0, b: float = 2.0, x: float = 1.0, y: float = 0.0,
                 lr: float = 0.15, steps: int = 300) -> dict:
    """Train one sigmoid neuron ŷ = σ(w x + b) on one sample with nnlib; record every step.

    ``loss`` is ``"squared"`` (``MSE`` after a ``Sigmoid`` layer: L = (ŷ - y)²) or
    ``"cross-entropy"`` (``BinaryCrossEntropy(from_logits=True)`` on z = w x + b).
    Returns arrays ``output`` ŷ, ``loss`` L and ``grad_w`` ∂L/∂w, each of length
    ``steps + 1`` (before each step, and after the last), and ``w``, ``b`` at the end.
    """
    if loss not in ("squared", "cross-entropy"):
        raise ValueError(f"loss must be 'squared' or 'cross-entropy', got {loss!r}")
    dense = Dense(1, 1)
    dense.params["W"][...] = w
    dense.params["b"][...] = b
    if loss == "squared":
        net, objective = Sequential([dense, Sigmoid()]), MSE()
    else:
        net, objective = Sequential([dense]), BinaryCrossEntropy(from_logits=True)
    X, Y = np.array([[x]]), np.array([[y]])
    optimizer = SGD(lr=lr)
    outputs, losses, grads = [], [], []
    for step in range(steps + 1):
        out = net.forward(X)
        outputs.append(float(out[0, 0]) if loss == "squared" else float(1 / (1 + np.exp(-out[0, 0]))))
        losses.append(objective.value(out, Y))
        net.backward(objective.grad(out, Y))
        grads.append(float(dense.grads["W"][0, 0]))
        if step < steps:
            optimizer.step(net.layers)
    return {"output": np.array(outputs), "loss": np.array(losses), "grad_w": np.array(grads),
            "w": float(dense.params["W"][0, 0]), "b": float(dense.params["b"][0])}


def plot_slowdown(runs: dict):
    """Two stacked panels: the output ŷ and |∂L/∂w| against the step, one line per loss.

    ``runs`` maps a label to a ``slowdown_run`` result.  Returns the figure.
    """
    fig, (top, bottom) = new_axes(2, 1, figsize=(4.8, 5.8))
    colors = [COLORS["f"], COLORS["secant"], COLORS["tangent"]]
    for (label, run), color in zip(runs.items(), colors):
        steps = np.arange(len(run["output"]))
        top.plot(steps, run["output"], color=color, lw=2, label=label, gid=f"output {label}")
        bottom.semilogy(steps, np.abs(run["grad_w"]), color=color, lw=2, label=label,
                        gid=f"grad {label}")
    top.set(ylabel="output ŷ (target 0)", ylim=(-0.03, 1.03),
            title="One neuron, started at w = b = 2")
    bottom.set(xlabel="step", ylabel="|∂L/∂w| (log scale)")
    top.legend(frameon=False, fontsize=11)
    bottom.legend(frameon=False, fontsize=11)
    return fig
