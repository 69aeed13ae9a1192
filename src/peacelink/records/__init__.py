"""The record envelope every owner-controlled database shares."""
