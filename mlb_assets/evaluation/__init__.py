"""Grading maths: win/loss/push, profit at the offered price, accuracy per system (pure)."""
