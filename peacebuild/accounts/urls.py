from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("verify/", views.verify, name="verify"),
    path("security/", views.security, name="security"),
    path("security/authenticator/", views.enrol, name="enrol"),
    path("security/authenticator/remove/", views.two_factor_disable, name="two_factor_disable"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/confirm/", views.reauth, name="reauth"),
    path("security/password/", views.password, name="password"),
    path("people/", views.people, name="people"),
    path("people/<id:pk>/reset-second-factor/", views.reset_second_factor,
         name="reset_second_factor"),
    path("people/<id:pk>/unlock/", views.unlock, name="unlock"),
]
