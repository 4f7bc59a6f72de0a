"""The chapters' interactive widgets, with their logic in plain, tested functions.

Import on demand (``from nnlib import widgets``): it needs sympy, matplotlib and ipywidgets,
which ``import nnlib`` alone never loads.

Every widget comes twice, drawing the same picture:

* live, for Jupyter and Binder: ``secant_widget`` and ``function_explorer`` return ipywidgets
  whose controls are attributes (``w.h_slider``, ``w.x0_slider``, ``w.function_dropdown``) and
  whose shown numbers are kept in ``w.data``;
* kernel-free, for the static website: ``secant_slider`` and ``explorer_slider`` render the
  picture for a range of values once and put the frames behind an HTML range slider
  (``nnlib.plot.frames_slider``), so a reader without a running Python can still move it.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from . import plot
from .plot import Line, secant_line, secant_slope, tangent_line  # noqa: F401 (part of this API)

x = sp.Symbol("x", real=True)


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
    if isinstance(function, ExampleFunction):
        return function
    try:
        return FUNCTIONS[function]
    except KeyError:
        raise ValueError(
            f"unknown function {function!r}; choose one of {list(FUNCTIONS)}") from None


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
    ys = ex.f(np.linspace(*ex.domain, 400))
    span = float(ys.max() - ys.min()) or 1.0
    return float(ys.min()) - pad * span, float(ys.max()) + pad * span


def draw_secant(fig, function, x0: float, h: float) -> dict:
    """Redraw ``fig`` as the secant picture of ``function`` at (x₀, h); return ``secant_data``."""
    ex = get_example(function)
    data = secant_data(ex, x0, h)
    fig.clear()
    ax = fig.add_subplot()
    # The y-range is fixed per function, so moving h or x0 never rescales the picture.
    plot.plot_secants(ex.f, x0, [h], f_prime=ex.f_prime, domain=ex.domain, ylim=_ylim(ex), ax=ax)
    ax.set_title(f"$f(x) = {ex.latex}$,  $x_0$ = {x0:.2f},  $h$ = {h:.3g}", fontsize=10)
    return data


def draw_explorer(fig, function, x0: float) -> dict:
    """Redraw ``fig`` as f (top) and f' (bottom) for ``function``, marking x₀.
    Returns ``explorer_data``."""
    ex = get_example(function)
    data = explorer_data(ex, x0)
    fig.clear()
    axes = fig.subplots(2, 1, sharex=True)
    plot.plot_function_and_derivative(ex.f, ex.f_prime, ex.domain, x0=x0, axes=axes,
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
    view (at most 2) to a hundredth of it.  ``slider_kw`` go to ``plot.frames_slider``.
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
    return plot.frames_slider(fig, update, np.asarray(hs, dtype=float), label="h", **slider_kw)


def explorer_slider(functions=None, **slider_kw):
    """Kernel-free function explorer: one frame per function (default: all of ``FUNCTIONS``),
    each showing f and f' at the function's own x₀.  Returns ``IPython.display.HTML``."""
    examples = [get_example(f) for f in (functions or FUNCTIONS)]
    fig = Figure(figsize=(6.4, 4.6), layout="constrained")

    def update(ex):
        data = draw_explorer(fig, ex, ex.x0)
        return f"{ex.label}:  f'({ex.x0:g}) = {data['slope']:.4f}"

    slider_kw.setdefault("alt", "A function (top) and its derivative (bottom)")
    return plot.frames_slider(fig, update, examples, label="f", **slider_kw)
