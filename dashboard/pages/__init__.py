"""One module per page; each calls ``dash.register_page`` and has ``layout(**query)``."""
