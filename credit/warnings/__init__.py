"""Early warning (风险预警): signals over sampling's statistics and the fact ledger, warnings with their evidence,
routed to the jurisdiction that must act. ``ready()`` is called from CreditConfig.ready()."""


def ready() -> None:
    from credit.warnings.registration import register

    register()
