"""Follow-up tasks from the findings of newly stored encounters (docs/followup.md).

For each new live encounter of a batch: its findings and follow-ups from the clinical
evaluator (`backend.clinical.encounter_findings` / `follow_ups`, config/ilp/followup.json),
then one open task per follow-up unless

* the task already exists (same encounter and rule: a retried push, a second server, the CLI
  run again), whatever its state: a task someone closed, cancelled or deleted stays so;
* the person already has an open or in-progress task of the same rule: the bidan has one
  thing to do, not one per visit that saw it again;
* another encounter corrects this one (the correction derives instead).

A correction (`corrects`) that no longer has a finding cancels the still-`open` tasks derived
from the visits it corrects; a task someone has started (`in_progress`) is theirs to close.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from backend.clinical import ClinicalInputError, encounter_findings, follow_ups
from backend.followup import inputs as reads
from backend.followup.tasks import Context, cancelled, new_task, task_id
from backend.review.corrections import RULE as CORRECTION_RULE

log = logging.getLogger(__name__)


def encounter_tasks(conn: sa.Connection, found: dict[str, dict], context: Context
                    ) -> list[dict]:
    """The task documents to write for the encounters `found` (id -> live winner body)."""
    if context.since:
        found = {i: enc for i, enc in found.items() if enc["date"] >= context.since}
    if not found:
        return []
    inputs = reads.load(conn, found, context.records)
    planned: dict[str, list[dict]] = {}
    # Oldest first: when two visits of one batch find the same thing, the first one's task
    # is the one that stays.
    for enc_id, enc in sorted(found.items(), key=lambda item: (item[1]["date"], item[0])):
        if enc_id in inputs.corrected or enc["person"] not in inputs.persons:
            continue
        try:
            planned[enc_id] = _follow_ups(context.config, enc_id, enc, inputs)
        except ClinicalInputError as exc:
            # Never refuse a visit for what the evaluator cannot classify: it derives nothing.
            log.warning("follow-up not derived from %s: %s", enc_id, exc)
    inputs.existing = reads.stored_ids(conn, [task_id(enc_id, follow_up["rule"])
                                          for enc_id, due in planned.items() for follow_up in due])
    out: list[dict] = []
    for enc_id, due in planned.items():
        enc = found[enc_id]
        if enc.get("corrects"):
            out += _cancel_corrected(enc, {f["rule"] for f in due}, inputs, context.now)
        out += _new_tasks(enc_id, enc, due, inputs)
    return out


def _follow_ups(config: dict, enc_id: str, enc: dict, inputs: reads.Inputs) -> list[dict]:
    person = inputs.persons[enc["person"]]
    findings = encounter_findings(config, person=person, encounter={**enc, "_id": enc_id},
                                  history=inputs.history.get(enc["person"], []))
    return follow_ups(config, findings=findings)


def _new_tasks(enc_id: str, enc: dict, planned: list[dict], inputs: reads.Inputs
               ) -> list[dict]:
    out = []
    for follow_up in planned:
        doc_id, key = task_id(enc_id, follow_up["rule"]), (enc["person"], follow_up["rule"])
        if doc_id in inputs.existing or key in inputs.open_rules:
            continue
        inputs.existing.add(doc_id)
        inputs.open_rules.add(key)
        inputs.open_rules.update((enc["person"], rule) for rule in follow_up.get("covers") or [])
        out.append(new_task(enc_id, enc, follow_up, _assignee(follow_up, enc["desa"], inputs)))
    return out


def _assignee(follow_up: dict, desa: str, inputs: reads.Inputs) -> str | None:
    """The desa's Pustu for `pustu` (the Puskesmas when the desa has none); the Puskesmas for a
    referral to a cluster. None only where no such place is stored yet."""
    if follow_up["to"] == "pustu":
        return inputs.pustu.get(desa, inputs.puskesmas)
    return inputs.puskesmas


def _cancel_corrected(enc: dict, kept: set[str], inputs: reads.Inputs, now: str
                      ) -> list[dict]:
    out = []
    for origin in _corrected_chain(enc, inputs.history.get(enc["person"], [])):
        for task in inputs.by_origin.pop(origin, []):
            if task.get("rule") in kept:
                continue  # the correction still finds it: the task stays as it is
            if task.get("rule") == CORRECTION_RULE:
                continue  # the review's correction task: the correction closes it as done
            out.append(cancelled(task, task["_rev"], now))
            inputs.open_rules.discard((task["person"], task["rule"]))
    return out


def _corrected_chain(enc: dict, history: list[dict]) -> list[str]:
    """The visits `enc` corrects: the one it names, the one that one corrected, and so on."""
    corrects = {doc["_id"]: doc.get("corrects") for doc in history if doc.get("type") ==
                "encounter"}
    chain, current = [], enc.get("corrects")
    while current and current not in chain:
        chain.append(current)
        current = corrects.get(current)
    return chain
