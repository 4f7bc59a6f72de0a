#!/usr/bin/env bash
# Refresh the trimmed copies of the site's JavaScript in _assets/vendor/.
#
# The website must work with no network, so MathJax, the ipywidgets embed
# manager and Thebe are served from the book itself (Sphinx copies _assets/ to
# the root of _build/html through html_extra_path) instead of from a CDN.
# The copies are committed: `make book` needs neither npm nor a network.
# Run this only to change a version, then rebuild and run `make test-site`.
#
#   tools/vendor_assets.sh            # needs npm and the npm registry
#
# Only what the site loads is kept:
#   mathjax        es5/tex-chtml.js (TeX in, CommonHTML out, menu), its woff-v2
#                  fonts, the TeX extensions that \require or autoload may fetch
#                  (all-packages.js, a 200 kB duplicate of them, is left out),
#                  and a11y/assistive-mml.js, which MathJax's menu loads when a
#                  reader turns on "Assistive MathML" (for screen readers).
#   jupyter-widgets  @jupyter-widgets/html-manager dist/embed.js: the non-AMD
#                  build that has the built-in widgets (base, controls, output)
#                  inside, so it needs no require.js; plus its Font Awesome
#                  woff2/woff fonts (browsers that read woff2 never ask for the
#                  eot/ttf/svg copies).
#   thebe          lib/*.js (the entry point and the chunks it loads on demand)
#                  and lib/thebe.css, for the Live Code button.
#   vega           the UMD builds of vega, vega-lite and vega-embed, which draw
#                  the kernel-free widgets with several controls
#                  (nnlib.widgets.vega); their versions are the ones the pinned
#                  Altair writes its specifications for (alt.VEGA_VERSION ...).
set -euo pipefail

MATHJAX_VERSION=3.2.2
HTML_MANAGER_VERSION=1.0.15
THEBE_VERSION=0.9.3
VEGA_VERSION=6.4.0
VEGA_LITE_VERSION=6.4.1
VEGA_EMBED_VERSION=7.3.0

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/_assets/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME@VERSION DIR: unpack an npm package's tarball into DIR
    mkdir -p "$work/$2"
    (cd "$work" && npm pack --silent "$1" >"$2.name")
    tar -xzf "$work/$(cat "$work/$2.name")" -C "$work/$2" --strip-components=1
}

fetch "mathjax@$MATHJAX_VERSION" mathjax
fetch "@jupyter-widgets/html-manager@$HTML_MANAGER_VERSION" html-manager
fetch "thebe@$THEBE_VERSION" thebe
fetch "vega@$VEGA_VERSION" vega
fetch "vega-lite@$VEGA_LITE_VERSION" vega-lite
fetch "vega-embed@$VEGA_EMBED_VERSION" vega-embed

rm -rf "$dest/mathjax" "$dest/jupyter-widgets" "$dest/thebe" "$dest/vega"

# MathJax
src="$work/mathjax/es5"
out="$dest/mathjax"
mkdir -p "$out/output/chtml/fonts" "$out/input/tex" "$out/a11y"
cp "$work/mathjax/LICENSE" "$work/mathjax/package.json" "$out/"
cp "$src/tex-chtml.js" "$out/"
cp -r "$src/output/chtml/fonts/woff-v2" "$out/output/chtml/fonts/"
cp -r "$src/input/tex/extensions" "$out/input/tex/"
rm "$out/input/tex/extensions/all-packages.js"
cp "$src/a11y/assistive-mml.js" "$out/a11y/"

# ipywidgets embed manager
src="$work/html-manager/dist"
out="$dest/jupyter-widgets"
mkdir -p "$out"
cp "$src/embed.js" "$src/embed.js.LICENSE.txt" "$out/"
cp "$src"/*.woff2 "$src"/*.woff "$out/"
cp "$work/html-manager/package.json" "$out/"
cp "$work/html-manager/LICENSE" "$out/" 2>/dev/null ||  # the npm package ships none
    echo "@jupyter-widgets/html-manager is BSD-3-Clause licensed (see package.json);" \
        "the full text is the LICENSE of the jupyter-widgets/ipywidgets repository." >"$out/LICENSE"

# Thebe
src="$work/thebe/lib"
out="$dest/thebe"
mkdir -p "$out"
cp "$src"/*.js "$src"/*.LICENSE.txt "$src/thebe.css" "$out/"
cp "$work/thebe/package.json" "$out/"
cp "$work/thebe/LICENSE" "$out/" 2>/dev/null ||  # the npm package ships none
    echo "thebe is BSD-3-Clause licensed (see package.json);" \
        "the full text is the LICENSE of the executablebooks/thebe repository." >"$out/LICENSE"

# Vega, Vega-Lite and vega-embed (BSD-3-Clause)
out="$dest/vega"
mkdir -p "$out"
for name in vega vega-lite vega-embed; do
    cp "$work/$name/build/$name.min.js" "$out/"
    cp "$work/$name/LICENSE" "$out/LICENSE-$name"
done

cat >"$dest/VERSIONS" <<EOF
mathjax $MATHJAX_VERSION (Apache-2.0)
@jupyter-widgets/html-manager $HTML_MANAGER_VERSION (BSD-3-Clause)
thebe $THEBE_VERSION (BSD-3-Clause)
vega $VEGA_VERSION, vega-lite $VEGA_LITE_VERSION, vega-embed $VEGA_EMBED_VERSION (BSD-3-Clause)
EOF

du -sh "$dest"/*
