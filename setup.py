"""Packaging: ``pip install .`` gives the ``tf1-mnist`` command (setup.cfg has the metadata).

A setup.py/setup.cfg pair rather than pyproject metadata because the legacy stack's
newest setuptools (59.6, the last for Python 3.6) predates PEP 621 support.
"""
from setuptools import setup

setup()
