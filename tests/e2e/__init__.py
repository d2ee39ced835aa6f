"""Browser journeys: a few end-to-end paths through the portal in a real browser."""
