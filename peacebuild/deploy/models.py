"""What the running installation knows of itself: its background workers' signs of life."""

from django.db import models


class WorkerBeat(models.Model):
    """One row per running `peacebuild worker` process, refreshed every few seconds; the
    health endpoint reads the newest. A stopped worker's row stays until it is stale."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host}"
