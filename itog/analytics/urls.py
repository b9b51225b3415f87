from django.urls import path

from . import views

urlpatterns = [
    path("analytics/", views.overview, name="analytics_overview"),
    path("analytics/years/", views.years, name="analytics_years"),
    path("analytics/risks/", views.risks, name="analytics_risks"),
    path("analytics/experts/", views.experts, name="analytics_experts"),
    path("analytics/works/", views.works, name="analytics_works"),
    path("analytics/export/<slug:table>.xlsx", views.export, name="analytics_export"),
    path("analytics/report.docx", views.report, name="analytics_report"),
]
