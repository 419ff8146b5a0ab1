"""Partner deliveries: export the week's batch, validate it, promote it exactly once.

    export    warehouse batch ──> lake/staging/<partner>/<week>/   (file, keys, manifest)
    validate  staged file ──GX──> lake/reports/<week>/             (result tied to sha256)
    promote   staged file ──────> lake/partners/<partner>/<week>/  + lake/ledger/ (create-only)

Each step is idempotent and works partner by partner, so one partner's failure never
holds back another's. See `layout` for the lake keys, `ledger` for what counts as
delivered.
"""
