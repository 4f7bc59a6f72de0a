"""The machinery of the book's widgets; each chapter's own figures are in ``chNN``.

Import on demand: it needs matplotlib and ipywidgets, which ``import nnlib`` never loads.
Every idea a reader can move comes twice, drawing the same picture from the same plain
function (which the tests call directly):

* live, for Jupyter, Binder and Colab: ``LiveFigure`` redraws a matplotlib figure as its
  ipywidgets controls move;
* kernel-free, for the static website, where no Python runs:
  ``frames_slider`` (one control: precomputed PNG frames behind an HTML range slider) or
  ``vega`` (several controls: the data computed in Python, drawn and redrawn by the page
  with the vendored Vega-Lite scripts).

A chapter's module (``nnlib.widgets.ch01`` ...) imports this package and ``nnlib.plot``,
never another chapter's module.
"""
from ._frames import frames_slider
from ._live import LiveFigure
from ._vega import VegaWidget, vega

__all__ = ["LiveFigure", "VegaWidget", "frames_slider", "lookup", "vega"]


def lookup(table: dict, choice, kind: type):
    """``table[choice]`` for a name, or ``choice`` itself when it is already a ``kind``;
    an unknown name raises ``ValueError`` listing the names there are."""
    if isinstance(choice, kind):
        return choice
    try:
        return table[choice]
    except KeyError:
        raise ValueError(f"unknown function {choice!r}; choose one of {list(table)}") from None
