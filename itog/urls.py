from django.urls import include, path

from itog.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("itog.web.urls")),
    path("", include("itog.analytics.urls")),
]

handler403 = "itog.web.errors.forbidden"
handler404 = "itog.web.errors.not_found"
handler500 = "itog.web.errors.server_error"
