"""Chapter 1, Derivatives: its figures and widgets, with their logic in plain, tested functions.

Import on demand (``from nnlib.widgets import ch01``): it needs sympy, matplotlib and
ipywidgets, which ``import nnlib`` alone never loads.

Every widget comes twice, drawing the same picture:

* live, for Jupyter and Binder: ``secant_widget`` and ``function_explorer`` return ipywidgets
  whose controls are attributes (``w.h_slider``, ``w.x0_slider``, ``w.function_dropdown``) and
  whose shown numbers are kept in ``w.data``;
* kernel-free, for the static website: ``secant_slider`` and ``explorer_slider`` render the
  picture for a range of values once and put the frames behind an HTML range slider
  (``nnlib.widgets.frames_slider``), so a reader without a running Python can still move it.
"""
from __future__ import annotations

import html
import itertools
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from .. import plot
from ..plot import COLORS, FIGSIZE, axes_or_new, new_axes, pad_ylim, style_axes
from . import frames_slider, lookup

x = sp.Symbol("x", real=True)


class Line(NamedTuple):
    """The straight line through (x0, y0) with the given slope: y = y0 + slope·(x - x0)."""

    slope: float
    x0: float
    y0: float

    def __call__(self, xs):
        return self.y0 + self.slope * (np.asarray(xs, dtype=np.float64) - self.x0)


def secant_slope(f, x0: float, h: float) -> float:
    """Slope of the secant of f through x₀ and x₀ + h:  (f(x₀ + h) - f(x₀)) / h.

    It tends to f'(x₀) as h -> 0 (for a differentiable f); h may be negative, not zero.
    """
    if h == 0:
        raise ValueError("h must not be 0: the secant needs two different points")
    return float((f(x0 + h) - f(x0)) / h)


def secant_line(f, x0: float, h: float) -> Line:
    """The secant of f through (x₀, f(x₀)) and (x₀ + h, f(x₀ + h))."""
    return Line(secant_slope(f, x0, h), float(x0), float(f(x0)))


def tangent_line(f, f_prime, x0: float) -> Line:
    """The tangent of f at x₀:  y = f(x₀) + f'(x₀)(x - x₀)."""
    return Line(float(f_prime(x0)), float(x0), float(f(x0)))


def plot_secants(f, x0: float, hs, f_prime=None, domain=(-2.0, 2.0), ylim=None, ax=None,
                 n: int = 400):
    """Draw y = f(x), the secants through (x₀, f(x₀)) and (x₀ + h, f(x₀ + h)) for each h,
    and (with ``f_prime``) the tangent y = f(x₀) + f'(x₀)(x - x₀).

    Secant slope (f(x₀ + h) - f(x₀)) / h.  ``f`` and ``f_prime`` map arrays to arrays.  With a
    single h the run h and the rise f(x₀ + h) - f(x₀) are drawn as a right triangle.
    """
    ax = axes_or_new(ax)
    xs = np.linspace(*domain, n)
    y0 = float(f(x0))
    ax.plot(xs, f(xs), color=COLORS["f"], lw=2.2, label="$f(x)$", gid="f")
    hs = np.atleast_1d(np.asarray(hs, dtype=float))
    # Larger h drawn paler, so the eye follows the secants towards the tangent.
    alphas = np.linspace(0.35, 1.0, len(hs)) if len(hs) > 1 else [1.0]
    for h, alpha in zip(hs, alphas):
        secant = secant_line(f, x0, h)
        ax.plot(xs, secant(xs), color=COLORS["secant"], lw=1.6, alpha=alpha,
                label=f"secant, h = {h:.3g}: slope {secant.slope:.3f}", gid="secant")
        ax.plot([x0 + h], [float(f(x0 + h))], "o", color=COLORS["secant"], alpha=alpha, ms=6)
    # The run/rise triangle only for one secant, and only when it is big enough to read.
    if len(hs) == 1 and abs(hs[0]) > 0.08 * (domain[1] - domain[0]):
        h, y1 = hs[0], float(f(x0 + hs[0]))
        ax.plot([x0, x0 + h, x0 + h], [y0, y0, y1], color=COLORS["muted"], lw=1, ls="--")
        ax.annotate("$h$", (x0 + h / 2, y0), textcoords="offset points", xytext=(0, -13),
                    ha="center", color="#444")
        ax.annotate("$f(x_0+h)-f(x_0)$", (x0 + h, (y0 + y1) / 2), textcoords="offset points",
                    xytext=(5, 0), va="center", color="#444", fontsize=10)
    if f_prime is not None:
        tangent = tangent_line(f, f_prime, x0)
        ax.plot(xs, tangent(xs), color=COLORS["tangent"], lw=1.6, ls="--",
                label=f"tangent: slope $f'(x_0)$ = {tangent.slope:.3f}", gid="tangent")
    ax.plot([x0], [y0], "o", color="black", ms=6, zorder=5)
    ax.set_xlim(*domain)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel("$x$")
    ax.legend(loc="best", fontsize=11, framealpha=0.85, edgecolor="none")
    return ax


