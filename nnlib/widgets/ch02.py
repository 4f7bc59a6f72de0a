"""Chapter 2, Partial derivatives and gradients: its figures and widgets, logic in plain functions.

Import on demand (``from nnlib.widgets import ch02``): it needs sympy, matplotlib and
ipywidgets, which ``import nnlib`` alone never loads.

The chapter's widget shows a function of two inputs as a contour map, a point (x₀, y₀) on it
and a direction at angle θ.  It draws, in the input plane, the gradient ∇f(x₀, y₀) and the unit
vector u = (cos θ, sin θ); beside them the slice of the surface along u, whose slope at the point
is the directional derivative D_u f = ∇f·u; and D_u f against θ, a cosine that peaks where u
meets the gradient.  It comes twice:

* live, for Jupyter and Binder: ``direction_widget`` (a ``nnlib.widgets.LiveFigure`` whose
  ``draw`` is ``draw_direction``; the surface itself is drawn in 3-D there);
* kernel-free, for the static website: ``direction_vega``, four controls (function, x₀, y₀, θ)
  drawn by the browser from data computed here.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..plot import COLORS, FIGSIZE, style_axes
from . import lookup

x, y = sp.symbols("x y", real=True)

#: colours of the chapter's pictures, on top of the book's palette
GRADIENT_COLOR = COLORS["derivative"]   # the gradient is red, like a derivative
DIRECTION_COLOR = COLORS["tangent"]     # the chosen direction u, green
POINT_COLOR = "black"


class SurfaceFunction:
    """A function f(x, y) of the chapter's examples: a sympy expression, its two partial
    derivatives (by sympy), and numpy versions of all three.

    ``domain`` is the square [-r, r]² drawn; ``point`` and ``angle`` (degrees) a good place to
    start; ``arrow_scale`` the factor by which the gradient arrow is drawn (its length in the
    picture is ``arrow_scale · ‖∇f‖``), chosen so that the longest gradient on the domain still
    fits for most points.  ``f``, ``fx``, ``fy`` take arrays of x and y (broadcast) and return float arrays.
    """

    def __init__(self, name: str, label: str, expr, radius: float, point, angle: float):
        self.name, self.label, self.expr = name, label, sp.sympify(expr)
        self.domain = (-float(radius), float(radius))
        self.point, self.angle = (float(point[0]), float(point[1])), float(angle)
        self.fx_expr, self.fy_expr = sp.diff(self.expr, x), sp.diff(self.expr, y)
        self.f = _numpy_function(self.expr)
        self.fx = _numpy_function(self.fx_expr)
        self.fy = _numpy_function(self.fy_expr)
        grid = np.linspace(*self.domain, 61)
        gx, gy = np.meshgrid(grid, grid)
        typical = float(np.quantile(np.hypot(self.fx(gx, gy), self.fy(gx, gy)), 0.75))
        # Three in four gradients are drawn at most a quarter of the domain's width long
        # (the longest ones may leave the picture), on a 1-2-5 scale.
        raw = 0.25 * (self.domain[1] - self.domain[0]) / typical
        nice = [m * 10.0**e for e in range(-3, 3) for m in (1, 2, 5)]
        self.arrow_scale = max(v for v in nice if v <= raw)

    @property
    def latex(self) -> str:
        return sp.latex(self.expr)

    def gradient(self, x0, y0) -> np.ndarray:
        """∇f(x₀, y₀) = (∂f/∂x, ∂f/∂y) at the point, shape (2,)."""
        return np.array([float(self.fx(x0, y0)), float(self.fy(x0, y0))])

    def __repr__(self):
        return f"SurfaceFunction({self.name!r}: f(x, y) = {self.expr})"


def _numpy_function(expr):
    """sympy expression in x, y -> numpy function returning a float array of the broadcast
    shape of its arguments (a constant derivative would otherwise come back as a number)."""
    fn = sp.lambdify((x, y), expr, modules="numpy")

    def evaluate(xs, ys):
        xs, ys = np.broadcast_arrays(np.asarray(xs, dtype=np.float64),
                                     np.asarray(ys, dtype=np.float64))
        return np.broadcast_to(np.asarray(fn(xs, ys), dtype=np.float64), xs.shape).copy()

    return evaluate


FUNCTIONS = {e.name: e for e in [
    SurfaceFunction("x^2 sin y", "x² sin y", x**2 * sp.sin(y), 2.5, (1.5, 1.0), 0.0),
    SurfaceFunction("hill", "a hill: exp(−(x² + 4y²)/4)", sp.exp(-(x**2 + 4 * y**2) / 4),
                    2.5, (2.0, 1.0), 200.0),
    SurfaceFunction("saddle", "a saddle: x² − y²", x**2 - y**2, 2.5, (1.0, 0.5), 90.0),
]}
"""The functions the widgets offer, by name: {name: SurfaceFunction}."""


def get_function(function) -> SurfaceFunction:
    """``FUNCTIONS[name]`` for a name, or the ``SurfaceFunction`` itself."""
    return lookup(FUNCTIONS, function, SurfaceFunction)


# ------------------------------------------------------------------------------ the maths

def unit_vector(angle: float) -> np.ndarray:
    """u = (cos θ, sin θ) for θ in degrees, measured anticlockwise from the x-axis; shape (2,)."""
    theta = np.deg2rad(angle)
    return np.array([np.cos(theta), np.sin(theta)])


def angle_of(vector) -> float:
    """The angle of a 2-vector in degrees, in [0, 360): the θ with u(θ) along it."""
    return float(np.rad2deg(np.arctan2(vector[1], vector[0])) % 360.0)


def directional_derivative(function, x0: float, y0: float, angle: float) -> float:
    """D_u f(x₀, y₀) = ∇f(x₀, y₀) · u with u = (cos θ, sin θ): the slope of f along u."""
    return float(get_function(function).gradient(x0, y0) @ unit_vector(angle))


def slice_along(function, x0: float, y0: float, angle: float, ts) -> np.ndarray:
    """The slice of the surface along u: g(t) = f((x₀, y₀) + t·u), for each t in ``ts``.

    Its slope at t = 0 is D_u f(x₀, y₀) (the chain rule of the chapter)."""
    u = unit_vector(angle)
    ts = np.asarray(ts, dtype=np.float64)
    return get_function(function).f(x0 + ts * u[0], y0 + ts * u[1])


def direction_data(function, x0: float, y0: float, angle: float, n_angles: int = 361) -> dict:
    """Everything the direction picture shows, as numbers.

    ``gradient`` ∇f(x₀, y₀); ``u``; ``rate`` = D_u f = ∇f·u; ``steepest_rate`` = ‖∇f‖ and
    ``steepest_angle`` the angle of ∇f (where D_u f peaks); ``angles`` 0..360 degrees and
    ``rates`` D_u f for each; ``f0`` = f(x₀, y₀).
    """
    ex = get_function(function)
    grad = ex.gradient(x0, y0)
    angles = np.linspace(0.0, 360.0, n_angles)
    thetas = np.deg2rad(angles)
    rates = grad[0] * np.cos(thetas) + grad[1] * np.sin(thetas)
    u = unit_vector(angle)
    return {
        "function": ex.name, "x0": float(x0), "y0": float(y0), "angle": float(angle),
        "f0": float(ex.f(x0, y0)), "gradient": grad, "u": u, "rate": float(grad @ u),
        "steepest_rate": float(np.linalg.norm(grad)), "steepest_angle": angle_of(grad),
        "angles": angles, "rates": rates,
    }


def caption(data: dict) -> str:
    """One line of the numbers the direction picture shows."""
    gx, gy = data["gradient"]
    return (f"∇f({data['x0']:.2f}, {data['y0']:.2f}) = ({gx:.3f}, {gy:.3f}),  "
            f"‖∇f‖ = {data['steepest_rate']:.3f};  θ = {data['angle']:.0f}°:  "
            f"D_u f = ∇f·u = {data['rate']:.3f}")


# ------------------------------------------------------------------------------ drawing

def grid_values(function, n: int = 121):
    """(X, Y, Z) on an n×n grid of the function's domain, for contour maps and surfaces."""
    ex = get_function(function)
    line = np.linspace(*ex.domain, n)
    gx, gy = np.meshgrid(line, line)
    return gx, gy, ex.f(gx, gy)


