"""Conversations, messages, notifications and the websocket push channel."""
