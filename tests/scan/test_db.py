"""Scanning in the database (п. 9.2): upload → batch job → reconciliation with the entered marks → the
verification queue; idempotent re-upload, resume after a crash, publication blocked while questions are open."""

from __future__ import annotations

import io

import numpy as np
import pytest

from itog.conduct import services as CS
from itog.conduct.models import Work
from itog.scan import services as SS
from itog.scan import synth
from itog.scan.models import Decision, ScanPage, VerificationItem
from tests.conduct.fixtures import finished_session
from tests.scan.helpers import participant

pytestmark = pytest.mark.django_db


def render_scan(work: Work, boxes: dict[str, bool], dpi: int = 150, seed: int = 1) -> bytes:
    """The registration page of ``work`` rendered, crossed where ``boxes`` say, slightly distorted, as PNG."""
    import cv2

    from itog.blanks.render import render_kits

    buf = io.BytesIO()
    render_kits([participant(work.code)], buf)
    page = synth.rasterize_pdf(buf.getvalue(), dpi)[0]
    rng = np.random.default_rng(seed)
    marks = {box: synth.MarkSpec("cross", "marked") for box, on in boxes.items() if on}
    image = synth.draw_marks(page, dpi, "registration", marks, rng)
    image, _ = synth.distort(image, dpi, rng, quarter=0)
    ok, png = cv2.imencode(".png", image)
    assert ok
    return png.tobytes()


@pytest.fixture
def unverified(region, monkeypatch, tmp_path):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")
    monkeypatch.setenv("ITOG_SCAN_WORKERS", "1")
    session = finished_session(region)
    session.processed_at = session.published_at = session.results_date = None
    session.save()
    Work.objects.filter(session=session).update(scan_verified_at=None)
    return session


def _entered(work):
    return SS.entered_boxes(work.expert_requirements, work.expert_marks, work.expert_result)


def _upload(session, user, tmp_path, files: dict[str, bytes]):
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    return SS.add_paths(session, user, paths)


def test_agreeing_scan_verifies_a_mismatch_goes_to_the_queue_until_decided(region, unverified, tmp_path):
    """п. 9.2 (E18): scanned, recognised, verified against the entered marks — a mismatch waits for a decision."""
    session = unverified
    rcoi = region.user("rcoi")
    w1, w2 = list(Work.objects.filter(session=session).order_by("pk")[:2])
    wrong = dict(_entered(w2))
    flip = "k3.pass" if wrong.get("k3.pass") else "k3.fail"
    other = "k3.fail" if flip == "k3.pass" else "k3.pass"
    wrong[flip], wrong[other] = False, True
    batch = _upload(
        session, rcoi, tmp_path, {"a.png": render_scan(w1, _entered(w1)), "b.png": render_scan(w2, wrong, seed=2)}
    )
    assert batch.job.status == "done", batch.job.error
    w1.refresh_from_db()
    w2.refresh_from_db()
    assert w1.scan_verified_at is not None
    assert w2.scan_verified_at is None
    items = list(VerificationItem.objects.filter(work=w2, status="open"))
    assert {i.box_id for i in items if i.kind == "mismatch"} >= {flip, other}
    # the rest of the session is verified (scanned elsewhere), so only w2 blocks
    Work.objects.filter(session=session).exclude(pk=w2.pk).update(scan_verified_at=w1.scan_verified_at)
    with pytest.raises(CS.Refused) as exc:
        CS.mark_processed(session, rcoi)
    assert "Сверка распознанной информации" in exc.value.violations[0].message
    for item in items:
        SS.decide(
            item,
            rcoi,
            Decision.ENTERED_CORRECT if item.kind in SS.BOX_KINDS else Decision.ACCEPTED,
            "Проверено по оригиналу",
        )
    w2.refresh_from_db()
    assert w2.scan_verified_at is not None
    CS.mark_processed(session, rcoi)
    assert items[0].history.first().history_user == rcoi


