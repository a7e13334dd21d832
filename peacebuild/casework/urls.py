"""The case pages: seen only by the case team (and a head of office through break-glass).

Every view here starts from `permissions.visible_events` or `get_event_for_user`, so a
case one may not see is a 404 like a case that does not exist.
"""

from django.urls import path

from . import file_views, oversight_views, views

app_name = "casework"

urlpatterns: list = [
    # Case pages: list, case page, forms, interventions due.
    path("", views.case_list, name="list"),
    path("due/", views.due, name="due"),
    path("new/", views.event_create, name="event_create"),
    path("<id:pk>/", views.case_detail, name="detail"),
    path("<id:pk>/edit/", views.event_edit, name="event_edit"),
    path("<id:pk>/persons/new/", views.person_create, name="person_create"),
    path("<id:pk>/persons/<id:item>/edit/", views.person_edit, name="person_edit"),
    path("<id:pk>/acts/new/", views.act_create, name="act_create"),
    path("<id:pk>/acts/<id:item>/edit/", views.act_edit, name="act_edit"),
    path("<id:pk>/acts/<id:item>/perpetrators/new/", views.involvement_create,
         name="involvement_create"),
    path("<id:pk>/perpetrators/<id:item>/edit/", views.involvement_edit,
         name="involvement_edit"),
    path("<id:pk>/information/new/", views.information_create, name="information_create"),
    path("<id:pk>/information/<id:item>/edit/", views.information_edit,
         name="information_edit"),
    path("<id:pk>/interventions/new/", views.intervention_create, name="intervention_create"),
    path("<id:pk>/interventions/<id:item>/edit/", views.intervention_edit,
         name="intervention_edit"),
    path("<id:pk>/follow-ups/new/", views.follow_up_create, name="follow_up_create"),
    path("<id:pk>/follow-ups/<id:item>/edit/", views.follow_up_edit, name="follow_up_edit"),
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
    path("<id:pk>/files/", file_views.files_page, name="files"),
    path("<id:pk>/files/add/", file_views.file_add, name="file_add"),
    path("<id:pk>/files/<id:file>/", file_views.file_download, name="file_download"),
    path("<id:pk>/files/<id:file>/delete/", file_views.file_delete, name="file_delete"),
    path("exports/", file_views.exports_page, name="exports"),
    path("exports/new/", file_views.export_new, name="export_new"),
    path("exports/<id:pk>/", file_views.export_download, name="export_download"),
]
