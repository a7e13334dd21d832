"""The case pages: seen only by the case team (and a head of office through break-glass).

Every view here starts from `permissions.visible_events` or `get_event_for_user`, so a
case one may not see is a 404 like a case that does not exist.
"""

from django.urls import path  # noqa: F401

app_name = "casework"

urlpatterns: list = [
    # Case pages: list, case page, forms, interventions due.
    # Oversight: teams, break-glass, the trail, revisions.
    # Attachments and exports.
]
