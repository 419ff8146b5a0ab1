-- Hearings of every current case (latest version), one row per hearing, keyed
-- by the hearing's stable key within its case (the case page prints no hearing
-- id; hearing_id and courtroom are null unless the hearing search gave them).

-- Incremental: rewrites the cases re-scraped since the last run (see
-- dbt_project.yml).
-- depends_on: {{ ref('stg_court__removals') }}

with

cases as (

    select * from {{ ref('int_cases_classified') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

hearings as (

    select * from {{ ref('stg_court__hearings') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

final as (

    select
        {{ surrogate_key([
            'hearings.court', 'hearings.case_number', 'hearings.hearing_key'
        ]) }} as case_hearing_id,
        cases.case_id,
        hearings.court,
        hearings.case_number,
        cases.case_kind,
        hearings.hearing_key,
        hearings.hearing_id,
        hearings.hearing_type,
        hearings.original_hearing_type,
        hearings.hearing_time,
        hearings.courtroom,
        hearings.judicial_officer,
        hearings.cancel_reason,
        hearings.hearing_result,
        hearings.hearing_comment,
        hearings.is_canceled,
        hearings.hearing_date >= hearings.scrape_date as is_upcoming,
        hearings.hearing_date,
        hearings.scrape_date as last_scraped_date,
        '{{ invocation_id }}' as dbt_invocation_id
    from hearings
    inner join cases
        on
            hearings.court = cases.court
            and hearings.case_number = cases.case_number
            and hearings.scrape_date = cases.scrape_date

)

select * from final