def plot_function_and_derivative(f, f_prime, domain, x0=None, axes=None, f_label="$f(x)$",
                                 derivative_label="$f'(x)$", n: int = 400):
    """Two stacked panels sharing x: f on top, f' below.  With ``x0``, the tangent to f at x₀
    (slope f'(x₀)) on top and the point (x₀, f'(x₀)) below: the height of the lower curve is
    the slope of the upper one.  Returns the two axes."""
    if axes is None:
        _, axes = new_axes(2, 1, figsize=(FIGSIZE[0], FIGSIZE[1] * 1.35), sharex=True)
    top, bottom = axes
    style_axes(top)
    style_axes(bottom)
    xs = np.linspace(*domain, n)
    ys, dys = f(xs), f_prime(xs)
    top.plot(xs, ys, color=COLORS["f"], lw=2.2, gid="f")
    bottom.plot(xs, dys, color=COLORS["derivative"], lw=2.2, gid="derivative")
    bottom.axhline(0, color=COLORS["muted"], lw=0.8)
    top.set_ylabel(f_label, color=COLORS["f"])
    bottom.set_ylabel(derivative_label, color=COLORS["derivative"])
    bottom.set_xlabel("$x$")
    top.set_xlim(*domain)
    pad_ylim(top, ys)
    pad_ylim(bottom, dys)
    if x0 is not None:
        y0, slope = float(f(x0)), float(f_prime(x0))
        # A tangent segment a quarter of the domain wide: long enough to read its slope.
        half = (domain[1] - domain[0]) / 8
        seg = np.array([x0 - half, x0 + half])
        top.plot(seg, y0 + slope * (seg - x0), color=COLORS["tangent"], lw=2, gid="tangent")
        top.plot([x0], [y0], "o", color="black", ms=6)
        bottom.plot([x0], [slope], "o", color=COLORS["tangent"], ms=7, gid="point")
        for ax in (top, bottom):
            ax.axvline(x0, color=COLORS["muted"], lw=0.8, ls=":")
        bottom.annotate(f"slope {slope:.3f}", (x0, slope), textcoords="offset points",
                        xytext=(8, 6), color=COLORS["tangent"], fontsize=9,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                              "alpha": 0.85})
    return top, bottom


def error_vs_h(h, errors: dict, orders: dict | None = None, roundoff_scale: float | None = None,
               ax=None):
    """Log-log plot of the error of finite differences against the step h.

    ``errors`` maps a label to |approximation - exact| for each h (same length as ``h``).
    ``orders`` maps a label to its truncation order p: a dotted guide C·hᵖ (slope p on
    log-log axes) is drawn through that curve's point at the largest h.  With
    ``roundoff_scale`` s, a grey guide s·ε/h (slope -1) shows the round-off error, ε being
    float64's machine epsilon.  The smallest error of each curve is circled and its h is
    given in the legend.
    """
    ax = axes_or_new(ax)
    h = np.asarray(h, dtype=float)
    palette = itertools.cycle([COLORS["secant"], COLORS["f"], COLORS["derivative"],
                               COLORS["tangent"]])
    for (label, err), color in zip(errors.items(), palette):
        err = np.asarray(err, dtype=float)
        shown = err > 0  # an error of exactly 0 has no place on a log axis
        best = int(np.argmin(np.where(shown, err, np.inf)))
        ax.loglog(h[shown], err[shown], ".-", color=color, lw=1.2, ms=4, gid=label,
                  label=f"{label} (best h ≈ {h[best]:.0e})")
        ax.plot(h[best], err[best], "o", mfc="none", mec=color, ms=11, mew=1.6, gid=f"{label} best")
        if orders and label in orders:
            p = orders[label]
            anchor = int(np.argmax(h))
            guide = err[anchor] * (h / h[anchor]) ** p
            keep = guide > 0.03 * np.min(err[shown])
            ax.loglog(h[keep], guide[keep], ":", color=color, lw=1.4, label=f"slope {p:g} guide")
    if roundoff_scale is not None:
        eps = np.finfo(np.float64).eps
        ax.loglog(h, roundoff_scale * eps / h, "--", color=COLORS["muted"], lw=1,
                  label="round-off ≈ ε/h (slope −1)")
    ax.set_xlabel("step $h$")
    ax.set_ylabel("absolute error")
    lo = min(np.min(np.asarray(e)[np.asarray(e) > 0]) for e in errors.values())
    hi = max(np.max(e) for e in errors.values())
    ax.set_ylim(lo / 10, hi * 10)
    ax.legend(fontsize=11, frameon=False, loc="upper center")
    return ax



class ExampleFunction:
    """A function of the book's examples: a sympy expression in ``x``, its derivative computed
    by sympy, and both turned into numpy functions.

    ``name`` is the key in ``FUNCTIONS``; ``label`` is what menus show; ``domain`` the x-range
    to draw; ``x0`` a good point to look at.  ``f`` and ``f_prime`` map an array of x to an
    array of the same shape (float64).
    """

    def __init__(self, name: str, label: str, expr, domain, x0: float):
        self.name, self.label, self.expr = name, label, sp.sympify(expr)
        self.domain, self.x0 = (float(domain[0]), float(domain[1])), float(x0)
        self.derivative = sp.diff(self.expr, x)
        self.f = _numpy_function(self.expr)
        self.f_prime = _numpy_function(self.derivative)

    @property
    def latex(self) -> str:
        return sp.latex(self.expr, ln_notation=True)

    @property
    def derivative_latex(self) -> str:
        return sp.latex(self.derivative, ln_notation=True)

    def __repr__(self):
        return f"ExampleFunction({self.name!r}: f(x) = {self.expr}, f'(x) = {self.derivative})"


