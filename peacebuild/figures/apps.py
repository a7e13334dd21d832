from typing import Any

from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "peacebuild.figures"

    def ready(self) -> None:
        """Every request computes its figures in one scope (`engine.figures_scope`): the
        office's programmes and activity types are read once per request, not once per
        figure; a saved or deleted programme or activity type is forgotten at once."""
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from . import engine

        def opened(**kwargs: Any) -> None:
            engine.scope_open()

        def closed(**kwargs: Any) -> None:
            engine.scope_close()

        def changed(**kwargs: Any) -> None:
            engine.scope_forget()

        request_started.connect(opened, dispatch_uid="figures_scope_open", weak=False)
        request_finished.connect(closed, dispatch_uid="figures_scope_close", weak=False)
        for model in ("programmes.Programme", "activities.ActivityType"):
            for signal in (post_save, post_delete):
                signal.connect(changed, sender=model, weak=False,
                               dispatch_uid=f"figures_scope_forget_{model}_{signal}")
