-- Latest found version of each case (court + case_number), tombstoned cases
-- removed. Incremental (see dbt_project.yml): a run reads only raw partitions
-- newer than the newest loaded; its pre-hook deletes the cases it rewrites and
-- those tombstoned since. The balance is the Financial section's as scraped:
-- balance_as_of_date is the scrape date (null when the page showed none).

with

source as (

    select * from {{ source('court', 'court_cases') }}
    where {{ is_new_partition() }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        {{ clean_text('portal_case_id') }} as portal_case_id,
        {{ clean_text('court_label') }} as court_label,
        {{ clean_text('case_type') }} as case_type,
        {{ clean_text('status') }} as status,
        {{ clean_text('style') }} as case_style,
        {{ clean_text('judicial_officer') }} as judicial_officer,
        {{ clean_text('attributes_json') }} as case_attributes_json,
        {{ clean_text('change_hash') }} as change_hash,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_money('fees_assessed') }} as fees_assessed_amount,
        {{ parse_money('paid') }} as paid_amount,
        {{ parse_money('balance_due') }} as balance_due_amount,
        coalesce(has_financial, false) as has_financial,
        {{ parse_iso_date('filed_date') }} as filed_date,
        case
            when {{ parse_money('balance_due') }} is not null
                then {{ partition_date('scrape_date') }}
        end as balance_as_of_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

latest as (

    {{ latest_case_versions('renamed', tiebreak=['page_sha256']) }}

),

final as (

    select
        court,
        case_number,
        portal_case_id,
        court_label,
        case_type,
        status,
        case_style,
        judicial_officer,
        case_attributes_json,
        change_hash,
        page_sha256,
        fees_assessed_amount,
        paid_amount,
        balance_due_amount,
        has_financial,
        filed_date,
        balance_as_of_date,
        scrape_date,
        scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from latest

)

select * from final
