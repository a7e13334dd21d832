from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UiConfig(AppConfig):
    """The shell around every page: layout, navigation, switchers, formatting tags."""

    name = "peacebuild.ui"
    verbose_name = _("User interface")