def contour_levels(function, n_levels: int = 12) -> np.ndarray:
    """The heights whose level curves the contour maps draw (the same in every picture)."""
    _, _, z = grid_values(function, 81)
    return np.linspace(float(z.min()), float(z.max()), n_levels + 2)[1:-1]


def draw_arrow(ax, start, vector, color, gid: str, label: str | None = None, lw: float = 2.2):
    """An arrow from ``start`` along ``vector`` in data coordinates (a 2-D axes: the input plane).

    Drawn with ``quiver`` in data units, so an arrow that leaves the axes is cut at their edge
    rather than dropped; a line of the same colour carries its data (tests read it, ``gid``)
    and, with a ``label``, its legend entry."""
    (x0, y0), (dx, dy) = start, vector
    ax.quiver([x0], [y0], [dx], [dy], angles="xy", scale_units="xy", scale=1, color=color,
              width=0.004 * lw, headwidth=4, headlength=5, headaxislength=4.5, zorder=4,
              gid=gid)
    ax.plot([x0, x0 + dx], [y0, y0 + dy], color=color, lw=lw, label=label, gid=gid,
            alpha=0.0 if label is None else 1.0, zorder=3)


def plot_contours(function, ax, n_levels: int = 12, labels: bool = True, n: int = 121):
    """The contour map of f on its domain: level curves f(x, y) = c, coloured by height."""
    ex = get_function(function)
    gx, gy, z = grid_values(ex, n)
    levels = contour_levels(ex, n_levels)
    contours = ax.contour(gx, gy, z, levels=levels, cmap="viridis", linewidths=1.1)
    if labels:
        ax.clabel(contours, fontsize=9, fmt="%.2g", inline_spacing=2)
    ax.set_xlim(*ex.domain)
    ax.set_ylim(*ex.domain)
    ax.set_aspect("equal")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    return contours


