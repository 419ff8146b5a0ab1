-- Latest found version of each case (court + case_number), tombstoned cases
-- removed. Incremental (see dbt_project.yml): a run reads only raw partitions
-- newer than the newest loaded; its pre-hook deletes the cases it rewrites and
-- those tombstoned since.

with

source as (

    select * from {{ source('court', 'court_cases') }}
    where {{ is_new_partition() }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        {{ clean_text('case_type') }} as case_type,
        {{ clean_text('status') }} as status,
        {{ clean_text('judicial_officer') }} as judicial_officer,
        {{ clean_text('change_hash') }} as change_hash,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_money('fees_assessed') }} as fees_assessed_amount,
        {{ parse_money('paid') }} as paid_amount,
        {{ parse_money('balance_due') }} as balance_due_amount,
        {{ parse_iso_date('filed_date') }} as filed_date,
        {{ parse_iso_date('balance_as_of') }} as balance_as_of_date,
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
        case_type,
        status,
        judicial_officer,
        change_hash,
        page_sha256,
        fees_assessed_amount,
        paid_amount,
        balance_due_amount,
        filed_date,
        balance_as_of_date,
        scrape_date,
        scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from latest

)

select * from final
