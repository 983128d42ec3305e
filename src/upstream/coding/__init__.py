"""Deductive coding: the coder, people in the loop, and agreement with human coders."""
