"""The HTTP API, one router per area: health, auth (sign-in, tokens, wipe reports), sync."""
