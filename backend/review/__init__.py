"""Review of synced records at the Puskesmas (docs/review.md).

* `flags.py` — the data-quality flags of each person's records (projection `quality_flags`),
  found by the rules of config/ilp/quality.json through backend/clinical/quality.py;
* `duplicates.py` — possible duplicate persons (projection `duplicate_pairs`), scored by
  backend/clinical/duplicates.py with config/ilp/duplicates.json;
* `refresh.py` — keeps both in step with every write, in its transaction;
* `queue.py`, `decisions.py`, `corrections.py`, `progress.py` — the review queue, the
  reviewer's verdicts, the correction tasks sent to the Pustu, the share reviewed;
* `merge.py`, `follow.py` — merging a duplicate into its survivor (and undoing it), and
  moving what a device still records on a merged person to the survivor;
* `tables.py` — review state (not a projection).
"""
