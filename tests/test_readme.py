"""The README stays a five-minute read, and nothing it used to say is lost or unreachable.

The references moved from README.md to docs/*.md; these tests keep the README short, every
relative link working, every section of the old long README findable as a heading, and the
quick-start commands the ones CI runs.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
MAX_README_LINES = 250

# The `##` sections of the README before the references moved out (git show c0d3b1b:README.md).
OLD_SECTIONS = [
    "Quick start",
    "What `digest run` does",
    "Commands",
    "Configuration",
    "Topics",
    "Sending",
    "Running daily",
    "Templates",
    "Samples and licences",
    "Quality",
    "Performance",
]

_FENCE = re.compile(r"^(```|~~~)")
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def split_fences(text: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(prose lines, fenced blocks as (info string, lines)), in order of appearance."""
    prose: list[str] = []
    blocks: list[tuple[str, list[str]]] = []
    fence = None
    for line in text.splitlines():
        marker = _FENCE.match(line)
        if fence is None and marker:
            fence = marker.group(1)
            blocks.append((line[3:].strip(), []))
        elif fence is not None and line.startswith(fence) and not line[3:].strip():
            fence = None
        elif fence is not None:
            blocks[-1][1].append(line)
        else:
            prose.append(line)
    return prose, blocks


def headings(path: Path) -> list[str]:
    """The text of every ATX heading outside fenced code, any level."""
    prose, _ = split_fences(path.read_text(encoding="utf-8"))
    found = []
    for line in prose:
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            found.append(match.group(1))
    return found


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[`*]", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for heading in headings(path):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def relative_links(path: Path) -> list[str]:
    prose, _ = split_fences(path.read_text(encoding="utf-8"))
    # code spans are literal text, never links
    text = re.sub(r"`[^`]*`", "", "\n".join(prose))
    return [target for target in _LINK.findall(text)
            if not _SCHEME.match(target) and not target.startswith("//")]


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines"


def test_docs_exist():
    assert DOCS, "docs/*.md is empty"


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_point_at_files(page: Path):
    broken = []
    for target in relative_links(page):
        name, _, fragment = target.partition("#")
        destination = (page.parent / name).resolve() if name else page
        if not destination.exists():
            broken.append(f"{target}: no such file")
        elif fragment and destination.suffix == ".md" and fragment not in anchors(destination):
            broken.append(f"{target}: no heading with that anchor")
    assert not broken, f"{page.name}: " + "; ".join(broken)


def test_every_old_section_is_still_a_heading():
    everywhere = set(headings(README))
    for page in DOCS:
        everywhere |= set(headings(page))
    missing = [title for title in OLD_SECTIONS if title not in everywhere]
    assert not missing, f"sections of the old README with no heading now: {missing}"


def test_quick_start_commands_come_first():
    _, blocks = split_fences(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    (info1, run_lines), (info2, test_lines) = blocks[:2]
    assert (info1, info2) == ("sh", "sh")
    assert len(run_lines) == 1 and len(test_lines) == 1
    install_and_run, install_and_test = run_lines[0], test_lines[0]
    assert "pip install" in install_and_run and install_and_run.endswith("digest run")
    assert "pip install" in install_and_test and install_and_test.endswith("pytest")
    # CI runs the README's test command exactly
    ci = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if "pytest" in line and not line.lstrip().startswith("#")]
    assert ci == [install_and_test]
