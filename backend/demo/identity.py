"""Identity numbers: NIK, no. KK, JKN card numbers and mobile phones, shaped like the real ones.

NIK (docs/domain.md §10): kecamatan code of registration, birth date DDMMYY, 40 added to the day for
women, 4-digit serial. No. KK: kecamatan code, issue date DDMMYY, serial. Serials are drawn
from a block per desa (desa index x 100), so numbers never collide across desa and a desa's
numbers do not change when the scale adds more desa.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

# Where people who moved in were first registered: neighbouring kecamatan, Bandung, Cianjur
# and Central Java (for Javanese families).
_ORIGIN_SUNDA = ("321701", "321705", "321709", "320419", "327301", "320301", "320314")
_ORIGIN_JAWA = ("330101", "330215", "331006", "337401", "340201")
# Indonesian mobile prefixes (Telkomsel, Indosat, XL, Tri, Smartfren).
_PHONE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0857", "0856", "0877",
                   "0878", "0819", "0896", "0895", "0881")


class Registry:
    """Hands out NIK and no. KK serials for one desa of the demo kecamatan."""

    def __init__(self, kecamatan: str, desa_index: int):
        self.kecamatan = kecamatan
        self._block = desa_index * 100
        self._used: defaultdict[str, int] = defaultdict(int)

    def _serial(self, prefix: str) -> str:
        self._used[prefix] += 1
        if self._used[prefix] >= 100:
            raise ValueError(f"serial block of {prefix} exhausted")
        return f"{prefix}{self._block + self._used[prefix]:04d}"

    def nik(self, rng: random.Random, sex: str, birth: dt.date, javanese: bool,
            moved_in: bool) -> str:
        day = birth.day + (40 if sex == "P" else 0)
        date_part = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        if moved_in:  # registered elsewhere: any serial, the block only guards our kecamatan
            origin = rng.choice(_ORIGIN_JAWA if javanese else _ORIGIN_SUNDA)
            return f"{origin}{date_part}{rng.randint(1, 9999):04d}"
        return self._serial(f"{self.kecamatan}{date_part}")

    def no_kk(self, issued: dt.date) -> str:
        return self._serial(f"{self.kecamatan}{issued:%d%m%y}")


def phone(rng: random.Random) -> str:
    digits = rng.randint(7, 9)
    return rng.choice(_PHONE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(digits))


def jkn(rng: random.Random) -> str:
    """BPJS Kesehatan card numbers are 13 digits, in practice starting with 000."""
    return "000" + "".join(str(rng.randint(0, 9)) for _ in range(10))
