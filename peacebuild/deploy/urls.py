from django.urls import path

from . import views

app_name = "deploy"
urlpatterns = [
    path("", views.health, name="health"),
]
