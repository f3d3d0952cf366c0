"""The staffing forecast ("How many officers tonight?"): the Erlang C formula (`erlang`) and
the forecast of a shift from the centre's history (`staffing`). Pure Python, Qt-free; the store
reads the history (dissuade/store/forecast.py)."""
