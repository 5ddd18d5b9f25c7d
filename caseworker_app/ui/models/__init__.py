"""Qt item models over service results; views sort and filter them through proxies."""
