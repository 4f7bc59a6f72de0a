"""Plotting helpers shared by the chapters, so that every figure of the book has one look.

Import on demand (``from nnlib import plot``): ``import nnlib`` alone loads no matplotlib.
Each helper draws on ``ax`` (or ``axes``) when given, otherwise on a new figure,
and returns what it drew on.  Lines that tests or widgets look for carry a ``gid``
(``"f"``, ``"derivative"``, ``"secant"``, ``"tangent"``).

``frames_slider`` turns a figure that can be redrawn for a range of values into a
kernel-free HTML slider: the frames are rendered once, embedded as PNG images, and an
``<input type="range">`` swaps the ``<img>``.  That is how a widget stays movable on the
static website, where no Python runs.
"""
from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np

# One palette for the whole book: a function is always blue, its derivative red, etc.
COLORS = {
    "f": "#1f5fa8",
    "derivative": "#c0392b",
    "secant": "#e67e22",
    "tangent": "#2e8b57",
    "train": "#1f5fa8",
    "validation": "#e67e22",
    "muted": "#8a96a3",
}
CLASS_COLORS = ["#1f5fa8", "#e67e22", "#2e8b57", "#c0392b", "#7d3c98", "#8c564b",
                "#d35fb7", "#5f6b77", "#b5a000", "#17becf"]
FIGSIZE = (6.4, 3.6)   # one panel, in inches
FRAME_DPI = 100        # frames of kernel-free sliders and live widgets
FRAME_COLORS = 64      # frames are reduced to this many colours: 4x smaller, no visible loss


def new_axes(nrows: int = 1, ncols: int = 1, figsize=None, **subplot_kw):
    """A new pyplot figure in the book's style; returns ``(fig, ax)`` (or an array of axes)."""
    if figsize is None:
        figsize = (FIGSIZE[0] * (1 if ncols == 1 else 0.75 * ncols), FIGSIZE[1] * nrows)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained", **subplot_kw)
    for ax in np.atleast_1d(axes).ravel():
        style_axes(ax)
    return fig, axes


def style_axes(ax):
    """Light grid, no top/right frame: the data, not the box, should catch the eye."""
    ax.grid(True, color="#e3e7eb", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def _axes_or_new(ax):
    if ax is None:
        return new_axes()[1]
    return style_axes(ax)


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
    ax = _axes_or_new(ax)
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
                    xytext=(5, 0), va="center", color="#444", fontsize=9)
    if f_prime is not None:
        tangent = tangent_line(f, f_prime, x0)
        ax.plot(xs, tangent(xs), color=COLORS["tangent"], lw=1.6, ls="--",
                label=f"tangent: slope $f'(x_0)$ = {tangent.slope:.3f}", gid="tangent")
    ax.plot([x0], [y0], "o", color="black", ms=6, zorder=5)
    ax.set_xlim(*domain)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel("$x$")
    ax.legend(loc="best", fontsize=8, framealpha=0.85, edgecolor="none")
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
    _pad_ylim(top, ys)
    _pad_ylim(bottom, dys)
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


def _pad_ylim(ax, values, pad: float = 0.12):
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    span = hi - lo or 1.0
    ax.set_ylim(lo - pad * span, hi + pad * span)


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
    ax = _axes_or_new(ax)
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
    ax.legend(fontsize=8, frameon=False, loc="upper center")
    return ax


