"""Asset checks: the threshold maths, the check specs with their severities, per-date evaluation."""
