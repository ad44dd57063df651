"""Errors every feature's services raise, which the API and the pages turn into answers.

A service that refuses a change because of the state of a record (a submitted audit, a
published framework) raises a `StateConflict` naming the field that holds that state; the API
answers 409 with that field, without knowing which feature raised it.
"""


class StateConflict(Exception):
    """The record is in a state that forbids this change (the API answers 409 naming ``field``)."""

    field = "status"
