"""The demo's finished year (load_demo_results) on the small region: every screen has something on it."""

from __future__ import annotations

from datetime import date

from itog.conduct.demo import load_demo_results
from itog.conduct.models import RecheckCase, StorageItem, Work, WorkStatus
from itog.exams.models import ExamSession
from itog.scan.models import VerificationItem
from tests.conduct.fixtures import add_staff


def test_demo_year_reaches_every_screen(region, monkeypatch):
    monkeypatch.setenv("ITOG_SCAN_WORKERS", "1")
    add_staff(region)
    # a high failure rate, so that the small region still has participants on all three dates
    main = load_demo_results(region.ministry, date(2026, 11, 23), progress=lambda *a: None, fail_rate=0.6)
    sessions = list(ExamSession.objects.filter(academic_year="2025/26").order_by("date"))
    assert [s.published_at is not None for s in sessions] == [True, True, False]
    assert main.pk == sessions[0].pk
    assert RecheckCase.objects.filter(work__session=sessions[1], status="filed").count() == 1
    april = sessions[2]
    assert VerificationItem.objects.filter(session=april, status="open").exists()
    assert Work.objects.filter(session=april, status=WorkStatus.ASSIGNED, expert__user__username="expert").exists()
    assert Work.objects.filter(session=april, status=WorkStatus.CHECKED).exists()
    assert StorageItem.objects.filter(session=main, kind="copy", destroy_not_before__lte=date(2026, 11, 23)).exists()
    # deterministic and idempotent: a second run adds nothing
    before = Work.objects.count()
    load_demo_results(region.ministry, date(2026, 11, 23), progress=lambda *a: None)
    assert Work.objects.count() == before