def test_reupload_adds_nothing_and_a_resumed_batch_skips_read_pages(region, unverified, tmp_path, monkeypatch):
    session = unverified
    rcoi = region.user("rcoi")
    w1 = Work.objects.filter(session=session).first()
    data = render_scan(w1, _entered(w1))
    _upload(session, rcoi, tmp_path, {"a.png": data})
    assert ScanPage.objects.count() == 1
    again = _upload(session, rcoi, tmp_path, {"copy-of-a.png": data})
    assert again.skipped == ["copy-of-a.png"] and again.job is None
    assert ScanPage.objects.count() == 1
    # a crash after the first page: the rerun reads only the second one
    w2 = Work.objects.filter(session=session).exclude(pk=w1.pk).first()
    calls = []
    real = SS._recognize
    monkeypatch.setattr(SS, "_recognize", lambda ref: (calls.append(ref.file), real(ref))[1])
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")  # queue only: on_commit never fires inside the test
    batch = _upload(
        session,
        rcoi,
        tmp_path,
        {"c.png": render_scan(w2, _entered(w2)), "d.png": render_scan(w1, _entered(w1), seed=5)},
    )
    first = batch.files.order_by("pk").first()
    from itog.scan.inputs import page_refs

    ref = next(page_refs([first.stored.path]))
    SS._save_page(first, ref, real(ref)[1])
    from itog.jobs.runner import run_job

    run_job(batch.job_id)
    assert len(calls) == 1 and ScanPage.objects.count() == 3
    # the same work scanned twice (a and d): the duplicate is a question
    assert VerificationItem.objects.filter(work=w1, kind="duplicate_page", status="open").exists()


def test_unreadable_and_foreign_pages_do_not_stop_the_batch(region, unverified, tmp_path):
    session = unverified
    rcoi = region.user("rcoi")
    import cv2

    w1 = Work.objects.filter(session=session).first()
    foreign = synth.foreign_page(150, np.random.default_rng(3))
    files = {
        "broken.png": b"\x89PNG\r\n\x1a\nnot really",
        "foreign.png": cv2.imencode(".png", foreign)[1].tobytes(),
        "good.png": render_scan(w1, _entered(w1)),
    }
    batch = _upload(session, rcoi, tmp_path, files)
    assert batch.job.status == "done"
    w1.refresh_from_db()
    assert w1.scan_verified_at is not None
    flagged = ScanPage.objects.filter(status="flagged", work_code="")
    assert flagged.count() == 2 and all(p.reasons for p in flagged)