def _numpy_function(expr):
    """sympy expression in x -> numpy function that always returns a float array shaped like x
    (a constant derivative such as 3 would otherwise come back as a bare number)."""
    fn = sp.lambdify(x, expr, modules="numpy")

    def evaluate(values):
        values = np.asarray(values, dtype=np.float64)
        return np.broadcast_to(np.asarray(fn(values), dtype=np.float64), values.shape).copy()

    return evaluate


FUNCTIONS = {e.name: e for e in [
    ExampleFunction("x^2", "x²", x**2, (-2, 2), 1.0),
    ExampleFunction("x^3 - 3x", "x³ − 3x", x**3 - 3 * x, (-2.2, 2.2), 0.5),
    ExampleFunction("sin", "sin x", sp.sin(x), (-2 * np.pi, 2 * np.pi), 1.0),
    ExampleFunction("exp", "eˣ", sp.exp(x), (-2, 2), 0.5),
    ExampleFunction("ln", "ln x", sp.log(x), (0.2, 4), 1.0),
    ExampleFunction("sigmoid", "σ(x) = 1/(1 + e⁻ˣ)", 1 / (1 + sp.exp(-x)), (-6, 6), 1.0),
    ExampleFunction("tanh", "tanh x", sp.tanh(x), (-3, 3), 0.5),
]}
"""The functions the widgets offer, by name: {name: ExampleFunction}."""


def get_example(function) -> ExampleFunction:
    """``FUNCTIONS[name]`` for a name, or the ``ExampleFunction`` itself."""
    return lookup(FUNCTIONS, function, ExampleFunction)


def secant_data(function, x0: float, h: float, n: int = 400) -> dict:
    """Everything the secant picture shows, as numbers: the curve on the example's domain, the
    secant and the tangent at x₀, their slopes and the gap secant slope - f'(x₀)."""
    ex = get_example(function)
    xs = np.linspace(*ex.domain, n)
    secant, tangent = secant_line(ex.f, x0, h), tangent_line(ex.f, ex.f_prime, x0)
    return {
        "function": ex.name, "x0": float(x0), "h": float(h),
        "x": xs, "y": ex.f(xs), "secant_y": secant(xs), "tangent_y": tangent(xs),
        "secant_slope": secant.slope, "tangent_slope": tangent.slope,
        "gap": secant.slope - tangent.slope,
    }


def explorer_data(function, x0: float, n: int = 400) -> dict:
    """Everything the function explorer shows: f and f' on the example's domain, the point x₀,
    f(x₀), the slope f'(x₀), and f' as a sympy expression and as LaTeX."""
    ex = get_example(function)
    xs = np.linspace(*ex.domain, n)
    return {
        "function": ex.name, "x": xs, "f": ex.f(xs), "f_prime": ex.f_prime(xs),
        "x0": float(x0), "f_x0": float(ex.f(x0)), "slope": float(ex.f_prime(x0)),
        "derivative": ex.derivative, "derivative_latex": ex.derivative_latex,
    }


def _ylim(ex: ExampleFunction, pad: float = 0.15):
    return pad_ylim(Figure().add_subplot(), ex.f(np.linspace(*ex.domain, 400)), pad).get_ylim()


def draw_secant(fig, function, x0: float, h: float) -> dict:
    """Redraw ``fig`` as the secant picture of ``function`` at (x₀, h); return ``secant_data``."""
    ex = get_example(function)
    data = secant_data(ex, x0, h)
    fig.clear()
    ax = fig.add_subplot()
    # The y-range is fixed per function, so moving h or x0 never rescales the picture.
    plot_secants(ex.f, x0, [h], f_prime=ex.f_prime, domain=ex.domain, ylim=_ylim(ex), ax=ax)
    ax.set_title(f"$f(x) = {ex.latex}$,  $x_0$ = {x0:.2f},  $h$ = {h:.3g}", fontsize=10)
    return data


def draw_explorer(fig, function, x0: float) -> dict:
    """Redraw ``fig`` as f (top) and f' (bottom) for ``function``, marking x₀.
    Returns ``explorer_data``."""
    ex = get_example(function)
    data = explorer_data(ex, x0)
    fig.clear()
    axes = fig.subplots(2, 1, sharex=True)
    plot_function_and_derivative(ex.f, ex.f_prime, ex.domain, x0=x0, axes=axes,
                                      f_label="$f(x)$", derivative_label="$f'(x)$")
    axes[0].set_title(f"$f(x) = {ex.latex}$      $f'(x) = {ex.derivative_latex}$", fontsize=10)
    return data


def _move_x0_slider(slider, ex: ExampleFunction):
    """Give the x₀ slider the new function's domain and default point."""
    # Widen before narrowing, so the slider never clamps its value to a stale range.
    slider.min, slider.max = -1e9, 1e9
    slider.value = ex.x0
    slider.min, slider.max = ex.domain


def _secant_caption(data) -> str:
    return (f"h = {data['h']:.3g}:  secant slope = {data['secant_slope']:.4f},  "
            f"f'({data['x0']:g}) = {data['tangent_slope']:.4f},  gap = {data['gap']:.1e}")


