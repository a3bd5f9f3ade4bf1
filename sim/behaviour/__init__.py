"""The behavioural model as pure functions of numbers and coefficient sections: no simpy, no randomness.

Each function is one equation of the evidence note (research, section 2); docs/model.md
lists them with defaults and sources. The engine calls them at events, never by polling.
"""
