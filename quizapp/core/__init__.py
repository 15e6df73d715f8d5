"""Pure domain logic: compiler, OOM simulator, scheduler, Anki note building.

See README.md beside this file for what code here may not do.
"""
