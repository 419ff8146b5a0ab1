-- Docket events of every current case (latest version), one row per event.

-- Incremental: rewrites the cases re-scraped since the last run (see
-- dbt_project.yml).
-- depends_on: {{ ref('stg_court__removals') }}

with

cases as (

    select * from {{ ref('int_cases_classified') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

events as (

    select * from {{ ref('stg_court__events') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

final as (

    select
        {{ surrogate_key([
            'events.court', 'events.case_number', 'events.event_seq'
        ]) }} as case_event_id,
        cases.case_id,
        events.court,
        events.case_number,
        cases.case_kind,
        events.event_type,
        events.event_comment as event_description,
        events.documents_json,
        events.event_attributes_json,
        events.event_seq,
        events.event_date,
        events.scrape_date as last_scraped_date,
        '{{ invocation_id }}' as dbt_invocation_id,
        cast(extract(year from events.event_date) as integer) as event_year
    from events
    inner join cases
        on
            events.court = cases.court
            and events.case_number = cases.case_number
            and events.scrape_date = cases.scrape_date

)

select * from final