def plot_direction_map(function, x0: float, y0: float, angle: float, ax) -> dict:
    """Contour map with the point, the gradient arrow (drawn at ``arrow_scale``) and the unit
    direction u, both in the input plane.  Returns ``direction_data``."""
    ex = get_function(function)
    data = direction_data(ex, x0, y0, angle)
    style_axes(ax)
    plot_contours(ex, ax)
    draw_arrow(ax, (x0, y0), ex.arrow_scale * data["gradient"], GRADIENT_COLOR, "gradient",
               label=rf"$\nabla f$ (drawn $\times${ex.arrow_scale:g})")
    draw_arrow(ax, (x0, y0), data["u"], DIRECTION_COLOR, "direction",
               label=r"$\mathbf{u}$ (length 1)", lw=1.8)
    ax.plot([x0], [y0], "o", color=POINT_COLOR, ms=6, zorder=5, gid="point")
    ax.legend(loc="lower left", fontsize=9, framealpha=0.9, edgecolor="none")
    return data


def plot_surface(function, ax, x0=None, y0=None, angle=None, n: int = 41):
    """The surface z = f(x, y) on a 3-D axes.  With a point and an angle: the point on the
    surface, its shadow in the input plane (the floor), the gradient arrow and u drawn on the
    floor (inputs live there), and the slice of the surface along u."""
    ex = get_function(function)
    gx, gy, z = grid_values(ex, n)
    floor = float(z.min()) - 0.15 * float(np.ptp(z))
    ax.plot_surface(gx, gy, z, cmap="viridis", alpha=0.55, linewidth=0, antialiased=True,
                    rstride=1, cstride=1)
    ax.contour(gx, gy, z, levels=contour_levels(ex), cmap="viridis", offset=floor,
               linewidths=0.8)
    ax.set_zlim(floor, float(z.max()))
    ax.set_xlabel("$x$", labelpad=-8)
    ax.set_ylabel("$y$", labelpad=-8)
    ax.set_zlabel("$f$", labelpad=-8)
    ax.tick_params(labelsize=9, pad=-2)
    ax.view_init(elev=28, azim=-60)
    if x0 is None:
        return ax
    data = direction_data(ex, x0, y0, angle)
    ts = np.linspace(-1.2, 1.2, 61)
    u = data["u"]
    ax.plot(x0 + ts * u[0], y0 + ts * u[1], slice_along(ex, x0, y0, angle, ts),
            color=DIRECTION_COLOR, lw=2.2, gid="slice", zorder=10)
    ax.plot([x0, x0], [y0, y0], [floor, data["f0"]], ":", color=POINT_COLOR, lw=1)
    ax.plot([x0], [y0], [data["f0"]], "o", color=POINT_COLOR, ms=5, zorder=11)
    g = ex.arrow_scale * data["gradient"]
    ax.quiver(x0, y0, floor, g[0], g[1], 0, color=GRADIENT_COLOR, lw=2, arrow_length_ratio=0.2)
    ax.quiver(x0, y0, floor, u[0], u[1], 0, color=DIRECTION_COLOR, lw=1.6,
              arrow_length_ratio=0.2)
    return ax


def plot_rate_against_angle(data: dict, ax):
    """D_u f against θ (a cosine of amplitude ‖∇f‖), the current θ marked, the peak at the
    angle of ∇f marked by a dashed line."""
    style_axes(ax)
    ax.plot(data["angles"], data["rates"], color=COLORS["f"], lw=2, gid="rates")
    ax.axhline(0, color=COLORS["muted"], lw=0.8)
    ax.axvline(data["steepest_angle"], color=GRADIENT_COLOR, lw=1.2, ls="--", gid="peak",
               label=rf"direction of $\nabla f$: {data['steepest_angle']:.0f}°")
    ax.plot([data["angle"]], [data["rate"]], "o", color=DIRECTION_COLOR, ms=8, gid="rate",
            label=rf"$D_\mathbf{{u}} f$ = {data['rate']:.3f}")
    ax.set_xlim(0, 360)
    ax.set_xticks(range(0, 361, 90))
    ax.set_xlabel(r"angle $\theta$ of $\mathbf{u}$ (degrees)")
    ax.set_ylabel(r"$D_\mathbf{u} f = \nabla f\cdot\mathbf{u}$")
    span = max(data["steepest_rate"], 1e-3)
    ax.set_ylim(-1.25 * span, 1.6 * span)
    ax.legend(loc="upper right", fontsize=9, ncols=2, framealpha=0.9, edgecolor="none")
    return ax


