"""Placeholder blueprint until its issue lands."""

from flask import Blueprint

blueprint = Blueprint("ui", __name__)
