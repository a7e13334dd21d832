from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "peacebuild.casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from . import checks, guard  # noqa: F401  (registers the key check, SQL functions)
