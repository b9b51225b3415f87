"""Results (п. 9.2, 11): processing and publication, visibility from the familiarization day, XLSX and the
familiarization sheet, the public lookup (same answer for every failure, rate limits, audit)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from itog.audit.models import AuditEvent
from itog.conduct import services as S
from itog.conduct.models import Work
from itog.core import ratelimit
from tests.conduct.fixtures import finished_session


@pytest.fixture
def published(region):
    ratelimit.clear()
    return finished_session(region)


def _school_work(region, session):
    return (
        Work.objects.filter(session=session, application__participant__registration_org=region.school1)
        .select_related("application__participant")
        .first()
    )


def test_publication_refused_while_works_are_not_transferred(region):
    session = finished_session(region, leave_unchecked=5)
    assert session.processed_at is None
    with pytest.raises(S.Refused) as exc:
        S.mark_processed(session, region.user("rcoi"))
    assert exc.value.violations[0].code == "V61" and "не перенесены" in exc.value.violations[0].message
    with pytest.raises(S.Refused):
        S.publish(session, region.user("rcoi"))


def test_schools_see_results_only_from_the_familiarization_day(region, published, login):
    """п. 11 (V72): familiarization the next day after the results are received; before it the school sees
    nothing, РЦОИ sees everything."""
    work = _school_work(region, published)
    published.results_date = timezone.localdate() + timedelta(days=1)
    published.save()
    assert work.code not in login("school").get(f"/sessions/{published.pk}/results/").content.decode()
    assert work.code in login("rcoi").get(f"/sessions/{published.pk}/results/").content.decode()
    published.results_date = timezone.localdate()
    published.save()
    page = login("school").get(f"/sessions/{published.pk}/results/").content.decode()
    assert work.code in page and work.application.participant.last_name in page
    other = Work.objects.filter(session=published, application__participant__registration_org=region.school2).first()
    assert other.code not in page


def test_results_xlsx_opens_and_lists_only_the_users_schools(region, published, login):
    from openpyxl import load_workbook

    resp = login("mouo").get(f"/sessions/{published.pk}/results.xlsx")
    assert resp.status_code == 200
    rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("ОО (место регистрации)", "ФИО", "Код работы", "Форма", "Результат")
    codes = {r[2] for r in rows[1:]}
    mine = set(
        Work.objects.filter(
            session=published, application__participant__registration_org__parent=region.mouo1
        ).values_list("work_code", flat=True)
    )
    assert codes == mine and mine
    assert AuditEvent.objects.filter(kind="pd_export", username="mouo").exists()


def test_familiarization_sheet_pdf_has_the_schools_participants(region, published, login):
    from pypdf import PdfReader

    work = _school_work(region, published)
    resp = login("school").get(f"/sessions/{published.pk}/results/{region.school1.pk}/familiarization.pdf")
    assert resp.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.content)).pages)
    assert "Лист ознакомления" in text and work.code in text and "Подпись" in text
    assert (
        login("school2").get(f"/sessions/{published.pk}/results/{region.school1.pk}/familiarization.pdf").status_code
        == 404
    )


def _doc(work):
    p = work.application.participant
    return p.document_number


def test_public_lookup_answers_own_result_and_nothing_else(region, published, client):
    work = _school_work(region, published)
    ok = client.post("/results/", {"code": work.code, "document": _doc(work)}).content.decode()
    assert f"«{work.result}»" in ok
    assert work.application.participant.last_name not in ok  # no personal data in the answer
    wrong = client.post("/results/", {"code": work.code, "document": "000000"}).content.decode()
    unknown = client.post("/results/", {"code": "999999999999", "document": _doc(work)}).content.decode()
    assert "Результат не найден" in wrong and "Результат не найден" in unknown
    assert f"«{work.result}»" not in wrong
    assert AuditEvent.objects.filter(kind="lookup_refused").count() == 2
    assert not AuditEvent.objects.filter(kind="lookup_refused", description__contains=work.code).exists()


def test_public_lookup_hidden_before_the_results_day(region, published, client):
    work = _school_work(region, published)
    published.results_date = timezone.localdate() + timedelta(days=1)
    published.save()
    page = client.post("/results/", {"code": work.code, "document": _doc(work)}).content.decode()
    assert "Результат не найден" in page


def test_public_lookup_is_rate_limited_per_code(region, published, client, settings):
    """Guessing document numbers for one code stops after the daily limit, even with the right one."""
    settings.ITOG_LOOKUP_FAILURES_PER_CODE = 3
    work = _school_work(region, published)
    for n in range(3):
        assert client.post("/results/", {"code": work.code, "document": f"11111{n}"}).status_code == 200
    blocked = client.post("/results/", {"code": work.code, "document": _doc(work)})
    assert blocked.status_code == 429 and f"«{work.result}»" not in blocked.content.decode()


def test_public_lookup_is_rate_limited_per_address(region, published, client, settings):
    settings.ITOG_LOOKUP_PER_IP_PER_HOUR = 2
    work = _school_work(region, published)
    assert client.post("/results/", {"code": work.code, "document": _doc(work)}).status_code == 200
    assert client.post("/results/", {"code": work.code, "document": _doc(work)}).status_code == 200
    assert client.post("/results/", {"code": work.code, "document": _doc(work)}).status_code == 429


def test_lookup_form_renders_for_anonymous_visitors(client):
    page = client.get("/results/").content.decode()
    assert 'name="code"' in page and 'name="document"' in page


def test_api_lookup_matches_the_page_and_needs_no_login(region, published, client):
    work = _school_work(region, published)
    ok = client.post(
        "/api/v1/results/lookup", {"code": work.code, "document": _doc(work)}, content_type="application/json"
    ).json()
    assert ok["found"] is True and ok["result"] == work.result
    assert "last_name" not in ok and work.application.participant.last_name not in str(ok)
    bad = client.post(
        "/api/v1/results/lookup", {"code": work.code, "document": "1"}, content_type="application/json"
    ).json()
    unknown = client.post(
        "/api/v1/results/lookup", {"code": "000000000000", "document": _doc(work)}, content_type="application/json"
    ).json()
    assert (
        bad
        == unknown
        == {
            "found": False,
            "detail": bad["detail"],
            "session_date": None,
            "form": "",
            "result": "",
            "final": False,
            "recheck_until": None,
        }
    )


def test_api_lookup_limit_answers_429(region, published, client, settings):
    settings.ITOG_LOOKUP_FAILURES_PER_CODE = 1
    work = _school_work(region, published)
    client.post("/api/v1/results/lookup", {"code": work.code, "document": "1"}, content_type="application/json")
    r = client.post(
        "/api/v1/results/lookup", {"code": work.code, "document": _doc(work)}, content_type="application/json"
    )
    assert r.status_code == 429 and "Слишком много" in r.json()["detail"]
