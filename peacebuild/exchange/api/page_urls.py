from django.urls import path

from . import pages

app_name = "tokens"

urlpatterns = [
    path("", pages.tokens, name="list"),
]