class _LiveFigure(widgets.VBox):
    """What both live widgets share: a function menu, an x₀ slider, and a matplotlib figure shown
    as a PNG in ``image``, redrawn (by the subclass's ``_draw``) whenever a control moves."""

    figsize = (6.4, 3.4)

    def __init__(self, function, x0, extra_controls, below_image=()):
        ex = get_example(function)
        self.figure = Figure(figsize=self.figsize, layout="constrained")
        self.function_dropdown = widgets.Dropdown(
            options=[(e.label, e.name) for e in FUNCTIONS.values()], value=ex.name,
            description="f(x)")
        self.x0_slider = widgets.FloatSlider(
            value=ex.x0 if x0 is None else x0, min=ex.domain[0], max=ex.domain[1], step=0.01,
            description="x₀", continuous_update=True, readout_format=".2f")
        self.image = widgets.Image(format="png")
        self.data: dict = {}
        self._switching = False
        controls = [self.function_dropdown, self.x0_slider, *extra_controls]
        super().__init__([*controls, self.image, *below_image])
        self.function_dropdown.observe(self._on_function, names="value")
        for control in controls[1:]:
            control.observe(self._redraw, names="value")
        self._redraw()

    def _on_function(self, change):
        self._switching = True  # one redraw for the new function, not one per slider change
        try:
            _move_x0_slider(self.x0_slider, get_example(change["new"]))
        finally:
            self._switching = False
        self._redraw()

    def _redraw(self, change=None):
        if self._switching:
            return
        self.data = self._draw(get_example(self.function_dropdown.value), self.x0_slider.value)
        self.image.value = plot.png_bytes(self.figure, colors=None)


class SecantWidget(_LiveFigure):
    """Live secant-to-tangent widget.  Controls: ``function_dropdown``, ``x0_slider`` and
    ``h_slider`` (logarithmic, 0.001 <= h <= 2).  ``data`` holds what is shown (see
    ``secant_data``), ``readout`` the slopes as text; ``figure`` is the matplotlib figure and
    ``image`` the PNG widget that displays it."""

    def __init__(self, function="x^2", x0=None, h: float = 1.0):
        self.h_slider = widgets.FloatLogSlider(
            value=h, base=10, min=-3, max=np.log10(2), step=0.01, description="h",
            continuous_update=True, readout_format=".3g")
        self.readout = widgets.HTML()
        super().__init__(function, x0, [self.h_slider], [self.readout])

    def _draw(self, ex, x0):
        data = draw_secant(self.figure, ex, x0, self.h_slider.value)
        self.readout.value = html.escape(_secant_caption(data))
        return data


class FunctionExplorer(_LiveFigure):
    """Live function explorer: pick f, move x₀, see f with its tangent and f' with the point
    (x₀, f'(x₀)).  Controls: ``function_dropdown``, ``x0_slider``.  ``data`` holds what is shown
    (see ``explorer_data``); ``formula`` shows f and f' in LaTeX."""

    figsize = (6.4, 4.6)

    def __init__(self, function="sigmoid", x0=None):
        self.formula = widgets.HTMLMath()
        super().__init__(function, x0, [self.formula])

    def _draw(self, ex, x0):
        data = draw_explorer(self.figure, ex, x0)
        self.formula.value = (f"$f(x) = {ex.latex}$, $\\quad f'(x) = {ex.derivative_latex}$, "
                              f"$\\quad f'({x0:.2f}) = {data['slope']:.4f}$")
        return data


def secant_widget(function="x^2", x0=None, h: float = 1.0) -> SecantWidget:
    """Live secant-to-tangent widget (see ``SecantWidget``): shrink h and watch the secant slope
    approach f'(x₀)."""
    return SecantWidget(function, x0, h)


def function_explorer(function="sigmoid", x0=None) -> FunctionExplorer:
    """Live function explorer (see ``FunctionExplorer``): f and f' together, for any f of
    ``FUNCTIONS``."""
    return FunctionExplorer(function, x0)


def secant_slider(function="x^2", x0=None, hs=None, **slider_kw):
    """Kernel-free secant-to-tangent: one frame per h, behind an HTML range slider.

    By default 21 values of h shrink geometrically from the largest step that keeps x₀ + h in
    view (at most 2) to a hundredth of it.  ``slider_kw`` go to ``nnlib.widgets.frames_slider``.
    Returns ``IPython.display.HTML``.
    """
    ex = get_example(function)
    x0 = ex.x0 if x0 is None else float(x0)
    if hs is None:
        largest = min(2.0, ex.domain[1] - x0)
        hs = np.geomspace(largest, largest / 100, 21)
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")

    def update(h):
        return _secant_caption(draw_secant(fig, ex, x0, h))

    slider_kw.setdefault("alt", f"Secants of f(x) = {ex.expr} at x0 = {x0:g} for shrinking h")
    return frames_slider(fig, update, np.asarray(hs, dtype=float), label="h", **slider_kw)


def explorer_slider(functions=None, **slider_kw):
    """Kernel-free function explorer: one frame per function (default: all of ``FUNCTIONS``),
    each showing f and f' at the function's own x₀.  Returns ``IPython.display.HTML``."""
    examples = [get_example(f) for f in (functions or FUNCTIONS)]
    fig = Figure(figsize=(6.4, 4.6), layout="constrained")

    def update(ex):
        data = draw_explorer(fig, ex, ex.x0)
        return f"{ex.label}:  f'({ex.x0:g}) = {data['slope']:.4f}"

    slider_kw.setdefault("alt", "A function (top) and its derivative (bottom)")
    return frames_slider(fig, update, examples, label="f", **slider_kw)


