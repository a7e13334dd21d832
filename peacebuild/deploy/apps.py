from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeployConfig(AppConfig):
    name = "peacebuild.deploy"
    verbose_name = _("Deployment")
