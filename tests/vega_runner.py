"""Run a kernel-free widget's Vega-Lite specification headless, as the reader's browser would.

Where Node.js is installed, ``run_vega(widget, {param: value}, field)`` compiles the spec with
the vendored Vega scripts, sets the controls' parameters, runs the view and returns the texts
it draws and the rows of every data set that has ``field``; the widget tests compare them
with the Python functions.  ``needs_node`` skips a test where Node.js is missing.
"""
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

VEGA_DIR = Path(__file__).resolve().parent.parent / "_assets" / "vendor" / "vega"
NODE = shutil.which("node")

# Runs a Vega-Lite spec headless in Node with the given parameter values; prints the texts
# it draws and the rows of every data set that has the given field.
VEGA_RUNNER = r"""
global.window = global;
const [dir, params, field] = process.argv.slice(-3);
const fs = require('fs'), vm = require('vm');
for (const f of ['vega.min.js', 'vega-lite.min.js'])
  vm.runInThisContext(fs.readFileSync(dir + '/' + f, 'utf8'));
(async () => {
  const spec = JSON.parse(fs.readFileSync(0, 'utf8'));
  if (spec.width === "container") spec.width = 400;
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), {renderer: 'none'});
  const values = JSON.parse(params);
  for (const k in values) view.signal(k, values[k]);
  await view.runAsync();
  const svg = await view.toSVG();
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(m => m[1]);
  const rows = [];
  for (const d of compiled.data) {
    let v = []; try { v = view.data(d.name); } catch (e) {}
    if (v.length && v[0][field] !== undefined) rows.push(...v);
  }
  console.log(JSON.stringify({texts, rows}));
})().catch(e => { console.error(e); process.exit(1); });
"""


def run_vega(widget, values: dict, field: str):
    # From a file, not `node -e`: there `module` is a global and the scripts would take it
    # for CommonJS.
    with tempfile.TemporaryDirectory() as folder:
        runner = Path(folder) / "run_vega.js"
        runner.write_text(VEGA_RUNNER)
        done = subprocess.run([NODE, str(runner), str(VEGA_DIR), json.dumps(values), field],
                              input=json.dumps(widget.spec), capture_output=True, text=True,
                              timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


needs_node = pytest.mark.skipif(NODE is None or not VEGA_DIR.exists(),
                                reason="needs Node.js and the vendored Vega scripts")