def draw_direction(fig, function="x^2 sin y", x0: float = 1.0, y0: float = 0.5,
                   angle: float = 30.0) -> dict:
    """Redraw ``fig``: contour map and surface side by side, D_u f against θ below.

    The live widget's ``draw``; returns ``direction_data`` with a ``caption``."""
    ex = get_function(function)
    fig.clear()
    grid = fig.add_gridspec(2, 2, height_ratios=[1.35, 1])
    top_left = fig.add_subplot(grid[0, 0])
    surface = fig.add_subplot(grid[0, 1], projection="3d")
    bottom = fig.add_subplot(grid[1, :])
    data = plot_direction_map(ex, x0, y0, angle, top_left)
    top_left.set_title(f"$f(x, y) = {ex.latex}$", fontsize=10)
    plot_surface(ex, surface, x0, y0, angle)
    surface.set_title("the surface; arrows on the floor", fontsize=10)
    plot_rate_against_angle(data, bottom)
    data["caption"] = caption(data)
    return data


def direction_widget(function="x^2 sin y", x0=None, y0=None, angle=None):
    """Live widget (``nnlib.widgets.LiveFigure``): a menu of functions and sliders for x₀, y₀
    and θ; ``w.controls[name]`` are the controls and ``w.data`` what is drawn (see
    ``direction_data``)."""
    import ipywidgets as widgets

    from . import LiveFigure

    ex = get_function(function)
    x0 = ex.point[0] if x0 is None else float(x0)
    y0 = ex.point[1] if y0 is None else float(y0)
    angle = ex.angle if angle is None else float(angle)
    low, high = ex.domain

    def slider(value, description, lo, hi, step):
        return widgets.FloatSlider(value=value, min=lo, max=hi, step=step,
                                   description=description, continuous_update=True)

    controls = {
        "function": widgets.Dropdown(options=[(e.label, e.name) for e in FUNCTIONS.values()],
                                     value=ex.name, description="f(x, y)"),
        "x0": slider(x0, "x₀", low, high, 0.05),
        "y0": slider(y0, "y₀", low, high, 0.05),
        "angle": slider(angle, "θ (°)", 0.0, 360.0, 1.0),
    }
    return LiveFigure(draw_direction, controls, figsize=(FIGSIZE[0] * 1.1, 6.6))


# ------------------------------------------------------------------- kernel-free (Vega-Lite)

def vega_expression(expr, names=("x", "y"), at=("datum.x", "datum.y")) -> str:
    """A sympy expression in x, y as a Vega expression with x, y replaced by ``at``.

    Vega's expressions have JavaScript's ``Math`` functions without the prefix, so sympy's
    JavaScript printer, minus ``Math.``, writes it.
    """
    marks = [sp.Symbol(f"__at{i}__") for i in range(len(names))]
    code = sp.jscode(sp.sympify(expr).subs(dict(zip((x, y), marks))))
    code = code.replace("Math.", "")
    for mark, where in zip(marks, at):
        code = code.replace(mark.name, f"({where})")
    return "(" + code + ")"


def _by_function(pick, at) -> str:
    """A Vega expression that evaluates ``pick(ex)`` for the function the menu shows."""
    chosen = [f"fn == {e.name!r} ? {vega_expression(pick(e), at=at)} : " for e in FUNCTIONS.values()]
    return "(" + "".join(chosen) + "0)"


def contour_rows(function, n_levels: int = 12, n: int = 61, digits: int = 3) -> list[dict]:
    """The level curves of the contour map as rows {fn, line, k, x, y, level} (k orders the
    points of one line), for a Vega line mark; coordinates rounded to ``digits``."""
    import contourpy

    ex = get_function(function)
    gx, gy, z = grid_values(ex, n)
    generator = contourpy.contour_generator(gx, gy, z)
    rows, line_id = [], 0
    for level in contour_levels(ex, n_levels):
        for points in generator.lines(float(level)):
            for k, (px, py) in enumerate(np.round(points, digits)):
                rows.append({"fn": ex.name, "line": line_id, "k": k, "x": float(px),
                             "y": float(py), "level": round(float(level), 3)})
            line_id += 1
    return rows


def _arrow_rows():
    # One polyline start -> tip -> left barb -> tip -> right barb draws an arrow.
    return [{"k": k} for k in range(5)]


