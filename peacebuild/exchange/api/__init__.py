"""The REST API: one more door onto the services, with the pages' access rules.

Django REST framework with drf-spectacular (docs/api.md says why). Tokens belong to a user
and one office (`models.ApiToken`); handlers find records through each app's access
functions and write through each app's services, which check their actor.
"""
