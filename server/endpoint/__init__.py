"""Placeholder blueprint until its issue lands."""

from flask import Blueprint

blueprint = Blueprint("endpoint", __name__)
