from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("export.csv", views.activity_export, name="export"),
    path("attendance.csv", views.attendance_export, name="export_attendance"),
    path("new/", views.activity_create, name="create"),
    path("<id:pk>/", views.activity_detail, name="detail"),
    path("<id:pk>/edit/", views.activity_edit, name="edit"),
    path("<id:pk>/delete/", views.activity_delete, name="delete"),
    path("centres/", views.centre_list, name="centres"),
    path("centres/new/", views.centre_create, name="centre_create"),
    path("centres/<id:pk>/edit/", views.centre_edit, name="centre_edit"),
]
