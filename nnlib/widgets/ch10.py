"""Chapter 10, Automatic differentiation: the reverse pass, one node at a time.

Import on demand (``from nnlib.widgets import ch10``).  ``reverse_pass_steps`` records what
``Value.backward`` does, step by step; ``draw_graph`` draws one step with matplotlib (the
live widget, ``reverse_pass_widget``) and ``reverse_pass_vega`` puts every step of every
example in a kernel-free chart with two controls: the expression and the step.
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..autodiff import Value, topological_order
from .. import plot
from ..plot import COLORS
from . import LiveFigure, vega


def _example_fork():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    ab = a * b
    ab.label = "a·b"
    f = ab + a
    f.label = "f"
    return f


def _example_reuse():
    x, y = Value(1.5, label="x"), Value(-2.0, label="y")
    m = x * y
    m.label = "m = x·y"
    s = m * m
    s.label = "s = m·m"
    out = s + m
    out.label = "out = s + m"
    return out


def _example_neuron():
    w, x, b = Value(0.8, label="w"), Value(1.5, label="x"), Value(-0.4, label="b")
    wx = w * x
    wx.label = "w·x"
    z = wx + b
    z.label = "z"
    y = z.sigmoid()
    y.label = "y = σ(z)"
    return y


EXAMPLES = {
    "f = a·b + a": _example_fork,
    "out = m·m + m, m = x·y": _example_reuse,
    "y = σ(w·x + b)": _example_neuron,
}
"""Expressions the widget offers, by name: a function that builds the graph (fresh Values)."""


@dataclass
class GraphStep:
    """The graph after ``step`` calls of a node's backward: each node's value and gradient
    so far, which nodes are done (their gradient is final), and which one just ran."""

    step: int
    grads: list
    done: list
    current: int | None


@dataclass
class ReversePass:
    """An expression's graph in topological order, its layout and every step of the reverse pass."""

    name: str
    nodes: list          # Values, inputs first (topological order)
    positions: list      # (column, row) of each node: column = longest path from an input
    edges: list          # (parent index, child index)
    steps: list          # GraphStep 0 .. len(nodes)

    @property
    def final_grads(self) -> list:
        return self.steps[-1].grads


def reverse_pass_steps(name: str) -> ReversePass:
    """Run ``Value.backward``'s loop by hand on ``EXAMPLES[name]`` and record every step.

    Step 0: the output's gradient is 1, every other 0.  Step k: the k-th node from the end of
    the topological order has passed its gradient to its parents (``node._backward()``).
    The last step's gradients equal those of ``output.backward()`` (tested).
    """
    output = EXAMPLES[name]()
    nodes = topological_order(output)
    index = {id(n): i for i, n in enumerate(nodes)}
    depth = []
    for node in nodes:
        depth.append(1 + max((depth[index[id(p)]] for p in node.parents), default=-1))
    rows: dict[int, int] = {}
    positions = []
    for d in depth:
        positions.append((d, rows.get(d, 0)))
        rows[d] = rows.get(d, 0) + 1
    edges = sorted({(index[id(p)], i) for i, n in enumerate(nodes) for p in n.parents})

    for node in nodes:
        node.grad = 0.0
    output.grad = 1.0
    steps = [GraphStep(0, [n.grad for n in nodes], [False] * len(nodes), None)]
    done = [False] * len(nodes)
    for k, node in enumerate(reversed(nodes), start=1):
        node._backward()
        done[index[id(node)]] = True
        steps.append(GraphStep(k, [n.grad for n in nodes], list(done), index[id(node)]))
    return ReversePass(name, nodes, positions, edges, steps)


def _label(node: Value) -> str:
    if node.label:
        return node.label
    return node.op if node.op else f"{node.data:g}"


def _status(step: GraphStep, i: int) -> str:
    if step.current == i:
        return "passing its gradient back"
    return "final" if step.done[i] else ("waiting (a share so far)" if step.grads[i] else "waiting")


def _coordinates(rp: ReversePass):
    columns = max(c for c, _ in rp.positions) + 1
    per_column = {c: sum(1 for cc, _ in rp.positions if cc == c) for c in range(columns)}
    xs = [c for c, _ in rp.positions]
    ys = [(r + 0.5) / per_column[c] for c, r in rp.positions]
    return xs, ys


def draw_graph(fig, name: str, step: int) -> dict:
    """Draw ``EXAMPLES[name]``'s graph after ``step`` steps of the reverse pass on ``fig``.

    Returns what is drawn: the step, each node's label, value and gradient so far, and a caption.
    """
    rp = reverse_pass_steps(name)
    step = int(np.clip(step, 0, len(rp.steps) - 1))
    state = rp.steps[step]
    xs, ys = _coordinates(rp)
    ax = fig.add_subplot()
    fill = {"passing its gradient back": COLORS["secant"], "final": COLORS["tangent"]}
    names = [str(i) for i in range(len(rp.nodes))]
    grad_text = {names[i]: (f"grad {state.grads[i]:.3g}" if (state.done[i] or state.grads[i])
                            else "grad ?") for i in range(len(rp.nodes))}
    plot.draw_graph(ax, {names[i]: (xs[i], ys[i]) for i in range(len(rp.nodes))},
               [(names[p], names[c]) for p, c in rp.edges],
               node_text={names[i]: f"{_label(n)} = {n.data:.3g}" for i, n in enumerate(rp.nodes)},
               node_grad_text=grad_text,
               node_colors={names[i]: fill.get(_status(state, i), "white")
                            for i in range(len(rp.nodes))},
               # An edge that skips a column bends, so it does not run through the node between.
               edge_bend={(names[p], names[c]): -0.35 for p, c in rp.edges if xs[c] - xs[p] > 1},
               fontsize=10, node_size=22)
    ax.set_ylim(-0.1, 1.1)
    caption = _caption(rp, state)
    return {"step": step, "labels": [_label(n) for n in rp.nodes],
            "values": [n.data for n in rp.nodes], "grads": list(state.grads), "caption": caption}


