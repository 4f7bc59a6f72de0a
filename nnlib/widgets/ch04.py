"""Chapter 4, Matrices: its figures and widgets, with their logic in plain, tested functions.

Import on demand (``from nnlib.widgets import ch04``): it needs matplotlib and ipywidgets,
which ``import nnlib`` alone never loads.

The idea the reader moves is a 2×2 matrix M = [[a, b], [c, d]] acting on the plane: it sends
the first basis vector e₁ = (1, 0) to its first column (a, c), the second e₂ = (0, 1) to its
second column (b, d), every grid line to a straight line, and the unit square to a
parallelogram whose signed area is det M = a·d - b·c.  It comes twice, drawing the same
picture from ``matrix_picture``:

* live, for Jupyter and Binder: ``matrix_widget`` (a ``LiveFigure`` with four sliders);
* kernel-free, for the static website: ``matrix_vega`` (four sliders; the page applies the
  matrix to the grid with Vega expressions, so no Python runs).
"""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..plot import COLORS, new_axes, style_axes

#: the four entries of M = [[a, b], [c, d]], in reading order
ENTRIES = ("a", "b", "c", "d")
ENTRY_RANGE = (-2.0, 2.0)
ENTRY_STEP = 0.1
GRID_EXTENT = 3          # grid lines at -3, -2, ..., 3 before the matrix acts
VIEW = 4.0               # both axes show [-VIEW, VIEW]
BASIS_COLORS = {"e1": COLORS["derivative"], "e2": COLORS["tangent"]}
SQUARE_COLOR = COLORS["secant"]     # the unit square's image, orientation kept
FLIPPED_COLOR = "#7d3c98"           # ... and flipped (det M < 0)


def square_color(det: float) -> str:
    """The fill of the unit square's image: orange when det M >= 0, purple when flipped."""
    return FLIPPED_COLOR if det < 0 else SQUARE_COLOR


def as_matrix(a: float, b: float, c: float, d: float) -> np.ndarray:
    """The 2×2 matrix [[a, b], [c, d]]: a, b are its first row, c, d its second."""
    return np.array([[a, b], [c, d]], dtype=float)


def apply(M, points) -> np.ndarray:
    """M applied to each point: ``points`` (n, 2), one point per row -> (n, 2).

    Row i of the result is (M pᵢ)ᵀ = pᵢᵀ Mᵀ, so all points at once are ``points @ M.T``:
    the book's batch convention Y = X Wᵀ.
    """
    return np.asarray(points, dtype=float) @ np.asarray(M, dtype=float).T


def grid_lines(extent: int = GRID_EXTENT, n: int = 2) -> list[np.ndarray]:
    """The lines x = k and y = k for k = -extent..extent, each as an (n, 2) array of points.

    Two points per line are enough: a matrix maps straight lines to straight lines.
    """
    t = np.linspace(-extent, extent, n)
    lines = []
    for k in range(-extent, extent + 1):
        lines.append(np.column_stack([np.full(n, k, dtype=float), t]))   # vertical, x = k
        lines.append(np.column_stack([t, np.full(n, k, dtype=float)]))   # horizontal, y = k
    return lines


UNIT_SQUARE = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)


def shoelace_area(polygon) -> float:
    """Signed area of a closed polygon (first point repeated last), positive when its
    corners run anticlockwise: ½ Σ (xᵢ yᵢ₊₁ - xᵢ₊₁ yᵢ)."""
    p = np.asarray(polygon, dtype=float)
    return 0.5 * float(np.sum(p[:-1, 0] * p[1:, 1] - p[1:, 0] * p[:-1, 1]))


def orientation(det: float, tol: float = 1e-12) -> str:
    """'kept' (det > 0), 'flipped' (det < 0) or 'collapsed' (det = 0: the plane is squashed
    onto a line or a point)."""
    if abs(det) <= tol:
        return "collapsed"
    return "kept" if det > 0 else "flipped"


def caption(det: float) -> str:
    """The sentence under the picture: the determinant as a signed area."""
    how = {"kept": "orientation kept",
           "flipped": "orientation flipped (e₁ and e₂ swap sides)",
           "collapsed": "the square is squashed flat: M has no inverse"}[orientation(det)]
    return f"det M = ad − bc = {det:+.2f}: area of the image of the unit square {abs(det):.2f}, {how}"


