from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<id:pk>/edit/", views.organisation_edit, name="edit"),
]
