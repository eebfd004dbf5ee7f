"""policykg.web: ``policykg serve``, the knowledge graph as a local read-only web application.

``pages`` assembles what each page shows from the library; ``app`` routes requests (Starlette),
renders the templates (Jinja2, autoescaped) and keeps it safe (read-only, time-limited, offline).
"""
from __future__ import annotations

from .app import create_app, serve

__all__ = ["create_app", "serve"]
