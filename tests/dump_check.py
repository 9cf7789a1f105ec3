#!/usr/bin/python3
#
# dump_check.py -- the checks of tests/dump.sh that need a parser (python3's
# standard library only; no torch, no jsonschema package):
#
#   schema SCHEMA FILE...      each FILE (a JSON handout) against SCHEMA,
#                              with a validator of the JSON Schema subset
#                              that tests/handout.schema.json uses
#   golden GOLDEN FILE...      the values in each JSON handout against torch's
#                              (tests/dump_golden.txt): inputs equal, value,
#                              per-element losses and gradients within 1e-12
#   text GOLDEN LESSON FILE    the text handout of LESSON prints torch's
#                              values (6 significant digits) in each step
#   html FILE NPLOTS           well-formed, self-contained (no outside
#                              reference), one <figure><svg> per plotted step
#   student FULL.json FILE...  no answer or explanation of FULL appears in
#                              the student copies FILE
#
# Each prints "ok" lines or the first fault and exits 1.

import html.parser
import json
import re
import sys


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


# ---- a JSON Schema subset ---------------------------------------------------

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}
KNOWN = {"type", "enum", "anyOf", "properties", "required",
         "additionalProperties", "items", "minimum", "$ref", "$comment",
         "definitions"}


def validate(v, s, root, path):
    """The faults of v against schema s, as a list of strings."""
    for k in s:
        if k not in KNOWN:
            return ["%s: the schema uses '%s', unknown to this checker"
                    % (path, k)]
    if "$ref" in s:
        name = s["$ref"].split("/")[-1]
        return validate(v, root["definitions"][name], root, path)
    if "anyOf" in s:
        if not any(not validate(v, alt, root, path) for alt in s["anyOf"]):
            return ["%s: %r matches none of anyOf" % (path, v)]
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(TYPES[t](v) for t in ts):
            return ["%s: %r is not %s" % (path, v, "/".join(ts))]
    if "enum" in s and v not in s["enum"]:
        return ["%s: %r is not one of %r" % (path, v, s["enum"])]
    if v is None:
        return []
    if "minimum" in s and isinstance(v, (int, float)) and v < s["minimum"]:
        return ["%s: %r < %r" % (path, v, s["minimum"])]
    errs = []
    if isinstance(v, dict):
        props = s.get("properties", {})
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: '%s' is missing" % (path, k))
        for k, x in v.items():
            if k in props:
                errs += validate(x, props[k], root, path + "." + k)
            elif s.get("additionalProperties", True) is False:
                errs.append("%s: '%s' is not in the schema" % (path, k))
    if isinstance(v, list) and "items" in s:
        for i, x in enumerate(v):
            errs += validate(x, s["items"], root, "%s[%d]" % (path, i))
    return errs


def cmd_schema(args):
    root = json.load(open(args[0], encoding="utf-8"))
    for f in args[1:]:
        try:
            doc = json.load(open(f, encoding="utf-8"))
        except ValueError as e:
            fail("%s: not JSON: %s" % (f, e))
        errs = validate(doc, root, root, "$")
        if errs:
            fail("%s: %s" % (f, "; ".join(errs[:5])))
        print("ok %s" % f)


# ---- torch's values -----------------------------------------------------------

def read_golden(path):
    cases, cur = [], None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        key, _, rest = line.partition(" ")
        if key == "case":
            lesson, step, loss = rest.split()
            cur = {"lesson": lesson, "step": int(step), "loss": loss,
                   "opt": {}}
        elif key == "end":
            cases.append(cur)
        elif key == "opt":
            k, v = rest.split()
            cur["opt"][k] = float(v)
        else:
            if re.match(r"^\d+x\d+:", rest):
                rest = rest.split(":", 1)[1]
            cur[key] = [float(x) for x in rest.split()]
    return cases


def flat(t):
    out = []
    for x in t if isinstance(t, list) else [t]:
        out += flat(x) if isinstance(x, list) else [x]
    return out


def close(a, b, what):
    if len(a) != len(b):
        fail("%s: %d values, torch %d" % (what, len(a), len(b)))
    for x, y in zip(a, b):
        if not isinstance(x, (int, float)) or abs(x - y) > 1e-12 * max(1.0, abs(y)):
            fail("%s: %r, torch %r" % (what, x, y))


def cmd_golden(args):
    cases = read_golden(args[0])
    n = 0
    for f in args[1:]:
        doc = json.load(open(f, encoding="utf-8"))
        for c in cases:
            if c["lesson"] != doc["lesson"]["id"]:
                continue
            st = doc["steps"][c["step"] - 1]
            what = "%s step %d" % (f, c["step"])
            # the lesson still has the values torch was given
            close(flat(st["inputs"]["input"]), c["input"], what + " input")
            close(flat(st["inputs"]["target"]), c["target"], what + " target")
            if "weight" in c:
                close(flat(st["inputs"]["weight"]), c["weight"],
                      what + " weight")
            for k, v in c["opt"].items():
                close([st["options"][k]], [v], what + " " + k)
            if st["loss"]["id"] != c["loss"]:
                fail("%s: loss %s, torch's case %s" % (what, st["loss"]["id"],
                                                       c["loss"]))
            r = st["result"]["loss"]
            close([r["value"]], c["value"], what + " value")
            close(flat(r["elements"]), c["elem"], what + " per-element")
            close(flat(r["gradient"]["values"]), c["grad"], what + " gradient")
            n += 1
        print("ok %s" % f)
    if n == 0:
        fail("no case compared")