def _arrow_layer(alt, start, vector, head: float, color: str, scales, width: float = 2.5):
    """A Vega-Lite arrow from the expressions ``start`` = (sx, sy) along ``vector`` = (vx, vy)."""
    sx, sy = start
    vx, vy = vector
    length = f"max(sqrt(({vx})*({vx}) + ({vy})*({vy})), 1e-9)"
    # Barbs: head-long lines from the tip, back along -v turned by ±25°.
    c, s = np.cos(np.deg2rad(25)), np.sin(np.deg2rad(25))
    bx = {+1: f"(-({vx})*{c:.6f} + ({vy})*{s:.6f})", -1: f"(-({vx})*{c:.6f} - ({vy})*{s:.6f})"}
    by = {+1: f"(-({vy})*{c:.6f} - ({vx})*{s:.6f})", -1: f"(-({vy})*{c:.6f} + ({vx})*{s:.6f})"}
    size = f"min({head}, 0.5 * {length}) / {length}"
    tip_x, tip_y = f"({sx}) + ({vx})", f"({sy}) + ({vy})"
    px = (f"datum.k == 0 ? ({sx}) : (datum.k == 2 ? {tip_x} + {size} * {bx[1]} : "
          f"(datum.k == 4 ? {tip_x} + {size} * {bx[-1]} : {tip_x}))")
    py = (f"datum.k == 0 ? ({sy}) : (datum.k == 2 ? {tip_y} + {size} * {by[1]} : "
          f"(datum.k == 4 ? {tip_y} + {size} * {by[-1]} : {tip_y}))")
    x_scale, y_scale = scales
    return alt.Chart(alt.Data(values=_arrow_rows())).mark_line(
        color=color, strokeWidth=width, clip=True, strokeCap="round", strokeJoin="round").encode(
        x=alt.X("px:Q", scale=x_scale), y=alt.Y("py:Q", scale=y_scale),
        order="k:Q").transform_calculate(px=px, py=py)


# A fixed oblique view of the surface for the kernel-free widget: the browser draws lines, so
# the 3-D picture is projected here once, and the page projects the point, the arrows and the
# slice with the same two linear formulas.
VIEW_AZIMUTH, VIEW_ELEVATION = np.deg2rad(-35.0), np.deg2rad(30.0)
SURFACE_HEIGHT = 0.8   # the surface's height in the picture, as a fraction of the domain's width


def height_range(function) -> tuple[float, float]:
    """(lowest, highest) value of f on its domain's grid: the ends of the picture's z-axis."""
    _, _, z = grid_values(function, 61)
    return float(z.min()), float(z.max())


def project(function, xs, ys, zs):
    """Screen coordinates (u, v) of the points (x, y, f = z) in the oblique view of the surface.

    z is mapped linearly so that the lowest value of f sits a little above the floor (the
    input plane, drawn at height 0) and the highest at ``SURFACE_HEIGHT`` of the width.
    """
    ex = get_function(function)
    low, high = height_range(ex)
    width = ex.domain[1] - ex.domain[0]
    xs, ys, zs = (np.asarray(a, dtype=np.float64) for a in (xs, ys, zs))
    heights = width * SURFACE_HEIGHT * (0.15 + 0.85 * (zs - low) / (high - low))
    ca, sa = np.cos(VIEW_AZIMUTH), np.sin(VIEW_AZIMUTH)
    u = xs * ca - ys * sa
    v = (xs * sa + ys * ca) * np.sin(VIEW_ELEVATION) + heights * np.cos(VIEW_ELEVATION)
    return u, v


def _project_expressions(xe: str, ye: str, ze: str | None):
    """The Vega expressions of ``project`` for expressions of x, y and f (None: on the floor)."""
    ca, sa = np.cos(VIEW_AZIMUTH), np.sin(VIEW_AZIMUTH)
    se, ce = np.sin(VIEW_ELEVATION), np.cos(VIEW_ELEVATION)
    u = f"(({xe}) * {ca:.8f} - ({ye}) * {sa:.8f})"
    if ze is None:
        height = "0"
    else:
        parts = []
        for e in FUNCTIONS.values():
            low, high = height_range(e)
            width = e.domain[1] - e.domain[0]
            parts.append(f"fn == {e.name!r} ? {width * SURFACE_HEIGHT:.8f} * (0.15 + 0.85 * "
                         f"(({ze}) - ({low:.8f})) / {high - low:.8f}) : ")
        height = "(" + "".join(parts) + "0)"
    v = f"((({xe}) * {sa:.8f} + ({ye}) * {ca:.8f}) * {se:.8f} + {height} * {ce:.8f})"
    return u, v


