"""The demo kecamatan: one Puskesmas, its desa with Kemendagri codes, a Pustu per desa and
Posyandu per dusun.

The layout (names, codes, Posyandu days) depends only on the desa's position, never on the
seed, so demo logins such as `kader.cibodas` stay the same for every seed. The kecamatan is
fictional: its codes have the Kemendagri shape (docs/domain.md §9) inside Kabupaten Bandung Barat
(32.17), whose real kecamatan stop at 32.17.16.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from backend.demo.common import head, new_id

KECAMATAN_CODE = "321717"
KECAMATAN_NAME = "Sukamanah"
KABUPATEN_NAME = "Kabupaten Bandung Barat"
PUSKESMAS_NAME = f"Puskesmas {KECAMATAN_NAME}"
HOSPITAL = "RSUD Cililin"
DESA_PER_SCALE = 8
MAX_DESA = 99   # one kelurahan (1001) and desa 2001-2098 keep NIK serial blocks apart

_CURATED = ("Sukamanah", "Cibodas", "Mekarsari", "Sindangjaya", "Cikahuripan", "Margaluyu",
            "Pasirhalang", "Sukaresmi", "Girimukti", "Jayamekar", "Sirnagalih", "Cipada",
            "Rancapanggung", "Bojongsari", "Nanggerang", "Wangunsari")
_PREFIXES = ("Suka", "Mekar", "Sindang", "Giri", "Marga", "Cipta", "Bojong", "Pasir", "Karya",
             "Sirna", "Wangun", "Tanjung")
_SUFFIXES = ("jaya", "mulya", "sari", "asih", "rahayu", "wangi", "mukti", "laksana", "galih",
             "makmur")
_DUSUN = ("Babakan", "Cibeureum", "Legok", "Pasir Angin", "Cilimus", "Cijambu", "Gunungsari",
          "Ciburial", "Sindangsari", "Cikadu", "Nagrak", "Cigombong", "Pasanggrahan",
          "Ciherang", "Sukasirna", "Cisalak", "Tegalwaru", "Kebon Kalapa", "Leuwigajah")
_POSYANDU = ("Mawar", "Melati", "Anggrek", "Dahlia", "Kenanga", "Flamboyan", "Cempaka",
             "Teratai", "Nusa Indah", "Seruni", "Bougenville", "Sedap Malam")
_POSYANDU_COUNTS = (3, 3, 2, 4, 3, 3, 4, 2)   # ~3 per desa (brief), varied by position


def _desa_names() -> tuple[str, ...]:
    names = list(_CURATED)
    for i in range(len(_PREFIXES) * len(_SUFFIXES)):
        prefix = _PREFIXES[i % len(_PREFIXES)]
        suffix = _SUFFIXES[(i // len(_PREFIXES) + i) % len(_SUFFIXES)]
        if prefix + suffix not in names:
            names.append(prefix + suffix)
    return tuple(names[:MAX_DESA])


DESA_NAMES = _desa_names()


@dataclass(frozen=True)
class Posyandu:
    id: str
    name: str
    dusun: str
    schedule_day: int
    rw: tuple[int, int]   # the two RW of its dusun


@dataclass(frozen=True)
class Desa:
    index: int
    code: str
    name: str
    id: str
    pustu_id: str
    posyandu: tuple[Posyandu, ...]

    @property
    def kelurahan(self) -> bool:
        return self.code[6] == "1"


def desa_code(index: int) -> str:
    """Kemendagri style: the kecamatan town is a kelurahan (1xxx), the rest rural desa (2xxx)."""
    serial = 1001 if index == 0 else 2000 + index
    return f"{KECAMATAN_CODE}{serial}"


def desa_index(code: str) -> int:
    serial = int(code[6:])
    return 0 if serial == 1001 else serial - 2000


def desa_name(code: str) -> str:
    return DESA_NAMES[desa_index(code)]


def desa_count(scale: float) -> int:
    """Scale multiplies the number of desa (8 at scale 1); each desa keeps a realistic size."""
    count = max(1, round(DESA_PER_SCALE * scale))
    if count > MAX_DESA:
        raise ValueError(f"scale {scale} needs {count} desa; one kecamatan holds at most "
                         f"{MAX_DESA} (scale <= {MAX_DESA / DESA_PER_SCALE:.1f})")
    return count


def layout(rng: random.Random, index: int) -> Desa:
    """A desa's places with ids from its RNG; names and days from its position only."""
    count = _POSYANDU_COUNTS[index % len(_POSYANDU_COUNTS)]
    desa_id, pustu_id = new_id(rng, "place"), new_id(rng, "place")
    posyandu = tuple(
        Posyandu(id=new_id(rng, "place"),
                 name=f"Posyandu {_POSYANDU[(index * 3 + j) % len(_POSYANDU)]}",
                 dusun=_DUSUN[(index * 5 + j * 3) % len(_DUSUN)],
                 schedule_day=(index * 5 + j * 7) % 28 + 1,
                 rw=(2 * j + 1, 2 * j + 2))
        for j in range(count))
    code = desa_code(index)
    return Desa(index, code, DESA_NAMES[index], desa_id, pustu_id, posyandu)


def puskesmas_doc(rng: random.Random, day: dt.date) -> dict:
    return {**head(rng, "place", None, day, "admin"), "kind": "puskesmas",
            "name": PUSKESMAS_NAME, "code": KECAMATAN_CODE,
            "address": f"Jl. Raya {KECAMATAN_NAME} No. 12, Kecamatan {KECAMATAN_NAME}, "
                       f"{KABUPATEN_NAME}"}


def desa_docs(rng: random.Random, desa: Desa, puskesmas_id: str, day: dt.date) -> list[dict]:
    """The desa, its Pustu and its Posyandu as `place` reference documents."""
    def place(place_id: str, **fields) -> dict:
        return {**head(rng, "place", desa.code, day, "admin"), "_id": place_id, **fields}

    kind_label = "Kelurahan" if desa.kelurahan else "Desa"
    docs = [
        place(desa.id, kind="desa", name=desa.name, code=desa.code, parent=puskesmas_id,
              address=f"{kind_label} {desa.name}, Kecamatan {KECAMATAN_NAME}"),
        place(desa.pustu_id, kind="pustu", name=f"Pustu {desa.name}", parent=desa.id,
              address=f"Kp. {desa.posyandu[0].dusun} RT 001 RW 001, {kind_label} {desa.name}"),
    ]
    docs += [place(p.id, kind="posyandu", name=p.name, parent=desa.id, dusun=p.dusun,
                   schedule_day=p.schedule_day,
                   address=f"Kp. {p.dusun} RW {p.rw[0]:03d}, {kind_label} {desa.name}")
             for p in desa.posyandu]
    return docs


def session_days(posyandu: Posyandu, first: dt.date, last: dt.date) -> list[dt.date]:
    """The monthly Posyandu days (docs/domain.md §3) falling in [first, last]."""
    days, month = [], dt.date(first.year, first.month, 1)
    while month <= last:
        day = month.replace(day=posyandu.schedule_day)
        if first <= day <= last:
            days.append(day)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return days
