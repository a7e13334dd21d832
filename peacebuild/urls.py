from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from peacebuild.lib.ids import IdConverter

# Record ids in every app's URLs: `<id:pk>` (registered before the apps' URL confs load).
register_converter(IdConverter, "id")

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("peacebuild.ui.urls")),
    path("activities/", include("peacebuild.activities.urls")),
    path("mandate/", include("peacebuild.mandates.urls")),
    path("partners/", include("peacebuild.partners.urls")),
    path("results/", include("peacebuild.programmes.urls")),
    path("reports/", include("peacebuild.reporting.urls")),
    path("accounts/", include("peacebuild.accounts.urls")),
    path("exchange/sheets/", include("peacebuild.exchange.sheets.urls")),
]
