"""РЦОИ scanning (п. 9.2): upload scans of the checked registration blanks, follow the batch job, and resolve
the verification queue — each disputed box shown cropped from its page beside the entered values."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from itog.accounts.scope import has_perm, scoped_get
from itog.exams.models import ExamSession
from itog.scan import services as SS
from itog.scan.models import Decision, ItemStatus, ScanBatch, ScanPage, VerificationItem
from itog.scan.recognize import box_caption

from ..access import requires
from ..forms import StyledMixin
from .conduct import _refused


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScanUploadForm(StyledMixin, forms.Form):
    files = forms.FileField(
        label="Файлы сканов (PNG, JPEG, TIFF, PDF)", widget=MultiFileInput(attrs={"multiple": True}), required=False
    )


@requires("scans:view")
def session_scanning(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    session.rules.check_page("scanning")  # a kind without the stage: refused in its words (I90)
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not has_perm(request.user, "scans:edit"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("Недостаточно прав")
        try:
            batch = SS.add_files(session, request.user, request.FILES.getlist("files"))
        except SS.Refused as exc:
            _refused(request, exc, "Загрузка сканов", form, session.region.path)
        else:
            if batch.skipped:
                messages.warning(request, "Уже загружены раньше (пропущены): " + ", ".join(batch.skipped))
            if batch.resumed:
                messages.info(request, "Распознавание прерванной загрузки продолжено: " + ", ".join(batch.resumed))
            if batch.job_id:
                messages.success(request, "Файлы приняты, распознавание запущено.")
                return redirect("job_detail", pk=batch.job_id)
            if batch.resumed_jobs:
                return redirect("job_detail", pk=batch.resumed_jobs[0].pk)
            return redirect("session_scanning", pk=session.pk)
    batches = ScanBatch.objects.for_user(request.user).filter(session=session).select_related("job")[:30]
    unidentified = (
        ScanPage.objects.for_user(request.user).filter(file__session=session, work_code="").select_related("file")[:200]
    )
    return render(
        request,
        "web/scan/scanning.html",
        {
            "session": session,
            "form": form,
            "batches": batches,
            "summary": SS.session_scan_summary(session),
            "unidentified": unidentified,
            "can_upload": has_perm(request.user, "scans:edit"),
        },
    )


@requires("scans:view")
def verification_queue(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    session.rules.check_page("scanning")  # a kind without the stage: refused in its words (I90)
    items = (
        VerificationItem.objects.for_user(request.user)
        .filter(session=session)
        .select_related("decided_by", "scan_page__file")
    )
    open_items = items.filter(status=ItemStatus.OPEN)
    return render(
        request,
        "web/scan/queue.html",
        {
            "session": session,
            "open_items": open_items[:500],
            "resolved": items.filter(status=ItemStatus.RESOLVED)[:100],
        },
    )


class DecisionForm(StyledMixin, forms.Form):
    decision = forms.ChoiceField(label="Решение", choices=Decision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="Комментарий", required=False, max_length=500)


@requires("scans:view")
def verification_item(request, pk):
    item = scoped_get(
        VerificationItem.objects.select_related("work", "session", "scan_page__file"), request.user, pk=pk
    )
    suggested = SS.suggested_decision(item) if item.status == ItemStatus.OPEN else None
    form = DecisionForm(request.POST or None, initial={"decision": suggested} if suggested else None)
    allowed = [Decision.ENTERED_CORRECT, Decision.BLANK_DIFFERS] if item.kind in SS.BOX_KINDS else [Decision.ACCEPTED]
    form.fields["decision"].choices = [(d.value, d.label) for d in allowed]
    if request.method == "POST":
        item = scoped_get(VerificationItem.objects.select_related("work", "session"), request.user, "edit", pk=pk)
        if form.is_valid():
            try:
                SS.decide(item, request.user, form.cleaned_data["decision"], form.cleaned_data["note"] or "")
            except SS.Refused as exc:
                _refused(request, exc, f"Сверка {item.work_code}", form, item.session.region.path)
            else:
                messages.success(request, f"Решение по работе {item.work_code} записано.")
                following = (
                    VerificationItem.objects.for_user(request.user)
                    .filter(session=item.session, status=ItemStatus.OPEN)
                    .first()
                )
                return (
                    redirect("verification_item", pk=following.pk)
                    if following
                    else redirect("verification_queue", pk=item.session_id)
                )
    work = item.work
    entered = []
    if work is not None and item.box_id:
        expert = SS.entered_boxes(work.expert_requirements, work.expert_marks, work.expert_result) or {}
        authorized = SS.entered_boxes(work.transfer_requirements, work.transfer_marks, work.transfer_result) or {}
        scanned = (item.scan_page.result.get("boxes") or {}).get(item.box_id) if item.scan_page else None
        entered = [
            ("Эксперт (копия)", _yes(expert.get(item.box_id))),
            ("Уполномоченное лицо (оригинал)", _yes(authorized.get(item.box_id))),
            ("Распознано на скане", _state(scanned)),
        ]
        likely = SS.likely_reading(item)
        if likely is not None:
            entered.append(("Вероятное прочтение (карандаш)", "отмечено" if likely else "пусто"))
    return render(
        request,
        "web/scan/item.html",
        {
            "item": item,
            "form": form,
            "entered": entered,
            "caption": box_caption(item.box_id) if item.box_id else "",
            "can_decide": item.status == ItemStatus.OPEN and has_perm(request.user, "scans:edit"),
        },
    )


def _yes(value) -> str:
    return "—" if value is None else ("отмечено «X»" if value else "пусто")


def _state(box) -> str:
    if not box:
        return "—"
    labels = {"marked": "отмечено", "empty": "пусто", "ambiguous": "неоднозначно"}
    notes = {"pencil": ", карандаш", "corrected": ", исправлено", "stroke": ", посторонний штрих"}
    return (
        f"{labels.get(box.get('state'), box.get('state'))}{notes.get(box.get('note', ''), '')} "
        f"(уверенность {box.get('confidence', 0):.2f})"
    )


@requires("scans:view")
def verification_crop(request, pk):
    item = scoped_get(VerificationItem.objects.select_related("scan_page__file"), request.user, pk=pk)
    png = SS.crop_png(item)
    if png is None:
        raise Http404("Изображение недоступно")
    return HttpResponse(png, content_type="image/png")
