"""The classroom in the browser: a Starlette app (the optional ``web`` extra).

:mod:`.app` builds the app (:func:`.app.create_app`); :mod:`.explorable` computes
the explorable's sandbox; ``static/`` holds every page, script and style the
browser loads (nothing comes from the network). Importing this package imports
no web library: only :mod:`.app` needs Starlette.
"""

__all__ = []
