"""The OpenAPI schema is valid and documents every endpoint; the docs work from this site alone."""

from __future__ import annotations

import re

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/plans/",
    "/api/v1/plans/{slug}/",
    "/api/v1/themes/",
    "/api/v1/themes/{id}/",
    "/api/v1/actions/",
    "/api/v1/actions/{id}/",
    "/api/v1/actions/{id}/status-updates/",
    "/api/v1/status-updates/",
    "/api/v1/status-updates/{id}/",
    "/api/v1/review-cycles/",
    "/api/v1/review-cycles/{id}/",
}


def test_the_schema_is_valid_openapi_and_documents_every_endpoint_and_error():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert set(schema["paths"]) == PATHS
    post = schema["paths"]["/api/v1/actions/{id}/status-updates/"]["post"]
    assert {"201", "400", "401", "403", "404", "409", "412", "428"} <= set(post["responses"])
    listing = schema["paths"]["/api/v1/actions/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"plan", "theme", "side", "status", "rag", "overdue", "lead", "organisation", "updated_since"} <= names
    assert {"page", "page_size"} <= names
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"


def test_the_schema_is_served_to_people_signed_in(board_member):
    response = token_client(board_member).get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "RASSO joint action plan API"
    as_json = token_client(board_member).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert as_json.json()["openapi"].startswith("3.")
    assert APIClient().get("/api/schema/").status_code == 401


def test_the_docs_load_their_files_from_this_site_with_no_inline_script_or_style(client, board_member):
    client.force_login(board_member)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    body = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert "<style" not in body
    assert re.search(r"<script>(?!</script>)", body) is None
    for source in sources:
        if source.startswith("/static/"):
            continue
        script = client.get(source)
        assert script.status_code == 200
        assert "SwaggerUIBundle" in script.content.decode()
    assert "swagger-ui-bundle.js" in body


def test_the_docs_ask_a_browser_to_sign_in_first(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
