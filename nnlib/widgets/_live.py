"""The live widget: a matplotlib figure redrawn whenever one of its ipywidgets controls moves.

For Jupyter, Binder and Colab, where a kernel runs.  The chapter writes one plain function
``draw(fig, **values)`` that draws the picture for the controls' values (and is tested
without any widget); ``LiveFigure`` wires the controls to it.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..plot import FIGSIZE, png_bytes


class LiveFigure(widgets.VBox):
    """Controls above a figure that ``draw(fig, **values)`` redraws when any control moves.

    ``controls`` maps each keyword of ``draw`` to an ipywidgets control (its ``.value`` is
    passed).  ``draw`` may return a caption (str), shown under the figure, or a dict of what
    it drew (kept in ``data``; its ``"caption"`` entry, if any, is shown).  Tests set a
    control's ``.value`` and read ``data``.
    """

    def __init__(self, draw, controls: dict, figsize=FIGSIZE):
        self.draw = draw
        self.controls = dict(controls)
        self.figure = Figure(figsize=figsize, layout="constrained")
        self.image = widgets.Image(format="png")
        self.caption = widgets.HTML()
        self.data: dict = {}
        super().__init__([*self.controls.values(), self.image, self.caption])
        for control in self.controls.values():
            control.observe(self.redraw, names="value")
        self.redraw()

    @property
    def values(self) -> dict:
        """The controls' current values, by the keyword ``draw`` receives them under."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self, change=None):
        """Draw the figure for the controls' current values."""
        self.figure.clear()
        out = self.draw(self.figure, **self.values)
        self.data = out if isinstance(out, dict) else {"caption": out}
        caption = self.data.get("caption")
        self.caption.value = "" if caption is None else html.escape(str(caption))
        self.image.value = png_bytes(self.figure, colors=None)

    def __repr__(self) -> str:
        return f"LiveFigure({getattr(self.draw, '__name__', 'draw')}, controls={list(self.controls)})"