def vega_expression(expr, at: str) -> str:
    """A sympy expression in x as a Vega expression evaluated at ``at`` (e.g. ``"datum.x"``).

    Vega's expression language has JavaScript's ``Math`` functions without the prefix, so
    sympy's JavaScript printer, minus ``Math.``, writes it.
    """
    expr = sp.sympify(expr)
    # Vega has exp but no tanh: write tanh(a) = (e^(2a) - 1) / (e^(2a) + 1).
    expr = expr.replace(sp.tanh, lambda a: (sp.exp(2 * a) - 1) / (sp.exp(2 * a) + 1))
    code = sp.jscode(expr.subs(x, sp.Symbol("__at__")))
    return "(" + code.replace("Math.", "").replace("__at__", f"({at})") + ")"


def secant_vega(function="x^2", x0=None, h: float = 1.0, n: int = 200):
    """Kernel-free secant-to-tangent with two controls, x₀ and h, drawn in the browser.

    Python samples f on its domain once; the page computes the secant through
    (x₀, f(x₀)) and (x₀ + h, f(x₀ + h)) and the tangent at x₀ for any position of the two
    sliders.  Returns ``nnlib.widgets.VegaWidget``.
    """
    import altair as alt

    from . import vega

    ex = get_example(function)
    x0 = ex.x0 if x0 is None else float(x0)
    xs = np.linspace(*ex.domain, n)
    ys = ex.f(xs)
    low, high = _ylim(ex)
    f_at = lambda where: vega_expression(ex.expr, where)  # noqa: E731
    df_at = lambda where: vega_expression(ex.derivative, where)  # noqa: E731
    slope = f"({f_at('x0 + h')} - {f_at('x0')}) / h"

    x0_param = alt.param(name="x0", value=x0, bind=alt.binding_range(
        min=ex.domain[0], max=ex.domain[1] - 0.01, step=0.01, name="x₀ "))
    h_param = alt.param(name="h", value=float(h), bind=alt.binding_range(
        min=0.01, max=2.0, step=0.01, name="h "))
    x_scale = alt.Scale(domain=list(ex.domain), nice=False)
    y_scale = alt.Scale(domain=[low, high], nice=False)
    curve = alt.Chart(alt.Data(values=[{"x": float(a), "y": float(b)} for a, b in zip(xs, ys)]))

    def line(field, color, dash=None):
        return curve.mark_line(color=color, clip=True, strokeDash=dash or []).encode(
            x=alt.X("x:Q", scale=x_scale, title="x"),
            y=alt.Y(f"{field}:Q", scale=y_scale, title=None))

    f_line = line("y", COLORS["f"])
    secant = line("secant", COLORS["secant"]).transform_calculate(
        secant=f"{f_at('x0')} + {slope} * (datum.x - x0)")
    tangent = line("tangent", COLORS["tangent"], [6, 4]).transform_calculate(
        tangent=f"{f_at('x0')} + {df_at('x0')} * (datum.x - x0)")
    one = alt.Chart(alt.Data(values=[{"p": 0}, {"p": 1}]))
    points = one.mark_point(filled=True, size=70, color=COLORS["secant"], clip=True).encode(
        x=alt.X("px:Q", scale=x_scale), y=alt.Y("py:Q", scale=y_scale)).transform_calculate(
        px="x0 + datum.p * h", py=f_at("x0 + datum.p * h"))
    def caption_line(text, y, color):
        return alt.Chart(alt.Data(values=[{"p": 0}])).mark_text(
            align="left", baseline="top", fontSize=13, x=4, y=y, color=color).encode(
            text="caption:N").transform_calculate(caption=text)

    captions = [
        caption_line(f"'secant (orange):  slope ' + format({slope}, '.4f')", -40,
                     COLORS["secant"]),
        caption_line(f"'tangent (dashed): slope ' + format({df_at('x0')}, '.4f') + "
                     f"'   gap ' + format({slope} - {df_at('x0')}, '.4f')", -22,
                     COLORS["tangent"]),
    ]
    chart = alt.layer(f_line, secant, tangent, points, *captions).add_params(
        x0_param, h_param).properties(width="container", height=260)
    return vega(chart, f"Secant of f(x) = {ex.expr} through x0 and x0 + h, and the tangent at x0; "
                       f"sliders move x0 and h")


# ------------------------------------------------------------- pictures the chapter promises

#: Text in the chapter's figures: at least this many points, so a phone can read it.
FONT = 13


def product_rectangle_data(f: float, g: float, df: float, dg: float) -> dict:
    """The areas of the product rule's picture: a rectangle f × g whose sides grow by Δf, Δg.

    The new area (f + Δf)(g + Δg) is the old f·g plus the strips Δf·g and f·Δg plus the
    corner Δf·Δg; the corner shrinks like the square of the nudge, the strips like the nudge.
    """
    parts = {"old": f * g, "strip_df_g": df * g, "strip_f_dg": f * dg, "corner": df * dg}
    parts["new"] = (f + df) * (g + dg)
    return parts


