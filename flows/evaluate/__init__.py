"""Evaluation against labelled fixtures: `wirewatch evaluate stories|entities|topics`."""