def matrix_picture(a: float, b: float, c: float, d: float) -> dict:
    """Everything the widgets draw for M = [[a, b], [c, d]].

    Keys: ``M`` (2, 2); ``e1``, ``e2`` (2,): the images of the basis vectors, M's columns;
    ``square`` (5, 2): the image of the unit square, closed; ``grid``: the images of the grid
    lines (list of (2, 2)); ``det`` = ad - bc; ``area`` = |det|, the shoelace area of
    ``square``; ``orientation``; ``caption``.
    """
    M = as_matrix(a, b, c, d)
    square = apply(M, UNIT_SQUARE)
    det = float(a * d - b * c)
    return {
        "M": M,
        "e1": apply(M, [[1.0, 0.0]])[0],
        "e2": apply(M, [[0.0, 1.0]])[0],
        "square": square,
        "grid": [apply(M, line) for line in grid_lines()],
        "det": det,
        "area": abs(shoelace_area(square)),
        "orientation": orientation(det),
        "caption": caption(det),
    }


def draw_matrix(fig, a: float, b: float, c: float, d: float) -> dict:
    """Redraw ``fig``: the grid before (faint) and after M, the image of the unit square
    (filled, orange, or purple when det M < 0 flips it; its signed area is det M) and the
    images of e₁ and e₂ (arrows).
    Returns ``matrix_picture(a, b, c, d)``."""
    data = matrix_picture(a, b, c, d)
    fig.clear()
    ax = style_axes(fig.add_subplot())
    ax.grid(False)
    for line in grid_lines():
        ax.plot(line[:, 0], line[:, 1], color="#e3e7eb", lw=0.8, zorder=0)
    for line in data["grid"]:
        ax.plot(line[:, 0], line[:, 1], color=COLORS["muted"], lw=0.8, zorder=1, gid="grid")
    square = data["square"]
    color = square_color(data["det"])
    ax.fill(square[:, 0], square[:, 1], color=color, alpha=0.35, zorder=2, gid="square")
    ax.plot(square[:, 0], square[:, 1], color=color, lw=1.5, zorder=2)
    for name, label in (("e1", "$M e_1$ = column 1"), ("e2", "$M e_2$ = column 2")):
        tip = data[name]
        ax.annotate("", xy=tip, xytext=(0, 0), zorder=3,
                    arrowprops=dict(arrowstyle="-|>", color=BASIS_COLORS[name], lw=2.2))
        ax.plot([0, tip[0]], [0, tip[1]], color=BASIS_COLORS[name], lw=0, gid=name)
    ax.set(xlim=(-VIEW, VIEW), ylim=(-VIEW, VIEW), aspect="equal")
    ax.legend([Line2D([], [], color=BASIS_COLORS[n], lw=2.2) for n in ("e1", "e2")],
              ["$M e_1$ = column 1", "$M e_2$ = column 2"], loc="upper left", fontsize=9,
              frameon=True, framealpha=0.9)
    ax.set_title(f"M = [[{a:.1f}, {b:.1f}], [{c:.1f}, {d:.1f}]],  det M = {data['det']:+.2f}",
                 fontsize=10)
    return data


def matrix_widget(a: float = 1.0, b: float = 0.5, c: float = 0.0, d: float = 1.0):
    """Live widget: four sliders for the entries of M = [[a, b], [c, d]] and the picture of
    ``draw_matrix``.  ``w.controls['a']`` ... are the sliders; ``w.data`` is what is drawn."""
    import ipywidgets as widgets

    from . import LiveFigure

    start = dict(a=a, b=b, c=c, d=d)
    controls = {name: widgets.FloatSlider(
        value=start[name], min=ENTRY_RANGE[0], max=ENTRY_RANGE[1], step=ENTRY_STEP,
        description=name, continuous_update=True, readout_format=".1f") for name in ENTRIES}
    return LiveFigure(draw_matrix, controls, figsize=(5.2, 5.2))