def _caption(rp: ReversePass, state: GraphStep) -> str:
    if state.current is None:
        return (f"step 0 of {len(rp.steps) - 1}: the output's gradient is 1;\n"
                "the reverse pass starts at the output")
    node = rp.nodes[state.current]
    parents = ", ".join(_label(p) for p in node.parents) or "nobody (an input)"
    return (f"step {state.step} of {len(rp.steps) - 1}: {_label(node)} passes its gradient "
            f"{state.grads[state.current]:.3g}\nback to {parents}")


def reverse_pass_widget(name: str = "f = a·b + a") -> LiveFigure:
    """Live: choose an expression, move the step slider through its reverse pass."""
    longest = max(len(reverse_pass_steps(n).steps) for n in EXAMPLES) - 1
    return LiveFigure(draw_graph, {
        "name": widgets.Dropdown(options=list(EXAMPLES), value=name, description="expression"),
        "step": widgets.IntSlider(value=0, min=0, max=longest, description="step"),
    }, figsize=(7.0, 3.6))


def reverse_pass_table(names=None) -> list[dict]:
    """One row per (expression, step, node): the data the kernel-free chart draws.

    Steps past an expression's last repeat its final state, so one step slider serves all.
    """
    names = list(names or EXAMPLES)
    passes = [reverse_pass_steps(n) for n in names]
    last = max(len(rp.steps) for rp in passes) - 1
    rows = []
    for rp in passes:
        xs, ys = _coordinates(rp)
        width = max(xs) or 1
        for step in range(last + 1):
            state = rp.steps[min(step, len(rp.steps) - 1)]
            caption = _caption(rp, state)
            for i, node in enumerate(rp.nodes):
                known = state.done[i] or state.grads[i] != 0
                rows.append({"expr": rp.name, "step": step, "x": xs[i] / width, "y": ys[i],
                             "label": f"{_label(node)} = {node.data:.3g}",
                             "grad": f"grad {state.grads[i]:.3g}" if known else "grad ?",
                             "status": _status(state, i), "caption": caption})
    return rows


def reverse_pass_edges(names=None) -> list[dict]:
    """Three points per edge of each expression's graph, in the chart's coordinates: an edge
    that skips a column bends up through a raised middle point instead of crossing a node."""
    rows = []
    for name in names or EXAMPLES:
        rp = reverse_pass_steps(name)
        xs, ys = _coordinates(rp)
        width = max(xs) or 1
        for e, (p, c) in enumerate(rp.edges):
            lift = 0.3 if xs[c] - xs[p] > 1 else 0.0
            middle = ((xs[p] + xs[c]) / 2 / width, (ys[p] + ys[c]) / 2 + lift)
            for k, (x, y) in enumerate([(xs[p] / width, ys[p]), middle, (xs[c] / width, ys[c])]):
                rows.append({"expr": name, "edge": e, "k": k, "x": x, "y": y})
    return rows


def reverse_pass_vega(name: str = "f = a·b + a"):
    """Kernel-free: the expression (a menu) and the step (a slider) move the reverse pass."""
    import altair as alt

    rows = reverse_pass_table()
    last = max(r["step"] for r in rows)
    expr = alt.param(name="expr", value=name, bind=alt.binding_select(
        options=list(EXAMPLES), name="expression "))
    step = alt.param(name="step", value=0, bind=alt.binding_range(
        min=0, max=last, step=1, name="step "))
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.12, 1.12]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.1, 1.15]))
    nodes = alt.Chart(alt.Data(values=rows)).transform_filter(
        (alt.datum.expr == expr) & (alt.datum.step == step))
    edges = alt.Chart(alt.Data(values=reverse_pass_edges())).transform_filter(
        alt.datum.expr == expr).mark_line(color=COLORS["muted"], strokeWidth=1.5,
                                          interpolate="basis").encode(
        x=x, y=y, detail="edge:N", order="k:Q")
    colors = alt.Scale(domain=["waiting", "waiting (a share so far)", "passing its gradient back",
                               "final"],
                       range=["#ffffff", "#fdebd0", COLORS["secant"], COLORS["tangent"]])
    circles = nodes.mark_circle(size=700, stroke=COLORS["f"], strokeWidth=1.5, opacity=1).encode(
        x=x, y=y, color=alt.Color("status:N", scale=colors, legend=alt.Legend(
            title=None, orient="bottom", labelFontSize=12, columns=2)))
    labels = nodes.mark_text(dy=-24, fontSize=12).encode(x=x, y=y, text="label:N")
    grads = nodes.mark_text(dy=26, fontSize=12, color=COLORS["derivative"]).encode(
        x=x, y=y, text="grad:N")
    caption = nodes.transform_filter(alt.datum.x == 1).mark_text(
        fontSize=12, align="left", baseline="top", x=0, y=-34, lineBreak="\n").encode(
        text="caption:N")
    chart = alt.layer(edges, circles, labels, grads, caption).add_params(expr, step).properties(
        width="container", height=300, padding={"top": 40, "left": 5, "right": 5, "bottom": 5})
    return vega(chart, "An expression graph; the menu picks the expression and the slider "
                       "steps through the reverse pass, filling in each node's gradient")
