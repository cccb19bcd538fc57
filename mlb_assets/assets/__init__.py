"""One module per asset family: sources, features, roster, lines, models, predictions, reports."""

import warnings

from dagster import BetaWarning

# BackfillPolicy.single_run() is beta in the pinned Dagster; the range runs depend on it.
warnings.filterwarnings("ignore", category=BetaWarning)
