"""The OpenAPI schema's shared parts: the token scheme and the one error shape, declared on
every operation for the statuses it can answer."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "examples": ["not_found"]},
                "message": {"type": "string"},
                "fields": {"type": "object",
                           "additionalProperties": {"type": "array",
                                                    "items": {"type": "string"}}},
                "current": {"type": "object",
                            "description": "412: the stored values of the fields sent."},
            },
        },
    },
}
ALWAYS = {"400": "Refused input", "401": "No valid token", "403": "Not allowed",
          "404": "No such record in the token's office", "429": "Too many requests"}
BY_METHOD = {"put": {"412": "Changed since your version", "428": "If-Match missing"},
             "patch": {"412": "Changed since your version", "428": "If-Match missing"},
             "delete": {"409": "Other records depend on it"}}


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "peacebuild.exchange.api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer",
                "description": "An API token made on the API tokens page."}


def errors_everywhere(result: dict[str, Any], generator: Any, request: Any, public: bool
                      ) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, text in {**ALWAYS, **BY_METHOD.get(method, {})}.items():
                operation["responses"].setdefault(
                    code, {"description": text, "content": {"application/json": {"schema": ref}}})
    return result
