"""Replaces (or appends) the '## <title>' section of a Markdown file with the text read from standard input.

Usage: write-section.py FILE TITLE < section.md
"""
import re
import sys

path, title = sys.argv[1], sys.argv[2]
section = sys.stdin.read().rstrip("\n")
try:
    text = open(path).read()
except FileNotFoundError:
    text = ("# Benchmarks\n\nFigures from scripts, never asserted in tests: the machines are shared and noisy, so "
            "compare\nthe figures of one run with each other rather than with another run.\n")
pattern = re.compile(r"## " + re.escape(title) + r"\n.*?(?=\n## |\Z)", re.S)
if pattern.search(text):
    text = pattern.sub(lambda m: section + "\n", text)  # keep the blank line before the next section
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text.rstrip("\n") + "\n")
