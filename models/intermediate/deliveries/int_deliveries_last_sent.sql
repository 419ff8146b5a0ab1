-- What each partner holds before the delivery week being built (var
-- delivery_week): one row per partner and party it was sent, with the week and
-- content hash of the last delivery, whether it was withdrawn since, and the
-- partner's latest promoted week. Only ledger weeks before the batch's own week
-- count, so a re-run of a week never excludes that week's own rows.
--
-- Ledger rows written before party identity was tracked (key_scheme null) carry
-- the position key md5(court|case_number|party_seq) of the party at that
-- position on the case's latest visit on or before their delivery week: they
-- count for the party that was listed there (int_case_parties_identified), so
-- upgrading sends no one again.

{%- set week = delivery_week() %}

with

ledger as (

    select * from {{ ref('stg_ledger__deliveries') }}
    where delivery_week < date '{{ week }}'

),

identified as (

    select * from {{ ref('int_case_parties_identified') }}

),

legacy_matches as (

    select
        ranked.partner,
        ranked.delivery_week,
        ranked.record_kind,
        ranked.delivery_key,
        ranked.party_key
    from (
        select
            ledger.partner,
            ledger.delivery_week,
            ledger.record_kind,
            ledger.delivery_key,
            identified.party_key,
            row_number() over (
                partition by
                    ledger.partner,
                    ledger.delivery_week,
                    ledger.record_kind,
                    ledger.delivery_key
                order by identified.scrape_date desc
            ) as recency
        from ledger
        inner join identified
            on
                ledger.court = identified.court
                and ledger.case_number = identified.case_number
                and ledger.delivery_key = identified.position_key
                and ledger.delivery_week >= identified.scrape_date
        where ledger.key_scheme is null
    ) as ranked
    where ranked.recency = 1

),

keyed as (

    select
        ledger.*,
        coalesce(legacy_matches.party_key, ledger.delivery_key) as sent_key
    from ledger
    left join legacy_matches
        on
            ledger.partner = legacy_matches.partner
            and ledger.delivery_week = legacy_matches.delivery_week
            and ledger.record_kind = legacy_matches.record_kind
            and ledger.delivery_key = legacy_matches.delivery_key

),

ranked_deliveries as (

    select
        keyed.*,
        row_number() over (
            partition by keyed.partner, keyed.sent_key
            order by keyed.delivery_week desc, keyed.delivery_key asc
        ) as delivery_rank
    from keyed
    where keyed.record_kind = 'delivered'

),

withdrawn as (

    select distinct
        partner,
        sent_key
    from keyed
    where record_kind = 'withdrawn'

),

promoted_weeks as (

    select
        partner,
        max(delivery_week) as last_promoted_week
    from ledger
    group by partner

),

final as (

    select
        ranked_deliveries.partner,
        ranked_deliveries.sent_key as delivery_key,
        ranked_deliveries.delivery_key as delivered_key,
        ranked_deliveries.change_hash,
        ranked_deliveries.court,
        ranked_deliveries.case_number,
        withdrawn.partner is not null as is_withdrawn,
        ranked_deliveries.delivery_week as last_delivered_week,
        promoted_weeks.last_promoted_week
    from ranked_deliveries
    inner join promoted_weeks
        on ranked_deliveries.partner = promoted_weeks.partner
    left join withdrawn
        on
            ranked_deliveries.partner = withdrawn.partner
            and (
                ranked_deliveries.sent_key = withdrawn.sent_key
                or ranked_deliveries.delivery_key = withdrawn.sent_key
            )
    where ranked_deliveries.delivery_rank = 1

)

select * from final
