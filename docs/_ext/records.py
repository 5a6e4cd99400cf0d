"""Sphinx helpers of the skhebb documentation: measured records and tested snippets.

``:record:`benchmarks/results/low_shot.md```
    A link to a file of the repository (a path from the repository root); the file is
    copied into the built documentation as a download, so every claim can name its record.

``.. record-table:: PATH``
    A table read from a record at build time, so that the documentation shows the
    recorded numbers and cannot drift from them. ``PATH`` is a CSV file (options
    ``:columns:``, ``:headers:``, ``:query:``, ``:decimals:``, ``:round:``) or a Markdown
    record (option ``:after:``: the first table after the first line that contains this
    text). A column spec ``"a ± b"`` shows ``a`` and ``b`` as "mean ± std" with
    ``:decimals:`` decimals, as are the columns named in ``:round:``; other numbers are shown
    as they are (integers without a decimal point). The table's caption names the record
    (``:caption:`` adds text before it).

Checks (warnings, so errors under ``-W``): the user guide and the getting-started page hold
no Python block that the doctest builder does not run, and no skipped example; every gallery
example is linked from at least one page of the user guide.
"""

import csv
import math
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx import addnodes
from sphinx.roles import XRefRole
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Documents whose Python code must all be run by the doctest builder.
TESTED_DOCS = ("user_guide/", "getting_started")

#: Source text that would show Python code the doctest builder does not run, or skip some.
_UNTESTED = re.compile(
    r"^\s*\.\. (?:code-block|code|sourcecode)::\s*(?:python|pycon|py)\b"
    r"|:skipif:|\+SKIP|:options:.*\bSKIP\b",
    re.MULTILINE,
)


class RecordRole(XRefRole):
    """``:record:`path``` -> a download link to ``path`` (relative to the repository root)."""

    def __init__(self):
        super().__init__(nodeclass=addnodes.download_reference)

    def process_link(self, env, refnode, has_explicit_title, title, target):
        title, target = super().process_link(env, refnode, has_explicit_title, title, target)
        if not has_explicit_title:
            title = target
        return title, "/../" + target.lstrip("/")


def _repo_root(env):
    return Path(env.srcdir).resolve().parent


def _split(value):
    return [item.strip() for item in value.split(",") if item.strip()]


