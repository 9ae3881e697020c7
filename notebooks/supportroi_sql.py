"""IPython extension: the `%%sql` cell magic of the Support ROI notebooks, for an interactive Jupyter kernel.

There is no Python Spark on these machines, so a cell runs through the project's own read-only `sql` command
(`bin/supportroi sql --format json`) and shows the rows as a table; the chart options are those of the headless
runner (`supportroi notebooks`): --chart bar|line|point --x COL --y COL [--color COL] [--low COL --high COL]
[--title T] [--limit N]. Load it with `%load_ext supportroi_sql` from this folder (Jupyter's working directory
when a notebook here is opened). SUPPORTROI_WAREHOUSE names the warehouse; SUPPORTROI_HOME the project folder
(default: this folder's parent).
"""
import argparse
import html
import json
import os
import shlex
import subprocess

HOME = os.environ.get("SUPPORTROI_HOME", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VEGALITE_MIME = "application/vnd.vegalite.v5+json"


def _parser():
    p = argparse.ArgumentParser(prog="%%sql", add_help=False)
    p.add_argument("--chart", choices=["bar", "line", "point"])
    p.add_argument("--x")
    p.add_argument("--y")
    p.add_argument("--color")
    p.add_argument("--low")
    p.add_argument("--high")
    p.add_argument("--title")
    p.add_argument("--limit", type=int, default=200)
    return p


def query(sql, limit=200):
    """Rows of one read-only statement, as dicts, in the order the query gives them."""
    cmd = [os.path.join(HOME, "bin", "supportroi"), "sql", "--quiet", "--format", "json", "--limit", str(limit)]
    if os.environ.get("SUPPORTROI_WAREHOUSE"):
        cmd += ["--warehouse", os.environ["SUPPORTROI_WAREHOUSE"]]
    done = subprocess.run(cmd + [sql.strip().rstrip(";")], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "sql failed")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def table_html(rows):
    if not rows:
        return "<p>0 rows</p>"
    cols = list(rows[0].keys())
    head = "".join("<th>%s</th>" % html.escape(c) for c in cols)
    body = "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % html.escape("" if r.get(c) is None else str(r.get(c)))
                                           for c in cols) for r in rows)
    return "<table><thead><tr>%s</tr></thead><tbody>%s</tbody></table>" % (head, body)


def chart_spec(rows, opts):
    order = []
    for r in rows:
        v = str(r.get(opts.x))
        if v not in order:
            order.append(v)
    x = {"field": opts.x, "type": "ordinal", "sort": order}
    y = {"field": opts.y, "type": "quantitative"}
    if opts.chart != "bar":
        y["scale"] = {"zero": False}
    main = {"mark": {"type": opts.chart, "tooltip": True}, "encoding": {"x": x, "y": y}}
    if opts.chart == "line":
        main["mark"]["point"] = True
    if opts.color:
        main["encoding"]["color"] = {"field": opts.color, "type": "nominal"}
        main["encoding"]["xOffset"] = {"field": opts.color, "type": "nominal"}
    layer = [main]
    if opts.low and opts.high:
        rule = {"mark": "rule", "encoding": {"x": x, "y": {"field": opts.low, "type": "quantitative",
                                                           "title": opts.y}, "y2": {"field": opts.high}}}
        if opts.color:
            rule["encoding"]["color"] = main["encoding"]["color"]
            rule["encoding"]["xOffset"] = main["encoding"]["xOffset"]
        layer.append(rule)
    spec = {"width": "container", "height": 260, "data": {"values": rows}, "layer": layer}
    if opts.title:
        spec["title"] = opts.title
    return spec


def sql_cell(line, cell):
    from IPython.display import HTML, display
    opts = _parser().parse_args(shlex.split(line))
    rows = query(cell, opts.limit)
    display(HTML(table_html(rows)))
    if opts.chart:
        display({VEGALITE_MIME: chart_spec(rows, opts), "text/plain": "<Vega-Lite chart>"}, raw=True)


def load_ipython_extension(ipython):
    ipython.register_magic_function(sql_cell, magic_kind="cell", magic_name="sql")
