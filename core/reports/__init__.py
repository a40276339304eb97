"""The report pipeline: kinds registered by apps, periods, SQL → pandas → HTML → PDF, the archive."""
