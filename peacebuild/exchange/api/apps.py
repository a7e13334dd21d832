from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The API's own tables (its tokens) and migrations, apart from the exchange app's jobs."""

    name = "peacebuild.exchange.api"
    label = "exchange_api"
    verbose_name = _("API")

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
