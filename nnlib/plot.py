"""The book's look, and the figure kinds that two or more chapters draw.

Import on demand (``from nnlib import plot``): ``import nnlib`` alone loads no matplotlib.
Each helper draws on ``ax`` (or ``axes``) when given, otherwise on a new figure,
and returns what it drew on.  Lines that tests or widgets look for carry a ``gid``.
A chapter's own figures live in ``nnlib.widgets.chNN``, not here.
"""
from __future__ import annotations

import io

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
FIGSIZE = (4.8, 3.2)   # one panel, in inches: narrow enough that 10 pt text stays readable on a phone
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


def axes_or_new(ax):
    """``ax`` in the book's style, or the axes of a new figure when ``ax`` is None."""
    if ax is None:
        return new_axes()[1]
    return style_axes(ax)


def pad_ylim(ax, values, pad: float = 0.12):
    """Set ``ax``'s y-limits to the finite range of ``values``, widened by ``pad`` of it on
    each side (a flat curve gets a unit-high window)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    low, high = (float(values.min()), float(values.max())) if values.size else (-1.0, 1.0)
    span = high - low if high > low else 1.0
    ax.set_ylim(low - pad * span, high + pad * span)
    return ax


# ------------------------------------------------------------------ computational graphs

GRAD_COLOR = COLORS["derivative"]   # everything the backward pass computes is red
VALUE_COLOR = COLORS["f"]           # everything the forward pass computes is blue


def draw_graph(ax, positions: dict, edges, node_text: dict | None = None,
               edge_text: dict | None = None, node_grad_text: dict | None = None,
               edge_pos: dict | None = None, fontsize: float = 9, node_size: float = 26,
               node_colors: dict | None = None, edge_bend: dict | None = None):
    """Draw a computational graph on ``ax``: nodes as circles, edges as arrows.

    ``positions`` maps a node name to (x, y); ``edges`` lists (tail, head) pairs, drawn
    tail -> head (the forward direction).  ``node_text`` (blue) is written above a node,
    ``node_grad_text`` (red) below it, ``edge_text`` (red, keyed by (tail, head)) on the edge
    at the fraction ``edge_pos[(tail, head)]`` of its length (default 0.5).  ``node_size``
    is the circles' diameter in points.  Node circles carry ``gid`` "node:NAME", edge arrows
    "edge:TAIL->HEAD", texts "value:NAME", "grad:NAME" and "edge-grad:TAIL->HEAD".
    ``node_colors`` fills chosen nodes (default white); ``edge_bend`` bends chosen edges
    into an arc (matplotlib's ``arc3`` radius), for an edge that would cross a node.
    Returns ``ax``.
    """
    node_text, edge_text = node_text or {}, edge_text or {}
    node_grad_text, edge_pos = node_grad_text or {}, edge_pos or {}
    node_colors, edge_bend = node_colors or {}, edge_bend or {}
    shrink = node_size / 2 + 1  # points: arrows stop at the circles' rim
    for tail, head in edges:
        (x0, y0), (x1, y1) = positions[tail], positions[head]
        arrow = ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                            arrowprops={"arrowstyle": "-|>", "color": COLORS["muted"], "lw": 1.2,
                                        "shrinkA": shrink, "shrinkB": shrink,
                                        "connectionstyle":
                                            f"arc3,rad={edge_bend.get((tail, head), 0.0)}"})
        arrow.set_gid(f"edge:{tail}->{head}")
        if (tail, head) in edge_text:
            t = edge_pos.get((tail, head), 0.5)
            txt = ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), edge_text[(tail, head)],
                          ha="center", va="center", fontsize=fontsize, color=GRAD_COLOR,
                          bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none",
                                "alpha": 0.9}, zorder=4)
            txt.set_gid(f"edge-grad:{tail}->{head}")
    for name, (x, y) in positions.items():
        ax.plot([x], [y], "o", ms=node_size, mfc=node_colors.get(name, "white"), mec="#333333",
                mew=1.3, zorder=3, gid=f"node:{name}")
        if name in node_text:
            ax.annotate(node_text[name], (x, y), xytext=(0, node_size / 2 + 3),
                        textcoords="offset points", ha="center", va="bottom", fontsize=fontsize,
                        color=VALUE_COLOR, gid=f"value:{name}", zorder=5)
        if node_grad_text.get(name):
            ax.annotate(node_grad_text[name], (x, y), xytext=(0, -node_size / 2 - 3),
                        textcoords="offset points", ha="center", va="top", fontsize=fontsize,
                        color=GRAD_COLOR, gid=f"grad:{name}", zorder=5)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.45, max(ys) + 0.45)
    ax.axis("off")
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
    ax.legend(fontsize=9, frameon=False)
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
        ax.legend(fontsize=9, frameon=False)
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
    ax = axes_or_new(ax)
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


