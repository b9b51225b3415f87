"""The demo's interview: this year's session registered and scheduled at the demo school, last year's taken
through the day with recordings (one silent, flagged), protocols and published results."""

from __future__ import annotations

from datetime import date

from itog.conduct.demo_interview import load_demo_interview
from itog.conduct.models import DayRecord, Recording, Work
from itog.exams.models import Application, ExamSession, Seat


def test_demo_interview(region, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    load_demo_interview(region.ministry, date(2026, 12, 3), progress=lambda *a: None)
    past = ExamSession.objects.get(kind="interview", academic_year="2025/26", stage="main")
    current = ExamSession.objects.get(kind="interview", academic_year="2026/27", stage="main")
    assert current.date == date(2027, 2, 10)
    assert Application.objects.filter(session=current).count() > 0
    assert (
        Seat.objects.filter(run__session=current, starts_at__isnull=False).count()
        == Application.objects.filter(session=current).count()
    )
    assert past.published_at is not None
    assert DayRecord.objects.filter(application__session=past, state="absent").count() == 1
    recs = Recording.objects.filter(session=past)
    assert recs.count() == 4 and recs.filter(flagged=True).count() == 1
    results = set(Work.objects.filter(session=past).values_list("result", flat=True))
    assert results == {"зачет", "незачет"}
    before = Application.objects.count()
    load_demo_interview(region.ministry, date(2026, 12, 3), progress=lambda *a: None)
    assert Application.objects.count() == before
