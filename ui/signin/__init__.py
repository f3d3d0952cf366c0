"""Signing in: the sign-in window, the start-up that goes through it, signing out and switching
user without a restart, and the idle lock."""
