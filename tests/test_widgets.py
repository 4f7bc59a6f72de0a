"""Chapter 1's widgets: set a control's value, check the numbers the widget shows and draws."""
import base64
import json
import re

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402

from nnlib.widgets import ch01 as widgets  # noqa: E402

# Derivatives written by hand, independently of sympy, to check the sympy-built table.
HAND_DERIVATIVES = {
    "x^2": lambda t: 2 * t,
    "x^3 - 3x": lambda t: 3 * t**2 - 3,
    "sin": np.cos,
    "exp": np.exp,
    "ln": lambda t: 1 / t,
    "sigmoid": lambda t: (1 / (1 + np.exp(-t))) * (1 - 1 / (1 + np.exp(-t))),
    "tanh": lambda t: 1 - np.tanh(t) ** 2,
}


def line_slope(line):
    """Slope of a drawn straight line, from its first and last points."""
    xs, ys = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    return (ys[-1] - ys[0]) / (xs[-1] - xs[0])


def lines_with_gid(ax, gid):
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def slider_frames(html_text):
    frames = json.loads(re.search(r"var frames = (\[.*?\]);", html_text).group(1))
    captions = json.loads(re.search(r"var captions = (\[.*?\]);", html_text).group(1))
    return frames, captions


def test_function_table_covers_every_hand_derivative():
    assert set(widgets.FUNCTIONS) == set(HAND_DERIVATIVES)