def loss_curve(history, axes=None):
    """Training curves from a history (``nnlib.History`` or a dict) with per-epoch lists
    ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy`` and per-step ``batch_loss``.

    Left: the loss per epoch (training, validation) over the faint loss of every step, placed
    at its fraction of an epoch.  Right, when accuracies exist: accuracy per epoch.
    Missing or ``None`` entries are skipped.  Returns the axes.
    """
    get = history.get if isinstance(history, dict) else (lambda k, d=None: getattr(history, k, d))
    loss = list(get("loss", []) or [])
    if not loss:
        raise ValueError("loss_curve: the history has no per-epoch 'loss' to plot")
    accuracy = [a for a in (get("accuracy", []) or []) if a is not None]
    val_accuracy = [a for a in (get("val_accuracy", []) or []) if a is not None]
    has_accuracy = bool(accuracy or val_accuracy)
    if axes is None:
        _, axes = new_axes(1, 2 if has_accuracy else 1)
    axes = [style_axes(a) for a in np.atleast_1d(axes)]
    epochs = np.arange(1, len(loss) + 1)
    ax = axes[0]
    batch_loss = list(get("batch_loss", []) or [])
    if batch_loss:
        # Step k of N ends at epoch k · E / N: the step curve and the epoch curve share an axis.
        steps = np.arange(1, len(batch_loss) + 1) * len(loss) / len(batch_loss)
        ax.plot(steps, batch_loss, color=COLORS["muted"], lw=0.7, alpha=0.6, label="loss per step",
                gid="batch_loss")
    ax.plot(epochs, loss, "o-", color=COLORS["train"], ms=3, label="training", gid="loss")
    val_loss = [v for v in (get("val_loss", []) or []) if v is not None]
    if val_loss:
        ax.plot(epochs[:len(val_loss)], val_loss, "o-", color=COLORS["validation"], ms=3,
                label="validation", gid="val_loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend(fontsize=8, frameon=False)
    if has_accuracy and len(axes) > 1:
        ax = axes[1]
        if accuracy:
            ax.plot(epochs[:len(accuracy)], accuracy, "o-", color=COLORS["train"], ms=3,
                    label="training", gid="accuracy")
        if val_accuracy:
            ax.plot(epochs[:len(val_accuracy)], val_accuracy, "o-", color=COLORS["validation"],
                    ms=3, label="validation", gid="val_accuracy")
        ax.set_xlabel("epoch")
        ax.set_ylabel("accuracy")
        ax.legend(fontsize=8, frameon=False)
    return axes


def image_grid(images, labels=None, predictions=None, ncols: int = 8, cmap: str = "gray_r"):
    """Show images in a grid.  ``images``: (N, H, W) or (N, 1, H, W) or (N, H·W) with H = W.

    Each image is titled with its label, or ``label → prediction`` (red when they differ).
    Labels may be integers or one-hot rows.  Returns the figure.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]
    elif images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(
                f"image_grid: cannot make square images from rows of {images.shape[1]}")
        images = images.reshape(len(images), side, side)
    if images.ndim != 3:
        raise ValueError(
            f"image_grid: expected (N, H, W), (N, 1, H, W) or (N, H*W), got {images.shape}")
    n = len(images)
    labels, predictions = _as_labels(labels, n), _as_labels(predictions, n)
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.1 * ncols, 1.25 * nrows), squeeze=False,
                             layout="constrained")
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap=cmap)
        if labels is not None and predictions is not None:
            wrong = labels[i] != predictions[i]
            ax.set_title(f"{labels[i]} → {predictions[i]}", fontsize=9,
                         color=COLORS["derivative"] if wrong else "black")
        elif labels is not None:
            ax.set_title(str(labels[i]), fontsize=9)
    return fig


def _as_labels(values, n):
    if values is None:
        return None
    values = np.asarray(values)
    if values.ndim == 2 and values.shape[1] > 1:  # one-hot rows or class scores
        values = values.argmax(axis=1)
    values = values.reshape(-1)
    if len(values) != n:
        raise ValueError(f"image_grid: {n} images but {len(values)} labels")
    return values


def decision_boundary(predict, X, y, ax=None, resolution: int = 200, margin: float = 0.5):
    """Colour the plane by the class ``predict`` gives each point, and scatter (X, y) on top.

    ``predict`` maps (M, 2) points to (M, 1) probabilities of class 1 (threshold 0.5) or to
    (M, K) class scores (argmax).  ``X``: (N, 2); ``y``: (N,) or (N, 1) labels, or (N, K) one-hot.
    """
    ax = _axes_or_new(ax)
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_boundary: X must have shape (N, 2), got {X.shape}")
    labels = _class_of(np.asarray(y))
    (x_lo, y_lo), (x_hi, y_hi) = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    grid_classes = _class_of(np.asarray(predict(np.column_stack([gx.ravel(), gy.ravel()]))))
    n_classes = int(max(labels.max(), grid_classes.max())) + 1
    colors = [CLASS_COLORS[k % len(CLASS_COLORS)] for k in range(n_classes)]
    from matplotlib.colors import ListedColormap
    cmap = ListedColormap(colors)
    ax.contourf(gx, gy, grid_classes.reshape(gx.shape), levels=np.arange(n_classes + 1) - 0.5,
                cmap=cmap, alpha=0.22)
    ax.scatter(X[:, 0], X[:, 1], c=labels, cmap=cmap, vmin=-0.5, vmax=n_classes - 0.5, s=16,
               edgecolors="white", linewidths=0.5)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def _class_of(values):
    """(N,) or (N, 1) labels/probabilities -> int classes; (N, K) scores or one-hot -> argmax."""
    if values.ndim == 2 and values.shape[1] > 1:
        return values.argmax(axis=1)
    values = values.reshape(-1)
    if np.issubdtype(values.dtype, np.floating) and values.size and (values % 1 != 0).any():
        return (values > 0.5).astype(int)
    return values.astype(int)


_slider_count = itertools.count()


def png_bytes(fig, dpi: int = FRAME_DPI, colors: int | None = FRAME_COLORS) -> bytes:
    """``fig`` as PNG bytes; with ``colors``, reduced to a palette of that many colours.

    Line plots use few colours, so a palette PNG is about 4x smaller than a full-colour one
    and looks the same: that keeps pages with many frames light.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    if colors is None:
        return buf.getvalue()
    from PIL import Image  # Pillow comes with matplotlib

    out = io.BytesIO()
    Image.open(buf).convert("RGB").quantize(colors=colors).save(out, format="png", optimize=True)
    return out.getvalue()


def frames_slider(fig, update, values, label: str = "", start: int = 0, interval_ms: int = 250,
                  dpi: int = FRAME_DPI, colors: int | None = FRAME_COLORS,
                  max_bytes: int = 2_000_000, alt: str = ""):
    """A kernel-free slider: ``update(value)`` redraws ``fig`` for each value; each drawing becomes
    one PNG frame, and an HTML ``<input type="range">`` chooses which frame the ``<img>`` shows.

    ``update`` may return a caption (str) shown under the frame.  A play button steps through
    the frames.  Frames are PNGs at ``dpi`` reduced to ``colors`` colours (see ``png_bytes``).
    Raises ``ValueError`` if the page would carry more than ``max_bytes``: fewer
    frames, a smaller figure or a lower ``dpi`` keep it light.  Returns ``IPython.display.HTML``
    (its ``.data`` is the HTML text).
    """
    from IPython.display import HTML

    values = list(values)
    if not values:
        raise ValueError("frames_slider needs at least one value")
    frames, captions = [], []
    for value in values:
        caption = update(value)
        frames.append(base64.b64encode(png_bytes(fig, dpi, colors)).decode("ascii"))
        captions.append("" if caption is None else str(caption))
    start = int(np.clip(start, 0, len(frames) - 1))
    # The id comes from the content (and a counter for twins), so rebuilds give the same page.
    digest = hashlib.sha1("".join(frames).encode()).hexdigest()[:10]
    uid = f"nnd-slider-{digest}-{next(_slider_count)}"
    page = _SLIDER_TEMPLATE.format(
        uid=uid, src=frames[start], alt=_ascii_html(alt),
        label=_ascii_html(label), last=len(frames) - 1, start=start,
        caption=_ascii_html(captions[start]), frames=json.dumps(frames),
        captions=json.dumps(captions), interval=int(interval_ms),
        aria=_ascii_html(label or "frame"))
    if len(page) > max_bytes:
        raise ValueError(f"frames_slider: {len(frames)} frames make {len(page) / 1e6:.1f} MB "
                         f"of HTML, more than max_bytes={max_bytes / 1e6:.1f} MB; use fewer "
                         f"frames, a smaller figure or a lower dpi")
    return HTML(page)


def _ascii_html(text: str) -> str:
    """Escaped for HTML, non-ASCII as character references: right in a page of any encoding
    (``json.dumps`` does the same for the captions inside the script)."""
    return html.escape(text, quote=True).encode("ascii", "xmlcharrefreplace").decode("ascii")


# Plain HTML and JavaScript, no external files: the slider must work offline.
_SLIDER_TEMPLATE = """\
<div class="nnd-slider" id="{uid}" style="max-width:100%">
<img src="data:image/png;base64,{src}" alt="{alt}" style="max-width:100%;height:auto;display:block">
<div style="display:flex;align-items:center;gap:0.6em;margin-top:0.3em">
<button type="button" title="Play" aria-label="Play" style="min-width:2.4em">&#9654;</button>
<span>{label}</span>
<input type="range" min="0" max="{last}" step="1" value="{start}" aria-label="{aria}" style="flex:1">
</div>
<div class="nnd-slider-caption" aria-live="polite" style="font-size:0.9em;min-height:1.4em">{caption}</div>
<script>
(function () {{
  var root = document.getElementById("{uid}");
  if (!root) return;
  var frames = {frames};
  var captions = {captions};
  var img = root.querySelector("img");
  var slider = root.querySelector("input[type=range]");
  var caption = root.querySelector(".nnd-slider-caption");
  var button = root.querySelector("button");
  var timer = null;
  function show(i) {{
    i = Math.max(0, Math.min(frames.length - 1, i));
    img.src = "data:image/png;base64," + frames[i];
    caption.textContent = captions[i];
    slider.value = i;
  }}
  function stop() {{
    clearInterval(timer); timer = null;
    button.innerHTML = "&#9654;"; button.title = "Play"; button.setAttribute("aria-label", "Play");
  }}
  slider.addEventListener("input", function () {{ show(+slider.value); }});
  slider.addEventListener("change", function () {{ show(+slider.value); }});
  button.addEventListener("click", function () {{
    if (timer) {{ stop(); return; }}
    if (+slider.value >= frames.length - 1) show(0);
    button.innerHTML = "&#10074;&#10074;"; button.title = "Pause";
    button.setAttribute("aria-label", "Pause");
    timer = setInterval(function () {{
      show(+slider.value + 1);
      if (+slider.value >= frames.length - 1) stop();  // the last frame stays up
    }}, {interval});
  }});
}})();
</script>
</div>
"""
