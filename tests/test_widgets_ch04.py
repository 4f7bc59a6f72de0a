"""Chapter 4's widgets: set the four entries of the matrix, check the numbers drawn."""
import json

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.widgets import ch04 as widgets  # noqa: E402

ENTRIES = [(1.0, 0.5, 0.0, 1.0), (2.0, 1.0, 1.0, 3.0), (1.0, 0.5, 0.3, -1.2),
           (0.0, 1.0, 1.0, 0.0), (1.0, 2.0, 0.5, 1.0), (-1.5, 0.3, 0.7, 2.0)]


@pytest.mark.parametrize("a, b, c, d", ENTRIES)
def test_basis_vectors_go_to_the_columns(a, b, c, d):
    shown = widgets.matrix_picture(a, b, c, d)
    np.testing.assert_array_equal(shown["e1"], [a, c])
    np.testing.assert_array_equal(shown["e2"], [b, d])
    np.testing.assert_array_equal(shown["M"], [[a, b], [c, d]])


@pytest.mark.parametrize("a, b, c, d", ENTRIES)
def test_determinant_is_the_signed_area_of_the_square_image(a, b, c, d):
    shown = widgets.matrix_picture(a, b, c, d)
    assert shown["det"] == pytest.approx(a * d - b * c)
    # The shoelace area of the drawn parallelogram, computed here independently.
    p = shown["square"]
    signed = 0.5 * sum(p[i, 0] * p[i + 1, 1] - p[i + 1, 0] * p[i, 1] for i in range(4))
    assert signed == pytest.approx(a * d - b * c, abs=1e-12)
    assert shown["area"] == pytest.approx(abs(a * d - b * c), abs=1e-12)
    assert widgets.shoelace_area(p) == pytest.approx(signed, abs=1e-12)


def test_orientation_kept_flipped_and_collapsed():
    assert widgets.matrix_picture(1, 0, 0, 1)["orientation"] == "kept"
    swap = widgets.matrix_picture(0, 1, 1, 0)        # the mirror in the line y = x
    assert swap["orientation"] == "flipped" and swap["det"] == -1
    assert "flipped" in swap["caption"]
    flat = widgets.matrix_picture(1, 0.5, 2, 1)      # parallel columns
    assert flat["orientation"] == "collapsed" and "no inverse" in flat["caption"]


def test_grid_images_are_the_grid_lines_times_m():
    a, b, c, d = 1.0, 0.5, 0.3, 1.2
    shown = widgets.matrix_picture(a, b, c, d)
    before = widgets.grid_lines()
    assert len(shown["grid"]) == len(before) == 14
    for line, image in zip(before, shown["grid"]):
        expected = np.array([[a * x + b * y, c * x + d * y] for x, y in line])
        np.testing.assert_allclose(image, expected)


def test_apply_is_the_batch_convention_points_times_m_transposed():
    M = np.array([[2.0, 1.0], [1.0, 3.0]])
    points = np.array([[1.5, -1.0], [1.0, 0.0]])
    np.testing.assert_allclose(widgets.apply(M, points), [[2.0, -1.5], [2.0, 1.0]])


def test_live_widget_redraws_when_each_entry_moves():
    w = widgets.matrix_widget(a=1.0, b=0.0, c=0.0, d=1.0)
    assert list(w.controls) == ["a", "b", "c", "d"]
    assert w.data["det"] == pytest.approx(1.0)
    image = bytes(w.image.value)
    for name, value in [("a", 2.0), ("b", 0.5), ("c", -1.0), ("d", 1.5)]:
        w.controls[name].value = value
        assert bytes(w.image.value) != image
        image = bytes(w.image.value)
    assert w.data["det"] == pytest.approx(2.0 * 1.5 - 0.5 * -1.0)
    np.testing.assert_allclose(w.data["e1"], [2.0, -1.0])
    np.testing.assert_allclose(w.data["e2"], [0.5, 1.5])
    assert "+3.50" in w.caption.value


def test_live_widget_draws_the_arrows_it_reports():
    w = widgets.matrix_widget(a=1.5, b=-0.5, c=0.2, d=0.8)
    ax = w.figure.axes[0]
    drawn = {line.get_gid(): line for line in ax.get_lines() if line.get_gid() in ("e1", "e2")}
    np.testing.assert_allclose(drawn["e1"].get_xydata()[-1], [1.5, 0.2])
    np.testing.assert_allclose(drawn["e2"].get_xydata()[-1], [-0.5, 0.8])