def plot_columns(M, v, ax=None):
    """The column picture of M v for a 2×2 matrix: v₁·(column 1) then v₂·(column 2), tip to
    tail, arriving at M v.  Returns the axes."""
    M, v = np.asarray(M, dtype=float), np.asarray(v, dtype=float)
    if ax is None:
        _, ax = new_axes(figsize=(4.6, 4.2))
    first = v[0] * M[:, 0]
    result = M @ v
    arrows = [((0, 0), M[:, 0], BASIS_COLORS["e1"], "column 1", 1.0),
              ((0, 0), M[:, 1], BASIS_COLORS["e2"], "column 2", 1.0),
              ((0, 0), first, BASIS_COLORS["e1"], f"{v[0]:g} × column 1", 0.45),
              (first, result, BASIS_COLORS["e2"], f"{v[1]:g} × column 2", 0.45),
              ((0, 0), result, COLORS["f"], "$M v$", 1.0)]
    for start, end, color, label, alpha in arrows:
        ax.annotate("", xy=end, xytext=start, arrowprops=dict(
            arrowstyle="-|>", color=color, lw=2.0, alpha=alpha,
            linestyle="--" if alpha < 1 else "-"))
        ax.plot([start[0], end[0]], [start[1], end[1]], lw=0, color=color, label=label,
                gid=label)
    points = np.array([(0, 0), M[:, 0], M[:, 1], first, result])
    low, high = points.min(axis=0) - 0.6, points.max(axis=0) + 0.6
    ax.set(xlim=(low[0], high[0]), ylim=(low[1], high[1]), aspect="equal")
    handles = [Line2D([], [], color=c, lw=2, alpha=al, linestyle="--" if al < 1 else "-")
               for _, _, c, _, al in arrows]
    ax.legend(handles, [lab for *_, lab, _ in arrows], fontsize=9, frameon=False,
              loc="best")
    return ax


def determinant_pieces(a: float, b: float, c: float, d: float) -> dict:
    """The box-minus-corners picture of det M = ad - bc, for a, b, c, d > 0 with (b, d) to the
    upper left of (a, c): the parallelogram 0, (a, c), (a + b, c + d), (b, d) inside the box
    [0, a + b] × [0, c + d], and the six corner pieces (closed polygons) that fill the rest of
    the box: two triangles of area ac/2, two of area bd/2, two rectangles of area bc."""
    return {
        "box": np.array([[0, 0], [a + b, 0], [a + b, c + d], [0, c + d], [0, 0]], dtype=float),
        "parallelogram": np.array([[0, 0], [a, c], [a + b, c + d], [b, d], [0, 0]], dtype=float),
        "triangles ac/2": [np.array([[0, 0], [a, 0], [a, c], [0, 0]], dtype=float),
                           np.array([[b, d], [b, c + d], [a + b, c + d], [b, d]], dtype=float)],
        "triangles bd/2": [np.array([[0, 0], [b, d], [0, d], [0, 0]], dtype=float),
                           np.array([[a, c], [a + b, c], [a + b, c + d], [a, c]], dtype=float)],
        "rectangles bc": [np.array([[a, 0], [a + b, 0], [a + b, c], [a, c], [a, 0]], dtype=float),
                          np.array([[0, d], [b, d], [b, c + d], [0, c + d], [0, d]],
                                   dtype=float)],
    }


def plot_determinant_box(a: float = 2.0, b: float = 0.8, c: float = 0.6, d: float = 1.6,
                         ax=None):
    """Draw ``determinant_pieces``: the parallelogram (orange) and the corner pieces that,
    taken from the box, leave it.  Returns the axes."""
    if ax is None:
        _, ax = new_axes(figsize=(4.6, 4.0))
    pieces = determinant_pieces(a, b, c, d)
    styles = {"triangles ac/2": ("#d6e4f0", "triangles, area $ac/2$"),
              "triangles bd/2": ("#dcefe3", "triangles, area $bd/2$"),
              "rectangles bc": ("#e9e3f1", "rectangles, area $bc$")}
    for key, (color, label) in styles.items():
        for i, polygon in enumerate(pieces[key]):
            ax.fill(polygon[:, 0], polygon[:, 1], color=color, ec="white", lw=1.5,
                    label=label if i == 0 else None, gid=key)
    shape = pieces["parallelogram"]
    ax.fill(shape[:, 0], shape[:, 1], color=SQUARE_COLOR, alpha=0.55, ec=SQUARE_COLOR,
            lw=1.5, label="parallelogram, area $ad - bc$", gid="parallelogram")
    box = pieces["box"]
    ax.plot(box[:, 0], box[:, 1], color=COLORS["muted"], lw=1)
    for (x, y), text in [((a, c), "$(a, c)$"), ((b, d), "$(b, d)$")]:
        ax.annotate(text, (x, y), xytext=(4, -12 if text == "$(a, c)$" else 4),
                    textcoords="offset points", fontsize=10)
    ax.set(xlim=(-0.1, a + b + 0.6), ylim=(-0.1, c + d + 1.1), aspect="equal")
    ax.legend(loc="upper left", fontsize=9, frameon=False, ncols=2)
    return ax


