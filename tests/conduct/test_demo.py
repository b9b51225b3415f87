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


def test_demo_dates_agree_with_the_calendar(region, monkeypatch):
    """Past sessions loaded by the demo are stamped on their own days (not today), and no consent is dated
    after an exam its participant wrote (this year's registration is loaded before last year's)."""
    from django.db.models import F

    from itog.exams.demo import load_demo_exams
    from itog.exams.models import Consent

    monkeypatch.setenv("ITOG_SCAN_WORKERS", "1")
    add_staff(region)
    today = date(2026, 12, 3)
    load_demo_exams(region.ministry, today, progress=lambda *a: None)
    load_demo_results(region.ministry, today, progress=lambda *a: None, fail_rate=0.6)
    published = list(ExamSession.objects.filter(published_at__isnull=False))
    assert published
    for s in published:
        assert s.date < s.processed_at.date() <= s.published_at.date() < s.results_date, s
        assert (s.results_date - s.date).days < 60, s
    assert not Consent.objects.filter(signed_on__gt=F("participant__applications__session__date")).exists()
