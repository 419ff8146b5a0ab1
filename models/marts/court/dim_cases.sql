-- One row per court case currently on the portal (latest version; sealed and
-- expunged cases are gone). Contract-enforced: deliveries and analysts read it.
-- The amounts are the Financial section's totals over every party as of the
-- latest scrape (balance_as_of_date; null when the page showed none).

-- Incremental: rewrites the cases re-scraped since the last run (see
-- dbt_project.yml).
-- depends_on: {{ ref('stg_court__removals') }}

with

cases as (

    select * from {{ ref('int_cases_classified') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

final as (

    select
        case_id,
        court,
        court_code,
        case_number,
        portal_case_id,
        court_label,
        case_kind,
        case_type,
        status,
        status_class,
        case_style,
        judicial_officer,
        case_attributes_json,
        change_hash,
        cast(fees_assessed_amount as decimal(12, 2)) as fees_assessed_amount,
        cast(paid_amount as decimal(12, 2)) as paid_amount,
        cast(balance_due_amount as decimal(12, 2)) as balance_due_amount,
        status_class = 'active' as is_active,
        has_financial,
        filed_date,
        balance_as_of_date,
        first_scraped_date,
        content_changed_date,
        scrape_date as last_scraped_date,
        '{{ invocation_id }}' as dbt_invocation_id,
        cast(extract(year from filed_date) as integer) as filed_year
    from cases

)

select * from final
