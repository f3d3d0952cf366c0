"""dissuade.gateways."""
