"""Kernel-free widgets with several controls: a Vega-Lite chart redrawn in the browser.

With one control, precomputed frames do (``frames_slider``); with two to four they would
multiply.  Here Python computes the data and states the drawing (usually with Altair:
``alt.param(bind=alt.binding_range(...))`` for each control), and the page draws it with
the vendored Vega scripts, redrawing as the controls move.  No kernel, no network.

Where the chart is shown depends on where the notebook runs:

* in JupyterLab, VS Code or Colab the output is the Vega-Lite MIME type, which they draw
  natively;
* in the book's build (``make book`` sets ``NNLIB_SITE=1``) the output is HTML that loads
  ``vendor/vega/*.js`` from the site itself, relative to the page (Sphinx writes the way
  back to the site's root into ``<html data-content_root>``), so it works from ``file://``.
"""
from __future__ import annotations

import hashlib
import html
import json
import os

SITE_ENV = "NNLIB_SITE"
VEGALITE_MIME = "application/vnd.vegalite.v6+json"
SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")  # in load order
MAX_BYTES = 1_000_000


class VegaWidget:
    """A Vega-Lite chart with its controls, shown live in Jupyter and kernel-free on the site.

    ``chart`` is an Altair chart or a Vega-Lite specification (a dict); ``description`` is
    the text a screen reader announces for the figure.  ``spec`` holds the specification and
    ``controls`` the names of the parameters bound to an input (the widget's controls).
    Raises ``ValueError`` if the specification is larger than ``max_bytes``.
    """

    def __init__(self, chart, description: str, max_bytes: int = MAX_BYTES):
        spec = chart.to_dict() if hasattr(chart, "to_dict") else dict(chart)
        self.spec = spec
        self.description = description
        self._json = json.dumps(spec, separators=(",", ":"), sort_keys=True, allow_nan=False)
        if len(self._json) > max_bytes:
            raise ValueError(f"VegaWidget: the chart's data make {len(self._json) / 1e6:.2f} MB, "
                             f"more than max_bytes={max_bytes / 1e6:.2f} MB; sample the "
                             f"controls more coarsely or send fewer points")

    @property
    def controls(self) -> list[str]:
        """Names of the parameters bound to an input, in the order of the specification."""
        return [p["name"] for p in _all_params(self.spec) if "bind" in p]

    def __repr__(self) -> str:
        return f"VegaWidget({self.description!r}, controls={self.controls})"

    def html(self) -> str:
        """The HTML that draws the chart on the book's site (scripts from ``vendor/vega/``)."""
        uid = "nnd-vega-" + hashlib.sha1(self._json.encode()).hexdigest()[:12]
        # "</" inside a <script> would end it early; JSON allows "<\/".
        spec = self._json.replace("</", "<\\/")
        label = html.escape(self.description, quote=True)
        return _TEMPLATE.format(uid=uid, spec=spec, label=label, scripts=json.dumps(SCRIPTS))

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": repr(self)}
        if os.environ.get(SITE_ENV):
            bundle["text/html"] = self.html()
        else:
            bundle[VEGALITE_MIME] = self.spec
        return bundle


def vega(chart, description: str, max_bytes: int = MAX_BYTES) -> VegaWidget:
    """A kernel-free widget with several controls from an Altair chart (see ``VegaWidget``)."""
    return VegaWidget(chart, description, max_bytes)


def _all_params(spec):
    """Every parameter of a specification, its layers and concatenations included."""
    found = list(spec.get("params", []))
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key, []):
            found += _all_params(part)
    if isinstance(spec.get("spec"), dict):
        found += _all_params(spec["spec"])
    return found


# Scripts are loaded once per page, in order (vega-lite and vega-embed need vega), with any
# AMD loader hidden meanwhile so that the UMD builds define globals.  A chart that cannot be
# drawn says so in words instead of leaving an empty box.
_TEMPLATE = """\
<div class="nnd-vega" id="{uid}" role="figure" aria-label="{label}" style="width:100%;max-width:100%"></div>
<script>
(function () {{
  var el = document.getElementById("{uid}");
  if (!el) return;
  var spec = {spec};
  var root = document.documentElement.getAttribute("data-content_root");
  if (root === null) {{ el.textContent = "This figure is drawn by the book's website."; return; }}
  function load(src) {{
    return new Promise(function (done, fail) {{
      var s = document.createElement("script");
      s.src = src; s.onload = done;
      s.onerror = function () {{ fail(new Error("could not load " + src)); }};
      document.head.appendChild(s);
    }});
  }}
  if (!window.nndVegaReady) {{
    var amd = window.define;
    window.define = undefined;
    window.nndVegaReady = {scripts}.reduce(function (ready, name) {{
      return ready.then(function () {{ return load(root + "vendor/vega/" + name); }});
    }}, Promise.resolve()).finally(function () {{ window.define = amd; }});
  }}
  window.nndVegaReady
    .then(function () {{ return vegaEmbed(el, spec, {{actions: false, renderer: "svg"}}); }})
    .catch(function (err) {{ el.textContent = "This figure could not be drawn: " + err.message; }});
}})();
</script>
"""