def wireframe_rows(function, n_lines: int = 13, n: int = 31, digits: int = 3) -> list[dict]:
    """The surface as a wireframe of projected lines x = const and y = const, rows
    {fn, line, k, u, v} for a Vega line mark, and the floor's outline (lines 'floor')."""
    ex = get_function(function)
    low, high = ex.domain
    rows = []
    grid, fine = np.linspace(low, high, n_lines), np.linspace(low, high, n)
    line = 0
    for c in grid:
        for xs, ys in ((np.full(n, c), fine), (fine, np.full(n, c))):
            us, vs = project(ex, xs, ys, ex.f(xs, ys))
            rows += [{"fn": ex.name, "line": line, "k": k, "u": round(float(a), digits),
                      "v": round(float(b), digits), "part": "surface"}
                     for k, (a, b) in enumerate(zip(us, vs))]
            line += 1
    corners = np.array([[low, low], [high, low], [high, high], [low, high], [low, low]])
    us, vs = project(ex, corners[:, 0], corners[:, 1], np.zeros(5))
    ca, sa = np.cos(VIEW_AZIMUTH), np.sin(VIEW_AZIMUTH)
    floor_v = (corners[:, 0] * sa + corners[:, 1] * ca) * np.sin(VIEW_ELEVATION)
    rows += [{"fn": ex.name, "line": line, "k": k, "u": round(float(a), digits),
              "v": round(float(b), digits), "part": "floor"}
             for k, (a, b) in enumerate(zip(us, floor_v))]
    return rows


