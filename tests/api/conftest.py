"""Fixtures of the API's tests: a client that signs in with a person's token."""

from __future__ import annotations

import itertools

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create

_numbers = itertools.count(1)


def token_client(user) -> APIClient:
    """An API client sending a fresh token of `user`, as a program would."""
    _token, key = api_token_create(user=user, name=f"Tests {user.username} {next(_numbers)}")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api_as():
    return token_client
