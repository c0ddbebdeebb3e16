"""The committed front-end build: fresh, small, and complete."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

from loadforge.dashboard.app import STATIC_DIR

REPO = Path(__file__).resolve().parents[3]
WEB = REPO / "web"
# The same list and algorithm as web/scripts/record-source-hash.mjs.
TOP_LEVEL = (
    "index.html",
    "package.json",
    "package-lock.json",
    "postcss.config.js",
    "tailwind.config.js",
    "tsconfig.json",
    "vite.config.ts",
)


def source_hash() -> str:
    names = [
        *TOP_LEVEL,
        *(p.relative_to(WEB).as_posix() for p in (WEB / "src").rglob("*") if p.is_file()),
    ]
    digest = hashlib.sha256()
    for name in sorted(names):
        file_digest = hashlib.sha256((WEB / name).read_bytes()).hexdigest()
        digest.update(f"{name}\n{file_digest}\n".encode())
    return digest.hexdigest()


def test_the_committed_build_matches_the_web_sources() -> None:
    recorded = (STATIC_DIR / "source-hash.txt").read_text().strip()
    assert recorded == source_hash(), (
        "src/loadforge/dashboard/static is older than web/: run `npm ci && npm run build` in web/"
        " and commit the result."
    )


def test_index_html_loads_assets_that_exist() -> None:
    html = (STATIC_DIR / "index.html").read_text()
    assets = re.findall(r'(?:src|href)="\./(assets/[^"]+)"', html)
    assert any(a.endswith(".js") for a in assets)
    assert any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert (STATIC_DIR / asset).is_file(), asset


def test_the_gzipped_bundle_is_under_500_kb() -> None:
    total = sum(len(gzip.compress(path.read_bytes())) for path in (STATIC_DIR / "assets").iterdir())
    assert 0 < total < 500 * 1024