@pytest.mark.parametrize("name", sorted(HAND_DERIVATIVES))
def test_table_derivative_equals_the_hand_derivative(name):
    ex = widgets.FUNCTIONS[name]
    xs = np.linspace(*ex.domain, 25)
    np.testing.assert_allclose(ex.f_prime(xs), HAND_DERIVATIVES[name](xs), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("x0, h", [(1.0, 1.0), (1.0, 0.1), (-0.5, 0.25), (2.0, -0.5)])
def test_secant_slope_of_x_squared_is_2x0_plus_h(x0, h):
    # ((x0 + h)² - x0²) / h = 2·x0 + h exactly, for any h ≠ 0.
    assert widgets.secant_slope(lambda t: t**2, x0, h) == pytest.approx(2 * x0 + h, rel=1e-12)


def test_secant_slope_refuses_h_zero():
    with pytest.raises(ValueError, match="h must not be 0"):
        widgets.secant_slope(np.sin, 1.0, 0.0)


def test_secant_passes_through_both_points_and_tangent_touches_at_x0():
    f, x0, h = np.exp, 0.3, 0.7
    secant = widgets.secant_line(f, x0, h)
    assert secant(x0) == pytest.approx(f(x0))
    assert secant(x0 + h) == pytest.approx(f(x0 + h))
    tangent = widgets.tangent_line(f, np.exp, x0)
    assert tangent(x0) == pytest.approx(f(x0))
    assert tangent.slope == pytest.approx(np.exp(x0))


def test_secant_widget_slope_approaches_the_derivative_as_h_shrinks():
    w = widgets.secant_widget("sin", x0=1.0, h=1.0)
    gaps = []
    for h in [1.0, 0.1, 0.01, 0.001]:
        w.h_slider.value = h
        assert w.data["h"] == pytest.approx(h)
        assert w.data["secant_slope"] == pytest.approx((np.sin(1 + h) - np.sin(1)) / h, rel=1e-9)
        assert w.data["tangent_slope"] == pytest.approx(np.cos(1.0), rel=1e-12)
        gaps.append(abs(w.data["gap"]))
    assert all(a > b for a, b in zip(gaps, gaps[1:]))
    # Forward difference: gap ≈ (h/2)·|f''(1)| = 0.0005·sin(1) at h = 0.001.
    assert gaps[-1] == pytest.approx(0.0005 * np.sin(1.0), rel=0.01)


def test_secant_widget_draws_the_slopes_it_reports():
    w = widgets.secant_widget("x^2", x0=1.0, h=0.5)
    w.x0_slider.value = -0.5
    w.h_slider.value = 0.2
    ax = w.figure.axes[0]
    (secant,), (tangent,) = lines_with_gid(ax, "secant"), lines_with_gid(ax, "tangent")
    assert line_slope(secant) == pytest.approx(2 * -0.5 + 0.2, rel=1e-9)
    assert line_slope(tangent) == pytest.approx(-1.0, rel=1e-9)
    assert w.data["secant_slope"] == pytest.approx(line_slope(secant), rel=1e-9)


def test_secant_widget_image_is_redrawn_when_h_moves():
    w = widgets.secant_widget("exp", h=1.0)
    before = bytes(w.image.value)
    w.h_slider.value = 0.05
    after = bytes(w.image.value)
    assert after.startswith(b"\x89PNG")
    assert after != before


def test_choosing_a_function_moves_x0_into_its_domain():
    w = widgets.secant_widget("sin", x0=-5.0)
    w.function_dropdown.value = "ln"
    ln = widgets.FUNCTIONS["ln"]
    assert (w.x0_slider.min, w.x0_slider.max) == pytest.approx(ln.domain)
    assert w.x0_slider.value == pytest.approx(ln.x0)
    assert w.data["function"] == "ln"
    assert w.data["tangent_slope"] == pytest.approx(1 / ln.x0)


@pytest.mark.parametrize("name", sorted(HAND_DERIVATIVES))
def test_explorer_derivative_data_equals_sympy_derivative_values(name):
    w = widgets.function_explorer("x^2")
    w.function_dropdown.value = name
    ex = widgets.FUNCTIONS[name]
    assert w.data["function"] == name
    for i in [0, 57, 200, 399]:
        xi = w.data["x"][i]
        exact = float(sp.diff(ex.expr, widgets.x).subs(widgets.x, sp.Float(xi, 30)).evalf(20))
        assert w.data["f_prime"][i] == pytest.approx(exact, rel=1e-12, abs=1e-14)
    drawn = lines_with_gid(w.figure.axes[1], "derivative")[0]
    np.testing.assert_allclose(drawn.get_ydata(), w.data["f_prime"])


def test_explorer_x0_slider_sets_the_point_and_slope():
    w = widgets.function_explorer("sigmoid")
    w.x0_slider.value = 0.0
    assert w.data["slope"] == pytest.approx(0.25)  # σ'(0) = σ(0)(1 - σ(0)) = 1/4
    (point,) = lines_with_gid(w.figure.axes[1], "point")
    assert point.get_ydata()[0] == pytest.approx(0.25)
    (tangent,) = lines_with_gid(w.figure.axes[0], "tangent")
    assert line_slope(tangent) == pytest.approx(0.25)
    assert r"\frac{e^{- x}}" in w.formula.value


def test_widgets_open_no_pyplot_figures():
    # A pyplot figure would be shown a second time, as a dead picture, under the live widget.
    before = set(plt.get_fignums())
    widgets.secant_widget().h_slider.value = 0.3
    widgets.function_explorer().x0_slider.value = 0.2
    assert set(plt.get_fignums()) == before


def test_secant_slider_has_a_range_input_and_one_frame_per_h():
    hs = [1.0, 0.5, 0.1]
    page = widgets.secant_slider("x^2", x0=1.0, hs=hs).data
    assert len(re.findall(r'<input type="range"', page)) == 1
    assert 'max="2"' in page
    frames, captions = slider_frames(page)
    assert len(frames) == 3 and len(set(frames)) == 3
    assert all(base64.b64decode(f).startswith(b"\x89PNG") for f in frames)
    # Captions carry the exact secant slopes 2 + h of x² at x0 = 1.
    for h, caption in zip(hs, captions):
        assert f"secant slope = {2 + h:.4f}" in caption


def test_explorer_slider_has_one_frame_per_function():
    page = widgets.explorer_slider().data
    frames, captions = slider_frames(page)
    assert len(frames) == len(widgets.FUNCTIONS)
    assert f'max="{len(widgets.FUNCTIONS) - 1}"' in page
    assert any("f'(1) = 0.1966" in c for c in captions)  # σ'(1) = σ(1)(1 - σ(1))




def test_secant_slider_default_steps_keep_the_second_point_in_view():
    # x² is drawn on [-2, 2]; from x0 = 1 the largest step that stays in view is h = 1.
    frames, captions = slider_frames(widgets.secant_slider("x^2", x0=1.0).data)
    assert len(frames) == 21
    assert captions[0].startswith("h = 1:") and captions[-1].startswith("h = 0.01:")


def test_unknown_function_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="choose one of"):
        widgets.secant_widget("cosh")


# ------------------------------------------------------- the pictures the chapter promises

def test_product_rectangle_areas_add_up_and_the_corner_vanishes_faster():
    parts = widgets.product_rectangle_data(2.0, 1.4, 0.45, 0.35)
    assert parts["new"] == pytest.approx(parts["old"] + parts["strip_df_g"] + parts["strip_f_dg"]
                                         + parts["corner"])
    # Halve both nudges: the strips halve, the corner quarters.
    half = widgets.product_rectangle_data(2.0, 1.4, 0.225, 0.175)
    assert half["strip_df_g"] == pytest.approx(parts["strip_df_g"] / 2)
    assert half["corner"] == pytest.approx(parts["corner"] / 4)
    ax = widgets.plot_product_rectangle()
    gids = sorted(p.get_gid() for p in ax.patches)
    assert gids == ["corner", "old", "strip", "strip"]
    plt.close(ax.figure)