def _inline(text):
    """Docutils nodes of a Markdown/reST table cell: **bold** and `code`, the rest as text."""
    out = []
    for part in re.split(r"(\*\*[^*]+\*\*|`[^`]+`)", text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**"):
            out.append(nodes.strong(text=part[2:-2]))
        elif part.startswith("`") and part.endswith("`"):
            out.append(nodes.literal(text=part[1:-1]))
        else:
            out.append(nodes.Text(part))
    return out


def _format(value, decimals=None):
    """A CSV cell as text: ``decimals`` fixed decimals, else the number as it is."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except ValueError:
        return str(value)
    if math.isnan(number):
        return ""
    if decimals is not None:
        return f"{number:.{decimals}f}"
    if number.is_integer():
        return str(int(number))
    return f"{number:.10g}"


def _markdown_table(text, after):
    """Header and rows of the first Markdown table after the line that contains ``after``."""
    lines = text.splitlines()
    start = 0
    if after:
        hits = [i for i, line in enumerate(lines) if after in line]
        if not hits:
            raise ValueError(f"no line contains {after!r}")
        start = hits[0]
    rows = []
    for line in lines[start:]:
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
                continue
            rows.append(cells)
        elif rows:
            break
    if not rows:
        raise ValueError(f"no Markdown table after {after!r}")
    return rows[0], rows[1:]


def _csv_table(path, columns, headers, query, decimals, rounded):
    with open(path, newline="", encoding="utf-8") as f:
        records = list(csv.DictReader(f))
    if query:
        name, _, wanted = query.partition("==")
        name, wanted = name.strip(), wanted.strip().strip("'\"")
        records = [r for r in records if _same(r.get(name), wanted)]
    columns = columns or list(records[0])
    rows = []
    for record in records:
        row = []
        for spec in columns:
            if "±" in spec:
                mean, std = (part.strip() for part in spec.split("±"))
                text = _format(record[mean], decimals)
                spread = _format(record[std], decimals)
                row.append(f"{text} ± {spread}" if spread else text)
            else:
                row.append(_format(record[spec], decimals if spec in rounded else None))
        rows.append(row)
    return headers or columns, rows


def _same(value, wanted):
    try:
        return math.isclose(float(value), float(wanted))
    except (TypeError, ValueError):
        return value == wanted


def _nodes_table(header, rows):
    n_cols = len(header)
    table = nodes.table(classes=["record-table"])
    group = nodes.tgroup(cols=n_cols)
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in range(n_cols))
    head = nodes.thead()
    group += head
    body = nodes.tbody()
    group += body
    for target, cells_rows in ((head, [header]), (body, rows)):
        for cells in cells_rows:
            row = nodes.row()
            for cell in list(cells) + [""] * (n_cols - len(cells)):
                entry = nodes.entry()
                entry += nodes.paragraph("", "", *_inline(cell))
                row += entry
            target += row
    return table


class RecordTable(Directive):
    """Render a table of a record file (CSV or Markdown) at build time."""

    required_arguments = 1
    has_content = False
    option_spec = {
        "columns": directives.unchanged,
        "headers": directives.unchanged,
        "query": directives.unchanged,
        "decimals": directives.nonnegative_int,
        "round": directives.unchanged,
        "after": directives.unchanged,
        "caption": directives.unchanged,
    }

    def run(self):
        env = self.state.document.settings.env
        rel = self.arguments[0].lstrip("/")
        path = _repo_root(env) / rel
        env.note_dependency(str(path))
        try:
            if path.suffix == ".csv":
                header, rows = _csv_table(
                    path,
                    _split(self.options.get("columns", "")),
                    _split(self.options.get("headers", "")),
                    self.options.get("query"),
                    self.options.get("decimals"),
                    set(_split(self.options.get("round", ""))),
                )
            else:
                header, rows = _markdown_table(
                    path.read_text(encoding="utf-8"), self.options.get("after")
                )
        except (OSError, KeyError, ValueError) as exc:
            error = self.state_machine.reporter.warning(
                f"record-table {rel}: {exc!r}", line=self.lineno
            )
            return [error]
        table = _nodes_table(header, rows)
        caption = self.options.get("caption", "")
        text = f"{caption} (record: :record:`{rel}`)" if caption else f"Record: :record:`{rel}`"
        title_nodes, messages = self.state.inline_text(text, self.lineno)
        table.insert(0, nodes.title(text, "", *title_nodes))
        return [table, *messages]


def _check_tested(app, docname, source):
    if not docname.startswith(TESTED_DOCS):
        return
    for match in _UNTESTED.finditer(source[0]):
        line = source[0].count("\n", 0, match.start()) + 1
        logger.warning(
            "untested or skipped Python code in the user guide: %r (use doctest blocks)",
            match.group(0).strip(),
            location=(docname, line),
        )


def _check_examples_linked(app, env):
    docs = Path(env.srcdir)
    guide = "\n".join(
        path.read_text(encoding="utf-8") for path in sorted((docs / "user_guide").glob("*.rst"))
    )
    for example in sorted((docs.parent / "examples").glob("plot_*.py")):
        if f"sphx_glr_auto_examples_{example.stem}.py" not in guide:
            logger.warning(
                "gallery example %s is not linked from any user-guide page", example.name
            )


def setup(app):
    app.add_role("record", RecordRole())
    app.add_directive("record-table", RecordTable)
    app.connect("source-read", _check_tested)
    app.connect("env-check-consistency", _check_examples_linked)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