def g6(v):
    s = "%.6g" % v
    return s


def cmd_text(args):
    cases = [c for c in read_golden(args[0]) if c["lesson"] == args[1]]
    text = open(args[2], encoding="utf-8").read()
    # the steps' sections: from one "Step n/N" heading (or its translation,
    # "步骤 n/N") to the next
    parts = re.split(r"(?m)^(?:Step|步骤) (\d+)/\d+", text)
    steps = {int(parts[i]): parts[i + 1] for i in range(1, len(parts), 2)}
    if not cases:
        fail("no case for lesson %s" % args[1])
    for c in cases:
        body = steps.get(c["step"])
        if body is None:
            fail("%s: no step %d" % (args[2], c["step"]))
        for what, vals in (("value", c["value"]), ("per-element", c["elem"]),
                           ("gradient", c["grad"])):
            for v in vals:
                if not re.search(r"(?<![\d.])%s(?![\d])" % re.escape(g6(v)),
                                 body):
                    fail("%s step %d: torch's %s %s is not printed"
                         % (args[2], c["step"], what, g6(v)))
        print("ok %s step %d" % (args[2], c["step"]))


# ---- HTML -------------------------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base",
        "wbr", "source", "track", "embed", "param"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errs, self.figures, self.svg_in_figure = [], [], 0, 0
        self.refs, self.attrvals = [], []
        self.in_style = False
        self.style = ""

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            v = v or ""
            self.attrvals.append(v)
            if k in ("src", "srcset", "data", "action", "formaction",
                     "poster", "background"):
                self.refs.append("%s=%r on <%s>" % (k, v, tag))
            if k.endswith("href") and not v.startswith("#"):
                self.refs.append("%s=%r on <%s>" % (k, v, tag))
            if re.search(r"url\((?!\s*['\"]?#)", v):
                self.refs.append("url() in %s on <%s>" % (k, tag))
        if tag in ("link", "script", "iframe", "object", "embed", "img",
                   "base"):
            self.refs.append("<%s>" % tag)
        if tag == "figure":
            self.figures += 1
        if tag == "svg" and self.stack and self.stack[-1] == "figure":
            self.svg_in_figure += 1
        if tag == "style":
            self.in_style = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errs.append("</%s> closes <%s> (line %d)"
                             % (tag, self.stack[-1] if self.stack else "",
                                self.getpos()[0]))
            return
        self.stack.pop()
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.style += data


def cmd_html(args):
    src = open(args[0], encoding="utf-8").read()
    want = int(args[1])
    p = Page()
    p.feed(src)
    p.close()
    if not src.startswith("<!DOCTYPE html>"):
        fail("no <!DOCTYPE html>")
    if p.errs:
        fail("not well-formed: " + "; ".join(p.errs[:3]))
    if p.stack:
        fail("not closed: " + " ".join(p.stack))
    print("ok well-formed")
    # an address in markup (an attribute, the CSS) would be fetched or
    # followed; in the text it is only shown
    for v in p.attrvals + [p.style]:
        if re.search(r"(?i)https?:|//[a-z]|file:|data:", v):
            fail("an address in markup: %r" % v[:80])
    if p.refs:
        fail("outside references: " + "; ".join(p.refs[:5]))
    if re.search(r"@import|url\((?!#)", p.style):
        fail("the CSS fetches something")
    print("ok self-contained")
    if "@page" not in p.style or "size:A4" not in p.style or \
            "@media print" not in p.style:
        fail("no A4 print rules")
    print("ok A4 print CSS")
    if p.figures != want or p.svg_in_figure != want:
        fail("%d figures, %d with an <svg>, for %d plotted steps"
             % (p.figures, p.svg_in_figure, want))
    print("ok %d pictures" % want)
    ids = re.findall(r"\sid=['\"]([^'\"]+)", src)
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        fail("ids used twice: %s" % sorted(dup)[:5])
    print("ok unique ids")


# ---- the student copy ---------------------------------------------------------

def cmd_student(args):
    full = json.load(open(args[0], encoding="utf-8"))
    secrets = []
    for st in full["steps"]:
        q = st["quiz"]
        if q is None:
            continue
        # the explanation's sentences; the answer when it is not a choice
        # (a choice's text is printed as a choice, of course)
        for sent in re.split(r"(?<=[.。:：])\s*", q["explanation"] or ""):
            if len(sent) >= 25:
                secrets.append(sent.strip())
        a = q["answer"]
        if a and a["choice"] is None and a["text"] and len(a["text"]) > 3:
            secrets.append(a["text"].strip())
    if not secrets:
        fail("no answers to look for")
    for f in args[1:]:
        text = open(f, encoding="utf-8").read()
        # Markdown and HTML escape; compare letters and digits only
        norm = re.sub(r"[\W_]+", "", re.sub(r"&#39;|&quot;|&amp;|&lt;|&gt;",
                                              "", text))
        for sec in secrets:
            n = re.sub(r"[\W_]+", "", sec)
            if len(n) >= 12 and n in norm:
                fail("%s holds the answer text %r" % (f, sec[:60]))
        print("ok %s: none of %d answer texts" % (f, len(secrets)))


CMDS = {"schema": cmd_schema, "golden": cmd_golden, "text": cmd_text,
        "html": cmd_html, "student": cmd_student}

if len(sys.argv) < 3 or sys.argv[1] not in CMDS:
    fail("usage: dump_check.py schema|golden|text|html|student ARGS")
CMDS[sys.argv[1]](sys.argv[2:])
