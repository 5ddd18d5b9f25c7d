"""One case file: a tab per part of the case (overview, members, contacts and notes, safety, ...)."""
