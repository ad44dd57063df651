"""SQLite, told how many query parameters this SQLite really accepts.

Django 5.2 assumes SQLite's historic limit of 999 parameters, so a bulk insert of a 150-item
audit's results is split into several statements and the number of queries of a submission
would grow with the framework. SQLite ≥ 3.32 accepts 32,766; Django 6 reads the real limit
from the connection, and this backend does the same on Django 5.2.
"""
