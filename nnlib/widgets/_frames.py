"""A kernel-free slider made of precomputed frames, for an idea that needs one control.

``frames_slider`` turns a figure that can be redrawn for a range of values into an HTML
slider: the frames are rendered once, embedded as PNG images, and an
``<input type="range">`` swaps the ``<img>``.  It works from ``file://`` and offline.
With two or more controls the frames would multiply: use ``nnlib.widgets.vega`` instead.
"""
from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json

import numpy as np

from ..plot import FRAME_COLORS, FRAME_DPI, png_bytes

_slider_count = itertools.count()


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
