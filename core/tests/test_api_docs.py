"""The API's description (OpenAPI) and its docs page are for Enlace's users: a signed-in user or
a bearer token reads them; anyone else is sent to sign in (the JSON document answers 401)."""

from django.test import Client

from accounts.services import create_token


def test_anonymous_visitors_get_neither_the_description_nor_the_docs(db):
    client = Client()
    described = client.get("/api/v1/openapi.json")
    assert described.status_code == 401
    assert set(described.json()) == {"detail", "errors"}
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 302 and docs.url.startswith("/accounts/login/?next=/api/v1/docs")


def test_users_read_them_signed_in_or_with_a_token(client_for, us_coordinator):
    signed_in = client_for(us_coordinator)
    assert "/api/v1/incidents" in signed_in.get("/api/v1/openapi.json").json()["paths"]
    assert signed_in.get("/api/v1/docs").status_code == 200
    _, key = create_token(us_coordinator, name="codegen")
    token = Client(headers={"Authorization": f"Bearer {key}"})
    assert token.get("/api/v1/openapi.json").status_code == 200
    assert Client(headers={"Authorization": "Bearer enl_nope"}).get(
        "/api/v1/openapi.json").status_code == 401
