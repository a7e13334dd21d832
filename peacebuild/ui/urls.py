from django.urls import path

from . import views

app_name = "ui"
urlpatterns = [
    path("", views.home, name="home"),
    path("office/switch/", views.switch_office, name="switch_office"),
]
