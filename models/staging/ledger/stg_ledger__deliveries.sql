-- The delivery ledger, typed: one row per key promoted to (or withdrawn from) a
-- partner in a delivery week, for the partners this project delivers to (on
-- Athena the partner partition is an injected projection: every query names
-- its partners). key_scheme is null on ledger files written before party
-- identity was tracked: their keys are position keys (see
-- int_deliveries_last_sent).

with

source as (

    select * from {{ delivery_ledger() }}
    where partner in ({{ delivery_partner_list() }})

),

final as (

    select
        partner,
        cast(delivery_week as date) as delivery_week,
        record_kind,
        delivery_key,
        change_hash,
        case_number,
        court,
        key_scheme,
        promoted_at
    from source

)

select * from final
