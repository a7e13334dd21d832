from django.urls import path

from . import coordination_views as coordination
from . import views

app_name = "partners"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<id:pk>/edit/", views.organisation_edit, name="edit"),
    # Coordination: groups, their members, meetings and action points.
    path("groups/", coordination.group_list, name="groups"),
    path("groups/new/", coordination.group_create, name="group_create"),
    path("groups/<id:pk>/", coordination.group_detail, name="group"),
    path("groups/<id:pk>/edit/", coordination.group_edit, name="group_edit"),
    path("groups/<id:pk>/members/new/", coordination.member_create, name="member_create"),
    path("members/<id:pk>/edit/", coordination.member_edit, name="member_edit"),
    path("members/<id:pk>/delete/", coordination.member_delete, name="member_delete"),
    path("groups/<id:pk>/meetings/new/", coordination.meeting_create, name="meeting_create"),
    path("meetings/", coordination.meeting_list, name="meetings"),
    path("meetings/<id:pk>/", coordination.meeting_detail, name="meeting"),
    path("meetings/<id:pk>/edit/", coordination.meeting_edit, name="meeting_edit"),
    path("meetings/<id:pk>/actions/new/", coordination.action_create, name="action_create"),
    path("actions/", coordination.action_list, name="actions"),
    path("actions/<id:pk>/edit/", coordination.action_edit, name="action_edit"),
    path("actions/<id:pk>/close/", coordination.action_close, name="action_close"),
    path("actions/<id:pk>/reopen/", coordination.action_reopen, name="action_reopen"),
]