def plot_product_rectangle(f: float = 2.0, g: float = 1.4, df: float = 0.45, dg: float = 0.35,
                           ax=None):
    """The product rule as areas: f·g (blue), the strips Δf·g and f·Δg (orange), the corner
    Δf·Δg (red).  Returns the axes; the patches carry gids 'old', 'strip', 'corner'."""
    from matplotlib.patches import Rectangle

    ax = ax if ax is not None else new_axes(figsize=(4.8, 3.6))[1]
    ax.set_aspect("equal")
    ax.axis("off")
    boxes = [((0, 0), f, g, COLORS["f"], 0.25, "old", "$f \\cdot g$"),
             ((f, 0), df, g, COLORS["secant"], 0.45, "strip", "$\\Delta f \\cdot g$"),
             ((0, g), f, dg, COLORS["secant"], 0.45, "strip", "$f \\cdot \\Delta g$"),
             ((f, g), df, dg, COLORS["derivative"], 0.7, "corner", "")]
    for (x0, y0), w, h, color, alpha, gid, label in boxes:
        ax.add_patch(Rectangle((x0, y0), w, h, facecolor=color, alpha=alpha, edgecolor="black",
                               lw=1.2, gid=gid))
        if label:
            ax.text(x0 + w / 2, y0 + h / 2, label, ha="center", va="center", fontsize=FONT + 1)
    ax.annotate("$\\Delta f \\cdot \\Delta g$\n(tiny corner)", (f + df / 2, g + dg / 2),
                xytext=(f + df + 0.15, g + dg + 0.3), fontsize=FONT, ha="left", va="center",
                arrowprops={"arrowstyle": "->", "color": "#444"})
    # The side lengths, under and beside the rectangle.
    ax.text(f / 2, -0.12, "$f$", ha="center", va="top", fontsize=FONT + 1)
    ax.text(f + df / 2, -0.12, "$\\Delta f$", ha="center", va="top", fontsize=FONT)
    ax.text(-0.1, g / 2, "$g$", ha="right", va="center", fontsize=FONT + 1)
    ax.text(-0.1, g + dg / 2, "$\\Delta g$", ha="right", va="center", fontsize=FONT)
    ax.set_xlim(-0.5, f + df + 1.2)
    ax.set_ylim(-0.45, g + dg + 0.75)
    return ax


def plot_central_secant(function="x^3", x0: float = 1.0, h: float = 0.5, ax=None):
    """Forward secant (x₀ to x₀ + h), central secant (x₀ - h to x₀ + h) and the tangent at x₀.

    ``function``: a name of ``FUNCTIONS`` or 'x^3'.  Returns (axes, slopes) with slopes a dict
    forward / central / tangent; the lines carry gids 'forward', 'central', 'tangent'.
    """
    if function == "x^3":
        f, f_prime, domain = (lambda t: np.asarray(t, float) ** 3), (lambda t: 3 * np.asarray(t, float) ** 2), (-0.2, 1.9)
    else:
        ex = get_example(function)
        f, f_prime, domain = ex.f, ex.f_prime, ex.domain
    ax = ax if ax is not None else new_axes(figsize=(4.8, 4.2))[1]
    style_axes(ax)
    xs = np.linspace(*domain, 300)
    forward = (float(f(x0 + h)) - float(f(x0))) / h
    central = (float(f(x0 + h)) - float(f(x0 - h))) / (2 * h)
    tangent = float(f_prime(x0))
    y0 = float(f(x0))
    ax.plot(xs, f(xs), color=COLORS["f"], lw=2.4, label="$f(x) = x^3$" if function == "x^3" else "$f(x)$")
    ax.plot(xs, y0 + forward * (xs - x0), color=COLORS["secant"], lw=1.8,
            label=f"forward: slope {forward:.2f}", gid="forward")
    # The central secant passes through (x0 - h, f(x0 - h)); drawn through its own points.
    yc = float(f(x0 - h))
    ax.plot(xs, yc + central * (xs - (x0 - h)), color=COLORS["derivative"], lw=1.8,
            label=f"central: slope {central:.2f}", gid="central")
    ax.plot(xs, y0 + tangent * (xs - x0), color=COLORS["tangent"], lw=1.8, ls="--",
            label=f"tangent: slope {tangent:.2f}", gid="tangent")
    for xp, color in [(x0 - h, COLORS["derivative"]), (x0 + h, COLORS["secant"])]:
        ax.plot([xp], [float(f(xp))], "o", color=color, ms=7)
    ax.plot([x0], [y0], "o", color="black", ms=7, zorder=5)
    for xp, text in [(x0 - h, "$x_0 - h$"), (x0, "$x_0$"), (x0 + h, "$x_0 + h$")]:
        ax.axvline(xp, color=COLORS["muted"], lw=0.8, ls=":")
        ax.annotate(text, (xp, 1), xycoords=("data", "axes fraction"), xytext=(0, -4),
                    textcoords="offset points", ha="center", va="top", fontsize=FONT,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})
    ax.set_xlim(*domain)
    pad_ylim(ax, f(xs), 0.1)
    ax.set_xlabel("$x$", fontsize=FONT)
    ax.tick_params(labelsize=FONT - 1)
    ax.legend(loc="center left", bbox_to_anchor=(0, 0.62), fontsize=FONT - 1, framealpha=0.9,
              edgecolor="none")
    return ax, {"forward": forward, "central": central, "tangent": tangent}


