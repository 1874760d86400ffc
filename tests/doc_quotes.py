#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Every message README.md and docs/*.md quote is still printed by the code.

  tests/doc_quotes.py [REPO]

A quote is a backtick span, or a line of an unlabelled code block, that looks like
a message ("layout: ...", "[bulkhead] cell alpha: ...", "shell: ..."). What the
code may fill in is cut out of it first: numbers, <placeholders>, "...", node paths,
quoted strings, compatibles, file names and the cell labels the docs and tests use.
Each piece left must be spelt by the code's string literals (C, Python, shell),
split at their format specifiers; where two literals meet in a piece, the first
must end where a literal or a specifier ends and the second begin where one
begins, so a quote reworded inside a literal does not pass as stitched fragments.
A quote that cannot pass and is right (a deliberate typo in an example, another
program's output) goes in tests/doc_quotes.allow. Exit status 1 if a quote is not
found, or an allowed one no longer occurs in the docs.
"""
import re
import sys
from pathlib import Path

REPO = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
CODE_DIRS = ["arch", "boot", "gic", "include", "lib", "partitions", "smmu", "tools",
             "tests/guests", "tests/bench", "scripts"]
ALLOW = Path(__file__).resolve().with_name("doc_quotes.allow")

C_TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|\'(?:\\.|[^\\\'\n])*\'|"((?:\\.|[^\\"\n])*)"|(\w+)|(\s+)|(.)',
                     re.S)
FMT_SPEC = re.compile(r'%[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t)?[diouxXcspf%]')


def c_literals(text):
    """Each run of adjacent string literals, joined (a PRI* macro between them is a spec)."""
    out, cur, last_was_str = [], [], False
    for m in C_TOKEN.finditer(text):
        s, word, space, _ = m.groups()
        tok = m.group(0)
        if s is not None:
            cur.append(s)
            last_was_str = True
        elif space is not None or tok.startswith("//") or tok.startswith("/*"):
            continue
        elif word is not None and word.startswith("PRI") and last_was_str:
            cur.append("%d")
        else:
            if cur:
                out.append("".join(cur))
            cur, last_was_str = [], False
    if cur:
        out.append("".join(cur))
    return out


def stringified(text):
    """Arguments of this file's macros that stringify their parameter (#x)."""
    out = []
    for m in re.finditer(r"#define (\w+)\((\w+)\)(?:[^\n]|\\\n)*?[^#]#\2\b", text):
        out += re.findall(r"\b%s\((\w+)\)" % m.group(1), text)
    return out


PY_STR = re.compile(r'[rbfRBF]{0,2}("""|\'\'\'|"|\')((?:\\.|(?!\1).)*?)\1', re.S)


def py_literals(text):
    """Each string literal; an f-string's fields become specifiers."""
    out = []
    for m in PY_STR.finditer(text):
        s = m.group(2)
        s = re.sub(r"\{[^{}]*!r\}", "'%s'", s)  # f-string fields: {x!r} is quoted
        s = re.sub(r"\{[^{}]*\}", "%s", s)
        out.append(s)
    return out


def unescape(s):
    return (s.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"')
            .replace("\\'", "'").replace("\\\\", "\\"))


def code_corpus():
    """Every literal of the code that prints, split at its specifiers and newlines."""
    pieces = []
    for d in CODE_DIRS:
        for f in sorted((REPO / d).rglob("*")):
            if not f.is_file():
                continue
            try:
                text = f.read_text(errors="replace")
            except OSError:
                continue
            if f.suffix in (".c", ".h"):
                lits = c_literals(text) + stringified(text)
            elif f.suffix == ".py" or text.startswith("#!/usr/bin/python") or \
                    text.startswith("#!/usr/bin/env python"):
                lits = py_literals(text)
            elif text.startswith("#!"):
                lits = [text]  # shell: its echo lines and heredocs, line by line
            else:
                continue
            for lit in lits:
                for part in FMT_SPEC.split(unescape(lit)):
                    pieces.extend(p for p in part.split("\n") if p)
    return Corpus(pieces)


class Corpus:
    """The literals' pieces, and what a cover asks of them: any substring, a piece's
    start (prefix), its end (suffix) or the whole of it."""

    def __init__(self, pieces):
        self.text = "\x00" + "\x00".join(pieces) + "\x00"
        self.whole = set(pieces)
        self.prefixes = {p[:k] for p in self.whole for k in range(1, len(p) + 1)}
        self.suffixes = {p[k:] for p in self.whole for k in range(len(p))}


# What a doc writes where the code has a format specifier or a variable.
VARIABLE = re.compile(
    r"\.\.\.|…|<[^<>]*>"
    r"|\b0x[0-9a-fA-F.]+\b|\d[\d.]*|(?<=[a-z])N\b"
    r"|(?<![\w/])/[\w@,.\-/]*"                      # node paths
    r'|"[\w,.\-/ ]*"'                                # strings from the tree
    r"|\b[a-z][a-z0-9]*,[\w,.\-]+"                    # compatibles
    r"|\b(?:N|M|T|P|X|NODE|PROPERTY|LABEL|CELL|NAME|FILE|WINDOW|DIR)\b"
    r"|\b[\w-]+\.(?:dtb|dts|bin)\b"                  # file names
    r"|(?<![\w-])(?:alpha|beta|gamma|linux[12]?|bare|rtos|victim|hostile|bystander|manager|x)"
    r"(?![\w-])")                                     # the docs' and tests' cell labels
PREFIX = re.compile(r"^(?:\[bulkhead\] |\[\w+\] )?(?:ERROR: |WARN: |INFO: )?")


def looks_like_message(q):
    """Not a command, a path, a property assignment or a word: a line something prints."""
    q = q.strip()
    if len(q) < 12 or " " not in q:
        return False
    if re.match(r"(make|scripts/|build/|dtc|tests/|cd |mkdir|\$|=>|#|/\*|-)", q):
        return False
    if re.search(r" = |;\s*$|^\w[\w,-]* = ", q):
        return False
    return ":" in q or re.match(r"\[[\w ]+\] ", q) is not None


MESSAGE_LINE = re.compile(r"(\[[\w ]+\] |[A-Za-z][\w-]*: |bulkhead> )")


def quotes(path):
    """(line, quote) for every backtick span (which may run over lines) and every
    message-like line of an unlabelled code block."""
    prose = []
    in_block, lang = False, ""
    for n, line in enumerate(path.read_text().split("\n"), 1):
        fence = re.match(r"\s*```(\w*)", line)
        if fence:
            in_block, lang = not in_block, fence.group(1)
            prose.append("")
            continue
        if in_block:
            if not lang and MESSAGE_LINE.match(line.strip()):
                yield n, re.sub(r"\s+<- .*", "", line.strip())  # "<- what it is": a note
            prose.append("")
            continue
        prose.append(line)
    text = "\n".join(prose)
    # A code span: a run of backticks, then up to the same run (CommonMark), in one paragraph.
    for m in re.finditer(r"(?<!`)(`+)(?!`)((?:(?!\n\s*\n).)+?)(?<!`)\1(?!`)", text, re.S):
        yield text.count("\n", 0, m.start()) + 1, " ".join(m.group(2).split())


def longest(run, i, found):
    """The largest j with found(run[i:j]) (a property every shorter piece has too)."""
    lo, hi = i, len(run)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if found(run[i:mid]):
            lo = mid
        else:
            hi = mid - 1
    return lo


def cover(run, corpus):
    """Pieces of the code's literals that spell the run, fewest first, or None.
    Where two pieces meet, the first must end a literal (or the text before a
    format specifier) and the second start one: a quote that joins two
    fragments in mid-literal was reworded."""
    n = len(run)
    best = [None] * (n + 1)  # best[i] = (pieces so far, where the last began)
    best[0] = (0, None)
    for i in range(n):
        if best[i] is None:
            continue
        if i == 0:
            top = longest(run, 0, lambda s: s in corpus.text)
            ends = [j for j in range(top, 0, -1) if j == n or run[:j] in corpus.suffixes]
        else:
            top = longest(run, i, corpus.prefixes.__contains__)
            ends = [j for j in range(top, i, -1) if j == n or run[i:j] in corpus.whole]
        for j in ends:
            if best[j] is None or best[j][0] > best[i][0] + 1:
                best[j] = (best[i][0] + 1, i)
    if best[n] is None:
        return None
    out, j = [], n
    while j:
        i = best[j][1]
        out.append(run[i:j])
        j = i
    return out[::-1]


def weak_spots(quote, corpus):
    """The parts of the quote's fixed text the code's literals do not spell."""
    text = re.sub(r"\s*(?:\.\.\.|…)\s*", "...", PREFIX.sub("", quote))
    bad = []
    for run in VARIABLE.split(text):
        if not run.strip():
            continue
        got = cover(run, corpus)
        if got is None:
            bad.append(run)
    return bad


def allowed():
    """The allow-list's quotes (one a line; "#" starts a comment line)."""
    lines = ALLOW.read_text().split("\n") if ALLOW.exists() else []
    return {l for l in lines if l.strip() and not l.startswith("#")}


def main():
    corpus = code_corpus()
    allow, used = allowed(), set()
    checked = stale = 0
    for doc in [REPO / "README.md"] + sorted((REPO / "docs").glob("*.md")):
        for n, q in quotes(doc):
            if not looks_like_message(q):
                continue
            checked += 1
            if q in allow:
                used.add(q)
                continue
            spots = weak_spots(q, corpus)
            if spots:
                stale += 1
                print(f"{doc.relative_to(REPO)}:{n}: `{q}`\n    no literal of the code spells: "
                      + "; ".join(repr(s) for s in spots))
    for q in sorted(allow - used):
        stale += 1
        print(f"{ALLOW.name}: `{q}` is quoted nowhere in the docs any more: drop it")
    if stale:
        print("Quote the code's own wording, or, for a deliberate difference, add the quote "
              f"to tests/{ALLOW.name}")
    print(f"doc_quotes: {checked} quoted messages, {stale} not found")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
