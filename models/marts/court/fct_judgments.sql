-- Judgments of every current case (latest version), one row per judgment.

-- Incremental: rewrites the cases re-scraped since the last run (see
-- dbt_project.yml).
-- depends_on: {{ ref('stg_court__removals') }}

with

cases as (

    select * from {{ ref('int_cases_classified') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

judgments as (

    select * from {{ ref('stg_court__judgments') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

final as (

    select
        {{ surrogate_key([
            'judgments.court', 'judgments.case_number', 'judgments.judgment_seq'
        ]) }} as judgment_id,
        cases.case_id,
        judgments.court,
        judgments.case_number,
        judgments.judgment_type,
        judgments.judgment_for,
        judgments.judicial_officer,
        judgments.party_names_json,
        judgments.amounts_json,
        judgments.judgment_seq,
        cast(judgments.judgment_amount as decimal(12, 2)) as judgment_amount,
        judgments.judgment_type = 'Default Judgment' as is_default_judgment,
        judgments.judgment_date,
        judgments.scrape_date as last_scraped_date,
        '{{ invocation_id }}' as dbt_invocation_id
    from judgments
    inner join cases
        on
            judgments.court = cases.court
            and judgments.case_number = cases.case_number
            and judgments.scrape_date = cases.scrape_date

)

select * from final
