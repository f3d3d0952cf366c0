"""The lead's staffing forecast (ForecastView): how many officers the next shift needs."""
