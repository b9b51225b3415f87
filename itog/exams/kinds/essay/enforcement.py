"""Where each rule of the essay procedure is enforced, computed from the code (issue 13).

For every validation code V01–V78 of section K.3 it finds, by reading syntax trees (no import of
the application, no Django):

- the **rule functions**: functions of the pure rule modules (``itog/exams/kinds/**``) that produce
  the code — directly (``violation("V05")``), through a module constant they read, or by calling
  another rule function that does;
- the **application sites**: functions of the application outside those modules (services, views,
  forms, imports, jobs, commands; not migrations or demo data) that name the code or call one of
  its rule functions — also by name through a helper that looks the stage's function up
  (``_rules_fn(session, "check_checking_place")`` → ``getattr(stage, name)``), or by passing the keys of a
  rule table to the generic function that turns any key into its violation
  (``check_time_rule(key, …)`` over ``VENUE_DAY_TIMES = ("staff_briefing", …)``; TIME_RULES names each
  key's code);
- the **application-level tests**: tests that use the database (directly or through their fixtures)
  and name the code.

A kind may cover a K.3 code with codes of its own, declared next to them (``K3_COVERED_BY = {"V76":
("I30",)}`` in the interview's codes module): the K.3 code is then enforced and tested where those are.
A code with no application site or no application-level test is *pending*. The numbered rules of
the analysis (A1…J15, :mod:`.numbered_rules`) are listed with the tests that cite them (in a
comment, a docstring or a string, ranges such as «A33–A43» included, or in a test's name); a rule
no test cites is pending too, unless :data:`.numbered_rules.NOT_AUTOMATED` declares why Itog does not
automate it (a duty done on paper or in a room, a parameter the procedure delegates, a proposal) — the table
then says «не автоматизируется: <причина>». Static reading is a heuristic: a call site proves that the rule is
*called*, not that it receives its input — hence the test column.

    python -m itog.exams.kinds.essay.enforcement [--check] [--write-pending]

(A script, not a management command: shared code reaches a kind only through the registry.)
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from .numbered_rules import NOT_AUTOMATED, NUMBERED_RULES

REPO = Path(__file__).resolve().parents[4]
PURE_ROOT = "itog/exams/kinds"
CODES = [f"V{n:02d}" for n in range(1, 79)]
CODE_RE = re.compile(r"\bV(0[1-9]|[1-6]\d|7[0-8])\b")
TEST_NAME_CODE_RE = re.compile(r"(?<![a-z0-9])v(\d\d)(?![0-9])")
ALL_CODES = {f"V{n:02d}" for n in range(1, 79)}
ANY_CODE_RE = re.compile(r"[A-Z]\d\d")  # a code of any registry (V05, X30, I12): for the size of a table
# K.3's final-interview codes: the interview kind (itog/exams/kinds/interview) has its own table.
INTERVIEW_CODES = {"V75", "V76", "V77", "V78"}
# A kind declares which K.3 codes its own codes cover (``K3_COVERED_BY = {"V76": ("I30",), …}`` in its codes
# module, read here from the syntax tree): the K.3 code is enforced where those codes are, and tested where
# they are named.
K3_DECLARATION = "K3_COVERED_BY"
# Application modules that are not places where a person acts.
NOT_APPLICATION = ("/migrations/", "/demo/", "/demo.py", "itog/exams/violations.py", "/synth_")
# Module constants naming more codes than this are tables (messages, phases), not rule data.
TABLE_SIZE = 10
# Fixtures that give a test the database; others are found from the fixtures' own parameters.
DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_setup",
    "client",
    "admin_client",
    "live_server",
    "django_user_model",
    "region",
    "login",
}
# Tests citing numbered rules: roadmap tests use A1, D2… as item ids of the plans, not as rules;
# there only a citation naming the analysis («essay-procedure-rules.md A26–A28») counts.
RULE_REFERENCE_EXCLUDED = ("tests/plans/",)
ITEM_RE = re.compile(r"\bпп?\. ((?:\d+(?:\.\d+)*(?:\(\d\))?)(?:,\s*\d+(?:\.\d+)*(?:\(\d\))?)*)")
# Numbered rules a test cites but the application does not apply (the citing test checks a constant of the
# rules module only): pending until the application does, whatever the citations say.
NOT_APPLIED: dict[str, str] = {}  # A38, A39 are applied since: itog/exams/consents.py (exports checked)
SELF = {"enforcement.py", "numbered_rules.py"}  # this generator and its data
# not a spreadsheet cell («=A1», «&G2», «A1:B2», «$C$3»); G0 is a rule too (п. 10's opening sentence)
RULE_RE = re.compile(r"(?<![\w.&$:=!])([A-J])([1-9]\d?|0)(?:\s*[–—-]\s*\1?([1-9]\d?))?(?![\w$])")


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


_OWN_CODES: set[str] = set()  # the kinds' codes that cover a K.3 code (filled by compute())


def _codes_in(node: ast.AST) -> set[str]:
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and (CODE_RE.fullmatch(n.value) or n.value in _OWN_CODES)
    }


def _codes_in_text(text: str) -> set[str]:
    found = {m.group(0) for m in CODE_RE.finditer(text)}
    if _OWN_CODES:
        found |= set(re.findall(r"\b(?:" + "|".join(sorted(_OWN_CODES)) + r")\b", text))
    return found


def k3_covered_by() -> dict[str, tuple[str, ...]]:
    """``{K.3 code: (own code, …)}`` declared by the kinds (:data:`K3_DECLARATION`)."""
    out: dict[str, tuple[str, ...]] = {}
    for path in sorted((REPO / PURE_ROOT).rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = (
                node.target
                if isinstance(node, ast.AnnAssign)
                else (node.targets[0] if isinstance(node, ast.Assign) else None)
            )
            if isinstance(target, ast.Name) and target.id == K3_DECLARATION and node.value is not None:
                for code, own in ast.literal_eval(node.value).items():
                    out[code] = tuple(own)
    return out


def _dynamic_lookups(trees) -> dict[str, int]:
    """Helpers that look a rule function up by a name they are given (``def _rules_fn(session, name):
    return getattr(session.rules.examday, name, None)``): helper name -> position of that argument. A call
    ``_rules_fn(session, "check_checking_place")`` then calls ``check_checking_place``."""
    out = {}
    for tree in trees:
        for _, fn in _functions(tree):
            params = [a.arg for a in fn.args.args]
            for n in ast.walk(fn):
                if (
                    isinstance(n, ast.Call)
                    and isinstance(n.func, ast.Name)
                    and n.func.id == "getattr"
                    and len(n.args) >= 2
                    and isinstance(n.args[1], ast.Name)
                    and n.args[1].id in params
                ):
                    out[fn.name] = params.index(n.args[1].id)
    return out


_LOOKUPS: dict[str, int] = {}  # filled by compute()


def _called_names(node: ast.AST) -> set[str]:
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            f = n.func
            out.add(f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else "")
            # getattr(session.rules.seating, "check_seating", None): the stage's function asked for by name
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            pos = _LOOKUPS.get(name)
            if pos is not None and len(n.args) > pos and isinstance(n.args[pos], ast.Constant):
                if isinstance(n.args[pos].value, str):
                    out.add(n.args[pos].value)
            if (
                isinstance(f, ast.Name)
                and f.id == "getattr"
                and len(n.args) >= 2
                and isinstance(n.args[1], ast.Constant)
                and isinstance(n.args[1].value, str)
            ):
                out.add(n.args[1].value)
    return out - {""}


def _functions(tree: ast.Module):
    """(qualname, node) of every function, methods as Class.method."""

    def walk(body, prefix):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield prefix + node.name, node
                yield from walk(node.body, prefix + node.name + ".")
            elif isinstance(node, ast.ClassDef):
                yield from walk(node.body, prefix + node.name + ".")

    yield from walk(tree.body, "")


@dataclass
class Coverage:
    rule_functions: dict[str, set[str]] = field(default_factory=dict)  # code -> {module:function}
    app_sites: dict[str, set[str]] = field(default_factory=dict)
    app_tests: dict[str, set[str]] = field(default_factory=dict)
    rule_tests: dict[str, set[str]] = field(default_factory=dict)  # numbered rule -> {test file}
    item_tests: dict[str, set[str]] = field(default_factory=dict)  # item «8.1.1» -> {test file citing «п. 8.1.1»}
    covered_by: dict[str, tuple[str, ...]] = field(default_factory=dict)  # K.3 code -> a kind's own codes

    def pending_codes(self) -> list[str]:
        return [c for c in CODES if not self.app_sites.get(c) or not self.app_tests.get(c)]

    def pending_rules(self) -> list[str]:
        return [
            r for r in NUMBERED_RULES if r not in NOT_AUTOMATED and (not self.rule_tests.get(r) or r in NOT_APPLIED)
        ]

    def pending(self) -> list[str]:
        return self.pending_codes() + self.pending_rules()


def _pure_producers() -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]], set[str]]:
    """For the functions of the pure modules: name -> codes produced (transitively, over calls by
    name), "module:qualname" -> codes of that very function (for the table), the keys of the rule
    tables -> their codes, and the names of the generic functions that turn any key into its violation."""
    direct: dict[str, set[str]] = {}  # key "module:qualname"
    calls: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}  # plain name -> keys
    trees = [
        (path, ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted((REPO / PURE_ROOT).rglob("*.py"))
        if path.name not in SELF
    ]
    # Rule tables (TIME_RULES = {… TimeRule("kits_to_organizers", …, "V36") …}): an entry's key string
    # names its code. A function passing that key (check_time_rule("kits_to_organizers", …)) or reading a
    # constant that holds keys (_BRIEFING_RULE) produces those codes; the generic function that makes the
    # violation from any entry is listed for all of them but passes none on to its callers.
    key_codes: dict[str, set[str]] = {}
    constants: dict[str, set[str]] = {}  # module constant -> codes it holds, directly or by key
    for _, tree in trees:
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                for call in ast.walk(node.value):
                    if (
                        isinstance(call, ast.Call)
                        and call.args
                        and isinstance(call.args[0], ast.Constant)
                        and isinstance(call.args[0].value, str)
                    ):
                        codes = _codes_in(call)
                        if len(codes) == 1:
                            key_codes.setdefault(call.args[0].value, set()).update(codes)
    for _, tree in trees:
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found = _codes_in(node.value) | {
                    c
                    for n in ast.walk(node.value)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    for c in key_codes.get(n.value, ())
                }
                size = len(
                    {
                        n.value
                        for n in ast.walk(node.value)
                        if isinstance(n, ast.Constant) and isinstance(n.value, str) and ANY_CODE_RE.fullmatch(n.value)
                    }
                )
                for t in targets:
                    if isinstance(t, ast.Name) and found and size <= TABLE_SIZE:
                        constants.setdefault(t.id, set()).update(found)
    generic: dict[str, set[str]] = {}
    for path, tree in trees:
        for qualname, fn in _functions(tree):
            key = f"{_rel(path)}:{qualname}"
            calls[key] = _called_names(fn)
            keyed = {
                c
                for n in ast.walk(fn)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
                for c in key_codes.get(n.value, ())
            }
            read = {c for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id in constants for c in constants[n.id]}
            direct[key] = _codes_in(fn) | keyed
            makes = any("violation" in c.lower() for c in calls[key])
            if makes and not keyed and read - direct[key]:
                generic[key] = read - direct[key]
            elif not makes:  # reads a table of keys to pick an entry (_BRIEFING_RULE[part])
                direct[key] |= {
                    c
                    for n in ast.walk(fn)
                    if isinstance(n, ast.Name) and n.id in constants and not _codes_in_constant(n.id, trees)
                    for c in constants[n.id]
                }
            names.setdefault(fn.name, set()).add(key)
    produced = {k: set(v) for k, v in direct.items()}
    changed = True
    while changed:  # the closure over calls between rule functions
        changed = False
        for key, callees in calls.items():
            for callee in callees & names.keys():
                for target in _resolve(key, names[callee]):
                    if not produced[target] <= produced[key]:
                        produced[key] |= produced[target]
                        changed = True
    per_function = {k: produced[k] | generic.get(k, set()) for k in produced}
    by_name: dict[str, set[str]] = {}
    for name, keys in names.items():
        for key in keys:
            by_name.setdefault(name, set()).update(produced[key])
    generic_names = {key.rsplit(":", 1)[1].rsplit(".", 1)[-1] for key in generic}
    return (
        {k: v for k, v in by_name.items() if v},
        {k: v for k, v in per_function.items() if v},
        key_codes,
        generic_names,
    )


def _codes_in_constant(name: str, trees) -> bool:
    """Whether a module constant names codes itself (a rule table), rather than keys of one."""
    for _, tree in trees:
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets) and _codes_in(node.value):
                    return True
    return False


def _resolve(caller: str, candidates: set[str]) -> set[str]:
    """The definitions a call by name reaches: the caller's module's own, else its kind's, else all."""
    module = caller.split(":")[0]
    for scope in (module, module.rsplit("/", 1)[0] + "/"):
        near = {c for c in candidates if c.startswith(scope)}
        if near:
            return near
    return candidates