def test_queue_pages_crop_and_scope(region, unverified, tmp_path, login):
    session = unverified
    rcoi = region.user("rcoi")
    w1 = Work.objects.filter(session=session).first()
    wrong = {k: not v if k.startswith("k1.") else v for k, v in _entered(w1).items()}
    _upload(session, rcoi, tmp_path, {"w.png": render_scan(w1, wrong)})
    item = VerificationItem.objects.filter(work=w1, kind="mismatch").first()
    client = login("rcoi")
    page = client.get(f"/verification/{item.pk}/").content.decode()
    assert w1.code in page and "Эксперт (копия)" in page
    crop = client.get(f"/verification/{item.pk}/crop.png")
    assert crop.status_code == 200 and crop["Content-Type"] == "image/png"
    import cv2

    img = cv2.imdecode(np.frombuffer(crop.content, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert img is not None and 40 < img.shape[0] < 400  # the box with a margin, not the page
    queue = client.get(f"/sessions/{session.pk}/verification/").content.decode()
    assert item.reason in queue
    resp = client.post(f"/verification/{item.pk}/", {"decision": "blank_differs", "note": ""})
    assert resp.status_code == 302
    w1.refresh_from_db()
    assert w1.status == "blocked" and w1.scan_verified_at is None  # back to the authorized person
    for user in ("mouo", "school", "expert"):
        assert login(user).get(f"/verification/{item.pk}/").status_code == 403


def test_scan_load_command_files_a_station_folder_into_the_session(region, unverified, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    w1 = Work.objects.filter(session=unverified).first()
    folder = tmp_path / "station"
    folder.mkdir()
    (folder / "0001.png").write_bytes(render_scan(w1, _entered(w1)))
    out = StringIO()
    call_command("scan", "load", "--session", str(unverified.pk), "--user", "rcoi", str(folder), stdout=out)
    assert "сверка пройдена: 1" in out.getvalue()
    again = StringIO()
    call_command("scan", "load", "--session", str(unverified.pk), str(folder), stdout=again)
    assert "пропущены): 1" in again.getvalue() and ScanPage.objects.count() == 1


def test_batch_with_a_process_pool_reads_every_page(region, unverified, tmp_path, monkeypatch):
    """The pool's workers import no Django (a worker that cannot unpickle its task would hang the batch)."""
    monkeypatch.setenv("ITOG_SCAN_WORKERS", "2")
    works = list(Work.objects.filter(session=unverified).order_by("pk")[:3])
    batch = _upload(
        unverified,
        region.user("rcoi"),
        tmp_path,
        {f"p{i}.png": render_scan(w, _entered(w), seed=i) for i, w in enumerate(works)},
    )
    assert batch.job.status == "done", batch.job.error
    assert ScanPage.objects.filter(file__batch=batch).count() == 3
    assert Work.objects.filter(pk__in=[w.pk for w in works], scan_verified_at__isnull=False).count() == 3


def test_reloading_the_files_of_an_interrupted_batch_resumes_it(region, unverified, tmp_path, monkeypatch):
    """A worker read one page and died (lease expired, nobody took over): loading the same files again continues
    that batch — the missing page is read, the read one is not read again — instead of skipping them."""
    from datetime import timedelta

    from django.utils import timezone

    from itog.jobs.models import Job
    from itog.scan.inputs import page_refs

    session, rcoi = unverified, region.user("rcoi")
    w1, w2 = list(Work.objects.filter(session=session).order_by("pk")[:2])
    files = {"r1.png": render_scan(w1, _entered(w1)), "r2.png": render_scan(w2, _entered(w2), seed=3)}
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")  # queued only: on_commit never fires inside the test
    batch = _upload(session, rcoi, tmp_path, files)
    first = batch.files.order_by("pk").first()
    ref = next(page_refs([first.stored.path]))
    SS._save_page(first, ref, SS._recognize(ref)[1])
    dead = batch.job_id
    alive = timezone.now() + timedelta(seconds=30)
    Job.objects.filter(pk=dead).update(status="running", worker="dead:1", lease_until=alive)
    assert _upload(session, rcoi, tmp_path, files).skipped == ["r1.png", "r2.png"], "a live batch is left alone"
    Job.objects.filter(pk=dead).update(lease_until=timezone.now() - timedelta(seconds=1))
    calls = []
    real = SS._recognize
    monkeypatch.setattr(SS, "_recognize", lambda r: (calls.append(r.page), real(r))[1])
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")
    again = _upload(session, rcoi, tmp_path, files)
    assert again.skipped == [] and sorted(again.resumed) == ["r1.png", "r2.png"] and again.job is None
    batch.refresh_from_db()
    assert batch.job_id != dead and batch.job.status == "done", batch.job.error
    assert Job.objects.get(pk=dead).status == "failed" and "продолжено" in Job.objects.get(pk=dead).error
    assert len(calls) == 1, "only the missing page is read"
    assert ScanPage.objects.filter(file__batch=batch).count() == 2
    assert Work.objects.filter(pk__in=[w1.pk, w2.pk], scan_verified_at__isnull=False).count() == 2
    # finished now: a third load skips
    assert _upload(session, rcoi, tmp_path, files).skipped == ["r1.png", "r2.png"]


def test_a_blank_of_another_session_is_flagged_not_lost(region, unverified, tmp_path):
    """A valid work code that is no work of this session (a blank of another session or region in the stack)
    is flagged with its code and listed among the pages without a work — before, it matched nothing and
    vanished from every list."""
    from itog.blanks import codes

    session = unverified
    rcoi = region.user("rcoi")
    w1 = Work.objects.filter(session=session).first()
    stranger = codes.make_code(77, 12, 9051)
    assert not Work.objects.filter(work_code=stranger).exists()
    ghost = Work(session=session)
    ghost.code = stranger  # only to render its blank; never saved
    batch = _upload(
        session, rcoi, tmp_path, {"mine.png": render_scan(w1, _entered(w1)), "other.png": render_scan(ghost, {})}
    )
    assert batch.job.status == "done", batch.job.error
    other = ScanPage.objects.get(file__name="other.png")
    assert other.status == "flagged" and other.work_code == ""
    assert other.reasons[0].startswith(f"Работа с кодом {stranger} не найдена в этой сессии"), other.reasons
    assert other.result["foreign_work_code"] == stranger
    mine = ScanPage.objects.get(file__name="mine.png")
    assert mine.status == "ok" and mine.work_code == w1.code
    w1.refresh_from_db()
    assert w1.scan_verified_at is not None