def test_widgets_open_no_pyplot_figures():
    before = set(plt.get_fignums())
    widgets.matrix_widget().controls["a"].value = 0.3
    assert set(plt.get_fignums()) == before


def test_vega_widget_has_the_four_entries_as_controls():
    chart = widgets.matrix_vega(a=1.0, b=0.5, c=0.0, d=1.0)
    assert chart.controls == ["a", "b", "c", "d"]
    params = {p["name"]: p for layer in chart.spec["layer"] for p in layer.get("params", [])}
    params.update({p["name"]: p for p in chart.spec.get("params", [])})
    assert {name: params[name]["value"] for name in "abcd"} == {"a": 1.0, "b": 0.5, "c": 0.0,
                                                                 "d": 1.0}
    assert all(params[n]["bind"]["min"] == -2 and params[n]["bind"]["max"] == 2 for n in "abcd")
    assert len(json.dumps(chart.spec)) < 100_000


def _vega_eval(expression, datum, **params):
    """Evaluate the arithmetic Vega expressions of this widget in Python."""
    code = expression.replace("datum.", "datum_")
    names = {f"datum_{k}": v for k, v in datum.items()}
    return eval(code, {"__builtins__": {}}, {**names, **params})  # noqa: S307


def test_vega_expressions_compute_the_same_image_as_python():
    spec = widgets.matrix_vega().spec
    calcs = [t for layer in spec["layer"] for t in layer.get("transform", [])
             if t.get("as") in ("X", "Y")]
    by_name = {t["as"]: t["calculate"] for t in calcs}
    entries = dict(a=1.3, b=-0.4, c=0.6, d=1.1)
    M = widgets.as_matrix(**entries)
    for point in [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (-3.0, 2.0)]:
        datum = {"x": point[0], "y": point[1]}
        image = widgets.apply(M, [point])[0]
        assert _vega_eval(by_name["X"], datum, **entries) == pytest.approx(image[0])
        assert _vega_eval(by_name["Y"], datum, **entries) == pytest.approx(image[1])


def test_vega_caption_is_the_determinant():
    spec = widgets.matrix_vega().spec
    dets = [t["calculate"] for layer in spec["layer"] for t in layer.get("transform", [])
            if t.get("as") == "det"]
    assert dets and _vega_eval(dets[0], {}, a=2.0, b=1.0, c=1.0, d=3.0) == pytest.approx(5.0)


def test_column_picture_arrives_at_m_v():
    M, v = np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([1.5, -1.0])
    ax = widgets.plot_columns(M, v)
    result = next(line for line in ax.get_lines() if line.get_gid() == "$M v$")
    np.testing.assert_allclose(result.get_xydata()[-1], M @ v)
    plt.close(ax.figure)


def test_box_minus_corner_pieces_leaves_ad_minus_bc():
    a, b, c, d = 2.0, 0.8, 0.6, 1.6
    pieces = widgets.determinant_pieces(a, b, c, d)
    box = abs(widgets.shoelace_area(pieces["box"]))
    corners = sum(abs(widgets.shoelace_area(p)) for key in
                  ("triangles ac/2", "triangles bd/2", "rectangles bc") for p in pieces[key])
    assert box - corners == pytest.approx(a * d - b * c)
    assert widgets.shoelace_area(pieces["parallelogram"]) == pytest.approx(a * d - b * c)
    assert [abs(widgets.shoelace_area(p)) for p in pieces["triangles ac/2"]] == \
        pytest.approx([a * c / 2] * 2)
    assert [abs(widgets.shoelace_area(p)) for p in pieces["rectangles bc"]] == \
        pytest.approx([b * c] * 2)
    ax = widgets.plot_determinant_box(a, b, c, d)
    assert any(patch.get_gid() == "parallelogram" for patch in ax.patches)
    plt.close(ax.figure)


def test_square_turns_purple_when_the_determinant_is_negative():
    w = widgets.matrix_widget(a=1.0, b=0.0, c=0.0, d=1.0)

    def fill_color():
        (patch,) = [p for p in w.figure.axes[0].patches if p.get_gid() == "square"]
        return matplotlib.colors.to_hex(patch.get_facecolor(), keep_alpha=False)

    assert fill_color() == widgets.SQUARE_COLOR
    w.controls["d"].value = -1.0
    assert fill_color() == widgets.FLIPPED_COLOR
    # The kernel-free version colours by the same test, det M = ad - bc < 0.
    spec = json.dumps(widgets.matrix_vega().spec)
    assert '"test": "a * d - b * c < 0"' in spec and widgets.FLIPPED_COLOR in spec
