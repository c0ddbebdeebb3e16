"""The README's pictures exist, and every link inside it lands on one of its headings.

The comparison table against Locust and k6 links each LoadForge entry to
the section that shows it, so a renamed or removed section breaks a test
instead of leaving the table pointing nowhere.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
IMAGES = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
ANCHORS = re.findall(r"\]\(#([^)]+)\)", README)


def github_anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces as dashes."""
    kept = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return kept.replace(" ", "-")


HEADINGS = {
    github_anchor(line.lstrip("#")) for line in README.splitlines() if re.match(r"#{1,6} ", line)
}


def test_the_anchor_rule_matches_github_on_headings_with_code_and_colons() -> None:
    assert github_anchor(" Runs on a Ray cluster: `--cluster`") == "runs-on-a-ray-cluster---cluster"
    assert github_anchor(" Server mode: `loadforge serve`") == "server-mode-loadforge-serve"
    assert github_anchor(" LoadForge, Locust and k6") == "loadforge-locust-and-k6"


def test_every_picture_the_readme_shows_is_committed() -> None:
    assert {"docs/images/terminal.svg", "docs/images/dashboard.png"} <= set(IMAGES)
    for image in IMAGES:
        path = REPO / image
        assert path.is_file(), f"README shows {image}, which is not in the repository"
        assert path.stat().st_size > 5_000, f"{image} is too small to be a real screenshot"


def test_every_link_inside_the_readme_lands_on_a_heading() -> None:
    assert len(ANCHORS) >= 13
    missing = sorted(set(ANCHORS) - HEADINGS)
    assert missing == [], f"README links to sections it does not have: {missing}"


def test_the_comparison_table_links_each_loadforge_entry() -> None:
    section = README.split("## LoadForge, Locust and k6", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    entries = [row.split("|")[2] for row in rows[1:]]
    assert len(entries) >= 12
    for entry in entries:
        assert "](#" in entry, f"the LoadForge entry {entry.strip()!r} links to no section"
