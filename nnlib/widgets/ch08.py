"""Chapter 8, Convolutional networks: its figures and widgets, logic in plain, tested functions.

Import on demand (``from nnlib.widgets import ch08``): it needs matplotlib, ipywidgets and
altair, which ``import nnlib`` alone never loads.

Two ideas the reader can move, each twice (live in Jupyter, kernel-free on the website):

* a 3x3 kernel sliding over a small digit: ``kernel_slide_data`` computes the patch under
  the kernel, the nine products and the output pixel they write, ``draw_kernel_slide``
  draws them, ``kernel_slide_widget`` (live) and ``kernel_slide_vega`` (kernel-free) add
  the controls: the position, a preset kernel and the reader's own changes to its entries;
* the output size of a layer: ``output_size`` and ``output_size_report`` compute
  ⌊(n + 2p - k)/s⌋ + 1 and flag invalid settings, ``draw_output_size`` draws every window
  position over the padded input, ``output_size_widget`` and ``output_size_vega`` move
  n, k, p and s.
"""
from __future__ import annotations

import functools

import numpy as np

from ..plot import COLORS

# --------------------------------------------------------------------------- kernels

#: The preset kernels of the sliding-kernel widget, in the order of its menu.
KERNELS = {
    "vertical edge": np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]),
    "horizontal edge": np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]),
    "blur": np.full((3, 3), 1.0 / 9.0),
    "sharpen": np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
    "identity": np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
    "your own (all 0)": np.zeros((3, 3)),
}
PRESETS = list(KERNELS)
ENTRY_NAMES = [f"k{u}{v}" for u in range(3) for v in range(3)]  # k00 ... k22, reading order


def correlate_valid(image, kernel):
    """Valid 2-D cross-correlation  y[i, j] = Σ_u Σ_v kernel[u, v] · image[i + u, j + v].

    image (H, W), kernel (kh, kw) -> (H - kh + 1, W - kw + 1).  One product per kernel
    entry over the whole image: the loop runs over the kh·kw offsets only.
    """
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    kh, kw = kernel.shape
    Ho, Wo = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    if Ho < 1 or Wo < 1:
        raise ValueError(f"the kernel {kernel.shape} does not fit in the image {image.shape}")
    out = np.zeros((Ho, Wo))
    for u in range(kh):
        for v in range(kw):
            out += kernel[u, v] * image[u:u + Ho, v:v + Wo]
    return out


def kernel_of(preset: str, entries=None) -> np.ndarray:
    """The widget's kernel: the preset plus the reader's changes ``entries`` (9 numbers or 3x3)."""
    if preset not in KERNELS:
        raise ValueError(f"unknown kernel {preset!r}; choose one of {PRESETS}")
    extra = np.zeros((3, 3)) if entries is None else np.asarray(entries, float).reshape(3, 3)
    return KERNELS[preset] + extra


def small_digit(index: int = 0, size: int = 14, path=None) -> np.ndarray:
    """MNIST training digit ``index`` shrunk to size x size by averaging blocks (28 / size)."""
    from ..data import load_mnist

    (images, _), _ = load_mnist(subset=index + 1, dtype=np.float64, path=path)
    block = 28 // size
    if block * size != 28:
        raise ValueError(f"size must divide 28, got {size}")
    return images[index, 0].reshape(size, block, size, block).mean(axis=(1, 3))


def kernel_slide_data(image, kernel, row: int, col: int) -> dict:
    """What the sliding-kernel widget shows with the kernel's top-left corner at (row, col).

    ``patch`` (the 3x3 pixels under the kernel), ``products`` (kernel ⊙ patch), ``value``
    (their sum: the output pixel being written), ``feature_map`` (the whole valid output),
    ``written`` (True for the output pixels written so far, in reading order) and a
    ``caption``.
    """
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    feature_map = correlate_valid(image, kernel)
    Ho, Wo = feature_map.shape
    if not (0 <= row < Ho and 0 <= col < Wo):
        raise ValueError(f"position ({row}, {col}) is outside the {Ho}x{Wo} output")
    kh, kw = kernel.shape
    patch = image[row:row + kh, col:col + kw]
    products = kernel * patch
    order = np.arange(Ho * Wo).reshape(Ho, Wo)
    value = float(products.sum())
    caption = (f"output[{row}, {col}] = sum of the {kh * kw} products = {value:.3f}   "
               f"(feature map {Ho}x{Wo} from a {image.shape[0]}x{image.shape[1]} image)")
    return dict(patch=patch, products=products, value=value, feature_map=feature_map,
                written=order <= row * Wo + col, caption=caption)


