"""Trained statistical models and the code that trains them."""
