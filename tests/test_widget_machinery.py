"""The widget machinery every chapter uses: LiveFigure, frames_slider's sibling vega."""
import json

import matplotlib

matplotlib.use("Agg")

import altair as alt  # noqa: E402
import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.widgets import LiveFigure, VegaWidget, vega  # noqa: E402
from nnlib.widgets._vega import SCRIPTS, SITE_ENV, VEGALITE_MIME  # noqa: E402


def two_control_chart(n=50):
    a = alt.param(name="a", value=1.0, bind=alt.binding_range(min=0, max=2, step=0.1))
    b = alt.param(name="b", value=0.0, bind=alt.binding_range(min=-1, max=1, step=0.1))
    data = alt.Data(values=[{"x": float(x)} for x in np.linspace(-1, 1, n)])
    return alt.Chart(data).mark_line().encode(x="x:Q", y="y:Q").transform_calculate(
        y="a * datum.x + b").add_params(a, b).properties(width="container")


def test_vega_widget_lists_its_controls_and_describes_itself():
    w = vega(two_control_chart(), "a line y = a x + b")
    assert isinstance(w, VegaWidget)
    assert w.controls == ["a", "b"]
    assert "a line y = a x + b" in repr(w) and "['a', 'b']" in repr(w)


def test_vega_widget_is_vega_lite_in_jupyter_and_html_on_the_site(monkeypatch):
    w = vega(two_control_chart(), "a line")
    monkeypatch.delenv(SITE_ENV, raising=False)
    bundle = w._repr_mimebundle_()
    assert VEGALITE_MIME in bundle and "text/html" not in bundle
    assert bundle[VEGALITE_MIME]["params"][0]["name"] == "a"
    monkeypatch.setenv(SITE_ENV, "1")
    bundle = w._repr_mimebundle_()
    assert "text/html" in bundle and VEGALITE_MIME not in bundle
    page = bundle["text/html"]
    for script in SCRIPTS:
        assert script in page
    loader = page.split("var spec = ", 1)[1].split(";\n", 1)[1]
    assert 'root + "vendor/vega/" + name' in loader and "http" not in loader
    spec = json.loads(page.split("var spec = ", 1)[1].split(";\n", 1)[0].replace("<\\/", "</"))
    assert spec == w.spec


def test_vega_widget_html_cannot_be_ended_early_by_its_data():
    chart = alt.Chart(alt.Data(values=[{"t": "</script><b>x</b>"}])).mark_text().encode(text="t:N")
    page = vega(chart, "text").html()
    assert page.count("</script>") == 1


def test_vega_widget_refuses_data_over_the_page_budget():
    with pytest.raises(ValueError, match="max_bytes"):
        vega(two_control_chart(20_000), "too much", max_bytes=100_000)


def test_live_figure_redraws_when_any_control_moves():
    calls = []

    def draw(fig, a, b):
        calls.append((a, b))
        ax = fig.add_subplot()
        ax.plot([0, 1], [b, a + b])
        return {"caption": f"a = {a}, b = {b}", "end": a + b}

    w = LiveFigure(draw, {"a": ipywidgets.FloatSlider(value=1.0), "b": ipywidgets.FloatSlider(value=0.0)})
    assert calls == [(1.0, 0.0)] and w.data["end"] == 1.0
    first = w.image.value
    w.controls["b"].value = 0.5
    assert calls[-1] == (1.0, 0.5) and w.data["end"] == 1.5
    assert w.caption.value == "a = 1.0, b = 0.5"
    assert w.image.value != first and len(w.figure.axes) == 1  # cleared, not stacked
    assert repr(w) == "LiveFigure(draw, controls=['a', 'b'])"
