"""Chapter 2's widgets: set a control's value, check the numbers the widget shows and draws."""
import json
import re

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nnlib.widgets import ch02 as widgets  # noqa: E402

# Gradients written by hand, independently of sympy, to check the sympy-built table.
HAND_GRADIENTS = {
    "x^2 sin y": lambda a, b: (2 * a * np.sin(b), a**2 * np.cos(b)),
    "hill": lambda a, b: (-a / 2 * np.exp(-(a**2 + 4 * b**2) / 4),
                          -2 * b * np.exp(-(a**2 + 4 * b**2) / 4)),
    "saddle": lambda a, b: (2 * a, -2 * b),
}


def lines_with_gid(ax, gid):
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def drawn_vector(ax, gid):
    (line,) = lines_with_gid(ax, gid)
    xs, ys = line.get_xdata(), line.get_ydata()
    return np.array([xs[1] - xs[0], ys[1] - ys[0]])


def test_function_table_covers_every_hand_gradient():
    assert set(widgets.FUNCTIONS) == set(HAND_GRADIENTS)


@pytest.mark.parametrize("name", sorted(HAND_GRADIENTS))
def test_table_gradient_equals_the_hand_gradient(name):
    ex = widgets.FUNCTIONS[name]
    for a, b in [(1.0, 0.5), (-2.0, 1.5), (0.3, -2.2)]:
        np.testing.assert_allclose(ex.gradient(a, b), HAND_GRADIENTS[name](a, b), rtol=1e-12)


@pytest.mark.parametrize("angle, expected", [(0, (1, 0)), (90, (0, 1)), (180, (-1, 0)),
                                             (270, (0, -1)), (45, (2**-0.5, 2**-0.5))])
def test_unit_vector_points_at_the_angle(angle, expected):
    np.testing.assert_allclose(widgets.unit_vector(angle), expected, atol=1e-15)
    assert widgets.angle_of(expected) == pytest.approx(angle % 360)


def test_directional_derivative_is_the_slope_of_the_slice():
    # D_u f = ∇f·u equals the central difference of t -> f(p + t u) at t = 0.
    for name, (a, b), angle in [("x^2 sin y", (1.0, 0.5), 30), ("hill", (2.0, 1.0), 200),
                                ("saddle", (-1.0, 0.7), 300)]:
        h = 1e-5
        g = widgets.slice_along(name, a, b, angle, [-h, h])
        slope = (g[1] - g[0]) / (2 * h)
        assert widgets.directional_derivative(name, a, b, angle) == pytest.approx(slope, rel=1e-8)


def test_rate_peaks_along_the_gradient_at_its_length():
    data = widgets.direction_data("x^2 sin y", 1.0, 0.5, 0.0)
    grad = np.array([2 * np.sin(0.5), np.cos(0.5)])
    np.testing.assert_allclose(data["gradient"], grad)
    assert data["steepest_rate"] == pytest.approx(np.linalg.norm(grad))
    top = int(np.argmax(data["rates"]))
    assert data["angles"][top] == pytest.approx(data["steepest_angle"], abs=1.0)
    assert data["rates"][top] == pytest.approx(data["steepest_rate"], rel=1e-3)
    # The curve is the cosine ‖∇f‖ cos(θ - θ_∇f).
    expected = data["steepest_rate"] * np.cos(np.deg2rad(data["angles"] - data["steepest_angle"]))
    np.testing.assert_allclose(data["rates"], expected, atol=1e-12)


def test_live_widget_has_the_four_controls_and_follows_the_angle():
    w = widgets.direction_widget("x^2 sin y", x0=1.0, y0=0.5, angle=0.0)
    assert list(w.controls) == ["function", "x0", "y0", "angle"]
    grad = np.array([2 * np.sin(0.5), np.cos(0.5)])
    for angle in [0.0, 45.0, 90.0, 200.0]:
        w.controls["angle"].value = angle
        u = np.array([np.cos(np.deg2rad(angle)), np.sin(np.deg2rad(angle))])
        assert w.data["angle"] == angle
        assert w.data["rate"] == pytest.approx(grad @ u, rel=1e-12, abs=1e-12)
    assert "D_u f = ∇f·u" in w.caption.value


