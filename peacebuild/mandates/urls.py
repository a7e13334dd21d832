from django.urls import path

from . import views

app_name = "mandates"
urlpatterns = [
    path("documents/", views.document_list, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<id:pk>/", views.document_detail, name="document"),
    path("documents/<id:pk>/edit/", views.document_edit, name="document_edit"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<id:pk>/edit/", views.period_edit, name="period_edit"),
]
