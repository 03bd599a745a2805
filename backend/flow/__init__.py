"""The day inside the Puskesmas under ILP (docs/flow.md): the organisation by cluster, today's
duty, registration (loket), queues per service point, the cluster desk, lab and pharmacy, the
waiting-room display and the day report.

Queue state is Puskesmas-local operational state (`tables.py`), like the audit log and the push
outbox: it never replicates. Every clinical record the flow produces (the cluster's encounter,
the lab's results) is an `encounter` document written through the one write path
(`backend/writes.py`), in the same transaction as the queue transition that goes with it.
"""
