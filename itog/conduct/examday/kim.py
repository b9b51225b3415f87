"""The interview's КИМ at a school: shown only from 07:30 local time on the interview day (seed 002 row 6
«14.02.2024 с 07.30» — «Доступ к КИМ итогового собеседования, тиражирование»; V77 / J6, the interview's I04).

The time is the school's clock (its organization's time zone), as the essay's topics are gated by the venue's
local 09:45 (пп. 7.1, 7.2; L21). The КИМ are entered by the ministry/РЦОИ as the session's topic set; before the
time the service refuses with the moment they become available, and nothing of their content leaves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from itog.conduct.common import local_now
from itog.conduct.models import TopicSet
from itog.exams.common import fmt_date
from itog.exams.models import ExamSession
from itog.exams.violations import refuse_if
from itog.orgs.models import Organization

KIM_KEY = "kim_available"  # the chain's row (itog/exams/kinds/interview/calendar.py)


@dataclass
class KimView:
    available_from: str  # «11.02.2026, 07:30 (Asia/Tomsk)»
    contents: list[tuple[str, str]]  # (form, text) of the session's topic sets


def kim_available_from(session: ExamSession, school: Organization) -> str:
    row = next(r for r in session.rules.calendar.deadline_chain(session.date) if r.key == KIM_KEY)
    return f"{fmt_date(row.day)}, {row.deadline.at:%H:%M} ({school.time_zone})"


def kim_for(session: ExamSession, school: Organization, now: datetime | None = None) -> KimView:
    """V77 (J6, seed 002 row 6): the КИМ from 07:30 of the interview day on the school's clock; refused before
    (I04 — «… не ранее 11.02.2026, 07.30»)."""
    now = local_now(school.time_zone, now or timezone.now())
    refuse_if(session.rules.calendar.check_deadline(KIM_KEY, session.date, now))
    sets = TopicSet.objects.filter(session=session).order_by("form")
    return KimView(kim_available_from(session, school), [(t.form, t.content) for t in sets])
