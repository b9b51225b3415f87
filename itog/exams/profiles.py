"""The region's procedure profile: which choices of the procedure a region makes differently
(storage places and periods, who creates commissions, the re-check chain's deadlines, the additional-
date rule, thresholds), stored per region and exam kind (:class:`~itog.exams.models.ProcedureProfileRecord`)
and edited by the ministry. Shared services ask :func:`profile_for` (or :func:`profile_kw`) and pass the
profile to the kind's rule functions; a kind without a profile module gets nothing passed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from itog.orgs.models import Organization


class ProfileInvalid(ValueError):
    """The values were refused; ``errors``: field name → Russian messages ("__all__" for the form)."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))


def profile_module(kind: str):
    """The kind's profile module (``KindRules.profile``: ProcedureProfile, DEFAULT, validate, differences,
    display, GROUPS, field_specs) through the registry, or ``None``."""
    from .kinds import get_rules, has_rules

    return getattr(get_rules(str(kind)), "profile", None) if has_rules(str(kind)) else None


def has_profile(kind: str) -> bool:
    return profile_module(kind) is not None


def base_profile(kind: str):
    """The default profile of ``kind`` (Krasnodar's procedure) with the deployment's setting
    ``ITOG_ORIGINALS_KEPT_UNTIL`` (L5) applied — what a region without its own profile follows."""
    module = profile_module(kind)
    if module is None:
        return None
    base = module.DEFAULT
    reading = getattr(settings, "ITOG_ORIGINALS_KEPT_UNTIL", None)
    if reading and hasattr(base, "originals_kept_until") and reading != str(base.originals_kept_until):
        base = dataclasses.replace(base, originals_kept_until=module.OriginalsReading(reading))
    return base


def _region_of(obj) -> Organization:
    if isinstance(obj, Organization):
        return obj if obj.depth == 0 else Organization.objects.get(path=obj.path.split("/", 1)[0] + "/")
    return obj.region  # an ExamSession


def profile_for(session_or_region, kind: str | None = None):
    """The procedure profile in force for a session (its region and kind) or for a region and ``kind``;
    ``None`` for a kind without profiles. Cached on a session object for the request."""
    is_session = not isinstance(session_or_region, Organization)
    kind = str(kind or getattr(session_or_region, "kind", ""))
    if is_session:
        cached = getattr(session_or_region, "_itog_profile", None)
        if cached is not None:
            return cached
    module = profile_module(kind)
    if module is None:
        return None
    region_id = session_or_region.region_id if is_session else _region_of(session_or_region).pk
    from .models import ProcedureProfileRecord

    record = ProcedureProfileRecord.objects.filter(region_id=region_id, kind=kind).first()
    base = base_profile(kind)
    if record is None:
        profile = base
    else:
        # a key no longer known (a field removed from the code) is no longer a choice; bad values were refused
        # on saving, so a stored one that fails now is an error to see, not to hide
        known = base.to_dict()
        profile = module.ProcedureProfile.from_dict({**known, **{k: v for k, v in record.values.items() if k in known}})
    if is_session:
        session_or_region._itog_profile = profile
    return profile


def profile_kw(session) -> dict[str, Any]:
    """``{"profile": …}`` to pass to a kind's rule function, or ``{}`` for a kind without profiles."""
    profile = profile_for(session)
    return {} if profile is None else {"profile": profile}


def save_profile(region: Organization, kind: str, data: dict[str, Any], user, note: str = "", preset: str = ""):
    """Validate and save the region's values (all or nothing: :class:`ProfileInvalid` with Russian
    messages); only what differs from the default is stored. The history records who changed what."""
    from .models import ProcedureProfileRecord

    module = profile_module(kind)
    if module is None:
        raise ProfileInvalid({"__all__": ["Для этого экзамена региональный профиль порядка не предусмотрен."]})
    base = base_profile(kind)
    profile, errors = module.validate(data, base)
    if errors:
        raise ProfileInvalid(errors)
    diff = {name: value for name, value in profile.to_dict().items() if base.to_dict()[name] != value}
    with transaction.atomic():
        record = ProcedureProfileRecord.objects.select_for_update().filter(region=region, kind=kind).first()
        if record is None:
            record = ProcedureProfileRecord(region=region, kind=kind)
        record.values, record.note, record.preset, record.updated_by = diff, note.strip()[:500], preset[:200], user
        record._history_user = user
        record._change_reason = (f"Загружен образец «{preset}»" if preset else note.strip())[:100] or None
        record.save()
    return record


def reset_profile(region: Organization, kind: str, user, note: str = ""):
    """Back to the default procedure (kept in the history as a change like any other)."""
    return save_profile(region, kind, {}, user, note or "Возврат к порядку по умолчанию")


# ---------------------------------------------------------------- presets


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    kind: str
    source: str  # where the values come from (Russian, shown to the ministry)


PRESETS: dict[str, Preset] = {
    "kalmykia-2023-24": Preset(
        "kalmykia-2023-24",
        "Калмыкия (план-график 2023/24)",
        "essay",
        "План-график проведения итогового сочинения (изложения), приложение к приказу БУ РК «ЦОКО» 2023 г. "
        "(основной этап 06.12.2023), п. 22: «Передача оригиналов бланков итогового сочинения (изложения) в МОУО, "
        "ОО для хранения»",
    ),
}

# What the Kalmykia plan-schedule says when its text is not at hand (the fact the seed states, п. 22).
_KALMYKIA_FALLBACK = {"originals_holder": "mouo"}


def preset_values(key: str) -> tuple[dict[str, Any], str]:
    """The values of a preset and a Russian note on where they were read from. The Kalmykia storage
    choice is read from its plan-schedule (the seed document 000) when it is available."""
    if key != "kalmykia-2023-24":
        raise ProfileInvalid({"__all__": [f"Неизвестный образец профиля «{key}»."]})
    from itog.plans.seeds import seed_file

    path = seed_file("000")
    if path is not None:
        holder, quote = profile_module("essay").storage_choice_from_plan(
            path.read_text(encoding="utf-8", errors="replace")
        )
        if holder is not None:
            return {"originals_holder": holder.value}, f"Прочитано из плана-графика: «{quote}…»"
    return dict(_KALMYKIA_FALLBACK), (
        "Документ плана-графика недоступен: применено значение, установленное по "
        "нему ранее (п. 22 — оригиналы возвращаются в МОУО, ОО для хранения)."
    )


def load_preset(region: Organization, key: str, user):
    """Replace the region's profile by a preset (one button on the ministry's page)."""
    if key not in PRESETS:
        raise ProfileInvalid({"__all__": [f"Неизвестный образец профиля «{key}»."]})
    preset = PRESETS[key]
    values, note = preset_values(key)
    return save_profile(region, preset.kind, values, user, note=note, preset=preset.title), note
