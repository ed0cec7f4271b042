"""``srtk curate serve``: a local web app to check, correct and capture values beside their PDF
regions (Flask, server-rendered, loopback only). See DESIGN.md, "The curation web app"."""

from evidence.curation.web.app import check_host, create_app, serve

__all__ = ["check_host", "create_app", "serve"]