def chain_nudges_data(x0: float = 1.0, dx: float = 0.05) -> dict:
    """The chain rule's nudges for u = g(x) = 3x - 2 and y = f(u) = u², starting at x₀.

    Δu = g(x₀ + Δx) - g(x₀) is 3·Δx (g' = 3); Δy = f(u₀ + Δu) - f(u₀) is about
    f'(u₀)·Δu = 2u₀·Δu, and so about f'(u₀)·g'(x₀)·Δx.
    """
    g = lambda t: 3 * t - 2  # noqa: E731
    f = lambda u: u**2  # noqa: E731
    u0, y0 = g(x0), f(g(x0))
    du = g(x0 + dx) - u0
    dy = f(u0 + du) - y0
    return {"x0": x0, "dx": dx, "u0": u0, "du": du, "y0": y0, "dy": dy,
            "g_prime": 3.0, "f_prime": 2 * u0, "chain": 2 * u0 * 3.0}


def plot_chain_nudges(x0: float = 1.0, dx: float = 0.05, ax=None):
    """The chain rule as nudges passing through number lines: x, then u = g(x) = 3x - 2, then
    y = f(u) = u².  A nudge Δx becomes Δu ≈ g'·Δx, which becomes Δy ≈ f'·Δu.
    Returns (axes, ``chain_nudges_data``)."""
    data = chain_nudges_data(x0, dx)
    ax = ax if ax is not None else new_axes(figsize=(4.8, 3.9))[1]
    ax.axis("off")
    rows = [("$x$", data["x0"], data["dx"], 2.0, COLORS["f"]),
            ("$u = g(x)$", data["u0"], data["du"], 1.0, COLORS["secant"]),
            ("$y = f(u)$", data["y0"], data["dy"], 0.0, COLORS["derivative"])]
    lo, hi = 0.85, 1.45
    for name, start, step, level, color in rows:
        ax.plot([lo, hi], [level, level], color="#555", lw=1)
        for tick in np.arange(0.9, hi, 0.1):
            ax.plot([tick, tick], [level - 0.04, level + 0.04], color="#555", lw=0.8)
            ax.text(tick, level - 0.09, f"{tick:.1f}", ha="center", va="top", fontsize=FONT - 2,
                    color="#555")
        ax.plot([start, start + step], [level, level], color=color, lw=6, solid_capstyle="butt",
                gid=f"nudge {name}")
        ax.text(lo - 0.03, level, name, ha="right", va="center", fontsize=FONT + 1)
    texts = [f"$\\Delta x = {dx:g}$",
             f"$\\Delta u = {data['du']:.2f} = 3\\,\\Delta x$",
             f"$\\Delta y = {data['dy']:.4f} \\approx 2\\,\\Delta u$"]
    for (name, start, step, level, color), text in zip(rows, texts):
        ax.text(start + step + 0.02, level + 0.12, text, ha="left", va="bottom", fontsize=FONT,
                color=color)
    # Arrows from each nudge to the next one: 'times g'' and 'times f''.
    for (top, bottom, label) in [(rows[0], rows[1], "$\\times\\, g' = 3$"),
                                 (rows[1], rows[2], "$\\times\\, f'(u) = 2u = 2$")]:
        for end in (0, 1):
            ax.annotate("", (bottom[1] + end * bottom[2], bottom[3] + 0.06),
                        (top[1] + end * top[2], top[3] - 0.06),
                        arrowprops={"arrowstyle": "->", "color": "#777", "lw": 1})
        ax.text(top[1] - 0.03, (top[3] + bottom[3]) / 2, label, ha="right", va="center",
                fontsize=FONT)
    ax.set_xlim(0.55, 1.85)
    ax.set_ylim(-0.3, 2.35)
    return ax, data


def gradient_descent_steps(f_prime, x0: float, eta: float, n_steps: int) -> np.ndarray:
    """x₀, x₁, ..., x_n of the steps x ← x - η·f'(x): each moves x against the slope."""
    xs = [float(x0)]
    for _ in range(n_steps):
        xs.append(xs[-1] - eta * float(f_prime(xs[-1])))
    return np.array(xs)


def plot_gradient_descent(f, f_prime, xs, domain=(-0.3, 3.8), ax=None):
    """The curve f, the points (x_k, f(x_k)) of the steps with a short tangent at each, and an
    arrow for each step.  Returns the axes; points carry gid 'steps'."""
    ax = ax if ax is not None else new_axes(figsize=(4.8, 3.8))[1]
    style_axes(ax)
    grid = np.linspace(*domain, 300)
    ax.plot(grid, f(grid), color=COLORS["f"], lw=2.4, label="$f(x)$")
    ys = np.array([f(v) for v in xs])
    for k, (xk, yk) in enumerate(zip(xs, ys)):
        slope = float(f_prime(xk))
        seg = np.array([xk - 0.3, xk + 0.3])
        ax.plot(seg, yk + slope * (seg - xk), color=COLORS["tangent"], lw=1.6, ls="--",
                label="tangent: slope $f'(x_k)$" if k == 0 else None)
        ax.annotate(f"$x_{k}$", (xk, yk), xytext=(6, 8), textcoords="offset points",
                    fontsize=FONT + 1)
    for k in range(len(xs) - 1):
        ax.annotate("", (xs[k + 1], ys[k + 1]), (xs[k], ys[k]),
                    arrowprops={"arrowstyle": "->", "color": COLORS["derivative"], "lw": 2})
    ax.plot(xs, ys, "o", color="black", ms=7, gid="steps", label="the steps")
    ax.set_xlim(*domain)
    pad_ylim(ax, f(grid), 0.08)
    ax.set_xlabel("$x$", fontsize=FONT)
    ax.tick_params(labelsize=FONT - 1)
    ax.legend(loc="upper center", fontsize=FONT - 1, frameon=False)
    return ax


