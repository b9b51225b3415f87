from django.contrib.auth import views as auth_views
from django.urls import path

from .views import account, aliases, audit, home, orgs, people, places

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account.account, name="account"),
    path("orgs/", orgs.org_list, name="org_list"),
    path("orgs/new/", orgs.org_edit, name="org_new"),
    path("orgs/import/", orgs.org_import, name="org_import"),
    path("orgs/export.<str:fmt>", orgs.org_export, name="org_export"),
    path("orgs/<int:pk>/", orgs.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", orgs.org_edit, name="org_edit"),
    path("orgs/<int:org_pk>/places/new/", places.place_edit, name="place_new"),
    path("places/<int:pk>/", places.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", places.place_edit, name="place_edit"),
    path("places/<int:pk>/rooms/", places.room_add, name="room_add"),
    path("rooms/<int:pk>/delete/", places.room_delete, name="room_delete"),
    path("aliases/", aliases.alias_list, name="alias_list"),
    path("aliases/new/", aliases.alias_edit, name="alias_new"),
    path("aliases/<int:pk>/edit/", aliases.alias_edit, name="alias_edit"),
    path("aliases/<int:pk>/delete/", aliases.alias_delete, name="alias_delete"),
    path("students/", people.student_list, name="student_list"),
    path("students/export.xlsx", people.student_export, name="student_export"),
    path("students/<int:pk>/", people.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", people.student_edit, name="student_edit"),
    path("employees/", people.employee_list, name="employee_list"),
    path("employees/<int:pk>/", people.employee_detail, name="employee_detail"),
    path("audit/", audit.audit, name="audit"),
]
