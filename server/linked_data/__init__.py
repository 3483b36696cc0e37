"""Placeholder blueprint until its issue lands."""

from flask import Blueprint

blueprint = Blueprint("linked_data", __name__)