def _pick(by_name: dict, default: str) -> str:
    """A Vega expression that chooses by the parameter ``fn``: fn == 'a' ? A : fn == 'b' ? B : ..."""
    text = default
    for name, expression in reversed(list(by_name.items())):
        text = f"(fn == {name!r} ? {expression} : {text})"
    return text


def explorer_vega(functions=None, function="sigmoid", x0: float = 1.0, n: int = 200):
    """Kernel-free function explorer: buttons choose f, a slider moves x₀; f with its tangent
    at x₀ on top, f' with the point (x₀, f'(x₀)) below, drawn in the browser.

    Controls: ``fn`` (radio buttons labelled with the functions) and ``x0``.  x₀ is kept
    inside the chosen function's domain (ln x needs x > 0).  Returns ``VegaWidget``.
    """
    import altair as alt

    from . import vega

    examples = [get_example(f) for f in (functions or FUNCTIONS)]
    rows = []
    for ex in examples:
        xs = np.linspace(*ex.domain, n)
        rows += [{"fn": ex.name, "x": round(float(a), 4), "y": float(f"{b:.5g}"),
                  "dy": float(f"{c:.5g}")} for a, b, c in zip(xs, ex.f(xs), ex.f_prime(xs))]
    lo = _pick({e.name: repr(float(e.domain[0])) for e in examples}, "0")
    hi = _pick({e.name: repr(float(e.domain[1])) for e in examples}, "1")
    at = f"clamp(x0, {lo}, {hi})"
    f_at = _pick({e.name: vega_expression(e.expr, at) for e in examples}, "0")
    df_at = _pick({e.name: vega_expression(e.derivative, at) for e in examples}, "0")
    y_lims = {e.name: _ylim(e) for e in examples}
    d_lims = {e.name: pad_ylim(Figure().add_subplot(), e.f_prime(np.linspace(*e.domain, 400)),
                               0.15).get_ylim() for e in examples}

    fn_param = alt.param(name="fn", value=get_example(function).name, bind=alt.binding_radio(
        options=[e.name for e in examples], labels=[f"{e.label}\u2003" for e in examples],
        name="f(x): "))
    x0_param = alt.param(name="x0", value=float(x0), bind=alt.binding_range(
        min=-3.0, max=3.0, step=0.01, name="x₀ "))
    x_scale = alt.Scale(domain={"expr": f"[{lo}, {hi}]"}, nice=False)

    def y_scale(lims):
        low = _pick({k: repr(float(v[0])) for k, v in lims.items()}, "0")
        high = _pick({k: repr(float(v[1])) for k, v in lims.items()}, "1")
        return alt.Scale(domain={"expr": f"[{low}, {high}]"}, nice=False)

    # One named data set, shared by the layers that draw curves (not a copy in each).
    base = alt.Chart(alt.NamedData("explorer_curves")).transform_filter("datum.fn == fn")
    x_enc = alt.X("x:Q", scale=x_scale, title="x")
    top_curve = base.mark_line(color=COLORS["f"], strokeWidth=2.5, clip=True).encode(
        x=x_enc, y=alt.Y("y:Q", scale=y_scale(y_lims), title="f(x)"))
    tangent = base.mark_line(color=COLORS["tangent"], strokeDash=[6, 4], strokeWidth=2,
                             clip=True).transform_calculate(
        t=f"{f_at} + {df_at} * (datum.x - {at})").encode(
        x=x_enc, y=alt.Y("t:Q", scale=y_scale(y_lims)))
    one = alt.Chart(alt.Data(values=[{"p": 0}]))
    top_point = one.mark_point(filled=True, size=80, color="black", clip=True).transform_calculate(
        px=at, py=f_at).encode(x=alt.X("px:Q", scale=x_scale), y=alt.Y("py:Q", scale=y_scale(y_lims)))
    bottom_curve = base.mark_line(color=COLORS["derivative"], strokeWidth=2.5, clip=True).encode(
        x=x_enc, y=alt.Y("dy:Q", scale=y_scale(d_lims), title="f′(x)"))
    bottom_point = one.mark_point(filled=True, size=90, color=COLORS["tangent"],
                                  clip=True).transform_calculate(px=at, py=df_at).encode(
        x=alt.X("px:Q", scale=x_scale), y=alt.Y("py:Q", scale=y_scale(d_lims)))
    caption = one.mark_text(align="left", baseline="top", fontSize=13, x=4, y=-22).transform_calculate(
        caption=f"'x₀ = ' + format({at}, '.2f') + ':  slope of f = height of f′ = ' + "
                f"format({df_at}, '.4f')").encode(text="caption:N")
    # A fixed width: Vega-Lite cannot fit stacked panels to their container, and 320 px of
    # plot (plus its axes) fits a phone's column as well as a desktop's.
    top = alt.layer(top_curve, tangent, top_point, caption).properties(width=320, height=190)
    bottom = alt.layer(bottom_curve, bottom_point).properties(width=320, height=150)
    chart = alt.vconcat(top, bottom, spacing=12).add_params(fn_param, x0_param).properties(
        datasets={"explorer_curves": rows})
    return vega(chart, "A function (top) with its tangent at x0, and its derivative (bottom) "
                       "with the point (x0, f'(x0)); buttons choose the function, a slider moves x0")
