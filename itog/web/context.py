"""Navigation per role, built from permissions."""

from itog.accounts.roles import ROLE_LABELS
from itog.accounts.scope import grants_of

NAV = [
    ("home", "Главная", None),
    ("session_list", "Экзамены", "sessions:view"),
    ("my_works", "Работы на проверку", "works:mark"),
    ("recheck_list", "Повторные проверки", "rechecks:view"),
    ("analytics_overview", "Аналитика результатов", "analytics:view"),
    ("retention", "Хранение материалов", "retention:view"),
    ("transfer_appointments", "Уполномоченные лица", "works:appoint"),
    ("my_items", "Мои мероприятия", "plans:report"),
    ("plan_list", "Дорожные карты", "plans:view"),
    ("org_list", "Организации", "orgs:view"),
    ("student_list", "Обучающиеся", "students:view"),
    ("employee_list", "Работники", "employees:view"),
    ("alias_list", "Словарь участников", "aliases:view"),
    ("audit", "Журнал аудита", "audit:view"),
    ("procedure_profile_home", "Региональный профиль порядка", "profiles:view"),
]


# Which sidebar section a page belongs to (the page's url name → the section's url name); the first prefix
# that matches wins, so the more specific prefixes come first.
SECTIONS = [
    (("work_recheck", "recheck_"), "recheck_list"),
    (("my_works", "work_check"), "my_works"),
    (("retention", "destruction_act"), "retention"),
    (("transfer_appointments",), "transfer_appointments"),
    (("my_items", "assignment_detail", "evidence_download"), "my_items"),
    (("plan_", "item_detail"), "plan_list"),
    (("org_", "place_", "room_"), "org_list"),
    (("student_",), "student_list"),
    (("employee_",), "employee_list"),
    (("alias_",), "alias_list"),
    (("audit",), "audit"),
    (("procedure_profile",), "procedure_profile_home"),
    (
        (
            "session_",
            "reconciliation",
            "commission_",
            "application_",
            "register_participant",
            "submit_participants",
            "import_participants",
            "day_",
            "results_export",
            "familiarization_sheet",
            "start_pereproverka",
            "verification_",
            "work_transfer",
        ),
        "session_list",
    ),
]


def section_of(url_name: str) -> str:
    if url_name == "home":
        return "home"
    for prefixes, section in SECTIONS:
        if url_name.startswith(prefixes):
            return section
    return ""


def navigation(request):
    user = getattr(request, "user", None)
    grants = grants_of(user)
    if not grants:
        return {"nav_items": [], "user_roles": []}
    perms = set().union(*(g.permissions for g in grants))
    items = [(url, label) for url, label, perm in NAV if perm is None or perm in perms]
    match = getattr(request, "resolver_match", None)
    return {
        "nav_items": items,
        "nav_current": match.url_name if match else "",
        "nav_section": section_of(match.url_name or "") if match else "",
        "user_roles": sorted({ROLE_LABELS[g.role] for g in grants}),
        "user_perms": perms,
    }
