"""Text is text: no text from users, files, the database or the URL reaches a Streamlit
parameter that renders markdown unless it went through components.text.md_escape.

The check reads the code of the pages and components. A markdown parameter (the table
below, as components/text.py states the rule) must get text written in the code, or
md_escape(...) of anything, or a combination of those: an f-string whose holes are
md_escape(...) or numbers (a numeric format such as {n:,}), a + of such parts, a
conditional between them, an UPPER_CASE constant (or an item of one), or a local name
only ever assigned such text. Anything else fails with the file and line. flash() queues
a toast and escapes its text itself, so it must get the text unescaped.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from components.text import md_escape

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = sorted([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"),
                   *(ROOT / "components").glob("*.py")])

BODY = ((0,), ("body",))
LABEL = ((0,), ("label",))
# Streamlit call -> (positions, keywords) of the arguments it renders as markdown
MARKDOWN: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    **dict.fromkeys(("markdown", "caption", "title", "header", "subheader", "error",
                     "warning", "info", "success", "toast"), BODY),
    "write": ((0, 1, 2, 3, 4, 5), ()),
    "spinner": ((0,), ("text",)),
    "progress": ((1,), ("text",)),
    "dialog": ((0,), ("title",)),
    "tabs": ((0,), ("tabs",)),
    "metric": ((0, 1, 2), ("label", "value", "delta")),
    "page_link": ((), ("label",)),
    **dict.fromkeys(("expander", "popover", "status", "button", "download_button",
                     "form_submit_button", "link_button", "checkbox", "toggle", "radio",
                     "selectbox", "multiselect", "select_slider", "slider", "text_input",
                     "text_area", "number_input", "date_input", "time_input",
                     "datetime_input", "file_uploader", "camera_input", "audio_input",
                     "color_picker", "pills", "segmented_control"), LABEL),
}
# These also render their options (as format_func shows them) and captions as markdown.
MARKDOWN_OPTIONS = ("radio", "pills", "segmented_control", "select_slider")
# A download's file name is kept to names written in the code.
FILE_NAME = ("download_button",)
HELPER = "md_escape"
# Our own calls that take plain text and escape it when they show it (a toast queued for
# the next run).
PLAIN_TEXT_CALLS = ("flash",)
_NUMERIC_FORMAT = re.compile(r".*([,_]|[bcdeEfFgGnoxX%])")
_CONSTANT = re.compile(r"_?[A-Z][A-Z0-9_]*")


@dataclass
class Finding:
    path: Path
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.what}"


def _scopes(tree: ast.Module) -> dict[ast.AST, ast.AST]:
    """Each node -> the function (or module) whose local names it reads."""
    owner: dict[ast.AST, ast.AST] = {}

    def visit(node: ast.AST, scope: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            owner[child] = scope
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                ast.Lambda)) else scope
            visit(child, inner)

    visit(tree, tree)
    return owner


class Checker:
    def __init__(self, path: Path, source: str | None = None):
        self.path = path
        self.tree = ast.parse(path.read_text() if source is None else source, filename=str(path))
        self.owner = _scopes(self.tree)
        self.findings: list[Finding] = []

    # -- what a local name holds ------------------------------------------------------
    def _bindings(self, scope: ast.AST, name: str) -> list[ast.AST] | None:
        """The values assigned to `name` in `scope`, or None when it is also bound some
        other way (a parameter, a loop, a with, an import...)."""
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = scope.args
            params = [*args.posonlyargs, *args.args, *args.kwonlyargs,
                      *filter(None, (args.vararg, args.kwarg))]
            if any(a.arg == name for a in params):
                return None
        values: list[ast.AST] = []
        for node in ast.walk(scope):
            if self.owner.get(node, scope) is not scope and node is not scope:
                continue
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        values.append(node.value)
                    elif any(isinstance(t, ast.Name) and t.id == name
                             for t in ast.walk(target)):
                        return None  # unpacked from a tuple
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                    and node.target.id == name and node.value is not None:
                values.append(node.value)
            elif isinstance(node, (ast.For, ast.comprehension, ast.withitem, ast.AugAssign,
                                   ast.NamedExpr)):
                target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
                if target is not None and any(isinstance(t, ast.Name) and t.id == name
                                              for t in ast.walk(target)):
                    return None
        return values or None

    # -- is an expression text written in the code or escaped? ------------------------
    def safe(self, node: ast.AST | None) -> bool:
        if node is None or isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Call):
            return isinstance(node.func, ast.Name) and node.func.id == HELPER
        if isinstance(node, ast.JoinedStr):
            return all(self.safe(v) for v in node.values)
        if isinstance(node, ast.FormattedValue):
            spec = node.format_spec
            numeric = (isinstance(spec, ast.JoinedStr) and len(spec.values) == 1
                       and isinstance(spec.values[0], ast.Constant)
                       and _NUMERIC_FORMAT.fullmatch(spec.values[0].value))
            return bool(numeric) or self.safe(node.value)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.safe(node.left) and self.safe(node.right)
        if isinstance(node, ast.IfExp):
            return self.safe(node.body) and self.safe(node.orelse)
        if isinstance(node, ast.BoolOp):
            return all(self.safe(v) for v in node.values)
        if isinstance(node, (ast.List, ast.Tuple)):
            return all(self.safe(e) for e in node.elts)
        if isinstance(node, ast.Lambda):
            return self.safe(node.body)
        if isinstance(node, ast.Attribute):
            return bool(_CONSTANT.fullmatch(node.attr))
        if isinstance(node, ast.Subscript):
            return self.safe_constant(node.value)
        if isinstance(node, ast.Name):
            if _CONSTANT.fullmatch(node.id):
                return True
            values = self._bindings(self.owner[node], node.id)
            return values is not None and all(self.safe(v) for v in values)
        return False

    def safe_constant(self, node: ast.AST) -> bool:
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
        return bool(_CONSTANT.fullmatch(name))

    def _splatted(self, call: ast.Call, keyword: str) -> list[ast.AST] | None:
        """What `**name` passes as `keyword`: the values of a local dict literal; None when
        it cannot be told."""
        found = []
        for splat in (k.value for k in call.keywords if k.arg is None):
            values = (self._bindings(self.owner[splat], splat.id)
                      if isinstance(splat, ast.Name) else None)
            if values is None or not all(isinstance(v, ast.Dict) for v in values):
                return None
            for value in values:
                for key, item in zip(value.keys, value.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == keyword:
                        found.append(item)
        return found

    # -- the check --------------------------------------------------------------------
    def flag(self, node: ast.AST, what: str) -> None:
        self.findings.append(Finding(self.path, node.lineno, what))

    def check_call(self, call: ast.Call) -> None:
        if isinstance(call.func, ast.Name) and call.func.id in PLAIN_TEXT_CALLS:
            if any(isinstance(n, ast.Name) and n.id == HELPER for n in ast.walk(call)):
                self.flag(call, f"{call.func.id}() takes plain text and escapes it where it "
                                "is shown: escaped twice, a name shows its backslashes")
            return
        if not isinstance(call.func, ast.Attribute):
            return
        name = call.func.attr
        keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
        if keywords.get("unsafe_allow_html") is not None and not (
                isinstance(keywords["unsafe_allow_html"], ast.Constant)
                and keywords["unsafe_allow_html"].value is False):
            self.flag(call, f"{name}(unsafe_allow_html=...) renders HTML")
        if name == "html":
            self.flag(call, "html() renders HTML")
        if name == "table":
            data = call.args[0] if call.args else keywords.get("data")
            if not any(isinstance(n, ast.Name) and n.id == HELPER for n in ast.walk(data)):
                self.flag(call, "table() renders its cells as markdown: map them through "
                                f"{HELPER}")
            return
        params: list[tuple[str, ast.AST | None]] = []
        if name in MARKDOWN:
            positions, names = MARKDOWN[name]
            params += [(f"argument {i + 1}", call.args[i]) for i in positions
                       if i < len(call.args)]
            params += [(k, keywords[k]) for k in names if k in keywords]
        if name in MARKDOWN or name.endswith("Column") or name == "text":
            if "help" in keywords:
                params.append(("help", keywords["help"]))
            elif any(k.arg is None for k in call.keywords):
                splatted = self._splatted(call, "help")
                if splatted is None:
                    self.flag(call, f"{name}(**...): cannot tell what help it passes")
                params += [("help", v) for v in splatted or ()]
        if name in MARKDOWN_OPTIONS:
            if "format_func" not in keywords:
                self.flag(call, f"{name}() renders its options as markdown: pass "
                                f"format_func=lambda o: {HELPER}(...)")
            params += [(k, keywords[k]) for k in ("format_func", "captions") if k in keywords]
        for param, value in params:
            if not self.safe(value):
                self.flag(value, f"{name}() {param} is markdown: wrap dynamic text in "
                                 f"{HELPER}()")
        if name in FILE_NAME and "file_name" in keywords:
            value = keywords["file_name"]
            if not (isinstance(value, ast.Constant) or isinstance(value, ast.Subscript)
                    and self.safe_constant(value.value)):
                self.flag(value, f"{name}() file_name: a name written in the code")

    def run(self) -> list[Finding]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                self.check_call(node)
        return self.findings


def findings_in(source: str) -> list[str]:
    return [f.what for f in Checker(ROOT / "components" / "example.py", source).run()]


def test_no_dynamic_text_reaches_markdown_unescaped():
    findings = [str(f) for path in UI_FILES for f in Checker(path).run()]
    assert not findings, "\n".join(findings)


@pytest.mark.parametrize("source", [
    'st.error(f"“{raw_id}” is not a customer number.")',
    "st.toast(message)",
    "title.title(customer.name)",
    'st.text_input(spec.label, key="k")',
    'st.selectbox("Segment", [], help=spec.help)',
    "def f(spec):\n    common = {'help': spec.help}\n    st.checkbox('x', **common)",
    "def f(label):\n    st.expander(label)",
    "for name in names:\n    st.caption(name)",
    'st.download_button("Get", b"", file_name=f"{view.name}.csv")',
    'st.radio("Mode", ["a"])',
    "st.table(frame)",
    'st.markdown(f"<b>{x}</b>", unsafe_allow_html=True)',
    'st.metric("Rows", value)',
    'bar.progress(0.5, text=f"{label} done")',
    'flash(f"View {md_escape(view.name)} saved.")',
])
def test_the_check_catches(source):
    assert findings_in(source)


@pytest.mark.parametrize("source", [
    'st.error(f"“{md_escape(raw_id)}” is not a customer number.")',
    'st.caption(f"{total:,} changes · page {page + 1:,} of {pages:,}")',
    'st.info("Literal" if editor else TAX_MANAGED_NOTE)',
    "def f(spec):\n    shown = md_escape(spec.label)\n    st.text_input(shown)",
    "def f(spec):\n    common = {'help': md_escape(spec.help) if spec.help else None}\n"
    "    st.checkbox('x', **common)",
    'st.radio("Mode", ["a"], format_func=lambda m: md_escape(MODES[m]))',
    "st.table(frame.map(md_escape))",
    'st.download_button("Get", b"", file_name=FILE_NAMES[fmt])',
    'st.selectbox("Entity", ids, format_func=names.get)',
    'flash(f"View {view.name} saved.")',
])
def test_the_check_lets_through(source):
    assert not findings_in(source)


@pytest.mark.parametrize("text", ["Tax ID / VAT number", "Acme Inc. (EU)",
                                  "Net 30 - due in 30 days!", "Müller-Lüdenscheidt GmbH, Köln",
                                  "50% off? 'Yes'"])
def test_ordinary_punctuation_is_left_as_typed(text):
    """Streamlit reads a widget's label (markdown and all) as its accessible name: a label
    with no markdown in it keeps that name as typed, without backslashes."""
    assert md_escape(text) == text
