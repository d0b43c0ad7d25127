"""The GitTarget domain: condition types, reasons, phase, status and lifecycle."""
