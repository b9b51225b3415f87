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
]


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
        "user_roles": sorted({ROLE_LABELS[g.role] for g in grants}),
        "user_perms": perms,
    }
