"""The demo caseload: fictional families with a year of casework, and the demo profile built from them."""
