"""A job runs to an end the user can see: done with its report, or failed with a reason;
a job whose worker died is marked failed, never left running."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from peacebuild.exchange import jobs
from peacebuild.exchange.models import Job

RUNNER = "peacebuild.exchange.tests.test_jobs"


def counting(job, actor, progress):
    for done in range(1, 4):
        progress(done, 3, f"row {done}")
    job.report = {"summary": ["3 rows read"], "actor": str(actor)}
    job.output, job.output_name = b"a,b\n", "out.csv"


def refusing(job, actor, progress):
    progress(1, 10, "reading", force=True)
    raise jobs.JobFailed("Row 2: the date 2004-13-45 does not exist.")


def crashing(job, actor, progress):
    raise KeyError("boom")


@pytest.fixture
def runner(monkeypatch):
    def use(name: str, kind: str = Job.Kind.SHEET_IMPORT) -> None:
        monkeypatch.setitem(jobs.RUNNERS, kind, f"{RUNNER}.{name}")
    return use


def test_a_job_that_succeeds_keeps_its_report_output_and_full_progress(office, runner):
    runner("counting")
    job = Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT)
    seen = []
    jobs.run_job(job.pk, listener=lambda j: seen.append((j.state, j.done)))
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.percent == 100
    assert job.report["summary"] == ["3 rows read"] and job.report["actor"] == "SYSTEM"
    assert bytes(job.output) == b"a,b\n" and job.finished_at is not None
    assert seen[-1] == (Job.State.DONE, 3) and (Job.State.RUNNING, 2) in seen


def test_a_refused_job_is_failed_with_the_runners_reason(office, runner):
    runner("refusing")
    job = Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.reason == "Row 2: the date 2004-13-45 does not exist."


def test_a_crash_is_failed_with_a_reason_not_left_running(office, runner):
    runner("crashing")
    job = Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "KeyError" in job.reason


def test_a_job_runs_once(office, runner):
    runner("counting")
    job = Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT)
    first = jobs.run_job(job.pk).finished_at
    assert jobs.run_job(job.pk).finished_at == first


def test_a_running_job_without_heartbeat_is_marked_failed(office):
    old = timezone.now() - dt.timedelta(minutes=6)
    dead = Job.objects.create(office=office, kind=Job.Kind.IATI_IMPORT,
                              state=Job.State.RUNNING, heartbeat_at=old)
    alive = Job.objects.create(office=office, kind=Job.Kind.IATI_IMPORT,
                               state=Job.State.RUNNING, heartbeat_at=timezone.now())
    assert jobs.fail_stale() == 1
    dead.refresh_from_db(), alive.refresh_from_db()
    assert dead.state == Job.State.FAILED and "stopped" in dead.reason
    assert alive.state == Job.State.RUNNING


def test_an_upload_over_the_limit_keeps_nothing(office, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    job = Job(office=office, kind=Job.Kind.SHEET_IMPORT)
    with pytest.raises(jobs.JobFailed, match="larger than 1 MB"):
        jobs.store_input(job, "big.csv", iter([b"x" * 600_000, b"x" * 600_000]),
                         limit=1_000_000)
    assert list((tmp_path / "exchange").iterdir()) == []
    jobs.store_input(job, "small.csv", iter([b"a,b\n"]), limit=1_000_000)
    assert job.checksum == hashlib.sha256(b"a,b\n").hexdigest()
    assert Path(job.input_path).read_bytes() == b"a,b\n"


def test_the_import_command_runs_the_job_and_fails_loudly(office, runner, tmp_path, settings,
                                                          capsys):
    settings.DATA_DIR = tmp_path
    source = tmp_path / "activities.csv"
    source.write_text("title\n")
    runner("counting")
    call_command("import", str(source), "--office", office.code)
    assert "3 rows read" in capsys.readouterr().out
    job = Job.objects.get()
    assert job.kind == Job.Kind.SHEET_IMPORT and job.input_name == "activities.csv"
    runner("refusing")
    with pytest.raises(CommandError, match="2004-13-45"):
        call_command("import", str(source), "--office", office.code, "--dry-run")
    with pytest.raises(CommandError, match="No office"):
        call_command("import", str(source), "--office", "NOPE")


def test_the_export_command_writes_the_jobs_output(office, runner, tmp_path):
    runner("counting", Job.Kind.HXL_EXPORT)
    out = tmp_path / "out.csv"
    call_command("export", "--office", office.code, "--format", "hxl", "--out", str(out))
    assert out.read_bytes() == b"a,b\n"


def _stored(office, tmp_path, **fields) -> Job:
    job = Job(office=office, kind=Job.Kind.SHEET_IMPORT, **fields)
    jobs.store_input(job, "a.csv", iter([b"title\n"]), limit=1_000_000)
    job.save()
    return job


def test_an_upload_is_removed_when_its_job_ends_unless_a_commit_may_apply_it(
        office, runner, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    runner("counting")
    dry = jobs.run_job(_stored(office, tmp_path, dry_run=True).pk)
    assert dry.state == Job.State.DONE and Path(dry.input_path).is_file()  # to be committed
    first = Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT, applies=dry,
                               input_name=dry.input_name, input_path=dry.input_path,
                               checksum=dry.checksum)
    runner("refusing")
    assert jobs.run_job(first.pk).state == Job.State.FAILED
    assert Path(dry.input_path).is_file()  # a failed commit may be tried again
    runner("counting")
    second = Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT, applies=dry,
                                input_name=dry.input_name, input_path=dry.input_path,
                                checksum=dry.checksum)
    assert jobs.run_job(second.pk).state == Job.State.DONE
    assert not Path(dry.input_path).exists()  # applied: nobody needs it any more
    runner("refusing")
    failed = jobs.run_job(_stored(office, tmp_path).pk)
    assert failed.state == Job.State.FAILED and not Path(failed.input_path).exists()
    failed_dry = jobs.run_job(_stored(office, tmp_path, dry_run=True).pk)
    assert not Path(failed_dry.input_path).exists()  # a failed dry run is never committed
    assert list((tmp_path / "exchange").iterdir()) == []


def test_uploads_left_longer_than_the_days_given_are_purged(office, runner, tmp_path,
                                                            settings, capsys):
    import os
    import time

    settings.DATA_DIR = tmp_path
    runner("counting")
    old_dry = jobs.run_job(_stored(office, tmp_path, dry_run=True).pk)  # never committed
    queued = _stored(office, tmp_path)  # waits for its worker
    recent = jobs.run_job(_stored(office, tmp_path, dry_run=True).pk)
    stray = tmp_path / "exchange" / "0123abcd.upload"  # its job was never saved
    stray.write_bytes(b"x")
    ten_days_ago = time.time() - 10 * 86400
    for path in (Path(old_dry.input_path), Path(queued.input_path), stray):
        os.utime(path, (ten_days_ago, ten_days_ago))
    call_command("purge_uploads", "--days", "7")
    assert "2 uploaded file(s) removed" in capsys.readouterr().out
    assert not Path(old_dry.input_path).exists() and not stray.exists()
    assert Path(queued.input_path).is_file() and Path(recent.input_path).is_file()
    old_dry.refresh_from_db()
    assert old_dry.report  # the job and its report stay
    with pytest.raises(CommandError):
        call_command("purge_uploads", "--days", "-1")
