"""Benchmark the clinical rules: due lists per second in Python and in JavaScript (Node).

Run: `.venv/bin/python bench/rules.py [--persons N] [--repeats R]`. Uses the demo Puskesmas
from `backend.demo.generate_documents(scale=1, seed=1)` when it exists, else a synthetic
population made here. It also checks that both evaluators return identical due lists.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.clinical import ClinicalInputError, default_config, due_list  # noqa: E402

TODAY = "2025-06-15"
VACCINES = [("HB0", 1, 0), ("BCG", 1, 30), ("OPV", 1, 30), ("DPT-HB-Hib", 1, 61), ("PCV", 1, 61),
            ("OPV", 2, 61), ("DPT-HB-Hib", 2, 92), ("OPV", 3, 92), ("DPT-HB-Hib", 3, 122),
            ("IPV", 1, 122), ("MR", 1, 275), ("PCV", 3, 366), ("DPT-HB-Hib", 4, 548),
            ("MR", 2, 548)]


def demo_population() -> list[dict] | None:
    """Persons with their encounter and pregnancy documents from the demo generator (made as
    of today, so the due lists are evaluated today)."""
    try:
        from backend.demo import generate_documents  # noqa: PLC0415 (optional, may not exist)
    except ImportError:
        return None
    docs = generate_documents(scale=1, seed=1)
    persons = {d["_id"]: {"person": d, "history": []} for d in docs if d.get("type") == "person"}
    for doc in docs:
        owner = persons.get(doc.get("person"))
        if owner and doc.get("type") in ("encounter", "pregnancy"):
            owner["history"].append(doc)
    return list(persons.values())


def synthetic_population(count: int, seed: int = 1) -> list[dict]:
    """A plausible village: ages 0-85, children with partly complete immunization, adults with
    yearly screenings, some pregnant or recently delivered women, some with hypertension."""
    rng = random.Random(seed)
    return [_synthetic_person(index, rng, date.fromisoformat(TODAY)) for index in range(count)]


def _synthetic_person(index: int, rng: random.Random, today: date) -> dict:
    age_days = rng.choice([rng.randint(0, 5 * 365), rng.randint(0, 85 * 365)])
    birth = today - timedelta(days=age_days)
    person = {"_id": f"person:{index}", "type": "person", "sex": rng.choice("LP"),
              "birth_date": birth.isoformat()}
    entry = {"person": person, "history": []}
    for vaccine, dose, offset in VACCINES:
        if rng.random() < 0.8:
            _visit(entry, today, birth + timedelta(days=offset + rng.randint(0, 40)),
                   immunizations=[{"vaccine": vaccine, "dose": dose}],
                   measurements={"weight_kg": 3 + offset / 60, "height_cm": 50 + offset / 20})
    if age_days > 15 * 365:
        for years_ago in range(rng.randint(0, 3)):
            _visit(entry, today, today - timedelta(days=365 * years_ago + rng.randint(0, 300)),
                   measurements={"sbp": rng.randint(100, 170), "dbp": rng.randint(60, 99),
                                 "weight_kg": 60.0, "height_cm": 160.0},
                   screenings=[{"instrument": "merokok",
                                "answers": {"merokok": rng.random() < 0.3}}])
        if rng.random() < 0.1:
            _visit(entry, today, today - timedelta(days=rng.randint(30, 900)),
                   diagnoses=[{"icd10": "I10"}])
    if person["sex"] == "P" and 18 * 365 < age_days < 40 * 365 and rng.random() < 0.15:
        _pregnancy(entry, today, today - timedelta(days=rng.randint(10, 320)))
    return entry


def _pregnancy(entry: dict, today: date, hpht: date) -> None:
    pregnancy = {"_id": entry["person"]["_id"].replace("person", "pregnancy"),
                 "type": "pregnancy", "person": entry["person"]["_id"],
                 "hpht": hpht.isoformat(), "status": "ongoing"}
    if (today - hpht).days > 280:
        pregnancy.update(status="delivered",
                         delivery={"date": (hpht + timedelta(days=275)).isoformat()})
    entry["history"].append(pregnancy)
    _visit(entry, today, hpht + timedelta(days=60), pregnancy=pregnancy["_id"],
           services=[{"code": "anc_dokter"}])


def _visit(entry: dict, today: date, day: date, **fields) -> None:
    """An encounter document, unless it would lie after `today`."""
    if day <= today:
        history = entry["history"]
        history.append({"_id": f"encounter:{entry['person']['_id']}-{len(history)}",
                        "type": "encounter", "person": entry["person"]["_id"],
                        "date": day.isoformat(), **fields})


def _due(config: dict, entry: dict, on: str) -> dict:
    try:
        return due_list(config, date=on, **entry)
    except ClinicalInputError as error:
        return {"error_field": error.field}


def time_python(population: list[dict], on: str, repeats: int) -> tuple[float, list[dict]]:
    config = default_config()
    lists = [_due(config, entry, on) for entry in population]  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        lists = [_due(config, entry, on) for entry in population]
        best = min(best, time.perf_counter() - start)
    return best, lists


def time_node(population: list[dict], on: str, repeats: int) -> tuple[dict, list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        source, output = Path(tmp, "population.json"), Path(tmp, "due.json")
        source.write_text(json.dumps(population), encoding="utf-8")
        result = subprocess.run(["node", str(ROOT / "bench" / "rules.mjs"), str(source), on,
                                 str(repeats), str(output)],
                                check=True, capture_output=True, text=True, cwd=ROOT)
        return json.loads(result.stdout), json.loads(output.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2000,
                        help="synthetic population size (ignored with the demo data)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--synthetic", action="store_true",
                        help="use the synthetic population even when the demo generator exists")
    args = parser.parse_args()
    population = None if args.synthetic else demo_population()
    origin, on = "backend.demo.generate_documents(scale=1, seed=1)", date.today().isoformat()
    if population is None:
        population, origin, on = synthetic_population(args.persons), "synthetic population", TODAY
    documents = sum(1 + len(entry["history"]) for entry in population)
    python_seconds, python_lists = time_python(population, on, args.repeats)
    node, node_lists = time_node(population, on, args.repeats)
    refused = sum(1 for due in python_lists if "error_field" in due)
    python_rate = len(population) / python_seconds
    same = python_lists == node_lists
    print(f"population: {len(population)} persons, {documents} documents ({origin}), "
          f"evaluated on {on}; {refused} refused as impossible input")
    print(f"python: {python_rate:,.0f} persons/s ({python_seconds * 1000:.0f} ms, best of "
          f"{args.repeats})")
    print(f"node:   {node['persons_per_s']:,.0f} persons/s ({node['seconds'] * 1000:.0f} ms, "
          f"best of {args.repeats})")
    print(f"ratio node/python: {node['persons_per_s'] / python_rate:.1f}x")
    print(f"identical due lists: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