def _symmetric_limit(values) -> float:
    top = float(np.max(np.abs(values)))
    return top if top > 0 else 1.0


def draw_kernel_slide(fig, image, row: int, col: int, preset: str, **entries) -> dict:
    """Draw the digit with the patch outlined, the feature map written so far, and the products.

    ``entries`` are the reader's changes k00 ... k22 (default 0) added to the preset kernel.
    Returns ``kernel_slide_data``'s dict plus the ``kernel``.
    """
    from matplotlib.patches import Rectangle

    kernel = kernel_of(preset, [entries.get(name, 0.0) for name in ENTRY_NAMES])
    data = kernel_slide_data(image, kernel, row, col)
    grid = fig.add_gridspec(2, 2, height_ratios=[1, 1])
    ax_in, ax_out = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    ax_prod = fig.add_subplot(grid[1, :])
    ax_in.imshow(image, cmap="gray_r", vmin=0, vmax=max(1.0, float(np.max(image))))
    ax_in.add_patch(Rectangle((col - 0.5, row - 0.5), 3, 3, fill=False, lw=2.5,
                              edgecolor=COLORS["secant"]))
    ax_in.set_title("input: the patch under the kernel", fontsize=10)
    shown = np.where(data["written"], data["feature_map"], np.nan)
    limit = _symmetric_limit(data["feature_map"])
    ax_out.imshow(shown, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax_out.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, lw=2.5,
                               edgecolor=COLORS["secant"]))
    ax_out.set_title("feature map, written so far", fontsize=10)
    for ax in (ax_in, ax_out):
        ax.set_xticks([]), ax.set_yticks([])
    plimit = _symmetric_limit(data["products"])
    ax_prod.imshow(data["products"], cmap="RdBu_r", vmin=-plimit, vmax=plimit)
    for u in range(3):
        for v in range(3):
            dark = abs(data["products"][u, v]) > 0.6 * plimit   # white text on dark cells
            ax_prod.text(v, u, f"{kernel[u, v]:.2g} × {data['patch'][u, v]:.2f}\n"
                               f"= {data['products'][u, v]:.2f}",
                         ha="center", va="center", fontsize=10,
                         color="white" if dark else "black")
    ax_prod.set_xticks([]), ax_prod.set_yticks([])
    ax_prod.set_title(f"kernel × patch, entry by entry: the sum {data['value']:.3f} is "
                      f"output[{row}, {col}]", fontsize=10)
    data["kernel"] = kernel
    return data


def kernel_slide_widget(image, preset: str = "vertical edge"):
    """Live version: sliders for the position (row, col), a menu of presets, and 9 sliders
    that add the reader's own changes to the kernel's entries."""
    import ipywidgets as widgets

    from . import LiveFigure

    Ho, Wo = image.shape[0] - 2, image.shape[1] - 2
    controls = {
        "row": widgets.IntSlider(value=Ho - 1, min=0, max=Ho - 1, description="row"),
        "col": widgets.IntSlider(value=Wo - 1, min=0, max=Wo - 1, description="column"),
        "preset": widgets.Dropdown(options=PRESETS, value=preset, description="kernel"),
    }
    for name in ENTRY_NAMES:
        controls[name] = widgets.FloatSlider(value=0.0, min=-2.0, max=2.0, step=0.25,
                                             description=f"+ {name}")
    draw = functools.partial(draw_kernel_slide, image=image)
    draw.__name__ = "draw_kernel_slide"
    return LiveFigure(lambda fig, **values: draw(fig, **values), controls, figsize=(6.4, 6.4))


