"""Draws the Siklus app icons (PNG and SVG) with no imaging library: `python -m backend.pwa.icons`.

The mark is a person inside a cycle arrow (care along the life cycle), white on the app's
teal. The maskable icon is full-bleed and keeps the mark inside the 80 % safe circle that
launchers may crop to. Output is committed under pwa/icons/.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

TEAL = (11, 110, 105)
WHITE = (255, 255, 255)
SAMPLES = 4  # per axis: 16 samples per pixel for anti-aliased edges
RING_R, RING_W = 0.30, 0.075
GAP_START, GAP_END = math.radians(-105), math.radians(-55)  # the gap at the top, y pointing down
ARROW_HALF, ARROW_LEN = 0.085, 0.10
HEAD = (0.5, 0.42, 0.075)
BODY = (0.5, 0.665, 0.14)


def _in_ring(x: float, y: float) -> bool:
    dx, dy = x - 0.5, y - 0.5
    if abs(math.hypot(dx, dy) - RING_R) > RING_W / 2:
        return False
    angle = math.atan2(dy, dx)
    return not GAP_START <= angle <= GAP_END


def _arrow() -> tuple[tuple[float, float], ...]:
    # The arc runs clockwise from GAP_END round to GAP_START; the head points onward.
    end = GAP_START
    cx, cy = 0.5 + RING_R * math.cos(end), 0.5 + RING_R * math.sin(end)
    tx, ty = -math.sin(end), math.cos(end)      # clockwise tangent
    rx, ry = math.cos(end), math.sin(end)       # radial
    return ((cx + rx * ARROW_HALF, cy + ry * ARROW_HALF),
            (cx - rx * ARROW_HALF, cy - ry * ARROW_HALF),
            (cx + tx * ARROW_LEN, cy + ty * ARROW_LEN))


ARROW = _arrow()


def _in_triangle(x: float, y: float, tri) -> bool:
    (ax, ay), (bx, by), (cx, cy) = tri
    d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by)
    d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy)
    d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def _in_mark(x: float, y: float) -> bool:
    hx, hy, hr = HEAD
    bx, by, br = BODY
    return (_in_ring(x, y) or _in_triangle(x, y, ARROW) or math.hypot(x - hx, y - hy) <= hr
            or (y <= by and math.hypot(x - bx, y - by) <= br))


def _in_tile(x: float, y: float, rounded: bool) -> bool:
    if not rounded:
        return True
    radius = 0.2
    qx, qy = max(abs(x - 0.5) - (0.5 - radius), 0), max(abs(y - 0.5) - (0.5 - radius), 0)
    return math.hypot(qx, qy) <= radius


def render(size: int, rounded: bool) -> bytes:
    """RGBA rows of the icon at `size` px."""
    rows = bytearray()
    step = 1 / (size * SAMPLES)
    for py in range(size):
        rows.append(0)  # PNG filter type 0 for this row
        for px in range(size):
            tile = mark = 0
            for sy in range(SAMPLES):
                y = (py * SAMPLES + sy + 0.5) * step
                for sx in range(SAMPLES):
                    x = (px * SAMPLES + sx + 0.5) * step
                    if _in_tile(x, y, rounded):
                        tile += 1
                        mark += _in_mark(x, y)
            alpha = tile / SAMPLES**2
            share = mark / tile if tile else 0
            rows += bytes(round(t + (w - t) * share) for t, w in zip(TEAL, WHITE, strict=True))
            rows.append(round(alpha * 255))
    return bytes(rows)


def png(size: int, rgba_rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rgba_rows, 9)) + chunk(b"IEND", b""))


def svg() -> str:
    def pt(x: float, y: float) -> str:
        return f"{x * 512:.1f} {y * 512:.1f}"

    start = (0.5 + RING_R * math.cos(GAP_END), 0.5 + RING_R * math.sin(GAP_END))
    end = (0.5 + RING_R * math.cos(GAP_START), 0.5 + RING_R * math.sin(GAP_START))
    r = RING_R * 512
    hx, hy, hr = HEAD
    bx, by, br = BODY
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        '<rect width="512" height="512" rx="102.4" fill="#0b6e69"/>'
        f'<path d="M{pt(*start)} A{r:.1f} {r:.1f} 0 1 1 {pt(*end)}" fill="none" '
        f'stroke="#fff" stroke-width="{RING_W * 512:.1f}"/>'
        f'<polygon points="{" ".join(pt(*p) for p in ARROW)}" fill="#fff"/>'
        f'<circle cx="{hx * 512:.1f}" cy="{hy * 512:.1f}" r="{hr * 512:.1f}" fill="#fff"/>'
        f'<path d="M{pt(bx - br, by)} A{br * 512:.1f} {br * 512:.1f} 0 0 1 {pt(bx + br, by)} Z" '
        'fill="#fff"/></svg>\n')


def write_all(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, size, rounded in (("icon-192.png", 192, True), ("icon-512.png", 512, True),
                                ("icon-maskable-512.png", 512, False)):
        (out / name).write_bytes(png(size, render(size, rounded)))
    (out / "icon.svg").write_text(svg(), encoding="utf-8")


if __name__ == "__main__":
    write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "pwa/icons"))