def test_central_secant_is_closer_to_the_tangent_than_the_forward_one():
    ax, slopes = widgets.plot_central_secant("x^3", x0=1.0, h=0.5)
    # x³ at 1 with h = 0.5: forward (1.5³ - 1)/0.5 = 4.75, central (1.5³ - 0.5³)/1 = 3.25, exact 3.
    assert slopes == pytest.approx({"forward": 4.75, "central": 3.25, "tangent": 3.0})
    (central,) = lines_with_gid(ax, "central")
    assert line_slope(central) == pytest.approx(3.25)
    # The central secant passes through (x0 - h, f(x0 - h)) and (x0 + h, f(x0 + h)).
    xs, ys = central.get_xdata(), central.get_ydata()
    assert np.interp(0.5, xs, ys) == pytest.approx(0.125) and np.interp(1.5, xs, ys) == pytest.approx(3.375)
    plt.close(ax.figure)


def test_chain_nudges_multiply_the_rates():
    data = widgets.chain_nudges_data(x0=1.0, dx=0.05)
    assert data["du"] == pytest.approx(3 * 0.05)                 # g' = 3
    assert data["dy"] == pytest.approx(1.15**2 - 1)              # exactly, with the corner
    assert data["dy"] / data["dx"] == pytest.approx(data["chain"], rel=0.1)
    small = widgets.chain_nudges_data(x0=1.0, dx=1e-6)
    assert small["dy"] / small["dx"] == pytest.approx(6.0, rel=1e-5)  # f'(g(x))·g'(x) = 2·3
    ax, _ = widgets.plot_chain_nudges()
    assert len([l for l in ax.get_lines() if (l.get_gid() or "").startswith("nudge")]) == 3
    plt.close(ax.figure)


def test_gradient_descent_steps_move_against_the_slope_and_lower_f():
    f = lambda v: (v - 2) ** 2 + 1  # noqa: E731
    f_prime = lambda v: 2 * (v - 2)  # noqa: E731
    xs = widgets.gradient_descent_steps(f_prime, 0.5, 0.25, 2)
    np.testing.assert_allclose(xs, [0.5, 1.25, 1.625])
    assert f(xs[0]) > f(xs[1]) > f(xs[2])
    assert widgets.gradient_descent_steps(f_prime, 3.0, 0.25, 1)[1] < 3.0  # f' > 0: move left
    ax = widgets.plot_gradient_descent(f, f_prime, xs)
    (points,) = lines_with_gid(ax, "steps")
    np.testing.assert_allclose(points.get_ydata(), [3.25, 1.5625, 1.140625])
    plt.close(ax.figure)


def test_kernel_free_explorer_has_function_buttons_and_an_x0_slider():
    chart = widgets.explorer_vega()
    assert chart.controls == ["fn", "x0"]
    fn = next(p for p in chart.spec["params"] if p["name"] == "fn")
    assert fn["bind"]["input"] == "radio"  # labelled buttons, not a numeric slider
    assert fn["bind"]["labels"][fn["bind"]["options"].index("sigmoid")].startswith("σ(x)")
    rows = chart.spec["datasets"]["explorer_curves"]
    sigmoid_rows = [r for r in rows if r["fn"] == "sigmoid"]
    for r in sigmoid_rows[::37]:
        s = 1 / (1 + np.exp(-r["x"]))
        assert r["dy"] == pytest.approx(s * (1 - s), rel=1e-4, abs=1e-6)
    assert len(chart.html()) < 1_000_000


def test_kernel_free_secant_keeps_its_two_controls():
    assert widgets.secant_vega("x^2", x0=1.0, h=1.0).controls == ["x0", "h"]


def test_chapter_figures_use_readable_text():
    # At least 9 pt everywhere, so a phone shows them at a readable size.
    for ax in [widgets.plot_product_rectangle(), widgets.plot_central_secant()[0],
               widgets.plot_chain_nudges()[0],
               widgets.plot_secants(np.sin, 1.0, [0.5], f_prime=np.cos)]:
        texts = ax.texts + (ax.get_legend().get_texts() if ax.get_legend() else [])
        assert texts and min(t.get_fontsize() for t in texts) >= 9
        plt.close(ax.figure)


def test_kernel_free_explorer_expressions_are_plain_vega():
    # Vega's expression language has no numpy names and no tanh: a spec that mentions them
    # shows "This figure could not be drawn" on the page.
    import re

    text = widgets.explorer_vega()._json
    assert "np.float" not in text
    assert not re.search(r"tanh\(", text)  # the name 'tanh' in data is fine; a call is not
