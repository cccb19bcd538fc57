"""Failed asset checks become alerts: the sensor that reads them and the sinks that carry them."""
