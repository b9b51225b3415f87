"""Role × scope matrix for the pages of the second half of the procedure (exam day … storage).

One story is built once (a finished, published session is expensive), then every page is requested by every
role, including the МОУО's authorized person («transfer»). A record of another school or municipality → 404.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from itog.conduct.models import DestructionAct, RecheckCase, StorageItem, Work
from itog.people.models import Employee
from tests.conduct.fixtures import finished_session
from tests.web.test_permissions import ROLES as BASE_ROLES

ROLES = [*BASE_ROLES, "transfer"]
REGION = {"minobr": 200, "inspector": 200, "rcoi": 200}


def expect(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


ALL_OPERATORS = dict(REGION, mouo=200, mouo2=200, school=200, school2=200)
S1 = dict(REGION, mouo=200, mouo2=404, school=200, school2=404)

CONDUCT_PAGES = [
    ("session_day", "/sessions/{sess}/day/", expect(403, **ALL_OPERATORS, commission=200)),
    ("day_room", "/sessions/{sess}/day/rooms/{room1}/", expect(403, **S1, commission=200)),
    ("venue_day", "/sessions/{sess}/day/venues/{venue1}/", expect(403, **S1, commission=200)),
    (
        "day_record",
        "/sessions/{sess}/day/applications/{app1}/",
        expect(403, rcoi=302, mouo=302, mouo2=404, school=302, school2=404, commission=302),
    ),
    (
        "session_handover",
        "/sessions/{sess}/handover/",
        expect(403, rcoi=200, mouo=200, mouo2=200, school=200, school2=200, commission=200),
    ),
    ("session_checking", "/sessions/{sess}/checking/", expect(403, rcoi=200)),
    ("session_transfer", "/sessions/{sess}/transfer/", expect(403, transfer=200)),
    ("session_results", "/sessions/{sess}/results/", expect(403, **ALL_OPERATORS, expert=404, transfer=200)),
    (
        "results_export",
        "/sessions/{sess}/results.xlsx",
        expect(403, rcoi=200, mouo=200, mouo2=200, school=200, school2=200),
    ),
    (
        "familiarization_sheet",
        "/sessions/{sess}/results/{s1}/familiarization.pdf",
        expect(403, **S1, expert=404, transfer=200),
    ),
    ("start_pereproverka", "/sessions/{sess}/pereproverka/", expect(403, minobr=302)),
    ("session_readmission", "/sessions/{sess}/readmission/", expect(403, **ALL_OPERATORS, participant=404)),
    ("my_works", "/checking/", expect(403, expert=200)),
    ("work_check", "/works/{w1}/check/", expect(403, expert=200)),
    ("work_transfer", "/works/{w1}/transfer/", expect(403, transfer=200)),
    ("work_recheck", "/works/{w1}/recheck/", expect(403, school=200, school2=404)),
    ("recheck_list", "/rechecks/", expect(403, **ALL_OPERATORS)),
    ("recheck_detail", "/rechecks/{case1}/", expect(403, **S1)),
    ("recheck_protocol_pdf", "/rechecks/{case1}/protocol.pdf", expect(403, **S1)),
    ("retention", "/retention/", expect(403, **ALL_OPERATORS)),
    ("transfer_appointments", "/transfer-orders/", expect(403, mouo=200, mouo2=200)),
    ("session_scanning", "/sessions/{sess}/scanning/", expect(403, **REGION)),
    ("verification_queue", "/sessions/{sess}/verification/", expect(403, **REGION)),
    ("verification_item", "/verification/{vi1}/", expect(403, **REGION)),
    ("verification_crop", "/verification/{vi1}/crop.png", expect(403, **REGION)),
    (
        "destruction_act_pdf",
        "/retention/acts/{act1}.pdf",
        expect(403, **REGION, mouo=200, mouo2=404, school=404, school2=404),
    ),
]
POST_PAGES = {"day_record", "start_pereproverka"}


def _story(region):
    session = finished_session(region)
    session.results_date = timezone.localdate()
    session.save()
    expert = Employee.objects.get(user=region.user("expert"))
    w1 = Work.objects.filter(session=session, application__participant__registration_org=region.school1).first()
    w1.expert, w1.checked_at, w1.status, w1.result = expert, None, "assigned", "незачет"
    w1.save()
    case = RecheckCase.objects.create(
        work=w1,
        kind="pereproverka",
        status="closed",
        result="зачет",
        previous_result="незачет",
        protocol_number="1",
        completed_on=date(2026, 1, 10),
        protocol_delivered_on=date(2026, 1, 10),
    )
    copy = StorageItem.objects.filter(session=session, holder=region.mouo1, kind="copy").first()
    act = DestructionAct.objects.create(
        number="2026-001", holder=region.mouo1, destroyed_on=date(2026, 2, 1), commission_text="Комиссия"
    )
    copy.act = act
    copy.save()
    app1 = w1.application
    vi1 = _scanned_item(region, session)
    return {
        "vi1": vi1,
        "sess": session.pk,
        "room1": app1.day_record.room_id,
        "venue1": app1.day_record.venue_id,
        "app1": app1.pk,
        "w1": w1.pk,
        "case1": case.pk,
        "act1": act.pk,
        "s1": region.school1.pk,
    }


def _scanned_item(region, session) -> int:
    """A scan of a work whose К1 differs from the entries: one open question with a crop."""
    import tempfile
    from pathlib import Path

    from itog.scan import services as SS
    from itog.scan.models import VerificationItem
    from tests.scan.test_db import render_scan

    work = Work.objects.filter(session=session).exclude(expert_result="").first()
    boxes = SS.entered_boxes(work.expert_requirements, work.expert_marks, work.expert_result)
    boxes = {k: (not v if k.startswith("k1.") else v) for k, v in boxes.items()}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan.png"
        path.write_bytes(render_scan(work, boxes))
        SS.add_paths(session, region.user("rcoi"), [str(path)])
    return VerificationItem.objects.filter(work=work, kind="mismatch").first().pk


def test_conduct_pages_matrix(region, login, monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")
    monkeypatch.setenv("ITOG_SCAN_WORKERS", "1")
    from django.test import Client

    client = Client()  # never logged in (``login`` logs in its own client)
    ids = _story(region)
    failures = []
    for name, url, expected in CONDUCT_PAGES:
        url = url.format(**ids)
        anonymous = client.post(url, {}) if name in POST_PAGES else client.get(url)
        if anonymous.status_code != 302 or not anonymous["Location"].startswith("/login/"):
            failures.append(f"anonymous {url}: {anonymous.status_code}")
        for role in ROLES:
            c = login(role)
            response = c.post(url, {}) if name in POST_PAGES else c.get(url)
            if response.status_code != expected[role]:
                failures.append(f"{role} {url}: {response.status_code} != {expected[role]}")
            elif response.status_code == 404 and "Страница не найдена" not in response.content.decode():
                failures.append(f"{role} {url}: the 404 page is not the generic one")
    assert not failures, "\n".join(failures)
