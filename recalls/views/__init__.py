"""Pages of the recalls app: staff and producers (recalls, defect reports, investigations, dashboard) and the
public portal."""