def matrix_vega(a: float = 1.0, b: float = 0.5, c: float = 0.0, d: float = 1.0,
                size: int = 300):
    """Kernel-free version of ``matrix_widget``: four sliders a, b, c, d drawn in the browser.

    Python sends the grid lines, the unit square (filled by a hatch of 21 segments) and the
    basis vectors *before* the matrix acts; the page computes every image point as
    (a x + b y, c x + d y) and the caption det M = a d - b c with Vega expressions.  The
    plot is a fixed ``size`` × ``size`` pixels, so the square looks square (equal scales)
    and still fits a phone.  Returns ``nnlib.widgets.VegaWidget``.
    """
    import altair as alt

    from . import vega

    start = dict(a=a, b=b, c=c, d=d)
    params = [alt.param(name=name, value=float(start[name]), bind=alt.binding_range(
        min=ENTRY_RANGE[0], max=ENTRY_RANGE[1], step=ENTRY_STEP, name=f"{name} "))
        for name in ENTRIES]
    scale = alt.Scale(domain=[-VIEW, VIEW], nice=False)
    image = dict(X="a * datum.x + b * datum.y", Y="c * datum.x + d * datum.y")

    def segments(rows):
        """(x, y, line id, order) rows drawn as one line per id, after the matrix acts."""
        return alt.Chart(alt.Data(values=rows)).transform_calculate(**image)

    def encode(chart, **extra):
        return chart.encode(x=alt.X("X:Q", scale=scale, title=None),
                            y=alt.Y("Y:Q", scale=scale, title=None),
                            detail="line:N", order="k:Q", **extra)

    grid_rows = [{"x": float(p[0]), "y": float(p[1]), "line": i, "k": j}
                 for i, line in enumerate(grid_lines()) for j, p in enumerate(line)]
    hatch = np.linspace(0, 1, 21)
    hatch_rows = [{"x": float(x0), "y": float(s), "line": i, "k": x0}
                  for i, s in enumerate(hatch) for x0 in (0.0, 1.0)]
    outline_rows = [{"x": float(p[0]), "y": float(p[1]), "line": 0, "k": j}
                    for j, p in enumerate(UNIT_SQUARE)]
    basis_rows = [{"x": 0.0, "y": 0.0, "line": name, "k": 0} for name in ("e1", "e2")] + [
        {"x": 1.0, "y": 0.0, "line": "e1", "k": 1}, {"x": 0.0, "y": 1.0, "line": "e2", "k": 1}]
    basis_color = alt.Color("line:N", scale=alt.Scale(
        domain=["e1", "e2"], range=[BASIS_COLORS["e1"], BASIS_COLORS["e2"]]), legend=None)

    grid = encode(segments(grid_rows).mark_line(color=COLORS["muted"], strokeWidth=0.8,
                                                clip=True))
    # The square's colour follows the sign of det M, as in draw_matrix.
    by_sign = alt.condition("a * d - b * c < 0", alt.value(FLIPPED_COLOR), alt.value(SQUARE_COLOR))
    fill = encode(segments(hatch_rows).mark_line(strokeWidth=2.5, opacity=0.35, clip=True),
                  color=by_sign)
    outline = encode(segments(outline_rows).mark_line(strokeWidth=1.5, clip=True),
                     color=by_sign)
    arrows = encode(segments(basis_rows).mark_line(strokeWidth=3, clip=True),
                    color=basis_color)
    tips = segments([r for r in basis_rows if r["k"] == 1]).transform_calculate(
        label="datum.line == 'e1' ? 'Me₁ = (a, c)' : 'Me₂ = (b, d)'")
    tip_points = tips.mark_point(filled=True, size=60, opacity=1, clip=True).encode(
        x=alt.X("X:Q", scale=scale), y=alt.Y("Y:Q", scale=scale), color=basis_color)
    tip_labels = tips.mark_text(align="left", dx=6, dy=-8, fontSize=12, clip=True).encode(
        x=alt.X("X:Q", scale=scale), y=alt.Y("Y:Q", scale=scale), text="label:N",
        color=basis_color)
    text = alt.Chart(alt.Data(values=[{"p": 0}])).transform_calculate(
        det="a * d - b * c").transform_calculate(
        caption=("'det M = ad − bc = ' + format(datum.det, '+.2f') + (abs(datum.det) < 1e-9 "
                 "? '  (squashed flat)' : datum.det < 0 ? '  (flipped)' : '')")).mark_text(
        align="left", baseline="top", fontSize=12, x=2, y=-20).encode(text="caption:N")
    chart = alt.layer(grid, fill, outline, arrows, tip_points, tip_labels, text).add_params(
        *params).properties(width=size, height=size)
    return vega(chart, "The unit square, the grid and the basis vectors e1, e2 after the "
                       "matrix [[a, b], [c, d]]; four sliders set a, b, c and d, and the "
                       "caption shows the determinant ad - bc, the signed area of the square's "
                       "image")