def _application_files() -> list[Path]:
    out = []
    for path in sorted((REPO / "itog").rglob("*.py")):
        rel = _rel(path)
        if rel.startswith(PURE_ROOT + "/") or any(s in "/" + rel for s in NOT_APPLICATION):
            continue
        out.append(path)
    return out


def _db_fixtures(test_files: list[tuple[Path, ast.Module]]) -> set[str]:
    params: dict[str, set[str]] = {}
    for _, tree in test_files:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any("fixture" in ast.unparse(d) for d in node.decorator_list):
                params.setdefault(node.name, set()).update(a.arg for a in node.args.args)
    db = set(DB_FIXTURES)
    changed = True
    while changed:
        changed = False
        for name, args in params.items():
            if name not in db and args & db:
                db.add(name)
                changed = True
    return db


def _expand(match: re.Match) -> list[str]:
    letter, first, last = match.group(1), int(match.group(2)), match.group(3)
    if last and int(last) > first and int(last) - first <= 40:
        return [f"{letter}{n}" for n in range(first, int(last) + 1)]
    return [f"{letter}{first}"] + ([f"{letter}{last}"] if last else [])


def _rule_references(source: str, tree: ast.Module, explicit_only: bool = False) -> set[str]:
    """Numbered rules a test module cites: in comments, in prose strings (docstrings, messages), as a
    lone id beside an item of the procedure (``("C9", OrgKind.MOUO, "п. 3.2")``), in test names.
    A lone id elsewhere is a value (a work code «A1»), not a citation."""
    texts: list[str] = []
    try:
        texts += [
            t.string for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError):
        pass
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if any(v.startswith(("п. ", "пп. ")) for v in values):
                texts += [v for v in values if RULE_RE.fullmatch(v)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and not RULE_RE.fullmatch(node.value):
            texts.append(node.value)
        elif isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            texts += [p.upper() for p in node.name.split("_") if re.fullmatch(r"[a-j][1-9]\d?", p)]
    found: set[str] = set()
    for text in (line for t in texts for line in t.splitlines()):
        if explicit_only and "essay-procedure-rules" not in text:
            continue
        for m in RULE_RE.finditer(text):
            found.update(_expand(m))
    return found & NUMBERED_RULES.keys()


def _module_strings(tree: ast.Module) -> dict[str, set[str]]:
    """Module constants of an application file -> the strings they hold (``VENUE_DAY_TIMES = ("staff_briefing", …)``)."""
    out: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(t, ast.Name):
                    out[t.id] = {
                        n.value
                        for n in ast.walk(node.value)
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    }
    return out


def compute() -> Coverage:
    cov = Coverage()
    covered_by = k3_covered_by()
    _OWN_CODES.clear()
    _OWN_CODES.update(c for own in covered_by.values() for c in own)
    app_trees = [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in _application_files()]
    _LOOKUPS.clear()
    _LOOKUPS.update(_dynamic_lookups([t for _, t in app_trees]))
    produced, per_function, key_codes, generic = _pure_producers()
    for key, codes in per_function.items():
        for code in codes:
            cov.rule_functions.setdefault(code, set()).add(key)
    for path, tree in app_trees:
        strings = _module_strings(tree)
        for qualname, fn in _functions(tree):
            called = _called_names(fn)
            body_codes = _codes_in(fn)
            for callee in called & produced.keys():
                body_codes |= produced[callee]
            if called & generic:
                # a generic rule function given keys of its table (check_time_rule(key, …) over
                # VENUE_DAY_TIMES): the keys it passes, written in the function or in a module constant it reads
                keys = {n.value for n in ast.walk(fn) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
                keys |= {v for n in ast.walk(fn) if isinstance(n, ast.Name) for v in strings.get(n.id, ())}
                body_codes |= {c for k in keys for c in key_codes.get(k, ()) if not CODE_RE.fullmatch(k)}
            for code in body_codes:
                cov.app_sites.setdefault(code, set()).add(f"{_rel(path)}:{qualname}")
    tests = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        if path.name == "test_enforcement_table.py":  # the generator's own test cites for its examples
            continue
        source = path.read_text(encoding="utf-8")
        tests.append((path, ast.parse(source), source))
    db = _db_fixtures([(p, t) for p, t, _ in tests])
    for path, tree, source in tests:
        rel = _rel(path)
        module_db = "django_db" in source and "pytestmark" in source
        lines = source.splitlines()
        constants = {}  # module-level tables of cases a parametrized test reads (REFUSALS = {"V01": …})
        for top in tree.body:
            if isinstance(top, (ast.Assign, ast.AnnAssign)) and top.value is not None:
                for t in top.targets if isinstance(top, ast.Assign) else [top.target]:
                    if isinstance(t, ast.Name):
                        constants[t.id] = _codes_in_text(ast.unparse(top.value))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            args = {a.arg for a in node.args.args}
            marked = any("django_db" in ast.unparse(d) for d in node.decorator_list)
            if not (module_db or marked or args & db):
                continue
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            text = "\n".join(lines[start - 1 : node.end_lineno])
            codes = _codes_in_text(text)
            # a test named for its codes (test_v35_v36_v38_…) cites them too
            codes |= {f"V{n}" for n in TEST_NAME_CODE_RE.findall(node.name)} & ALL_CODES
            for ref in ast.walk(node):
                if isinstance(ref, ast.Name) and ref.id in constants:
                    codes |= constants[ref.id]
            for d in node.decorator_list:
                codes |= {
                    c
                    for ref in ast.walk(d)
                    if isinstance(ref, ast.Name) and ref.id in constants
                    for c in constants[ref.id]
                }
            for code in codes:
                cov.app_tests.setdefault(code, set()).add(f"{rel}::{node.name}")
        if path.name.startswith("test_") and not rel.startswith(RULE_REFERENCE_EXCLUDED):
            for m in ITEM_RE.finditer(source):
                for item in re.split(r",\s*", m.group(1)):
                    cov.item_tests.setdefault(item.strip(), set()).add(rel)
        explicit = rel.startswith(RULE_REFERENCE_EXCLUDED)
        for rule in _rule_references(source, tree, explicit_only=explicit):
            cov.rule_tests.setdefault(rule, set()).add(rel)
    # a K.3 code a kind covers with its own codes is enforced and tested where those are
    cov.covered_by = covered_by
    for code, own in covered_by.items():
        for table in (cov.rule_functions, cov.app_sites, cov.app_tests):
            merged = {x for o in own for x in table.get(o, ())}
            if merged:
                table.setdefault(code, set()).update(merged)
    return cov


def _cell(items: set[str] | None, limit: int = 6) -> str:
    if not items:
        return "—"
    shown = sorted(items)
    more = f" … (+{len(shown) - limit})" if len(shown) > limit else ""
    return "<br>".join(f"`{s}`" for s in shown[:limit]) + more


def render(cov: Coverage) -> str:
    from .codes import VALIDATIONS

    pending_codes = set(cov.pending_codes())
    out = [
        "# Enforcement of the essay procedure (generated — do not edit)",
        "",
        "Generated by `python -m itog.exams.kinds.essay.enforcement` from the code:",
        "see the module's docstring for how sites and tests are found. `docs/enforcement/pending.txt` lists",
        "what is still pending; `tests/exams/kinds/essay/test_enforcement_table.py` keeps both current.",
        "",
        (
            f"V-codes: {len(CODES)}; pending (no application site or no application-level test): "
            f"{len(pending_codes)}. Numbered rules: {len(NUMBERED_RULES)}; pending: "
            f"{len(cov.pending_rules())}; not automated (declared with the reason in "
            f"`itog/exams/kinds/essay/numbered_rules.py`): {len(NOT_AUTOMATED)}."
        ),
        "",
        "## Validation codes (section K.3)",
        "",
        "| Code | Item | Rule function(s) | Enforced in the application | Application-level tests | Status |",
        "|---|---|---|---|---|---|",
    ]
    for code in CODES:
        item = VALIDATIONS[code][0] if code in VALIDATIONS else "собеседование (план-график)"
        status = "pending" if code in pending_codes else "ok"
        if code in cov.covered_by:
            status += f" (the interview's {', '.join(cov.covered_by[code])})"
        elif code in INTERVIEW_CODES:
            status += " (final interview: the interview kind's own codes)"
        out.append(
            f"| {code} | {item} | {_cell(cov.rule_functions.get(code), 3)} | "
            f"{_cell(cov.app_sites.get(code))} | {_cell(cov.app_tests.get(code), 4)} | {status} |"
        )
    out += [
        "",
        "## Numbered rules of the analysis (A1…J15)",
        "",
        "The last column is for orientation only: tests citing the rule's item of the procedure",
        "(«п. 8.1.1») test *some* rule of that item; the status counts citations of the rule itself.",
        "",
        "| Rule | Source | Tests citing it | Status | Tests citing its item |",
        "|---|---|---|---|---|",
    ]
    for rule, source in NUMBERED_RULES.items():
        tests = cov.rule_tests.get(rule)
        items = set()
        m = ITEM_RE.search(source)
        for item in re.split(r",\s*", m.group(1)) if m else []:
            items |= cov.item_tests.get(item.strip(), set())
        if rule in NOT_AUTOMATED:
            status = f"не автоматизируется: {NOT_AUTOMATED[rule]}"
        else:
            status = f"pending: {NOT_APPLIED[rule]}" if rule in NOT_APPLIED else "ok" if tests else "pending"
        out.append(f"| {rule} | {source} | {_cell(tests, 4)} | {status} | {_cell(items, 3)} |")
    return "\n".join(out) + "\n"


DOC = REPO / "docs" / "enforcement" / "README.md"
PENDING = REPO / "docs" / "enforcement" / "pending.txt"


def read_pending(path: Path = PENDING) -> set[str]:
    if not path.exists():
        return set()
    return {line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()} - {""}


def render_pending(cov: Coverage) -> str:
    head = [
        "# Rules not yet enforced where people act, or not yet tested (issue 13). This list may only",
        "# shrink: tests/exams/kinds/essay/test_enforcement_table.py fails when a code or rule is",
        "# missing here or listed but already covered. Regenerate: python -m itog.exams.kinds.essay.enforcement --write-pending",
    ]
    rows = []
    for code in cov.pending_codes():
        why = [
            w
            for w, ok in (
                ("no application site", cov.app_sites.get(code)),
                ("no application-level test", cov.app_tests.get(code)),
            )
            if not ok
        ]
        rows.append(f"{code}  # {', '.join(why)}")
    rows += [
        f"{rule}  # {'not applied by the application' if rule in NOT_APPLIED else 'cited by no test'}"
        for rule in cov.pending_rules()
    ]
    return "\n".join(head + rows) + "\n"


def write(check: bool = False, write_pending: bool = False) -> list[str]:
    """Write (or with ``check`` compare) the generated table; returns the problems found."""
    cov = compute()
    text = render(cov)
    problems = []
    if check:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            problems.append(f"{_rel(DOC)} is out of date: run python -m itog.exams.kinds.essay.enforcement")
    else:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
    if write_pending:
        PENDING.write_text(render_pending(cov), encoding="utf-8")
    listed, now = read_pending(), set(cov.pending())
    if now - listed:
        problems.append(f"not covered and not in pending.txt: {sorted(now - listed)}")
    if listed - now:
        problems.append(f"covered now — remove from pending.txt: {sorted(listed - now)}")
    return problems


if __name__ == "__main__":
    import sys

    found = write(check="--check" in sys.argv, write_pending="--write-pending" in sys.argv)
    print("\n".join(found) or "ok")
    sys.exit(1 if found else 0)
