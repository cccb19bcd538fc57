"""One module per asset family: sources, features, roster, lines, models, predictions, reports.

Each module builds its assets from the one configuration (`build_*(config)`); the assets read,
call the pure core, write, and report what they did.
"""