def _vega_array(values) -> str:
    return "[" + ",".join(f"{float(v):.6g}" for v in np.ravel(values)) + "]"


def kernel_slide_vega(image, preset: str = "vertical edge"):
    """Kernel-free version of the sliding kernel, every control of the live one.

    Python sends the image and, for each output pixel, the 9 pixels under the kernel; the
    page multiplies them by the kernel chosen with the controls (preset + the reader's
    changes), sums them into the feature map and outlines the patch and the output pixel.
    """
    import altair as alt

    from . import vega

    image = np.asarray(image, float)
    H, W = image.shape
    Ho, Wo = H - 2, W - 2
    pixels = [{"r": r, "c": c, "x": round(float(image[r, c]), 4)}
              for r in range(H) for c in range(W)]
    windows = [{"i": i, "j": j, "u": u, "v": v, "x": round(float(image[i + u, j + v]), 4)}
               for i in range(Ho) for j in range(Wo) for u in range(3) for v in range(3)]

    row = alt.param(name="row", value=Ho - 1, bind=alt.binding_range(
        min=0, max=Ho - 1, step=1, name="row "))
    col = alt.param(name="col", value=Wo - 1, bind=alt.binding_range(
        min=0, max=Wo - 1, step=1, name="column "))
    menu = alt.param(name="preset", value=PRESETS.index(preset), bind=alt.binding_select(
        options=list(range(len(PRESETS))), labels=PRESETS, name="kernel "))
    entries = [alt.param(name=name, value=0.0, bind=alt.binding_range(
        min=-2, max=2, step=0.25, name=f"+ {name} ")) for name in ENTRY_NAMES]
    presets = "[" + ",".join(_vega_array(KERNELS[p]) for p in PRESETS) + "]"
    own = "[" + ",".join(ENTRY_NAMES) + "]"
    k_expr = (f"{presets}[preset][datum.u * 3 + datum.v] + {own}[datum.u * 3 + datum.v]")

    side = 150
    SYMMETRIC = alt.Scale(scheme="redblue", reverse=True, domain=[-1, 1])
    q = dict(axis=None)
    # The input digit, rows downwards, with the patch under the kernel outlined.
    digit = alt.Chart(alt.Data(name="pixels")).mark_rect().encode(
        x=alt.X("c:Q", scale=alt.Scale(domain=[0, W]), **q), x2="c1:Q",
        y=alt.Y("r:Q", scale=alt.Scale(domain=[H, 0]), **q), y2="r1:Q",
        color=alt.Color("x:Q", scale=alt.Scale(scheme="greys", domain=[0, 1]), legend=None),
    ).transform_calculate(c1="datum.c + 1", r1="datum.r + 1")
    one = alt.Chart(alt.Data(values=[{"p": 0}]))
    patch = one.mark_rect(fill=None, stroke=COLORS["secant"], strokeWidth=3).encode(
        x="x0:Q", x2="x1:Q", y="y0:Q", y2="y1:Q").transform_calculate(
        x0="col", x1="col + 3", y0="row", y1="row + 3")
    left = alt.layer(digit, patch).properties(width=side, height=side,
                                              title="input and the patch")

    sums = alt.Chart(alt.Data(name="windows")).transform_calculate(
        k=k_expr).transform_calculate(prod="datum.k * datum.x")
    # Colours on a symmetric scale, -1 to 1 of the largest |value| of the whole map, so
    # that 0 is white whatever the kernel.
    fmap = sums.transform_aggregate(y="sum(prod)", groupby=["i", "j"]).transform_calculate(
        size="abs(datum.y)").transform_joinaggregate(top="max(size)").transform_calculate(
        shade="datum.y / max(datum.top, 1e-9)",
        written=f"datum.i * {Wo} + datum.j <= row * {Wo} + col",
        j1="datum.j + 1", i1="datum.i + 1").transform_filter("datum.written")
    fmap_rect = fmap.mark_rect().encode(
        x=alt.X("j:Q", scale=alt.Scale(domain=[0, Wo]), **q), x2="j1:Q",
        y=alt.Y("i:Q", scale=alt.Scale(domain=[Ho, 0]), **q), y2="i1:Q",
        color=alt.Color("shade:Q", scale=SYMMETRIC, legend=None))
    pixel = one.mark_rect(fill=None, stroke=COLORS["secant"], strokeWidth=3).encode(
        x="x0:Q", x2="x1:Q", y="y0:Q", y2="y1:Q").transform_calculate(
        x0="col", x1="col + 1", y0="row", y1="row + 1")
    right = alt.layer(fmap_rect, pixel).properties(width=side, height=side,
                                                   title="feature map so far")

    here = sums.transform_filter("datum.i == row && datum.j == col").transform_calculate(
        v1="datum.v + 1", u1="datum.u + 1",
        line1="format(datum.k, '.3~g') + ' × ' + format(datum.x, '.2f')",
        line2="'= ' + format(datum.prod, '.2f')", size="abs(datum.prod)").transform_joinaggregate(
        largest="max(size)").transform_calculate(shade="datum.prod / max(datum.largest, 1e-9)")
    cells = here.mark_rect(stroke="white").encode(
        x=alt.X("v:Q", scale=alt.Scale(domain=[0, 3]), **q), x2="v1:Q",
        y=alt.Y("u:Q", scale=alt.Scale(domain=[3, 0]), **q), y2="u1:Q",
        color=alt.Color("shade:Q", scale=SYMMETRIC, legend=None))
    text_at = dict(x=alt.X("vc:Q", scale=alt.Scale(domain=[0, 3])),
                   y=alt.Y("uc:Q", scale=alt.Scale(domain=[3, 0])))
    ink = alt.condition("datum.size > 0.6 * datum.largest", alt.value("white"),
                        alt.value("black"))  # white text on the darkest cells
    texts = [here.transform_calculate(vc="datum.v + 0.5", uc=f"datum.u + {dy}").mark_text(
        fontSize=12).encode(text=f"{name}:N", color=ink, **text_at)
        for name, dy in (("line1", 0.38), ("line2", 0.66))]
    total = sums.transform_filter("datum.i == row && datum.j == col").transform_aggregate(
        y="sum(prod)").transform_calculate(
        caption="'output[' + row + ', ' + col + '] = sum = ' + format(datum.y, '.3f')"
    ).mark_text(fontSize=13, align="left", x=0, y=-10).encode(text="caption:N")
    products = alt.layer(cells, *texts, total).properties(
        width=2 * side + 20, height=int(1.4 * side), title="kernel × patch, entry by entry")

    top = alt.hconcat(left, right, spacing=12).resolve_scale(color="independent")
    chart = alt.vconcat(top, products).resolve_scale(color="independent").add_params(
        row, col, menu, *entries).configure_view(stroke=None).configure_title(fontSize=12)
    # The data go in once, by name, after Altair has built the chart: it would copy inline
    # values into every panel that uses them (seconds of work for 1,300 rows).
    spec = chart.to_dict()
    spec["datasets"] = {"pixels": pixels, "windows": windows}
    return vega(spec, "A 3 by 3 kernel slides over a small handwritten digit: sliders choose "
                       "the position and change the kernel's entries, a menu chooses a preset; "
                       "the patch, the nine products and the feature map are redrawn")