def test_live_widget_point_moves_the_gradient_arrow_it_draws():
    w = widgets.direction_widget("saddle", x0=1.0, y0=0.5, angle=90.0)
    w.controls["x0"].value = -1.5
    w.controls["y0"].value = 2.0
    ex = widgets.FUNCTIONS["saddle"]
    contour_map = w.figure.axes[0]
    np.testing.assert_allclose(w.data["gradient"], [-3.0, -4.0])
    np.testing.assert_allclose(drawn_vector(contour_map, "gradient"), ex.arrow_scale * np.array([-3.0, -4.0]))
    np.testing.assert_allclose(drawn_vector(contour_map, "direction"), [0.0, 1.0], atol=1e-12)
    (point,) = lines_with_gid(contour_map, "point")
    assert (point.get_xdata()[0], point.get_ydata()[0]) == (-1.5, 2.0)
    # The marker on the lower panel sits at (θ, D_u f).
    (marker,) = lines_with_gid(w.figure.axes[-1], "rate")
    assert marker.get_xdata()[0] == 90.0 and marker.get_ydata()[0] == pytest.approx(-4.0)


def test_live_widget_function_menu_switches_the_function():
    w = widgets.direction_widget("x^2 sin y", x0=2.0, y0=1.0, angle=0.0)
    before = bytes(w.image.value)
    w.controls["function"].value = "hill"
    assert w.data["function"] == "hill"
    np.testing.assert_allclose(w.data["gradient"], HAND_GRADIENTS["hill"](2.0, 1.0))
    assert bytes(w.image.value) != before


def test_gradient_is_drawn_in_the_input_plane_on_the_surface_panel():
    fig = Figure()
    widgets.draw_direction(fig, "x^2 sin y", 1.0, 0.5, 30.0)
    surface = fig.axes[1]
    assert surface.name == "3d"
    (slice_line,) = lines_with_gid(surface, "slice")
    xs, ys, zs = slice_line.get_data_3d()
    np.testing.assert_allclose(zs, xs**2 * np.sin(ys), rtol=1e-12)


def test_gradient_ascent_on_the_hill_does_not_point_at_the_summit():
    # The pitfall of the chapter: at (2, 1) the hill's gradient is (-1, -2)·e⁻², the summit
    # is in the direction (-2, -1).  They are 36.9° apart.
    grad = widgets.FUNCTIONS["hill"].gradient(2.0, 1.0)
    to_summit = np.array([-2.0, -1.0])
    cos = grad @ to_summit / (np.linalg.norm(grad) * np.linalg.norm(to_summit))
    assert np.degrees(np.arccos(cos)) == pytest.approx(36.87, abs=0.01)


def test_widgets_open_no_pyplot_figures():
    before = set(plt.get_fignums())
    widgets.direction_widget().controls["angle"].value = 120.0
    assert set(plt.get_fignums()) == before


def test_vega_widget_has_four_controls_and_fits_in_a_megabyte():
    w = widgets.direction_vega("x^2 sin y", x0=1.0, y0=0.5, angle=30.0)
    assert w.controls == ["fn", "x0", "y0", "theta"]
    params = {p["name"]: p for p in w.spec["params"]}
    assert params["x0"]["value"] == 1.0 and params["theta"]["value"] == 30.0
    assert params["fn"]["bind"]["options"] == list(widgets.FUNCTIONS)
    assert params["theta"]["bind"]["max"] == 360
    assert len(w._json) < 1_000_000
    assert all(panel.get("width", 0) <= 360 for panel in w.spec["vconcat"])  # fits a phone


