-- The lead attorney of each party of each case's latest version that lists
-- any attorney: the first attorney the page marks "Lead Attorney", else the
-- first one listed. One row per represented party.
-- Incremental like int_cases_classified.
-- depends_on: {{ ref('stg_court__removals') }}

with

attorneys as (

    select * from {{ ref('stg_court__party_attorneys') }}
    where {{ is_changed_case() }}

),

cases as (

    select * from {{ ref('stg_court__cases') }}
    where {{ is_changed_case() }}

),

current_attorneys as (

    select attorneys.*
    from attorneys
    inner join cases
        on
            attorneys.court = cases.court
            and attorneys.case_number = cases.case_number
            and attorneys.scrape_date = cases.scrape_date

),

ranked as (

    select
        current_attorneys.*,
        row_number() over (
            partition by
                current_attorneys.court,
                current_attorneys.case_number,
                current_attorneys.party_seq
            order by
                case when current_attorneys.is_lead then 0 else 1 end,
                current_attorneys.attorney_seq
        ) as attorney_rank,
        count(*) over (
            partition by
                current_attorneys.court,
                current_attorneys.case_number,
                current_attorneys.party_seq
        ) as attorney_count
    from current_attorneys

),

final as (

    select
        {{ surrogate_key(['court', 'case_number', 'party_seq']) }} as party_id,
        court,
        case_number,
        party_seq,
        attorney_seq,
        attorney_name,
        attorney_kind,
        attorney_phone,
        cast(attorney_count as integer) as attorney_count,
        is_lead as is_marked_lead,
        scrape_date,
        '{{ invocation_id }}' as dbt_invocation_id
    from ranked
    where attorney_rank = 1

)

select * from final
