"""The analytics story: the 2025/26 main date finished and published (the publication signal builds the
aggregates), a closed перепроверка, and two archived years before it."""

from __future__ import annotations

from datetime import date

from itog.analytics.demo import load_demo_history
from itog.conduct.models import RecheckCase, Work
from tests.conduct.fixtures import finished_session


def analytics_story(region, capture) -> dict:
    with capture(execute=True):
        session = finished_session(region, fail_rate=0.2)
    with capture(execute=True):
        w = Work.objects.filter(
            session=session, result="незачет", application__participant__registration_org=region.school1
        ).first()
        RecheckCase.objects.create(
            work=w,
            kind="pereproverka",
            status="closed",
            result="зачет",
            previous_result="незачет",
            protocol_number="1",
            completed_on=date(2026, 1, 10),
        )
    load_demo_history(region.ministry, 2025, progress=lambda *a: None)
    return {"session": session, "work": w}