# ----------------------------------------------------------------------- output size

def output_size(n: int, k: int, p: int = 0, s: int = 1) -> int:
    """Number of positions of a k-wide window on n inputs padded with p zeros on each side,
    moved s at a time: ⌊(n + 2p - k)/s⌋ + 1, or 0 when the window does not fit (n + 2p < k)."""
    n, k, p, s = int(n), int(k), int(p), int(s)
    if n < 1 or k < 1 or p < 0 or s < 1:
        raise ValueError(f"need n >= 1, k >= 1, p >= 0, s >= 1; got n={n}, k={k}, p={p}, s={s}")
    if n + 2 * p < k:
        return 0
    return (n + 2 * p - k) // s + 1


def output_size_report(n: int, k: int, p: int = 0, s: int = 1) -> dict:
    """``output_size`` with what the widget shows: ``starts`` of the windows (in padded
    coordinates), ``unused`` (input pixels no window covers), ``problem`` ('' when all is
    well) and a ``caption``."""
    size = output_size(n, k, p, s)
    starts = [j * s for j in range(size)]
    covered = np.zeros(n + 2 * p, dtype=bool)
    for start in starts:
        covered[start:start + k] = True
    unused = [i - p for i in range(p, n + p) if not covered[i]]
    if size == 0:
        problem = (f"invalid: the kernel ({k}) is wider than the padded input "
                   f"(n + 2p = {n + 2 * p}); no window fits")
    elif unused and min(unused) + p < starts[-1]:
        problem = (f"the stride is larger than the kernel: input pixel(s) {unused} fall "
                   f"between the windows and are never seen")
    elif unused:
        problem = (f"the stride does not divide n + 2p - k = {n + 2 * p - k}: input "
                   f"pixel(s) {unused} are never seen")
    elif p >= k:
        problem = f"padding p = {p} >= k: some windows see only zeros"
    else:
        problem = ""
    formula = f"⌊({n} + 2·{p} - {k})/{s}⌋ + 1 = {size}" if size else "0 positions"
    caption = f"output size {formula}" + (f"; {problem}" if problem else "")
    return dict(size=size, starts=starts, unused=unused, problem=problem, caption=caption)