def direction_vega(function="x^2 sin y", x0=None, y0=None, angle=None, width: int = 320):
    """Kernel-free direction widget with four controls: the function, x₀, y₀ and θ.

    Python computes the level curves of each function once; the page computes the gradient,
    u, D_u f, the slice of the surface along u and the curve of D_u f against θ for any
    position of the controls.  Panels, stacked: the contour map with ∇f (red, drawn at
    the function's ``arrow_scale``) and u (green) in the input plane; the slice
    g(t) = f((x₀, y₀) + t·u) with its tangent of slope D_u f; and D_u f against θ.
    Between the first two, the surface itself in a fixed oblique view (``project``), with
    the point on it, its slice along u, and ∇f and u drawn on its floor.
    Returns ``nnlib.widgets.VegaWidget``.
    """
    import altair as alt

    from . import vega

    ex = get_function(function)
    x0 = ex.point[0] if x0 is None else float(x0)
    y0 = ex.point[1] if y0 is None else float(y0)
    angle = ex.angle if angle is None else float(angle)
    radius = max(e.domain[1] for e in FUNCTIONS.values())

    fn_param = alt.param(name="fn", value=ex.name, bind=alt.binding_select(
        options=list(FUNCTIONS), labels=[e.label for e in FUNCTIONS.values()], name="f(x, y) "))
    x0_param = alt.param(name="x0", value=x0, bind=alt.binding_range(
        min=-radius, max=radius, step=0.05, name="x₀ "))
    y0_param = alt.param(name="y0", value=y0, bind=alt.binding_range(
        min=-radius, max=radius, step=0.05, name="y₀ "))
    angle_param = alt.param(name="theta", value=angle, bind=alt.binding_range(
        min=0, max=360, step=1, name="θ (degrees) "))

    point = ("x0", "y0")
    fx = _by_function(lambda e: e.fx_expr, point)
    fy = _by_function(lambda e: e.fy_expr, point)
    scale = "(" + "".join(f"fn == {e.name!r} ? {e.arrow_scale} : " for e in FUNCTIONS.values()) + "1)"
    ux, uy = "cos(theta * PI / 180)", "sin(theta * PI / 180)"
    rate = f"({fx} * {ux} + {fy} * {uy})"
    norm = f"sqrt({fx} * {fx} + {fy} * {fy})"

    # ---- panel 1: the contour map, the point, ∇f and u in the input plane
    x_scale = alt.Scale(domain=[-radius, radius], nice=False)
    y_scale = alt.Scale(domain=[-radius, radius], nice=False)
    # The level curves go in the specification's top-level datasets, after Altair's
    # validation, which would otherwise check thousands of rows one by one.
    rows = [row for e in FUNCTIONS.values() for row in contour_rows(e)]
    contours = alt.Chart(alt.Data(name="contours")).transform_filter(
        alt.datum.fn == fn_param).mark_line(strokeWidth=1.2, clip=True).encode(
        x=alt.X("x:Q", scale=x_scale, title="x"), y=alt.Y("y:Q", scale=y_scale, title="y"),
        detail="line:N", order="k:Q",
        color=alt.Color("level:Q", scale=alt.Scale(scheme="viridis"), legend=None))
    head = 0.22
    gradient = _arrow_layer(alt, point, (f"{scale} * {fx}", f"{scale} * {fy}"), head,
                            GRADIENT_COLOR, (x_scale, y_scale), 3)
    direction = _arrow_layer(alt, point, (ux, uy), head, DIRECTION_COLOR, (x_scale, y_scale), 2.5)
    dot = alt.Chart(alt.Data(values=[{"k": 0}])).mark_point(
        filled=True, size=60, color=POINT_COLOR, clip=True).encode(
        x=alt.X("px:Q", scale=x_scale), y=alt.Y("py:Q", scale=y_scale)).transform_calculate(
        px="x0", py="y0")
    label = alt.Chart(alt.Data(values=[{"k": 0}])).mark_text(
        align="left", baseline="top", fontSize=12, x=4, y=-34).encode(
        text="t:N").transform_calculate(
        t=(f"'∇f = (' + format({fx}, '.3f') + ', ' + format({fy}, '.3f') + ')   ‖∇f‖ = ' + "
           f"format({norm}, '.3f')"))
    label2 = alt.Chart(alt.Data(values=[{"k": 0}])).mark_text(
        align="left", baseline="top", fontSize=12, x=4, y=-18).encode(
        text="t:N").transform_calculate(
        t=(f"'red: ∇f drawn ×' + {scale} + '    green: u, length 1'"))
    contour_map = alt.layer(contours, gradient, direction, dot, label, label2).properties(
        width=width, height=width, title=alt.Title(
            ["Contour map: the gradient ∇f (red)", "and the direction u (green)"],
            fontSize=12, offset=40))

    # ---- the surface, projected, with the point on it and the arrows on its floor
    frame = [row for e in FUNCTIONS.values() for row in wireframe_rows(e)]
    us = [r["u"] for r in frame]
    vs = [r["v"] for r in frame]
    u_scale = alt.Scale(domain=[min(us) - 0.1, max(us) + 0.1], nice=False, zero=False)
    v_scale = alt.Scale(domain=[min(vs) - 0.1, max(vs) + 0.1], nice=False, zero=False)
    no_axis = dict(axis=None)
    wires = alt.Chart(alt.Data(name="surface")).transform_filter(
        alt.datum.fn == fn_param).mark_line(strokeWidth=0.9, clip=True).encode(
        x=alt.X("u:Q", scale=u_scale, **no_axis), y=alt.Y("v:Q", scale=v_scale, **no_axis),
        detail="line:N", order="k:Q",
        color=alt.Color("part:N", scale=alt.Scale(domain=["surface", "floor"],
                                                  range=["#7fa7c9", COLORS["muted"]]),
                        legend=None))
    on_floor = lambda xe, ye: _project_expressions(xe, ye, None)  # noqa: E731
    start = on_floor("x0", "y0")
    g_tip = on_floor(f"x0 + {scale} * {fx}", f"y0 + {scale} * {fy}")
    u_tip = on_floor(f"x0 + {ux}", f"y0 + {uy}")
    floor_gradient = _arrow_layer(alt, start, (f"{g_tip[0]} - {start[0]}", f"{g_tip[1]} - {start[1]}"),
                                  0.3, GRADIENT_COLOR, (u_scale, v_scale), 2.5)
    floor_direction = _arrow_layer(alt, start, (f"{u_tip[0]} - {start[0]}",
                                                f"{u_tip[1]} - {start[1]}"),
                                   0.3, DIRECTION_COLOR, (u_scale, v_scale), 2)
    f_at_p = _by_function(lambda e: e.expr, ("x0", "y0"))
    top = _project_expressions("x0", "y0", f_at_p)
    drop = alt.Chart(alt.Data(values=[{"k": 0}, {"k": 1}])).mark_line(
        color=POINT_COLOR, strokeDash=[2, 3], strokeWidth=1).encode(
        x=alt.X("pu:Q", scale=u_scale), y=alt.Y("pv:Q", scale=v_scale)).transform_calculate(
        pu=f"datum.k == 0 ? {start[0]} : {top[0]}", pv=f"datum.k == 0 ? {start[1]} : {top[1]}")
    ts_3d = np.round(np.linspace(-1.2, 1.2, 49), 3)
    at_t3 = (f"x0 + datum.t * {ux}", f"y0 + datum.t * {uy}")
    on_surface = _project_expressions(*at_t3, _by_function(lambda e: e.expr, at_t3))
    slice_3d = alt.Chart(alt.Data(values=[{"t": float(t)} for t in ts_3d])).mark_line(
        color=DIRECTION_COLOR, strokeWidth=3, clip=True).encode(
        x=alt.X("pu:Q", scale=u_scale), y=alt.Y("pv:Q", scale=v_scale),
        order="t:Q").transform_filter(
        f"abs(x0 + datum.t * {ux}) <= {radius} && abs(y0 + datum.t * {uy}) <= {radius}"
    ).transform_calculate(pu=on_surface[0], pv=on_surface[1])
    top_dot = alt.Chart(alt.Data(values=[{"k": 0}])).mark_point(
        filled=True, size=60, color=POINT_COLOR).encode(
        x=alt.X("pu:Q", scale=u_scale), y=alt.Y("pv:Q", scale=v_scale)).transform_calculate(
        pu=top[0], pv=top[1])
    surface_panel = alt.layer(wires, floor_gradient, floor_direction, drop, slice_3d,
                              top_dot).properties(
        width=width, height=int(width * 0.8), title=alt.Title(
            ["The surface, the point on it and its slice along u;",
             "∇f and u are drawn on the floor, the input plane"], fontSize=12, offset=8))

    # ---- panel 2: the slice of the surface along u, with its tangent
    ts = np.round(np.linspace(-1.5, 1.5, 61), 3)
    at_t = (f"x0 + datum.t * {ux}", f"y0 + datum.t * {uy}")
    f_on_slice = _by_function(lambda e: e.expr, at_t)
    f_at_point = _by_function(lambda e: e.expr, point)
    slice_data = alt.Chart(alt.Data(values=[{"t": float(t)} for t in ts]))
    t_axis = alt.X("t:Q", title="t (step along u)", scale=alt.Scale(domain=[-1.5, 1.5], nice=False))
    slice_curve = slice_data.mark_line(color=COLORS["f"], strokeWidth=2.2).encode(
        x=t_axis, y=alt.Y("g:Q", title="g(t) = f(p + t·u)")).transform_calculate(g=f_on_slice)
    tangent = slice_data.mark_line(color=DIRECTION_COLOR, strokeDash=[6, 4], strokeWidth=2).encode(
        x=t_axis, y="tan:Q").transform_filter("abs(datum.t) <= 0.6").transform_calculate(
        tan=f"{f_at_point} + {rate} * datum.t")
    slice_dot = alt.Chart(alt.Data(values=[{"t": 0.0}])).mark_point(
        filled=True, size=60, color=POINT_COLOR).encode(x=t_axis, y="g:Q").transform_calculate(
        g=f_at_point)
    slice_label = alt.Chart(alt.Data(values=[{"k": 0}])).mark_text(
        align="left", baseline="top", fontSize=12, x=4, y=-18).encode(
        text="t:N").transform_calculate(
        t=f"'slope at t = 0 (dashed): D_u f = ' + format({rate}, '.3f')")
    slice_panel = alt.layer(slice_curve, tangent, slice_dot, slice_label).properties(
        width=width, height=170, title=alt.Title(
            "The surface sliced along u, through the point p = (x₀, y₀)", fontSize=12, offset=24))

    # ---- panel 3: D_u f against θ
    angles = alt.Chart(alt.Data(values=[{"a": float(a)} for a in np.arange(0, 361, 3)]))
    a_axis = alt.X("a:Q", title="θ (degrees)", scale=alt.Scale(domain=[0, 360], nice=False),
                   axis=alt.Axis(values=[0, 90, 180, 270, 360]))
    curve = angles.mark_line(color=COLORS["f"], strokeWidth=2).encode(
        x=a_axis, y=alt.Y("r:Q", title="D_u f = ∇f·u")).transform_calculate(
        r=f"{fx} * cos(datum.a * PI / 180) + {fy} * sin(datum.a * PI / 180)")
    peak = alt.Chart(alt.Data(values=[{"k": 0}])).mark_rule(
        color=GRADIENT_COLOR, strokeDash=[5, 4]).encode(x=alt.X("a:Q", scale=alt.Scale(
            domain=[0, 360], nice=False))).transform_calculate(
        a=f"(atan2({fy}, {fx}) * 180 / PI + 360) % 360")
    marker = alt.Chart(alt.Data(values=[{"k": 0}])).mark_point(
        filled=True, size=90, color=DIRECTION_COLOR).encode(
        x=alt.X("a:Q", scale=alt.Scale(domain=[0, 360], nice=False)), y="r:Q").transform_calculate(
        a="theta", r=rate)
    rate_label = alt.Chart(alt.Data(values=[{"k": 0}])).mark_text(
        align="left", baseline="top", fontSize=12, x=4, y=-18).encode(
        text="t:N").transform_calculate(
        t=(f"'θ = ' + theta + '°: D_u f = ' + format({rate}, '.3f') + "
           f"'   peak (dashed) at ' + format((atan2({fy}, {fx}) * 180 / PI + 360) % 360, '.0f') + '°'"))
    rate_panel = alt.layer(curve, peak, marker, rate_label).properties(
        width=width, height=170, title=alt.Title(
            "D_u f against the angle θ of u: a cosine", fontSize=12, offset=24))

    chart = alt.vconcat(contour_map, surface_panel, slice_panel, rate_panel, spacing=28).add_params(
        fn_param, x0_param, y0_param, angle_param).configure_axis(
        labelFontSize=11, titleFontSize=12).configure_view(stroke=None)
    spec = chart.to_dict()
    spec.setdefault("datasets", {})["contours"] = rows
    spec["datasets"]["surface"] = frame
    return vega(spec, "Contour map of f(x, y) with a point, the gradient and a direction u; "
                       "the slice of the surface along u; and the directional derivative "
                       "against the angle of u. Controls choose f, move the point and turn u.")
