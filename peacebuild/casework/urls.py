"""The case pages: seen only by the case team (and a head of office through break-glass).

Every view here starts from `permissions.visible_events` or `get_event_for_user`, so a
case one may not see is a 404 like a case that does not exist.
"""

from django.urls import path

from . import oversight_views

app_name = "casework"

urlpatterns: list = [
    # Case pages: list, case page, forms, interventions due.
    # Oversight: teams, break-glass, the trail, revisions.
    path("teams/", oversight_views.teams, name="teams"),
    path("teams/<id:pk>/members/", oversight_views.team_member_add, name="team_member_add"),
    path("teams/members/<id:pk>/write/", oversight_views.team_member_write,
         name="team_member_write"),
    path("teams/members/<id:pk>/remove/", oversight_views.team_member_remove,
         name="team_member_remove"),
    path("trail/", oversight_views.trail, name="trail"),
    path("<id:pk>/break-glass/", oversight_views.break_glass, name="break_glass"),
    path("<id:pk>/history/", oversight_views.history, name="history"),
    # Attachments and exports.
]