def draw_output_size(fig, n: int, k: int, p: int, s: int) -> dict:
    """The padded input as a row of cells (padding grey, unseen pixels red) and, under it,
    one bar per window position.  Returns ``output_size_report``'s dict."""
    from matplotlib.patches import Rectangle

    report = output_size_report(n, k, p, s)
    ax = fig.add_subplot()
    total = n + 2 * p
    for i in range(total):
        real = p <= i < n + p
        color = (COLORS["derivative"] if real and (i - p) in report["unused"]
                 else COLORS["f"] if real else "#d5dbe1")
        ax.add_patch(Rectangle((i, 0), 0.92, 0.92, color=color))
    for j, start in enumerate(report["starts"]):
        ax.add_patch(Rectangle((start, -1.2 - 1.1 * j), k - 0.08, 0.9, color=COLORS["secant"]))
        ax.text(start + k / 2, -0.75 - 1.1 * j, f"y{j}", ha="center", va="center", fontsize=9)
    ax.set_xlim(-0.5, max(total, k) + 0.5)
    ax.set_ylim(-1.4 - 1.1 * max(len(report["starts"]), 1), 1.4)
    ax.axis("off")
    ax.set_title(report["caption"], fontsize=10,
                 color=COLORS["derivative"] if report["problem"] else "black", wrap=True)
    return report


def output_size_widget(n: int = 7, k: int = 3, p: int = 0, s: int = 1):
    """Live version: sliders for n, k, p and s."""
    import ipywidgets as widgets

    from . import LiveFigure

    controls = {
        "n": widgets.IntSlider(value=n, min=1, max=16, description="n (input)"),
        "k": widgets.IntSlider(value=k, min=1, max=7, description="k (kernel)"),
        "p": widgets.IntSlider(value=p, min=0, max=3, description="p (padding)"),
        "s": widgets.IntSlider(value=s, min=1, max=4, description="s (stride)"),
    }
    return LiveFigure(draw_output_size, controls, figsize=(6.4, 4.2))


