"""Notifier: delivers alerts to webhooks, signed per the Standard Webhooks spec."""
