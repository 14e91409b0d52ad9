"""Placeholder until written."""
from ninja import Router

router = Router()
