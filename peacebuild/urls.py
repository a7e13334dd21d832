from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from peacebuild.accounts import views as accounts_views
from peacebuild.lib.ids import IdConverter

# Record ids in every app's URLs: `<id:pk>` (registered before the apps' URL confs load).
register_converter(IdConverter, "id")

urlpatterns = [
    path("login/", accounts_views.sign_in, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the same page (throttled, with the second factor).
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("", include("peacebuild.ui.urls")),
    path("activities/", include("peacebuild.activities.urls")),
    path("mandate/", include("peacebuild.mandates.urls")),
    path("partners/", include("peacebuild.partners.urls")),
    path("results/", include("peacebuild.programmes.urls")),
    path("reports/", include("peacebuild.reporting.urls")),
    path("cases/", include("peacebuild.casework.urls")),
    path("health/", include("peacebuild.deploy.urls")),
    path("exchange/iati/", include("peacebuild.exchange.iati.urls")),
    path("accounts/", include("peacebuild.accounts.urls")),
    path("api/", include("peacebuild.exchange.api.urls")),
    path("api-tokens/", include("peacebuild.exchange.api.page_urls")),
    path("exchange/sheets/", include("peacebuild.exchange.sheets.urls")),
]

# A lost database connection answers 503 "try again in a moment" (peacebuild/ui/middleware.py).
handler500 = "peacebuild.ui.middleware.server_error"
