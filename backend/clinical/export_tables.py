"""Write the WHO LMS tables as static JSON for the PWA.

Run: `python -m backend.clinical.export_tables OUTDIR`.

One file per table (`who2006_bb_u.json`, ...) plus `index.json`, which the browser loader and
the Node tests read. The output folder is build output (git-ignored); the Makefile runs this.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from backend.clinical.tables import who_tables


def export(outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    tables = who_tables()
    written = []
    index = {"package": tables["package"], "tables": {}}
    for reference in ("who2006", "who2007"):
        for name, table in tables[reference].items():
            filename = f"{reference}_{name}.json"
            index["tables"].setdefault(reference, {})[name] = filename
            written.append(_write(outdir / filename, table))
    written.append(_write(outdir / "index.json", index))
    return written


def _write(path: Path, payload: dict) -> Path:
    path.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m backend.clinical.export_tables OUTDIR", file=sys.stderr)
        return 2
    paths = export(Path(argv[0]))
    size = sum(path.stat().st_size for path in paths)
    print(f"wrote {len(paths)} files ({size // 1024} KiB) to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
