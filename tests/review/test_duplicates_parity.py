"""The duplicate score is the same in Python and on the tablet, on thousands of random pairs
of near-identical persons (spelling slips, swapped words, birth dates off by days or a year),
beyond the hand-written vectors in tests/vectors/duplicates_*.json."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from backend.clinical import default_config
from tests.clinical.vectors import RULES

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js not installed")

WORDS = ["siti", "nur", "aminah", "muhammad", "rizki", "asep", "saepudin", "euis", "komariah",
         "dedi", "kurniawan", "djoko", "soesilo", "tjutju", "nining", "haliza", "dewi"]


def _name(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(1, 3))
    return " ".join(w.capitalize() for w in words)


def _slip(rng: random.Random, name: str) -> str:
    """A registration typo: a letter dropped, doubled or swapped, or words reordered."""
    kind = rng.randrange(4)
    if kind == 0 and len(name) > 3:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1:]
    if kind == 1:
        i = rng.randrange(len(name))
        return name[:i] + name[i] + name[i:]
    if kind == 2 and len(name) > 3:
        i = rng.randrange(len(name) - 1)
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return " ".join(reversed(name.split(" ")))


def _person(rng: random.Random, base: dict | None = None) -> dict:
    born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 27000))
    person = {"name": _name(rng), "sex": rng.choice("LP"), "birth_date": born.isoformat(),
              "birth_date_estimated": rng.random() < 0.1, "desa": rng.choice(["1", "2"]),
              "nik": rng.choice([None, "3217170101900001", "3217170101900002"]),
              "no_kk": rng.choice([None, "3217170101100001"]),
              "mother": rng.choice([None, "Siti Aminah", "Siti Aminah", "Euis"]),
              "household": rng.choice([None, "household:a", "household:b"])}
    if base:
        shift = rng.choice([0, 0, 1, -3, 30, 365, 366, 2000])
        person.update(name=_slip(rng, base["name"]), desa=base["desa"], birth_date=(
            date.fromisoformat(base["birth_date"]) + timedelta(days=shift)).isoformat())
    return person


def test_python_and_javascript_score_random_pairs_alike() -> None:
    rng = random.Random(20261130)
    batch = []
    for _ in range(3000):
        a = _person(rng)
        batch.append(("duplicates_compare", {"a": a, "b": _person(rng, a if rng.random() < 0.8
                                                                        else None)}))
    completed = subprocess.run(["node", str(ROOT / "tests" / "js" / "evaluate.mjs")],
                               input=json.dumps(batch), capture_output=True, text=True,
                               check=True, cwd=ROOT)
    javascript = json.loads(completed.stdout)
    config = default_config()
    differing = [payload for (rule, payload), js in zip(batch, javascript, strict=True)
                 if RULES[rule](config, **payload) != js]
    assert differing == []
    listed = sum(1 for js in javascript if js["score"] >= 0.65)
    assert 300 < listed < 2700  # the random pairs reach both sides of the threshold