def test_vega_contours_lie_on_their_level():
    rows = widgets.contour_rows("x^2 sin y")
    assert {r["fn"] for r in rows} == {"x^2 sin y"}
    pts = np.array([(r["x"], r["y"], r["level"]) for r in rows])
    # Coordinates are rounded to 3 digits, so f matches the level to about |∇f|·0.0005.
    f = pts[:, 0] ** 2 * np.sin(pts[:, 1])
    assert np.max(np.abs(f - pts[:, 2])) < 0.05
    data = json.loads(widgets.direction_vega()._json)["datasets"]["contours"]
    assert {r["fn"] for r in data} == set(widgets.FUNCTIONS)


def test_vega_expressions_agree_with_numpy():
    # The browser computes f and ∇f from these expressions; evaluate them as JavaScript would.
    import math
    for name, ex in widgets.FUNCTIONS.items():
        for expr, fn in [(ex.expr, ex.f), (ex.fx_expr, ex.fx), (ex.fy_expr, ex.fy)]:
            code = widgets.vega_expression(expr, at=("X", "Y"))
            js = code.replace("^", "**")
            value = eval(js, {"X": 0.7, "Y": -1.3, "sin": math.sin, "cos": math.cos,
                              "exp": math.exp, "pow": math.pow, "sqrt": math.sqrt})
            assert value == pytest.approx(float(fn(0.7, -1.3)), rel=1e-12), (name, code)


def test_unknown_function_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="choose one of"):
        widgets.direction_widget("cosh")


def test_vega_projection_formulas_agree_with_python():
    # The page projects the point and the arrows with _project_expressions; the wireframe was
    # projected by project: both must put a point of the surface at the same place.
    import math
    for name, ex in widgets.FUNCTIONS.items():
        a, b = 0.7, -1.3
        z = float(ex.f(a, b))
        u_expr, v_expr = widgets._project_expressions("X", "Y", "Z")
        u = eval(u_expr, {"X": a, "Y": b})          # u has no branch per function
        pu, pv = widgets.project(name, a, b, z)
        assert u == pytest.approx(float(pu), rel=1e-7)
        # v holds a JavaScript conditional with one branch per function: keep this function's
        # branch only, then evaluate it as Python.
        conditional = v_expr[v_expr.index("(fn == "):v_expr.index(" : 0)") + len(" : 0)")]
        branch = re.split(r" : (?:fn == |0\))", conditional.split(f"fn == {name!r} ? ")[1])[0]
        v = eval(v_expr.replace(conditional, f"({branch})"), {"X": a, "Y": b, "Z": z})
        assert v == pytest.approx(float(pv), rel=1e-7)
        low, high = widgets.height_range(name)
        width = ex.domain[1] - ex.domain[0]
        height = width * widgets.SURFACE_HEIGHT * (0.15 + 0.85 * (z - low) / (high - low))
        sa, ca = math.sin(widgets.VIEW_AZIMUTH), math.cos(widgets.VIEW_AZIMUTH)
        expected_v = (a * sa + b * ca) * math.sin(widgets.VIEW_ELEVATION) \
            + height * math.cos(widgets.VIEW_ELEVATION)
        assert float(pv) == pytest.approx(expected_v, rel=1e-12)
        assert f"fn == {name!r}" in v_expr and f"{width * widgets.SURFACE_HEIGHT:.8f}" in v_expr


def test_wireframe_lies_on_the_surface_and_floor_at_height_zero():
    rows = widgets.wireframe_rows("saddle")
    surface = [r for r in rows if r["part"] == "surface"]
    floor = [r for r in rows if r["part"] == "floor"]
    assert len(floor) == 5 and len({r["line"] for r in surface}) == 26
    # A corner of the floor is the projection of (x, y, height 0): the domain's corner.
    u, _ = widgets.project("saddle", -2.5, -2.5, 0.0)
    assert floor[0]["u"] == pytest.approx(float(u), abs=1e-3)
    # The first surface line is x = -2.5: its first point is (-2.5, -2.5, f = 0).
    pu, pv = widgets.project("saddle", -2.5, -2.5, 0.0)
    assert (surface[0]["u"], surface[0]["v"]) == pytest.approx((float(pu), float(pv)), abs=1e-3)
