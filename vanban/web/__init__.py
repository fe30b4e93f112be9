"""The local web app and REST API (`vanban serve`): ``create_app`` in ``vanban.web.app``.

FastAPI, Starlette and Jinja2 are imported by the modules of this package, never by anything on
the ``vanban --help`` path.
"""