def output_size_vega(n: int = 7, k: int = 3, p: int = 0, s: int = 1, n_max: int = 16,
                     k_max: int = 7, p_max: int = 3, s_max: int = 4):
    """Kernel-free version: the page computes the windows and the formula for any n, k, p, s."""
    import altair as alt

    from . import vega

    most = n_max + 2 * p_max
    params = [alt.param(name=name, value=value, bind=alt.binding_range(
        min=low, max=high, step=1, name=label))
        for name, value, low, high, label in (("n", n, 1, n_max, "n (input) "),
                                              ("k", k, 1, k_max, "k (kernel) "),
                                              ("p", p, 0, p_max, "p (padding) "),
                                              ("s", s, 1, s_max, "s (stride) "))]
    size = "(n + 2 * p >= k ? floor((n + 2 * p - k) / s) + 1 : 0)"
    # Cell i is covered when a window j = 0 ... size - 1 has j·s <= i < j·s + k.
    covered = f"max(0, ceil((datum.i - k + 1) / s)) <= min({size} - 1, floor(datum.i / s))"
    last_start = f"(({size}) - 1) * s"
    cells = alt.Chart(alt.Data(values=[{"i": i} for i in range(most)])).transform_filter(
        "datum.i < n + 2 * p").transform_calculate(
        kind=(f"datum.i < p || datum.i >= n + p ? 'padding' : "
              f"{covered} ? 'input' : 'never seen'"),
        x1="datum.i + 0.92", y0="0", y1="0.9")
    x_scale = alt.Scale(domain=[0, most], nice=False)
    y_scale = alt.Scale(domain=[-(most + 1) * 1.1, 1.2], nice=False)
    cell_marks = cells.mark_rect().encode(
        x=alt.X("i:Q", scale=x_scale, axis=None), x2="x1:Q",
        y=alt.Y("y0:Q", scale=y_scale, axis=None), y2="y1:Q",
        color=alt.Color("kind:N", scale=alt.Scale(
            domain=["input", "padding", "never seen"],
            range=[COLORS["f"], "#d5dbe1", COLORS["derivative"]]),
            legend=alt.Legend(orient="bottom", title=None, labelFontSize=11)))
    windows = alt.Chart(alt.Data(values=[{"j": j} for j in range(most)])).transform_calculate(
        start="datum.j * s").transform_filter(f"datum.j < {size}").transform_calculate(
        end="datum.start + k - 0.08", top="-0.25 - 1.1 * datum.j", bottom="-1.15 - 1.1 * datum.j")
    window_marks = windows.mark_rect(color=COLORS["secant"]).encode(
        x=alt.X("start:Q", scale=x_scale), x2="end:Q",
        y=alt.Y("bottom:Q", scale=y_scale), y2="top:Q")
    caption = alt.Chart(alt.Data(values=[{"p": 0}])).transform_calculate(
        size=size, line=(f"{size} > 0 ? 'output size ⌊(' + n + ' + 2·' + p + ' − ' + k + ')/' "
                         f"+ s + '⌋ + 1 = ' + ({size}) : "
                         "'invalid: kernel wider than the padded input, no window fits'"),
    )
    line1 = caption.mark_text(align="left", fontSize=13, x=0, y=-24).encode(text="line:N")
    # The warning counts the unseen input cells: between windows, or after the last one.
    warning = cells.transform_calculate(
        between=f"datum.kind == 'never seen' && datum.i < {last_start} ? 1 : 0",
        after=f"datum.kind == 'never seen' && datum.i >= {last_start} ? 1 : 0",
    ).transform_aggregate(between="sum(between)", after="sum(after)").transform_calculate(
        warn=(f"{size} == 0 ? '' : datum.between > 0 ? 'stride larger than the kernel: red "
              f"pixels fall between windows' : datum.after > 0 ? 'stride does not divide "
              f"n + 2p − k: red pixels are never seen' : ''"))
    line2 = warning.mark_text(align="left", fontSize=12, x=0, y=-8,
                              color=COLORS["derivative"]).encode(text="warn:N")
    chart = alt.layer(cell_marks, window_marks, line1, line2).add_params(*params).properties(
        width="container", height=260)
    return vega(chart, "The padded input as a row of cells and one bar for each position of "
                       "the kernel; sliders set the input size n, kernel size k, padding p "
                       "and stride s, and the output size is computed from them")
